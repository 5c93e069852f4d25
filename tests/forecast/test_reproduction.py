"""Reproduction of a published result: Scholz, Calbert & Smith (2011), Table 2.

Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011), "Unravelling Bueno de Mesquita's group
decision model", *Journal of Theoretical Politics* 23(4): 510–531, Table 2: the weighted median
and mean voter positions of the EC car-emission case (Bueno de Mesquita 1994, table 1; the
embedded ``ec-car-emissions`` table) with Q = 1.0 for rounds 1–8, printed to one decimal.

"Round 1" of the table is the first update: zopa's round 1 (round 0 is the input, whose median
is 7.0). Tolerances: 0.1 for the medians (one printed decimal), except round 2, where the table
prints 9.9 and an independent port of the authors' code (jmckib/bdm-scholz-expected-utility-
model) gives 9.61, as zopa does (9.611); 0.07 for the means. See the README (Forecasts:
reproduction) and the module docstring of :mod:`zopa.forecast.eum` for the choices involved.
"""

from __future__ import annotations

import numpy as np
import pytest

from zopa.forecast import forecast, read_actors
from zopa.forecast.eum import simulate

TABLE_2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE_2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
MEDIAN_TOLERANCE = [0.1, 0.35, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
MEAN_TOLERANCE = 0.07


@pytest.fixture(scope="module")
def run() -> tuple[np.ndarray, np.ndarray]:
    t = read_actors("ec-car-emissions")
    out = simulate(t.capability, t.position, t.salience, variant="scholz", rounds=8, q=1.0)
    return out.medians[0], out.means[0]


@pytest.mark.parametrize("k", range(1, 9))
def test_table_2_median(run: tuple[np.ndarray, np.ndarray], k: int) -> None:
    medians, _ = run
    assert abs(medians[k] - TABLE_2_MEDIAN[k - 1]) <= MEDIAN_TOLERANCE[k - 1]


@pytest.mark.parametrize("k", range(1, 9))
def test_table_2_mean(run: tuple[np.ndarray, np.ndarray], k: int) -> None:
    _, means = run
    assert abs(means[k] - TABLE_2_MEAN[k - 1]) <= MEAN_TOLERANCE


def test_round_2_agrees_with_the_port_of_the_authors_code(run: tuple[np.ndarray, ...]) -> None:
    # jmckib/bdm-scholz-expected-utility-model prints 9.61 for round 2 (the paper: 9.9)
    assert run[0][2] == pytest.approx(9.61, abs=0.005)


def test_round_1_is_the_first_update_not_the_input(run: tuple[np.ndarray, ...]) -> None:
    medians, _means = run
    assert medians[0] == 7.0  # the input's weighted median: not the table's 8.4
    assert abs(medians[1] - 8.4) < 0.05


def test_the_facade_reports_the_same_rounds() -> None:
    d = forecast(read_actors("ec-car-emissions"), rounds=8).to_dict()
    got = [r["median"] for r in d["rounds"][1:]]
    assert all(
        abs(g - p) <= tol for g, p, tol in zip(got, TABLE_2_MEDIAN, MEDIAN_TOLERANCE, strict=True)
    )
    # the EC run has not settled by round 8 and says so
    assert d["converged"] is False
    assert d["convergence"]["status"] == "not settled"


def test_votes_with_unit_risk_are_the_linear_votes() -> None:
    """The risk-weighted votes of the scholz variant reduce to linear votes when r = 1."""
    from zopa.forecast import eum

    t = read_actors("ec-car-emissions")
    w = t.capability * t.salience
    x = t.position[None, :]
    linear = eum.positive_votes(x, w[None, :])
    risky = eum.positive_votes(x, w[None, :], np.ones((1, len(w))))
    np.testing.assert_allclose(linear, risky, atol=1e-12)  # r = 1 is the linear vote
