"""Draw a negotiation's offer trace in utility space, with the Pareto frontier and the Nash package.

Two parties' utilities are the axes (by default the first two bargainers). The figure shows the
Pareto frontier of all packages projected on those two parties (the packages no other package
beats for both), each party's walk-away point at the start and, if it moved, at the end of the
talks, every offer in order (one colour per proposer, pale early and solid late, joined by a thin
line in time order, with round numbers along it), the agreement (a black star: no proposer has
that colour) and the Nash package (a hollow diamond). The title states the outcome. A legend
entry is shown once per distinct line: a walk-away point that did not move has no "end" entry.
Written with matplotlib's non-interactive Agg backend as PNG or SVG, chosen by the file's
suffix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMATS = (".png", ".svg")


@dataclass(frozen=True)
class TracePlot:
    """What the plot shows, already projected on two parties.

    Attributes
    ----------
    parties
        The two party ids on the x and y axes.
    offers
        ``(proposer, x, y)`` per offer, in order.
    frontier
        ``(k, 2)`` utilities of the two-party Pareto frontier.
    reservation_start, reservation_end
        The two parties' walk-away points in the first and last round.
    agreement, nash
        The agreed package's and the Nash package's utilities, or None.
    title
        The figure's title (the scenario and strategies, then the outcome).
    rounds
        The round of each offer (numbered from 0, as in the simulation's JSON); empty when
        unknown.
    order
        The turn order: the legend lists the proposers in it.
    """

    parties: tuple[str, str]
    offers: Sequence[tuple[str, float, float]]
    frontier: NDArray[np.float64]
    reservation_start: tuple[float, float]
    reservation_end: tuple[float, float]
    agreement: tuple[float, float] | None
    nash: tuple[float, float] | None
    title: str
    rounds: Sequence[int] = ()
    order: Sequence[str] = ()


def default_axes(data: dict[str, Any]) -> tuple[str, str]:
    """The two parties a simulation's plot shows by default: the first two bargainers.

    Parties that are not bargainers fill in when there are fewer than two.
    """
    first, second = list(dict.fromkeys([*data["bargainers"], *data["parties"]]))[:2]
    return first, second


def trace_plot(
    data: dict[str, Any], frontier: NDArray[np.float64], axes: tuple[str, str], title: str
) -> TracePlot:
    """Project a simulation's JSON (:meth:`SimulationResult.to_dict`) on two parties.

    ``title`` gets a second line with the outcome (:func:`outcome`).
    """
    x, y = axes
    walk = data["walk_away"]

    def point(utilities: dict[str, float]) -> tuple[float, float]:
        return utilities[x], utilities[y]

    last = data["agreed_round"] if data["agreed_round"] is not None else data["rounds"] - 1
    return TracePlot(
        parties=(x, y),
        offers=[(o["proposer"], *point(o["utilities"])) for o in data["trace"]],
        frontier=frontier,
        reservation_start=(walk[x][0], walk[y][0]),
        reservation_end=(walk[x][last], walk[y][last]),
        agreement=point(data["final_utilities"]) if data["agreement"] is not None else None,
        nash=point(data["nash"]["utilities"]) if data["nash"] is not None else None,
        title=f"{title}\n{outcome(data)}",
        rounds=[int(o.get("round", 0)) for o in data["trace"]],
        order=list(data.get("order") or []),
    )


def outcome(data: dict[str, Any]) -> str:
    """One line on how the simulated talks ended, for the plot's title."""

    def when(t: int) -> str:
        dates = data.get("dates")
        return f"round {t}" + (f" ({dates[t]})" if dates else "")

    if data.get("agreement") is not None and data.get("agreed_round") is not None:
        return f"Agreement in {when(data['agreed_round'])}"
    if data.get("walked_out"):
        last = data["trace"][-1]["round"] if data["trace"] else 0
        return f"Breakdown: {data['walked_out']} walked out in {when(last)}"
    return f"No agreement by the deadline, {when(data['rounds'] - 1)}"


def write_trace_plot(plot: TracePlot, path: Path) -> None:
    """Write the figure to ``path`` (``.png`` or ``.svg``).

    Raises
    ------
    ValueError
        For any other suffix.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"--plot writes PNG or SVG: {path.name!r} ends in neither .png nor .svg")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 6.5), dpi=120)
    try:
        _draw(ax, plot)
        fig.tight_layout()
        metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
        fig.savefig(path, format=suffix[1:], metadata=metadata)
    finally:
        plt.close(fig)


def _draw(ax: object, plot: TracePlot) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    x_party, y_party = plot.parties
    front = plot.frontier[np.lexsort((plot.frontier[:, 1], plot.frontier[:, 0]))]
    ax.step(front[:, 0], front[:, 1], where="post", color="0.55", lw=1.2, zorder=1)
    ax.scatter(
        front[:, 0],
        front[:, 1],
        s=10,
        color="0.55",
        zorder=1,
        label="Pareto frontier (all packages)",
    )
    for (start, end), party, vertical, style in (
        ((plot.reservation_start[0], plot.reservation_end[0]), x_party, True, "--"),
        ((plot.reservation_start[1], plot.reservation_end[1]), y_party, False, "-."),
    ):
        draw = ax.axvline if vertical else ax.axhline
        colour = "black" if vertical else "dimgray"
        moved = not np.isclose(start, end, rtol=0, atol=1e-9)
        label = f"{party} walk-away" + (" (start)" if moved else "")
        draw(start, color=colour, ls=style, lw=1, label=label)
        if moved:  # a line that would coincide with the start gets no entry of its own
            draw(end, color=colour, ls=":", lw=1.2, label=f"{party} walk-away (end)")
    if plot.offers:
        _draw_offers(ax, plot)
    if plot.nash is not None:
        ax.scatter(
            *plot.nash,
            marker="D",
            s=90,
            facecolor="none",
            edgecolor="black",
            linewidth=1.4,
            zorder=4,
            label="Nash package",
        )
    if plot.agreement is not None:
        ax.scatter(
            *plot.agreement,
            marker="*",
            s=320,
            color=AGREEMENT_COLOUR,
            edgecolor="white",
            linewidth=0.8,
            zorder=5,
            label="agreement",
        )
    ax.set_xlabel(f"utility of {x_party}")
    ax.set_ylabel(f"utility of {y_party}")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(plot.title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.6)
    ax.legend(  # outside the plot: it never hides an offer
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
        fontsize=8,
        title="offers: pale early, solid late;\nnumbers: rounds (from 0)" if plot.offers else None,
        title_fontsize=8,
    )


AGREEMENT_COLOUR = "black"
"""The agreement's star; no proposer is drawn in black or grey."""

PARTY_COLOURS = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8", "C9")
"""matplotlib's default cycle without its grey (C7), which the frontier and lines use."""


def matplotlib_colours(n: int) -> list[str]:
    """Return ``n`` colours for proposers (:data:`PARTY_COLOURS`, repeating past nine)."""
    return [PARTY_COLOURS[k % len(PARTY_COLOURS)] for k in range(n)]


def _draw_offers(ax: Any, plot: TracePlot) -> None:
    """Offers in time order: graded from pale (early) to solid (late), round numbers on the path."""
    from matplotlib.colors import to_rgba

    xs = np.array([o[1] for o in plot.offers])
    ys = np.array([o[2] for o in plot.offers])
    ax.plot(xs, ys, color="0.6", lw=0.7, alpha=0.6, zorder=2)
    known = len(plot.rounds) == len(plot.offers)
    rounds = np.array(list(plot.rounds) if known else range(len(xs)), dtype=np.int64)
    first, last = int(rounds.min()), int(rounds.max())
    span = max(last - first, 1)
    grade = 0.2 + 0.8 * (rounds - first) / span
    seen = list(dict.fromkeys(o[0] for o in plot.offers))
    proposers = [p for p in plot.order if p in seen] + [p for p in seen if p not in plot.order]
    for proposer, colour in zip(proposers, matplotlib_colours(len(proposers)), strict=True):
        mine = np.array([p == proposer for p, _, _ in plot.offers])
        faces = [to_rgba(colour, alpha=float(a)) for a in grade[mine]]
        ax.scatter(
            xs[mine],
            ys[mine],
            s=30,
            c=faces,
            edgecolors=[to_rgba(colour)] * int(mine.sum()),
            linewidths=0.7,
            zorder=3,
        )
        # the legend shows the solid colour, not the first (palest) offer's
        ax.plot([], [], ls="", marker="o", ms=5.5, color=colour, label=f"offers by {proposer}")
    # the round number at the first offer of every few rounds (about eight labels)
    step = max(1, -(-span // 8))
    labelled: set[int] = set()
    spots: set[tuple[int, int]] = set()  # one label per spot: repeated offers overlap
    for k, t in enumerate(rounds.tolist()):
        spot = (round(float(xs[k]) * 100), round(float(ys[k]) * 100))
        if t in labelled or spot in spots or ((t - first) % step and t != last):
            continue
        labelled.add(t)
        spots.add(spot)
        ax.annotate(
            str(t),
            (xs[k], ys[k]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
            color="0.2",
            zorder=6,
        )
