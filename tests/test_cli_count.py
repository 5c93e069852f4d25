"""`zopa analyze --count` and plain progress lines when stderr is not a terminal."""

import json

from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def test_count_option_reaches_the_json():
    skipped = runner.invoke(app, ["analyze", "--count", "skip", "--format", "json"])
    assert skipped.exit_code == 0
    zone = json.loads(skipped.stdout)["zopa"]
    assert zone["count"] == "skip"
    assert zone["size"] is None
    exact = runner.invoke(app, ["analyze", "--count", "exact", "--format", "json"])
    zone = json.loads(exact.stdout)["zopa"]
    assert zone["count"] == "exact"
    assert zone["size_bounds"] == [zone["size"], zone["size"]]


def test_unknown_count_is_refused_with_exit_2():
    result = runner.invoke(app, ["analyze", "--count", "roughly"])
    assert result.exit_code == 2


def test_tournament_progress_is_plain_lines_when_not_a_terminal():
    result = runner.invoke(
        app,
        [
            "tournament",
            "--samples",
            "2",
            "--workers",
            "1",
            "--strategies",
            "linear,boulware",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0
    assert "negotiating: 2/2 (100%)" in result.stderr
    json.loads(result.stdout)
