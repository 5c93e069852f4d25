"""Whether the point values of the assumptions agree with what the parties said.

A reaction (:class:`zopa.model.scenario.Reaction`) is a party's public stance on a proposal. At
the point value of every assumption the analysis has each party's utility of each proposal and
its walk-away point; their difference is the party's *slack* on the proposal. A reaction is
*consistent* with the assumptions when its stance is at least as likely as not given that slack
(:func:`zopa.evidence.likelihood.consistent`): ``accepts`` needs the utility to reach the
walk-away point, ``rejects`` to fall short of it, ``basis-for-talks`` a slack above -0.1 and
``unacceptable-as-is`` a slack below +0.1.

For the hard stances the sign of the slack is the exact one of the analysis (its ``accepted``
verdict, decided on the exact grid of :mod:`zopa.space.exact`), so that a utility equal to the
walk-away point is an acceptance here as everywhere else.

Nothing here samples: :mod:`zopa.robust` conditions the uncertain inputs on the reactions; this
module says which reactions the point values alone contradict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zopa.evidence.likelihood import HARD, likelihood

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.space.results import PackageVerdict


def _round(x: float) -> float:
    return round(float(x), 6)


@dataclass(frozen=True)
class ReactionCheck:
    """One reaction set against the point values of the assumptions.

    Attributes
    ----------
    index
        The reaction's position in the scenario's ``reactions`` list.
    date
        The reaction's date (ISO).
    party, proposal, stance
        Who said what of which proposal.
    proposal_title
        The proposal's title.
    source
        The source ids of the reaction.
    quote
        The words reported, when given.
    utility
        The party's utility of the proposal (its package, undecided issues at their if-silent
        option), at the point values.
    reservation
        The party's walk-away point, at its point value.
    slack
        Utility minus walk-away point (negative: the proposal falls short), computed exactly.
    accepted
        Whether the utility reaches the walk-away point (exact).
    likelihood
        ``P(stance | slack)`` (:func:`zopa.evidence.likelihood.likelihood`).
    consistent
        Whether the stance is at least as likely as not given the slack.
    """

    index: int
    date: str
    party: str
    proposal: str
    proposal_title: str
    stance: str
    source: list[str]
    quote: str | None
    utility: float
    reservation: float
    slack: float
    accepted: bool
    likelihood: float
    consistent: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (utilities rounded to six decimals)."""
        return {
            "date": self.date,
            "party": self.party,
            "proposal": self.proposal,
            "stance": self.stance,
            "source": list(self.source),
            "quote": self.quote,
            "consistent": self.consistent,
            "utility": _round(self.utility),
            "reservation": _round(self.reservation),
            "slack": _round(self.slack),
            "likelihood": _round(self.likelihood),
        }


def check_reactions(
    scenario: Scenario, verdicts: Mapping[str, PackageVerdict]
) -> list[ReactionCheck]:
    """Set every reaction of a scenario against the verdicts on the proposals.

    Parameters
    ----------
    scenario
        A validated scenario (each reaction's party has preferences, its proposal exists).
    verdicts
        The verdict on the package of every proposal a reaction names, by proposal id (as
        :func:`zopa.space.analysis.evaluate_package` returns it: each party's utility and
        walk-away point, also for a party whose consent the proposal does not need).

    Returns
    -------
    list of ReactionCheck
        One per reaction, in the scenario's order.

    Raises
    ------
    KeyError
        For a proposal without a verdict, or a party the verdict does not rate.
    """
    checks = []
    for i, reaction in enumerate(scenario.reactions):
        verdict = verdicts[reaction.proposal]
        rated = {v.party: v for v in verdict.parties}
        party = rated[reaction.party]
        slack = party.slack if party.slack is not None else party.utility - party.reservation
        if reaction.stance in HARD:
            agrees = party.accepted == (reaction.stance == "accepts")
            p = 1.0 if agrees else 0.0
        else:
            p = float(likelihood(reaction.stance, slack))
        checks.append(
            ReactionCheck(
                index=i,
                date=str(reaction.date),
                party=reaction.party,
                proposal=reaction.proposal,
                proposal_title=scenario.proposals[reaction.proposal].title,
                stance=reaction.stance,
                source=list(reaction.source),
                quote=reaction.quote,
                utility=party.utility,
                reservation=party.reservation,
                slack=slack,
                accepted=party.accepted,
                likelihood=p,
                consistent=p >= 0.5,
            )
        )
    return checks
