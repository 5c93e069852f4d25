"""What the browser tests and the README's screenshots share: a server, Chromium, the pages.

- :class:`LiveServer` runs the real workspace with uvicorn in a background thread on a free
  loopback port (a socket bound before the server starts, so no other process can take it),
  as ``zopa serve`` runs it (one process, no access log).
- :func:`chromium_path` finds Debian's Chromium with :func:`zopa.render.pdf.find_chromium`
  (``$ZOPA_CHROMIUM`` or ``chromium`` on PATH); Playwright launches it by path and never
  downloads a browser.
- :func:`watch` records a page's console errors and uncaught exceptions (a CSP violation is a
  console error: "Refused to ...").
- :data:`PAGES` lists the workspace's pages, each with a check of what must be on it once it
  has loaded (charts drawn, the key elements present); the tests open each one and the
  screenshot script (:mod:`tests.web.e2e.screens`) photographs each one. A new page is one
  :class:`PageCheck` in the list.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SCREENS = ROOT / "build" / "screens"
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHART_TIMEOUT_MS = 30_000
"""How long a chart may take to draw (the Vega bundle is built on the server's first request)."""


def chromium_path() -> str | None:
    """Debian's Chromium, found as zopa's PDF output finds it, or None when there is none."""
    from zopa.errors import UsageError
    from zopa.render.pdf import find_chromium

    try:
        return find_chromium()
    except UsageError:
        return None


class LiveServer:
    """The workspace served by uvicorn in a background thread on a free loopback port.

    Parameters
    ----------
    settings
        The workspace's settings (their host and port are ignored: it listens on 127.0.0.1 on
        a port the system picks).
    """

    def __init__(self, settings: Any) -> None:
        import uvicorn

        from zopa.web.app import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self, timeout: float = 30.0) -> LiveServer:
        """Start serving and wait until the server answers (RuntimeError when it does not)."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the workspace did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def watch(page: Any) -> list[str]:
    """Record the page's console errors, uncaught exceptions and failed loads in the list returned.

    A page itself answered with an error status (a 422 for a broken scenario, a 401 without the
    token) is what some tests expect, so Chromium's console line about it is not recorded; a
    script, style sheet, image or fetch that fails is.
    """
    problems: list[str] = []

    def console(message: Any) -> None:
        if message.type in ("error", "assert") and not message.text.startswith(
            "Failed to load resource"
        ):
            problems.append(f"console {message.type}: {message.text}")

    def response(r: Any) -> None:
        if r.status >= 400 and r.request.resource_type != "document":
            problems.append(f"{r.request.resource_type} {r.url}: HTTP {r.status}")

    page.on("console", console)
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.on("response", response)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    return problems


def screenshot(page: Any, name: str, folder: Path = SCREENS) -> Path:
    """Save a full-page PNG of ``page`` as ``folder/NAME.png`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_charts(page: Any, root: str = "main") -> int:
    """Wait until every chart in ``root`` is drawn; fail on one that could not be drawn.

    Returns the number of charts drawn.
    """
    charts = page.locator(f"{root} div.vega[data-spec]")
    count = int(charts.count())
    for i in range(count):
        chart = charts.nth(i)
        chart.locator("svg, canvas").first.wait_for(state="attached", timeout=CHART_TIMEOUT_MS)
        page.wait_for_function(
            "el => el.dataset.rendered === '1' || el.dataset.rendered === 'error'",
            arg=chart.element_handle(),
            timeout=CHART_TIMEOUT_MS,
        )
        state = chart.get_attribute("data-rendered")
        assert state == "1", f"chart {chart.get_attribute('id')}: {chart.inner_text()}"
    return count


def marks(page: Any, chart_id: str, mark: str) -> int:
    """How many SVG elements Vega drew for data marks of a kind (``symbol``, ``rule``, ``rect``…).

    Legends and axes are not counted (their groups are not ``role-mark``).
    """
    return int(page.locator(f"#{chart_id} svg g.mark-{mark}.role-mark > *").count())


def set_slider(page: Any, selector: str, value: float) -> None:
    """Move an ``<input type="range">`` to ``value`` as a user does (``input`` and ``change``).

    Playwright's ``fill`` does not apply to range inputs; the keyboard moves them a step at a
    time; this sets the value and fires the events the page's script listens to.
    """
    page.locator(selector).evaluate(
        """(el, v) => { el.value = String(v);
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true })); }""",
        value,
    )


def text_changes(page: Any, selector: str, act: Callable[[], None], timeout: int = 10_000) -> str:
    """Do ``act()`` and wait until the text of ``selector`` differs from before; return it."""
    before = page.locator(selector).inner_text()
    act()
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel);"
        " return el !== null && el.innerText !== old; }",
        arg=[selector, before],
        timeout=timeout,
    )
    return str(page.locator(selector).inner_text())


# --- one check per page ----------------------------------------------------------------------


def check_overview(page: Any) -> None:
    """The overview: the zone verdict, and the who-accepts-what chart drawn with its marks."""
    import zopa

    analysis = zopa.analyze()
    zone = analysis.to_dict()["zopa"]
    verdict = page.locator("#zone-verdict").inner_text()
    assert verdict.startswith("A zone of agreement exists" if zone["exists"] else "No package")
    assert f"margin {zone['margin']:+.3f}" in verdict
    assert wait_for_charts(page) >= 1
    rows = len(analysis.chart("acceptance").spec["data"]["values"])
    # one point (utility) and one rule (walk-away to utility) per proposal and party
    assert marks(page, "who-accepts-what", "symbol") == rows
    assert marks(page, "who-accepts-what", "rule") == rows
    svg = page.locator("#who-accepts-what svg").inner_html()
    for party in analysis.to_dict()["parties"]:
        assert f">{party}<" in svg, party
    assert page.locator("#acceptance-table tbody tr").count() == len(
        analysis.to_dict()["proposals"]
    )


def check_open(page: Any) -> None:
    """The open page: its form, with a label for each field."""
    for control in ("#file", "#text"):
        assert page.locator(control).is_visible()
        assert page.locator(f"label[for='{control[1:]}']").count() == 1


def broken_scenario() -> tuple[str, int]:
    """A small scenario with one mistake (US's walk-away point 1.4), and the mistake's line."""
    from tests.web.conftest import broken_line, broken_text

    return broken_text(), broken_line()


def open_broken(page: Any) -> None:
    """Paste the broken scenario into the open page's form and send it."""
    text, _ = broken_scenario()
    page.fill("#text", text)
    page.get_by_role("button", name="Open").click()
    page.wait_for_selector("#problems li")


def check_open_error(page: Any) -> None:
    """The open page after a broken scenario: the problem located at its line and column."""
    from tests.web.conftest import BROKEN_FIELD

    _, line = broken_scenario()
    first = page.locator("#problems li").first
    assert first.get_attribute("data-line") == str(line)
    assert f":{line}:" in first.inner_text()
    assert BROKEN_FIELD in first.inner_text()
    assert page.locator(".annotated li.marked").count() >= 1
    # the caret under the marked line points at the problem's column
    column = int(first.get_attribute("data-column") or 0)
    dx = page.evaluate(
        """column => {
          const li = document.querySelector('.annotated li.marked');
          const x = (node, i) => { const r = document.createRange();
            r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
          const code = li.querySelector('code').firstChild;
          const marker = li.querySelector('.marker').firstChild;
          return x(code, column - 1) - x(marker, marker.textContent.indexOf('^'));
        }""",
        column,
    )
    assert abs(dx) < 2, f"the caret is {dx:.1f} px off its column"


KYIV = "kyiv-2025-12-14"
RU_WALK_AWAY = "preferences.RU.reservation"


def _ru_shortfall(terms: dict[str, str]) -> float:
    import zopa

    evaluation = zopa.evaluate(terms={**zopa.load().package_of(KYIV), **terms}).to_dict()
    return float(evaluation["parties"]["RU"]["shortfall"])


def switch_territory(page: Any) -> None:
    """In the builder, on Kyiv's offer: cede Donbas (Russia still short, by less), then renounce
    the NATO goal in law as well (Russia accepts)."""
    verdict = page.locator("#verdict-RU")
    assert verdict.get_attribute("data-verdict") == "rejects"
    assert f"short {_ru_shortfall({}):.3f}" in verdict.inner_text()
    after = text_changes(
        page, "#verdict-RU", lambda: page.select_option("#issue-territory", "donbas-ceded")
    )
    assert f"short {_ru_shortfall({'territory': 'donbas-ceded'}):.3f}" in after
    page.select_option("#issue-nato", "renounced-in-law")
    page.wait_for_function(
        "() => document.querySelector('#verdict-RU')?.dataset.verdict === 'accepts'"
    )


def check_builder(page: Any) -> None:
    """Russia's verdict changed with the territory option, the address encodes the package."""
    assert page.locator("#verdict-RU").get_attribute("data-verdict") == "accepts"
    for term in ("territory%3Ddonbas-ceded", "nato%3Drenounced-in-law"):
        assert term in page.url or term.replace("%3D", "=") in page.url, term
    assert wait_for_charts(page) >= 1


def move_ru_walk_away(page: Any) -> None:
    """In the explorer, raise Russia's walk-away point to 0.6 and wait for the re-run."""
    before = page.locator("#explore-zone").get_attribute("data-margin")
    assert before == f"{_point_margin():.3f}"
    page.locator(f'input[data-path="{RU_WALK_AWAY}"]').evaluate(
        "el => el.closest('details').open = true"
    )
    set_slider(page, f'input[data-path="{RU_WALK_AWAY}"]', 0.6)
    page.wait_for_function(
        "old => document.querySelector('#explore-zone')?.dataset.margin !== old", arg=before
    )


def _point_margin() -> float:
    import zopa

    return float(zopa.explore().to_dict()["zone"]["margin"])


def check_assumptions(page: Any) -> None:
    """The zone's margin is the facade's for the explored value, and the address keeps it."""
    import zopa

    margin = zopa.explore(values={RU_WALK_AWAY: 0.6}).to_dict()["zone"]["margin"]
    assert page.locator("#explore-zone").get_attribute("data-margin") == f"{margin:.3f}"
    assert "preferences.RU.reservation%3D0.6" in page.url
    assert page.locator(".slider.changed").count() == 1
    assert wait_for_charts(page) >= 1


def check_space(page: Any) -> None:
    """The UA–RU frontier is drawn with its points, and the solutions table links the builder."""
    assert wait_for_charts(page) >= 1
    assert page.locator("#space-chart svg g.role-mark > *").count() > 100
    assert page.locator("#space-solutions a.open-builder").count() >= 1


def start_and_cancel(page: Any) -> None:
    """Start a long robustness run, see it running, cancel it."""
    page.fill("#samples", "20000")
    page.click("#start-run")
    page.wait_for_url("**/runs/**")
    page.wait_for_function("() => document.getElementById('run-status').textContent === 'running'")
    page.click("#cancel-run")
    page.wait_for_function(
        "() => document.getElementById('run-result').innerText.includes('cancelled')"
    )


def check_cancelled(page: Any) -> None:
    """The run page says the run was cancelled and offers no cancel button any more."""
    assert page.locator("#run-status").inner_text() == "cancelled"
    assert page.locator("#cancel-run").count() == 0
    assert "cancelled" in page.locator("#run-result").inner_text()


def run_to_the_end(page: Any) -> None:
    """Start a small robustness run and wait for its result."""
    page.fill("#samples", "300")
    page.click("#start-run")
    page.wait_for_url("**/runs/**")
    page.wait_for_selector("#run-result div.vega", timeout=CHART_TIMEOUT_MS * 4)


def check_run(page: Any) -> None:
    """A finished run shows the chart-layer's robustness charts, drawn."""
    assert page.locator("#run-status").inner_text() == "done"
    assert wait_for_charts(page, "#run-result") >= 3
    assert marks(page, "run-margin", "rect") > 0


def start_small_run(samples: str) -> Callable[[Any], None]:
    """Start a run from the page's run form with few samples, and wait until its charts show."""

    def act(page: Any) -> None:
        page.fill("#run-form input[name=samples]", samples)
        page.click("#start-run")
        page.wait_for_url("**/runs/**")
        page.wait_for_selector(
            '#run-result div.vega[data-rendered="1"]', timeout=CHART_TIMEOUT_MS * 4
        )

    return act


def run_done(title: str, *ids: str) -> Callable[[Any], None]:
    """A check that a finished run of the kind titled ``title`` shows its charts, drawn."""

    def check(page: Any) -> None:
        assert page.locator("h1").inner_text().startswith(title)
        assert page.locator("#run-status").inner_text() == "done"
        assert page.locator("#cancel-run").count() == 0
        wait_for_charts(page, "#run-result")
        for chart_id in ids:
            assert page.locator(f"#{chart_id} svg g.role-mark > *").count() > 0, chart_id

    return check


def charts_drawn(*ids: str) -> Callable[[Any], None]:
    """A check that the named charts are drawn, each with data marks."""

    def check(page: Any) -> None:
        wait_for_charts(page)
        for chart_id in ids:
            assert page.locator(f"#{chart_id} svg g.role-mark > *").count() > 0, chart_id

    return check


def check_timeline(page: Any) -> None:
    """The record in date order with sources, claims marked, the converging chart drawn."""
    charts_drawn("timeline-gaps")(page)
    assert page.locator("#timeline-entries li.entry").count() > 5
    assert page.locator(".claim-mark").count() >= 1
    days = page.locator("li.day").evaluate_all("els => els.map(e => e.id)")
    assert days == sorted(days)


def build_briefing(page: Any) -> None:
    """Build a small briefing (the analysis section only) and wait for its download link."""
    for box in page.locator("input[name=sections]").all():
        if box.get_attribute("value") != "analyze":
            box.uncheck()
    page.fill("#samples", "200")
    page.click("#start-run")
    page.wait_for_selector("#download-briefing", timeout=CHART_TIMEOUT_MS * 4)


def check_briefing(page: Any) -> None:
    """The briefing downloads as one HTML page."""
    with page.expect_download() as download:
        page.click("#download-briefing")
    assert download.value.suggested_filename == "briefing-berlin-2025-12.html"


def _has(page: Any, selector: str, text: str) -> None:
    assert text in page.locator(selector).first.inner_text()


@dataclass(frozen=True)
class PageCheck:
    """A page of the workspace as the browser tests and the screenshots see it.

    Attributes
    ----------
    name
        The screenshot's name (``build/screens/NAME.png``, ``docs/screens/NAME.png``).
    path
        The address to open (with its query string).
    check
        What must be on the page once it has loaded (it may wait, e.g. for charts).
    act
        What to do on the page before checking it (fill a form, move a slider), if anything.
    readme
        Whether the README shows it (``make screens`` writes it to ``docs/screens/``).
    """

    name: str
    path: str
    check: Callable[[Any], None]
    act: Callable[[Any], None] | None = field(default=None)
    readme: bool = True


def small_run(name: str, path: str, title: str, chart_id: str) -> PageCheck:
    """A page whose run form starts a 2-sample run; checked on the run's page once it is done."""
    return PageCheck(name, path, run_done(title, chart_id), act=start_small_run("2"), readme=False)


PAGES: list[PageCheck] = [
    PageCheck("overview", "/", check_overview),
    PageCheck(
        "builder",
        f"/builder?proposal={KYIV}",
        check_builder,
        act=switch_territory,
    ),
    PageCheck("assumptions", "/assumptions", check_assumptions, act=move_ru_walk_away),
    PageCheck("space", "/space?parties=UA,RU", check_space),
    PageCheck("robust-cancel", "/robust", check_cancelled, act=start_and_cancel, readme=False),
    PageCheck("robust", "/robust", check_run, act=run_to_the_end),
    PageCheck(
        "stability", "/stability?from=1", charts_drawn("stability-stability", "stability-evolution")
    ),
    PageCheck("forecast", "/forecast", charts_drawn("forecast-positions")),
    PageCheck("talks", "/talks", charts_drawn("talks-trace")),
    small_run("tournament", "/talks", "Tournament", "run-tournament"),
    PageCheck("timeline", "/timeline", check_timeline),
    small_run("timeline-run", "/timeline", "Timeline with uncertainty", "run-gaps"),
    PageCheck("report", "/report", check_briefing, act=build_briefing, readme=False),
    PageCheck(
        "history", "/versions", lambda page: _has(page, "h1", "Stored scenarios"), readme=False
    ),
    PageCheck("open", "/open", check_open, readme=False),
    PageCheck("open-error", "/open", check_open_error, act=open_broken),
]
"""Every page the browser tests open and photograph, in the navigation's order."""


def visit(page: Any, base: str, spec: PageCheck) -> None:
    """Open a page, do what it needs done, wait for it to load and check it."""
    page.goto(base + spec.path)
    page.wait_for_load_state("load")
    if spec.act is not None:
        spec.act(page)
    wait_for_charts(page)
    spec.check(page)
