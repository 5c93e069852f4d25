"""Hostile or malformed GENIUS XML is refused by the safe reader, with the file, line and column.

Every input is generated here; none of these tests measures time: the limits (size, depth,
number of elements) and defusedxml's refusals are what stop the reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io.genius_xml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    GeniusXmlError,
    parse_xml,
    read_xml,
)

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<utility_space><objective index="0" name="&lol3;"/></utility_space>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE utility_space [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<utility_space><objective index="0" name="&secret;"/></utility_space>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE utility_space SYSTEM "http://example.invalid/genius.dtd">
<utility_space/>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote; ]>
<x/>
"""


def refused(raw: bytes) -> GeniusXmlError:
    with pytest.raises(GeniusXmlError) as info:
        parse_xml(raw, "bad.xml")
    return info.value


@pytest.mark.parametrize(
    ("raw", "line", "words"),
    [
        (LAUGHS, 2, "document type declaration"),
        (EXTERNAL, 2, "document type declaration"),
        (EXTERNAL_DTD, 2, "document type declaration"),
        (PARAMETER_ENTITY, 2, "document type declaration"),
        (b"<utility_space>\n<objective index='0'>\n<issue", 3, "not well-formed XML"),
        (b"<utility_space>\n<objective>\n</utility_space>", 3, "mismatched tag"),
        (b"<a>\n&undeclared;</a>", 2, "undefined entity"),
        (b"<a x='caf\xe9'/>", 1, "not well-formed XML"),
        (b"<a/>\n<b/>", 2, "junk after document element"),
        (b"just text", 1, "syntax error"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_its_line(raw: bytes, line: int, words: str) -> None:
    error = refused(raw)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"bad.xml:{line}:")


def test_the_entities_are_never_expanded() -> None:
    # refused at the declaration, before any expansion: the message names the DTD, not a size
    error = refused(LAUGHS)
    assert "defusedxml" in error.message
    assert "lol" not in error.message


def test_empty_and_blank_files() -> None:
    assert "empty" in refused(b"").message
    assert "empty" in refused(b"  \n\t ").message


def test_too_large_is_refused_without_parsing() -> None:
    error = refused(b"<a>" + b" " * MAX_BYTES + b"</a>")
    assert "larger than 8 MiB" in error.message
    assert error.line is None


def test_read_xml_reads_at_most_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    path.write_bytes(b"<a>" + b" " * (MAX_BYTES + 10) + b"</a>")
    with pytest.raises(GeniusXmlError, match="larger than"):
        read_xml(path)


def test_depth_limit() -> None:
    error = refused(b"<a>" * (MAX_DEPTH + 5) + b"</a>" * (MAX_DEPTH + 5))
    assert "nested deeper than" in error.message
    assert error.line == 1


def test_element_limit() -> None:
    raw = b"<a>" + b"<b/>" * (MAX_ELEMENTS + 1) + b"</a>"
    assert "elements" in refused(raw).message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(GeniusXmlError, match="no such file"):
        read_xml(tmp_path / "none.xml")
    with pytest.raises(GeniusXmlError, match="is a directory"):
        read_xml(tmp_path)


def test_elements_know_their_line_and_column() -> None:
    root = parse_xml(
        b'<utility_space>\n  <objective index="0">\n    <weight index="1"/>\n'
        b"  </objective>\n</utility_space>\n",
        "ok.xml",
    )
    objective = root.find("objective")
    assert objective is not None
    assert (root.line, root.column) == (1, 1)
    assert (objective.line, objective.column) == (2, 3)
    weight = objective.find_all("weight")[0]
    assert (weight.line, weight.column, weight.attrib) == (3, 5, {"index": "1"})


def test_declared_encodings_are_read() -> None:
    root = parse_xml(
        '<?xml version="1.0" encoding="ISO-8859-1"?><a v="café"/>'.encode("latin-1"), "x"
    )
    assert root.attrib["v"] == "café"
    root = parse_xml('<a v="日本"/>'.encode("utf-16"), "x")
    assert root.attrib["v"] == "日本"
