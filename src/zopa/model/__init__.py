"""Pure, validated scenario data: parties, issues, preferences, proposals, events, sources."""

from zopa.model.numbers import Uncertain, point
from zopa.model.scenario import (
    Event,
    Issue,
    NumericRange,
    Option,
    Party,
    Piecewise,
    Preferences,
    Proposal,
    Scenario,
    Source,
    Term,
)

__all__ = [
    "Event",
    "Issue",
    "NumericRange",
    "Option",
    "Party",
    "Piecewise",
    "Preferences",
    "Proposal",
    "Scenario",
    "Source",
    "Term",
    "Uncertain",
    "point",
]
