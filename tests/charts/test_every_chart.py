"""Every chart of every result kind: a valid Vega-Lite v6 specification that renders offline."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.charts.results import MAKERS, result

from zopa.charts.spec import SCHEMA_URL

BUILD = Path(__file__).resolve().parents[2] / "build" / "charts"


@cache
def _validator() -> Any:
    import altair
    import jsonschema

    path = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _cases() -> list[tuple[str, str]]:
    return [(kind, name) for kind in MAKERS for name in result(kind).charts]


@pytest.mark.parametrize("kind", list(MAKERS))
def test_every_result_offers_a_main_chart(kind: str) -> None:
    r = result(kind)
    assert r.charts, f"{kind} has no chart"
    assert r.chart().name == r.charts[0]


@pytest.mark.parametrize(("kind", "name"), _cases())
def test_chart_is_valid_vega_lite_and_renders(kind: str, name: str) -> None:
    chart = result(kind).chart(name)
    spec = chart.to_dict()
    assert spec["$schema"] == SCHEMA_URL
    errors = sorted(_validator().iter_errors(spec), key=lambda e: list(e.path))
    assert not errors, f"{kind}/{name}: {errors[0].message} at {list(errors[0].path)}"
    json.dumps(spec)  # plain JSON types only
    assert chart.title, "the title states the finding"
    assert chart.description, "a text alternative"
    svg = chart.to_svg()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert chart.title in svg
    png = chart.to_png()
    assert png.startswith(b"\x89PNG")
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / f"{kind}-{name}.png").write_bytes(png)
    (BUILD / f"{kind}-{name}.svg").write_text(svg, encoding="utf-8")
