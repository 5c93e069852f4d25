"""References to stored versions: ``ID@N``, ``ID@latest``.

A bare ``ID`` is a reference too, but only where it names no file and no embedded scenario;
:func:`zopa.load` decides that (file, embedded id, then the store).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"^(?P<id>[^@\s/\\]+)@(?P<version>[0-9]+|latest)$")


@dataclass(frozen=True)
class Ref:
    """A reference to a stored version.

    Attributes
    ----------
    scenario_id
        The scenario's id.
    number
        The version number (``None``: the latest).
    """

    scenario_id: str
    number: int | None = None

    def __str__(self) -> str:
        return f"{self.scenario_id}@{'latest' if self.number is None else self.number}"


def parse_ref(text: str) -> Ref | None:
    """Read ``ID@N`` (N ≥ 1) or ``ID@latest``; None for text of another form.

    Examples
    --------
    >>> parse_ref("berlin@3")
    Ref(scenario_id='berlin', number=3)
    >>> parse_ref("berlin@latest")
    Ref(scenario_id='berlin', number=None)
    >>> parse_ref("berlin@0") is None, parse_ref("scenario.yaml") is None
    (True, True)
    """
    match = _REF.match(text.strip())
    if match is None:
        return None
    version = match["version"]
    if version == "latest":
        return Ref(match["id"])
    number = int(version)
    return Ref(match["id"], number) if number >= 1 else None
