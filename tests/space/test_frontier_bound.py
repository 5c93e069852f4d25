"""The exact frontier refuses, with a stated bound, work that would run for hours (issue 21 §2)."""

from __future__ import annotations

import numpy as np
import pytest

from zopa.space import pareto
from zopa.space.exact import to_grid
from zopa.space.pareto import FrontierTooLargeError, additive_frontier


def _contributions(parties: int, issues: int, options: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    return [to_grid(rng.random((parties, options)) / issues) for _ in range(issues)]


def test_four_or_more_parties_stop_at_the_bound(monkeypatch):
    monkeypatch.setattr(pareto, "MAX_FRONTIER_WORK", 10_000)
    with pytest.raises(FrontierTooLargeError, match=r"too large to compute exactly.*4 parties"):
        additive_frontier(_contributions(4, 6, 5))


def test_below_the_bound_the_frontier_is_computed(monkeypatch):
    monkeypatch.setattr(pareto, "MAX_FRONTIER_WORK", 10**12)
    frontier = additive_frontier(_contributions(4, 3, 4))
    assert len(frontier.points) > 0


def test_two_and_three_parties_have_no_bound(monkeypatch):
    monkeypatch.setattr(pareto, "MAX_FRONTIER_WORK", 0)
    for parties in (2, 3):
        assert len(additive_frontier(_contributions(parties, 4, 4)).points) > 0


def test_the_refusal_is_a_value_error_the_command_line_reports():
    assert issubclass(FrontierTooLargeError, ValueError)
