"""Pure, validated scenario data: parties, issues, preferences, proposals, events, sources.

And the strategic model: a conflict in option form, for the graph model; and the view of a
scenario as known on an earlier date (:func:`scenario_as_of`).
"""

from zopa.model.as_of import AsOfCut, as_of_cut, scenario_as_of
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
    "AsOfCut",
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
    "as_of_cut",
    "point",
    "scenario_as_of",
]
