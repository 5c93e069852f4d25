"""`zopa analyze --chart` and `zopa evaluate --chart`: charts written, bad options refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from tests.conftest import SMALL_SCENARIO, invoke

SMALL = str(SMALL_SCENARIO)


def test_analyze_writes_its_main_chart_as_svg(tmp_path):
    path = tmp_path / "who.svg"
    result = invoke("analyze", "--chart", str(path))
    assert result.exit_code == 0
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    assert "chart 'acceptance' written to" in result.stderr
    assert "1. Who accepts which proposal" in result.stdout  # the report is printed as before


def test_analyze_writes_the_agreement_space_as_png_and_exits_1_for_a_rejected_proposal(tmp_path):
    path = tmp_path / "space.png"
    result = invoke(
        "analyze",
        "-p",
        "kyiv-2025-12-14",
        "--chart",
        str(path),
        "--chart-name",
        "space",
        "--chart-parties",
        "RU,UA",
    )
    assert result.exit_code == 1  # the finding asked about: Kyiv's offer does not bridge
    assert path.read_bytes().startswith(b"\x89PNG")
    assert "chart 'space' written" in result.stderr


@pytest.mark.parametrize(
    ("name", "suffix", "magic"),
    [
        ("gaps", "pdf", b"%PDF"),
        ("bridging", "html", b"<!DOCTYPE html>"),
        ("parallel", "svg", b"<svg"),
    ],
)
def test_analyze_writes_each_chart_in_each_format(tmp_path, name, suffix, magic):
    path = tmp_path / f"{name}.{suffix}"
    result = invoke("analyze", SMALL, "--chart", str(path), "--chart-name", name)
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes().lstrip()[: len(magic)].lower() == magic.lower()


def test_html_chart_asks_no_server_for_anything(tmp_path):
    path = tmp_path / "space.html"
    assert invoke("analyze", SMALL, "--chart", str(path), "--chart-name", "space").exit_code == 0
    html = path.read_text(encoding="utf-8")
    assert "vegaEmbed" in html
    assert "<script src=" not in html


def test_evaluate_writes_acceptance_gaps_and_bridging(tmp_path):
    for name in ("acceptance", "gaps", "bridging"):
        path = tmp_path / f"{name}.svg"
        result = invoke(
            "evaluate", "--terms", "nato=set-aside", "--chart", str(path), "--chart-name", name
        )
        assert result.exit_code == 1  # the package does not bridge the gap
        assert path.exists(), name
        assert f"chart '{name}' written" in result.stderr


@pytest.mark.parametrize("command", [["analyze", SMALL], ["evaluate", SMALL]])
def test_a_suffix_no_renderer_writes_is_refused_before_computing(tmp_path, command):
    result = invoke(*command, "--chart", str(tmp_path / "chart.jpg"))
    assert result.exit_code == 2
    assert "--chart writes .svg, .png, .pdf, .html: 'chart.jpg' ends in none of them" in (
        result.stderr
    )
    assert result.stdout == ""  # refused before the analysis ran


@pytest.mark.parametrize("command", [["analyze", SMALL], ["evaluate", SMALL]])
def test_chart_options_without_chart_are_refused(command):
    result = invoke(*command, "--chart-name", "gaps")
    assert result.exit_code == 2
    assert "give --chart FILE as well" in result.stderr


def test_an_unknown_chart_name_lists_the_charts(tmp_path):
    result = invoke("analyze", SMALL, "--chart", str(tmp_path / "c.svg"), "--chart-name", "pie")
    assert result.exit_code == 2
    assert "--chart-name: unknown chart 'pie'" in result.stderr
    for name in ("acceptance", "gaps", "space", "parallel", "bridging"):
        assert name in result.stderr
    result = invoke("evaluate", SMALL, "--chart", str(tmp_path / "c.svg"), "--chart-name", "space")
    assert result.exit_code == 2
    assert "unknown chart 'space'" in result.stderr
    assert not (tmp_path / "c.svg").exists()


@pytest.mark.parametrize(
    ("name", "parties", "message"),
    [
        ("space", "UA,XX", "--chart-parties: unknown party 'XX' (expected one of: UA, RU, US)"),
        ("space", "UA,UA", "--chart-parties: UA is named twice"),
        ("space", "UA", "--chart-parties needs two party ids separated by a comma, got 'UA'"),
        ("parallel", "UA,RU", "--chart-parties: the parallel chart needs at least 3 parties"),
        ("acceptance", "UA,RU", "--chart-parties: the acceptance chart has no option 'parties'"),
        ("gaps", "UA,RU", "--chart-parties: unknown rejecting party 'UA' of offer"),
    ],
)
def test_bad_chart_parties_exit_2_with_a_message(tmp_path, name, parties, message):
    path = tmp_path / "c.svg"
    result = invoke(
        "analyze", SMALL, "--chart", str(path), "--chart-name", name, "--chart-parties", parties
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert not path.exists()
