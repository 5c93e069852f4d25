"""``zopa report``: the briefing's content, its reproducibility, its formats and its CLI."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import invoke

import zopa
from zopa import charts
from zopa.briefing import SECTIONS, Report
from zopa.errors import UnknownId, UsageError
from zopa.space.analysis import scenario_stamp

SAMPLES = 300


@functools.cache
def berlin() -> Report:
    """The default scenario's briefing, every section, few samples (built once)."""
    return zopa.report(samples=SAMPLES, workers=1)


@functools.cache
def berlin_html() -> str:
    return berlin().to_html()


INLINE = {"a", "span", "strong", "code", "cite", "em", "b"}


class Page(HTMLParser):
    """Every element's tag and attributes, the ids, and the text under each id'd section."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in INLINE:
            self.text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if "id" in a]

    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


def _section(html: str, sid: str) -> str:
    """The HTML of the element with id ``sid`` (a <section> or <footer>), nested ones included."""
    start = html.index(f'id="{sid}"')
    begin = html.rfind("<", 0, start)
    name = html[begin + 1 : html.index(" ", begin)]
    depth = 0
    for m in re.finditer(rf"<(/?){name}\b", html[begin:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[begin : begin + m.end()]
    raise AssertionError(f"unclosed <{name}>")


def _text(fragment: str) -> str:
    return Page(fragment).all_text()


# -- the answer ---------------------------------------------------------------------------------


def test_the_opening_answers_the_question_from_the_results() -> None:
    report = berlin()
    analysis = report.result("analyze").result
    focus = next(p for p in analysis.proposals if p.id == analysis.focus)
    assert focus.id == "kyiv-2025-12-14"
    opening = report.opening()
    assert opening.startswith(
        f"At the point values of the analyst's assumptions, {focus.title} ({focus.id}, "
        f"{focus.date})"
    )
    assert "does not bridge the gap" in opening
    # who rejects it, and the top issue of its gap
    assert focus.verdict.rejecting == ["RU"]
    assert "Russia (RU) rejects it" in opening
    top = max(focus.verdict.gaps["RU"], key=lambda g: g.cost)
    assert (
        f"({top.issue}): {top.option} costs it {top.cost:.3f} against its best option there, "
        f"{top.best_option}"
    ) in opening
    assert f"short by {focus.verdict.parties[1].shortfall:.3f}" in opening
    # what the smallest bridge costs
    first = analysis.bridging[focus.id].packages[0]
    for change in first.changes:
        assert f"{change.issue}: {change.before} → {change.after}" in opening
    assert f"costs Ukraine, the proposer, {first.proposer_loss:.3f} of utility" in opening
    # how robust it is, from the robust run
    robust = report.result("robust").data
    assert f"Across {SAMPLES} samples" in opening
    p = next(x for x in robust["proposals"] if x["proposal"] == focus.id)
    assert p["p_bridges"] == 0.0
    assert "bridges the gap in none of them (its verdict hinges most on Russia's walk-away" in (
        opening
    )
    assert robust["zone"]["p_exists"] == 1.0
    assert "a zone of agreement exists in all of them" in opening
    html = berlin_html()
    lead = _section(html, "answer")
    assert '<p class="lead"><strong>' in lead
    assert 'href="#source-cgtn-2025-12-14"' in lead  # the offer cites its sources


def test_every_section_ran_for_berlin_with_every_chart_its_result_offers() -> None:
    report = berlin()
    assert [s.name for s in report.sections] == list(SECTIONS)
    assert all(s.result is not None and s.skipped is None for s in report.sections)
    html = berlin_html()
    page = Page(html)
    for section in report.sections:
        assert f'id="section-{section.name}"' in html
        for name in section.result.charts:
            assert f'id="chart-{section.name}-{name}"' in html
    figures = [a for tag, a in page.elements if tag == "figure"]
    assert len(figures) == len(report.figures()) >= 1
    assert html.count("<svg") >= len(figures)
    assert all(a.get("aria-label") for a in figures)  # a text alternative each


def test_ids_are_unique_and_every_internal_link_has_a_target() -> None:
    html = berlin_html()
    ids = Page(html).ids
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target


# -- sources, facts and assumptions -------------------------------------------------------------


def test_every_source_is_a_link_target_and_a_link() -> None:
    s = berlin().scenario
    html = berlin_html()
    sources = _section(html, "sources")
    for sid, src in s.sources.items():
        assert f'<li id="source-{sid}">' in sources
        assert src.url is not None
        assert f'href="{src.url.replace("&", "&amp;")}"' in sources
    cited = set(re.findall(r'href="#source-([^"]+)"', html))
    assert cited <= set(s.sources)
    assert len(cited) > len(s.sources) // 2  # the page cites most of them


def test_proposals_events_and_reactions_list_their_sources_as_links() -> None:
    s = berlin().scenario
    record = _section(berlin_html(), "record")
    assert "The record: proposals, events and reactions" in berlin_html()
    assert s.reactions
    reactions = record[record.index('id="record-reactions"') :]
    for reaction in s.reactions:
        assert all(f'href="#source-{sid}"' in reactions for sid in reaction.source)
        assert reaction.proposal in reactions
    for pid, proposal in s.proposals.items():
        row = record[record.index(pid) :]
        row = row[: row.index("</tr>")]
        for sid in proposal.source:
            assert f'<a href="#source-{sid}">' in row, (pid, sid)
    for event in s.events:
        assert all(f'href="#source-{sid}"' in record for sid in event.source)


def test_every_assumption_is_labelled_with_its_range_and_basis() -> None:
    s = berlin().scenario
    html = berlin_html()
    assumptions = _section(html, "assumptions")
    groups = re.findall(r'<section class="assumption" id="assumptions-([^"]+)">', assumptions)
    assert groups == ["analysis", "preferences", "strategic", "forecast", "dynamics"]
    for block in assumptions.split('<section class="assumption"')[1:]:
        assert '<h3><span class="tag">Assumption</span>' in block
    text = _text(assumptions)
    for pid, prefs in s.preferences.items():
        texts = prefs.basis.values() if isinstance(prefs.basis, dict) else [prefs.basis]
        for basis in texts:
            assert " ".join(basis.split()) in text, pid
    assert "0.5 (0.35 to 0.65)" in text  # Russia's walk-away point, with its range
    assert s.strategic is not None
    for pref in s.strategic.preferences.values():
        assert pref.basis is None or " ".join(pref.basis.split()) in text


def test_the_assumptions_say_which_conclusions_hinge_on_them() -> None:
    assumptions = _section(berlin_html(), "assumptions")
    assert "Which conclusions hinge on which assumptions" in assumptions
    text = _text(assumptions)
    robust = berlin().result("robust").data
    kyiv = next(p for p in robust["proposals"] if p["proposal"] == "kyiv-2025-12-14")
    top = kyiv["hinges"][0]
    assert top["input"] == "preferences.RU.reservation"
    assert f"whether kyiv-2025-12-14 bridges the gap (ρ {top['spearman']:+.2f})" in text


def test_the_briefing_states_what_makes_it_reproducible() -> None:
    report = berlin()
    footer = _text(_section(berlin_html(), "provenance"))
    stamp = scenario_stamp(report.scenario)
    assert f"zopa version {zopa.__version__}" in footer
    assert f"scenario sha256 {stamp['sha256']}" in footer
    assert "seed 0" in footer
    assert f"samples {SAMPLES}" in footer
    assert "charts drawn by vl-convert-python " in footer
    assert f"zopa report --samples {SAMPLES} --seed 0 -o briefing.html" in footer


# -- offline, escaped, reproducible ---------------------------------------------------------------

_URL_ATTRIBUTES = re.compile(
    r"<(\w+)\b[^>]*?\s(src|href|xlink:href|action|data|poster|srcset|background)\s*=\s*\"([^\"]*)\"",
    re.IGNORECASE,
)


def test_nothing_is_fetched_only_the_sources_link_out() -> None:
    html = berlin_html()
    urls = {src.url for src in berlin().scenario.sources.values()}
    for tag, attribute, value in _URL_ATTRIBUTES.findall(html):
        if value.startswith("#"):
            continue
        assert (tag, attribute) == ("a", "href"), value
        assert value.replace("&amp;", "&") in urls, value
    for banned in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import"):
        assert banned not in html.lower()
    assert not re.search(r"url\((?!#)", html)  # CSS or SVG references: only inside the page
    assert "Content-Security-Policy" in html


def test_the_same_inputs_give_the_same_bytes() -> None:
    again = zopa.report(samples=SAMPLES, workers=1).to_html()
    assert again.encode() == berlin_html().encode()


def test_scenario_text_is_escaped(small_text: str, tmp_path: Path) -> None:
    evil = "<script>alert(1)</script> & <b>bold</b>"
    text = (
        small_text.replace("title: Small test scenario", f'title: "{evil}"')
        .replace("title: A report", 'title: "<img src=x onerror=alert(2)>"')
        .replace("text: Talks held.", 'text: "<iframe src=http://x.invalid>"')
        .replace('basis: "Assumption: see [src1]."', 'basis: "Assumption: <u>see</u> [src1]."')
    )
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    html = zopa.report(path, samples=50, workers=1, sections="analyze,stability").to_html()
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "<iframe" not in lowered
    assert "<u>" not in html
    assert "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert '&lt;u&gt;see&lt;/u&gt; [<a href="#source-src1">' in html


# -- sections that do not apply, and charts added later -------------------------------------------


def test_sections_that_do_not_apply_are_skipped_with_the_reason() -> None:
    report = zopa.report("elmira", samples=40, workers=1)
    by_name = {s.name: s for s in report.sections}
    assert by_name["analyze"].result is None
    assert "no issues with preferences" in (by_name["analyze"].skipped or "")
    assert by_name["forecast"].result is None
    assert "no forecast section" in (by_name["forecast"].skipped or "")
    assert by_name["stability"].result is not None
    assert by_name["robust"].result is not None
    assert by_name["robust"].result.engine == "stability"
    html = report.to_html()
    assert "Skipped: the scenario has no forecast section" in html
    opening = report.opening()
    assert opening.startswith("Of the 12 feasible states, 4 are stable under every concept")
    assert "10 (YNYNY, modified-order)" in opening
    assert "The status quo, state 1 (NYNNN), is an equilibrium under GMR and SMR." in opening
    assert "No decision maker has alternative preferences" in opening


def test_a_chart_registered_later_appears_without_a_change_to_the_report() -> None:
    @charts.chart("stability", "zz-test-later")
    def later(result: Any) -> dict[str, Any]:
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
            "title": "A chart added later",
            "description": "A test chart.",
            "data": {"values": [{"x": 1, "y": 2}]},
            "mark": "point",
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "y", "type": "quantitative"},
            },
        }

    @charts.chart("stability", "zz-test-broken")
    def broken(result: Any) -> dict[str, Any]:
        raise UsageError("this chart needs an option", parameter="chart_name")

    try:
        report = zopa.report("elmira", sections="stability")
        assert "zz-test-later" in report.result("stability").charts
        html = report.to_html()
        assert 'id="chart-stability-zz-test-later"' in html
        assert "A chart added later" in html
        assert "The chart zz-test-broken could not be drawn: this chart needs an option" in html
    finally:
        del charts._REGISTRY["stability"]["zz-test-later"]
        del charts._REGISTRY["stability"]["zz-test-broken"]


# -- as of an earlier date ------------------------------------------------------------------------


def test_as_of_reports_the_scenario_as_known_then() -> None:
    report = zopa.report(sections="analyze", as_of="2025-12-01")
    assert report.cut is not None
    assert report.cut.proposals == ("russia-demands-2025-12-12", "kyiv-2025-12-14")
    assert "kyiv-2025-12-14" not in report.scenario.proposals
    assert "assumptions, Geneva revision (19 points, US–Ukraine)" in report.opening()
    html = report.to_html()
    assert report.cut.reactions == 1  # Moscow on the Geneva revision, 2 Dec
    assert (
        "As of 2025-12-01: 2 proposals, 9 events, 1 reaction and 1 source dated after it are "
        "left out" in _text(html)
    )
    assert "--as-of 2025-12-01" in html
    # every command takes --as-of: the section says how to run it on its own
    assert "The same analysis on its own: <code>zopa analyze --as-of 2025-12-01</code>" in html
    assert report.stamp["as_of"] == "2025-12-01"


def test_as_of_before_the_earliest_proposal_is_refused() -> None:
    with pytest.raises(UsageError, match="earliest proposal"):
        zopa.report(sections="analyze", as_of="2025-10-01")


# -- Markdown and PDF ----------------------------------------------------------------------------


def test_markdown_with_sibling_svg_charts(tmp_path: Path) -> None:
    report = berlin()
    written = report.write(tmp_path / "brief.md")
    md = written[0].read_text(encoding="utf-8")
    assert written[0].name == "brief.md"
    svgs = written[1:]
    assert len(svgs) == len([f for f in report.figures() if f.chart is not None]) >= 1
    for path in svgs:
        assert path.parent == tmp_path
        assert re.fullmatch(r"brief-[a-z]+-[\w-]+\.svg", path.name)
        assert f"]({path.name})" in md  # linked relatively
        assert ET.fromstring(path.read_text(encoding="utf-8")).tag.endswith("svg")
    assert "## The answer" in md
    assert report.opening().split(" [")[0] in md
    for sid in report.scenario.sources:
        assert f'<a id="source-{sid}"></a>' in md
    assert "[cgtn-2025-12-14](#source-cgtn-2025-12-14)" in md
    assert "### Assumption: Preferences" in md
    assert "(<https://news.cgtn.com/" in md
    assert "zopa report --samples 300 --seed 0 -o brief.md" in md


def test_pdf_without_chromium_says_which_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOPA_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(UsageError, match="apt-get install chromium"):
        zopa.report(sections="analyze").write(tmp_path / "b.pdf")
    out = invoke("report", "-o", str(tmp_path / "b.pdf"), env={"ZOPA_CHROMIUM": "/nonexistent"})
    assert out.exit_code == 2
    assert "apt-get install chromium" in out.stderr
    assert not (tmp_path / "b.pdf").exists()


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.html, \.pdf, \.md"):
        berlin().write(tmp_path / "b.docx")


# -- the facade's arguments and the command line -------------------------------------------------


def test_bad_sections_are_refused() -> None:
    with pytest.raises(UnknownId, match="section 'bogus'"):
        zopa.report(sections="analyze,bogus")
    with pytest.raises(UsageError, match="named twice"):
        zopa.report(sections=["analyze", "analyze"])
    with pytest.raises(UsageError, match="no section"):
        zopa.report(sections=" , ")
    with pytest.raises(UsageError, match="samples"):
        zopa.report(samples=0)


def test_sections_are_shown_in_briefing_order() -> None:
    report = zopa.report("elmira", sections="stability,analyze", samples=20, workers=1)
    assert [s.name for s in report.sections] == ["analyze", "stability"]
    assert "--sections analyze,stability" in report.command()


def test_cli_writes_the_briefing(tmp_path: Path) -> None:
    target = tmp_path / "b.html"
    out = invoke(
        "report", "elmira", "--samples", "30", "--workers", "1", "--seed", "3", "-o", str(target)
    )
    assert out.exit_code == 0, out.stderr
    assert f"briefing written to {target}" in out.stdout
    assert "analyze: skipped" in out.stderr
    assert "warning: only 30 samples" in out.stderr
    html = target.read_text(encoding="utf-8")
    assert "zopa report elmira --samples 30 --seed 3 -o briefing.html" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sections", "analyze,nope"], "--sections: unknown section 'nope'"),
        (["--sections", "analyze,analyze"], "--sections: section 'analyze' named twice"),
        (["--as-of", "2025-02-30"], "--as-of: expected a date as YYYY-MM-DD"),
        (["--as-of", "2025-11-01"], "--as-of: as of 2025-11-01 there is nothing to analyse"),
        (["--samples", "0"], "--samples"),
        (["no-such-scenario"], "unknown scenario 'no-such-scenario'"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = invoke("report", *args, "-o", str(tmp_path / "b.html"))
    assert out.exit_code == 2
    assert message in out.stderr + out.stdout
    assert not (tmp_path / "b.html").exists()


def test_cli_bad_suffix_and_missing_output_exit_2(tmp_path: Path) -> None:
    out = invoke("report", "-o", str(tmp_path / "b.txt"))
    assert out.exit_code == 2
    assert "-o writes .html, .pdf, .md: 'b.txt' ends in none of them" in out.stderr
    assert invoke("report").exit_code == 2


def test_cli_unwritable_output_exits_2(tmp_path: Path) -> None:
    out = invoke(
        "report", "elmira", "--sections", "stability", "-o", str(tmp_path / "no" / "b.html")
    )
    assert out.exit_code == 2
    assert "cannot write" in out.stderr


def test_the_answer_weighs_alternative_preferences_when_there_are_some() -> None:
    from zopa.render.briefing_view import _robust_answer

    robust = zopa.robust(engine="stability", samples=50, workers=1)
    sq = robust.data["status_quo"]["p_equilibrium"]
    (sentence,) = _robust_answer(robust)
    assert sentence.startswith("Weighing all 4 combinations of the decision makers' alternative")
    assert f"GMR {sq['GMR']:.0%}" in sentence
