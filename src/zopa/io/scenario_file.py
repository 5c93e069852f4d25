"""Reading scenario files, with every problem reported as ``file:line:column: field: message``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from zopa.io.yaml_tree import (
    MAX_BYTES,
    Mark,
    YamlDocument,
    YamlReadError,
    check_bytes,
    check_text,
    read_yaml,
)

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from zopa.model.scenario import Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file.

    Attributes
    ----------
    file
        The file name as given.
    mark
        Line and column (1-based), when known.
    field
        The dotted path of the field, e.g. ``preferences.UA.weights.nato``; empty for the file.
    message
        What is wrong and what was expected.
    """

    file: str
    mark: Mark | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.mark.line}:{self.mark.column}" if self.mark else self.file
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{what} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form."""
        return {
            "file": self.file,
            "line": self.mark.line if self.mark else None,
            "column": self.mark.column if self.mark else None,
            "field": self.field,
            "message": self.message,
        }


class ScenarioError(Exception):
    """A scenario file could not be read or is not valid; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def field_path(path: tuple[str | int, ...]) -> str:
    """Format a path as ``a.b[2].c``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[str | int, ...], bool]:
    """Keep the parts of a pydantic ``loc`` that address the data (drop union/type tags).

    Returns the path and whether its last part names a key absent from the data.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part == loc[-1]:
            return (*path, part), True
    return tuple(path), False


_DATE_ERRORS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "missing":
        return f"missing required field {loc[-1]!r}"
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r} (check its spelling; unknown fields are not allowed)"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {error['input']!r}"
    from zopa.model.base import ID_PATTERN

    if kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == ID_PATTERN.pattern:
        return (
            "not a valid id (letters, digits, '_', '.', '+', '-'; starting with a letter or "
            f"digit), got {_short(error.get('input'))}"
        )
    if kind in _DATE_ERRORS:
        detail = (error.get("ctx") or {}).get("error")
        why = f" ({detail})" if detail else ""
        return f"expected a date written YYYY-MM-DD{why}, got {_short(error.get('input'))}"
    msg = str(error["msg"])
    msg = msg.removeprefix("Value error, ")
    if kind in ("scenario", "number", "uncertain_number", "number_range"):
        return msg
    return f"{msg[:1].lower()}{msg[1:]}, got {_short(error.get('input'))}"


def _short(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):  # as written in YAML
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key_at_fault(error: dict[str, Any], path: tuple[str | int, ...], data: Any) -> bool:
    """Whether a problem is best shown at the key of its entry rather than at the value.

    That is so for an unknown field, for a key that is itself a broken reference (an unknown
    issue id under ``weights``), and for a problem with a whole mapping (whose value starts on
    the line of its first entry when written in block style).
    """
    if error["type"] == "extra_forbidden":
        return True
    if error["type"] == "scenario" and path and error.get("input") == path[-1]:
        return True
    for part in path:
        data = data[part]
    return isinstance(data, dict)


def problems_from_validation(
    exc: ValidationError | list[ErrorDetails], doc: YamlDocument, file: str
) -> list[Problem]:
    """Turn pydantic errors into positioned problems, merging the branches of unions."""
    merged: dict[tuple[str | int, ...], list[str]] = {}
    absent: dict[tuple[str | int, ...], bool] = {}
    at_key: dict[tuple[str | int, ...], bool] = {}
    errors = exc if isinstance(exc, list) else exc.errors(include_url=False)
    for error in errors:
        path, missing_key = _data_path(doc.data, tuple(error["loc"]))
        message = _message(dict(error))
        merged.setdefault(path, [])
        if message not in merged[path]:
            merged[path].append(message)
        absent[path] = missing_key or error["type"] == "missing"
        if not absent[path]:
            at_key[path] = at_key.get(path, False) or _key_at_fault(dict(error), path, doc.data)
    problems = []
    for path, messages in merged.items():
        if absent[path]:
            mark = doc.locate(path[:-1], prefer_key=True)
        else:
            mark = doc.locate(path, prefer_key=at_key[path])
        text = (
            messages[0]
            if len(messages) == 1
            else "expected one of the allowed forms: " + "; or ".join(messages)
        )
        problems.append(Problem(file, mark, field_path(path), text))
    return sorted(
        problems, key=lambda p: (p.mark.line if p.mark else 0, p.mark.column if p.mark else 0)
    )


def parse_scenario(text: str | bytes, file: str = "<scenario>") -> Scenario:
    """Parse and validate a scenario from YAML text.

    Parameters
    ----------
    text
        The YAML text (checked for size and emptiness first; ``bytes`` also for NUL bytes
        and UTF-8).
    file
        The name to use in error messages.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found, each positioned as ``file:line:column``.
    """
    from pydantic import ValidationError

    from zopa.model.scenario import Scenario, scenario_problems

    try:
        text = check_bytes(text) if isinstance(text, bytes) else check_text(text)
        doc = read_yaml(text)
    except YamlReadError as exc:
        raise ScenarioError([Problem(file, exc.mark, field_path(exc.path), exc.message)]) from None
    if not isinstance(doc.data, dict):
        got = type(doc.data).__name__ if doc.data is not None else "nothing"
        raise ScenarioError(
            [Problem(file, doc.locate(()), "", f"expected a mapping of scenario fields, got {got}")]
        )
    try:
        return Scenario.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # a wrong shape stops pydantic before the whole-scenario checks: run them on the rest
    errors += scenario_problems(doc.data, errors)
    raise ScenarioError(problems_from_validation(errors, doc, file))


def load_scenario_file(path: str | FsPath) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    ScenarioError
        When the file cannot be read or is not a valid scenario.
    """
    name = str(path)
    fs = FsPath(path)
    try:
        with fs.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never read more than the limit allows
    except IsADirectoryError:
        raise ScenarioError(
            [Problem(name, None, "", "is a directory: expected a scenario file")]
        ) from None
    except FileNotFoundError:
        raise ScenarioError([Problem(name, None, "", "no such file")]) from None
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, None, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    return parse_scenario(raw, name)
