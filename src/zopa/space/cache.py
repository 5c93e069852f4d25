"""A small cache of what is built from a scenario, keyed by the scenario object itself.

Scenarios are immutable (frozen pydantic models), so whatever is computed from one — its
compiled space, an engine over it, its :class:`~zopa.space.compile.SpaceTemplate` — stays valid
as long as the object lives. Front ends that ask many questions of the same scenario (the web
workspace's package builder, a notebook) then pay for compilation once.

Entries are keyed by ``(id(scenario), key)``; each entry holds the scenario object itself and
is used only when it *is* the object asked about, so an id reused by another object after the
first one was freed can never return a stale entry (and holding the object keeps its id from
being reused while the entry lives). The cache is a bounded LRU, safe to use from several
threads: lookups and insertions take a lock; building a missing value does not (two threads
may then build the same value once each; the first one stored is kept and returned to both).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")

SIZE = 32
"""Entries kept by :data:`CACHE` (a few kinds of value for each of a few scenarios)."""


class ScenarioCache:
    """A bounded, thread-safe LRU of values built from objects, keyed by object identity.

    Parameters
    ----------
    size
        The most entries kept; the least recently used goes first.

    Examples
    --------
    >>> cache = ScenarioCache(2)
    >>> thing = object()
    >>> cache.get(thing, "n", lambda: 41) + 1
    42
    >>> cache.get(thing, "n", lambda: 0)  # built once
    41
    """

    def __init__(self, size: int = SIZE) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self.size = size
        self._entries: OrderedDict[tuple[int, str], tuple[object, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def get(self, owner: object, key: str, build: Callable[[], T]) -> T:
        """Return the value ``build()`` gives for ``owner`` under ``key``, built at most once.

        Parameters
        ----------
        owner
            The (immutable) object the value is computed from; compared by identity.
        key
            What is cached for it (one owner may have several values).
        build
            Computes the value when it is not cached; an exception it raises is not cached.

        Returns
        -------
        The cached value, or the new one.
        """
        slot = (id(owner), key)
        with self._lock:
            entry = self._entries.get(slot)
            if entry is not None and entry[0] is owner:
                self._entries.move_to_end(slot)
                return cast(T, entry[1])
        value = build()
        with self._lock:
            entry = self._entries.get(slot)
            if entry is not None and entry[0] is owner:  # another thread was first
                self._entries.move_to_end(slot)
                return cast(T, entry[1])
            self._entries[slot] = (owner, value)
            self._entries.move_to_end(slot)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


CACHE = ScenarioCache()
"""The cache the facade's repeated evaluations share (:func:`zopa.space.analysis.prepared`)."""
