"""The result objects the :mod:`zopa` facade returns.

Each wraps what an engine returned (kept pure and unchanged, as ``.result``) and adds what a
notebook user needs, through one mixin (:class:`ResultView`):

- a short ``repr`` (what it is and the headline answer, a few lines);
- ``_repr_html_`` / ``_repr_markdown_`` for Jupyter, rendered from the same report
  :class:`~zopa.render.document.Document` the command line prints;
- ``to_dict()``, exactly the JSON document of the matching ``--format json`` command;
- ``to_frame(name)``, tidy pandas DataFrames of its tables (``frames`` lists the names);
- ``cut``: when the scenario was analysed as of an earlier date (the facade's ``as_of``), what
  that date left out; the JSON document then has an ``as_of`` member and the report says it
  under its title.

pandas and the renderers are imported when first needed, never when :mod:`zopa` is imported.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from zopa.errors import UnknownId, UsageError
from zopa.robust.intervals import Z95

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from zopa.backtest.run import BacktestResult
    from zopa.charts import Chart
    from zopa.gmcr.analysis import StabilityReport
    from zopa.model.as_of import AsOfCut
    from zopa.model.scenario import Scenario
    from zopa.render.document import Document
    from zopa.robust.explore import Assumption, ExploreResult
    from zopa.simulate.results import SimulationResult, TournamentResult
    from zopa.space.results import Analysis as SpaceAnalysis
    from zopa.space.results import Bridging, PackageVerdict, ScoredPackage
    from zopa.space.timeline import TimelineResult
    from zopa.store.store import RunInfo, VersionInfo

Row = dict[str, Any]
REPR_LINES = 7

"""At most this many lines under the first line of a result's ``repr``."""


def _frame(rows: list[Row], columns: list[str] | None = None) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _option_value(scenario: Scenario | None, issue: str, option: str) -> str | float:
    """An option as a frame cell: a number for a numeric-range issue, else the option id."""
    if scenario is not None:
        spec = scenario.issues.get(issue)
        if spec is not None and spec.range is not None:
            return float(option)
    return option


def _package_cells(scenario: Scenario | None, package: dict[str, str]) -> Row:
    return {issue: _option_value(scenario, issue, option) for issue, option in package.items()}


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


class ResultView:
    """The shared plumbing of every facade result (repr, HTML, Markdown, frames).

    Subclasses provide :meth:`to_dict`, :meth:`document`, :meth:`headline` and the frame
    builders named in :attr:`frames`.
    """

    kind: ClassVar[str] = "result"
    cut: AsOfCut | None = None
    """What the ``as_of`` date the scenario was analysed at left out (None: not asked)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document the command line prints with ``--format json``."""
        raise NotImplementedError

    def _dated(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add the ``as_of`` member (:meth:`zopa.model.as_of.AsOfCut.to_dict`) when asked for."""
        if self.cut is not None:
            data["as_of"] = self.cut.to_dict()
        return data

    def _dated_document(self, doc: Document) -> Document:
        """Say under the report's title what the ``as_of`` date left out, when asked for."""
        if self.cut is None:
            return doc
        from zopa.render.document import Document

        blocks = list(doc.blocks)
        at = 1 if blocks and isinstance(blocks[0], str) and blocks[0].startswith("# ") else 0
        return Document(blocks=[*blocks[:at], self.cut.summary(), *blocks[at:]])

    def document(self) -> Document:
        """Return the report (headings, paragraphs, tables) the command line prints."""
        raise NotImplementedError

    def headline(self) -> list[str]:
        """Return the headline answer, a few short lines."""
        raise NotImplementedError

    names_run_first: ClassVar[bool] = False
    """Whether the headline's first line only names what was run (scenario, counts, engine)."""

    def answer(self) -> list[str]:
        """The headline without a first line that only names what was run.

        What a history of stored runs shows as each run's answer.
        """
        lines = self.headline()
        return lines[1:] if self.names_run_first and len(lines) > 1 else lines

    @property
    def frames(self) -> tuple[str, ...]:
        """The table names :meth:`to_frame` accepts."""
        raise NotImplementedError

    def _build_frame(self, name: str) -> pd.DataFrame:
        raise NotImplementedError

    def to_frame(self, name: str | None = None) -> pd.DataFrame:
        """Return one of the result's tables as a tidy pandas DataFrame.

        Parameters
        ----------
        name
            One of :attr:`frames`; the first when None.

        Returns
        -------
        pandas.DataFrame
            One row per observation; options of numeric-range issues are numbers.

        Raises
        ------
        zopa.UnknownId
            For a name that is not one of :attr:`frames`.
        """
        names = self.frames
        chosen = names[0] if name is None else name
        if chosen not in names:
            raise UnknownId("table", chosen, names, parameter="name")
        return self._build_frame(chosen)

    def to_markdown(self) -> str:
        """Return the report as Markdown (what ``--format md`` prints where it exists)."""
        from zopa.render.document import to_markdown

        return to_markdown(self.document())

    def to_html(self) -> str:
        """Return the report as an HTML fragment."""
        from zopa.render.html import to_html

        return to_html(self.document())

    @property
    def charts(self) -> tuple[str, ...]:
        """The chart names :meth:`chart` accepts, the main chart first."""
        from zopa import charts

        return charts.names(self)

    def chart(self, name: str | None = None, **options: Any) -> Chart:
        """Return one of the result's charts (a Vega-Lite specification that renders itself).

        Parameters
        ----------
        name
            One of :attr:`charts`; the main chart when None.
        **options
            The chart's options, e.g. ``parties=("UA", "RU")`` for a two-party projection.

        Returns
        -------
        zopa.charts.Chart
            Displays as SVG in Jupyter; ``.spec`` is the Vega-Lite dict, ``.save(path)`` writes
            SVG, PNG, PDF or interactive HTML, ``.to_altair()`` gives an Altair chart.

        Raises
        ------
        zopa.UnknownId
            For a name that is not one of :attr:`charts`, or an unknown party or proposal.
        """
        from zopa import charts

        return charts.make(self, name, **options)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        html = self.to_html()
        if self.charts:
            from html import escape

            main = self.chart()
            html += (
                f'<figure role="img" aria-label="{escape(main.description)}">'
                f"{main.to_svg()}</figure>"
            )
        return html

    def __repr__(self) -> str:
        lines = self.headline()
        head = f"<zopa {self.kind}: {lines[0]}>" if lines else f"<zopa {self.kind}>"
        body = lines[1:]
        if len(body) > REPR_LINES:
            body = [*body[: REPR_LINES - 1], f"… {len(body) - REPR_LINES + 1} more"]
        return "\n".join([head, *(f"  {line}" for line in body)])


def _stamp_id(data: dict[str, Any]) -> str:
    stamp = data.get("scenario")
    return str(stamp.get("id")) if isinstance(stamp, dict) else "?"


# -- analyze / evaluate -------------------------------------------------------------------------


def _trim(items: list[Any], limit: int | None) -> list[Any]:
    return items if limit is None else items[:limit]


@dataclass(frozen=True)
class FrontierPoint:
    """A point of a two-party Pareto frontier (:meth:`Analysis.frontier`).

    Attributes
    ----------
    x, y
        The two parties' utilities (0-1).
    package
        One package at this point, ``{issue: option}``.
    """

    x: float
    y: float
    package: dict[str, str]


@dataclass(frozen=True, repr=False)
class Analysis(ResultView):
    """What :func:`zopa.analyze` found: acceptability, zone, bargaining solutions, bridging.

    Attributes
    ----------
    result
        The engine's :class:`zopa.space.results.Analysis`.
    scenario
        The scenario analysed.
    requested
        Whether the proposals were named by the caller (the CLI then exits 1 when one does not
        bridge the gap).
    pareto
        Whether :meth:`to_dict` lists the Pareto sets.
    limit
        At most this many packages per list in :meth:`to_dict` (None: all).
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    names_run_first = True

    kind: ClassVar[str] = "analysis"
    result: SpaceAnalysis
    scenario: Scenario
    requested: bool = False
    pareto: bool = True
    limit: int | None = None
    cut: AsOfCut | None = None

    @property
    def bridges(self) -> bool:
        """Whether every analysed proposal bridges the gap (False without proposals)."""
        return bool(self.result.proposals) and all(p.verdict.bridges for p in self.result.proposals)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa analyze --format json``.

        With ``pareto=False`` the ``pareto`` and ``pareto_acceptable`` lists are left out; with
        ``limit`` every package list is cut to ``limit`` entries. Either way a ``truncated``
        member records, per list cut, how many entries were shown out of how many.
        """
        data = self._dated(self.result.to_dict())
        if self.pareto and self.limit is None:
            return data
        truncated: dict[str, dict[str, int]] = {}

        def trim(key: str, items: list[Any], keep: int | None) -> list[Any]:
            kept = _trim(items, keep)
            if len(kept) < len(items):
                truncated[key] = {"shown": len(kept), "total": len(items)}
            return kept

        for key in ("pareto", "pareto_acceptable"):
            data[key] = trim(key, data[key], 0 if not self.pareto else self.limit)
            if not self.pareto:
                del data[key]
        for name, sol in data["solutions"].items():
            if sol is not None:
                sol["tied"] = trim(f"solutions.{name}.tied", sol["tied"], self.limit)
        for pid, b in data["bridging"].items():
            b["packages"] = trim(f"bridging.{pid}.packages", b["packages"], self.limit)
        data["truncated"] = truncated
        return data

    def document(self) -> Document:
        """Return the report ``zopa analyze`` prints."""
        from zopa.render.analysis_view import analysis_document

        return self._dated_document(analysis_document(self.result))

    def headline(self) -> list[str]:
        """What was analysed, the zone, which proposals bridge the gap, the Nash package."""
        a = self.result
        zone = a.zone
        size = "uncounted" if zone.size is None else f"{zone.size:,}"
        lines = [
            f"{a.scenario['id']}, {_count(len(a.proposals), 'proposal')}, engine {a.engine}",
            (
                f"zone of agreement: {size} of {zone.total:,} packages acceptable to all "
                f"(margin {zone.margin:+.3f})"
                if zone.exists
                else f"no zone of agreement (walk-away points must drop by "
                f"{zone.lowering_needed:.3f})"
            ),
        ]
        bridging = [p.id for p in a.proposals if p.verdict.bridges]
        lines.append(
            f"bridges the gap: {', '.join(bridging)}" if bridging else "no proposal bridges the gap"
        )
        nash = a.solutions.get("nash") or []
        if nash:
            lines.append("Nash: " + ", ".join(f"{i}={o}" for i, o in nash[0].package.items()))
        return lines

    @property
    def walk_away(self) -> dict[str, float]:
        """Each party's walk-away point (utility 0-1), in the scenario's order of parties."""
        from zopa.space.compile import compile_scenario

        space = compile_scenario(self.scenario)
        return {p: float(r) for p, r in zip(space.parties, space.reservation, strict=True)}

    def opposed_parties(self) -> tuple[str, str]:
        """The two bargainers whose interests conflict most: the default axes of a projection.

        For each pair of bargainers (parties whose consent every package needs), the most both
        can gain together over their walk-away points is ``max_x min(g_a(x), g_b(x))`` over all
        packages ``x`` (attained on the Pareto frontier, which :attr:`result` lists); the pair
        for which it is smallest is the one a bargain is hardest to strike between. Ties go to
        the pair that comes first in the scenario's order; with fewer than two bargainers every
        party with preferences is a candidate.

        Returns
        -------
        tuple of str
            The two party ids, in the scenario's order.

        Raises
        ------
        zopa.UsageError
            When the scenario has fewer than two parties with preferences.
        """
        import itertools

        import numpy as np

        from zopa.errors import UsageError

        parties = list(self.result.parties)
        if len(parties) < 2:
            raise UsageError("a two-party projection needs two parties with preferences")
        candidates = self.result.bargainers if len(self.result.bargainers) >= 2 else parties
        gains = np.array([[s.gains[p] for p in candidates] for s in self.result.pareto])
        best: tuple[float, tuple[str, str]] | None = None
        for i, j in itertools.combinations(range(len(candidates)), 2):
            joint = float(np.minimum(gains[:, i], gains[:, j]).max())
            if best is None or joint < best[0]:
                best = (joint, (candidates[i], candidates[j]))
        assert best is not None
        return best[1]

    def frontier(self, x: str, y: str, *, acceptable: bool = False) -> list[FrontierPoint]:
        """The Pareto frontier of the agreement space seen by two parties.

        Parameters
        ----------
        x, y
            The two parties, in axis order.
        acceptable
            Only the packages acceptable to every party whose consent they need (all parties'
            walk-away points count, only ``x`` and ``y`` for efficiency).

        Returns
        -------
        list of FrontierPoint
            The points no other (acceptable) package beats for both parties, by ``x``'s
            utility, each with one package there; empty when nothing is acceptable.

        Raises
        ------
        zopa.UnknownId
            For a party without preferences.
        zopa.UsageError
            For the same party twice.

        Notes
        -----
        Exact: the frontier of all packages is computed by
        :func:`zopa.space.projection.two_party_front` with the analysis's engine; that of the
        acceptable packages is read off the analysis's own all-party acceptable frontier by
        :func:`zopa.space.projection.project_frontier` (no engine runs again).
        """
        import numpy as np

        from zopa.errors import UsageError
        from zopa.space.compile import compile_scenario
        from zopa.space.projection import project_frontier, two_party_front

        parties = list(self.result.parties)
        for p in (x, y):
            if p not in parties:
                raise UnknownId("party", p, parties, parameter="parties")
        if x == y:
            raise UsageError(f"a projection needs two different parties, got {x} twice")
        space = compile_scenario(self.scenario)
        if acceptable:  # the two-party frontier of the analysis's own acceptable frontier
            rows = [space.index_of(s.package) for s in self.result.pareto_acceptable]
            front = project_frontier(space, np.array(rows, dtype=np.intp), x, y)
        else:
            front = two_party_front(space, x, y, engine=self.result.engine)
        return [
            FrontierPoint(float(u[0]), float(u[1]), space.package_of(row))
            for u, row in zip(front.points, front.packages, strict=True)
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``proposals``, ``pareto``, ``bridging``, ``solutions``."""
        return ("proposals", "pareto", "bridging", "solutions")

    def _build_frame(self, name: str) -> pd.DataFrame:
        a = self.result
        parties = list(a.parties)
        if name == "proposals":
            return _verdict_rows(
                [(p.id, p.verdict) for p in a.proposals],
                ["proposal", "party", "utility", "walk_away", "needed", "accepted", "shortfall"],
            )
        if name == "pareto":
            acceptable = {tuple(s.package.items()) for s in a.pareto_acceptable}
            rows = [
                {
                    **self._scored(s, parties, gains=False),
                    "acceptable": tuple(s.package.items()) in acceptable,
                }
                for s in a.pareto
            ]
            return _frame(rows, [*self._columns(parties, gains=False), "acceptable"])
        if name == "solutions":
            rows = [
                {"solution": sol, "tie": k, **self._scored(s, parties, gains=True)}
                for sol, tied in a.solutions.items()
                for k, s in enumerate(tied)
            ]
            return _frame(rows, ["solution", "tie", *self._columns(parties, gains=True)])
        return _bridging_frame(a.bridging, parties)

    def _columns(self, parties: list[str], *, gains: bool) -> list[str]:
        cols = [*self.scenario.issues, *(f"utility_{p}" for p in parties)]
        return cols + [f"gain_{p}" for p in parties] if gains else cols

    def _scored(self, s: ScoredPackage, parties: list[str], *, gains: bool) -> Row:
        row = _package_cells(self.scenario, s.package)
        row.update({f"utility_{p}": s.utilities[p] for p in parties})
        if gains:
            row.update({f"gain_{p}": s.gains[p] for p in parties})
        return row


def _verdict_rows(verdicts: list[tuple[str, PackageVerdict]], columns: list[str]) -> pd.DataFrame:
    rows = [
        {
            "proposal": pid,
            "party": v.party,
            "utility": v.utility,
            "walk_away": v.reservation,
            "needed": v.needed,
            "accepted": v.accepted,
            "shortfall": v.shortfall,
            "bridges": verdict.bridges,
        }
        for pid, verdict in verdicts
        for v in verdict.parties
    ]
    return _frame(rows, [*columns, "bridges"])


def _bridging_frame(bridging: dict[str, Bridging], parties: list[str]) -> pd.DataFrame:
    rows = [
        {
            "proposal": pid,
            "rank": rank,
            "changes": "; ".join(f"{c.issue}: {c.before} → {c.after}" for c in con.changes),
            "n_changes": len(con.changes),
            "acceptable": con.acceptable,
            "shortfall": con.shortfall,
            "proposer_loss": con.proposer_loss,
            **{f"delta_{p}": con.deltas[p] for p in parties},
        }
        for pid, b in bridging.items()
        for rank, con in enumerate(b.packages, 1)
    ]
    cols = ["proposal", "rank", "changes", "n_changes", "acceptable", "shortfall"]
    return _frame(rows, [*cols, "proposer_loss", *(f"delta_{p}" for p in parties)])


@dataclass(frozen=True, repr=False)
class Evaluation(ResultView):
    """What :func:`zopa.evaluate` found about one ad-hoc package.

    Attributes
    ----------
    verdict
        Who accepts it, and why not.
    bridging
        The smallest concessions that would make it acceptable.
    filled
        The issues not given, which took their if-silent option.
    scenario
        The scenario.
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    kind: ClassVar[str] = "evaluation"
    verdict: PackageVerdict
    bridging: Bridging
    filled: list[str]
    scenario: Scenario
    cut: AsOfCut | None = None

    @property
    def bridges(self) -> bool:
        """Whether the package bridges the gap."""
        return self.verdict.bridges

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa evaluate --format json``."""
        from zopa.space.analysis import scenario_stamp

        return self._dated(
            {
                "scenario": scenario_stamp(self.scenario),
                **self.verdict.to_dict(),
                "filled": list(self.filled),
                "bridging": self.bridging.to_dict(),
            }
        )

    def document(self) -> Document:
        """Return the report ``zopa evaluate`` prints."""
        from zopa.render.analysis_view import evaluation_document

        notes = (
            [f"Issues not given take their if-silent option: {', '.join(self.filled)}."]
            if self.filled
            else []
        )
        parties = {p.party: self.scenario.parties[p.party].name for p in self.verdict.parties}
        return self._dated_document(
            evaluation_document(
                f"Ad-hoc package, {self.scenario.id}", self.verdict, self.bridging, parties, notes
            )
        )

    def headline(self) -> list[str]:
        """The package and whether it bridges the gap."""
        v = self.verdict
        answer = (
            "bridges the gap"
            if v.bridges
            else f"does not bridge the gap (rejected by {', '.join(v.rejecting)})"
        )
        return [
            f"{self.scenario.id}: the package {answer}",
            ", ".join(f"{i}={o}" for i, o in v.package.items()),
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``parties``, ``bridging``."""
        return ("parties", "bridging")

    def _build_frame(self, name: str) -> pd.DataFrame:
        if name == "parties":
            frame = _verdict_rows(
                [("ad-hoc", self.verdict)],
                ["proposal", "party", "utility", "walk_away", "needed", "accepted", "shortfall"],
            )
            return frame.drop(columns=["proposal"])
        return _bridging_frame({"ad-hoc": self.bridging}, [p.party for p in self.verdict.parties])


# -- assumptions / explore ----------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Assumptions(ResultView):
    """What :func:`zopa.assumptions` lists: every ranged number of the preferences.

    Attributes
    ----------
    items
        One :class:`zopa.robust.explore.Assumption` per ranged weight, value and walk-away
        point, in the order of the robust engine's inputs.
    scenario
        The scenario.
    cut
        What the ``as_of`` date the scenario was read at left out (None: not asked for).
    """

    kind: ClassVar[str] = "assumptions"
    items: list[Assumption]
    scenario: Scenario
    cut: AsOfCut | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"scenario": stamp, "assumptions": [...]}``."""
        from zopa.space.analysis import scenario_stamp

        return self._dated(
            {
                "scenario": scenario_stamp(self.scenario),
                "assumptions": [a.to_dict() for a in self.items],
            }
        )

    def document(self) -> Document:
        """A table per party: each assumption's range, point value and basis."""
        from zopa.render.document import Document, Table

        doc = Document()
        doc.heading(f"Assumptions, {self.scenario.id}", 1)
        doc.para(
            f"{_count(len(self.items), 'ranged assumption')} in the preferences; the point "
            "value is the mode (else the middle of the range)."
        )
        for party in dict.fromkeys(a.party for a in self.items):
            table = Table(["assumption", "low", "point", "high"], title=party)
            mine = [a for a in self.items if a.party == party]
            table.rows.extend(
                [a.label.removeprefix(f"{party} "), f"{a.low:g}", f"{a.point:g}", f"{a.high:g}"]
                for a in mine
            )
            doc.table(table)
            for key in dict.fromkeys(a.basis_key for a in mine):
                text = next(a.basis for a in mine if a.basis_key == key)
                if text:
                    doc.para(f"- {key or 'basis'}: {text}")
        return self._dated_document(doc)

    def headline(self) -> list[str]:
        """How many assumptions, per party."""
        per = {
            p: sum(a.party == p for a in self.items)
            for p in dict.fromkeys(a.party for a in self.items)
        }
        return [
            f"{self.scenario.id}: {_count(len(self.items), 'ranged assumption')}",
            ", ".join(f"{p} {n}" for p, n in per.items()),
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``assumptions``."""
        return ("assumptions",)

    def _build_frame(self, name: str) -> pd.DataFrame:
        return _frame([a.to_dict() for a in self.items])


@dataclass(frozen=True, repr=False)
class Exploration(ResultView):
    """What :func:`zopa.explore` found with some assumptions set to chosen values.

    Attributes
    ----------
    result
        The engine's :class:`zopa.robust.explore.ExploreResult`.
    scenario
        The scenario (with its own point values; the explored values are in ``result``).
    cut
        What the ``as_of`` date the scenario was read at left out (None: not asked for).
    """

    kind: ClassVar[str] = "exploration"
    result: ExploreResult
    scenario: Scenario
    cut: AsOfCut | None = None

    @property
    def zone_exists(self) -> bool:
        """Whether a zone of agreement exists with these values."""
        return self.result.zone_exists

    @property
    def margin(self) -> float:
        """The zone's margin in utility (negative: how far the best package falls short)."""
        return self.result.margin

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario's stamp and :meth:`ExploreResult.to_dict`."""
        from zopa.space.analysis import scenario_stamp

        return self._dated({"scenario": scenario_stamp(self.scenario), **self.result.to_dict()})

    def _zone_line(self) -> str:
        r = self.result
        if r.zone_exists:
            return f"a zone of agreement exists (margin {r.margin:.3f})"
        return f"no zone of agreement (the best package falls short by {-r.margin:.3f})"

    def document(self) -> Document:
        """The values changed, the zone, each proposal's verdict and the Nash package."""
        from zopa.render.document import Document, Table

        r = self.result
        doc = Document()
        doc.heading(f"Exploring the assumptions, {self.scenario.id}", 1)
        if r.changes:
            changed = Table(["assumption", "point", "explored"])
            changed.rows.extend(
                [c.assumption.label, f"{c.assumption.point:g}", f"{c.value:g}"] for c in r.changes
            )
            doc.table(changed)
        else:
            doc.para("Every assumption at its point value.")
        doc.para(self._zone_line()[0].upper() + self._zone_line()[1:] + ".")
        table = Table(["proposal", "party", "utility", "walk-away", "gain", "needed", "accepts"])
        for p in r.proposals:
            for v in p.verdict.parties:
                table.rows.append(
                    [
                        p.proposal,
                        v.party,
                        f"{v.utility:.3f}",
                        f"{v.reservation:.3f}",
                        f"{p.gains[v.party]:+.3f}",
                        "yes" if v.needed else "no",
                        "yes" if v.accepted else "NO",
                    ]
                )
        doc.table(table)
        for n in r.nash:
            doc.para(
                "Nash package: " + ", ".join(f"{i}={o}" for i, o in n["package"].items()) + "."
            )
        return self._dated_document(doc)

    def headline(self) -> list[str]:
        """The zone, the proposals that bridge the gap, the values changed."""
        r = self.result
        bridging = [p.proposal for p in r.proposals if p.verdict.bridges]
        return [
            f"{self.scenario.id}: {self._zone_line()}",
            f"proposals bridging the gap: {', '.join(bridging) or 'none'}",
            f"{_count(len(r.changes), 'assumption')} changed from the point values",
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``proposals``, ``changes``, ``nash``."""
        return ("proposals", "changes", "nash")

    def _build_frame(self, name: str) -> pd.DataFrame:
        r = self.result
        if name == "proposals":
            rows = [
                {
                    "proposal": p.proposal,
                    "party": v.party,
                    "utility": v.utility,
                    "walk_away": v.reservation,
                    "gain": p.gains[v.party],
                    "needed": v.needed,
                    "accepted": v.accepted,
                    "bridges": p.verdict.bridges,
                }
                for p in r.proposals
                for v in p.verdict.parties
            ]
            return _frame(rows)
        if name == "changes":
            return _frame([c.to_dict() for c in r.changes], ["path", "label", "point", "value"])
        rows = [
            {
                **_package_cells(self.scenario, n["package"]),
                **{f"u_{p}": u for p, u in n["utilities"].items()},
            }
            for n in r.nash
        ]
        return _frame(rows)


# -- stability ----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Stability(ResultView):
    """What :func:`zopa.stability` found: the stable states of the graph model.

    Attributes
    ----------
    report
        The engine's report (every state, per decision maker and concept).
    extras
        What the command adds to the report's document: ``alternative_rankings``, and
        ``status_quo_analysis`` when a start state was given.
    title
        The scenario's title.
    show_all
        Whether the printed report lists every state; otherwise a model with more than
        :data:`zopa.render.stability_view.MAX_ROWS` states is summarised (the JSON document
        always lists every state).
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    names_run_first = True

    kind: ClassVar[str] = "stability"
    report: StabilityReport
    extras: dict[str, Any]
    title: str
    show_all: bool = False
    cut: AsOfCut | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa stability --format json`` (every state)."""
        return self._dated({**self.report.to_dict(), **copy.deepcopy(self.extras)})

    def _summary(self) -> dict[str, Any]:
        from zopa.render.stability_view import MAX_ROWS

        return {**self.report.to_dict(None if self.show_all else MAX_ROWS), **self.extras}

    def document(self) -> Document:
        """Return the report ``zopa stability`` prints (with the status quo analysis if asked)."""
        from zopa.render.document import Document
        from zopa.render.stability_view import stability_document, status_quo_document

        data = self._summary()
        doc = self._dated_document(stability_document(self.title, data))
        evolution = data.get("status_quo_analysis")
        if evolution is None:
            return doc
        return Document(blocks=[*doc.blocks, *status_quo_document(evolution).blocks])

    def headline(self) -> list[str]:
        """The number of states and the (first) equilibria per concept."""
        data = self._summary()
        counts = data["counts"]
        lines = [f"{self.title}, {_count(counts['states'], 'state')}"]
        for c, ids in data["equilibria"].items():
            more = " …" if counts["equilibria"][c] > len(ids) else ""
            listed = ", ".join(map(str, ids)) or "none"
            lines.append(f"{c} equilibria ({counts['equilibria'][c]:,}): {listed}{more}")
        return lines

    def common_equilibria(self) -> list[int]:
        """The states that are equilibria under every stability concept analysed (ascending)."""
        import numpy as np

        codes = None
        for concept in self.report.result.stable:
            eq = self.report.result.equilibria(concept)
            codes = eq if codes is None else np.intersect1d(codes, eq)
        return [] if codes is None else self.report.state_ids(np.sort(codes))

    def evolution(self) -> dict[str, Any] | None:
        """The status quo analysis as a graph: the states reached and the moves between them.

        Returns
        -------
        dict or None
            None without a status quo analysis (``start`` not given). Otherwise ``from``,
            ``concept``, ``status_quo`` (whether ``from`` is the model's status quo), ``nodes``
            (each reachable state, in breadth-first order: ``id``, ``options``, ``names``,
            ``equilibrium`` — whether it is an equilibrium of ``concept``), ``edges`` (each
            improving move: ``from``, ``to``, ``by``) and ``paths`` (per reachable
            equilibrium, the state ids of a shortest path from ``from``).
        """
        data = self.extras.get("status_quo_analysis")
        if data is None:
            return None
        g = self.report.game
        codes = g.feasible_codes()
        names: dict[int, list[str]] = {}
        for name, code in g.named.items():
            names.setdefault(g.state_number(code), []).append(name)
        equilibria = {int(k) for k in data["paths"]}
        return {
            "from": data["from"],
            "concept": data["concept"],
            "status_quo": g.status_quo is not None and g.state_number(g.status_quo) == data["from"],
            "nodes": [
                {
                    "id": state,
                    "options": g.vector(int(codes[state - 1])),
                    "names": names.get(state, []),
                    "equilibrium": state in equilibria,
                }
                for state in data["reachable"]
            ],
            "edges": [
                {"from": t["from"], "to": t["to"], "by": list(t["by"])} for t in data["transitions"]
            ],
            "paths": {
                int(eq): [data["from"], *(t["to"] for t in path)]
                for eq, path in data["paths"].items()
            },
        }

    @property
    def frames(self) -> tuple[str, ...]:
        """``states`` (one row per state, a column per concept) and ``stable`` (long form)."""
        return ("states", "stable")

    def _build_frame(self, name: str) -> pd.DataFrame:
        data = self.report.to_dict()
        names = {v["id"]: k for k, v in data.get("named", {}).items()}
        if name == "states":
            concepts = list(data["equilibria"])
            equilibria = {c: set(ids) for c, ids in data["equilibria"].items()}
            rows = [
                {
                    "state": st["id"],
                    "options": st["options"],
                    "name": names.get(st["id"]),
                    **{c: st["id"] in equilibria[c] for c in concepts},
                }
                for st in data["states"]
            ]
            return _frame(rows, ["state", "options", "name", *concepts])
        rows = []
        for concept, by_dm in data["stable"].items():
            for dm, ids in by_dm.items():
                stable = set(ids)
                rows += [
                    {
                        "state": st["id"],
                        "decision_maker": dm,
                        "concept": concept,
                        "stable": st["id"] in stable,
                    }
                    for st in data["states"]
                ]
        return _frame(rows, ["state", "decision_maker", "concept", "stable"])


# -- forecast -----------------------------------------------------------------------------------


def _settling(issue: dict[str, Any]) -> str:
    """How a forecast settled, for its headline: nothing when it converged."""
    status = issue.get("convergence", {}).get("status")
    if status in (None, "converged", "not run"):
        return ""
    low, high = issue["forecast_band"]
    band = f"{low:.4g}" if low == high else f"{low:.4g} to {high:.4g}"
    if status == "cycle":
        return f" (cycles with period {issue['cycle_period']}, over {band})"
    return f" (did not settle within the rounds; lately {band})"


@dataclass(frozen=True, repr=False)
class Forecast(ResultView):
    """What :func:`zopa.forecast` found: the predicted outcome of each issue, round by round.

    Attributes
    ----------
    data
        The JSON document of ``zopa forecast --format json``.
    results
        The engine's results (one per issue).
    scenario
        The scenario, or None for a CSV input.
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    names_run_first = True

    kind: ClassVar[str] = "forecast"
    data: dict[str, Any]
    results: list[Any] = field(default_factory=list)
    scenario: Scenario | None = None
    cut: AsOfCut | None = None

    def _issues(self) -> list[dict[str, Any]]:
        return list(self.data["issues"]) if "issues" in self.data else [self.data]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa forecast --format json``."""
        return self._dated(copy.deepcopy(self.data))

    def document(self) -> Document:
        """Return the report ``zopa forecast`` prints."""
        from zopa.render.forecast_view import forecast_document, scenario_forecast_document

        if self.scenario is None:
            return forecast_document(self.data)
        return self._dated_document(scenario_forecast_document(self.data))

    def headline(self) -> list[str]:
        """The forecast of each issue."""
        issues = self._issues()
        what = self.scenario.id if self.scenario is not None else issues[0]["inputs"]["source"]
        lines = [f"{what}, {_count(len(issues), 'issue')}, model {issues[0]['model']}"]
        lines += [f"{_issue_name(i)}: {i['forecast']:g}{_settling(i)}" for i in issues]
        return lines

    @property
    def frames(self) -> tuple[str, ...]:
        """``rounds`` (rounds × actors, long form) and ``summary`` (median and mean per round)."""
        return ("rounds", "summary")

    def _build_frame(self, name: str) -> pd.DataFrame:
        if name == "rounds":
            rows = [
                {"issue": _issue_name(i), "round": r["round"], "actor": actor, "position": pos}
                for i in self._issues()
                for r in i["rounds"]
                for actor, pos in r["positions"].items()
            ]
            return _frame(rows, ["issue", "round", "actor", "position"])
        rows = [
            {"issue": _issue_name(i), "round": r["round"], "median": r["median"], "mean": r["mean"]}
            for i in self._issues()
            for r in i["rounds"]
        ]
        return _frame(rows, ["issue", "round", "median", "mean"])


def _issue_name(issue: dict[str, Any]) -> str:
    return str(issue.get("issue") or issue["inputs"]["source"])


# -- robust -------------------------------------------------------------------------------------

_HINGE_COLUMNS = [
    "target",
    "input",
    "spearman",
    "low",
    "high",
    "p_low",
    "p_high",
    "threshold",
    "holds_when",
    "accuracy",
]


@dataclass(frozen=True, repr=False)
class Robust(ResultView):
    """What :func:`zopa.robust` found: how often each conclusion holds over the samples.

    Attributes
    ----------
    data
        The JSON document of ``zopa robust --format json`` (with ``warnings``).
    result
        The engine's result.
    title
        The scenario's title.
    scenario
        The scenario (its parties, proposals and issues name what the charts show).
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    prior
        For a run conditioned on the reactions: the engine's result over the prior samples
        (``result`` is then the posterior's); None otherwise.
    conditioning
        For a run conditioned on the reactions: the
        :class:`zopa.robust.condition.Conditioning` (sampler, diagnostics, what moved).
    """

    kind: ClassVar[str] = "robustness"
    data: dict[str, Any]
    result: Any
    title: str
    scenario: Scenario | None = None
    cut: AsOfCut | None = None
    prior: Any = None
    conditioning: Any = None

    @property
    def engine(self) -> str:
        """``space``, ``stability`` or ``forecast``."""
        return str(self.data["engine"])

    @property
    def warnings(self) -> list[str]:
        """Warnings about the run (e.g. too few samples for the percentages to mean much)."""
        return list(self.data.get("warnings", []))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa robust --format json``."""
        return self._dated(copy.deepcopy(self.data))

    def document(self) -> Document:
        """Return the report ``zopa robust`` prints."""
        from zopa.render.document import Document

        if self.engine == "forecast":
            from zopa.render.robust_view import robust_forecast_document

            doc = robust_forecast_document(self.title, self.data)
        elif self.engine == "stability":
            from zopa.render.robust_stability_view import robust_stability_document

            doc = robust_stability_document(self.title, self.data)
        else:
            from zopa.render.robust_view import robust_document

            doc = robust_document(self.title, self.data)
        note = (self.data.get("conditioning") or {}).get("note")
        if note and self.engine != "space":  # the space report places it itself
            doc.para(f"Reactions: {note}.")
        doc = self._dated_document(doc)
        return Document(blocks=[*(f"Warning: {w}" for w in self.warnings), *doc.blocks])

    def headline(self) -> list[str]:
        """The engine, the samples and the headline share."""
        d = self.data
        lines = [f"{_stamp_id(d)}, engine {self.engine}, {_count(d['samples'], 'sample')}"]
        if self.engine == "space":
            c = d.get("conditioning") or {}
            if c.get("given_reactions"):
                lines.append(
                    f"given {c['reactions']} reactions: {c['method']}, {c['acceptance_rate']:.1%} "
                    f"of prior samples explain them, effective sample size {c['ess']:,.0f}"
                )
            lines += [f"{p['proposal']}: bridges in {p['p_bridges']:.0%}" for p in d["proposals"]]
            lines.append(f"a zone of agreement exists in {d['zone']['p_exists']:.0%}")
        elif self.engine == "stability":
            sq = d.get("status_quo")
            if sq:
                shares = ", ".join(f"{c} {p:.0%}" for c, p in sq["p_equilibrium"].items())
                lines.append(f"status quo {sq['id']} is an equilibrium: {shares}")
        else:
            lines += [
                f"{i['issue']}: {i['modal_band']['label']} in {i['modal_band']['share']:.0%}"
                for i in d["issues"]
            ]
        # warnings right under the first line: a long headline is cut, a warning never
        return [lines[0], *(f"warning: {w}" for w in self.warnings), *lines[1:]]

    @property
    def frames(self) -> tuple[str, ...]:
        """``hinges`` and, by engine: ``proposals``; ``states``; ``bands``.

        A ``space`` run conditioned on the reactions adds ``inputs`` (:meth:`input_shifts`).
        """
        extra = {"space": "proposals", "stability": "states", "forecast": "bands"}[self.engine]
        return ("hinges", extra, "inputs") if self.given_reactions else ("hinges", extra)

    @property
    def targets(self) -> tuple[str, ...]:
        """The conclusions whose hinges :meth:`hinges` gives, in the JSON document's order.

        ``space``: each proposal's id, ``zone`` and (when found) ``robust_bridges``;
        ``forecast``: each issue's id; ``stability``: ``state:concept`` (e.g. ``1:GMR``) for
        each verdict that is uncertain and hinges on some decision maker's preferences.
        """
        d = self.data
        if self.engine == "space":
            found = [p["proposal"] for p in d["proposals"]]
            found += ["zone"] if d.get("zone") else []
            bridges = d.get("robust_bridges")
            found += ["robust_bridges"] if bridges and bridges["packages"] else []
            return tuple(found)
        if self.engine == "forecast":
            return tuple(i["issue"] for i in d["issues"])
        return tuple(
            f"{st['id']}:{concept}"
            for st in d["states"]
            for concept, hinges in st.get("hinges", {}).items()
            if hinges
        )

    def _target(self, target: str, parameter: str) -> str:
        if target not in self.targets:
            raise UnknownId("target", target, self.targets, parameter=parameter)
        return target

    def hinges(self, target: str) -> list[dict[str, Any]]:
        """The hinges of one conclusion (copies of the JSON document's entries).

        Parameters
        ----------
        target
            One of :attr:`targets`.

        Raises
        ------
        zopa.UnknownId
            For a target that is not one of :attr:`targets`.
        """
        self._target(target, "target")
        d = self.data
        if self.engine == "space":
            if target == "zone":
                found = d["zone"]["hinges"]
            elif target == "robust_bridges":
                found = d["robust_bridges"]["hinges"]
            else:
                found = next(p for p in d["proposals"] if p["proposal"] == target)["hinges"]
        elif self.engine == "forecast":
            found = next(i for i in d["issues"] if i["issue"] == target)["hinges"]
        else:
            state, _, concept = target.partition(":")
            found = next(st for st in d["states"] if str(st["id"]) == state)["hinges"][concept]
        return copy.deepcopy(list(found))

    def _engine(self, *engines: str, what: str) -> None:
        from zopa.errors import UsageError

        if self.engine not in engines:
            raise UsageError(
                f"{what} needs a robust run with engine {' or '.join(engines)}, not {self.engine}",
                parameter="engine",
            )

    @property
    def given_reactions(self) -> bool:
        """Whether the samples were conditioned on the scenario's reactions (the posterior)."""
        return bool((self.data.get("conditioning") or {}).get("given_reactions")) and bool(
            self.data["conditioning"].get("explained")
        )

    def acceptance(self, z: float = Z95, *, prior: bool = False) -> list[Row]:
        """P(accept) of every needed party and P(bridges) of every proposal, with intervals.

        The intervals are Wilson score intervals of a binomial share of the samples
        (:func:`zopa.robust.intervals.wilson`; Wilson 1927): the Monte Carlo error of each
        share, not the uncertainty of the ranges themselves. The most robust bridging package
        (``robust_bridges``' first) follows the proposals, as proposal ``robust_bridges``.
        For a posterior sample (:attr:`given_reactions`) drawn by sequential Monte Carlo, whose
        samples are not independent, the intervals are narrower than the true Monte Carlo error.

        Parameters
        ----------
        z
            The normal quantile of the intervals (default: 95%, two-sided).
        prior
            For a run conditioned on the reactions: the shares over the prior samples (before
            the evidence); the most robust bridging package is then the prior run's.

        Returns
        -------
        list of dict
            One row per proposal and needed party (``party`` its id) and one per proposal with
            ``party`` None for bridging: ``proposal``, ``party``, ``p``, ``low``, ``high``,
            ``samples``.

        Raises
        ------
        zopa.UsageError
            For a run of another engine than ``space``, or ``prior=True`` for a run that was
            not conditioned on reactions.
        """
        from zopa.errors import UsageError
        from zopa.robust.intervals import wilson

        self._engine("space", what="acceptance")
        if prior and self.prior is None:
            raise UsageError(
                "prior=True needs a run conditioned on the reactions (given_reactions)",
                parameter="prior",
            )
        r = self.prior if prior else self.result
        n = int(r.samples)

        def row(proposal: str, party: str | None, p: float) -> Row:
            low, high = wilson(round(p * n), n, z)
            return {
                "proposal": proposal,
                "party": party,
                "p": p,
                "low": low,
                "high": high,
                "samples": n,
            }

        rows: list[Row] = []
        for prop in r.proposals:
            rows += [row(prop.proposal, party, p) for party, p in prop.accepts.items()]
            rows.append(row(prop.proposal, None, prop.bridges))
        if r.bridges is not None and r.bridges.packages:
            rows += [row("robust_bridges", party, p) for party, p in r.bridges.accepts[0].items()]
            rows.append(row("robust_bridges", None, r.bridges.packages[0].share))
        return rows

    def input_shifts(self, top: int | None = None) -> list[Row]:
        """Each uncertain input before and after the reactions, most moved first.

        Parameters
        ----------
        top
            At most this many inputs (all when None).

        Returns
        -------
        list of dict
            ``input`` (its path), ``party`` (the party whose preference it is, or None),
            ``low`` and ``high`` (its stated range), ``prior_q05``, ``prior_q50``,
            ``prior_q95``, ``posterior_q05``, ``posterior_q50``, ``posterior_q95``, ``shift``
            (the median's move in prior interquartile ranges) and ``ks`` (the
            Kolmogorov–Smirnov distance from the prior); empty for a run not conditioned on
            reactions (or one that fell back to the prior).

        Raises
        ------
        zopa.UsageError
            For a run of another engine than ``space``.
        """
        self._engine("space", what="the inputs' prior and posterior")
        if not self.given_reactions:
            return []
        items = self.data["conditioning"]["inputs"]
        rows: list[Row] = []
        for item in items[:top] if top is not None else items:
            parts = item["input"].split(".")
            rows.append(
                {
                    "input": item["input"],
                    "party": parts[1] if parts[0] == "preferences" and len(parts) > 1 else None,
                    "low": item["range"]["low"],
                    "high": item["range"]["high"],
                    **{f"prior_{k}": v for k, v in item["prior"].items()},
                    **{f"posterior_{k}": v for k, v in item["posterior"].items()},
                    "shift": item["shift"],
                    "ks": item["ks"],
                }
            )
        return rows

    def margins(self) -> list[float]:
        """The zone's margin in every sample, in utility (negative: no zone of agreement).

        The margin is the largest amount by which every needed party's walk-away point could
        rise and some package stay acceptable to all of them (:mod:`zopa.space.margin`); 1
        stands for a package that needs nobody's consent.

        Raises
        ------
        zopa.UsageError
            For a run of another engine than ``space``.
        """
        self._engine("space", what="the margin")
        draws = self.result.draws.get("zone")
        return [] if draws is None else [float(v) for v in draws.measure]

    def gains(self) -> dict[str, dict[str, list[float]]] | None:
        """Each party's utility of each proposal minus its walk-away point, in every sample.

        The samples are those of :meth:`margins`, in the same order, so that quantities
        combining several proposals (the gap between two sides' offers, in
        :func:`zopa.timeline`) can be taken sample by sample.

        Returns
        -------
        dict or None
            ``{proposal: {party: [gain per sample]}}`` (parties with preferences; a gain of 0
            or more: the party accepts); None when the engine's result does not keep them.

        Raises
        ------
        zopa.UsageError
            For a run of another engine than ``space``.
        """
        self._engine("space", what="the proposals' gains")
        gains = getattr(self.result, "gains", None)
        if gains is None or self.scenario is None:
            return None
        s = self.scenario
        parties = [p for p in s.parties if p in s.preferences]
        return {
            pid: {party: [float(x) for x in gains[:, j, k]] for k, party in enumerate(parties)}
            for j, pid in enumerate(s.proposals)
        }

    def margin_histogram(self, bins: int = 30) -> list[Row]:
        """The zone's margin over the samples, as a histogram with 0 on a bin edge.

        Parameters
        ----------
        bins
            About this many bins over the margins' range (the width is rounded so that 0 is
            an edge: no bin mixes samples with and without a zone).

        Returns
        -------
        list of dict
            ``from``, ``to``, ``count`` and ``share`` of every bin from the lowest margin to
            the highest (empty bins included).

        Raises
        ------
        zopa.UsageError
            For a run of another engine than ``space``, or ``bins < 1``.
        """
        import math

        from zopa.errors import UsageError

        if bins < 1:
            raise UsageError(f"bins must be at least 1, got {bins}", parameter="bins")
        values = self.margins()
        if not values:
            return []
        lo, hi = min(values), max(values)
        width = (max(hi, 0.0) - min(lo, 0.0)) / bins or 0.01
        first = math.floor(lo / width)
        last = max(math.floor(hi / width), first)
        counts = [0] * (last - first + 1)
        for v in values:
            counts[min(max(math.floor(v / width), first), last) - first] += 1
        n = len(values)
        return [
            {
                "from": (first + k) * width,
                "to": (first + k + 1) * width,
                "count": c,
                "share": c / n,
            }
            for k, c in enumerate(counts)
        ]

    def flip(self, target: str, input: str, bins: int = 12, z: float = Z95) -> list[Row]:
        """How a conclusion changes across one input's sampled range, bin by bin.

        Parameters
        ----------
        target
            A conclusion of :attr:`targets` (``space`` or ``forecast`` runs).
        input
            One of the target's hinge inputs (their ``input`` in :meth:`hinges`).
        bins
            The number of equal-width intervals of the input's sampled range.
        z
            The normal quantile of the Wilson intervals (default: 95%).

        Returns
        -------
        list of dict
            Per non-empty interval: ``from``, ``to``, ``mid``, ``samples``, ``p`` (the share of
            its samples in which the conclusion holds) with its Wilson interval ``low`` and
            ``high``, and the quartiles ``q25``, ``median``, ``q75`` of the conclusion's measure
            (the tornado's units).

        Raises
        ------
        zopa.UnknownId
            For an unknown target or an input the target does not hinge on.
        zopa.UsageError
            For a ``stability`` run (its inputs are preference orders, not numbers), or
            ``bins < 1``.
        """
        from zopa.errors import UsageError
        from zopa.robust.intervals import wilson
        from zopa.robust.sensitivity import binned

        self._engine("space", "forecast", what="a flip chart")
        if bins < 1:
            raise UsageError(f"bins must be at least 1, got {bins}", parameter="bins")
        draws = self._draws(self._target(target, "target"))
        if input not in draws.inputs:
            raise UnknownId(
                "input", input, list(draws.inputs), parameter="input", context=f"of {target}"
            )
        rows = []
        for b in binned(draws.inputs[input], draws, bins):
            low, high = wilson(b.holds, b.count, z)
            rows.append(
                {
                    "from": b.low,
                    "to": b.high,
                    "mid": (b.low + b.high) / 2,
                    "samples": b.count,
                    "p": b.holds / b.count,
                    "low": low,
                    "high": high,
                    "q25": b.q25,
                    "median": b.median,
                    "q75": b.q75,
                }
            )
        return rows

    def conclusion(self, target: str, z: float = Z95) -> Row:
        """How often a conclusion holds, with its Wilson interval, and its mean measure.

        Parameters
        ----------
        target
            A conclusion of :attr:`targets` (``space`` or ``forecast`` runs).
        z
            The normal quantile of the interval (default: 95%, two-sided).

        Returns
        -------
        dict
            ``p`` (the share of samples in which it holds: a proposal or the top bridge bridges
            the gap, a zone exists, a forecast lands in its modal band), ``low``, ``high``
            (Wilson 1927), ``samples``, and ``mean`` and ``median`` of its measure (the
            tornado's units: the bars are drawn from the mean).

        Raises
        ------
        zopa.UnknownId
            For an unknown target.
        zopa.UsageError
            For a ``stability`` run.
        """
        import statistics

        from zopa.robust.intervals import wilson

        self._engine("space", "forecast", what="a conclusion's samples")
        draws = self._draws(self._target(target, "target"))
        n = draws.samples
        k = int(draws.holds.sum())
        low, high = wilson(k, n, z)
        values = [float(v) for v in draws.measure]
        return {
            "p": k / n if n else 0.0,
            "low": low,
            "high": high,
            "samples": n,
            "mean": statistics.fmean(values) if values else 0.0,
            "median": statistics.median(values) if values else 0.0,
        }

    def _draws(self, target: str) -> Any:
        if self.engine == "forecast":
            return next(i for i in self.result.issues if i.issue == target).draws
        return self.result.draws[target]

    def _hinges(self) -> list[Row]:
        d = self.data
        found: list[tuple[str, list[dict[str, Any]]]] = []
        if self.engine == "space":
            found += [(p["proposal"], p["hinges"]) for p in d["proposals"]]
            found.append(("zone", d["zone"]["hinges"]))
            if d.get("robust_bridges"):
                found.append(("robust_bridges", d["robust_bridges"]["hinges"]))
        elif self.engine == "forecast":
            found += [(i["issue"], i["hinges"]) for i in d["issues"]]
        else:
            for st in d["states"]:
                for concept, hinges in st.get("hinges", {}).items():
                    found.append((f"{st['id']}:{concept}", hinges))
        return [{"target": target, **h} for target, hinges in found for h in hinges]

    def _build_frame(self, name: str) -> pd.DataFrame:
        d = self.data
        if name == "hinges":
            frame = _frame(self._hinges())
            extra = [c for c in frame.columns if c not in _HINGE_COLUMNS]
            return frame.reindex(columns=[*_HINGE_COLUMNS, *extra])
        if name == "proposals":
            rows = [
                {
                    "proposal": p["proposal"],
                    "p_bridges": p["p_bridges"],
                    "party": party,
                    "p_accepts": x,
                }
                for p in d["proposals"]
                for party, x in p["p_accepts"].items()
            ]
            return _frame(rows, ["proposal", "p_bridges", "party", "p_accepts"])
        if name == "inputs":
            return _frame(self.input_shifts())
        if name == "states":
            rows = [
                {"state": st["id"], "options": st["options"], "concept": c, "p_equilibrium": p}
                for st in d["states"]
                for c, p in st["p_equilibrium"].items()
            ]
            return _frame(rows, ["state", "options", "concept", "p_equilibrium"])
        rows = [
            {"issue": i["issue"], **{k: b[k] for k in ("label", "from", "to", "share")}}
            for i in d["issues"]
            for b in i["bands"]
        ]
        return _frame(rows, ["issue", "label", "from", "to", "share"])


# -- simulate / tournament ----------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Simulation(ResultView):
    """What :func:`zopa.simulate` played: the offers, round by round, and the outcome.

    Attributes
    ----------
    result
        The engine's :class:`zopa.simulate.results.SimulationResult`.
    scenario
        The scenario.
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    kind: ClassVar[str] = "simulation"
    result: SimulationResult
    scenario: Scenario
    cut: AsOfCut | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa simulate --format json``."""
        return self._dated(self.result.to_dict())

    def document(self) -> Document:
        """Return the report ``zopa simulate`` prints."""
        from zopa.render.simulate_view import simulation_document

        return self._dated_document(simulation_document(self.scenario.title, self.to_dict()))

    def headline(self) -> list[str]:
        """The strategies and the outcome."""
        d = self.to_dict()
        lines = [
            f"{self.scenario.id}: {d['outcome']}"
            + (f" in round {d['agreed_round']}" if d.get("agreed_round") is not None else ""),
            "strategies: " + ", ".join(f"{p}={s}" for p, s in d["strategies"].items()),
        ]
        if d.get("agreement"):
            lines.append("agreement: " + ", ".join(f"{i}={o}" for i, o in d["agreement"].items()))
        return lines

    @property
    def frames(self) -> tuple[str, ...]:
        """``trace`` (one row per offer) and ``walk_away`` (rounds × parties, long form)."""
        return ("trace", "walk_away")

    def _build_frame(self, name: str) -> pd.DataFrame:
        d = self.to_dict()
        if name == "trace":
            parties = list(d["parties"])
            rows = [
                {
                    "round": o["round"],
                    "turn": o["turn"],
                    "proposer": o["proposer"],
                    "date": o.get("date"),
                    **_package_cells(self.scenario, o["package"]),
                    **{f"utility_{p}": o["utilities"][p] for p in parties},
                    "accepted_by": ",".join(o["accepted_by"]),
                }
                for o in d["trace"]
            ]
            cols = ["round", "turn", "proposer", "date", *self.scenario.issues]
            return _frame(rows, [*cols, *(f"utility_{p}" for p in parties), "accepted_by"])
        dates = d["dates"]
        rows = [
            {
                "round": r,
                "date": dates[r] if r < len(dates) else None,
                "party": p,
                "walk_away": values[r],
            }
            for p, values in d["walk_away"].items()
            for r in range(len(values))
        ]
        return _frame(rows, ["round", "date", "party", "walk_away"])

    def axes(self, parties: Sequence[str] | None = None) -> tuple[str, str]:
        """The two parties of a two-party view of the talks (the trace chart's axes).

        Parameters
        ----------
        parties
            Two party ids with preferences; by default the first two bargainers (parties
            whose consent every package needs), filled in by the other parties in scenario
            order when there are fewer than two.

        Raises
        ------
        zopa.UsageError
            For other than two parties, or the same party twice.
        zopa.UnknownId
            For a party without preferences.
        """
        from zopa.errors import UsageError

        d = self.result
        if parties is None:
            first, second = list(dict.fromkeys([*d.bargainers, *d.parties]))[:2]
            return first, second
        chosen = tuple(parties)
        if len(chosen) != 2:
            raise UsageError(
                f"a two-party view needs two parties, got {len(chosen)}", parameter="chart_parties"
            )
        for p in chosen:
            if p not in d.parties:
                raise UnknownId("party", p, d.parties, parameter="chart_parties")
        if chosen[0] == chosen[1]:
            raise UsageError(
                f"a two-party view needs two different parties, got {chosen[0]} twice",
                parameter="chart_parties",
            )
        return chosen[0], chosen[1]

    def frontier(self, parties: Sequence[str] | None = None) -> list[tuple[float, float]]:
        """The Pareto frontier of all packages projected on two parties' utilities.

        The packages no other package beats for both parties (their walk-away points aside),
        computed on the scenario's point values by :func:`zopa.space.projection.two_party_frontier`.

        Parameters
        ----------
        parties
            The two parties (default and checks: :meth:`axes`).

        Returns
        -------
        list of (float, float)
            The two parties' utilities of each frontier point, by increasing first utility.
        """
        from zopa.space.compile import compile_scenario
        from zopa.space.projection import two_party_frontier

        x, y = self.axes(parties)
        front = two_party_frontier(compile_scenario(self.scenario), x, y)
        return sorted((round(float(a), 6), round(float(b), 6)) for a, b in front)

    def write_plot(self, path: str | Path, parties: Sequence[str] | None = None) -> Path:
        """Write the trace chart (:meth:`chart` ``("trace")``) to a file.

        Kept for code written before the chart layer: the same as
        ``sim.chart("trace", parties=parties).save(path)``.

        Parameters
        ----------
        path
            The file to write: .svg, .png, .pdf or .html (interactive), by its suffix.
        parties
            The two parties on the axes (default: the first two bargainers).

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        zopa.UsageError
            For another suffix, or other than two different parties.
        zopa.UnknownId
            For a party without preferences.
        OSError
            When the file cannot be written.
        """
        options: dict[str, Any] = {} if parties is None else {"parties": tuple(parties)}
        return self.chart("trace", **options).save(path)


@dataclass(frozen=True, repr=False)
class Tournament(ResultView):
    """What :func:`zopa.tournament` found: how each strategy profile fared over the samples.

    Attributes
    ----------
    result
        The engine's :class:`zopa.simulate.results.TournamentResult`.
    scenario
        The scenario.
    cut
        What the ``as_of`` date the scenario was analysed at left out (None: not asked for).
    """

    kind: ClassVar[str] = "tournament"
    result: TournamentResult
    scenario: Scenario
    cut: AsOfCut | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa tournament --format json``."""
        return self._dated(self.result.to_dict())

    def document(self) -> Document:
        """Return the report ``zopa tournament`` prints."""
        from zopa.render.simulate_view import tournament_document

        return self._dated_document(tournament_document(self.scenario.title, self.to_dict()))

    def headline(self) -> list[str]:
        """The size of the tournament and the profile that agreed most often."""
        d = self.to_dict()
        lines = [
            f"{self.scenario.id}: {_count(len(d['profiles']), 'profile')} × "
            f"{_count(d['samples'], 'sample')}, {_count(d['negotiations'], 'negotiation')}"
        ]
        if d["profiles"]:
            best = max(d["profiles"], key=lambda p: p["agreement_rate"])
            varied = ", ".join(f"{p}={best['profile'][p]}" for p in d["varied"])
            lines.append(f"most agreements: {varied} ({best['agreement_rate']:.0%})")
        return lines

    @property
    def frames(self) -> tuple[str, ...]:
        """``profiles`` (one row per strategy profile) and ``by_strategy``."""
        return ("profiles", "by_strategy")

    def _build_frame(self, name: str) -> pd.DataFrame:
        d = self.to_dict()
        parties = list(d["parties"])
        if name == "profiles":
            rows = [
                {
                    **{f"strategy_{p}": prof["profile"][p] for p in parties},
                    "negotiations": prof["negotiations"],
                    "agreements": prof["agreements"],
                    "agreement_rate": prof["agreement_rate"],
                    "mean_rounds": prof["mean_rounds"],
                    "mean_nash_distance": prof["mean_nash_distance"],
                    **{f"utility_{p}": prof["mean_utility"][p] for p in parties},
                }
                for prof in d["profiles"]
            ]
            return _frame(rows)
        return _frame([dict(row) for row in d["by_strategy"]])


# -- timeline -----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Timeline(ResultView):
    """What :func:`zopa.timeline` found: the talks date by date, and whether the sides converge.

    Attributes
    ----------
    result
        The engine's :class:`zopa.space.timeline.TimelineResult`.
    scenario
        The scenario (as of ``cut``'s date when cut).
    cut
        With ``as_of``: the cut of the scenario and what it left out (None without).
    """

    kind: ClassVar[str] = "timeline"
    result: TimelineResult
    scenario: Scenario
    cut: AsOfCut | None = None

    @property
    def verdict(self) -> str:
        """The verdict line ("converging: the gap A–B fell from ... mostly by ...")."""
        return self.result.verdict

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa timeline --format json``.

        ``dates: [{date, proposals: {party: id}, acceptance: {proposal: {party: bool}},
        margin, gaps: [{a, b, gap_a, gap_b, ...}], ...}]``, ``verdict`` and what they rest on
        (``verdicts`` per pair, ``margin_note``, ``distribution``), and ``as_of`` as in every
        command's JSON when a date was given.
        """
        return self._dated(self.result.to_dict())

    def document(self) -> Document:
        """Return the report ``zopa timeline`` prints."""
        from zopa.render.timeline_view import timeline_document

        return timeline_document(self.result, None if self.cut is None else self.cut.summary())

    def headline(self) -> list[str]:
        """The dates covered and the verdict of each pair."""
        r = self.result
        first, last = r.dates[0].date, r.dates[-1].date
        lines = [f"{self.scenario.id}, {_count(len(r.dates), 'date')} from {first} to {last}"]
        return lines + [v.text for v in r.verdicts]

    def gap_points(self) -> list[Row]:
        """The gap of each pair on each date, one row per date, pair and measure.

        Returns
        -------
        list of dict
            ``date`` (ISO), ``pair`` (``A–B``), ``measure`` (``gap``, ``gap_a`` or ``gap_b``),
            ``party`` (whose offer: the pair's ``a`` for ``gap_a``, ``b`` for ``gap_b``, None
            for ``gap``), ``proposal`` (that offer, or both joined by `` / ``), ``value`` and,
            with sampled inputs, ``low`` and ``high`` (5th and 95th percentiles); dates on
            which the measure is undefined (a side without a proposal) are left out.
        """
        rows: list[Row] = []
        for d in self.result.dates:
            for g in d.gaps:
                q = g.quantiles or {}
                for measure, party, proposal, value in (
                    ("gap", None, f"{g.proposal_a} / {g.proposal_b}", g.gap),
                    ("gap_a", g.a, g.proposal_a, g.gap_a),
                    ("gap_b", g.b, g.proposal_b, g.gap_b),
                ):
                    if value is None:
                        continue
                    row: Row = {
                        "date": d.date.isoformat(),
                        "pair": f"{g.a}–{g.b}",
                        "a": g.a,
                        "b": g.b,
                        "measure": measure,
                        "party": party,
                        "proposal": proposal,
                        "value": round(float(value), 6),
                    }
                    if measure in q:
                        row["low"], row["high"] = q[measure]["q05"], q[measure]["q95"]
                    rows.append(row)
        return rows

    @property
    def frames(self) -> tuple[str, ...]:
        """``gaps`` (one row per date and pair), ``acceptance``, ``dates``."""
        return ("gaps", "acceptance", "dates")

    def _build_frame(self, name: str) -> pd.DataFrame:
        r = self.result
        if name == "gaps":
            rows = [
                {"date": d.date.isoformat(), "margin": d.margin, **g.to_dict()}
                for d in r.dates
                for g in d.gaps
            ]
            for row in rows:
                row.pop("quantiles", None)
            return _frame(rows)
        if name == "acceptance":
            rows = [
                {
                    "date": d.date.isoformat(),
                    "proposal": pid,
                    "party": party,
                    "accepted": ok,
                    "new": pid in d.new_proposals,
                }
                for d in r.dates
                for pid, who in d.acceptance.items()
                for party, ok in who.items()
            ]
            return _frame(rows, ["date", "proposal", "party", "accepted", "new"])
        rows = [
            {
                "date": d.date.isoformat(),
                "margin": d.margin,
                "new_proposals": ", ".join(d.new_proposals),
                "reactions": len(d.reactions),
                **{f"latest_{p}": d.proposals.get(p) for p in r.parties},
            }
            for d in r.dates
        ]
        return _frame(rows)


# -- backtest -----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Backtest(ResultView):
    """What :func:`zopa.backtest` found: the analysis at each date, against how the talks ended.

    Every report and the JSON say that the preferences were set by an analyst who knew the
    outcome, so that a good score is a consistency check of the method, not proof of foresight
    (:data:`zopa.backtest.HONESTY`).

    Attributes
    ----------
    result
        The engine's :class:`zopa.backtest.run.BacktestResult`.
    """

    kind: ClassVar[str] = "backtest"
    result: BacktestResult

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa backtest --format json``.

        See :meth:`zopa.backtest.run.BacktestResult.to_dict`: ``honesty``, ``settings``,
        ``definitions``, ``summary`` (one row per outcome) and ``scenarios`` (every date and
        every preference number with ``basis_dated_before_outcome``).
        """
        return self.result.to_dict()

    def document(self) -> Document:
        """Return the report ``zopa backtest`` prints."""
        from zopa.render.backtest_view import backtest_document

        return backtest_document(self.result)

    def headline(self) -> list[str]:
        """The scenarios backtested, and per outcome on how many dates the analysis agreed."""
        lines = [_count(len(self.result.scenarios), "scenario") + " backtested"]
        for s in self.result.scenarios:
            for t in s.targets:
                label = s.scenario if t.target.key == "final" else f"{s.scenario} {t.target.key}"
                status = t.target.status.replace("-", " ")
                lines.append(
                    f"{label}: {status} {t.target.date}, consistent on {t.consistent_dates} "
                    f"of {_count(t.checked_dates, 'date')}"
                )
        return lines

    names_run_first: ClassVar[bool] = True

    @property
    def frames(self) -> tuple[str, ...]:
        """``summary`` (one row per outcome), ``dates`` (per outcome and date), ``numbers``."""
        return ("summary", "dates", "numbers")

    def _build_frame(self, name: str) -> pd.DataFrame:

        if name == "summary":
            from zopa.backtest.run import summary_rows

            return _frame(summary_rows(self.result))
        rows: list[Row] = []
        for s in self.result.scenarios:
            for t in s.targets:
                base = {"scenario": s.scenario, "target": t.target.key}
                if name == "numbers":
                    rows += [{**base, **n.to_dict()} for n in t.numbers]
                    continue
                for d in t.dates:
                    rows.append(
                        {
                            **base,
                            "date": d.date.isoformat(),
                            "proposals": d.proposals,
                            "reactions": d.reactions,
                            "acceptable": d.acceptable,
                            "margin": d.margin,
                            "zone": d.zone,
                            "p_fits": d.p_fits,
                            "p_fits_dated": d.p_fits_dated,
                            "nash_rank": d.rank,
                            "acceptable_packages": d.ranked,
                            "distance_nash": None if d.nash is None else d.nash.issues,
                            "distance_kalai_smorodinsky": (
                                None if d.kalai_smorodinsky is None else d.kalai_smorodinsky.issues
                            ),
                            "consistent": d.consistent,
                        }
                    )
        if name == "numbers":
            for row in rows:
                row["sources"] = ", ".join(row["sources"])
        return _frame(rows)


# -- the store: history and runs ----------------------------------------------------------------


def _when(moment: Any) -> str:
    """A stored time as ``YYYY-MM-DD HH:MM`` (UTC)."""
    return str(moment.strftime("%Y-%m-%d %H:%M"))


def _run_answer(run: RunInfo | None) -> str:
    """The first two lines of a run's answer, or a dash when there is none."""
    if run is None or not run.headline:
        return "–"
    return "; ".join(run.headline[:2])


@dataclass(frozen=True, repr=False)
class History(ResultView):
    """What :func:`zopa.history` returns: the stored versions of a scenario, oldest first.

    Attributes
    ----------
    scenario_id
        The scenario.
    versions
        Its versions (:class:`zopa.store.store.VersionInfo`, without text).
    latest_runs
        Each version's latest done run, by version number (versions never analysed are absent).
    store
        The store's URL, password hidden.
    """

    kind: ClassVar[str] = "history"
    scenario_id: str
    versions: list[VersionInfo]
    latest_runs: dict[int, RunInfo]
    store: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"scenario_id", "store", "versions": [...]}``, each with its latest run."""
        return {
            "scenario_id": self.scenario_id,
            "store": self.store,
            "versions": [
                {
                    "ref": v.ref,
                    "number": v.number,
                    "parent": v.parent,
                    "created_at": v.created_at.isoformat(),
                    "author": v.author,
                    "message": v.message,
                    "sha256": v.sha256,
                    "file_name": v.file_name,
                    "latest_run": (
                        self.latest_runs[v.number].to_dict()
                        if v.number in self.latest_runs
                        else None
                    ),
                }
                for v in self.versions
            ],
        }

    def document(self) -> Document:
        """A table: version, date (UTC), author, message, hash, the latest run's answer."""
        from zopa.render.document import Document, Table

        doc = Document()
        doc.heading(f"History of {self.scenario_id}", 1)
        doc.para(
            f"{_count(len(self.versions), 'version')}, oldest first; dates in UTC; the answer "
            "is the headline of the version's latest stored run."
        )
        table = Table(["version", "date", "author", "message", "sha256", "answer"])
        table.rows.extend(
            [
                f"@{v.number}",
                _when(v.created_at),
                v.author or "–",
                v.message or "–",
                v.sha256[:8],
                _run_answer(self.latest_runs.get(v.number)),
            ]
            for v in self.versions
        )
        doc.table(table)
        return doc

    def headline(self) -> list[str]:
        """How many versions; the latest, when and why."""
        latest = self.versions[-1]
        why = f": {latest.message}" if latest.message else ""
        return [
            f"{self.scenario_id}: {_count(len(self.versions), 'version')}",
            f"latest {latest.ref} ({_when(latest.created_at)}){why}",
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``versions``."""
        return ("versions",)

    def _build_frame(self, name: str) -> pd.DataFrame:
        rows = []
        for v in self.to_dict()["versions"]:
            run = v.pop("latest_run")
            v["answer"] = run["headline"][0] if run and run["headline"] else None
            rows.append(v)
        return _frame(rows)


@dataclass(frozen=True, repr=False)
class Runs(ResultView):
    """What :func:`zopa.runs` returns: the stored runs on a scenario's versions, newest first.

    Attributes
    ----------
    scenario_id
        The scenario.
    items
        The runs (:class:`zopa.store.store.RunInfo`, without results).
    store
        The store's URL, password hidden.
    """

    kind: ClassVar[str] = "runs"
    scenario_id: str
    items: list[RunInfo]
    store: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"scenario_id", "store", "runs": [...]}``."""
        return {
            "scenario_id": self.scenario_id,
            "store": self.store,
            "runs": [r.to_dict() for r in self.items],
        }

    def document(self) -> Document:
        """A table: run, version, command, when (UTC), seconds, status, answer."""
        from zopa.render.document import Document, Table

        doc = Document()
        doc.heading(f"Runs on {self.scenario_id}", 1)
        if not self.items:
            doc.para("No stored runs: analysis commands store theirs with --save-run.")
            return doc
        doc.para(f"{_count(len(self.items), 'run')}, newest first; times in UTC.")
        table = Table(["run", "version", "command", "finished", "seconds", "answer"])
        table.rows.extend(
            [
                f"#{r.id}",
                f"@{r.number}",
                r.command,
                _when(r.finished_at),
                f"{r.duration_s:.2f}",
                _run_answer(r) if r.status == "done" else f"failed: {r.error or '?'}",
            ]
            for r in self.items
        )
        doc.table(table)
        return doc

    def headline(self) -> list[str]:
        """How many runs; the newest."""
        if not self.items:
            return [f"{self.scenario_id}: no stored runs"]
        newest = self.items[0]
        return [
            f"{self.scenario_id}: {_count(len(self.items), 'run')}",
            f"newest #{newest.id} {newest.command} on {newest.ref} ({_when(newest.finished_at)})",
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``runs``."""
        return ("runs",)

    def _build_frame(self, name: str) -> pd.DataFrame:
        return _frame(self.to_dict()["runs"])


# -- diff ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffSide:
    """One side of a :class:`Diff`: which version, and where its results came from.

    Attributes
    ----------
    name
        The version as given (``berlin@3``, a path, an embedded id).
    scenario_id
        The scenario's id.
    sha256
        The content hash of the validated scenario.
    origin
        Where its analysis came from: ``stored run #12 (2026-12-07 19:40)`` or ``computed``.
    run_id
        The stored run's id (None when computed).
    """

    name: str
    scenario_id: str
    sha256: str
    origin: str
    run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "name": self.name,
            "scenario_id": self.scenario_id,
            "sha256": self.sha256,
            "results_from": self.origin,
            "run_id": self.run_id,
        }


_SECTION_TITLES = {
    "scenario": "title and date",
    "parties": "parties",
    "issues": "issues",
    "options": "options",
    "sources": "sources",
    "proposals": "proposals",
    "events": "events",
    "reactions": "reactions",
    "assumptions": "assumptions",
    "basis": "basis texts",
    "sections": "other sections",
    "acceptance": "acceptance",
    "zone": "the zone of agreement",
    "nash": "the Nash package",
}


@dataclass(frozen=True, repr=False)
class Diff(ResultView):
    """What :func:`zopa.diff` found: what changed between two versions, and in their results.

    Attributes
    ----------
    old, new
        The two sides (:class:`DiffSide`).
    scenario
        The changes to the scenario (:func:`zopa.store.diff.scenario_changes`).
    results
        The changes to the analysis (:func:`zopa.store.diff.result_changes`).
    """

    kind: ClassVar[str] = "diff"
    old: DiffSide
    new: DiffSide
    scenario: Sequence[Any]
    results: Sequence[Any]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa diff --format json``.

        ``old`` and ``new`` (name, scenario id, hash, where the results came from),
        ``scenario`` and ``results``: lists of changes ``{section, kind, key, label, old, new,
        note}``.
        """
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "same_content": self.old.sha256 == self.new.sha256,
            "scenario": [c.to_dict() for c in self.scenario],
            "results": [c.to_dict() for c in self.results],
        }

    def _table(self, changes: Sequence[Any], title: str) -> Any:
        from zopa.render.document import Table
        from zopa.store.diff import shown

        table = Table(["", "what", "was", "now", "note"], title=title)
        for c in changes:
            mark = {"added": "+", "removed": "−"}.get(c.kind, "~")
            table.rows.append([mark, c.label, shown(c.old), shown(c.new), c.note])
        if not any(row[4] for row in table.rows):
            table.columns.pop()
            for row in table.rows:
                row.pop()
        return table

    def _sections(self, doc: Document, changes: Sequence[Any]) -> None:
        seen: list[str] = []
        for c in changes:
            if c.section not in seen:
                seen.append(c.section)
        for section in seen:
            part = [c for c in changes if c.section == section]
            title = _SECTION_TITLES.get(section, section)
            doc.table(self._table(part, f"{title[0].upper()}{title[1:]} ({len(part)})"))

    def document(self) -> Document:
        """Return the report ``zopa diff`` prints: the scenario's changes, then the results'."""
        from zopa.render.document import Document

        doc = Document()
        doc.heading(f"From {self.old.name} to {self.new.name}", 1)
        if self.old.sha256 == self.new.sha256:
            doc.para("The two versions have the same content.")
        doc.heading("What changed in the scenario")
        if self.scenario:
            self._sections(doc, self.scenario)
        else:
            doc.para("Nothing.")
        doc.heading("What changed in the results")
        doc.para(
            f"Results of {self.old.name}: {self.old.origin}; of {self.new.name}: {self.new.origin}."
        )
        if self.results:
            self._sections(doc, self.results)
        else:
            doc.para("Nothing: every proposal, the zone and the Nash package are as before.")
        return doc

    def headline(self) -> list[str]:
        """How many changes, then the result changes that flip something, a few lines."""
        lines = [
            f"{self.old.name} → {self.new.name}: {_count(len(self.scenario), 'scenario change')}, "
            f"{_count(len(self.results), 'result change')}"
        ]
        lines.extend(
            f"{c.label}: {c.note or c.new}"
            for c in self.results
            if c.key.endswith((".accepted", ".bridges", ".exists", ".margin"))
        )
        return lines

    @property
    def frames(self) -> tuple[str, ...]:
        """``scenario`` and ``results``: one row per change."""
        return ("scenario", "results")

    def _build_frame(self, name: str) -> pd.DataFrame:
        changes = self.scenario if name == "scenario" else self.results
        columns = ["section", "kind", "key", "label", "old", "new", "note"]
        return _frame([c.to_dict() for c in changes], columns)


# -- extract ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Extracted(ResultView):
    """What :func:`zopa.extract` returns: a news report's candidate events, who claims what.

    Attributes
    ----------
    result
        The engine's :class:`zopa.extract.events.Extraction` (events, reactions, lines set
        aside).
    scenario
        The scenario the parties were mapped to (None when none was given).
    scenario_text
        That scenario's file text, when known (what :meth:`scenario_yaml` edits).
    source
        The id of the report in the scenario's ``sources`` (an existing entry when the report
        is already there, see ``source_known``).
    source_known
        Whether the scenario already lists the report as a source.
    """

    kind: ClassVar[str] = "extraction"
    result: Any
    scenario: Scenario | None = None
    scenario_text: str | None = None
    source: str = "report"
    source_known: bool = False

    @property
    def events(self) -> list[dict[str, Any]]:
        """The candidate events, in their JSON form."""
        return [e.to_dict() for e in self.result.events]

    def source_entry(self) -> dict[str, Any]:
        """The report as an entry of a scenario's ``sources`` (publisher, title, url, date)."""
        a = self.result.article
        entry: dict[str, Any] = {
            "publisher": a.publisher or "unknown publisher",
            "title": a.title or f"Report of {a.date.isoformat()}",
        }
        if a.url:
            entry["url"] = a.url
        entry["date"] = a.date.isoformat()
        return entry

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of ``zopa extract --format json``.

        See :mod:`zopa.extract.events`; ``source`` adds the id and entry the report gets in the
        scenario's ``sources``.
        """
        data: dict[str, Any] = self.result.to_dict()
        data["source"] = {"id": self.source, "known": self.source_known, **self.source_entry()}
        return data

    def document(self) -> Document:
        """The report: the events table, each event's sentence, reactions, lines set aside."""
        from zopa.render.extract_view import extraction_document

        return extraction_document(self.to_dict())

    def headline(self) -> list[str]:
        """How many events of each kind, from which report."""
        from collections import Counter

        a = self.result.article
        kinds = Counter(e.kind for e in self.result.events)
        shown = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return [
            f"{_count(len(self.result.events), 'candidate event')} from {a.title or 'a report'} ({a.date})",
            *([shown] if shown else []),
        ]

    @property
    def frames(self) -> tuple[str, ...]:
        """``events`` and ``reactions``."""
        return ("events", "reactions")

    def _build_frame(self, name: str) -> pd.DataFrame:
        if name == "events":
            rows = []
            for e in self.events:
                numbers = e.pop("numbers")
                e["date_range"] = "..".join(e["date_range"]) if e["date_range"] else None
                e["parties"] = ", ".join(e["parties"])
                e["numbers"] = ", ".join(f"{k}={v}" for k, v in numbers.items())
                rows.append(e)
            return _frame(rows)
        return _frame([r.to_dict() for r in self.result.reactions])

    def scenario_entries(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The candidates as entries of the scenario (``status: candidate``).

        Returns
        -------
        (list, list)
            ``events`` and ``reactions`` entries (:func:`zopa.extract.linking.scenario_entries`).

        Raises
        ------
        zopa.UsageError
            When no scenario was given.
        """
        from zopa.extract.linking import scenario_entries

        if self.scenario is None:
            raise UsageError("the candidates go into a scenario: give one", parameter="scenario")
        return scenario_entries(
            self.result.events, self.result.reactions, self.scenario, self.source
        )

    def scenario_yaml(self) -> str:
        """The scenario's YAML text with the report's candidates and source added.

        The file's comments and layout are kept (:func:`zopa.io.scenario_edit.append_entries`);
        the events and reactions are appended with ``status: candidate`` and a source entry is
        added for the report (unless the scenario already has it). The text is checked with the
        scenario reader before it is returned.

        Raises
        ------
        zopa.UsageError
            When no scenario was given.
        zopa.ScenarioError
            When the result would not be a valid scenario (a bug: it is reported, not written).
        """
        from zopa.io.scenario_edit import append_entries
        from zopa.io.scenario_file import parse_scenario

        events, reactions = self.scenario_entries()
        assert self.scenario is not None
        if self.scenario_text is not None:
            text = self.scenario_text
        else:
            import json

            text = json.dumps(
                self.scenario.model_dump(mode="json", exclude_none=True), ensure_ascii=False
            )
        a = self.result.article
        new = append_entries(
            text,
            sources={} if self.source_known else {self.source: self.source_entry()},
            events=events,
            reactions=reactions,
            comment=f"candidates from zopa extract ({a.title or 'report'}, {a.date}): review, then set status: confirmed",
        )
        parse_scenario(new, f"<{self.scenario.id} with candidates>")
        return new
