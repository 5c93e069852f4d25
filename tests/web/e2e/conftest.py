"""Fixtures of the browser tests: the live workspace (with and without a token) and Chromium.

Chromium is Debian's (found by :func:`zopa.render.pdf.find_chromium`), launched by path; none is
downloaded. Without it the tests are skipped, except under CI (``CI=true``), where a missing
browser is a failure (``.ci/run`` installs it). Every test's page records its console: any
error there (a CSP violation, an uncaught exception, a failed load) fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.conftest import TOKEN
from tests.web.e2e.harness import CHROMIUM_ARGS, VIEWPORT, LiveServer, chromium_path, watch

from zopa.web.settings import Settings


def _needed(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs {what} for the browser tests")
    pytest.skip(f"no {what} on this machine")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Chromium (skip, or fail under CI, without it)."""
    path = chromium_path()
    if path is None:
        _needed("Chromium (apt-get install chromium)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The workspace on the default scenario, on loopback, without a token."""
    server = LiveServer(Settings()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def token_server() -> Iterator[LiveServer]:
    """The workspace with an access token (as when bound off loopback)."""
    server = LiveServer(Settings(host="0.0.0.0", token=TOKEN)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """Chromium driven by Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        _needed("Playwright (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own cookies) at 1280×900; fails the test on any console error."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    problems = watch(tab)
    try:
        yield tab
    finally:
        context.close()
    assert not problems, "\n".join(problems)
