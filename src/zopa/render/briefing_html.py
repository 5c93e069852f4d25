"""The briefing as one self-contained HTML page: inline CSS, charts as inline SVG, no request.

The page opens with the answer to the scenario's question, then one section per analysis (its
charts, then its report), the record of proposals and events, the analyst's assumptions (each
group labelled as such, with the conclusions that hinge on them) and the sources (each an
anchor ``#source-<id>`` that every citation in the page links to). It reads on a phone (charts
shrink to the screen, wide tables scroll sideways) and prints on A4 (no chart cut by a page
break).

Nothing in the page is fetched: no font, script, image or style sheet from anywhere, and a
Content-Security-Policy forbids any fetch. The only URLs are the sources' own links. Every text
from the scenario is escaped. The same report gives the same bytes: no timestamp, no random id.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from zopa.render.briefing_view import (
    ASSUMPTION_TITLES,
    IMPORTED_NOTE,
    RECORD_TITLES,
    answer_sentences,
    hinge_table,
    imported_preferences,
    provenance,
    record_heading,
    section_document,
    skipped_sentence,
    standalone,
)
from zopa.render.document import Document
from zopa.render.html import document_html

if TYPE_CHECKING:
    from collections.abc import Callable

    from zopa.briefing import ChartFigure, Report, Section
    from zopa.model.scenario import Scenario

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""The page's Content-Security-Policy: nothing may be fetched, from anywhere."""

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d5d5d5;
  --accent: #0b5394; --tag: #7a4d00; --tag-bg: #fff4d9; --tag-rule: #e3bf6f; }
* { box-sizing: border-box; }
html { font-size: 16px; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 1rem/1.5 "Liberation Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; }
main { max-width: 47rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .3rem 0 .6rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2.4rem 0 .6rem; padding-top: .5rem;
  border-top: 2px solid var(--ink); }
h3 { font-size: 1.08rem; margin: 1.6rem 0 .4rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p, li, dd, td, th, caption { overflow-wrap: break-word; }
a { color: var(--accent); }
.nw { white-space: nowrap; }
code { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: .86em;
  background: #f1f1f1; padding: 0 .2em; border-radius: 2px; overflow-wrap: anywhere; }
.kicker { margin: 0; font-size: .75rem; letter-spacing: .06em; text-transform: uppercase;
  color: var(--muted); }
.note { color: var(--muted); font-size: .92rem; }
.answer h2 { margin-top: 1.2rem; }
.answer .lead { margin: .4rem 0; padding: .8rem 1rem; font-size: 1.08rem; line-height: 1.55;
  background: #f3f6fa; border-left: 4px solid var(--accent); }
nav.contents ol { margin: .3rem 0; padding-left: 2rem; }
nav.contents li { margin: .1rem 0; }
.skipped { color: var(--muted); font-style: italic; }
figure.chart { margin: 1.4rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { margin-top: .3rem; font-size: .8rem; color: var(--muted); }
.table-scroll { max-width: 100%; overflow-x: auto; margin: .8rem 0 1rem; }
table { border-collapse: collapse; font-size: .82rem; line-height: 1.35;
  font-variant-numeric: tabular-nums; }
caption, .table-title { caption-side: top; text-align: left; font-weight: bold;
  font-size: .86rem; padding: 0 0 .35rem; }
.table-title { margin: 1rem 0 0; }
.table-title + .table-scroll { margin-top: .2rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .6rem .25rem 0;
  border-bottom: 1px solid var(--rule); }
th { border-bottom: 1.5px solid var(--ink); }
td { min-width: 2.5rem; }
.tag { display: inline-block; margin-right: .45em; padding: 0 .4em; font-size: .68rem;
  font-weight: bold; letter-spacing: .05em; text-transform: uppercase; vertical-align: .15em;
  color: var(--tag); background: var(--tag-bg); border: 1px solid var(--tag-rule);
  border-radius: 3px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
section.assumption { margin: 1.4rem 0; padding-left: .8rem; border-left: 3px solid var(--tag-rule); }
section.assumption > h3 { margin-top: .2rem; }
ol.sources { padding-left: 2rem; }
ol.sources li { margin: .45rem 0; }
.sid { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: .8rem;
  color: var(--muted); }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem;
  font-size: .88rem; }
dl.provenance dt { font-weight: bold; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
@media screen and (min-width: 49rem) {
  .table-scroll { width: max-content; min-width: 100%; max-width: calc(50vw + 20.5rem); }
}
@media (max-width: 32rem) {
  html { font-size: 15px; }
  main { padding: .9rem .8rem 2rem; }
  h1 { font-size: 1.35rem; }
  dl.provenance { grid-template-columns: 1fr; }
  dl.provenance dd { margin-bottom: .4rem; }
}
@page { size: A4; margin: 15mm 14mm 17mm; }
@media print {
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h1, h2, h3, h4, h5, h6, caption, .table-title { break-after: avoid; page-break-after: avoid; }
  section.analysis, #record, #assumptions, #sources { break-before: page; page-break-before: always; }
  section.analysis > h2, #record > h2, #assumptions > h2, #sources > h2 { margin-top: 0; }
  figure.chart svg { width: auto; max-width: 100%; max-height: 235mm; }
  .table-scroll { overflow: visible; }
  table { font-size: 8pt; }
  td { overflow-wrap: anywhere; }
  th { overflow-wrap: normal; }
  td.nw { white-space: normal; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  ol.sources a[href]::after { content: " " attr(href); font-size: 7.5pt; color: var(--muted);
    overflow-wrap: anywhere; }
  .answer .lead { background: none; }
}
"""
"""The page's style sheet: one column, phone-friendly, A4 when printed."""

_ID = re.compile(r'\bid="([^"]+)"')
_CITATION = re.compile(r"\[([^\[\]]+)\]")
_CODE = re.compile(r"`([^`]+)`")
_TAG = re.compile(r"(<[^>]+>)")
_HYPHENATED = re.compile(r"(?<![\w.+-])(\[?[\w.+]+(?:-[\w.+]+)+\]?[,;:.)]?)(?![\w-])")
SHORT = 24
"""Table cells whose lines are all at most this long are never wrapped (numbers, ids, dates)."""

NOWRAP = 32
"""Hyphenated words up to this long (ids, dates) are never broken at their hyphens."""


def _keep_whole(html: str) -> str:
    """Wrap hyphenated words (ids, dates) in ``<span class="nw">`` outside tags.

    Browsers break lines after a hyphen; an id like ``kyiv-2025-12-14`` must stay whole, as on
    the terminal. Longer words may still break, so that nothing overflows a phone's screen.
    """

    def wrap(m: re.Match[str]) -> str:
        word = m.group(1)
        return f'<span class="nw">{word}</span>' if len(word) <= NOWRAP else word

    return "".join(
        part if part.startswith("<") else _HYPHENATED.sub(wrap, part) for part in _TAG.split(html)
    )


def namespace_svg(svg: str, prefix: str) -> str:
    """Make an SVG document safe to inline next to others: its ids get ``prefix``.

    Drops an XML declaration or doctype, and renames every ``id`` the SVG defines to
    ``<prefix>-<id>``, with the references to it (``url(#id)``, ``href="#id"``) to match, so
    that two charts on one page never share a clip path or a gradient.
    """
    text = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    text = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", text)
    ids = set(_ID.findall(text))
    if not ids:
        return text

    def rename(name: str) -> str:
        return f"{prefix}-{name}" if name in ids else name

    text = _ID.sub(lambda m: f'id="{rename(m.group(1))}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{rename(m.group(1))})", text)
    return re.sub(
        r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{rename(m.group(2))}"', text
    )


def inline_renderer(s: Scenario) -> Callable[[str], str]:
    """Escape a line of text; link each ``[source-id]`` to its source and set ``code`` spans."""
    known = set(s.sources)

    def cite(match: re.Match[str]) -> str:
        ids = [x.strip() for x in match.group(1).split(",")]
        if not ids or not all(x in known for x in ids):
            return match.group(0)
        links = ", ".join(f'<a href="#source-{x}">{x}</a>' for x in ids)
        return f"[{links}]"

    def render(text: str) -> str:
        out = escape(text, quote=False)
        out = _CITATION.sub(cite, out)
        out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
        return _keep_whole(out)

    return render


def _figure(report: Report, figure: ChartFigure) -> str:
    if figure.chart is None:
        return (
            f'<p class="skipped">The chart {escape(figure.name)} could not be drawn: '
            f"{escape(figure.problem or '')}</p>"
        )
    svg = namespace_svg(report.svg(figure), f"chart-{figure.key}")
    description = escape(figure.chart.description)
    return (
        f'<figure class="chart" id="chart-{escape(figure.key)}" aria-label="{description}">\n'
        f"{svg}\n<figcaption>{description}</figcaption>\n</figure>"
    )


def _section(report: Report, section: Section, inline: Callable[[str], str]) -> str:
    out = [
        f'<section class="analysis" id="section-{section.name}">',
        f"<h2>{escape(section.title)}</h2>",
    ]
    if section.result is None:
        out.append(f'<p class="skipped">{escape(skipped_sentence(section))}</p>')
        out.append("</section>")
        return "\n".join(out)
    out += [_figure(report, f) for f in report.figures() if f.section == section.name]
    out.append(
        document_html(
            section_document(section), offset=2, inline=inline, lists=True, scroll=True, short=SHORT
        )
    )
    if section.command:
        out.append(
            '<p class="note">The same analysis on its own: '
            f"<code>{escape(standalone(report, section))}</code></p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _without_heading(doc: Document) -> Document:
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], str) and blocks[0].startswith("#"):
        blocks = blocks[1:]
    return Document(blocks=blocks)


def _record(report: Report, inline: Callable[[str], str]) -> str:
    from zopa.render.scenario_view import record_parts

    parts = record_parts(report.scenario)
    if not parts:
        return ""
    out = [
        '<section id="record">',
        f"<h2>{escape(record_heading([key for key, _ in parts]))}</h2>",
        '<p class="note">Reported facts, each with the sources it rests on (linked to the list '
        "of sources below).</p>",
    ]
    for key, doc in parts:
        out.append(f'<h3 id="record-{key}">{RECORD_TITLES[key]}</h3>')
        out.append(
            document_html(
                _without_heading(doc), offset=2, inline=inline, lists=True, scroll=True, short=SHORT
            )
        )
    out.append("</section>")
    return "\n".join(out)


def _assumptions(report: Report, inline: Callable[[str], str]) -> str:
    from zopa.render.scenario_view import assumption_parts

    parts = assumption_parts(report.scenario)
    analysis = report.result("analyze")
    notes = list(analysis.result.assumptions) if analysis is not None else []
    out = [
        '<section id="assumptions">',
        "<h2>Assumptions</h2>",
        "<p>Every number below is an analyst assumption, not a reported fact: each is written "
        "with the range the analyst finds plausible and the basis it rests on (citing its "
        "sources)"
        + (IMPORTED_NOTE if imported_preferences(report.scenario) else ".")
        + " Deterministic results use the most likely value; the robust run samples the "
        "ranges. The table after this paragraph says which conclusions hinge on which "
        "assumptions.</p>",
    ]
    table = hinge_table(report)
    if table is not None:
        doc = Document(blocks=[table])
        out.append(document_html(doc, offset=2, inline=inline, scroll=True, short=SHORT))
        out.append(
            '<p class="note">ρ: the Spearman rank correlation, over the samples, between the '
            "assumption and the measure behind the conclusion (a proposal's slack, the zone's "
            "margin); the robust run lists the strongest for each conclusion.</p>"
        )
    else:
        out.append(
            '<p class="note">No robust run in this briefing: which conclusions hinge on which '
            "assumption was not measured.</p>"
        )
    if notes:
        out.append('<section class="assumption" id="assumptions-analysis">')
        out.append('<h3><span class="tag">Assumption</span>How the analyses read the scenario</h3>')
        out.append("<ul>" + "".join(f"<li>{inline(n)}</li>" for n in notes) + "</ul>")
        out.append("</section>")
    for key, doc in parts:
        out.append(f'<section class="assumption" id="assumptions-{key}">')
        out.append(f'<h3><span class="tag">Assumption</span>{ASSUMPTION_TITLES[key]}</h3>')
        out.append(
            document_html(
                _without_heading(doc), offset=2, inline=inline, lists=True, scroll=True, short=SHORT
            )
        )
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _sources(s: Scenario) -> str:
    out = ['<section id="sources">', "<h2>Sources</h2>"]
    if not s.sources:
        out.append('<p class="note">The scenario lists no sources.</p>')
    else:
        out.append('<ol class="sources">')
        for sid, src in s.sources.items():
            title = escape(src.title)
            link = (
                f'<a href="{escape(src.url)}">{title}</a>' if src.url else f"<cite>{title}</cite>"
            )
            date = f" ({src.date})" if src.date else ""
            note = f' <span class="note">{escape(src.note)}</span>' if src.note else ""
            out.append(
                f'<li id="source-{escape(sid)}"><span class="sid">[{escape(sid)}]</span> '
                f"{escape(src.publisher)}: {link}{date}.{note}</li>"
            )
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _contents(report: Report, record: bool) -> str:
    items = [("answer", "The answer")]
    items += [(f"section-{s.name}", s.title) for s in report.sections]
    if record:
        from zopa.render.scenario_view import record_parts

        keys = [key for key, _ in record_parts(report.scenario)]
        items.append(("record", record_heading(keys)))
    items += [
        ("assumptions", "Assumptions"),
        ("sources", "Sources"),
        ("provenance", "How this briefing was made"),
    ]
    links = "".join(f'<li><a href="#{key}">{escape(text)}</a></li>' for key, text in items)
    return f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{links}</ol></nav>'


def _provenance(report: Report) -> str:
    rows = "\n".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in provenance(report)
    )
    return (
        '<footer id="provenance">\n<h2>How this briefing was made</h2>\n'
        '<p class="note">The same version of zopa (and of its chart renderer), the same '
        "scenario (same sha256), seed and sample count give the same briefing, byte for "
        "byte.</p>\n"
        f'<dl class="provenance">\n{rows}\n</dl>\n</footer>'
    )


def _lead(sentences: list[str], inline: Callable[[str], str]) -> str:
    """The answer as one paragraph, its first sentence (the verdict) in bold."""
    first, *rest = sentences
    text = f"<strong>{inline(first)}</strong>" + "".join(" " + inline(x) for x in rest)
    return f'<p class="lead">{text}</p>'


def briefing_html(report: Report) -> str:
    """Render a briefing (:class:`zopa.briefing.Report`) as one self-contained HTML page."""
    s = report.scenario
    stamp = report.stamp
    inline = inline_renderer(s)
    record = _record(report, inline)
    kicker = f"Briefing · {s.id}" + (f" · as of {s.as_of}" if s.as_of else "")
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f'<meta name="generator" content="zopa {escape(str(stamp["zopa_version"]))}">',
        f"<title>Briefing: {escape(s.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f'<p class="kicker">{escape(kicker)}</p>',
        f"<h1>{escape(s.title)}</h1>",
    ]
    if report.cut is not None:
        head.append(f'<p class="note">{escape(report.cut.summary())}</p>')
    head.append("</header>")
    body = [
        '<section class="answer" id="answer">',
        "<h2>The answer</h2>",
        _lead(answer_sentences(report), inline),
        "</section>",
        _contents(report, bool(record)),
        *(_section(report, section, inline) for section in report.sections),
        record,
        _assumptions(report, inline),
        _sources(s),
        _provenance(report),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(x for x in [*head, *body] if x) + "\n"
