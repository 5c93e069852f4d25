"""Forecast the issues of a scenario's ``forecast:`` section (:mod:`zopa.model.forecast_section`).

Each issue runs on its own: its actors' point values make the deterministic run (the rounds
reported), and with ``samples = N > 0`` the uncertain numbers are sampled ``N`` times and run
through the same vectorised engines along their sample axis.

Sampling (documented choice)
    ``{low, high}`` is uniform on ``[low, high]``; ``{mode, low, high}`` is triangular (inverse
    CDF); a plain number stays fixed. Every number is drawn independently, from one array of
    uniforms of shape ``(3, N, n)`` (capability, position, salience) drawn by
    ``np.random.default_rng([seed, k])`` for the ``k``-th issue of the section (0-based), so an
    issue's draws do not depend on which other issues are run. A sample whose weights ``c·s`` all
    vanish gets the point values back. Positions stay on the scale (the section checks that every
    range lies on it).

Anchors and bands
    The forecast's *nearest anchor* is the labelled point of the scale closest to the forecast
    value (ties: the lower point). With samples, every sampled forecast is counted in a band:
    *at* an anchor (within 1e-9 of the scale's length), or strictly between two neighbouring
    anchors (or between an anchor and an end of the scale).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.forecast.data import ActorTable
from zopa.forecast.eum import Variant
from zopa.forecast.numerics import check_memory, from_unit, unit_interval
from zopa.forecast.results import Forecast
from zopa.forecast.run import Model, forecast
from zopa.model.numbers import Uncertain, point

if TYPE_CHECKING:
    from zopa.model.forecast_section import ForecastIssue
    from zopa.model.scenario import Scenario

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AnchorPoint:
    """A labelled point of an issue's scale."""

    id: str
    label: str
    at: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"id": self.id, "label": self.label, "at": self.at}


@dataclass(frozen=True)
class IssueForecast:
    """The forecast of one issue of a scenario.

    Attributes
    ----------
    issue, name
        The issue id and its name.
    scale
        ``{"min", "max", "unit"}``.
    anchors
        The labelled points, in increasing order.
    result
        The engine's result (the deterministic rounds; quantiles with samples).
    anchor
        The anchor nearest to the forecast value, or None when the issue has no anchors.
    bands
        With samples: ``{"label", "from", "to", "at_anchor", "share"}`` per band, in order.
    draws
        With samples: the sampled ``(capability, position, salience)``, each ``(samples, n)``
        (actors in section order), for sensitivity analyses; not part of the JSON.
    """

    issue: str
    name: str
    scale: dict[str, Any]
    anchors: list[AnchorPoint]
    result: Forecast
    anchor: AnchorPoint | None
    bands: list[dict[str, Any]] | None = field(default=None)
    draws: tuple[FloatArray, FloatArray, FloatArray] | None = field(
        default=None, repr=False, compare=False
    )

    def to_dict(self) -> dict[str, Any]:
        """Return the engine's ``to_dict()`` plus the issue's keys.

        Added: ``issue``, ``name``, ``scale``, ``anchor``, ``anchors``, ``baselines`` (round 0's
        weighted median and mean) and, with samples, ``bands``.
        """
        out = self.result.to_dict()
        first = out["rounds"][0]
        out.update(
            {
                "issue": self.issue,
                "name": self.name,
                "scale": dict(self.scale),
                "anchor": self.anchor.to_dict() if self.anchor else None,
                "anchors": [a.to_dict() for a in self.anchors],
                "baselines": {"median": first["median"], "mean": first["mean"]},
            }
        )
        if self.bands is not None:
            out["bands"] = [dict(b) for b in self.bands]
        return out


def _triple(x: float | Uncertain) -> tuple[float, float, float]:
    if isinstance(x, Uncertain):
        return x.low, x.high, np.nan if x.mode is None else x.mode
    return float(x), float(x), float(x)


def sample_inputs(
    spec: ForecastIssue, samples: int, rng: int | Sequence[int] | np.random.Generator | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Draw ``(capability, position, salience)``, each of shape ``(samples, n)``.

    Parameters
    ----------
    spec
        One issue of a forecast section (actors in section order).
    samples
        ``N ≥ 1``.
    rng
        Seed (or seed sequence) or generator for :func:`numpy.random.default_rng`.

    Returns
    -------
    tuple of numpy.ndarray
        Uniform draws for ``{low, high}``, triangular for ``{mode, low, high}``, the value itself
        for a plain number (see the module docstring).
    """
    if samples < 1:
        raise ValueError("samples must be ≥ 1")
    actors = list(spec.actors.values())
    check_memory(
        samples * len(actors) * 8 * 16, f"drawing {samples:,} samples of {len(actors)} actors"
    )
    params = np.array(
        [
            [_triple(getattr(a, name)) for a in actors]
            for name in ("capability", "position", "salience")
        ]
    )  # (3, n, 3): low, high, mode
    low, high, mode = (params[:, :, k] for k in range(3))  # (3, n) each
    u = np.random.default_rng(rng).random((3, samples, len(actors)))
    tri_mode = np.where(np.isnan(mode), low, mode)
    # the mode's place in [low, high] as a fraction, computed on the unit interval so that a
    # range such as [-1e308, 1e308] (whose width is not a float) cannot overflow
    ends = np.stack([low, high, tri_mode], axis=-1).reshape(-1, 3)
    unit, lo_, hi_ = unit_interval(ends)
    split = unit[:, 2].reshape(low.shape)[:, None, :]
    # inverse CDFs as fractions f of the way from low to high (Devroye 1986, ch. 2)
    left = np.sqrt(u * split)
    right = 1.0 - np.sqrt((1.0 - u) * (1.0 - split))
    frac = np.where(np.isnan(mode)[:, None, :], u, np.where(u < split, left, right))
    frac = np.clip(frac, 0.0, 1.0)
    rows = frac.transpose(0, 2, 1).reshape(-1, samples)  # one row per (input, actor)
    drawn = from_unit(rows, lo_, hi_).reshape(3, len(actors), samples).transpose(0, 2, 1)
    c, x, s = drawn[0].copy(), drawn[1].copy(), drawn[2].copy()
    dead = ~((c > 0) & (s > 0)).any(axis=1)
    if dead.any():
        table = issue_table(spec)
        c[dead], x[dead], s[dead] = table.capability, table.position, table.salience
    return c, x, s


def _point(x: float | Uncertain) -> float:
    """The point value (the mode, else the midpoint), computed so that it cannot overflow."""
    if isinstance(x, Uncertain) and x.mode is None:
        return x.low * 0.5 + x.high * 0.5  # (low + high) / 2 overflows for ±1e308 ranges
    return point(x)


def issue_table(spec: ForecastIssue, source: str = "<forecast>") -> ActorTable:
    """Return the actors of one forecast issue with their point values."""
    actors = spec.actors
    return ActorTable(
        actors=tuple(actors),
        capability=np.array([_point(a.capability) for a in actors.values()]),
        position=np.array([_point(a.position) for a in actors.values()]),
        salience=np.array([_point(a.salience) for a in actors.values()]),
        salience_scale="0-1",
        source=source,
    )


def anchor_points(scenario: Scenario, issue_id: str) -> list[AnchorPoint]:
    """Return an issue's anchors, labelled, in increasing order of their point."""
    assert scenario.forecast is not None
    spec = scenario.forecast[issue_id]
    issue = scenario.issues.get(issue_id)
    out = []
    for key, anchor in spec.anchors.items():
        label = anchor.label or (issue.option_label(key) if issue is not None else key)
        out.append(AnchorPoint(key, label, anchor.at))
    return sorted(out, key=lambda a: a.at)


def nearest_anchor(anchors: Sequence[AnchorPoint], value: float) -> AnchorPoint | None:
    """Return the anchor closest to ``value`` (ties: the lower one), or None without anchors."""
    if not anchors:
        return None
    return min(anchors, key=lambda a: (abs(a.at - value), a.at))


def bands(
    anchors: Sequence[AnchorPoint], lo: float, hi: float, values: Sequence[float]
) -> list[dict[str, Any]]:
    """Count the share of ``values`` at each anchor and strictly between neighbouring ones."""
    eps = 1e-9 * hi - 1e-9 * lo  # the width itself may not be a float (±1e308)
    v = np.asarray(values, dtype=np.float64)
    points: dict[float, list[str]] = {}
    for anchor in anchors:
        points.setdefault(anchor.at, []).append(anchor.label)
    cuts = sorted(points)
    out: list[dict[str, Any]] = []
    edges = [lo, *cuts, hi]
    for k in range(len(edges) - 1):
        a, b = edges[k], edges[k + 1]
        if b * 0.5 - a * 0.5 > eps * 0.5:
            share = ((v > a + eps) & (v < b - eps)).mean() if v.size else 0.0
            out.append(
                {
                    "label": f"between {a:g} and {b:g}",
                    "from": a,
                    "to": b,
                    "at_anchor": False,
                    "share": round(float(share), 6),
                }
            )
        if k + 1 < len(edges) - 1:
            at = edges[k + 1]
            share = (np.abs(v * 0.5 - at * 0.5) <= eps * 0.5).mean() if v.size else 0.0
            out.append(
                {
                    "label": "at " + " / ".join(points[at]),
                    "from": at,
                    "to": at,
                    "at_anchor": True,
                    "share": round(float(share), 6),
                }
            )
    return out


def forecast_scenario(
    scenario: Scenario,
    issues: Sequence[str] | None = None,
    *,
    model: Model = "eum",
    variant: Variant = "scholz",
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    tol: float | None = None,
    stop_at_convergence: bool = False,
    samples: int = 0,
    seed: int | None = 0,
) -> list[IssueForecast]:
    """Forecast the issues of a scenario's forecast section.

    Parameters
    ----------
    scenario
        A validated scenario with a ``forecast`` section.
    issues
        The issue ids to run (default: all, in section order).
    model, variant, rounds, q, t, tol, stop_at_convergence
        As for :func:`zopa.forecast.run.forecast`.
    samples
        Monte Carlo samples of the stated ranges (0: none).
    seed
        Seed of the sampling (issue ``k`` of the section uses ``default_rng([seed, k])``);
        default 0, so runs are reproducible.

    Returns
    -------
    list of IssueForecast

    Raises
    ------
    ValueError
        Without a forecast section, on an unknown issue or bad parameters.
    """
    section = scenario.forecast
    if not section:
        raise ValueError(f"scenario {scenario.id!r} has no forecast section")
    order = list(section)
    wanted = order if issues is None else list(issues)
    for issue_id in wanted:
        if issue_id not in section:
            raise ValueError(
                f"issue {issue_id!r} has no forecast in scenario {scenario.id!r} "
                f"(expected one of: {', '.join(order)})"
            )
    out = []
    for issue_id in wanted:
        spec = section[issue_id]
        k = order.index(issue_id)
        table = issue_table(spec, source=f"{scenario.id}: forecast.{issue_id}")
        draws = None
        if samples:
            rng = None if seed is None else [seed, k]
            draws = sample_inputs(spec, samples, rng)
        result = forecast(
            table,
            model=model,
            variant=variant,
            rounds=rounds,
            q=q,
            t=t,
            tol=tol,
            stop_at_convergence=stop_at_convergence,
            rng=seed,
            draws=draws,
        )
        issue = scenario.issues.get(issue_id)
        name = spec.name or (issue.name if issue is not None else issue_id)
        anchors = anchor_points(scenario, issue_id)
        scale = {"min": spec.scale.min, "max": spec.scale.max, "unit": spec.scale.unit}
        found = None
        if result.sampled is not None:
            found = bands(anchors, spec.scale.min, spec.scale.max, result.sampled)
        out.append(
            IssueForecast(
                issue=issue_id,
                name=name,
                scale=scale,
                anchors=anchors,
                result=result,
                anchor=nearest_anchor(anchors, result.forecast),
                bands=found,
                draws=draws,
            )
        )
    return out
