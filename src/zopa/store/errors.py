"""The errors of the store; both are :class:`zopa.errors.ZopaError`, so the CLI exits 2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.errors import ZopaError

if TYPE_CHECKING:
    from zopa.store.store import VersionInfo


class StoreError(ZopaError):
    """The store cannot be opened or used.

    A bad URL, an unreachable server, a file that is not a SQLite database or is corrupt, a
    database that holds other tables than zopa's, a schema newer than this zopa (or older: the
    message says to run ``zopa db upgrade``). Nothing was written.
    """


class ConflictError(StoreError):
    """A save on a parent version that already has a child: nothing was saved.

    Optimistic locking: each version names its parent, and a parent has at most one child. An
    edit based on ``scenario_id@parent`` is refused when another version was saved on that
    parent meanwhile.

    Parameters
    ----------
    scenario_id
        The scenario.
    parent
        The version number the edit was based on (``None``: the edit was a first version).
    existing
        The version saved on that parent meanwhile.

    Attributes
    ----------
    scenario_id, parent, existing
        As given.
    """

    def __init__(self, scenario_id: str, parent: int | None, existing: VersionInfo) -> None:
        self.scenario_id = scenario_id
        self.parent = parent
        self.existing = existing
        when = existing.created_at.strftime("%Y-%m-%d %H:%M")
        by = f" (by {existing.author} at {when} UTC)" if existing.author else f" (at {when} UTC)"
        if parent is None:
            message = (
                f"{existing.ref} was saved meanwhile{by} as the first version of "
                f"{scenario_id}; your edit was a new scenario: nothing saved; check out "
                f"{existing.ref} and re-apply"
            )
        else:
            base = f"{scenario_id}@{parent}"
            message = (
                f"{existing.ref} was saved on {base} meanwhile{by}; your edit was based on "
                f"{base}: nothing saved; check out {existing.ref} and re-apply"
            )
        super().__init__(message)
