"""Draw a negotiation's offer trace in utility space, with the Pareto frontier and the Nash package.

Two parties' utilities are the axes (by default the first two bargainers). The figure shows the
Pareto frontier of all packages projected on those two parties (the packages no other package
beats for both), each party's walk-away point at the start and, if it moved, at the end of the
talks, every offer in order (one colour per proposer, joined by a thin line in time order), the
agreement (a star) and the Nash package (a diamond). Written with matplotlib's non-interactive Agg
backend as PNG or SVG, chosen by the file's suffix.
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
        The figure's title.
    """

    parties: tuple[str, str]
    offers: Sequence[tuple[str, float, float]]
    frontier: NDArray[np.float64]
    reservation_start: tuple[float, float]
    reservation_end: tuple[float, float]
    agreement: tuple[float, float] | None
    nash: tuple[float, float] | None
    title: str


def default_axes(data: dict[str, Any]) -> tuple[str, str]:
    """The two parties a simulation's plot shows by default: the first two bargainers.

    Parties that are not bargainers fill in when there are fewer than two.
    """
    first, second = list(dict.fromkeys([*data["bargainers"], *data["parties"]]))[:2]
    return first, second


def trace_plot(
    data: dict[str, Any], frontier: NDArray[np.float64], axes: tuple[str, str], title: str
) -> TracePlot:
    """Project a simulation's JSON (:meth:`SimulationResult.to_dict`) on two parties."""
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
        title=title,
    )


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

    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=120)
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
    (rx0, ry0), (rx1, ry1) = plot.reservation_start, plot.reservation_end
    ax.axvline(rx0, color="black", ls="--", lw=1, label=f"{x_party} walk-away (start)")
    ax.axhline(ry0, color="dimgray", ls="-.", lw=1, label=f"{y_party} walk-away (start)")
    if (rx1, ry1) != (rx0, ry0):
        ax.axvline(rx1, color="black", ls=":", lw=1.2, label=f"{x_party} walk-away (end)")
        ax.axhline(ry1, color="dimgray", ls=":", lw=1.2, label=f"{y_party} walk-away (end)")
    if plot.offers:
        xs = [o[1] for o in plot.offers]
        ys = [o[2] for o in plot.offers]
        ax.plot(xs, ys, color="0.7", lw=0.6, alpha=0.5, zorder=2)
        proposers = list(dict.fromkeys(o[0] for o in plot.offers))
        colours = matplotlib_colours(len(proposers))
        for proposer, colour in zip(proposers, colours, strict=True):
            mine = [(x, y) for p, x, y in plot.offers if p == proposer]
            ax.scatter(
                [m[0] for m in mine],
                [m[1] for m in mine],
                s=28,
                color=colour,
                edgecolor="black",
                linewidth=0.4,
                zorder=3,
                label=f"offers by {proposer}",
            )
    if plot.nash is not None:
        ax.scatter(*plot.nash, marker="D", s=80, color="gold", edgecolor="black", zorder=4)
        ax.annotate("Nash", plot.nash, xytext=(6, -12), textcoords="offset points")
    if plot.agreement is not None:
        ax.scatter(
            *plot.agreement, marker="*", s=260, color="limegreen", edgecolor="black", zorder=5
        )
        ax.annotate("agreement", plot.agreement, xytext=(8, 6), textcoords="offset points")
    ax.set_xlabel(f"utility of {x_party}")
    ax.set_ylabel(f"utility of {y_party}")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(plot.title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.6)
    ax.legend(loc="lower left", fontsize=7, framealpha=0.85)


def matplotlib_colours(n: int) -> list[str]:
    """Return ``n`` distinct colours of matplotlib's default cycle (repeating past ten)."""
    cycle = [f"C{k}" for k in range(10)]
    return [cycle[k % 10] for k in range(n)]
