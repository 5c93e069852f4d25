"""Backtests: what the analysis said at each date of the record, against how the talks ended.

A scenario whose talks have ended has an ``outcome:`` section (:class:`zopa.model.scenario.Outcome`):
``agreed`` on a package, or ``broke-down``, with optional interim outcomes (a deal agreed then
rejected...). :func:`zopa.backtest.run.backtest_scenario` replays the record: at every date on
which a proposal or a reaction appeared before the outcome, it takes the scenario *as known
then* (:func:`zopa.space.timeline.dated_scenario`: the proposals, reactions, sources, reported
shifts of walk-away points and outcomes dated later left out, :mod:`zopa.model.as_of`) and asks:

* **acceptable** — under the point assumptions, is the eventual package acceptable to every
  party whose consent it needs (utility at least the walk-away point, exact on the grid of
  :mod:`zopa.space.exact`, as ``zopa evaluate`` decides)?
* **P(acceptable)** — in what share of the samples of the uncertain numbers is it, given the
  reactions known then (the posterior of :mod:`zopa.robust.condition`, as ``zopa robust``
  computes it; the prior on a date before any reaction, or where the ranges cannot explain the
  record, which the report then says)? The package is evaluated by the same robust engine as
  the proposals, side by side with them, so the samples are those of ``zopa robust``.
* **Nash rank** — its rank among the acceptable packages by Nash product ``Π_p (u_p − r_p)``
  over the bargainers (the parties whose consent every package needs, as in
  :mod:`zopa.space.solutions`): 1 is the Nash package; ties share a rank. Exact integer
  products on the grid; spaces above :data:`zopa.backtest.run.MAX_RANKED` packages are not
  ranked (said so).
* **distance to Nash and Kalai–Smorodinsky** — the number of issues on which the package differs
  from the solution's package (with tied solution packages, the nearest): the distance the
  bridging search of :mod:`zopa.space.bridging` counts ("smallest change").
* for a **breakdown**, whether the analysis found *no zone* (margin < 0 under the point
  assumptions) or a *thin* one: a margin below :data:`~zopa.backtest.run.THIN_MARGIN` (0.05 on
  the 0–1 utility scale: the widest package leaves some needed party less than 0.05 above its
  walk-away point), or a zone that exists in fewer than
  :data:`~zopa.backtest.run.THIN_PROBABILITY` (half) of the samples given the reactions known
  then. Otherwise the zone is *wide*.

The analysis at a date is *consistent* with the outcome when an agreed package was acceptable,
a rejected interim package was not, and a breakdown met no zone or a thin one.

What the preferences knew
-------------------------
The preferences were set by an analyst who knew how the talks ended. A good score is therefore
a consistency check of the method — could these additive utilities and walk-away points,
written with hindsight, reproduce the record? — not proof that it foresaw anything. Every report
says so.

To separate what could have been known, :mod:`zopa.backtest.basis` marks each preference number
``basis_dated_before_outcome``: true when its basis cites at least one source and every cited
source is dated before the outcome. The backtest is then reported a second time, the
**dated-only run**: the robust run in which only the uncertain numbers dated before the
outcome vary, every other number held at its point value. This is the method the issue
suggested, chosen over the alternatives for a stated reason: varying the hindsight numbers
instead (over their ranges, or over their whole domain) would either reuse ranges written with
hindsight or drown every conclusion in noise of our own making. The dated-only run answers a
narrower, well-defined question: *taking the hindsight numbers as the analyst set them, how much
does the verdict still depend on the numbers that could have been set before?* It is not a
forecast from pre-outcome information alone, and the report says so. Besides it, each sampled
conclusion lists the inputs it hinges on most (|Spearman ρ|) with their dating, and says when the
one it hinges on most is a number not dated before the outcome (``hinges_on_hindsight``).
"""

from zopa.backtest.basis import NumberBasis, number_bases
from zopa.backtest.run import (
    THIN_MARGIN,
    THIN_PROBABILITY,
    BacktestSettings,
    DateCheck,
    ScenarioBacktest,
    Target,
    TargetBacktest,
    backtest_scenario,
)

HONESTY = (
    "The preferences were set by an analyst who knew how these talks ended, so a good score is "
    "a consistency check of the method, not proof of foresight. Numbers whose basis cites only "
    "sources dated before the outcome are marked basis_dated_before_outcome: true; the "
    "figures marked 'dated' vary those numbers alone, the others held at the analyst's values."
)
"""The statement every backtest report carries."""

__all__ = [
    "HONESTY",
    "THIN_MARGIN",
    "THIN_PROBABILITY",
    "BacktestSettings",
    "DateCheck",
    "NumberBasis",
    "ScenarioBacktest",
    "Target",
    "TargetBacktest",
    "backtest_scenario",
    "number_bases",
]
