"""The assumption explorer: sliders bounded by the ranges, the analysis of the explored values."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

import zopa
from zopa.io.scenario_file import parse_scenario
from zopa.web.app import create_app

RU = "preferences.RU.reservation"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_every_ranged_assumption_has_a_labelled_slider_within_its_range(client: TestClient) -> None:
    page = client.get("/assumptions")
    assert page.status_code == 200
    items = zopa.assumptions().items
    sliders = re.findall(
        r'<input type="range" id="([^"]+)" data-path="([^"]+)"[^>]*?min="([^"]+)" max="([^"]+)"',
        page.text,
        flags=re.S,
    )
    assert [path for _, path, _, _ in sliders] == [a.path.replace("'", "&#39;") for a in items]
    for (sid, _, low, high), item in zip(sliders, items, strict=True):
        assert f'<label for="{sid}">' in page.text
        assert (float(low), float(high)) == (item.low, item.high)
    assert "Reset to point values" in page.text


def test_the_panel_is_the_facades_exploration(client: TestClient) -> None:
    panel = client.get("/assumptions/result", params={"v": f"{RU}=0.4"})
    assert panel.status_code == 200
    expected = zopa.explore(values={RU: 0.4}).to_dict()
    assert f'data-margin="{expected["zone"]["margin"]:.3f}"' in panel.text
    assert "RU walk-away" in panel.text
    point = client.get("/assumptions/result")
    assert f'data-margin="{zopa.explore().to_dict()["zone"]["margin"]:.3f}"' in point.text
    assert "All assumptions at their point values" in point.text


@settings(max_examples=15, deadline=None)
@given(value=st.floats(min_value=0.35, max_value=0.65))
def test_any_value_in_the_range_gives_the_facades_margin(value: float) -> None:
    web = TestClient(create_app())
    panel = web.get("/assumptions/result", params={"v": f"{RU}={value!r}"})
    margin = zopa.explore(values={RU: value}).to_dict()["zone"]["margin"]
    assert f'data-margin="{margin:.3f}"' in panel.text


def test_values_outside_a_range_or_unknown_paths_are_refused(client: TestClient) -> None:
    low = client.get("/assumptions/result", params={"v": f"{RU}=0.1"})
    assert low.status_code == 400
    assert "0.35" in low.text
    unknown = client.get("/assumptions/result", params={"v": "preferences.XX.reservation=0.4"})
    assert unknown.status_code == 400
    bad = client.get("/assumptions/result", params={"v": f"{RU}=lots"})
    assert bad.status_code == 400
    page = client.get("/assumptions", params={"v": f"{RU}=0.1"})
    assert page.status_code == 200  # the sliders stay usable, the problem is said beside them
    assert 'id="explore-error"' in page.text


def test_the_explored_values_download_as_a_scenario_that_loads_back(client: TestClient) -> None:
    response = client.get(
        "/assumptions/scenario.yaml",
        params={"v": [f"{RU}=0.42", "preferences.UA.weights.nato=0.12"]},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    loaded = parse_scenario(response.text, "explored.yaml")
    expected = zopa.assume(zopa.load(), {RU: 0.42, "preferences.UA.weights.nato": 0.12})
    assert loaded == expected
    assert "edited in the workspace" in response.text


def test_a_link_reproduces_the_view(client: TestClient) -> None:
    page = client.get("/assumptions", params={"v": f"{RU}=0.4"})
    assert 'value="0.4"' in page.text
    assert "(changed)" not in page.text or 'class="slider changed"' in page.text
    assert 'class="slider changed"' in page.text


def test_a_scenario_without_preferences_says_so() -> None:
    from zopa.web.settings import Settings

    page = TestClient(create_app(Settings(source="elmira"))).get("/assumptions")
    assert page.status_code == 200
    assert "no ranged assumptions" in page.text
