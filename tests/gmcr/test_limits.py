"""Limits of the graph model: memory estimated before allocating, bounded coalition analyses,
and validation of large models without building their whole state space."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zopa.gmcr.memory as memory
import zopa.gmcr.statements as statements_module
import zopa.model.strategic as strategic_module
from zopa.gmcr.analysis import stability_report, status_quo_report
from zopa.gmcr.compile import compile_arrays, compile_game
from zopa.gmcr.memory import MemoryBudgetError, check_memory
from zopa.model.strategic import StrategicModel, resolve_strategic

GIB = 1 << 30


def test_check_memory_says_both_figures() -> None:
    check_memory(GIB, "a run", available=2 * GIB)  # fits: nothing happens
    with pytest.raises(MemoryBudgetError) as caught:
        check_memory(6.1 * GIB, "a run", available=2 * GIB)
    assert "a run needs about 6.1 GiB; this process may use 2.0 GiB more" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_available_bytes_follows_the_address_space_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda _: (3 * GIB, resource.RLIM_INFINITY))
    monkeypatch.setattr(memory, "_address_space_in_use", lambda: GIB)
    available = memory.available_bytes()
    assert available is not None
    assert available <= 2 * GIB


def thirty_options(**extra: Any) -> StrategicModel:
    return StrategicModel.model_validate(
        {
            "decision_makers": {
                "A": {"options": {f"a{k}": "x" for k in range(15)}},
                "B": {"options": {f"b{k}": "y" for k in range(15)}},
            },
            "infeasible": ["a0 & b0"],
            "preferences": {
                "A": {"prioritization": ["a0", "-b0"]},
                "B": {"prioritization": ["b0 if a0"]},
            },
            **extra,
        }
    )


def test_a_thirty_option_model_is_refused_before_allocating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * GIB)
    model = thirty_options(status_quo="N" * 30)
    assert resolve_strategic(model).problems == []
    with pytest.raises(MemoryBudgetError, match=r"compiling 30 options \(2\*\*30 states\) needs"):
        compile_game(model)


def test_the_stability_report_is_refused_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    game = compile_arrays(["A", "B"], [["a"], ["b"]], [["YY", "NY", "YN", "NN"]] * 2)
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)
    with pytest.raises(
        MemoryBudgetError, match=r"stability analysis and its report of 2 options \(4 states\)"
    ):
        stability_report(game)


def test_a_three_member_coalition_on_4096_states_is_analysed() -> None:
    # was refused (and before that, hung): the compiled reachable-list search serves it
    rng = np.random.default_rng(0)
    options = [[f"{d}{k}" for k in range(4)] for d in "abc"]
    payoffs = rng.integers(0, 9, size=(3, 1 << 12))
    game = compile_arrays(["A", "B", "C"], options, payoffs=payoffs)
    report = stability_report(game, [["A", "B", "C"], ["A", "B"]])
    nash = set(report.equilibria("R"))
    for members in ("A+B+C", "A+B"):
        assert set(report.coalition_stable[members]) <= nash
    evolution = status_quo_report(report, 0, "GMR", [["A", "B"]])
    assert evolution["from"] == 1


# -- validation of large models: the same answers block by block ---------------------------------


@st.composite
def sections(draw: st.DrawFn) -> dict[str, Any]:
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    dms: dict[str, Any] = {}
    options: list[str] = []
    for i, size in enumerate(sizes):
        own = [f"o{i}x{k}" for k in range(size)]
        options += own
        dms[f"D{i}"] = {"options": dict.fromkeys(own, "x")}
    literal = st.sampled_from(options).flatmap(lambda o: st.sampled_from([o, f"-{o}"]))
    clause = st.lists(literal, min_size=1, max_size=3).map(" & ".join)
    n = len(options)
    states = [format(c, f"0{n}b")[::-1].replace("1", "Y").replace("0", "N") for c in range(1 << n)]
    section: dict[str, Any] = {
        "decision_makers": dms,
        "infeasible": draw(st.lists(clause, max_size=2)),
        "preferences": {dm: {"prioritization": [draw(clause)]} for dm in dms},
    }
    if draw(st.booleans()):
        section["status_quo"] = draw(st.one_of(clause, st.sampled_from(states)))
    if draw(st.booleans()):
        section["states"] = {"s1": draw(clause)}
    if draw(st.booleans()):
        first = next(iter(dms))
        order = draw(st.permutations(states))
        section["preferences"][first] = {"ranking": order[: draw(st.integers(1, len(order)))]}
    return section


@settings(max_examples=60)
@given(sections())
def test_blockwise_validation_finds_the_same_problems(section: dict[str, Any]) -> None:
    model = StrategicModel.model_validate(section)
    whole = resolve_strategic(model)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(strategic_module, "FULL_CHECK_OPTIONS", 0)
        patch.setattr(statements_module, "CHUNK_BITS", 2)
        blockwise = resolve_strategic(model)
    assert blockwise.problems == whole.problems
    assert blockwise.status_quo == whole.status_quo
    assert blockwise.named == whole.named
    assert blockwise.rankings == whole.rankings


def test_the_report_document_is_checked_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    game = compile_arrays(["A", "B"], [["a"], ["b"]], [["YY", "NY", "YN", "NN"]] * 2)
    report = stability_report(game, document=False)
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)
    with pytest.raises(MemoryBudgetError, match=r"the report of 4 states needs about"):
        report.to_dict()


def test_a_huge_state_number_is_refused_plainly() -> None:
    game = compile_arrays(["A", "B"], [["a"], ["b"]], [["YY", "NY", "YN", "NN"]] * 2)
    with pytest.raises(ValueError, match=r"no state number 99999999999999999999…: the states are"):
        game.parse_state("9" * 5000)


# -- the engine in chunks: the same tables, a footprint that fits 26 options in 4 GiB ----------


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    seed=st.integers(0, 2**16),
    infeasible=st.booleans(),
)
def test_chunked_engine_matches_one_chunk(sizes: list[int], seed: int, infeasible: bool) -> None:
    import zopa.gmcr.stability as engine

    options = [[f"d{d}o{k}" for k in range(size)] for d, size in enumerate(sizes)]
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(0, 5, size=(len(sizes), 1 << sum(sizes)))
    game = compile_arrays(
        [f"D{d}" for d in range(len(sizes))],
        options,
        payoffs=payoffs,
        infeasible=[f"{options[0][0]} & {options[1][0]}"] if infeasible else [],
    )
    whole = engine.analyse_stability(game)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "CHUNK", 2)  # many chunks, some cutting the low axis
        chunked = engine.analyse_stability(game)
    for concept in engine.CONCEPTS:
        assert np.array_equal(whole.stable[concept], chunked.stable[concept]), concept


def test_a_26_option_table_report_is_estimated_under_4_gib_and_its_json_is_not() -> None:
    # each estimate is checked on its own, when its phase starts (the engine's against what the
    # compiled model has left); measured, the whole run peaks at about 3.0 GiB
    states = 1 << 26
    assert states * memory.per_state(memory.COMPILE_BYTES, 2) < 4 * GIB
    assert states * memory.per_state(memory.ENGINE_BYTES, 2) < 4 * GIB
    document = states * memory.per_state(memory.DOCUMENT_BYTES, 2)
    assert document > 4 * GIB
    with pytest.raises(
        MemoryBudgetError, match=r"needs about 77\.\d GiB; this process may use 4\.0"
    ):
        check_memory(document, "the report", available=4 * GIB)


def test_a_refused_json_document_exits_2_with_both_figures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from zopa.cli import app

    path = tmp_path / "model.yaml"
    path.write_text(
        "zopa: 1\nid: m\ntitle: m\nstrategic:\n  decision_makers:\n"
        "    A: {options: {a: 'a'}}\n    B: {options: {b: 'b'}}\n"
        "  preferences:\n    A: {prioritization: [a]}\n    B: {prioritization: [-b]}\n",
        encoding="utf-8",
    )
    table = CliRunner().invoke(app, ["stability", str(path)])
    assert table.exit_code == 0, table.output
    # room for the analysis, not for the document: only the JSON output is refused
    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    monkeypatch.setattr(memory, "DOCUMENT_BYTES", (10**6, 0))
    import zopa.gmcr.analysis as analysis

    monkeypatch.setattr(analysis, "DOCUMENT_BYTES", (10**6, 0))
    monkeypatch.setattr(analysis, "check_memory", memory.check_memory)
    refused = CliRunner().invoke(app, ["stability", str(path), "--format", "json"])
    assert refused.exit_code == 2
    assert "Traceback" not in refused.output
    assert "needs about" in refused.output
    assert "this process may use" in refused.output
