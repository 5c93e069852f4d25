"""Write new values into a scenario file's YAML text, keeping its comments and layout.

The text is read with ruamel.yaml's round-trip loader (comments, key order, flow or block style
and quoting kept; indentation as the shipped scenarios write it: mappings by 2, sequence items
by 4 with the dash at 2) and written back with only the values asked for changed. Callers first
check the text with :func:`zopa.io.scenario_file.parse_scenario` (the safe loader): this module
does not validate, and never sees a text the safe loader refused.

Reference: ruamel.yaml, "round-trip" loading and dumping,
https://yaml.readthedocs.io/en/latest/detail/
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

Path = tuple[str | int, ...]


def _child(node: Any, part: str | int) -> tuple[Any, Any]:
    """The key under which ``part`` stands in ``node`` (a mapping key may be a number)."""
    if isinstance(part, int) or part in node:
        return node, part
    from zopa.model.scenario import format_number

    for key in node:
        if (
            isinstance(key, int | float)
            and not isinstance(key, bool)
            and format_number(key) == part
        ):
            return node, key
    return node, part


def _parent(data: Any, path: Path) -> tuple[Any, Any]:
    """The container holding the value at ``path``, and its key there."""
    node = data
    for part in path[:-1]:
        holder, key = _child(node, part)
        node = holder[key]
    return _child(node, path[-1])


def write_values(
    text: str, modes: Mapping[Path, float], texts: Mapping[Path, str | Mapping[str, str]]
) -> str:
    """Return ``text`` with some numbers' point values and some texts replaced.

    Parameters
    ----------
    text
        A scenario file's YAML text (already checked by the safe loader).
    modes
        Path of a number written ``{low, high}`` or ``{mode, low, high}`` → its new mode (added
        as the first key when the number had none).
    texts
        Path → a new text, or a mapping of texts (e.g. a party's whole ``basis``); a text
        keeps the quoting style of the one it replaces (double quotes for a new one), and a
        mapping's entries are set one by one, keeping the others and their order.

    Returns
    -------
    str
        The edited YAML text.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never fold a long line
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    for path, value in modes.items():
        holder, key = _parent(data, path)
        number = holder[key]
        if "mode" in number:
            number["mode"] = float(value)
        else:
            number.insert(0, "mode", float(value))

    def quoted(old: Any, new: str) -> Any:
        """``new`` in the scalar style of ``old`` (double quotes for a new text)."""
        if isinstance(old, ScalarString):
            return type(old)(new)
        return new if isinstance(old, str) else DoubleQuotedScalarString(new)

    for path, new in texts.items():
        holder, key = _parent(data, path)
        if isinstance(new, str):
            holder[key] = quoted(holder[key], new)
            continue
        target = holder[key]
        for name, entry in new.items():
            if target.get(name) != entry:
                target[name] = quoted(target.get(name), entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def append_entries(
    text: str,
    *,
    sources: Mapping[str, Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]],
    reactions: Sequence[Mapping[str, Any]],
    comment: str | None = None,
) -> str:
    """Return ``text`` with new sources, events and reactions added, keeping the rest as it is.

    Each new entry is written on one line (flow style), as the shipped scenarios write their
    events; a section the file lacks is added at its end. Entries already there are not
    touched.

    Parameters
    ----------
    text
        A scenario file's YAML text (already checked by the safe loader).
    sources
        Source id → its fields; ids already in the file are left alone.
    events, reactions
        Entries appended to the ``events`` and ``reactions`` lists.
    comment
        A comment written before the first entry appended to each list (e.g. where the
        entries come from).

    Returns
    -------
    str
        The edited YAML text.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    yaml = YAML(typ="rt")
    yaml.width = 1 << 30
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)

    def flow(entry: Mapping[str, Any]) -> CommentedMap:
        out = CommentedMap()
        for key, value in entry.items():
            if isinstance(value, list):
                seq = CommentedSeq(value)
                seq.fa.set_flow_style()
                out[key] = seq
            elif isinstance(value, str) and key in (
                "text",
                "quote",
                "title",
                "note",
                "url",
                "publisher",
            ):
                out[key] = DoubleQuotedScalarString(value)
            elif isinstance(value, str) and key == "date":
                out[key] = dt.date.fromisoformat(value)
            else:
                out[key] = value
        out.fa.set_flow_style()
        return out

    if sources:
        section = data.get("sources")
        if section is None:
            section = CommentedMap()
            data["sources"] = section
        for sid, fields in sources.items():
            if sid not in section:
                section[sid] = flow(fields)
    for name, entries in (("events", events), ("reactions", reactions)):
        if not entries:
            continue
        seq = data.get(name)
        if seq is None:
            seq = CommentedSeq()
            data[name] = seq
        first = len(seq)
        for entry in entries:
            seq.append(flow(entry))
        if comment:
            seq.yaml_set_comment_before_after_key(first, before=comment, indent=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
