"""``zopa simulate`` and ``zopa tournament`` from the command line, with the trace plot."""

import json

from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def test_simulate_json_has_the_trace_and_the_agreement():
    out = runner.invoke(
        app, ["simulate", "--strategy", "UA=conceder,RU=conceder", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert {"trace", "agreement", "outcome", "nash", "nash_distance", "walk_away"} <= set(doc)
    first = doc["trace"][0]
    assert {"round", "proposer", "package", "utilities"} <= set(first)
    assert doc["strategies"]["UA"] == "conceder"
    assert doc["scenario"]["id"] == "berlin-2025-12"
    if doc["outcome"] == "agreement":
        assert doc["agreement"] == doc["trace"][-1]["package"]
    else:
        assert doc["agreement"] is None


def test_hardliners_on_both_sides_never_agree_on_the_default_scenario():
    out = runner.invoke(
        app, ["simulate", "--strategy", "UA=hardliner,RU=hardliner", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["agreement"] is None


def test_simulate_is_reproducible_for_a_seed():
    args = ["simulate", "--strategy", "UA=boulware", "--seed", "4", "--format", "json"]
    assert runner.invoke(app, args).stdout == runner.invoke(app, args).stdout


def test_simulate_table_and_plots(tmp_path):
    png, svg = tmp_path / "trace.png", tmp_path / "trace.svg"
    out = runner.invoke(app, ["simulate", "--plot", str(png)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "simulated talks" in out.stdout.lower()
    assert "Opening offers" in out.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = runner.invoke(
        app, ["simulate", "--plot", str(svg), "--plot-parties", "RU,EU", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml")
    assert "utility of RU" in text
    assert "utility of EU" in text


def test_simulate_bad_usage_exits_2(tmp_path):
    cases = [
        ["simulate", "--strategy", "UA=stubborn"],
        ["simulate", "--strategy", "XX=linear"],
        ["simulate", "--plot", str(tmp_path / "trace.pdf")],
        ["simulate", "--plot", str(tmp_path / "t.png"), "--plot-parties", "UA"],
        ["simulate", "--plot", str(tmp_path / "t.png"), "--plot-parties", "UA,XX"],
        ["simulate", "--plot", str(tmp_path / "missing-dir" / "t.png")],
        ["simulate", "--rounds", "0"],
    ]
    for args in cases:
        out = runner.invoke(app, args)
        assert out.exit_code == 2, (args, out.output)
        assert "Traceback" not in out.output


def test_tournament_cli():
    out = runner.invoke(
        app,
        [
            "tournament",
            "--samples",
            "2",
            "--strategies",
            "conceder,hardliner",
            "--parties",
            "UA,RU",
            "--workers",
            "1",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["varied"] == ["UA", "RU"]
    assert len(doc["profiles"]) == 4
    assert doc["negotiations"] == 8
    both = next(
        p for p in doc["profiles"] if p["profile"]["UA"] == p["profile"]["RU"] == "hardliner"
    )
    assert both["agreements"] == 0
    table = runner.invoke(
        app, ["tournament", "--samples", "1", "--strategies", "linear"], env={"COLUMNS": "160"}
    )
    assert table.exit_code == 0, table.output
    assert "strategy tournament" in " ".join(table.stdout.lower().split())  # prose wraps at 100
    bad = runner.invoke(app, ["tournament", "--strategies", "nonsense"])
    assert bad.exit_code == 2
