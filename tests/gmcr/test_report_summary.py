"""The stability report of a large model is a summary; its JSON lists every state (issue 21)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zopa.cli import app
from zopa.gmcr.analysis import stability_report
from zopa.gmcr.compile import compile_arrays, compile_game
from zopa.io.scenario_file import parse_scenario
from zopa.render.stability_view import MAX_ROWS

BENCH = Path(__file__).parents[2] / "benchmarks" / "stability_report.py"


def _model(n: int) -> str:
    """The benchmark's model of ``n`` options (one generator for the benchmark and the tests)."""
    spec = importlib.util.spec_from_file_location("stability_report_bench", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.model_text(n, seed=n))


def test_summary_keeps_the_status_quo_and_the_most_stable_states() -> None:
    scenario = parse_scenario(_model(12).encode(), "m12.yaml")
    assert scenario.strategic is not None
    report = stability_report(compile_game(scenario.strategic))
    full = report.to_dict()
    summary = report.to_dict(MAX_ROWS)
    assert full["summarised"] is False
    assert summary["summarised"] is True
    assert len(full["states"]) == 4096
    assert len(summary["states"]) <= MAX_ROWS
    assert summary["counts"] == full["counts"]
    assert full["counts"]["equilibria"] == {c: len(v) for c, v in full["equilibria"].items()}
    ids = [s["id"] for s in summary["states"]]
    assert summary["status_quo"] in ids
    assert ids == sorted(ids)
    # every listed state is the same state, with the same verdicts, as in the full document
    by_id = {s["id"]: s["options"] for s in full["states"]}
    assert all(by_id[s["id"]] == s["options"] for s in summary["states"])
    for concept, per_dm in summary["stable"].items():
        for dm, stable in per_dm.items():
            assert stable == [i for i in full["stable"][concept][dm] if i in set(ids)]
    # the states kept are equilibria under at least as many concepts as any state left out
    score = {i: sum(i in set(v) for v in full["equilibria"].values()) for i in by_id}
    kept = [score[i] for i in ids if i != summary["status_quo"]]
    left = [score[i] for i in by_id if i not in set(ids)]
    assert min(kept) >= max(left)


def test_vectors_match_the_state_by_state_definition() -> None:
    scenario = parse_scenario(_model(9).encode(), "m9.yaml")
    assert scenario.strategic is not None
    game = compile_game(scenario.strategic)
    data = stability_report(game).to_dict()
    codes = game.feasible_codes()
    assert [s["options"] for s in data["states"]] == [game.vector(int(c)) for c in codes]
    assert [s["id"] for s in data["states"]] == [game.state_number(int(c)) for c in codes]
    assert data["equilibria"]["R"] == [
        game.state_number(int(c))
        for c in np.flatnonzero(
            stability_report(game).result.stable["R"].all(axis=0) & game.feasible
        )
    ]


def test_cli_report_summarises_and_all_lists_every_state(tmp_path: Path) -> None:
    path = tmp_path / "m12.yaml"
    path.write_text(_model(12), encoding="utf-8")
    runner = CliRunner()
    short = runner.invoke(app, ["stability", str(path)])
    assert short.exit_code == 0, short.output
    rows = re.findall(r"^\s*(\d+)\s+[YN]{3,}", short.output, flags=re.MULTILINE)
    assert 0 < len(rows) <= MAX_ROWS
    assert "4,096 feasible states" in short.output
    every = runner.invoke(app, ["stability", str(path), "--all"])
    assert every.exit_code == 0
    assert len(re.findall(r"^\s*(\d+)\s+[YN]{3,}", every.output, flags=re.MULTILINE)) == 4096
    as_json = runner.invoke(app, ["stability", str(path), "--format", "json"])
    assert len(json.loads(as_json.output)["states"]) == 4096


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    rows=st.integers(0, 12),
    status_quo=st.integers(0, 63),
    named=st.integers(0, 63),
)
def test_summary_codes_match_the_definition(
    seed: int, rows: int, status_quo: int, named: int
) -> None:
    # the states with the most equilibria, ties by state number, after the status quo and the
    # named states; written here over all states at once (the report goes level by level)
    rng = np.random.default_rng(seed)
    vector = lambda code: "".join("Y" if code >> k & 1 else "N" for k in range(6))  # noqa: E731
    game = compile_arrays(
        ["A", "B"],
        [["a0", "a1", "a2"], ["b0", "b1", "b2"]],
        payoffs=rng.integers(0, 4, size=(2, 64)),
        status_quo=vector(status_quo),
        states={"s1": vector(named)},
    )
    report = stability_report(game)
    codes = game.feasible_codes()
    must = sorted({status_quo, named})
    score = np.zeros(codes.size, dtype=np.int64)
    for concept in report.result.stable:
        score += report.result.stable[concept].all(axis=0)[codes]
    order = np.lexsort((codes, -score))
    ranked = codes[order][score[order] > 0]
    ranked = ranked[~np.isin(ranked, must)][: max(rows - len(must), 0)]
    expected = np.unique(np.concatenate([ranked, np.array(must, dtype=np.int64)]))
    assert report.summary_codes(rows).tolist() == expected.tolist()
