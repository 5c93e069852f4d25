"""The engine pages of the workspace: stability, forecast, talks over time and timeline.

Each page is checked against the facade's own result for the same parameters (the embedded
chart specifications must be the facade's), for its parameters changing the result, for its
server-side limits (400 with a message), for a scenario without the section it needs (a clear
message, not an error page) and for ``as_of``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

import zopa
from zopa.web.app import create_app
from zopa.web.settings import Limits, Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


@pytest.fixture(scope="module")
def elmira() -> TestClient:
    return TestClient(create_app(Settings(source="elmira")))


@pytest.fixture(scope="module")
def berlin() -> zopa.Scenario:
    return zopa.load("berlin-2025-12")


def spec(html: str, element_id: str) -> dict[str, Any]:
    """The chart specification a page embeds for ``element_id``."""
    found = re.search(
        rf'<script type="application/json" id="spec-{re.escape(element_id)}">(.*?)</script>',
        html,
        re.S,
    )
    assert found is not None, f"no chart {element_id} on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def same(chart: zopa.charts.Chart) -> dict[str, Any]:
    """A facade chart's specification as it comes back out of the page's JSON."""
    data: dict[str, Any] = json.loads(json.dumps(chart.spec))
    return data


def chart_ids(html: str) -> list[str]:
    return re.findall(r'<div class="vega" id="([^"]+)"', html)


def marks(node: Any) -> set[str]:
    """Every mark type in a specification."""
    found: set[str] = set()
    if isinstance(node, dict):
        mark = node.get("mark")
        if isinstance(mark, str):
            found.add(mark)
        elif isinstance(mark, dict) and isinstance(mark.get("type"), str):
            found.add(mark["type"])
        for value in node.values():
            found |= marks(value)
    elif isinstance(node, list):
        for item in node:
            found |= marks(item)
    return found


def bad_request(response: Any, words: str) -> None:
    assert response.status_code == 400, response.text[:500]
    assert words in response.text.replace("&#39;", "'")


# -- stability ----------------------------------------------------------------------------------


def test_stability_page_embeds_the_facades_chart(client: TestClient, berlin: Any) -> None:
    r = client.get("/stability")
    assert r.status_code == 200
    expected = zopa.api.stability(berlin)
    assert (
        chart_ids(r.text) == [f"stability-{n}" for n in expected.charts] == ["stability-stability"]
    )
    assert spec(r.text, "stability-stability") == same(expected.chart("stability"))
    assert 'aria-current="page"' in r.text
    assert ">Stability</a>" in r.text
    assert '<label for="f-from">' in r.text
    assert '<label for="f-concept">' in r.text


def test_stability_from_a_start_state_adds_the_evolution(client: TestClient, berlin: Any) -> None:
    r = client.get("/stability", params={"from": "1", "concept": "SEQ"})
    assert r.status_code == 200
    expected = zopa.api.stability(berlin, start="1", concept="SEQ")
    assert chart_ids(r.text) == ["stability-stability", "stability-evolution"]
    assert spec(r.text, "stability-evolution") == same(expected.chart("evolution"))
    gmr = zopa.api.stability(berlin, start="1", concept="GMR").chart("evolution")
    other = spec(client.get("/stability", params={"from": "1"}).text, "stability-evolution")
    assert other == same(gmr) != spec(r.text, "stability-evolution")
    assert '<option value="1" selected>' in r.text


def test_stability_bad_parameters_are_400s(client: TestClient) -> None:
    bad_request(client.get("/stability", params={"from": "999"}), "no state number 999")
    bad_request(client.get("/stability", params={"concept": "XYZ"}), "concept must be one of")
    many = " ".join(["UA+RU"] * 9)
    bad_request(client.get("/stability", params={"coalitions": many}), "at most 8")


def test_stability_runs_on_a_strategic_only_scenario(elmira: TestClient) -> None:
    r = elmira.get("/stability", params={"from": "1"})
    assert r.status_code == 200
    expected = zopa.api.stability("elmira", start="1")
    assert spec(r.text, "stability-evolution") == same(expected.chart("evolution"))


# -- forecast -----------------------------------------------------------------------------------


def test_forecast_page_embeds_the_facades_chart(client: TestClient, berlin: Any) -> None:
    r = client.get("/forecast")
    assert r.status_code == 200
    expected = zopa.api.forecast(berlin)
    assert chart_ids(r.text) == [f"forecast-{n}" for n in expected.charts]
    got = spec(r.text, "forecast-positions")
    assert got == same(expected.chart("positions"))
    assert "line" in marks(got)


def test_forecast_parameters_change_the_result(client: TestClient, berlin: Any) -> None:
    params = {"model": "median", "rounds": "5", "issue": "nato"}
    r = client.get("/forecast", params=params)
    assert r.status_code == 200
    expected = zopa.api.forecast(berlin, model="median", rounds=5, issues=["nato"])
    assert spec(r.text, "forecast-positions") == same(expected.chart("positions"))
    assert spec(r.text, "forecast-positions") != spec(
        client.get("/forecast").text, "forecast-positions"
    )
    assert 'value="nato" checked' in r.text
    sampled = client.get("/forecast", params={"samples": "50", "seed": "3", "rounds": "5"})
    want = zopa.api.forecast(berlin, samples=50, seed=3, rounds=5).chart("positions")
    assert spec(sampled.text, "forecast-positions") == same(want)


def test_forecast_limits_are_400s(client: TestClient) -> None:
    bad_request(client.get("/forecast", params={"samples": "1001"}), "samples may be at most 1,000")
    bad_request(client.get("/forecast", params={"rounds": "201"}), "rounds may be at most 200")
    bad_request(client.get("/forecast", params={"rounds": "ten"}), "rounds must be a whole number")
    bad_request(client.get("/forecast", params={"q": "2"}), "q must lie between 0 and 1")
    bad_request(
        client.get("/forecast", params={"model": "mean", "variant": "paper"}),
        "variant applies to the eum model",
    )
    bad_request(client.get("/forecast", params={"issue": "nowhere"}), "nowhere")


def test_the_limits_come_from_the_settings() -> None:
    small = TestClient(create_app(Settings(limits=Limits(max_rounds=5, max_samples=10))))
    bad_request(small.get("/forecast", params={"rounds": "6"}), "rounds may be at most 5")
    bad_request(small.get("/forecast", params={"samples": "11"}), "samples may be at most 10")
    bad_request(small.get("/talks", params={"rounds": "6"}), "rounds may be at most 5")
    assert small.get("/forecast", params={"rounds": "5"}).status_code == 200
    runs = TestClient(create_app(Settings(limits=Limits(max_tournament_samples=7))))
    assert 'id="t-samples" name="samples" min="1" max="7"' in runs.get("/talks").text


# -- talks --------------------------------------------------------------------------------------


def test_talks_page_embeds_the_trace(client: TestClient, berlin: Any) -> None:
    r = client.get("/talks")
    assert r.status_code == 200
    expected = zopa.api.simulate(berlin)
    assert chart_ids(r.text) == [f"talks-{n}" for n in expected.charts]
    assert spec(r.text, "talks-trace") == same(expected.chart("trace"))
    # the tournament is a run (a worker process), started by the page's second form
    form = r.text[r.text.index('<form method="post" action="/runs" id="run-form"') :]
    assert '<input type="hidden" name="kind" value="tournament">' in form
    assert 'name="csrf_token"' in form
    assert form.count('name="strategies"') == 6
    assert 'id="runs"' in r.text  # this browser's tournaments


def test_talks_parameters_change_the_result(client: TestClient, berlin: Any) -> None:
    params = {"everyone": "boulware", "st_RU": "hardliner", "rounds": "20", "seed": "2"}
    r = client.get("/talks", params={**params, "x": "RU", "y": "US"})
    assert r.status_code == 200
    expected = zopa.api.simulate(berlin, strategy="boulware,RU=hardliner", rounds=20, seed=2)
    assert spec(r.text, "talks-trace") == same(expected.chart("trace", parties=("RU", "US")))
    assert spec(r.text, "talks-trace") != spec(client.get("/talks").text, "talks-trace")
    assert '<option value="hardliner" selected>' in r.text


def test_talks_no_longer_runs_a_tournament_in_the_request(client: TestClient) -> None:
    params = {"tournament": "1", "tsamples": "2", "tstrategy": ["linear", "hardliner"]}
    r = client.get("/talks", params=params)
    assert r.status_code == 200
    assert chart_ids(r.text) == chart_ids(client.get("/talks").text) == ["talks-trace"]
    memo = client.app.state.memo  # type: ignore[attr-defined]
    assert not [key for key in memo._values if key[0] == "tournament"]


def test_talks_limits_are_400s(client: TestClient) -> None:
    bad_request(client.get("/talks", params={"rounds": "201"}), "rounds may be at most 200")
    bad_request(client.get("/talks", params={"rounds": "0"}), "rounds must be at least 1")
    bad_request(client.get("/talks", params={"x": "RU"}), "choose both parties")
    bad_request(client.get("/talks", params={"everyone": "sly"}), "everyone must be one of")
    bad_request(client.get("/talks", params={"x": "RU", "y": "RU"}), "RU")


# -- timeline -----------------------------------------------------------------------------------


def test_timeline_page_embeds_the_converging_chart(client: TestClient, berlin: Any) -> None:
    r = client.get("/timeline")
    assert r.status_code == 200
    expected = zopa.api.timeline(berlin)
    assert chart_ids(r.text) == [f"timeline-{n}" for n in expected.charts]
    assert spec(r.text, "timeline-gaps") == same(expected.chart("gaps"))


def test_timeline_lists_the_record_with_sources_and_claims(client: TestClient, berlin: Any) -> None:
    html = client.get("/timeline").text
    total = len(berlin.proposals) + len(berlin.events) + len(berlin.reactions)
    assert html.count('data-kind="') == total
    assert html.count('data-kind="proposal"') == len(berlin.proposals)
    claims = [e for e in berlin.events if e.claimed_by]
    assert claims
    assert html.count('class="claim-mark') == len(claims)
    assert f"claimed by {claims[0].claimed_by}, not verified" in html
    url = berlin.sources[berlin.events[0].source[0]].url
    assert f'href="{url}"' in html
    days = re.findall(r'<li class="day" id="day-([0-9-]+)">', html)
    assert days == sorted(days)
    assert len(days) == len(set(days))
    for day in days:
        assert f'href="/?as_of={day}"' in html


def test_timeline_as_of_an_early_date(client: TestClient, berlin: Any) -> None:
    r = client.get("/timeline", params={"as_of": "2025-11-22"})
    assert r.status_code == 200
    assert 0 < r.text.count('data-kind="') < client.get("/timeline").text.count('data-kind="')
    assert "2025-12-14" not in re.findall(r'id="day-([0-9-]+)"', r.text)
    expected = zopa.api.timeline(berlin, as_of="2025-11-22")
    assert spec(r.text, "timeline-gaps") == same(expected.chart("gaps"))
    assert 'id="timeline-cut-summary"' in r.text
    assert expected.cut is not None
    assert expected.cut.summary() in r.text.replace("&#39;", "'")


def test_timeline_bad_date_is_a_400(client: TestClient) -> None:
    bad_request(client.get("/timeline", params={"as_of": "yesterday"}), "YYYY-MM-DD")


def test_timeline_samples_are_a_run_not_part_of_the_request(
    client: TestClient, berlin: Any
) -> None:
    r = client.get("/timeline", params={"samples": "5"})  # an old link: the point timeline
    assert r.status_code == 200
    assert spec(r.text, "timeline-gaps") == same(zopa.api.timeline(berlin).chart("gaps"))
    form = r.text[r.text.index('<form method="post" action="/runs" id="run-form"') :]
    assert '<input type="hidden" name="kind" value="timeline">' in form
    assert 'id="samples" name="samples" min="1" max="1000"' in form
    assert 'id="runs"' in r.text


# -- every page: a missing section, as_of ------------------------------------------------------


@pytest.mark.parametrize("path", ["/forecast", "/talks", "/timeline"])
def test_a_missing_section_gets_a_clear_message(elmira: TestClient, path: str) -> None:
    r = elmira.get(path)
    assert r.status_code == 200
    assert 'id="missing-section"' in r.text
    assert "has no" in r.text
    assert chart_ids(r.text) == []


def test_stability_missing_section_message() -> None:
    from zopa.web.shelf import Opened

    app = create_app(Settings())
    berlin = app.state.shelf.start.scenario
    without = berlin.model_copy(update={"strategic": None})
    app.state.shelf.start = Opened("start", "x.yaml", "", without)
    r = TestClient(app).get("/stability")
    assert r.status_code == 200
    assert "no strategic section" in r.text
    assert chart_ids(r.text) == []


@pytest.mark.parametrize("path", ["/stability", "/forecast", "/talks"])
def test_as_of_is_passed_to_the_facade(client: TestClient, path: str) -> None:
    r = client.get(path, params={"as_of": "2025-11-22"})
    assert r.status_code == 200
    page = path.strip("/")
    assert f'id="{page}-cut-summary"' in r.text
    assert 'value="2025-11-22"' in r.text  # the form keeps the date
    summary = re.search(rf'id="{page}-cut-summary">([^<]+)<', r.text)
    assert summary is not None
    assert summary.group(1).startswith("As of 2025-11-22: 4 proposals")


def test_results_are_kept(client: TestClient) -> None:
    client.get("/forecast", params={"rounds": "7"})
    memo = client.app.state.memo  # type: ignore[attr-defined]
    key = ("forecast", "start", None, "eum", None, 7, 0, 0, 1.0, 1.0, False, ())
    first = memo.peek(key)
    assert first is not None
    client.get("/forecast", params={"rounds": "7"})
    assert memo.peek(key) is first
