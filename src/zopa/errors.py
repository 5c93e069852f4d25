"""The errors the :mod:`zopa` facade raises.

The hierarchy, so that a caller can catch as broadly or as narrowly as it likes:

- :class:`ZopaError` — the base of the errors defined here.
- :class:`UnknownId` (``ZopaError``, ``LookupError``, ``ValueError``) — an id that names nothing
  in the scenario or the catalog: a scenario id, a proposal, a party, an issue, an option, a
  strategy, a stability concept, a table of ``to_frame``. It lists the valid ids. It is a
  ``LookupError`` because it is a failed look-up (where a dict would raise ``KeyError``) and a
  ``ValueError`` because the value passed was bad, so ``except ValueError`` keeps working.
- :class:`UsageError` (``ZopaError``, ``ValueError``) — arguments that contradict each other or
  that would be silently ignored (e.g. ``variant`` with ``model="median"``).
- :class:`zopa.ScenarioError` — a scenario file that cannot be read or is invalid; its
  ``problems`` list every problem found, each located as ``file:line:column: field: message``.
  It is defined in :mod:`zopa.io.scenario_file` and re-exported by :mod:`zopa`.

Errors the engines raise about the inputs themselves (e.g. a scenario without issues) remain
plain ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable


class ZopaError(Exception):
    """Base class of the errors defined by the :mod:`zopa` facade."""


class UnknownId(ZopaError, LookupError, ValueError):  # noqa: N818 (the name the API promises)
    """An id that names nothing; the message lists the valid ids.

    Parameters
    ----------
    kind
        What the id should name: ``"scenario"``, ``"proposal"``, ``"party"``, ``"issue"``, ...
    value
        The id given.
    valid
        The ids that would have been accepted.
    parameter
        The facade argument the id came from (e.g. ``"by"``), when there is one; front ends use
        it to name their own option.
    context
        Optional words placed after the id, e.g. ``"for issue nato"``.

    Attributes
    ----------
    kind, value, valid, parameter
        As given (``valid`` as a tuple).
    """

    def __init__(
        self,
        kind: str,
        value: object,
        valid: Iterable[str],
        *,
        parameter: str | None = None,
        context: str | None = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.valid = tuple(valid)
        self.parameter = parameter
        where = (context if context[:1] in ":,;" else f" {context}") if context else ""
        expected = ", ".join(self.valid) if self.valid else "none"
        super().__init__(f"unknown {kind} {value!r}{where} (expected one of: {expected})")

    def __str__(self) -> str:
        return str(self.args[0])


class UsageError(ZopaError, ValueError):
    """Arguments that contradict each other or would be silently ignored.

    Parameters
    ----------
    message
        What is wrong, naming the arguments involved.
    parameter
        The facade argument at fault, when there is a single one.
    """

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter
