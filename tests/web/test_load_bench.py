"""The load benchmark's quick mode runs, measures every kind of request the branch serves, and
sees no error (no timing is asserted: the machine is shared)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).parents[2] / "benchmarks" / "web_load.py"


def _bench() -> Any:
    """The benchmark's module (registered, as its dataclasses need)."""
    name = "web_load_bench"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_load_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    output = tmp_path / "web_load.json"
    assert bench.main(["--quick", "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    document = json.loads(output.read_text())
    (mode,) = document["modes"]
    assert mode["clients"] == 4
    assert mode["think_s"] == [0.2, 0.6]
    measured = {row["kind"] for row in mode["rows"]}
    # every kind is measured, or left out because its page answers 404 on this branch
    assert measured | set(mode["skipped"]) == set(bench.KINDS)
    assert not measured & set(mode["skipped"])
    assert "overview" in measured
    for kind in mode["skipped"]:
        assert f"{kind}: left out:" in printed
    assert mode["errors"] == 0
    for row in mode["rows"]:
        assert row["count"] > 0, row
        assert row["errors"] == 0, row["first_error"]
        assert row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
        assert f"| {row['kind']} | " in printed


def test_inputs_stay_inside_the_scenario() -> None:
    """Packages use the scenario's options; assumption values lie inside their ranges."""
    from urllib.parse import parse_qs, urlsplit

    import zopa

    bench = _bench()
    inputs = bench.Inputs(seed=3)
    scenario = zopa.load()
    ranges = {path: (lo, hi) for path, lo, hi in inputs.ranged}
    assert "preferences.RU.reservation" in ranges
    for _ in range(50):
        terms = parse_qs(urlsplit(inputs.path("builder")).query)["terms"][0]
        package = dict(t.split("=", 1) for t in terms.split(","))
        assert set(package) == set(scenario.issues)
        zopa.api.parse_terms(terms, scenario)  # the facade accepts it
        values = parse_qs(urlsplit(inputs.path("assumptions")).query)["v"][0]
        for item in values.split(","):
            path, value = item.rsplit("=", 1)
            lo, hi = ranges[path]
            assert lo - 1e-3 <= float(value) <= hi + 1e-3


def test_percentile_is_nearest_rank() -> None:
    bench = _bench()
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert bench.percentile(values, 50) == pytest.approx(50)
    assert bench.percentile(values, 95) == pytest.approx(95)
    assert bench.percentile(values, 99) == pytest.approx(99)
    assert bench.percentile([0.005], 99) == pytest.approx(5)
