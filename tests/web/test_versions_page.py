"""The store in the workspace: stored scenarios listed, versions opened, edits saved with the
conflict check, history and diffs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import zopa
from zopa.catalog import embedded_text
from zopa.web.app import create_app
from zopa.web.settings import Settings

BERLIN = embedded_text("berlin-2025-12").decode()
RU = "preferences.RU.reservation"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def client(db: str) -> TestClient:
    web = TestClient(create_app(Settings(db=db)))
    web.get("/open")  # the CSRF cookie
    return web


def _csrf(client: TestClient) -> str:
    return client.cookies["zopa_csrf"]


def test_an_empty_store_says_so(client: TestClient) -> None:
    page = client.get("/versions")
    assert page.status_code == 200
    assert 'id="store-empty"' in page.text


def test_stored_versions_are_listed_opened_and_diffed(client: TestClient, db: str) -> None:
    zopa.save(BERLIN, name="berlin.yaml", message="as shipped", db=db)
    edited = zopa.api.scenario_yaml(BERLIN, {RU: 0.45})
    assert edited != BERLIN
    zopa.save(edited, name="berlin.yaml", message="RU softer", db=db)
    listing = client.get("/versions")
    assert "berlin-2025-12" in listing.text
    assert "open @2" in listing.text
    history = client.get("/versions", params={"id": "berlin-2025-12"})
    assert history.status_code == 200
    assert 'id="version-1"' in history.text
    assert 'id="version-2"' in history.text
    assert "RU softer" in history.text
    overview = client.get("/", params={"s": "db:berlin-2025-12@2"})
    assert overview.status_code == 200
    expected = zopa.analyze(zopa.load("berlin-2025-12@2", db=db)).to_dict()["zopa"]["margin"]
    assert f"margin {expected:+.3f}" in overview.text
    diff = client.get("/diff", params={"a": "berlin-2025-12@1", "b": "berlin-2025-12@2"})
    assert diff.status_code == 200
    assert "RU walk-away" in diff.text
    assert "0.45" in diff.text
    yaml = client.get("/versions/berlin-2025-12@2.yaml")
    assert yaml.text == edited


def test_saving_an_edit_of_a_stored_version_and_the_conflict(client: TestClient, db: str) -> None:
    zopa.save(BERLIN, name="berlin.yaml", db=db)
    on_v1 = {"s": "db:berlin-2025-12@1"}
    first = client.post(
        "/versions/save-explored",
        params={**on_v1, "v": f"{RU}=0.47"},
        data={"csrf_token": _csrf(client), "message": "RU at 0.47"},
        follow_redirects=False,
    )
    assert first.status_code == 303
    assert "db%3Aberlin-2025-12%402" in first.headers["location"]
    stored = zopa.checkout("berlin-2025-12@2", db=db)
    assert zopa.load("berlin-2025-12@2", db=db) == zopa.assume(zopa.load(), {RU: 0.47})
    assert "edited in the workspace" in stored
    # a second edit based on @1, made before the page knew of @2: refused, both named, nothing saved
    second = client.post(
        "/versions/save-explored",
        params={**on_v1, "v": f"{RU}=0.52"},
        data={"csrf_token": _csrf(client), "message": "RU at 0.52"},
        follow_redirects=False,
    )
    assert second.status_code == 409
    assert "berlin-2025-12@2" in second.text
    assert "berlin-2025-12@1" in second.text
    assert [v.number for v in zopa.history("berlin-2025-12", db=db).versions] == [1, 2]


def test_pasted_text_is_saved_exactly_and_invalid_text_is_not(client: TestClient, db: str) -> None:
    saved = client.post(
        "/versions/save",
        data={"csrf_token": _csrf(client), "text": BERLIN, "message": "first"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert zopa.checkout("berlin-2025-12@1", db=db) == BERLIN
    broken = client.post(
        "/versions/save",
        data={"csrf_token": _csrf(client), "text": BERLIN.replace("zopa: 1", "zopa: 7", 1)},
    )
    assert broken.status_code == 422
    assert re.search(r"pasted\.yaml:\d+:\d+", broken.text)
    assert [v.number for v in zopa.history("berlin-2025-12", db=db).versions] == [1]
    # text that looks like a path is text, never a file the server reads
    path_like = client.post(
        "/versions/save", data={"csrf_token": _csrf(client), "text": "/etc/passwd"}
    )
    assert path_like.status_code == 422


def test_saving_needs_the_csrf_token(client: TestClient, db: str) -> None:
    refused = client.post("/versions/save", data={"text": BERLIN})
    assert refused.status_code == 403
    assert zopa.stored(db=db) == []


def test_a_store_that_cannot_be_opened_is_a_clear_page(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_text("hello, not a database\n")
    web = TestClient(create_app(Settings(db=f"sqlite:///{bad}")))
    page = web.get("/versions")
    assert page.status_code == 503
    assert "not" in page.text.lower()
    assert bad.read_text() == "hello, not a database\n"
