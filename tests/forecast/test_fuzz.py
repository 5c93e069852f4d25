"""Fuzz tests of the actor-CSV loader and of the forecast engines (issue 12 §6, issue 21).

Bounded hypothesis runs (derandomised under the ``ci`` profile):

* the loader on mutated CSV text and bytes: it returns a table or raises its located
  :class:`~zopa.forecast.ForecastDataError`, nothing else;
* the forecast on generated actor tables (capabilities from 0 and subnormals to 1.7e308,
  positions up to ±1e308, saliences including 0; both variants, Q and T in [0, 1] including 0,
  0 to 12 rounds, with and without Monte Carlo samples): no exception, no warning (the suite
  turns warnings into errors), every output finite and within the input positions' range.

Minimised failing cases are kept in ``tests/forecast/regressions/`` and replayed through the
command line.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zopa.cli import app
from zopa.forecast import ActorTable, ForecastDataError, forecast, parse_actors, read_actors
from zopa.forecast.data import COLUMNS

REGRESSIONS = sorted((Path(__file__).parent / "regressions").glob("*.csv"))
EC = (Path(__file__).parents[2] / "src/zopa/forecast/data/ec-car-emissions.csv").read_text()
SPECIAL = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "1e308",
    "-1e308",
    "1.7e308",
    "5e-324",
    "0",
    "-0",
    "",
    " ",
    "1_0",
    "0x10",
    "1e",
    "101",
    "100",
    "-1",
    "1,5",
    '"7"',
    "🙂",
]


def _check(table: ActorTable, **kwargs: object) -> None:
    d = forecast(table, **kwargs).to_dict()  # type: ignore[arg-type]
    lo, hi = float(table.position.min()), float(table.position.max())
    values = [d["forecast"], *d["forecast_band"]]
    for r in d["rounds"]:
        values += [r["median"], r["mean"], *r["positions"].values()]
        for qs in r.get("quantiles", {}).values():
            values += list(qs.values())
    for v in values:
        assert math.isfinite(v)
        # JSON rounds to 6 decimals: allow that much outside the range
        assert lo - 1e-6 - 1e-12 * abs(lo) <= v <= hi + 1e-6 + 1e-12 * abs(hi), (v, lo, hi)
    json.dumps(d, allow_nan=False)


@st.composite
def mutated_csv(draw: st.DrawFn) -> str:
    lines = EC.splitlines()
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cell", "dup", "drop", "swap", "char", "cut", "join"]))
        k = draw(st.integers(0, len(lines) - 1))
        if op == "cell":
            cells = lines[k].split(",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(st.sampled_from(SPECIAL) | st.text(max_size=6))
            lines[k] = ",".join(cells)
        elif op == "dup":
            lines.insert(k, lines[k])
        elif op == "drop" and len(lines) > 1:
            del lines[k]
        elif op == "swap":
            m = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[m] = lines[m], lines[k]
        elif op == "char" and lines[k]:
            i = draw(st.integers(0, len(lines[k]) - 1))
            lines[k] = lines[k][:i] + draw(st.characters()) + lines[k][i + 1 :]
        elif op == "cut":
            lines[k] = lines[k][: draw(st.integers(0, len(lines[k])))]
        elif op == "join" and k + 1 < len(lines):
            lines[k : k + 2] = [lines[k] + lines[k + 1]]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@settings(max_examples=150, deadline=None)
@given(mutated_csv(), st.sampled_from(["scholz", "paper"]))
def test_loader_on_mutated_text(text: str, variant: str) -> None:
    try:
        table = parse_actors(text, "m.csv")
    except ForecastDataError as exc:
        message, table = str(exc), None
    if table is None:
        assert message.startswith("m.csv")
        return
    assert np.isfinite(table.capability).all()
    assert np.isfinite(table.position).all()
    assert ((table.salience >= 0) & (table.salience <= 1)).all()
    _check(table, variant=variant, rounds=4, q=0.0, t=0.0)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=64), st.integers(0, len(EC.encode())))
def test_loader_on_mutated_bytes(junk: bytes, at: int) -> None:
    raw = EC.encode()
    data = raw[:at] + junk + raw[at + len(junk) :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.csv"
        path.write_bytes(data)
        try:
            table = read_actors(path)
        except ForecastDataError as exc:
            message, table = str(exc), None
    if table is None:
        assert message.startswith(str(path))
        return
    _check(table, rounds=3)


capabilities = st.one_of(
    st.just(0.0),
    st.sampled_from([5e-324, 1e-300, 1.0, 1e200, 1e308, 1.7e308]),
    st.floats(0.0, 1.7e308),
)
positions = st.one_of(
    st.sampled_from([0.0, 1.0, -1e308, 1e308, 1.7e308, 5e-324]),
    st.floats(-1e308, 1.7e308),
    st.integers(-3, 3).map(float),
)
saliences = st.one_of(st.sampled_from([0.0, 1.0, 5e-324, 0.5]), st.floats(0.0, 1.0))


@st.composite
def actor_tables(draw: st.DrawFn) -> ActorTable:
    n = draw(st.integers(1, 8))
    c = np.array(draw(st.lists(capabilities, min_size=n, max_size=n)))
    x = np.array(draw(st.lists(positions, min_size=n, max_size=n)))
    s = np.array(draw(st.lists(saliences, min_size=n, max_size=n)))
    k = draw(st.integers(0, n - 1))  # at least one actor with weight, as the loader demands
    c[k] = max(c[k], draw(st.sampled_from([5e-324, 1.0, 1.7e308])))
    s[k] = max(s[k], draw(st.sampled_from([5e-324, 0.3, 1.0])))
    return ActorTable(tuple(f"a{i}" for i in range(n)), c, x, s)


@settings(max_examples=200, deadline=None)
@given(
    actor_tables(),
    st.sampled_from(["scholz", "paper"]),
    st.sampled_from([0.0, 1.0]) | st.floats(0.0, 1.0),
    st.sampled_from([0.0, 1.0]) | st.floats(0.0, 1.0),
    st.integers(0, 12),
    st.booleans(),
)
def test_forecast_on_generated_tables(
    table: ActorTable, variant: str, q: float, t: float, rounds: int, stop: bool
) -> None:
    _check(table, variant=variant, q=q, t=t, rounds=rounds, stop_at_convergence=stop)


@settings(max_examples=60, deadline=None)
@given(
    actor_tables(),
    st.integers(1, 20),
    st.floats(0.0, 10.0),
    st.sampled_from(["eum", "median", "mean"]),
)
def test_monte_carlo_on_generated_tables(
    table: ActorTable, samples: int, perturb: float, model: str
) -> None:
    _check(table, model=model, samples=samples, perturb=perturb, rounds=5, rng=samples)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
@pytest.mark.parametrize(
    "extra",
    [
        ["--variant", "scholz"],
        ["--variant", "paper", "--q", "0", "--t", "0"],
        ["--samples", "25", "--seed", "0", "--stop-at-convergence"],
        ["--model", "mean", "--samples", "5", "--seed", "0"],
    ],
)
def test_regression_files(path: Path, extra: list[str]) -> None:
    result = CliRunner().invoke(app, ["forecast", str(path), "--format", "json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.startswith(f"error: {path}")
        return
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    table = read_actors(path)
    lo, hi = float(table.position.min()), float(table.position.max())
    for r in doc["rounds"]:
        for v in [r["median"], r["mean"], *r["positions"].values()]:
            assert lo - 1e-6 <= v <= hi + 1e-6


def test_the_regression_files_cover_both_outcomes() -> None:
    refused = [p.stem for p in REGRESSIONS if _refused(p)]
    assert {"nan-capability", "position-1e400", "nul-byte", "too-many-actors"} <= set(refused)
    assert "capability-1.7e308-samples" not in refused


def _refused(path: Path) -> bool:
    try:
        read_actors(path)
    except ForecastDataError:
        return True
    return False


def test_columns_are_the_documented_ones() -> None:
    assert COLUMNS == ("actor", "capability", "position", "salience")
