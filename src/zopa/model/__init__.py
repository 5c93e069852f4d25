"""Pure, validated scenario data: parties, issues, preferences, proposals, events, sources.

And the strategic model: a conflict in option form, for the graph model.
"""

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
from zopa.model.strategic import DecisionMaker, StrategicModel, StrategicPreference

__all__ = [
    "DecisionMaker",
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
    "StrategicModel",
    "StrategicPreference",
    "Term",
    "Uncertain",
    "point",
]
