"""``zopa.space.pareto.distinct``: ``np.unique`` of an integer array, without importing numpy.ma."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from zopa.space.pareto import distinct

masks = st.lists(st.integers(-(2**62), 2**62), max_size=50)


@given(masks)
def test_distinct_is_np_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    got = distinct(array)
    expected = np.unique(array)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=1, max_size=12))
def test_distinct_flattens_as_np_unique_does(rows: list[list[int]]) -> None:
    array = np.array(rows, dtype=np.int64)
    np.testing.assert_array_equal(distinct(array), np.unique(array))


def test_distinct_of_nothing_is_empty() -> None:
    got = distinct(np.array([], dtype=np.int64))
    assert got.shape == (0,)
    assert got.dtype == np.int64
