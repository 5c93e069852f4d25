"""Executors: run seeded chunks serially, in a local process pool, or on a Dask cluster.

Every executor returns the chunks' results in chunk order, and the chunks carry their own
random streams (:func:`zopa.robust.sampling.chunk_plan`), so the results are identical whichever
executor runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def run_chunks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int = 1,
    *,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[R]:
    """Run ``fn`` over ``tasks`` and return the results in task order.

    Parameters
    ----------
    fn, tasks
        A picklable function and its tasks (seeded chunks, so the order of execution does not
        change the results).
    workers
        1: serial; more: a local process pool of that size.
    scheduler
        A Dask scheduler address (``tcp://host:port``), or ``local`` for a local Dask cluster
        with ``workers`` processes; needs the ``distributed`` extra.
    progress
        Called with (units finished, units in all) as tasks finish.
    sizes
        How many units (samples, draws…) each task stands for; one each by default.

    Raises
    ------
    KeyboardInterrupt
        Re-raised after a clean stop, with the finished results attached as ``.partial``
        (the results of the first tasks, in order, up to the first unfinished one) and their
        units as ``.samples_done``.
    """
    units = list(sizes) if sizes is not None else [1] * len(tasks)
    total = sum(units)
    done: dict[int, R] = {}
    finished = 0

    def finish(index: int, result: R) -> None:
        nonlocal finished
        done[index] = result
        finished += units[index]
        if progress is not None:
            progress(finished, total)

    try:
        if scheduler is not None:
            _run_dask(fn, tasks, workers, scheduler, finish)
        elif workers <= 1 or len(tasks) <= 1:
            for i, task in enumerate(tasks):
                finish(i, fn(task))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
                try:
                    for future in as_completed(futures):
                        finish(futures[future], future.result())
                except KeyboardInterrupt:
                    for future in futures:
                        future.cancel()
                    raise
    except KeyboardInterrupt as stop:
        prefix = []
        for i in range(len(tasks)):
            if i not in done:
                break
            prefix.append(done[i])
        stop.partial = prefix  # type: ignore[attr-defined]
        stop.samples_done = sum(units[: len(prefix)])  # type: ignore[attr-defined]
        raise
    return [done[i] for i in range(len(tasks))]


def _run_dask(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    scheduler: str,
    finish: Callable[[int, R], None],
) -> None:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError(
            "Dask runs need the 'distributed' extra: pip install 'zopa[distributed]'"
        ) from exc
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise RuntimeError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        futures = client.map(fn, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for future in dask_completed(futures):
            finish(index[future.key], future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
