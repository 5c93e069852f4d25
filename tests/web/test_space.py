"""The agreement space page: any two parties' plane, its points opened in the builder."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.web._html import Element, parse

import zopa
from zopa.web.app import create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def scenario() -> zopa.Scenario:
    return zopa.load()


def spec(page: Element) -> dict:
    return json.loads(page.by_id("spec-space-chart").text)


def chosen(page: Element) -> tuple[str, str]:
    def one(element_id: str) -> str:
        (option,) = [o for o in page.by_id(element_id).find("option") if "selected" in o.attrs]
        return option.attrs["value"]

    return one("space-x"), one("space-y")


def rows(s: dict) -> list[dict]:
    return [r for layer in s["layer"] for r in layer.get("data", {}).get("values", [])]


def test_the_default_pair_is_the_analysis_default(client, scenario):
    analysis = zopa.analyze(scenario, pareto=False, limit=0)
    x, y = analysis.opposed_parties()
    page = parse(client.get("/space").text)
    assert chosen(page) == (x, y)
    axis = spec(page)["layer"][0]["encoding"]
    names = {p: scenario.parties[p].name for p in scenario.parties}
    assert axis["x"]["title"].startswith(f"{names[x]}'s utility")
    assert axis["y"]["title"].startswith(f"{names[y]}'s utility")


@pytest.mark.parametrize(
    "params", [{"parties": "RU,EU"}, [("parties", "RU"), ("parties", "EU")]], ids=["comma", "form"]
)
def test_a_chosen_pair_gives_the_spec_with_those_axes(client, params):
    response = client.get("/space", params=params)
    assert response.status_code == 200
    page = parse(response.text)
    assert chosen(page) == ("RU", "EU")
    s = spec(page)
    assert s["layer"][0]["encoding"]["x"]["title"].startswith("Russia's utility")
    assert s["layer"][0]["encoding"]["y"]["title"].startswith("EU's utility")
    # the chart is drawn in the browser from its spec; its table is the text alternative
    assert page.by_id("space-chart").attrs["data-spec"] == "spec-space-chart"
    assert page.find("details", class_="chart-data")


def test_every_point_carries_terms_the_builder_accepts(client, scenario):
    s = spec(parse(client.get("/space", params={"parties": "UA,RU"}).text))
    points = [r for r in rows(s) if "package" in r]
    assert len(points) > 50
    for r in points:
        terms = zopa.api.parse_terms(r["terms"])
        assert list(terms) == list(scenario.issues)
        for issue, option in terms.items():
            assert option in scenario.issues[issue].option_ids()
        assert r["package"] == "; ".join(f"{i}={o}" for i, o in terms.items())
    # the builder opens them: every proposal and solution, and each frontier's ends
    fronts: dict[str, list[dict]] = {}
    for r in points:
        fronts.setdefault(r.get("series", ""), []).append(r)
    sample = [*fronts.pop(""), *(r for f in fronts.values() for r in (f[0], f[-1]))]
    for r in sample:
        response = client.get("/builder/result", params={"terms": r["terms"]})
        assert response.status_code == 200, r["terms"]
        page = parse(response.text)
        party = page.by_id("party-UA").text
        assert f"{r['x']:.3f}" in party


def test_the_solutions_table_opens_each_solution_in_the_builder(client, scenario):
    analysis = zopa.analyze(scenario, pareto=False, limit=0).to_dict()
    page = parse(client.get("/space", params={"parties": "UA,RU"}).text)
    table = page.by_id("space-solutions")
    for key, solution in analysis["solutions"].items():
        row = table.by_id(f"solution-{key}")
        assert f"{solution['utilities']['UA']:.3f}" in row.text
        (a,) = row.find("a")
        terms = parse_qs(urlsplit(a.attrs["href"]).query)["terms"][0]
        assert zopa.api.parse_terms(terms) == solution["package"]
    proposals = [a.attrs["href"] for a in page.by_id("space-proposals").find("a")]
    assert [parse_qs(urlsplit(h).query)["proposal"][0] for h in proposals] == [
        p["id"] for p in analysis["proposals"]
    ]


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ("RU,RU", "RU is named twice"),
        ("UA,XX", "unknown party 'XX'"),
        ("UA,RU,EU", "needs 2 parties, got 3"),
    ],
)
def test_a_bad_pair_is_refused_inline(client, parties, message):
    response = client.get("/space", params={"parties": parties})
    assert response.status_code == 400
    page = parse(response.text)
    assert message in page.by_id("space-error").text
    assert not page.find(id="space-chart")


def test_the_page_loads_its_script_and_keeps_the_date(client):
    response = client.get("/space", params={"parties": "UA,RU", "as_of": "2025-12-14"})
    assert response.status_code == 200
    page = parse(response.text)
    assert any(s.attrs.get("src") == "/static/space.js" for s in page.find("script"))
    hidden = {i.attrs["name"]: i.attrs["value"] for i in page.find("input", type="hidden")}
    assert hidden.get("as_of") == "2025-12-14"
    for a in page.by_id("space-solutions").find("a"):
        assert parse_qs(urlsplit(a.attrs["href"]).query)["as_of"] == ["2025-12-14"]
    assert client.get("/static/space.js").status_code == 200
