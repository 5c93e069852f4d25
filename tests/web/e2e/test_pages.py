"""The workspace in a real browser: every page drawn, a broken upload located, the token, keys.

Each page of :data:`tests.web.e2e.harness.PAGES` is opened, checked and photographed to
``build/screens/NAME.png``; the page fixture fails a test on any console error (a CSP
violation, a script error).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import TOKEN
from tests.web.e2e.harness import (
    PAGES,
    LiveServer,
    PageCheck,
    broken_scenario,
    check_open_error,
    screenshot,
    visit,
    wait_for_charts,
)


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_page(page: Any, live_server: LiveServer, spec: PageCheck) -> None:
    visit(page, live_server.url, spec)
    screenshot(page, spec.name)


def test_overview_chart_marks_are_drawn(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_charts(page) == 1
    chart = page.locator("#who-accepts-what")
    assert chart.get_attribute("data-rendered") == "1"
    assert chart.locator("svg path").count() > 0
    # the chart's text alternative: the table under it opens
    page.locator("#figure-who-accepts-what summary").click()
    assert page.locator("#figure-who-accepts-what table tbody tr").count() > 0


def test_upload_a_broken_file_shows_the_located_error(
    page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    text, line = broken_scenario()
    page.goto(live_server.url + "/open")
    page.set_input_files(
        "#file", files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Open").click()
    page.wait_for_selector("#problems li")
    check_open_error(page)
    assert page.locator("#problems li").first.inner_text().startswith(f"broken.yaml:{line}:")
    screenshot(page, "open-upload-error")


def test_upload_a_valid_file_opens_its_overview(page: Any, live_server: LiveServer) -> None:
    from tests.conftest import SMALL_SCENARIO

    page.goto(live_server.url + "/open")
    page.set_input_files("#file", str(SMALL_SCENARIO))
    page.get_by_role("button", name="Open").click()
    page.wait_for_url("**/?s=u-*")
    assert page.locator("h1").inner_text() == "Small test scenario"
    wait_for_charts(page)
    assert page.locator("#zone-verdict").is_visible()


def test_without_the_token_the_browser_gets_401(page: Any, token_server: LiveServer) -> None:
    response = page.goto(token_server.url + "/")
    assert response is not None
    assert response.status == 401
    assert "access token" in page.content()


def test_the_token_link_lets_the_browser_in(page: Any, token_server: LiveServer) -> None:
    response = page.goto(f"{token_server.url}/?token={TOKEN}")
    assert response is not None
    assert response.status == 200
    assert TOKEN not in page.url  # the redirect took it out of the address
    wait_for_charts(page)
    screenshot(page, "token-signed-in")
    # the cookie keeps the browser in, on every page
    assert page.goto(token_server.url + "/open").status == 200  # type: ignore[union-attr]
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["zopa_token"]["httpOnly"] is True


def test_keyboard_reaches_the_skip_link_then_the_navigation(
    page: Any, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator("a.skip").is_visible()  # shown when focused
    screenshot(page, "keyboard-skip-link")
    seen = []
    for _ in range(len(PAGES) + 3):  # the brand link, then every page of the navigation
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent.trim()"))
    for label in ("Overview", "Open"):
        assert label in seen, seen
    # Enter on the skip link moves the focus to the content
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_watcher_catches_a_csp_violation(browser: Any, live_server: LiveServer) -> None:
    """The page fixture's console check can fail: an inline script the CSP refuses is caught."""
    from tests.web.e2e.harness import watch

    context = browser.new_context()
    try:
        tab = context.new_page()
        problems = watch(tab)
        tab.goto(live_server.url + "/open")
        tab.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.hacked = 1'; document.body.appendChild(s); }"
        )
        tab.wait_for_timeout(200)
        assert tab.evaluate("window.hacked") is None
        assert any("Content Security Policy" in p for p in problems), problems
    finally:
        context.close()


def test_the_slider_helpers_drive_a_range_input(page: Any, live_server: LiveServer) -> None:
    """``set_slider`` fires what a page's script listens to; ``text_changes`` waits for it."""
    from tests.web.e2e.harness import set_slider, text_changes

    page.goto(live_server.url + "/open")
    page.evaluate(
        """() => { const i = document.createElement('input'); i.type = 'range'; i.id = 'probe';
          i.min = '0'; i.max = '1'; i.step = '0.01'; i.value = '0.5';
          const o = document.createElement('output'); o.id = 'probe-out'; o.textContent = '-';
          i.addEventListener('change', () => { setTimeout(() => { o.textContent = i.value; }, 50); });
          document.querySelector('main').append(i, o); }"""
    )
    shown = text_changes(page, "#probe-out", lambda: set_slider(page, "#probe", 0.47))
    assert shown == "0.47"


def test_clicking_a_point_of_the_space_opens_it_in_the_builder(
    browser: Any, live_server: LiveServer
) -> None:
    import zopa

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script("document.addEventListener('zopa:chart', e => window.__view = e.detail)")
    page.goto(live_server.url + "/space?parties=UA,RU")
    wait_for_charts(page)
    page.wait_for_function("() => window.__view !== undefined")
    nash = zopa.analyze().to_dict()["solutions"]["nash"]
    x, y = nash["utilities"]["UA"], nash["utilities"]["RU"]
    svg = page.locator("#space-chart svg").bounding_box()
    at = page.evaluate(
        """([x, y]) => { const v = window.__view; const pad = v.padding();
             return [pad.left + v.origin()[0] + v.scale('x')(x),
                     pad.top + v.origin()[1] + v.scale('y')(y)]; }""",
        [x, y],
    )
    page.mouse.click(svg["x"] + at[0], svg["y"] + at[1])
    page.wait_for_url("**/builder?**")
    for issue, option in nash["package"].items():
        assert page.locator(f"#issue-{issue}").input_value() == option, issue
    assert page.locator("#builder-verdict").get_attribute("data-bridges") == "yes"
    context.close()
