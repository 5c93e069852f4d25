"""What the engine pages (stability, forecast, talks, timeline) share.

Reading a page's parameters from the query string, with server-side bounds (a value beyond them
is a :class:`zopa.UsageError`, which the application turns into a 400 page naming the
parameter), keeping a page's result per scenario, date and parameters in the application's
memo, and turning every chart a result offers into a :class:`~zopa.web.views.ChartView`.
The pages never compute an analysis: they call :mod:`zopa.api` and render what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from zopa.errors import UsageError
from zopa.web.views import ChartView, chart_view

if TYPE_CHECKING:
    from fastapi import Request

    from zopa.model.as_of import AsOfCut
    from zopa.web.shelf import Opened

T = TypeVar("T")


def text_param(request: Request, name: str) -> str | None:
    """A query parameter's value, stripped; None when it is absent or empty."""
    value = request.query_params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def int_param(
    request: Request,
    name: str,
    default: int | None,
    *,
    low: int,
    high: int | None = None,
    why: str = "",
) -> int | None:
    """An integer query parameter within ``[low, high]`` (``default`` when absent).

    Parameters
    ----------
    request
        The request whose query string is read.
    name
        The parameter.
    default
        Its value when absent or empty.
    low, high
        The bounds (``high`` None: no upper bound).
    why
        What the upper bound is, for the message (e.g. "the server's limit").

    Raises
    ------
    zopa.UsageError
        For a value that is not a whole number or lies outside the bounds.
    """
    raw = text_param(request, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, got {raw!r}", parameter=name) from None
    if value < low:
        raise UsageError(f"{name} must be at least {low:,}, got {value:,}", parameter=name)
    if high is not None and value > high:
        limit = f" ({why})" if why else ""
        raise UsageError(f"{name} may be at most {high:,}{limit}, got {value:,}", parameter=name)
    return value


def float_param(request: Request, name: str, default: float, *, low: float, high: float) -> float:
    """A number within ``[low, high]`` (``default`` when absent).

    Raises
    ------
    zopa.UsageError
        For a value that is not a number or lies outside the bounds.
    """
    raw = text_param(request, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {raw!r}", parameter=name) from None
    if not low <= value <= high:
        raise UsageError(f"{name} must lie between {low:g} and {high:g}, got {raw}", parameter=name)
    return value


def choice_param(request: Request, name: str, choices: Sequence[str]) -> str | None:
    """One of ``choices`` (None when absent or empty).

    Raises
    ------
    zopa.UsageError
        For a value that is not one of the choices.
    """
    value = text_param(request, name)
    if value is not None and value not in choices:
        raise UsageError(
            f"{name} must be one of {', '.join(choices)}, got {value!r}", parameter=name
        )
    return value


def flag_param(request: Request, name: str) -> bool:
    """A checkbox: true when the parameter is present with a value other than ``0``/``off``."""
    value = text_param(request, name)
    return value is not None and value.lower() not in ("0", "off", "false", "no")


@dataclass(frozen=True)
class Context:
    """The scenario a page works on: as opened, as known on the page's date, and the date."""

    opened: Opened
    cut: AsOfCut | None
    as_of: str | None

    @property
    def scenario(self) -> Any:
        """The scenario as known on the page's date (the whole scenario without a date)."""
        return self.opened.scenario if self.cut is None else self.cut.scenario


def context(request: Request) -> Context:
    """The open scenario and the page's date (a bad date is a 400, from the shelf).

    Raises
    ------
    zopa.UnknownId, zopa.UsageError
        For a scenario key that names nothing open, or a bad ``as_of``.
    """
    as_of = text_param(request, "as_of")
    opened, cut = request.app.state.shelf.cut(text_param(request, "s"), as_of)
    return Context(opened, cut, as_of)


def kept(
    request: Request,
    page: str,
    ctx: Context,
    params: tuple[Hashable, ...],
    compute: Callable[[], T],
) -> T:
    """The page's result for this scenario, date and parameters, computed once and kept.

    The facade's results are pure functions of the scenario and the parameters, so a page shown
    again (or by another user) reuses the result.
    """
    memo = request.app.state.memo
    return memo.get((page, ctx.opened.key, ctx.as_of, *params), compute)  # type: ignore[no-any-return]


def chart_views(result: Any, prefix: str) -> list[ChartView]:
    """Every chart the result offers, the main chart first, with ids ``<prefix>-<name>``."""
    return [chart_view(result.chart(name), f"{prefix}-{name}") for name in result.charts]


@dataclass(frozen=True)
class Shown:
    """A facade result as an engine page shows it, built once and kept with the result.

    Attributes
    ----------
    result
        The facade's result object.
    charts
        Its charts, the main chart first.
    html
        Its report as an HTML fragment (:meth:`zopa.results.ResultView.to_html`).
    cut
        What the page's date left out (the result's cut summary), or None.
    """

    result: Any
    charts: list[ChartView]
    html: str
    cut: str | None


def shown(result: Any, prefix: str) -> Shown:
    """Build what a page shows of a facade result (its charts, its report, its cut)."""
    cut = None if result.cut is None else result.cut.summary()
    return Shown(result, chart_views(result, prefix), result.to_html(), cut)
