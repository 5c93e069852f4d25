"""Actor tables for the forecasting engines: read and check a CSV of actors.

The CSV has one row per actor and the columns ``actor, capability, position, salience`` (headers
case-insensitive, in any order; other columns are ignored). Capability is a non-negative number
on any scale (only ratios matter); position is any finite number on the issue scale; salience is
on 0–1 or on 0–100: if any salience exceeds 1, every salience is divided by 100, and the table
records which scale was detected (``salience_scale``) so results can state it.

At most :data:`~zopa.forecast.numerics.MAX_ACTORS` actors (rows) and :data:`MAX_BYTES` bytes
are accepted. Every number must be finite (``nan``, ``inf`` and numbers beyond the largest float,
such as ``1e400``, are refused). Every problem is reported as ``file:line: column 'name': what was expected`` in a
:class:`ForecastDataError`; the command line prints it and exits with code 2.

Shipped example
    ``ec-car-emissions``: the European Community's decision on car-emission standards, from
    Bueno de Mesquita (1994, table 1), reprinted by Scholz, Calbert & Smith (2011, table 1):
    capability, position (4 = the lax standard … 10 = the strict US standard) and salience
    (0–100) of the twelve-member Community's ten actors in the data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from zopa.forecast.numerics import MAX_ACTORS

COLUMNS = ("actor", "capability", "position", "salience")
MAX_BYTES = 16 * 2**20
"""Largest actor file read (far more than :data:`~zopa.forecast.numerics.MAX_ACTORS` rows need)."""
EMBEDDED = ("ec-car-emissions",)


class ForecastDataError(ValueError):
    """A problem with an actor table, located as ``file:line``."""


@dataclass(frozen=True)
class ActorTable:
    """Actors with their capability, position and salience (salience on 0–1).

    Attributes
    ----------
    actors
        Actor names, unique, in file order.
    capability, position, salience
        Float arrays of shape ``(n,)``; salience already rescaled to 0–1.
    salience_scale
        ``"0-1"`` or ``"0-100"``: the scale detected in the input.
    source
        Where the table came from (a path or an embedded id).
    """

    actors: tuple[str, ...]
    capability: npt.NDArray[np.float64]
    position: npt.NDArray[np.float64]
    salience: npt.NDArray[np.float64]
    salience_scale: str = "0-1"
    source: str = "<data>"

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Capability × salience."""
        return self.capability * self.salience


def _number(text: str, where: str, column: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ForecastDataError(
            f"{where}: column {column!r}: expected {what}, got {text!r}"
        ) from None
    if not np.isfinite(value):
        raise ForecastDataError(
            f"{where}: column {column!r}: expected {what}, got {text!r} (not a finite number)"
        )
    return value


def parse_actors(text: str, source: str = "<data>") -> ActorTable:
    """Parse the text of an actor CSV.

    Parameters
    ----------
    text
        The CSV text (first row: headers).
    source
        The name used in error messages and recorded in the table.

    Returns
    -------
    ActorTable

    Raises
    ------
    ForecastDataError
        With ``source:line: column 'name': ...`` for the first problem found.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ForecastDataError(f"{source}:{line}: a NUL byte: expected a text CSV file")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    lines: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                lines.append((reader.line_num, row))
                if len(lines) > MAX_ACTORS + 1:
                    break  # reported below, with the line
    except csv.Error as exc:
        raise ForecastDataError(f"{source}:{reader.line_num}: malformed CSV: {exc}") from None
    if not lines:
        raise ForecastDataError(
            f"{source}:1: empty file: expected a header row {', '.join(COLUMNS)}"
        )
    header_line, header = lines[0]
    names = [h.strip().lower() for h in header]
    index: dict[str, int] = {}
    for pos, name in enumerate(names):
        if name in COLUMNS:
            if name in index:
                raise ForecastDataError(f"{source}:{header_line}: column {name!r} appears twice")
            index[name] = pos
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise ForecastDataError(
            f"{source}:{header_line}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} (expected headers {', '.join(COLUMNS)}, "
            f"got {', '.join(repr(h) for h in header)})"
        )
    actors: list[str] = []
    values: dict[str, list[float]] = {c: [] for c in COLUMNS[1:]}
    seen: dict[str, int] = {}
    for line, row in lines[1:]:
        where = f"{source}:{line}"
        if len(actors) == MAX_ACTORS:
            raise ForecastDataError(
                f"{where}: more than {MAX_ACTORS} actors: a forecast accepts at most "
                f"{MAX_ACTORS} (the documented limit)"
            )
        if len(row) < len(header):
            raise ForecastDataError(
                f"{where}: expected {len(header)} fields like the header, got {len(row)}"
            )
        name = row[index["actor"]].strip()
        if not name:
            raise ForecastDataError(f"{where}: column 'actor': expected a name, got nothing")
        if name in seen:
            raise ForecastDataError(
                f"{where}: column 'actor': {name!r} already given on line {seen[name]}"
            )
        seen[name] = line
        actors.append(name)
        cap = _number(row[index["capability"]].strip(), where, "capability", "a number ≥ 0")
        if cap < 0:
            raise ForecastDataError(
                f"{where}: column 'capability': expected a number ≥ 0, got {cap:g}"
            )
        sal = _number(row[index["salience"]].strip(), where, "salience", "a number in 0–1 or 0–100")
        if not 0 <= sal <= 100:
            raise ForecastDataError(
                f"{where}: column 'salience': expected a number in 0–1 or 0–100, got {sal:g}"
            )
        values["capability"].append(cap)
        values["salience"].append(sal)
        values["position"].append(
            _number(row[index["position"]].strip(), where, "position", "a finite number")
        )
    if not actors:
        raise ForecastDataError(
            f"{source}:{header_line}: no actors: expected rows after the header"
        )
    salience = np.array(values["salience"], dtype=np.float64)
    scale = "0-100" if (salience > 1).any() else "0-1"
    if scale == "0-100":
        salience = salience / 100.0
    capability = np.array(values["capability"], dtype=np.float64)
    if not ((capability > 0) & (salience > 0)).any():  # not the product: it may underflow
        raise ForecastDataError(
            f"{source}: every actor has zero capability or zero salience: expected at least "
            "one actor with both positive"
        )
    return ActorTable(
        actors=tuple(actors),
        capability=capability,
        position=np.array(values["position"], dtype=np.float64),
        salience=salience,
        salience_scale=scale,
        source=source,
    )


def read_actors(path: str | Path) -> ActorTable:
    """Read an actor CSV file, or an embedded table by id (e.g. ``ec-car-emissions``).

    Parameters
    ----------
    path
        A file path, or one of :data:`EMBEDDED` when no such file exists.

    Returns
    -------
    ActorTable

    Raises
    ------
    ForecastDataError
        If the file cannot be read or holds a bad table.
    """
    p = Path(path)
    if not p.exists() and str(path) in EMBEDDED:
        ref = resources.files("zopa.forecast") / "data" / f"{path}.csv"
        return parse_actors(ref.read_text(encoding="utf-8"), source=str(path))
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ForecastDataError(
                f"{path}: {size:,} bytes: an actor table may have at most {MAX_ACTORS} rows and "
                f"{MAX_BYTES // 2**20} MiB"
            )
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ForecastDataError(f"{path}: cannot read: {exc}") from None
    return parse_actors(text, source=str(path))
