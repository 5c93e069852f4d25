"""The briefing in a real browser: Debian's headless Chromium, driven by Playwright.

The default scenario's briefing is written by the command line, opened from its file with every
network request blocked (and counted), and checked as a reader sees it: the charts drawn, the
answer, Kyiv's offer, the linked sources; on a phone's screen nothing overflows sideways. The
full-page screenshot (``build/briefing.png``) and the PDF's first page
(``build/briefing-page1.png``) are kept for a human to look at.

The browser is the system's Chromium (``$ZOPA_CHROMIUM``, or ``chromium`` on PATH), never one
Playwright downloads. Without it these tests are skipped, except under CI (``CI=true``), where
a missing browser is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import invoke

BUILD = Path(__file__).resolve().parents[1] / "build"
SAMPLES = "300"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> str | None:
    named = os.environ.get("ZOPA_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs Chromium for the browser test: apt-get install chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def briefing() -> Path:
    BUILD.mkdir(exist_ok=True)
    target = BUILD / "briefing.html"
    out = invoke("report", "--samples", SAMPLES, "--workers", "1", "-o", str(target))
    assert out.exit_code == 0, out.stderr
    return target


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser: Any, path: Path, **context: Any) -> tuple[Any, Any, list[str]]:
    """Open a page with every request that is not the file itself (or data:) aborted."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    attempts: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            attempts.append(url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('figure.chart svg .role-mark, figure.chart svg path, "
        "figure.chart svg line').length > 0"
    )
    return ctx, page, attempts


def test_the_briefing_renders_offline(browser: Any, briefing: Path) -> None:
    ctx, page, attempts = _open(browser, briefing, viewport={"width": 1000, "height": 800})
    try:
        charts = page.locator("figure.chart svg")
        assert charts.count() >= 1
        assert page.locator("figure.chart svg .role-mark, figure.chart svg path").count() > 10
        box = charts.first.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 200
        lead = page.locator("#answer .lead").inner_text()
        assert "Kyiv's offer before the Berlin talks" in lead
        assert "does not bridge the gap: Russia (RU) rejects it" in lead
        assert "territory" in lead
        assert page.get_by_text("Kyiv's offer before the Berlin talks").count() >= 2
        links = page.locator("#sources li a[href^='http']")
        assert links.count() == page.locator("#sources li").count() >= 30
        first = page.locator("#answer a[href^='#source-']").first
        target = first.get_attribute("href")
        assert target is not None
        assert page.locator(target).count() == 1
        page.screenshot(path=str(BUILD / "briefing.png"), full_page=True)
    finally:
        ctx.close()
    assert attempts == [], attempts  # nothing left the page


def test_the_briefing_reads_on_a_phone(browser: Any, briefing: Path) -> None:
    ctx, page, attempts = _open(
        browser,
        briefing,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
        )
        assert max(widths[:2]) <= widths[2], widths
        chart = page.locator("figure.chart svg").first.bounding_box()
        assert chart is not None
        assert chart["width"] <= 390
        wide = page.evaluate(
            "[...document.querySelectorAll('main > *, section > *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert wide == [], wide  # only inside a .table-scroll may anything be wider
        page.screenshot(path=str(BUILD / "briefing-phone.png"), full_page=False)
    finally:
        ctx.close()
    assert attempts == []


def test_the_pdf_is_a4_and_its_first_page_is_the_answer(chromium: str, briefing: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    target = BUILD / "briefing.pdf"
    out = invoke(
        "report",
        "--samples",
        SAMPLES,
        "--workers",
        "1",
        "-o",
        str(target),
        env={"ZOPA_CHROMIUM": chromium, "COLUMNS": "1000"},
    )
    assert out.exit_code == 0, out.stderr
    assert target.read_bytes().startswith(b"%PDF")
    pdf = pdfium.PdfDocument(str(target))
    try:
        assert len(pdf) > 3
        width, height = pdf[0].get_size()
        assert abs(width - 595.3) < 2
        assert abs(height - 841.9) < 2
        text = pdf[0].get_textpage().get_text_range()
        assert "The answer" in text
        assert "does not bridge the gap" in text
        pdf[0].render(scale=1.5).to_pil().save(BUILD / "briefing-page1.png")
    finally:
        pdf.close()
