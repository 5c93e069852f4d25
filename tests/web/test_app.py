"""The workspace's routes through FastAPI's test client: overview, open, download, links."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request
from tests.conftest import SMALL_SCENARIO
from tests.web.conftest import BROKEN_FIELD, broken_line, broken_text, csrf_of

import zopa
from zopa.catalog import DEFAULT, embedded_text
from zopa.web.app import link
from zopa.web.shelf import text_key


def _spec(page: str, element_id: str) -> dict[str, object]:
    found = re.search(
        rf'<script type="application/json" id="spec-{element_id}">(.*?)</script>', page, re.S
    )
    assert found, f"no chart {element_id} on the page"
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def _verdict(page: str) -> str:
    found = re.search(r'id="zone-verdict">(.*?)</p>', page, re.S)
    assert found, "no zone verdict on the page"
    return " ".join(html.unescape(found.group(1)).split())


def _open(client: TestClient, **form: str) -> httpx2.Response:
    token = csrf_of(client.get("/open").text)
    return client.post("/open", data={"csrf_token": token, **form}, follow_redirects=False)


def test_overview_shows_the_zone_verdict_and_the_acceptance_chart(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    analysis = zopa.analyze()
    zone = analysis.to_dict()["zopa"]
    verdict = _verdict(r.text)
    assert verdict.startswith("A zone of agreement exists" if zone["exists"] else "No package")
    assert f"{zone['size']:,} of {zone['total']:,} packages" in verdict
    assert f"margin {zone['margin']:+.3f}" in verdict
    # the chart the page draws is the facade's chart, exactly
    assert _spec(r.text, "who-accepts-what") == analysis.chart("acceptance").spec
    # and its table of utilities lists every proposal
    table = html.unescape(r.text[r.text.index('id="acceptance-table"') :])
    for proposal in analysis.to_dict()["proposals"]:
        assert proposal["title"] in table


def test_overview_of_an_embedded_scenario_and_a_date(client: TestClient) -> None:
    r = client.get("/", params={"s": "elmira"})
    assert r.status_code == 200
    assert "Elmira" in r.text
    dated = client.get("/", params={"as_of": "2025-12-01"})
    assert dated.status_code == 200
    assert "Showing the scenario as known on <strong>2025-12-01</strong>" in dated.text
    # the links of the page keep the date
    assert 'href="/open?as_of=2025-12-01"' in dated.text


def test_a_bad_date_is_a_400_not_a_crash(client: TestClient) -> None:
    r = client.get("/", params={"as_of": "yesterday"})
    assert r.status_code == 400
    assert "Traceback" not in r.text


def test_open_a_broken_scenario_shows_located_problems_and_opens_nothing(
    client: TestClient,
) -> None:
    r = _open(client, text=broken_text())
    assert r.status_code == 422
    page = r.text
    problems = re.findall(r'<li data-line="(\d*)" data-column="(\d*)">(.*?)</li>', page, re.S)
    assert problems, "no located problem shown"
    line, column, text = problems[0]
    assert int(line) == broken_line()
    assert int(column) > 0
    assert html.unescape(text).startswith(f"pasted.yaml:{line}:{column}: {BROKEN_FIELD}: ")
    # the text comes back in the form, and the marked line under it
    assert "reservation: 1.4" in page
    assert 'class="marked"' in page
    # nothing was opened: the broken text's key names nothing, the start scenario is unchanged
    assert client.get("/", params={"s": text_key(broken_text())}).status_code == 400
    assert client.get("/scenario.yaml").text == embedded_text(DEFAULT).decode()


def test_open_a_broken_yaml_syntax_error(client: TestClient) -> None:
    r = _open(client, text="zopa: 1\nid: x\n  title: [oops\n")
    assert r.status_code == 422
    assert 'data-line="3" data-column="8"' in r.text
    assert "YAML syntax error" in r.text


def test_open_a_valid_upload_redirects_to_its_overview(client: TestClient) -> None:
    text = SMALL_SCENARIO.read_text(encoding="utf-8")
    token = csrf_of(client.get("/open").text)
    r = client.post(
        "/open",
        data={"csrf_token": token},
        files={"file": ("small.yaml", text.encode(), "application/yaml")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    location = r.headers["location"]
    key = parse_qs(urlsplit(location).query)["s"][0]
    assert urlsplit(location).path == "/"
    assert re.fullmatch(r"u-[0-9a-f]{16}", key)
    page = client.get(location)
    assert page.status_code == 200
    assert "<h1>Small test scenario</h1>" in page.text
    assert _verdict(page.text)
    # its YAML comes back exactly as given
    download = client.get("/scenario.yaml", params={"s": key})
    assert download.status_code == 200
    assert download.text == text
    assert 'filename="small.yaml"' in download.headers["content-disposition"]


def test_pasting_the_same_text_gives_the_same_key(client: TestClient) -> None:
    text = SMALL_SCENARIO.read_text(encoding="utf-8")
    first = _open(client, text=text).headers["location"]
    second = _open(client, text=text).headers["location"]
    assert first == second


def test_download_returns_the_start_scenario_as_given(client: TestClient) -> None:
    r = client.get("/scenario.yaml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/yaml")
    assert r.text == embedded_text(DEFAULT).decode()


def test_unknown_page_is_a_404_page(client: TestClient) -> None:
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert "<h1>Not Found</h1>" in r.text


def test_every_page_of_the_navigation_answers(app: FastAPI, client: TestClient) -> None:
    assert [label for label, _, _ in app.state.nav][:1] == ["Overview"]
    for _, path, _ in app.state.nav:
        r = client.get(path)
        assert r.status_code == 200, path
        assert 'aria-current="page"' in r.text


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query.encode()})


KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda k: k not in ("s", "as_of")
)
VALUES = st.text(min_size=1, max_size=12).filter(lambda v: "\x00" not in v)


@given(
    s=VALUES,
    as_of=st.dates().map(str),
    params=st.dictionaries(KEYS, VALUES, max_size=4),
)
def test_link_keeps_the_scenario_and_date_and_round_trips_params(
    s: str, as_of: str, params: dict[str, str]
) -> None:
    from urllib.parse import urlencode

    request = _request(urlencode({"s": s, "as_of": as_of, "other": "dropped"}))
    address = link("/builder", request, **params)
    parts = urlsplit(address)
    assert parts.path == "/builder"
    got = parse_qs(parts.query, keep_blank_values=True)
    assert got == {"s": [s], "as_of": [as_of], **{k: [v] for k, v in params.items()}}


@given(s=VALUES)
def test_link_can_drop_the_date(s: str) -> None:
    from urllib.parse import urlencode

    request = _request(urlencode({"s": s, "as_of": "2025-12-01"}))
    assert parse_qs(urlsplit(link("/", request, as_of="")).query) == {"s": [s]}
