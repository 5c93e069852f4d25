"""Executors give the same results in the same order: serial, process pool, local Dask cluster."""

import pytest

from zopa.catalog import load
from zopa.robust.executors import run_chunks
from zopa.robust.proposals import robust_proposals


def square(x: int) -> int:
    return x * x


def test_serial_and_pool_keep_task_order():
    seen = []
    found = run_chunks(square, list(range(20)), 1, progress=lambda d, t: seen.append((d, t)))
    assert found == [x * x for x in range(20)]
    assert seen == [(k, 20) for k in range(1, 21)]
    assert run_chunks(square, list(range(20)), 2) == [x * x for x in range(20)]


def test_local_dask_cluster_gives_the_serial_result():
    pytest.importorskip("distributed")
    scenario = load()
    serial = robust_proposals(scenario, samples=500, seed=21, workers=1)
    dask = robust_proposals(scenario, samples=500, seed=21, workers=2, scheduler="local")
    assert dask.to_dict() == serial.to_dict()


def interrupt_on_three(x: int) -> int:
    if x == 3:
        raise KeyboardInterrupt
    return x


def test_interrupt_keeps_the_finished_prefix():
    with pytest.raises(KeyboardInterrupt) as stop:
        run_chunks(interrupt_on_three, list(range(6)), 1)
    assert stop.value.partial == [0, 1, 2]
    assert stop.value.samples_done == 3
    with pytest.raises(KeyboardInterrupt) as stop:
        run_chunks(interrupt_on_three, list(range(6)), 1, sizes=[5, 5, 5, 5, 5, 2])
    assert stop.value.samples_done == 15


def test_progress_counts_units_when_tasks_have_sizes():
    seen = []
    run_chunks(square, [1, 2, 3], 1, progress=lambda d, t: seen.append((d, t)), sizes=[4, 4, 1])
    assert seen == [(4, 9), (8, 9), (9, 9)]
