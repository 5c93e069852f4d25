"""The briefing as Markdown, its charts as sibling SVG files linked relatively.

The same content as the HTML page (:mod:`zopa.render.briefing_html`), in GitHub-flavoured
Markdown: the answer, one section per analysis (each chart an image ``<stem>-<section>-<chart>.svg``
next to the Markdown file), the record, the assumptions and the sources (anchors
``source-<id>`` that every citation links to). Scenario text is escaped so that it cannot
become markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zopa.render.briefing_view import (
    ASSUMPTION_TITLES,
    IMPORTED_NOTE,
    RECORD_TITLES,
    answer,
    hinge_table,
    imported_preferences,
    provenance,
    record_heading,
    section_document,
    skipped_sentence,
    standalone,
)
from zopa.render.document import Document, Table

if TYPE_CHECKING:
    from collections.abc import Callable

    from zopa.briefing import Report
    from zopa.model.scenario import Scenario

_CITATION = re.compile(r"\[([^\[\]]+)\]")


def _escape(text: str) -> str:
    """Escape what Markdown would read as HTML or as a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(s: Scenario) -> Callable[[str], str]:
    known = set(s.sources)

    def cite(match: re.Match[str]) -> str:
        ids = [x.strip() for x in match.group(1).split(",")]
        if not ids or not all(x in known for x in ids):
            return "\\[" + match.group(1) + "\\]"
        return "\\[" + ", ".join(f"[{x}](#source-{x})" for x in ids) + "\\]"

    def render(text: str) -> str:
        return _CITATION.sub(cite, _escape(text))

    return render


def _cell(text: str, inline: Callable[[str], str]) -> str:
    return "<br>".join(inline(line).replace("|", "\\|") for line in text.split("\n"))


def _blocks(doc: Document, inline: Callable[[str], str], shift: int) -> list[str]:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            if block.title:
                out.append(f"**{inline(block.title)}**\n")
            out.append("| " + " | ".join(_cell(c, inline) for c in block.columns) + " |")
            out.append("|" + "---|" * len(block.columns))
            out.extend(
                "| " + " | ".join(_cell(c, inline) for c in row) + " |" for row in block.rows
            )
            out.append("")
        elif block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            out.append("#" * min(level + shift, 6) + " " + inline(block[level:].strip()) + "\n")
        else:
            out.append(inline(block) + "\n")
    return out


def _without_heading(doc: Document) -> Document:
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], str) and blocks[0].startswith("#"):
        blocks = blocks[1:]
    return Document(blocks=blocks)


def briefing_markdown(report: Report, stem: str) -> tuple[str, dict[str, str]]:
    """Render a briefing as Markdown; return it and the charts as ``{file name: SVG}``."""
    from zopa.render.scenario_view import assumption_parts, record_parts

    s = report.scenario
    inline = _inline(s)
    out = [f"# {inline(s.title)}\n"]
    if report.cut is not None:
        out.append(f"_{inline(report.cut.summary())}_\n")
    out += ["## The answer\n", inline(answer(report)) + "\n"]
    charts: dict[str, str] = {}
    for section in report.sections:
        out.append(f"## {section.title}\n")
        if section.result is None:
            out.append(f"_{inline(skipped_sentence(section))}_\n")
            continue
        for figure in report.figures():
            if figure.section != section.name:
                continue
            if figure.chart is None:
                out.append(f"_The chart {figure.name} could not be drawn: {figure.problem}_\n")
                continue
            name = f"{stem}-{figure.key}.svg"
            charts[name] = report.svg(figure)
            out.append(f"![{inline(figure.chart.description)}]({name})\n")
        out += _blocks(section_document(section), inline, 1)
        if section.command:
            out.append(f"The same analysis on its own: `{standalone(report, section)}`\n")
    records = record_parts(s)
    if records:
        out.append(f"## {record_heading([key for key, _ in records])}\n")
        for key, doc in records:
            out.append(f"### {RECORD_TITLES[key]}\n")
            out += _blocks(_without_heading(doc), inline, 1)
    out.append("## Assumptions\n")
    out.append(
        "Every number below is an analyst assumption, not a reported fact, written with its "
        "range and its basis" + (IMPORTED_NOTE if imported_preferences(s) else ".") + "\n"
    )
    table = hinge_table(report)
    if table is not None:
        out += _blocks(Document(blocks=[table]), inline, 1)
    analysis = report.result("analyze")
    if analysis is not None and analysis.result.assumptions:
        out.append("### Assumption: how the analyses read the scenario\n")
        out += [f"- {inline(n)}" for n in analysis.result.assumptions]
        out.append("")
    for key, doc in assumption_parts(s):
        out.append(f"### Assumption: {ASSUMPTION_TITLES[key]}\n")
        out += _blocks(_without_heading(doc), inline, 1)
    out.append("## Sources\n")
    for n, (sid, src) in enumerate(s.sources.items(), 1):
        title = inline(src.title).replace("[", "\\[").replace("]", "\\]")
        url = (src.url or "").replace("<", "%3C").replace(">", "%3E")
        link = f"[{title}](<{url}>)" if src.url else f"_{title}_"
        date = f" ({src.date})" if src.date else ""
        note = f" {inline(src.note)}" if src.note else ""
        out.append(
            f'{n}. <a id="source-{sid}"></a>\\[{sid}\\] {inline(src.publisher)}: {link}{date}.{note}'
        )
    out.append("\n## How this briefing was made\n")
    out += [f"- {label}: `{value}`" for label, value in provenance(report, f"{stem}.md")]
    return "\n".join(out).rstrip() + "\n", charts
