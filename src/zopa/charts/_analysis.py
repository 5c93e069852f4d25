"""What the analysis charts share: party and proposal labels, option checks, number words.

The analysis charts (:mod:`zopa.charts.gaps`, :mod:`zopa.charts.space`,
:mod:`zopa.charts.bridging`) draw results of ``zopa analyze`` (kind ``analysis``) and
``zopa evaluate`` (kind ``evaluation``); these helpers read both the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zopa.errors import UnknownId, UsageError

SHORT_NAME = 16
"""Party names longer than this are shown by their id on axes and in titles."""

AD_HOC = "ad-hoc"
"""The id an evaluated package goes by."""


def party_names(result: Any) -> dict[str, str]:
    """Party id to display name, every party of the scenario in order."""
    return {pid: p.name for pid, p in result.scenario.parties.items()}


def short_name(pid: str, names: dict[str, str]) -> str:
    """A party's name when short enough for an axis or a title, else its id."""
    name = names.get(pid, pid)
    return name if len(name) <= SHORT_NAME else pid


def possessive(name: str) -> str:
    """``Russia's``, ``United States'``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def short_title(title: str) -> str:
    """A proposal's title without its parenthesised detail ("US 28-point plan (leaked)")."""
    return title.split(" (", 1)[0].strip() or title


def package_text(package: dict[str, str]) -> str:
    """A package as ``issue=option`` pairs (tooltips)."""
    return "; ".join(f"{issue}={option}" for issue, option in package.items())


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def sentence(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def verdicts(result: Any) -> list[tuple[str, str, Any]]:
    """``(id, label, PackageVerdict)`` of each proposal (analysis) or the package (evaluation)."""
    if result.kind == "evaluation":
        return [(AD_HOC, "the ad-hoc package", result.verdict)]
    return [(p.id, short_title(p.title), p.verdict) for p in result.result.proposals]


def bridgings(result: Any) -> dict[str, Any]:
    """Proposal id to its :class:`~zopa.space.results.Bridging`."""
    if result.kind == "evaluation":
        return {AD_HOC: result.bridging}
    return dict(result.result.bridging)


def focus(result: Any) -> str | None:
    """The proposal a chart leads with: the analysis's focus, or the evaluated package."""
    return AD_HOC if result.kind == "evaluation" else result.result.focus


def choose_proposal(result: Any, proposal: str | None, usable: Sequence[str]) -> str:
    """The proposal a chart shows: ``proposal`` when given, else the focus if usable.

    Parameters
    ----------
    result
        An analysis or evaluation result.
    proposal
        The proposal asked for (None: the default).
    usable
        The proposals this chart can show, in order; the default falls back to the first.

    Raises
    ------
    zopa.UnknownId
        For a proposal that is not analysed, or one this chart cannot show.
    """
    ids = [pid for pid, _, _ in verdicts(result)]
    if proposal is None:
        chosen = focus(result)
        return chosen if chosen is not None and chosen in usable else usable[0]
    if proposal not in ids:
        raise UnknownId("proposal", proposal, ids, parameter="chart_proposal")
    if proposal not in usable:
        raise UnknownId(
            "proposal", proposal, usable, parameter="chart_proposal", context="for this chart"
        )
    return proposal


def check_parties(
    given: Sequence[str] | str | None,
    valid: Sequence[str],
    *,
    kind: str = "party",
    count: int | None = None,
    least: int = 1,
    chart: str = "this chart",
    context: str | None = None,
) -> list[str] | None:
    """Check a chart's ``parties`` option: known ids, none twice, how many.

    Parameters
    ----------
    given
        The option (a party id, or several); None passes through.
    valid
        The parties it may name.
    kind
        What the parties are, for the message (``party``, ``rejecting party``).
    count
        Exactly this many when given.
    least
        At least this many.
    chart
        The chart, for the message ("the space chart").
    context
        Words after an unknown id in its message (e.g. ``"of kyiv-2025-12-14"``).

    Raises
    ------
    zopa.UnknownId
        For an id not in ``valid``.
    zopa.UsageError
        For a party named twice, or the wrong number of parties.
    """
    if given is None:
        return None
    chosen = [given] if isinstance(given, str) else list(given)
    for p in chosen:
        if p not in valid:
            raise UnknownId(kind, p, valid, parameter="chart_parties", context=context)
    for p in chosen:
        if chosen.count(p) > 1:
            raise UsageError(f"{p} is named twice", parameter="chart_parties")
    if count is not None and len(chosen) != count:
        raise UsageError(
            f"{chart} needs {count} parties, got {len(chosen)}", parameter="chart_parties"
        )
    if len(chosen) < least:
        raise UsageError(
            f"{chart} needs at least {least} parties, got {len(chosen)}",
            parameter="chart_parties",
        )
    return chosen


def num(x: float) -> float:
    """A utility for a chart's data (plain float, rounded to 6 decimals)."""
    return round(float(x), 6)


def amount(x: float) -> str:
    """A utility difference for a title: two decimals, three when it is below 0.01."""
    return f"{x:.2f}" if abs(x) >= 0.01 else f"{x:.3f}"
