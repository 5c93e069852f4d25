"""The scenario cache: identity keys, LRU bound, threads; evaluation identical with and without."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zopa
from zopa.space.analysis import evaluate_terms, prepared
from zopa.space.cache import CACHE, ScenarioCache


class Owner:
    """A stand-in for a scenario (compared by identity)."""


def test_a_value_is_built_once_per_owner_and_key() -> None:
    cache = ScenarioCache(4)
    a, b = Owner(), Owner()
    calls: list[str] = []
    for _ in range(3):
        assert cache.get(a, "x", lambda: calls.append("a") or 1) == 1
        assert cache.get(b, "x", lambda: calls.append("b") or 2) == 2
        assert cache.get(a, "y", lambda: calls.append("ay") or 3) == 3
    assert calls == ["a", "b", "ay"]


def test_a_new_object_never_gets_an_old_objects_value() -> None:
    """Even when it reuses a freed object's id (CPython reuses ids of freed objects)."""
    cache = ScenarioCache(64)
    for k in range(200):
        owner = Owner()
        assert cache.get(owner, "x", lambda k=k: k) == k
        del owner


def test_the_least_recently_used_entry_goes_first() -> None:
    cache = ScenarioCache(2)
    a, b, c = Owner(), Owner(), Owner()
    cache.get(a, "x", lambda: "a")
    cache.get(b, "x", lambda: "b")
    cache.get(a, "x", lambda: "stale")  # a is now the most recent
    cache.get(c, "x", lambda: "c")  # b goes
    assert len(cache) == 2
    assert cache.get(a, "x", lambda: "rebuilt") == "a"
    assert cache.get(b, "x", lambda: "rebuilt") == "rebuilt"


def test_a_failed_build_is_not_cached() -> None:
    cache = ScenarioCache(2)
    owner = Owner()

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        cache.get(owner, "x", fail)
    assert cache.get(owner, "x", lambda: 5) == 5


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ScenarioCache(0)


def test_threads_share_one_value() -> None:
    cache = ScenarioCache(4)
    owner = Owner()
    barrier = threading.Barrier(8)
    seen: list[object] = []

    def work() -> None:
        barrier.wait()
        seen.append(cache.get(owner, "x", object))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # every thread got the value stored first, whoever built it
    assert len(seen) == 8
    assert all(v is cache.get(owner, "x", object) for v in seen)


def test_prepared_reuses_the_space_and_engine_of_one_scenario_object() -> None:
    s = zopa.load()
    space, engine = prepared(s)
    assert prepared(s)[0] is space
    assert prepared(s)[1] is engine
    other = zopa.load()  # an equal scenario, another object: its own entry
    assert prepared(other)[0] is not space


SCENARIO = zopa.load()
TERMS = {issue: st.sampled_from(spec.option_ids()) for issue, spec in SCENARIO.issues.items()}


@settings(max_examples=15, deadline=None)
@given(
    terms=st.fixed_dictionaries({}, optional=TERMS),
    by=st.lists(st.sampled_from(list(SCENARIO.preferences)), max_size=2, unique=True),
)
def test_evaluation_is_the_same_with_and_without_the_cache(
    terms: dict[str, str], by: list[str]
) -> None:
    warm = evaluate_terms(SCENARIO, terms, proposers=by)
    CACHE.clear()
    cold = evaluate_terms(SCENARIO, terms, proposers=by)
    assert warm == cold
    assert (
        zopa.evaluate(SCENARIO, terms, by=by).to_dict()
        == zopa.evaluate(zopa.load(), terms, by=by).to_dict()
    )
