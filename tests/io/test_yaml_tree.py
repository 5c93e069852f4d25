"""The positioned YAML 1.2 reader: core-schema resolution, positions, duplicate keys, tags."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from zopa.io.yaml_tree import Mark, YamlReadError, check_bytes, check_text, read_yaml, resolve_plain


def value_of(text: str) -> Any:
    return read_yaml(f"v: {text}\n").data["v"]


# -- YAML 1.2 core schema ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 booleans are plain strings in 1.2 (the "Norway problem")
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("-12", -12),
        ("+12", 12),
        ("017", 17),  # decimal in 1.2, not octal
        ("0o17", 15),
        ("0x1f", 31),
        ("0x1F", 31),
        ("0b101", "0b101"),  # not in the core schema
        ("1_000", "1_000"),  # no digit separators in the core schema
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("1.5E-3", 0.0015),
        (".inf", math.inf),
        (".Inf", math.inf),
        ("+.inf", math.inf),
        ("-.INF", -math.inf),
        ("2025-12-14", "2025-12-14"),  # no timestamps: the model parses dates itself
        ("12:30", "12:30"),  # no sexagesimal numbers
        ("'1'", "1"),
        ('"1"', "1"),
        ("'true'", "true"),
        ('"null"', "null"),
        ("''", ""),
        ("inf", "inf"),
        ("nan", "nan"),
        ("0o18", "0o18"),
        ("0x", "0x"),
    ],
)
def test_core_schema(text: str, expected: Any) -> None:
    value = value_of(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_nan(text: str) -> None:
    assert math.isnan(value_of(text))


def test_resolve_plain_agrees_with_the_reader() -> None:
    for text in ["NO", "true", "0x1f", "0o17", ".inf", "2025-12-14", "~", "1e3"]:
        assert repr(resolve_plain(text)) == repr(value_of(text))


def test_block_scalars_are_strings() -> None:
    doc = read_yaml("a: |\n  true\nb: >-\n  12\n")
    assert doc.data == {"a": "true\n", "b": "12"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!str 1", "1"),
        ("!!str true", "true"),
        ("!!int 12", 12),
        ("!!int 0x10", 16),
        ("!!float 1", 1.0),
        ("!!float .inf", math.inf),
        ("!!bool false", False),
        ("!!null null", None),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1, two]", [1, "two"]),
        ("!<tag:yaml.org,2002:str> 5", "5"),
        ("! 5", "5"),  # the non-specific tag: a string
    ],
)
def test_core_tags(text: str, expected: Any) -> None:
    value = value_of(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!int yes", "'yes' is not a valid !!int"),
        ("!!int 1.5", "'1.5' is not a valid !!int"),
        ("!!int true", "'true' is not a valid !!int"),
        ("!!bool 1", "'1' is not a valid !!bool"),
        ("!!float x", "'x' is not a valid !!float"),
        ("!!null 0", "'0' is not a valid !!null"),
        ("!!timestamp 2025-12-14", "unsupported YAML tag '!!timestamp'"),
        ("!!binary aGVsbG8=", "unsupported YAML tag '!!binary'"),
        ("!!set {a}", "unsupported YAML tag '!!set'"),
        ("!!omap [a: 1]", "unsupported YAML tag '!!omap'"),
        ("!!python/name:os.system", "unsupported YAML tag '!!python/name:os.system'"),
        ("!!python/object/apply:os.system [ls]", "unsupported YAML tag '!!python/object/apply"),
        ("!local x", "unsupported YAML tag '!local'"),
        ("!local {a: 1}", "unsupported YAML tag '!local'"),
        ("!local [1]", "unsupported YAML tag '!local'"),
        ("!<tag:example.com,2025:x> 1", "unsupported YAML tag 'tag:example.com,2025:x'"),
    ],
)
def test_bad_tags(text: str, message: str) -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml(f"a: 1\nv: {text}\n")
    assert message in info.value.message
    assert info.value.mark == Mark(2, 4)
    assert info.value.path == ("v",)


def test_tag_on_a_key_is_checked() -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml("a:\n  !x k: 1\n")
    assert info.value.mark == Mark(2, 3)
    assert info.value.path == ("a", "k")


# -- positions --------------------------------------------------------------------------------

BLOCK = """\
title: Test
parties:
  UA: {name: Ukraine, role: belligerent}
  RU:
    name: Russia
list:
  - one
  - [2, 3]
empty:
last: end
"""


def test_positions_of_values() -> None:
    doc = read_yaml(BLOCK)
    assert doc.values[()] == Mark(1, 1)
    assert doc.values[("title",)] == Mark(1, 8)
    assert doc.values[("parties",)] == Mark(3, 3)  # a block mapping starts at its first key
    assert doc.values[("parties", "UA")] == Mark(3, 7)
    assert doc.values[("parties", "UA", "role")] == Mark(3, 29)
    assert doc.values[("parties", "RU", "name")] == Mark(5, 11)
    assert doc.values[("list", 0)] == Mark(7, 5)
    assert doc.values[("list", 1)] == Mark(8, 5)
    assert doc.values[("list", 1, 1)] == Mark(8, 9)
    assert doc.values[("last",)] == Mark(10, 7)


def test_positions_of_keys() -> None:
    doc = read_yaml(BLOCK)
    assert doc.keys[("title",)] == Mark(1, 1)
    assert doc.keys[("parties", "UA")] == Mark(3, 3)
    assert doc.keys[("parties", "UA", "role")] == Mark(3, 23)
    assert doc.keys[("parties", "RU", "name")] == Mark(5, 5)
    assert ("list", 0) not in doc.keys  # list items have no key


def test_empty_value_is_placed_at_its_key() -> None:
    # the parser would place it where the next token starts, on the next line
    doc = read_yaml(BLOCK)
    assert doc.data["empty"] is None
    assert doc.values[("empty",)] == Mark(9, 1)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    doc = read_yaml(BLOCK)
    assert doc.locate(("parties", "UA", "colour")) == Mark(3, 7)
    assert doc.locate(("parties", "UA", "role", 3)) == Mark(3, 29)
    assert doc.locate(("nowhere", "at", "all")) == Mark(1, 1)
    assert doc.locate(("parties", "UA", "role"), prefer_key=True) == Mark(3, 23)
    assert doc.locate(("parties",), prefer_key=True) == Mark(2, 1)


def test_positions_count_characters_not_bytes() -> None:
    doc = read_yaml("a: «é»\nb: ü\n")
    assert doc.values[("b",)] == Mark(2, 4)
    doc = read_yaml("ключ: значение\nb: 1\n")
    assert doc.values[("ключ",)] == Mark(1, 7)


# -- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark", "path"),
    [
        ("a: 1\nb: 2\na: 3\n", Mark(3, 1), ("a",)),
        ("m: {x: 1, y: 2, x: 3}\n", Mark(1, 17), ("m", "x")),
        ("m:\n  - {k: 1}\n  - {k: 1, k: 2}\n", Mark(3, 12), ("m", 1, "k")),
        ("1: a\n'1': b\n", Mark(2, 1), ("1",)),  # keys are compared as text
    ],
)
def test_duplicate_keys(text: str, mark: Mark, path: tuple[str | int, ...]) -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml(text)
    assert info.value.message.startswith("duplicate key")
    assert info.value.mark == mark
    assert info.value.path == path


def test_keys_are_strings() -> None:
    assert read_yaml("400: a\ntrue: b\nnull: c\n1.5: d\n").data == {
        "400": "a",
        "true": "b",
        "null": "c",
        "1.5": "d",
    }


def test_merge_keys_are_not_applied() -> None:
    # "<<" is an ordinary key here; the model then rejects it as an unknown field
    doc = read_yaml("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert doc.data["other"] == {"<<": {"x": 1}}


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "? {a: 1}\n: 1\n", "a: &k x\n*k : 1\n"])
def test_complex_keys_are_refused(text: str) -> None:
    with pytest.raises(YamlReadError, match="a mapping key must be a plain name or number"):
        read_yaml(text)


def test_multi_document() -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml("a: 1\n---\nb: 2\n")
    assert "more than one YAML document" in info.value.message
    assert info.value.mark == Mark(2, 1)


def test_explicit_single_document_is_fine() -> None:
    assert read_yaml("---\na: 1\n...\n").data == {"a": 1}


def test_no_document() -> None:
    with pytest.raises(YamlReadError, match="holds no YAML document"):
        read_yaml("# just a comment\n")


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("a: [1, 2\nb: 3\n", Mark(2, 2)),
        ("a: 'open\n", Mark(2, 1)),
        ("a: b: c\n", Mark(1, 5)),
        ("a:\n\t- x\n", Mark(2, 1)),
    ],
)
def test_syntax_errors_are_positioned(text: str, mark: Mark) -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml(text)
    assert info.value.message.startswith("YAML syntax error: ")
    assert info.value.mark == mark


def test_control_character_is_positioned() -> None:
    with pytest.raises(YamlReadError) as info:
        read_yaml("a: 1\nbb: x\x07y\n")
    assert info.value.mark == Mark(2, 6)
    assert "U+0007" in info.value.message


# -- round trip -------------------------------------------------------------------------------

ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_.+-]{0,10}", fullmatch=True)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
plain_data = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ids, children, max_size=4),
    max_leaves=24,
)


def dump(data: Any) -> str:
    out = io.StringIO()
    YAML(typ="safe").dump(data, out)
    return out.getvalue()


def typed(x: Any) -> Any:
    """``x`` with the type of every scalar made explicit (True and 1 differ) and keys sorted."""
    if isinstance(x, dict):
        return ("dict", sorted((k, typed(v)) for k, v in x.items()))
    if isinstance(x, list):
        return ("list", [typed(v) for v in x])
    return (type(x).__name__, x)


def ruamel_reads_back(text: str, data: Any) -> bool:
    try:
        return bool(typed(YAML(typ="safe").load(text)) == typed(data))
    except YAMLError:
        return False


@given(plain_data)
def test_round_trip(data: Any) -> None:
    text = dump(data)
    # ruamel's writer has rare faults of its own: it writes the string "?0" plain in a flow
    # collection, where it reads as a mapping key (or not at all), and NEL (U+0085) raw in a
    # quoted scalar, where it folds to a space. What ruamel cannot read back itself is not the
    # reader's to fix.
    assume(ruamel_reads_back(text, data))
    assert typed(read_yaml(text).data) == typed(data)


@given(st.dictionaries(ids, plain_data, min_size=1, max_size=5))
def test_every_value_and_key_has_a_position(data: dict[str, Any]) -> None:
    text = dump(data)
    assume(ruamel_reads_back(text, data))
    doc = read_yaml(text)

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        assert path in doc.values
        if isinstance(node, dict):
            for key, child in node.items():
                assert (*path, key) in doc.keys
                walk(child, (*path, key))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, (*path, i))

    walk(doc.data, ())


# -- bytes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "mark", "message"),
    [
        (b"a: 1\nb: x\x00", Mark(2, 5), "binary data (a NUL byte)"),
        ("a: 1\nb: é\x00".encode(), Mark(2, 5), "binary data"),  # columns count characters
        (b"\xef\xbb\xbfa: \x00", Mark(1, 4), "binary data"),  # the BOM is not a column
        (b"a: caf\xe9\n", Mark(1, 7), "invalid UTF-8 byte 0xe9"),
        ("ключ: значение\n".encode() + b"k: \xff", Mark(2, 4), "invalid UTF-8 byte 0xff"),
        (b"\xef\xbb\xbfa: \xff", Mark(1, 4), "invalid UTF-8 byte 0xff"),
        (b"\xc3", Mark(1, 1), "invalid UTF-8 byte 0xc3"),  # truncated sequence
    ],
)
def test_check_bytes_positions(raw: bytes, mark: Mark, message: str) -> None:
    with pytest.raises(YamlReadError) as info:
        check_bytes(raw)
    assert info.value.mark == mark
    assert message in info.value.message


def test_check_bytes_accepts_a_bom() -> None:
    assert check_bytes(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"


def test_check_bytes_size_limit() -> None:
    assert check_bytes(b"a: 1\n" + b"#" * 95, max_bytes=100)
    with pytest.raises(YamlReadError, match="larger than"):
        check_bytes(b"a: 1\n" + b"#" * 96, max_bytes=100)
    with pytest.raises(YamlReadError, match="larger than"):
        check_text("é" * 51, max_bytes=100)  # 102 bytes in UTF-8


def test_folded_scalars_carry_no_fold_marks() -> None:
    # ruamel's round-trip scanner marks where a folded scalar's lines were joined with BEL
    doc = read_yaml("text: >-\n  one two\n  three\n\n  four\n")
    assert doc.data["text"] == "one two three\nfour"


def _both_parsers(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The document read with libyaml's events (the fast path) and with ruamel.yaml's."""
    import zopa.io.yaml_tree as tree

    fast = read_yaml(text)
    with monkeypatch.context() as m:
        m.setattr(tree, "_libyaml_events", lambda _text: None)
        slow = read_yaml(text)
    return fast, slow


def _texts() -> list[tuple[str, str]]:
    from pathlib import Path

    from zopa.catalog import embedded_ids, embedded_text

    here = Path(__file__).parent
    files = sorted((here / "good_scenarios").glob("*.yaml")) + sorted(
        (here / "bad_scenarios").glob("*.yaml")
    )
    return [(i, embedded_text(i).decode()) for i in embedded_ids()] + [
        (f.name, f.read_text(encoding="utf-8", errors="replace")) for f in files
    ]


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_the_fast_parser_reads_what_ruamel_reads(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        fast, slow = _both_parsers(text, monkeypatch)
    except YamlReadError:  # an unreadable file reads as unreadable either way
        import zopa.io.yaml_tree as tree

        monkeypatch.setattr(tree, "_libyaml_events", lambda _text: None)
        with pytest.raises(YamlReadError):
            read_yaml(text)
        return
    assert repr(fast.data) == repr(slow.data)
    assert fast.values == slow.values
    assert fast.keys == slow.keys


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_the_fast_parser_agrees_on_any_document(data: Any) -> None:
    import zopa.io.yaml_tree as tree

    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump({"root": data}, stream)
    text = stream.getvalue()
    try:
        check_text(text)
    except YamlReadError:
        return
    events = tree._libyaml_events(text)
    assume(events is not None)
    fast = read_yaml(text)
    original = tree._libyaml_events
    try:
        tree._libyaml_events = lambda _text: None  # type: ignore[assignment]
        slow = read_yaml(text)
    finally:
        tree._libyaml_events = original
    assert repr(fast.data) == repr(slow.data)
    assert fast.values == slow.values
