"""``zopa simulate`` and ``zopa tournament`` from the command line, with their charts."""

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


def test_simulate_table_and_the_plot_alias(tmp_path):
    png, svg = tmp_path / "trace.png", tmp_path / "trace.svg"
    out = runner.invoke(app, ["simulate", "--plot", str(png)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "simulated talks" in out.stdout.lower()
    assert "Opening offers" in out.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"chart 'trace' written to {png}" in out.stderr
    out = runner.invoke(
        app, ["simulate", "--plot", str(svg), "--plot-parties", "RU,EU", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    json.loads(out.stdout)  # the chart's message goes to stderr: stdout stays JSON
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg")
    assert "utility of RU" in text
    assert "utility of EU" in text


def test_simulate_chart_in_every_format(tmp_path):
    heads = {".svg": b"<svg", ".png": b"\x89PNG", ".pdf": b"%PDF", ".html": b"<!DOCTYPE html>"}
    for suffix, head in heads.items():
        path = tmp_path / f"trace{suffix}"
        out = runner.invoke(
            app, ["simulate", "--chart", str(path), "--chart-parties", "UA,EU", "--format", "json"]
        )
        assert out.exit_code == 0, (suffix, out.output)
        assert path.read_bytes().lstrip()[: len(head)].lower() == head.lower(), suffix
    assert "utility of EU" in (tmp_path / "trace.svg").read_text(encoding="utf-8")


def test_simulate_bad_usage_exits_2(tmp_path):
    cases = [
        ["simulate", "--strategy", "UA=stubborn"],
        ["simulate", "--strategy", "XX=linear"],
        ["simulate", "--plot", str(tmp_path / "trace.jpg")],
        ["simulate", "--chart", str(tmp_path / "trace.jpg")],
        ["simulate", "--plot", str(tmp_path / "t.png"), "--plot-parties", "UA"],
        ["simulate", "--plot", str(tmp_path / "t.png"), "--plot-parties", "UA,XX"],
        ["simulate", "--chart", str(tmp_path / "t.png"), "--chart-parties", "UA,UA"],
        ["simulate", "--chart", str(tmp_path / "t.png"), "--chart-name", "nonsense"],
        ["simulate", "--plot", str(tmp_path / "missing-dir" / "t.png")],
        ["simulate", "--plot", str(tmp_path / "a.png"), "--chart", str(tmp_path / "b.png")],
        ["simulate", "--chart-parties", "UA,RU"],
        ["simulate", "--rounds", "0"],
    ]
    for args in cases:
        out = runner.invoke(app, args)
        assert out.exit_code == 2, (args, out.output)
        assert "Traceback" not in out.output
        assert "error" in out.stderr.lower(), (args, out.stderr)
    for name in ("t.png", "b.png", "a.png"):
        assert not (tmp_path / name).exists()


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


def test_tournament_chart(tmp_path):
    path = tmp_path / "tournament.svg"
    args = ["tournament", "--samples", "1", "--strategies", "linear,hardliner", "--workers", "1"]
    out = runner.invoke(app, [*args, "--chart", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["samples"] == 1
    text = path.read_text(encoding="utf-8")
    assert "Best strategy by mean utility" in text
    assert "hardliner" in text
    bad = runner.invoke(app, [*args, "--chart", str(tmp_path / "t.gif")])
    assert bad.exit_code == 2
    assert "--chart" in bad.stderr
    assert "negotiating" not in bad.stderr  # refused before any work
    bad = runner.invoke(app, [*args, "--chart-name", "tournament"])
    assert bad.exit_code == 2
