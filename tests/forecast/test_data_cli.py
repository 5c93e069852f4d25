"""Actor CSV files (errors as file:line) and the ``zopa forecast`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import invoke

from zopa.forecast import ForecastDataError, parse_actors, read_actors


def test_ec_example() -> None:
    t = read_actors("ec-car-emissions")
    assert t.actors[0] == "Netherlands"
    assert len(t.actors) == 10
    assert t.salience_scale == "0-100"
    assert t.salience[t.actors.index("Denmark")] == 1.0
    assert t.capability.sum() == pytest.approx(1.01)


def test_headers_case_insensitive_and_salience_0_1() -> None:
    t = parse_actors(" SALIENCE ,Position,Actor,capability,note\n0.5,3,A,2,x\n1,4,B,1,y\n")
    assert t.actors == ("A", "B")
    assert t.salience_scale == "0-1"
    assert t.salience.tolist() == [0.5, 1.0]
    assert t.position.tolist() == [3.0, 4.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "f.csv:1: empty file"),
        ("actor,capability,position\nA,1,2\n", "f.csv:1: missing column 'salience'"),
        ("actor,capability,position,salience\n", "f.csv:1: no actors"),
        (
            "actor,capability,position,salience\nA,1,2,0.5\nB,x,3,0.5\n",
            "f.csv:3: column 'capability': expected a number ≥ 0, got 'x'",
        ),
        (
            "actor,capability,position,salience\nA,-1,2,0.5\n",
            "f.csv:2: column 'capability': expected a number ≥ 0",
        ),
        (
            "actor,capability,position,salience\nA,1,2,101\n",
            "f.csv:2: column 'salience': expected a number in 0–1 or 0–100",
        ),
        (
            "actor,capability,position,salience\nA,1,nan,0.5\n",
            "f.csv:2: column 'position': expected a finite number",
        ),
        (
            "actor,capability,position,salience\nA,1,2,0.5\n\nA,1,2,0.5\n",
            "f.csv:4: column 'actor': 'A' already given on line 2",
        ),
        (
            "actor,capability,position,salience\n,1,2,0.5\n",
            "f.csv:2: column 'actor': expected a name",
        ),
        ("actor,capability,position,salience\nA,1,2\n", "f.csv:2: expected 4 fields"),
        ("actor,capability,position,salience\nA,0,2,0.5\n", "every actor has zero capability"),
    ],
)
def test_csv_errors(text: str, message: str) -> None:
    with pytest.raises(ForecastDataError) as info:
        parse_actors(text, source="f.csv")
    assert message in str(info.value)


def test_cli_json_keys() -> None:
    result = invoke("forecast", "ec-car-emissions", "--format", "json", "--rounds", "3")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"model", "variant", "rounds", "forecast"} <= set(data)
    assert data["model"] == "eum"
    assert data["variant"] == "scholz"
    assert [r["round"] for r in data["rounds"]] == [0, 1, 2, 3]
    assert set(data["rounds"][0]) == {"round", "median", "mean", "positions"}
    assert data["inputs"]["salience_scale"] == "0-100"


def test_cli_json_monte_carlo_quantiles() -> None:
    args = ["forecast", "ec-car-emissions", "--format", "json", "--samples", "30", "--seed", "5"]
    a, b = invoke(*args), invoke(*args)
    assert a.exit_code == 0
    assert a.stdout == b.stdout
    data = json.loads(a.stdout)
    assert set(data["rounds"][-1]["quantiles"]) == {"median", "mean"}
    assert data["parameters"]["samples"] == 30


@pytest.mark.parametrize("model", ["median", "mean"])
def test_cli_baselines(model: str) -> None:
    data = json.loads(
        invoke("forecast", "ec-car-emissions", "--model", model, "--format", "json").stdout
    )
    assert data["variant"] is None
    assert len(data["rounds"]) == 1


def test_cli_table() -> None:
    result = invoke("forecast", "ec-car-emissions", "--variant", "paper", "--samples", "10")
    assert result.exit_code == 0
    assert "Positions by round" in result.stdout
    assert "Netherlands" in result.stdout
    assert "Forecast: 7.000" in result.stdout


def test_cli_bad_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("actor,capability,position,salience\nA,1,2,0.5\nB,1,oops,0.5\n")
    result = invoke("forecast", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: column 'position'" in result.stderr
    missing = invoke("forecast", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr


@pytest.mark.parametrize(
    ("cell", "column"),
    [("nan", "capability"), ("inf", "position"), ("1e400", "position"), ("-inf", "salience")],
)
def test_non_finite_numbers_are_refused_with_their_location(cell: str, column: str) -> None:
    row = {"capability": "1", "position": "2", "salience": "0.5", column: cell}
    text = "actor,capability,position,salience\nA,1,0,1\n" + (
        f"B,{row['capability']},{row['position']},{row['salience']}\n"
    )
    with pytest.raises(ForecastDataError) as info:
        parse_actors(text, source="f.csv")
    assert str(info.value).startswith(f"f.csv:3: column '{column}': expected")
    assert "(not a finite number)" in str(info.value)


def test_nul_bytes_and_oversized_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ForecastDataError, match=r"f.csv:2: a NUL byte"):
        parse_actors("actor,capability,position,salience\nA,1,\x00,1\n", source="f.csv")
    big = tmp_path / "big.csv"
    big.write_text("actor,capability,position,salience\n" + "#" * (16 * 2**20 + 1))
    result = invoke("forecast", str(big))
    assert result.exit_code == 2
    assert "at most 500 rows and 16 MiB" in result.stderr


def test_tiny_weights_are_weights() -> None:
    t = parse_actors("actor,capability,position,salience\nA,5e-324,0,5e-324\nB,1e200,1,0\n")
    assert forecast_value(t) == 0.0


def forecast_value(table: object) -> float:
    from zopa.forecast import forecast

    return forecast(table).forecast  # type: ignore[arg-type]
