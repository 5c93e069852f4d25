"""The scenarios a workspace has open, in memory, and the results computed on them.

A scenario is named in every address by a key (``?s=``): an embedded id (``berlin-2025-12``),
``start`` for the one the server was started on, ``u-<hash>`` for a scenario a client opened
(uploaded or pasted; its key is a hash of its text, so the same text gets the same key and a
link to it works for whoever has opened it), or ``db:ID@N`` for a version in the store
(:mod:`zopa.store`; versions are immutable, so a key names one text for good). Nothing is read from a path a client names. The
scenario as known on a date (``?as_of=``) is cut once and kept, so that repeated requests on it
share one immutable :class:`~zopa.model.scenario.Scenario` object, and the facade's caches (the
compiled space, the engine) apply.

Analyses that take a while and depend only on the scenario (the overview's analysis) are kept
per scenario and date in :class:`Memo`, computed once even when many requests ask at once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from zopa.errors import UnknownId

if TYPE_CHECKING:
    from zopa.model.as_of import AsOfCut
    from zopa.model.scenario import Scenario

T = TypeVar("T")
START = "start"
STORED = "db:"


@dataclass(frozen=True)
class Opened:
    """A scenario the workspace holds: its key, file name, YAML text and validated model."""

    key: str
    name: str
    text: str
    scenario: Scenario


class Memo(Generic[T]):
    """A bounded, thread-safe cache that computes each value once, however many ask at once.

    Parameters
    ----------
    size
        How many values are kept (least recently used dropped first).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the value for ``key``, computing it with ``compute()`` when it is missing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._locks.pop(key, None)
            with self._lock:
                self._values[key] = value
                self._values.move_to_end(key)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
            return value

    def peek(self, key: Hashable) -> T | None:
        """Return the value kept for ``key``, or None (computing nothing)."""
        with self._lock:
            return self._values.get(key)


def text_key(text: str) -> str:
    """The key of an opened scenario: ``u-`` and the start of its text's SHA-256."""
    return "u-" + hashlib.sha256(text.encode()).hexdigest()[:16]


class Shelf:
    """The open scenarios, by key, and their cuts by date.

    Parameters
    ----------
    start
        The scenario the server was started on.
    size
        How many opened (uploaded) scenarios are kept.
    """

    def __init__(
        self, start: Opened, size: int, stored: Callable[[str], str] | None = None
    ) -> None:
        self.start = start
        self.stored = stored
        self._opened: Memo[Opened] = Memo(size)
        self._cuts: Memo[AsOfCut] = Memo(64)

    def open_text(self, text: str, name: str) -> Opened:
        """Validate YAML text with zopa's loader and keep it; return it with its key.

        Raises
        ------
        zopa.ScenarioError
            With every problem located at its line and column.
        """
        from zopa.io.scenario_file import parse_scenario

        scenario = parse_scenario(text, name)
        key = text_key(text)
        return self._opened.get(key, lambda: Opened(key, name, text, scenario))

    def get(self, key: str | None) -> Opened:
        """Return the scenario of a key (the start scenario for None).

        Raises
        ------
        zopa.UnknownId
            For a key that names nothing open.
        """
        if key is None or key == START:
            return self.start
        if key.startswith(STORED) and self.stored is not None:
            return self._opened.get(key, lambda: self._checkout(key))
        if key.startswith("u-"):
            return self._opened.get(key, lambda: _forgotten(key))
        from zopa.catalog import embedded_ids, embedded_text

        if key not in embedded_ids():
            raise UnknownId("scenario", key, [START, *embedded_ids()], parameter="s")
        return self._opened.get(key, lambda: _embedded(key, embedded_text(key).decode()))

    def _checkout(self, key: str) -> Opened:
        from zopa.io.scenario_file import parse_scenario

        ref = key.removeprefix(STORED)
        assert self.stored is not None
        text = self.stored(ref)
        return Opened(key, ref, text, parse_scenario(text, ref))

    def cut(self, key: str | None, as_of: str | None) -> tuple[Opened, AsOfCut | None]:
        """Return the scenario of a key and, for a date, the scenario as known then.

        Raises
        ------
        zopa.UsageError
            For a bad date (not ``YYYY-MM-DD``, or before the scenario's first proposal).
        """
        opened = self.get(key)
        if not as_of:
            return opened, None
        from zopa.model.as_of import as_of_cut

        return opened, self._cuts.get(
            (opened.key, as_of), lambda: as_of_cut(opened.scenario, as_of)
        )

    def scenario(self, key: str | None, as_of: str | None) -> Scenario:
        """The scenario of a key as known on ``as_of`` (the whole scenario when None)."""
        opened, cut = self.cut(key, as_of)
        return opened.scenario if cut is None else cut.scenario


def _forgotten(key: str) -> Opened:
    raise UnknownId(
        "scenario",
        key,
        [START],
        parameter="s",
        context=": not open in this workspace any more (open the file again)",
    )


def _embedded(key: str, text: str) -> Opened:
    from zopa.io.scenario_file import parse_scenario

    return Opened(key, f"{key}.yaml", text, parse_scenario(text, f"<embedded>/{key}.yaml"))


def opened_from_source(source: str | None) -> Opened:
    """Open the scenario the operator named when starting the server (an id or a file).

    Raises
    ------
    zopa.ScenarioError, zopa.UnknownId
        When the file is missing or invalid, or the id names nothing.
    """
    from pathlib import Path

    from zopa.catalog import DEFAULT, embedded_ids, embedded_text
    from zopa.io.scenario_file import parse_scenario

    name = source or DEFAULT
    path = Path(name)
    if not path.exists() and name in embedded_ids():
        text = embedded_text(name).decode()
        return Opened(START, f"{name}.yaml", text, parse_scenario(text, f"<embedded>/{name}.yaml"))
    if not path.exists():
        import zopa.api

        zopa.api.load(name)  # raises the facade's error for an unknown id or missing file
    from zopa.io.yaml_tree import MAX_BYTES

    raw = path.read_bytes()[: MAX_BYTES + 1]
    scenario = parse_scenario(raw, name)
    return Opened(START, path.name, raw.decode("utf-8"), scenario)


def describe(opened: Opened) -> dict[str, Any]:
    """The few facts every page shows about the open scenario."""
    s = opened.scenario
    return {"key": opened.key, "name": opened.name, "id": s.id, "title": s.title}
