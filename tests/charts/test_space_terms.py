"""The space chart's points carry their package as machine-readable ``terms``."""

from __future__ import annotations

from tests.charts.results import result

import zopa
from zopa.charts.space import terms_text


def _rows(spec):
    for layer in spec["layer"]:
        yield from layer.get("data", {}).get("values", [])


def test_every_package_point_carries_terms_matching_its_package():
    spec = result("analysis").chart("space", parties=("RU", "EU")).spec
    rows = [r for r in _rows(spec) if "package" in r]
    assert rows
    for row in rows:
        assert "terms" in row
        assert row["terms"].replace(",", "; ") == row["package"]


def test_terms_are_what_evaluate_reads_back():
    analysis = result("analysis")
    spec = analysis.chart("space").spec
    proposals = [r for r in _rows(spec) if "id" in r and "terms" in r]
    for row in proposals[:2]:
        back = zopa.api.parse_terms(row["terms"])
        assert back == analysis.scenario.package_of(row["id"])


def test_terms_text_keeps_issue_order():
    assert terms_text({"b": "2", "a": "x"}) == "b=2,a=x"
