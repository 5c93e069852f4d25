"""``zopa report``: one briefing that composes the analyses of a scenario, for a reader.

:func:`build_report` runs the facade functions a scenario supports (``analyze``, ``robust``,
``stability``, ``forecast``, ``simulate``), each exactly as its own command would, and keeps
their result objects; a section that does not apply is kept too, with the reason it was
skipped. The :class:`Report` renders them (the answer to the scenario's question first, then one
section per analysis with every chart its result offers and its report, then the assumptions
and the sources) as one self-contained HTML page, Markdown with sibling SVG files, or PDF.
Nothing here computes an analysis: the opening answer is read from the results.

The charts are whatever :func:`zopa.charts.names` lists for each result, so a chart added to
the chart layer appears in the briefing without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.errors import UnknownId, UsageError

if TYPE_CHECKING:
    from zopa.charts import Chart
    from zopa.model.as_of import AsOfCut
    from zopa.model.scenario import Scenario

SECTIONS = ("analyze", "robust", "stability", "forecast", "simulate")
"""The sections a briefing can have, in the order it shows them."""

TITLES = {
    "analyze": "Does a proposal bridge the gap?",
    "robust": "How robust are the conclusions?",
    "stability": "Which outcomes are stable?",
    "forecast": "Where are the positions heading?",
    "simulate": "How could the talks play out?",
}
"""Each section's heading: the question it answers."""

FORMATS = (".html", ".pdf", ".md")
"""The file types :meth:`Report.write` writes, by suffix."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Section:
    """One analysis of the briefing: its result, or why it was skipped.

    Attributes
    ----------
    name
        One of :data:`SECTIONS`.
    result
        The facade result (:mod:`zopa.results`), or None when skipped.
    skipped
        Why the analysis does not apply to the scenario (None when it ran).
    command
        The command that prints the same analysis on its own.
    """

    name: str
    result: Any = None
    skipped: str | None = None
    command: str = ""

    @property
    def title(self) -> str:
        """The section's heading."""
        return TITLES[self.name]


@dataclass(frozen=True)
class ChartFigure:
    """A chart of a section, or the reason it could not be drawn.

    Attributes
    ----------
    section
        The section's name.
    name
        The chart's name (as ``result.chart(name)`` takes it).
    chart
        The chart, or None when building it failed.
    problem
        What went wrong (None when drawn).
    """

    section: str
    name: str
    chart: Chart | None
    problem: str | None = None

    @property
    def key(self) -> str:
        """A name unique in the briefing: ``<section>-<chart>``."""
        return f"{self.section}-{self.name}"


@dataclass(frozen=True)
class Report:
    """A briefing on one scenario: the results of its analyses, ready to render.

    Attributes
    ----------
    scenario
        The scenario analysed (after the ``as_of`` cut, when one was asked for).
    sections
        Every section asked for, in the order of :data:`SECTIONS`.
    samples, seed
        The Monte Carlo samples and seed of the robust run and the forecast.
    cut
        What ``as_of`` left out (None when no date was given).
    source
        The scenario as the caller named it (an id or a path; None for the default), for the
        command that reproduces the briefing.
    """

    scenario: Scenario
    sections: tuple[Section, ...]
    samples: int
    seed: int
    cut: AsOfCut | None = None
    source: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def section(self, name: str) -> Section | None:
        """The section ``name``, or None when it was not asked for."""
        return next((s for s in self.sections if s.name == name), None)

    def result(self, name: str) -> Any:
        """The result of section ``name``, or None (not asked for, or skipped)."""
        found = self.section(name)
        return found.result if found is not None else None

    @property
    def stamp(self) -> dict[str, str | None]:
        """The scenario's identity: id, title, as-of date, sha256, zopa's version."""
        from zopa.space.analysis import scenario_stamp

        if "stamp" not in self._cache:
            self._cache["stamp"] = scenario_stamp(self.scenario)
        return dict(self._cache["stamp"])

    def command(self, output: str = "briefing.html") -> str:
        """The command line that writes this briefing again, byte for byte."""
        parts = ["zopa", "report"]
        if self.source is not None:
            parts.append(self.source)
        parts += ["--samples", str(self.samples), "--seed", str(self.seed)]
        names = [s.name for s in self.sections]
        if tuple(names) != SECTIONS:
            parts += ["--sections", ",".join(names)]
        if self.cut is not None:
            parts += ["--as-of", str(self.cut.date)]
        return " ".join([*parts, "-o", output])

    def figures(self) -> list[ChartFigure]:
        """Every chart of every section that ran, in order (built once)."""
        if "figures" not in self._cache:
            self._cache["figures"] = [
                figure for s in self.sections if s.result is not None for figure in _figures(s)
            ]
        return list(self._cache["figures"])

    def svg(self, figure: ChartFigure) -> str:
        """The SVG of a figure's chart (rendered once)."""
        key = f"svg:{figure.key}"
        if key not in self._cache:
            assert figure.chart is not None
            self._cache[key] = figure.chart.to_svg()
        return str(self._cache[key])

    def opening(self) -> str:
        """The answer to the scenario's question, in one paragraph (citations as ``[id]``)."""
        from zopa.render.briefing_view import answer

        return answer(self)

    def to_html(self) -> str:
        """Return the briefing as one self-contained HTML page (inline CSS and SVG)."""
        from zopa.render.briefing_html import briefing_html

        return briefing_html(self)

    def to_markdown(self, stem: str = "briefing") -> tuple[str, dict[str, str]]:
        """Return the briefing as Markdown, and its charts as ``{file name: SVG}``.

        Parameters
        ----------
        stem
            The charts are named ``<stem>-<section>-<chart>.svg`` and linked relatively.
        """
        from zopa.render.briefing_md import briefing_markdown

        return briefing_markdown(self, stem)

    def write(self, path: str | Path) -> list[Path]:
        """Write the briefing as HTML, PDF or Markdown, by the path's suffix.

        Markdown writes the charts next to it as ``<stem>-<section>-<chart>.svg``; PDF prints
        the HTML page with headless Chromium (see :mod:`zopa.render.pdf`).

        Returns
        -------
        list of Path
            The files written, the briefing first.

        Raises
        ------
        zopa.UsageError
            For a suffix other than .html, .pdf and .md, or (PDF) when Chromium is missing or
            fails.
        OSError
            When a file cannot be written.
        """
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in FORMATS:
            raise UsageError(
                f"a briefing is written as {', '.join(FORMATS)}: {target.name!r} ends in none "
                "of them",
                parameter="output",
            )
        if suffix == ".html":
            target.write_bytes(self.to_html().encode("utf-8"))  # the same bytes everywhere
            return [target]
        if suffix == ".pdf":
            from zopa.render.pdf import html_to_pdf

            html = self.to_html()
            target.write_bytes(html_to_pdf(html))
            return [target]
        text, charts = self.to_markdown(target.stem)
        target.write_bytes(text.encode("utf-8"))
        written = [target]
        for name, svg in charts.items():
            chart_path = target.with_name(name)
            chart_path.write_bytes(svg.encode("utf-8"))
            written.append(chart_path)
        return written

    def __repr__(self) -> str:
        ran = [s.name for s in self.sections if s.result is not None]
        skipped = [s.name for s in self.sections if s.result is None]
        lines = [f"<zopa report: {self.scenario.id}, {', '.join(ran) or 'no analysis'}>"]
        if skipped:
            lines.append(f"  skipped: {', '.join(skipped)}")
        return "\n".join(lines)


def _figures(section: Section) -> list[ChartFigure]:
    out: list[ChartFigure] = []
    for name in section.result.charts:
        try:
            out.append(ChartFigure(section.name, name, section.result.chart(name)))
        except (UnknownId, UsageError) as exc:
            out.append(ChartFigure(section.name, name, None, str(exc)))
    return out


# -- building -----------------------------------------------------------------------------------


def parse_sections(sections: str | Iterable[str]) -> tuple[str, ...]:
    """Read the sections asked for (a comma-separated string or names), in briefing order.

    Raises
    ------
    zopa.UnknownId
        For a name not in :data:`SECTIONS`.
    zopa.UsageError
        For a name given twice, or none at all.
    """
    items = sections.split(",") if isinstance(sections, str) else list(sections)
    names = [x.strip() for x in items if x.strip()]
    if not names:
        raise UsageError(
            f"no section asked for: name one or more of {', '.join(SECTIONS)}",
            parameter="sections",
        )
    seen: set[str] = set()
    for name in names:
        if name not in SECTIONS:
            raise UnknownId("section", name, SECTIONS, parameter="sections")
        if name in seen:
            raise UsageError(f"section {name!r} named twice", parameter="sections")
        seen.add(name)
    return tuple(n for n in SECTIONS if n in seen)


def _space(s: Scenario) -> bool:
    return bool(s.issues and s.preferences)


def _robust_engine(s: Scenario) -> str | None:
    if _space(s) and s.proposals:
        return "space"
    if s.strategic is not None:
        return "stability"
    if s.forecast:
        return "forecast"
    return None


def build_report(
    s: Scenario,
    sections: tuple[str, ...],
    *,
    samples: int,
    seed: int,
    workers: int | None,
    cut: AsOfCut | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run the analyses of a (validated) scenario that the sections ask for.

    Each runs through the facade with the command's defaults, the briefing's ``samples`` and
    ``seed`` going to ``robust`` and ``forecast`` (Monte Carlo) and the seed to ``simulate``.

    Parameters
    ----------
    s
        The scenario (already cut to ``as_of``).
    sections
        From :func:`parse_sections`.
    samples, seed, workers
        As for :func:`zopa.robust`.
    cut
        What the ``as_of`` cut left out, to state in the briefing.
    source
        The scenario as the caller named it (for the reproducing command).
    progress
        Called as ``progress(done, total)`` by the robust run.
    """
    from zopa import api

    out: list[Section] = []
    for name in sections:
        if name == "analyze":
            out.append(
                Section(name, api.analyze(s), command="zopa analyze")
                if _space(s)
                else Section(
                    name,
                    skipped="the scenario has no issues with preferences, so there is no "
                    "agreement space to analyse",
                )
            )
        elif name == "robust":
            engine = _robust_engine(s)
            if engine is None:
                out.append(
                    Section(
                        name,
                        skipped="the scenario has no proposals with preferences, no strategic "
                        "section and no forecast section: there is no conclusion to test",
                    )
                )
                continue
            robust = api.robust(
                s, engine=engine, samples=samples, seed=seed, workers=workers, progress=progress
            )
            command = f"zopa robust --engine {engine} --samples {samples} --seed {seed}"
            out.append(Section(name, robust, command=command))
        elif name == "stability":
            if s.strategic is None:
                out.append(
                    Section(
                        name,
                        skipped="the scenario has no strategic section (a graph model of the "
                        "conflict), so there is no stability to analyse",
                    )
                )
                continue
            start = s.strategic.status_quo
            command = "zopa stability" + (f" --from {start}" if start else "")
            out.append(Section(name, api.stability(s, start=start), command=command))
        elif name == "forecast":
            if not s.forecast:
                out.append(
                    Section(
                        name,
                        skipped="the scenario has no forecast section (actors' positions, "
                        "capabilities and saliences), so there is nothing to forecast",
                    )
                )
                continue
            result = api.forecast(s, samples=samples, seed=seed)
            out.append(
                Section(name, result, command=f"zopa forecast --samples {samples} --seed {seed}")
            )
        else:
            out.append(
                Section(name, api.simulate(s, seed=seed), command=f"zopa simulate --seed {seed}")
                if _space(s)
                else Section(
                    name,
                    skipped="the scenario has no issues with preferences, so there are no "
                    "offers to play",
                )
            )
    return Report(s, tuple(out), samples, seed, cut, source)
