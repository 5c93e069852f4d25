"""The robustness and report pages: runs started, followed, isolated, bounded, cancelled."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.test_engine_pages import same, spec

import zopa
from zopa.web.app import create_app
from zopa.web.settings import Limits, Settings

DEADLINE = 180.0


@pytest.fixture(scope="module")
def app() -> Iterator[object]:
    web = create_app(Settings(limits=Limits(max_samples=5_000, max_runs_per_client=1)))
    with TestClient(web):  # runs the lifespan: the job manager is shut down at the end
        yield web


def _client(app: object) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    client.get("/robust")  # gets this browser's CSRF cookie
    return client


def _post(client: TestClient, url: str, body: dict[str, object] | None = None) -> object:
    return client.post(url, json=body or {}, headers={"X-CSRF-Token": client.cookies["zopa_csrf"]})


def _wait(client: TestClient, job_id: str) -> dict[str, object]:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        state = client.get(f"/api/runs/{job_id}").json()
        if state["status"] not in ("queued", "running"):
            return dict(state)
        time.sleep(0.2)
    raise AssertionError(f"run {job_id} did not finish in {DEADLINE} s")


def test_a_run_gives_the_facades_result_and_its_charts(app: object) -> None:
    client = _client(app)
    started = _post(client, "/api/runs", {"kind": "robust", "samples": 200, "seed": 4})
    assert started.status_code == 202  # type: ignore[attr-defined]
    job = started.json()  # type: ignore[attr-defined]
    assert _wait(client, job["id"])["status"] == "done"
    page = client.get(f"/runs/{job['id']}")
    assert page.status_code == 200
    expected = zopa.robust(samples=200, seed=4, workers=1)
    for name in expected.charts:
        assert f'id="spec-run-{name}"' in page.text
    assert expected.chart().title.replace("'", "&#39;") in page.text
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed] == [job["id"]]


def test_another_browser_neither_sees_nor_cancels_a_run(app: object) -> None:
    owner, other = _client(app), _client(app)
    job = _post(owner, "/api/runs", {"kind": "robust", "samples": 200}).json()  # type: ignore[attr-defined]
    assert other.get(f"/api/runs/{job['id']}").status_code == 404
    assert other.get(f"/runs/{job['id']}").status_code == 404
    assert _post(other, f"/api/runs/{job['id']}/cancel").status_code == 404  # type: ignore[attr-defined]
    assert other.get("/api/runs").json() == []
    assert _wait(owner, job["id"])["status"] == "done"


def test_a_long_run_is_cancelled(app: object) -> None:
    client = _client(app)
    job = _post(client, "/api/runs", {"kind": "robust", "samples": 5_000}).json()  # type: ignore[attr-defined]
    cancelled = _post(client, f"/api/runs/{job['id']}/cancel")
    assert cancelled.status_code == 200  # type: ignore[attr-defined]
    assert _wait(client, job["id"])["status"] == "cancelled"


def test_limits_are_enforced_on_the_server(app: object) -> None:
    client = _client(app)
    too_many = _post(client, "/api/runs", {"kind": "robust", "samples": 5_001})
    assert too_many.status_code == 400  # type: ignore[attr-defined]
    assert "5,000" in " ".join(too_many.json()["messages"]) or "5000" in too_many.text  # type: ignore[attr-defined]
    first = _post(client, "/api/runs", {"kind": "robust", "samples": 5_000}).json()  # type: ignore[attr-defined]
    second = _post(client, "/api/runs", {"kind": "robust", "samples": 200})
    assert second.status_code == 429  # type: ignore[attr-defined]
    _post(client, f"/api/runs/{first['id']}/cancel")
    _wait(client, first["id"])


def test_bad_parameters_are_refused_before_any_run(app: object) -> None:
    client = _client(app)
    for body in (
        {"kind": "robust", "samples": "many"},
        {"kind": "robust", "engine": "magic"},
        {"kind": "sideways"},
    ):
        response = _post(client, "/api/runs", body)
        assert response.status_code == 400, body  # type: ignore[attr-defined]
    assert client.get("/api/runs").json() == []
    assert client.post("/api/runs", json={"kind": "robust"}).status_code == 403  # no CSRF token


def test_the_form_starts_a_run_without_javascript(app: object) -> None:
    client = _client(app)
    response = client.post(
        "/runs",
        data={
            "kind": "robust",
            "samples": "200",
            "seed": "1",
            "csrf_token": client.cookies["zopa_csrf"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    job_id = response.headers["location"].split("/runs/")[1].split("?")[0]
    assert _wait(client, job_id)["status"] == "done"


def test_a_robust_run_has_no_briefing(app: object) -> None:
    client = _client(app)
    job = _post(client, "/api/runs", {"kind": "robust", "samples": 50}).json()  # type: ignore[attr-defined]
    _wait(client, job["id"])
    assert client.get(f"/runs/{job['id']}/briefing.html").status_code == 409


def test_the_briefing_is_built_and_downloaded(app: object) -> None:
    client = _client(app)
    job = _post(
        client, "/api/runs", {"kind": "report", "samples": 200, "sections": ["analyze"]}
    ).json()  # type: ignore[attr-defined]
    assert _wait(client, job["id"])["status"] == "done"
    download = client.get(f"/runs/{job['id']}/briefing.html")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert "<!DOCTYPE html>" in download.text
    assert "zopa report berlin-2025-12.yaml --samples 200" in download.text


def _started(response: object) -> str:
    """The id of the run a form started (it answers 303 to the run's page)."""
    assert response.status_code == 303, response.text[:500]  # type: ignore[attr-defined]
    return str(response.headers["location"].split("/runs/")[1].split("?")[0])  # type: ignore[attr-defined]


def test_the_tournament_form_starts_a_run_whose_page_shows_its_charts(app: object) -> None:
    client = _client(app)
    talks = client.get("/talks").text
    assert '<input type="hidden" name="kind" value="tournament">' in talks
    job_id = _started(
        client.post(
            "/runs",
            data={
                "kind": "tournament",
                "samples": "2",
                "seed": "3",
                "rounds": "8",
                "strategies": ["linear", "hardliner"],
                "csrf_token": client.cookies["zopa_csrf"],
            },
            follow_redirects=False,
        )
    )
    assert _wait(client, job_id)["status"] == "done"
    page = client.get(f"/runs/{job_id}").text
    assert f"<h1>Tournament {job_id[:6]}</h1>" in page
    assert "2 samples, seed 3, strategies linear, hardliner, 8 rounds" in page
    expected = zopa.tournament(
        samples=2, seed=3, rounds=8, strategies=["linear", "hardliner"], workers=1
    )
    assert expected.charts
    for name in expected.charts:
        assert spec(page, f"run-{name}") == same(expected.chart(name))
    assert 'href="/talks">All your runs' in page
    assert f'data-run="{job_id}"' in client.get("/talks").text  # listed where it was started
    assert f'data-run="{job_id}"' not in client.get("/robust").text


def test_a_timeline_run_gives_the_sampled_timeline(app: object) -> None:
    client = _client(app)
    job = _post(client, "/api/runs", {"kind": "timeline", "samples": 2, "seed": 1}).json()  # type: ignore[attr-defined]
    assert _wait(client, job["id"])["status"] == "done"
    page = client.get(f"/runs/{job['id']}").text
    assert "<h1>Timeline with uncertainty" in page
    assert "2 samples per date, seed 1" in page
    expected = zopa.timeline(samples=2, seed=1, workers=1)
    assert spec(page, "run-gaps") == same(expected.chart("gaps"))
    swapped = client.get(f"/runs/{job['id']}/result").text  # what the page swaps in
    assert spec(swapped, "run-gaps") == same(expected.chart("gaps"))
    assert f'data-run="{job["id"]}"' in client.get("/timeline").text


def test_tournament_and_timeline_limits_are_400s(app: object) -> None:
    client = _client(app)
    for body, words in (
        ({"kind": "tournament", "samples": 201}, "between 1 and 200"),
        ({"kind": "tournament", "rounds": 201}, "between 1 and 200"),
        ({"kind": "tournament", "strategies": ["sly"]}, "sly"),
        ({"kind": "timeline", "samples": 1_001}, "between 1 and 1,000"),
        ({"kind": "timeline", "samples": 0}, "between 1 and 1,000"),
    ):
        response = _post(client, "/api/runs", body)
        assert response.status_code == 400, body  # type: ignore[attr-defined]
        assert words in " ".join(response.json()["messages"]), body  # type: ignore[attr-defined]
    form = client.post(
        "/runs",
        data={"kind": "tournament", "samples": "500", "csrf_token": client.cookies["zopa_csrf"]},
    )
    assert form.status_code == 400
    assert "between 1 and 200" in form.text
    assert client.get("/api/runs").json() == []
