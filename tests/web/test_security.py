"""The workspace's security: token, CSRF, body limit, headers, errors, paths, binding."""

from __future__ import annotations

import asyncio
import builtins
import io
import logging
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SMALL_SCENARIO, invoke
from tests.web.conftest import TOKEN, broken_text, csrf_of

from zopa.web.app import create_app
from zopa.web.security import CSP, Guard
from zopa.web.settings import UPLOAD_LIMIT, Settings

HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _assert_secure_headers(response: Any) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)


def _routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # a router included in the app
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def _page_paths(app: FastAPI) -> list[str]:
    """Every GET route of the application without path parameters."""
    paths = {
        route.path
        for route in _routes(app.routes)
        if "GET" in (getattr(route, "methods", None) or ())
        and "{" not in getattr(route, "path", "{")
    }
    assert {"/", "/open", "/scenario.yaml", "/vega.js"} <= paths, paths
    return sorted(paths)


# --- the token ---------------------------------------------------------------------------


def test_every_route_needs_the_token(token_app: FastAPI, token_client: TestClient) -> None:
    paths = [*_page_paths(token_app), "/static/app.css", "/no-such-page"]
    assert "/" in paths
    assert "/open" in paths
    for path in paths:
        refused = token_client.get(path)
        assert refused.status_code == 401, path
        assert TOKEN not in refused.text
        _assert_secure_headers(refused)
        wrong = token_client.get(path, headers={"Authorization": "Bearer " + "y" * len(TOKEN)})
        assert wrong.status_code == 401, path
    # a POST too, before anything reads its body
    assert token_client.post("/open", data={"text": "x"}).status_code == 401


def test_the_bearer_token_lets_a_client_in(token_app: FastAPI, token_client: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for path in _page_paths(token_app):
        r = token_client.get(path, headers=bearer)
        assert r.status_code == 200, path
        assert TOKEN not in r.text, path


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(
    token_client: TestClient,
) -> None:
    r = token_client.get("/open", params={"token": TOKEN, "s": "elmira", "as_of": "2025-12-01"})
    assert r.status_code == 303
    location = r.headers["location"]
    assert TOKEN not in location
    assert urlsplit(location).path == "/open"
    assert parse_qs(urlsplit(location).query) == {"s": ["elmira"], "as_of": ["2025-12-01"]}
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"zopa_token={TOKEN};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    # the cookie now opens every page
    assert token_client.get(location).status_code == 200
    assert token_client.get("/").status_code == 200


def test_a_wrong_token_in_the_address_is_refused(token_client: TestClient) -> None:
    r = token_client.get("/", params={"token": "z" * 32})
    assert r.status_code == 401
    assert "set-cookie" not in r.headers


def test_the_token_is_never_logged(
    token_app: FastAPI,
    token_client: TestClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zopa.web.pages.overview as overview

    def broken(request: Any) -> Any:
        raise RuntimeError("the overview broke")

    caplog.set_level(logging.DEBUG)
    with TestClient(token_app, raise_server_exceptions=False, follow_redirects=False) as c:
        c.get("/", params={"token": TOKEN})
        c.get("/", headers={"Authorization": f"Bearer {TOKEN}"})
        c.get("/", params={"token": TOKEN[:-1] + "?"})
        c.get("/", headers={"Cookie": f"zopa_token={TOKEN}"}, params={"s": "../etc/passwd"})
        monkeypatch.setattr(overview, "overview_of", broken)
        failed = c.get("/", headers={"Authorization": f"Bearer {TOKEN}"})
        assert failed.status_code == 500
    # the server's own records (the test client's library logs its requests' addresses itself)
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any(r.levelno == logging.ERROR for r in server), "the failure was not logged"
    for record in server:
        text = record.getMessage()
        if record.exc_info is not None:
            text += logging.Formatter().formatException(record.exc_info)
        assert TOKEN not in text, record.name
        assert TOKEN[:12] not in text, record.name


# --- CSRF --------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/open")  # the client has its CSRF cookie now
    r = client.post("/open", data={"text": SMALL_SCENARIO.read_text()}, follow_redirects=False)
    assert r.status_code == 403
    assert "CSRF" in r.text
    _assert_secure_headers(r)


def test_a_post_with_a_wrong_csrf_token_is_refused(client: TestClient) -> None:
    token = csrf_of(client.get("/open").text)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for data, headers in (
        ({"csrf_token": wrong, "text": "zopa: 1"}, {}),
        ({"text": "zopa: 1"}, {"X-CSRF-Token": wrong}),
    ):
        r = client.post("/open", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 403
    # an upload refused leaves no spooled file open (filterwarnings=error would catch it)
    r = client.post(
        "/open",
        data={"csrf_token": wrong},
        files={"file": ("small.yaml", SMALL_SCENARIO.read_bytes(), "application/yaml")},
    )
    assert r.status_code == 403


def test_a_token_from_another_client_is_refused(app: FastAPI) -> None:
    with TestClient(app) as mallory, TestClient(app) as alice:
        stolen = csrf_of(mallory.get("/open").text)
        alice.get("/open")
        r = alice.post("/open", data={"csrf_token": stolen, "text": "zopa: 1"})
        assert r.status_code == 403


def test_a_cross_origin_post_is_refused_even_with_the_token(client: TestClient) -> None:
    token = csrf_of(client.get("/open").text)
    r = client.post(
        "/open",
        data={"csrf_token": token, "text": broken_text()},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403
    assert "cross-origin" in r.text
    same = client.post(
        "/open",
        data={"csrf_token": token, "text": broken_text()},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 422  # let through, and the scenario's problems shown


def test_the_csrf_cookie_is_http_only_and_strict(client: TestClient) -> None:
    r = client.get("/")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("zopa_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    # a client that has it is not given another
    assert "set-cookie" not in client.get("/open").headers


# --- the body limit ----------------------------------------------------------------------


def test_an_upload_over_2_mib_is_refused_with_its_length_declared(client: TestClient) -> None:
    token = csrf_of(client.get("/open").text)
    big = b"a: 1\n" * (UPLOAD_LIMIT // 5 + 10)
    r = client.post(
        "/open",
        data={"csrf_token": token},
        files={"file": ("big.yaml", big, "application/yaml")},
    )
    assert r.status_code == 413
    assert "2,048 KiB" in r.text
    _assert_secure_headers(r)


def test_an_upload_over_2_mib_is_refused_without_its_length(client: TestClient) -> None:
    token = csrf_of(client.get("/open").text)
    chunk = b"x" * 65536
    count = UPLOAD_LIMIT // len(chunk) + 2

    def chunks() -> Iterator[bytes]:
        for _ in range(count):
            yield chunk

    r = client.post(
        "/open",
        content=chunks(),
        headers={"X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413


def test_a_bogus_content_length_is_refused(client: TestClient) -> None:
    r = client.post("/open", content=b"", headers={"Content-Length": "-1"})
    assert r.status_code in (400, 413)


def _guarded(limit: int, chunks: list[bytes], declare: bool) -> int:
    """Send a body in ``chunks`` through a Guard with a ``limit``; return the status."""
    seen: dict[str, Any] = {}

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen["body"] = body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    headers = [(b"host", b"testserver")]
    if declare:
        headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": headers}
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks or [b""])
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    guard = Guard(inner, token=None, body_limit=limit)
    # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    status = int(sent[0]["status"])
    if status == 200:
        assert seen["body"] == b"".join(chunks)
    return status


@given(
    limit=st.integers(min_value=0, max_value=200),
    chunks=st.lists(st.binary(max_size=80), max_size=6),
    declare=st.booleans(),
)
def test_the_guard_refuses_exactly_the_bodies_over_the_limit(
    limit: int, chunks: list[bytes], declare: bool
) -> None:
    size = sum(map(len, chunks))
    assert _guarded(limit, chunks, declare) == (413 if size > limit else 200)


# --- headers and errors ------------------------------------------------------------------


def test_every_response_carries_the_security_headers(
    app: FastAPI, client: TestClient, token_client: TestClient
) -> None:
    responses = [client.get(p) for p in _page_paths(app)]
    responses += [
        client.get("/static/app.css"),
        client.get("/static/app.js"),
        client.get("/static/favicon.svg"),
        client.get("/static/no-such-file.js"),
        client.get("/no-such-page"),
        client.get("/", params={"s": "nothing-by-this-name"}),
        client.post("/open", data={"text": "x"}),
        token_client.get("/"),
    ]
    assert {r.status_code for r in responses} >= {200, 400, 401, 403, 404}
    for r in responses:
        _assert_secure_headers(r)


def test_the_csp_allows_scripts_only_from_the_app() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self' 'unsafe-eval'"  # Vega's expression compiler
    assert "'unsafe-inline'" not in CSP
    assert directives["frame-ancestors"] == "'none'"


@pytest.fixture
def failing_client(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    import zopa.web.pages.overview as overview

    def broken(request: Any) -> Any:
        raise RuntimeError("secret internals: /srv/zopa/state.db")

    monkeypatch.setattr(overview, "overview_of", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_an_internal_error_shows_an_id_and_logs_the_traceback(
    failing_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="zopa.web")
    r = failing_client.get("/")
    assert r.status_code == 500
    _assert_secure_headers(r)
    found = re.search(r"error id ([0-9a-f]{8})", r.text)
    assert found, r.text
    for leak in ("Traceback", "RuntimeError", "secret internals", "overview.py", 'File "'):
        assert leak not in r.text
    logged = [rec for rec in caplog.records if found.group(1) in rec.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "secret internals" in logging.Formatter().formatException(logged[0].exc_info)
    # the API gets the same as JSON
    j = failing_client.get("/", headers={"Accept": "application/json"})
    assert j.status_code == 500
    assert j.json()["error"] == "Internal error"
    assert "Traceback" not in j.text


# --- paths -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "/etc/passwd", "u-../../etc/passwd", "..%2f..%2fetc%2fpasswd"]
)
def test_a_scenario_key_is_never_a_path(client: TestClient, key: str) -> None:
    for path in ("/", "/scenario.yaml", "/open"):
        r = client.get(path, params={"s": key})
        if path == "/open":  # the form does not read the scenario
            assert r.status_code == 200
            continue
        assert r.status_code == 400, path
        assert "root:" not in r.text
        assert "unknown scenario" in r.text.lower() or "not open" in r.text


def test_no_route_opens_a_file_the_client_names(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    bait = tmp_path / "bait.yaml"
    bait.write_text(SMALL_SCENARIO.read_text())
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    client.get("/")  # warm the caches, so that what is opened below is what a request opens
    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    for path in _page_paths(app):
        for name in ("s", "as_of", "file", "path", "scenario", "terms", "v"):
            client.get(path, params={name: str(bait)})
    token = csrf_of(client.get("/open").text)
    client.post("/open", data={"csrf_token": token, "text": str(bait)})
    client.post(
        "/open",
        data={"csrf_token": token},
        files={"file": (str(bait), b"zopa: 1\n", "application/yaml")},
    )
    assert not [p for p in opened if "bait" in p]


def test_an_upload_name_with_folders_keeps_only_the_name(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    token = csrf_of(client.get("/open").text)
    for name in ("../../evil.yaml", "..\\..\\evil.yaml", "/tmp/x/evil.yaml"):
        r = client.post(
            "/open",
            data={"csrf_token": token},
            files={"file": (name, broken_text().encode(), "application/yaml")},
        )
        assert r.status_code == 422
        assert "evil.yaml:" in r.text
        assert "../" not in r.text.split("</h1>", 1)[1].split("<form", 1)[0]
    good = client.post(
        "/open",
        data={"csrf_token": token},
        files={"file": ("../../good.yaml", SMALL_SCENARIO.read_bytes(), "application/yaml")},
        follow_redirects=False,
    )
    key = parse_qs(urlsplit(good.headers["location"]).query)["s"][0]
    download = client.get("/scenario.yaml", params={"s": key})
    assert 'filename="good.yaml"' in download.headers["content-disposition"]
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent.parent / "good.yaml").exists()


# --- binding -----------------------------------------------------------------------------


def test_binding_off_loopback_needs_a_token() -> None:
    with pytest.raises(ValueError, match="requires a token"):
        Settings(host="0.0.0.0")
    with pytest.raises(ValueError, match="requires a token"):
        Settings(host="192.168.1.10")
    with pytest.raises(ValueError, match="at least 16"):
        Settings(host="0.0.0.0", token="short")
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert Settings(host=host).token is None


def test_serve_off_loopback_generates_and_prints_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    ran: dict[str, Any] = {}

    def run(app: Any, **kwargs: Any) -> None:
        ran.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    out = invoke("serve", "--host", "0.0.0.0", "--port", "8799")
    assert out.exit_code == 0, out.stderr
    found = re.search(r"http://0\.0\.0\.0:8799/\?token=([A-Za-z0-9_-]+) ", out.stderr)
    assert found, out.stderr
    token = found.group(1)
    assert len(token) >= 32
    assert ran["app"].state.settings.token == token
    assert ran["host"] == "0.0.0.0"
    assert ran["access_log"] is False
    # every run its own token
    again = invoke("serve", "--host", "0.0.0.0", "--port", "8799")
    assert token not in again.stderr


def test_serve_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    from zopa.cli import serve_settings

    settings, url = serve_settings(None, "127.0.0.1", 8765, None, None)
    assert settings.token is None
    assert url == "http://127.0.0.1:8765/"
    settings, url = serve_settings("elmira", "::", 9000, TOKEN, None)
    assert settings.token == TOKEN
    assert settings.source == "elmira"
    assert url == f"http://[::]:9000/?token={TOKEN}"
    with pytest.raises(typer.Exit) as exc:
        serve_settings(None, "0.0.0.0", 8765, "short", None)
    assert exc.value.exit_code == 2


def test_serve_with_a_short_token_is_a_usage_error() -> None:
    out = invoke("serve", "--host", "0.0.0.0", "--token", "short")
    assert out.exit_code == 2
    assert "--token" in out.stderr
    assert "16" in out.stderr


def test_the_app_on_a_token_is_built_from_settings() -> None:
    app = create_app(Settings(host="0.0.0.0", token=TOKEN))
    with TestClient(app) as c:
        assert c.get("/").status_code == 401
