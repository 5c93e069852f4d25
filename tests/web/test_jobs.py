"""The web workspace's job manager, with real child processes and the real engines."""

from __future__ import annotations

import html
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import zopa
from zopa.errors import UnknownId, UsageError
from zopa.io.scenario_file import Problem, ScenarioError
from zopa.web.jobs import Job, JobLimit, JobManager, Limits
from zopa.web.worker import describe_error

DEADLINE = 120.0  # generous: the machine is shared; nothing here is a timing assertion
LONG = {"samples": 20_000, "given_reactions": False}  # tens of seconds on one core


def until(check: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def finished(jobs: JobManager, job: Job) -> Job:
    def check() -> Job | None:
        now = jobs.get(job.id, job.client)
        assert now is not None
        return None if now.active else now

    result: Job = until(check, f"job {job.kind} to finish")
    return result


def _follow(jobs: JobManager, job: Job, seen: list[tuple[str, int, int]]) -> Job:
    """Poll a job until it finishes, noting its status and progress each time."""

    def check() -> Job | None:
        now = jobs.get(job.id, job.client)
        assert now is not None
        seen.append((now.status, now.done, now.total))
        return None if now.active else now

    result: Job = until(check, "the run to finish")
    return result


def gone(pid: int | None) -> bool:
    assert pid is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def jobs() -> Iterator[JobManager]:
    manager = JobManager(max_running=4, max_per_client=3, keep=20)
    yield manager
    manager.shutdown()


def test_a_robust_job_reports_progress_and_returns_what_the_command_line_returns(
    jobs: JobManager,
) -> None:
    # the command line's defaults (`zopa robust --samples 200 --seed 3`): conditioned on the
    # scenario's reactions, so the progress counts the prior and the posterior samples
    job = jobs.start("alice", "robust", {"scenario": "berlin-2025-12", "samples": 200, "seed": 3})
    assert job.status == "queued"
    seen: list[tuple[str, int, int]] = []
    with ThreadPoolExecutor(1) as pool:  # the same run here, meanwhile
        in_process = pool.submit(zopa.robust, "berlin-2025-12", samples=200, seed=3, workers=1)
        last = _follow(jobs, job, seen)
        expected = in_process.result()
    assert last.status == "done", last.error
    assert last.started is not None
    assert last.finished is not None
    assert last.finished >= last.started
    progress = [(d, t) for s, d, t in seen if s == "running" and t]
    assert progress, "no progress seen while running"
    assert all(t == 400 for _, t in progress)
    dones = [d for d, _ in progress]
    assert dones == sorted(dones)  # never goes back
    assert (last.done, last.total) == (400, 400)
    assert last.fraction == 1.0

    # the same run in this process: the same document, charts and report
    assert last.result is not None
    assert last.result["data"]["conditioning"]["given_reactions"] is True
    same_payload(last, expected)
    assert last.result["title"] == expected.title
    assert last.result["warnings"] == expected.warnings


def same_payload(job: Job, expected: Any) -> None:
    """The job's result is the facade's ``expected`` result: document, charts, report."""
    assert job.status == "done", job.error
    assert job.result is not None
    assert json.dumps(job.result["data"], sort_keys=True) == json.dumps(
        expected.to_dict(), sort_keys=True
    )
    assert list(job.result["charts"]) == list(expected.charts)
    for name, chart in job.result["charts"].items():
        assert chart["spec"] == expected.chart(name).spec
        assert chart["title"] == expected.chart(name).title
        assert chart["description"]
    assert job.result["html"] == expected.to_html()
    assert job.result["title"] == expected.scenario.title
    assert job.result["warnings"] == expected.to_dict().get("warnings", [])
    json.dumps(job.result)  # the page can send it as it is


def test_a_tournament_job_returns_what_the_facade_returns(jobs: JobManager) -> None:
    params = {"samples": 2, "seed": 5, "strategies": "linear,hardliner", "rounds": 8}
    job = jobs.start("alice", "tournament", params)
    seen: list[tuple[str, int, int]] = []
    last = _follow(jobs, job, seen)
    expected = zopa.tournament(
        samples=2, seed=5, strategies=["linear", "hardliner"], rounds=8, workers=1
    )
    same_payload(last, expected)
    assert last.params["strategies"] == ("linear", "hardliner")
    assert (last.done, last.total) == (2, 2)
    assert last.to_dict()["params"]["strategies"] == ["linear", "hardliner"]


def test_a_timeline_job_returns_what_the_facade_returns(jobs: JobManager) -> None:
    job = jobs.start("alice", "timeline", {"samples": 2, "seed": 1, "as_of": "2025-12-10"})
    seen: list[tuple[str, int, int]] = []
    last = _follow(jobs, job, seen)
    expected = zopa.timeline(samples=2, seed=1, as_of="2025-12-10", workers=1)
    same_payload(last, expected)
    assert last.result is not None
    assert last.result["data"]["distribution"] == "posterior"
    total = 2 * len(expected.result.dates)
    assert (last.done, last.total) == (total, total)
    dones = [d for s, d, t in seen if s == "running" and t]
    assert dones == sorted(dones)  # the progress of the dates' runs adds up, never goes back


def test_progress_rises_chunk_by_chunk(jobs: JobManager) -> None:
    params = {"samples": 1000, "seed": 7, "given_reactions": False}
    job = jobs.start("alice", "robust", params)
    seen: list[int] = []

    def check() -> Job | None:
        now = jobs.get(job.id, "alice")
        assert now is not None
        if now.status == "running" and now.total:
            assert now.total == 1000
            seen.append(now.done)
        return None if now.active else now

    last: Job = until(check, "the run to finish")
    assert last.status == "done", last.error
    assert seen == sorted(seen)
    assert len(set(seen)) >= 2, seen  # 250 samples at a time: several steps are seen


def test_cancel_stops_a_long_run_and_its_process(jobs: JobManager) -> None:
    job = jobs.start("alice", "robust", LONG)
    running = until(
        lambda: (j := jobs.get(job.id, "alice")) is not None and j.done > 0 and j,
        "the run to make progress",
    )
    assert running.status == "running"
    assert running.pid is not None
    assert not gone(running.pid)
    cancelled = jobs.cancel(job.id, "alice")
    assert cancelled is not None
    assert cancelled.status == "cancelled"
    assert cancelled.finished is not None
    until(lambda: gone(running.pid), "the child process to be gone")
    later = jobs.get(job.id, "alice")
    assert later is not None
    assert later.status == "cancelled"
    assert later.result is None
    assert later.error is None
    # cancelling again changes nothing
    again = jobs.cancel(job.id, "alice")
    assert again is not None
    assert again.status == "cancelled"


def test_another_client_can_neither_see_nor_cancel_a_run(jobs: JobManager) -> None:
    job = jobs.start("alice", "robust", LONG)
    assert jobs.get(job.id, "bob") is None
    assert jobs.cancel(job.id, "bob") is None
    assert jobs.list("bob") == []
    mine = jobs.get(job.id, "alice")
    assert mine is not None
    assert mine.active
    assert [j.id for j in jobs.list("alice")] == [job.id]
    assert len(job.id) >= 20  # unguessable
    jobs.cancel(job.id, "alice")


def test_a_client_cannot_run_more_than_its_share_nor_the_server_more_than_its_limit() -> None:
    with JobManager(max_running=2, max_per_client=1) as jobs:
        first = jobs.start("alice", "robust", LONG)
        with pytest.raises(JobLimit, match="at most 1 at once") as client_limit:
            jobs.start("alice", "robust", LONG)
        assert client_limit.value.scope == "client"
        second = jobs.start("bob", "robust", LONG)
        with pytest.raises(JobLimit, match="limit") as server_limit:
            jobs.start("carol", "robust", LONG)
        assert server_limit.value.scope == "server"
        jobs.cancel(first.id, "alice")
        jobs.start("alice", "report", {"samples": 200})  # a cancelled run frees its place
        assert {j.status for j in jobs.list("bob")} <= {"queued", "running"}
        assert jobs.get(second.id, "bob") is not None
    assert all(not j.active for j in jobs.list("alice") + jobs.list("bob"))


def test_starts_from_many_threads_respect_the_limit() -> None:
    with JobManager(max_running=10, max_per_client=2) as jobs:
        outcomes: list[str] = []
        gate = threading.Barrier(6)

        def start() -> None:
            gate.wait()
            try:
                jobs.start("alice", "robust", LONG)
            except JobLimit:
                outcomes.append("refused")
            else:
                outcomes.append("started")

        threads = [threading.Thread(target=start) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["refused"] * 4 + ["started"] * 2
        assert len(jobs.list("alice")) == 2


def test_invalid_yaml_fails_with_the_located_problem(jobs: JobManager) -> None:
    job = jobs.start("alice", "robust", {"yaml": "id: x\nparties: [\n", "name": "../../up.yaml"})
    last = finished(jobs, job)
    assert last.status == "failed"
    assert last.error is not None
    assert last.error.startswith("up.yaml:3:1: YAML syntax error")  # the name, never a path
    assert "\n" not in last.error
    assert last.error_parameter == "scenario"
    assert last.problems
    assert last.problems[0]["line"] == 3
    assert last.result is None
    state = last.to_dict()
    json.dumps(state)
    assert "yaml" not in state["params"]
    assert "client" not in state


def test_a_scenario_the_engine_has_nothing_to_test_in_fails_with_the_facade_message(
    jobs: JobManager,
) -> None:
    job = jobs.start("alice", "robust", {"scenario": "chicken", "engine": "space", "samples": 50})
    last = finished(jobs, job)
    assert last.status == "failed"
    assert last.error is not None
    assert "no proposals with preferences" in last.error
    assert "stability" in last.error
    assert last.error_parameter == "engine"


def test_a_report_job_returns_the_briefing_page(jobs: JobManager, small_text: str) -> None:
    job = jobs.start(
        "alice",
        "report",
        {
            "yaml": small_text,
            "name": "small.yaml",
            "samples": 200,
            "seed": 1,
            "sections": "analyze",
        },
    )
    last = finished(jobs, job)
    assert last.status == "done", last.error
    assert last.result is not None
    page = last.result["html"]
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert html.escape("Small test scenario") in page
    assert last.result["filename"] == "briefing-small.html"
    assert "zopa report small.yaml --samples 200 --seed 1" in last.result["command"]


def test_a_worker_that_dies_fails_its_job_with_an_id_the_log_explains(
    jobs: JobManager, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="zopa.web.jobs")
    job = jobs.start("alice", "robust", LONG)
    running = until(
        lambda: (j := jobs.get(job.id, "alice")) is not None and j.status == "running" and j,
        "the run to start",
    )
    assert running.pid is not None
    os.kill(running.pid, signal.SIGKILL)
    last = finished(jobs, job)
    assert last.status == "failed"
    assert last.error is not None
    assert last.error.startswith("internal error, id ")
    error_id = last.error.removeprefix("internal error, id ")
    logged = [r.getMessage() for r in caplog.records if error_id in r.getMessage()]
    assert logged
    assert "exit code -9" in logged[0]


def test_errors_are_sorted_into_the_users_and_the_logs() -> None:
    usage = describe_error(UsageError("samples must be at least 1", parameter="samples"))
    assert usage == ("failed", "samples must be at least 1", "samples", [])
    unknown = describe_error(UnknownId("engine", "x", ["space"], parameter="engine"))
    assert unknown[:3] == ("failed", "unknown engine 'x' (expected one of: space)", "engine")
    problems = [Problem("f.yaml", None, "id", "required"), Problem("f.yaml", None, "x", "bad")]
    scenario = describe_error(ScenarioError(problems))
    assert scenario[1] == "f.yaml: id: required (and 1 more problem)"
    assert len(scenario[3]) == 2
    engine = describe_error(ValueError("the scenario has no issues\nsecond line"))
    assert engine == ("failed", "the scenario has no issues", None, [])
    try:
        raise RuntimeError("cannot reach the scheduler at tcp://10.0.0.1:8786")
    except RuntimeError as exc:
        crash = describe_error(exc)
    assert crash[0] == "crashed"
    assert "Traceback" in crash[2]


@pytest.mark.parametrize(
    ("kind", "params", "error", "parameter"),
    [
        ("robust", {"samples": 20_001}, UsageError, "samples"),
        ("robust", {"samples": 0}, UsageError, "samples"),
        ("robust", {"samples": True}, UsageError, "samples"),
        ("robust", {"samples": "500"}, UsageError, "samples"),
        ("robust", {"seed": -1}, UsageError, "seed"),
        ("robust", {"engine": "nope"}, UnknownId, "engine"),
        ("robust", {"perturb": 2.0}, UsageError, "perturb"),
        ("robust", {"lhs": "yes"}, UsageError, "lhs"),
        ("robust", {"given_reactions": "no"}, UsageError, "given_reactions"),
        ("robust", {"as_of": "14/12/2025"}, UsageError, "as_of"),
        ("robust", {"scenario": "../../etc/passwd"}, UnknownId, "scenario"),
        ("robust", {"scenario": "/etc/passwd"}, UnknownId, "scenario"),
        ("robust", {"scenario": "chicken", "yaml": "id: x"}, UsageError, "yaml"),
        ("robust", {"yaml": "x" * (2 * 1024 * 1024 + 1)}, UsageError, "yaml"),
        ("robust", {"rounds": 3}, UsageError, "rounds"),
        ("robust", {"path": "/etc/passwd"}, UsageError, "path"),
        ("report", {"sections": "analyze,nope"}, UnknownId, "sections"),
        ("report", {"engine": "space"}, UsageError, "engine"),
        ("tournament", {"samples": 201}, UsageError, "samples"),
        ("tournament", {"strategies": "linear,sly"}, UnknownId, "strategies"),
        ("tournament", {"strategies": ["linear", "linear"]}, UsageError, "strategies"),
        ("tournament", {"strategies": 3}, UsageError, "strategies"),
        ("tournament", {"rounds": 0}, UsageError, "rounds"),
        ("tournament", {"rounds": 201}, UsageError, "rounds"),
        ("tournament", {"engine": "space"}, UsageError, "engine"),
        ("timeline", {"samples": 1_001}, UsageError, "samples"),
        ("timeline", {"samples": 0}, UsageError, "samples"),
        ("timeline", {"strategies": "linear"}, UsageError, "strategies"),
        ("simulate", {}, UnknownId, "kind"),
    ],
)
def test_bad_parameters_are_refused_before_any_process_starts(
    jobs: JobManager, kind: str, params: dict[str, Any], error: type[Exception], parameter: str
) -> None:
    with pytest.raises(error) as raised:
        jobs.start("alice", kind, params)
    assert getattr(raised.value, "parameter", None) == parameter
    assert jobs.list("alice") == []


def test_the_limits_are_configurable() -> None:
    limits = Limits(
        max_samples=100,
        max_report_samples=50,
        max_tournament_samples=3,
        max_timeline_samples=4,
        max_rounds=9,
    )
    with JobManager(limits=limits) as jobs:
        with pytest.raises(UsageError, match="between 1 and 100"):
            jobs.validate("robust", {"samples": 101})
        with pytest.raises(UsageError, match="between 1 and 50"):
            jobs.validate("report", {"samples": 51})
        with pytest.raises(UsageError, match="between 1 and 3"):
            jobs.validate("tournament", {"samples": 4})
        with pytest.raises(UsageError, match="between 1 and 9"):
            jobs.validate("tournament", {"rounds": 10})
        with pytest.raises(UsageError, match="between 1 and 4"):
            jobs.validate("timeline", {"samples": 5})
        assert jobs.validate("timeline", {})["samples"] == 4  # the default, within the limit
        assert jobs.validate("tournament", {"scenario": "berlin-2025-12"}) == {
            "scenario": "berlin-2025-12",
            "yaml": None,
            "name": "berlin-2025-12",
            "samples": 3,
            "seed": 0,
            "as_of": None,
            "strategies": None,
            "rounds": None,
        }
        assert jobs.validate("robust", {"samples": 100, "as_of": "2025-12-14"}) == {
            "scenario": "berlin-2025-12",
            "yaml": None,
            "name": "berlin-2025-12",
            "samples": 100,
            "seed": 0,
            "as_of": "2025-12-14",
            "engine": "space",
            "perturb": 0.0,
            "lhs": False,
            "given_reactions": None,
        }
    with pytest.raises(UsageError, match="max_per_client"):
        JobManager(max_per_client=0)
    with pytest.raises(UsageError, match="scheduler"):
        JobManager(scheduler="somewhere")


def test_old_finished_jobs_are_dropped_from_the_busiest_client_first() -> None:
    bad = {"yaml": "parties: [", "name": "bad.yaml"}
    with JobManager(max_running=4, max_per_client=4, keep=2) as jobs:
        a1 = finished(jobs, jobs.start("alice", "robust", bad))
        a2 = finished(jobs, jobs.start("alice", "robust", bad))
        b1 = finished(jobs, jobs.start("bob", "robust", bad))
        until(lambda: len(jobs.list("alice")) == 1, "the oldest of alice's jobs to be dropped")
        assert [j.id for j in jobs.list("alice")] == [a2.id]
        assert [j.id for j in jobs.list("bob")] == [b1.id]
        assert jobs.get(a1.id, "alice") is None


def test_shutdown_stops_every_run_and_refuses_new_ones() -> None:
    jobs = JobManager()
    job = jobs.start("alice", "robust", LONG)
    running = until(
        lambda: (j := jobs.get(job.id, "alice")) is not None and j.pid is not None and j,
        "the process to start",
    )
    jobs.shutdown()
    last = jobs.get(job.id, "alice")
    assert last is not None
    assert last.status == "cancelled"
    until(lambda: gone(running.pid), "the child process to be gone")
    with pytest.raises(RuntimeError, match="shut down"):
        jobs.start("alice", "robust", LONG)
    jobs.shutdown()  # again: nothing happens


SERVER = """
import os, sys, time
from zopa.web.jobs import JobManager, Limits

if __name__ == "__main__":
    jobs = JobManager(limits=Limits(max_samples=200_000))
    # minutes of work: the child ends early only if it is stopped
    job = jobs.start("alice", "robust", {"samples": 200_000, "given_reactions": False})
    while (job := jobs.get(job.id, "alice")).status != "running":
        time.sleep(0.02)
    print(job.pid, flush=True)
    if sys.argv[1] == "crash":
        os._exit(0)  # no clean-up: the child must notice on its own
    # a normal exit without shutdown(): the manager's exit handler stops the child
"""


def finished_or_zombie(pid: int) -> bool:
    """Whether a process that is not ours has exited (a zombie nobody reaps counts)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in {"Z", "X"}
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("how", ["exit", "crash"])
def test_the_runs_end_when_the_server_does(tmp_path: Path, how: str) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    server = subprocess.run(
        [sys.executable, str(script), how],
        capture_output=True,
        text=True,
        env=env,
        timeout=DEADLINE,
        check=True,
    )
    pid = int(server.stdout.split()[0])
    try:
        until(lambda: finished_or_zombie(pid), "the run's process to end")
    finally:
        if not finished_or_zombie(pid):
            os.kill(pid, signal.SIGKILL)
