"""``zopa extract``: formats, standard input, --scenario, --into, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import invoke

from zopa.io.scenario_file import load_scenario_file

REPORT = Path(__file__).parent / "extract" / "data" / "tune" / "01-mod-weekly-kiev.txt"


def test_yaml_is_the_default_and_reads_at_80_columns() -> None:
    result = invoke("extract", str(REPORT), env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout.startswith("article:\n  title: Russian forces take two more settlements")
    assert "  claimed_by: Russian Defence Ministry\n" in result.stdout
    assert "  verified: false\n" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert not any(line != line.rstrip() for line in result.stdout.splitlines())


def test_json_is_the_result_document() -> None:
    data = json.loads(invoke("extract", str(REPORT), "--format", "json").stdout)
    assert data["article"]["date"] == "2025-12-22"
    assert data["article"]["url"].startswith("https://news.example")
    assert data["scenario"] is None
    assert data["source"]["id"] == "report"
    first = data["events"][0]
    assert (first["kind"], first["place"], first["claimed_by"]) == (
        "battlefield-claim",
        "Novopavlovka",
        "Russian Defence Ministry",
    )
    assert set(first) >= {
        "kind",
        "actor",
        "actor_party",
        "claimed_by",
        "claimed_by_party",
        "date",
        "date_range",
        "date_text",
        "place",
        "numbers",
        "quote",
        "verified",
    }


def test_the_table_report_at_80_columns() -> None:
    result = invoke("extract", str(REPORT), "--format", "table", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("Candidate events: Russian forces take two more settlements")
    assert "1. battlefield claim, 2025-12-22" in lines
    assert "   dated by “over the past week” (2025-12-15 to 2025-12-22)" in lines
    assert "   Russian forces (RU); claimed by Russian Defence Ministry (RU), unverified" in lines


def test_markdown() -> None:
    result = invoke("extract", str(REPORT), "--format", "md")
    assert result.stdout.startswith("# Candidate events:")


def test_standard_input_and_the_header_date(tmp_path: Path) -> None:
    text = "Title: T\nDate: 2025-12-15\n\nPeskov said on Monday that talks would resume in Istanbul next week.\n"
    from typer.testing import CliRunner

    from zopa.cli import app

    result = CliRunner().invoke(app, ["extract", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.stderr
    (event,) = json.loads(result.stdout)["events"]
    assert (event["kind"], event["date"], event["place"]) == (
        "diplomatic-event",
        "2025-12-22",
        "Istanbul",
    )
    assert event["claimed_by"] == "Dmitry Peskov"


def test_into_writes_a_valid_copy_with_candidates(tmp_path: Path) -> None:
    out = tmp_path / "berlin.yaml"
    result = invoke(
        "extract",
        str(REPORT),
        "--scenario",
        "berlin-2025-12",
        "--into",
        str(out),
        "--publisher",
        "News Example",
    )
    assert result.exit_code == 0, result.stderr
    assert f"{out}: berlin-2025-12 with" in result.stderr
    assert "status: candidate" in result.stderr
    s = load_scenario_file(out)
    assert (
        s.sources["news-example-2025-12-22"].url
        == "https://news.example/russia/2025-12-22/mod-briefing"
    )
    assert len(s.candidate_events) == 7
    assert all(e.source == ["news-example-2025-12-22"] for e in s.candidate_events)
    assert "# candidates from zopa extract" in out.read_text(encoding="utf-8")
    shown = invoke("show", str(out))
    assert "Candidates awaiting review" in shown.stdout


def test_into_never_overwrites_the_scenario(tmp_path: Path, small_text: str) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(small_text, encoding="utf-8")
    result = invoke("extract", str(REPORT), "--scenario", str(path), "--into", str(path))
    assert result.exit_code == 2
    assert "never edits a scenario in place" in result.stderr
    assert path.read_text(encoding="utf-8") == small_text


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", [], "the report is empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", [], "looks binary"),
        (b"caf\xe9 talks", [], "not valid UTF-8"),
        (b"a" * (1024 * 1024 + 1), [], "more than 1,048,576 bytes"),
        (b"Peskov said talks would resume.", [], "no date: give --date"),
        (
            b"Peskov said talks would resume.",
            ["--date", "14/12/2025"],
            "--date: cannot read the date",
        ),
        (
            b"Peskov said talks would resume.",
            ["--date", "2025-12-14", "--into", "x.yaml"],
            "give --scenario as well",
        ),
        (
            b"Peskov said talks would resume.",
            ["--date", "2025-12-14", "--scenario", "no-such-id"],
            "unknown scenario",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, content: bytes, args: list[str], message: str
) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    result = invoke("extract", str(path), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_file_or_a_directory(tmp_path: Path) -> None:
    assert (
        "cannot read"
        in invoke("extract", str(tmp_path / "nope.txt"), "--date", "2025-12-14").stderr
    )
    result = invoke("extract", str(tmp_path), "--date", "2025-12-14")
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_help_names_the_options() -> None:
    result = invoke("extract", "--help")
    for option in ("--date", "--publisher", "--url", "--scenario", "--format", "--into"):
        assert option in result.stdout
