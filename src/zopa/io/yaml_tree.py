"""Safe, bounded YAML 1.2 reading that remembers where every value came from.

The reader is built on the event stream of ruamel.yaml's parser and constructs plain Python data
itself, so that

* no tag can construct an object: only the YAML 1.2 core-schema tags are accepted and any other
  tag (``!!python/object``, a local ``!tag``) is an error, never executed;
* plain scalars are resolved with the YAML 1.2 *core schema* (``NO`` stays the string ``"NO"``,
  ``2025-12-14`` stays a string that the model parses as a date);
* hostile input stays cheap: a size limit on the file, a depth limit on nesting, and a limit on
  the number of nodes after alias expansion (an "alias bomb" is refused before it is expanded);
* every value and every mapping key keeps its line and column, so that validation errors can be
  reported as ``file:line:column``.

References
----------
YAML Ain't Markup Language, version 1.2.2, section 10.3 "Core Schema", https://yaml.org/spec/1.2.2/
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

Path = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(frozen=True)
class Mark:
    """A position in a text file, 1-based line and column."""

    line: int
    column: int


class YamlReadError(Exception):
    """The text is not a YAML document zopa is willing to read.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    mark
        Where, when known.
    path
        The path of the value concerned (keys and list indices), when known.
    """

    def __init__(self, message: str, mark: Mark | None = None, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.path = path


@dataclass
class YamlDocument:
    """Plain data read from YAML, with the position of every value and key.

    Attributes
    ----------
    data
        Dicts, lists, strings, ints, floats, bools and None. Mapping keys are strings.
    values
        Path of a value (a tuple of keys and list indices) to the position where it starts.
    keys
        Path of a mapping entry to the position of its key.
    """

    data: Any
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def locate(self, path: Path, *, prefer_key: bool = False) -> Mark | None:
        """Return the position of ``path`` or of its nearest ancestor that was read."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return None


MAX_DIGITS = 4300
"""The longest decimal integer read (Python's own limit on converting text to an int)."""


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema.

    Raises
    ------
    YamlReadError
        For a decimal integer of more than :data:`MAX_DIGITS` digits (unpositioned: the caller
        knows where the scalar is).
    """
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT10.match(text):
        digits = len(text.lstrip("+-"))
        if digits > MAX_DIGITS:
            raise YamlReadError(
                f"an integer of {digits:,} digits is too long to read (at most {MAX_DIGITS:,})"
            )
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _check_tag(event: Any, path: Path) -> str | None:
    tag = getattr(event, "tag", None)
    if tag is None:
        return None
    tag = str(tag)
    if tag == "!":  # the non-specific tag: a string, a list or a mapping as written
        return tag
    if tag not in _ALLOWED_TAGS:
        shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
        raise YamlReadError(
            f"unsupported YAML tag {shown!r}: scenario files use plain YAML data only "
            "(mappings, lists, strings, numbers, booleans, null)",
            _mark(event),
            path,
        )
    return tag


def _is_empty(event: Any) -> bool:
    return event.value == "" and not event.style and getattr(event, "tag", None) is None


def _scalar(event: Any, path: Path) -> Any:
    try:
        return _resolve_scalar(event, path)
    except YamlReadError as exc:
        if exc.mark is not None:
            raise
        raise YamlReadError(exc.message, _mark(event), path) from None


def _resolve_scalar(event: Any, path: Path) -> Any:
    tag = _check_tag(event, path)
    text: str = event.value
    if event.style == ">":  # ruamel's round-trip scanner marks fold points with BEL
        text = text.replace("\a", "")
    if tag == "!":
        return text
    if tag is None:
        plain = not event.style and event.implicit[0]  # plain: None (ruamel) or "" (libyaml)
        return resolve_plain(text) if plain else text
    kind = tag.removeprefix(_CORE)
    if kind == "str":
        return text
    value: Any = resolve_plain(text)
    expected: dict[str, type | tuple[type, ...]] = {
        "int": int,
        "float": (int, float),
        "bool": bool,
        "null": type(None),
    }
    if (isinstance(value, bool) and kind != "bool") or not isinstance(value, expected[kind]):
        raise YamlReadError(f"{text!r} is not a valid !!{kind}", _mark(event), path)
    if kind == "float":
        return float(resolve_plain(text))
    return value


def _too_large(max_bytes: int) -> YamlReadError:
    return YamlReadError(
        f"the file is larger than {max_bytes / 1048576:g} MiB, the limit for scenario files"
    )


def check_text(text: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Check that ``text`` is within the size limit and not empty, or raise :class:`YamlReadError`."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise _too_large(max_bytes)
    if not text.lstrip("\ufeff").strip():
        raise YamlReadError("the file is empty: expected a YAML mapping")
    return text


def _byte_mark(raw: bytes, offset: int) -> Mark:
    """Return the position of a byte, its column counted in characters as the reader counts."""
    head = raw[:offset]
    line_head = head[head.rfind(b"\n") + 1 :]
    return Mark(head.count(b"\n") + 1, len(line_head.decode("utf-8", "replace")) + 1)


def check_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode ``raw`` as UTF-8 text fit for YAML, or raise :class:`YamlReadError`."""
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    body = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark is allowed, and not a column
    if b"\x00" in body:
        raise YamlReadError(
            "binary data (a NUL byte): expected a UTF-8 YAML text file",
            _byte_mark(body, body.index(b"\x00")),
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlReadError(
            f"invalid UTF-8 byte 0x{body[exc.start]:02x}: expected a UTF-8 YAML text file",
            _byte_mark(body, exc.start),
        ) from None
    return check_text(text, max_bytes=max_bytes)


class _Builder:
    """Builds plain data from parser events, enforcing the depth and node limits."""

    def __init__(self, max_depth: int, max_nodes: int) -> None:
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.doc = YamlDocument(None)
        self.anchors: dict[str, tuple[Any, int]] = {}

    def count(self, n: int, event: Any) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            raise YamlReadError(
                f"the document expands to more than {self.max_nodes:,} values "
                "(aliases included): refusing to read it",
                _mark(event),
            )

    def build(self, events: Any) -> YamlDocument:
        documents = 0
        for event in events:
            name = type(event).__name__
            if name == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise YamlReadError(
                        "more than one YAML document in the file: expected exactly one",
                        _mark(event),
                    )
                self.doc.data = self.node(events, next(events), (), 1)
            elif name not in ("StreamStartEvent", "DocumentEndEvent", "StreamEndEvent"):
                raise YamlReadError(f"unexpected YAML event {name}", _mark(event))
        if documents == 0:
            raise YamlReadError("the file holds no YAML document: expected a YAML mapping")
        return self.doc

    def node(self, events: Any, event: Any, path: Path, depth: int) -> Any:
        name = type(event).__name__
        if depth > self.max_depth:
            raise YamlReadError(
                f"nesting deeper than {self.max_depth} levels: refusing to read it", _mark(event)
            )
        self.doc.values[path] = _mark(event)
        start = self.nodes
        if name == "AliasEvent":
            if event.anchor not in self.anchors:
                raise YamlReadError(f"unknown alias *{event.anchor}", _mark(event))
            shared, size = self.anchors[event.anchor]
            self.count(size, event)
            return shared
        self.count(1, event)
        if name == "ScalarEvent":
            value: Any = _scalar(event, path)
        elif name == "SequenceStartEvent":
            _check_tag(event, path)
            value = []
            while type(item := next(events)).__name__ != "SequenceEndEvent":
                value.append(self.node(events, item, (*path, len(value)), depth + 1))
        elif name == "MappingStartEvent":
            _check_tag(event, path)
            value = self.mapping(events, path, depth)
        else:
            raise YamlReadError(f"unexpected YAML event {name}", _mark(event))
        if getattr(event, "anchor", None):
            self.anchors[event.anchor] = (value, self.nodes - start)
        return value

    def mapping(self, events: Any, path: Path, depth: int) -> dict[str, Any]:
        value: dict[str, Any] = {}
        while type(key_event := next(events)).__name__ != "MappingEndEvent":
            if type(key_event).__name__ != "ScalarEvent":
                raise YamlReadError(
                    "a mapping key must be a plain name or number, not a list, a mapping or an alias",
                    _mark(key_event),
                    path,
                )
            key = str(key_event.value)
            _check_tag(key_event, (*path, key))
            self.count(1, key_event)
            if key in value:
                raise YamlReadError(
                    f"duplicate key {key!r}: each key may appear once in a mapping",
                    _mark(key_event),
                    (*path, key),
                )
            self.doc.keys[(*path, key)] = _mark(key_event)
            value_event = next(events)
            value[key] = self.node(events, value_event, (*path, key), depth + 1)
            if type(value_event).__name__ == "ScalarEvent" and _is_empty(value_event):
                # the parser marks an empty value where the next token starts (often the next
                # line); the key is where the reader should look
                self.doc.values[(*path, key)] = _mark(key_event)
        return value


YAML_11_BREAKS = "\x85\u2028\u2029"


def _libyaml_events(text: str) -> list[Any] | None:
    """The document's parse events from libyaml (PyYAML's C parser), or None.

    About 25 times faster than ruamel.yaml's pure-Python parser on the default scenario (5 ms
    against 130 ms), with the same events and marks. None when libyaml is not available or the
    text does not parse: the caller then parses with ruamel.yaml, whose error messages (and
    positions) are the ones zopa reports, so an invalid file reads the same either way. Also
    None for a text holding a character that YAML 1.1 (libyaml) counts as a line break and
    YAML 1.2 (ruamel.yaml) does not (NEL, LS, PS): positions would differ.
    """
    if any(c in text for c in YAML_11_BREAKS):
        return None
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        return None
    parser = getattr(yaml, "CSafeLoader", None)
    if parser is None:  # pragma: no cover - a PyYAML built without libyaml
        return None
    try:
        return list(yaml.parse(io.StringIO(text), Loader=parser))
    except yaml.YAMLError:
        return None


def read_yaml(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> YamlDocument:
    """Parse one YAML document into plain data with positions.

    Parameters
    ----------
    text
        The YAML text.
    max_depth, max_nodes
        Limits on nesting and on the number of values after alias expansion.

    Returns
    -------
    YamlDocument

    Raises
    ------
    YamlReadError
        On a syntax error, an unsupported tag, a duplicate key or a breached limit.
    """
    fast = _libyaml_events(text)
    if fast is not None:  # a text libyaml parses: ruamel.yaml is not needed (nor imported)
        try:
            return _Builder(max_depth, max_nodes).build(iter(fast))
        except RecursionError:
            raise _too_deep(max_depth) from None

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        return _Builder(max_depth, max_nodes).build(iter(YAML(typ="rt").parse(io.StringIO(text))))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise YamlReadError(f"YAML syntax error: {problem}{context}", where) from None
    except ReaderError as exc:
        raise _reader_error(text, exc) from None
    except YAMLError as exc:
        raise YamlReadError(f"YAML error: {exc}") from None
    except RecursionError:
        raise _too_deep(max_depth) from None


def _too_deep(max_depth: int) -> YamlReadError:
    """The error for a document nested deeper than ``max_depth`` (a RecursionError caught)."""
    return YamlReadError(f"nesting deeper than {max_depth} levels: refusing to read it")


def _reader_error(text: str, exc: Any) -> YamlReadError:
    """Position a character YAML does not allow (a control character) by line and column."""
    char = exc.character
    what = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    message = f"character {what} is not allowed in YAML text (a control character or binary data)"
    position = exc.position
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return YamlReadError(message)
    head = text[:position]
    return YamlReadError(message, Mark(head.count("\n") + 1, position - (head.rfind("\n") + 1) + 1))
