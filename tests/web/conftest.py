"""Shared fixtures of the web workspace's tests: applications, clients, a broken scenario.

The applications are built once per module (opening the default scenario and the overview's
analysis take about a second); tests that change an application's state make their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.conftest import SMALL_SCENARIO

pytest.importorskip("fastapi")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from zopa.web.app import create_app
from zopa.web.settings import Settings

TOKEN = "t0ken-for-the-tests-" + "x" * 12
"""The access token of the token-bound application (long enough, and easy to grep for)."""

BROKEN_FIELD = "preferences.US.reservation"
"""The field the broken scenario gets wrong (a walk-away point of 1.4)."""


def broken_text() -> str:
    """The small scenario with one located mistake: US's walk-away point 1.4 (line 50)."""
    text = SMALL_SCENARIO.read_text(encoding="utf-8")
    assert "reservation: 0.4\n" in text
    return text.replace("reservation: 0.4\n", "reservation: 1.4\n", 1)


def broken_line() -> int:
    """The line of the broken scenario's mistake (1-based)."""
    return next(
        n for n, line in enumerate(broken_text().splitlines(), 1) if "reservation: 1.4" in line
    )


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its ``<meta name="csrf-token">``."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """The workspace on the default scenario, on loopback, without a token."""
    return create_app(Settings())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A fresh client (its own cookies) of the module's application."""
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def token_app() -> FastAPI:
    """The workspace bound off loopback, so with a token."""
    return create_app(Settings(host="0.0.0.0", token=TOKEN))


@pytest.fixture
def token_client(token_app: FastAPI) -> Iterator[TestClient]:
    """A client of the token-bound application (it does not follow redirects)."""
    with TestClient(token_app, follow_redirects=False) as c:
        yield c
