"""Long analyses for the web workspace, each in a child process of its own.

A robustness run takes seconds to minutes and a briefing seconds to tens of seconds: the web
server must not wait for them. :class:`JobManager` starts each as a *job* in a fresh child
process (:func:`zopa.web.worker.run`, started with the ``spawn`` method, never ``fork``: the
server has threads), follows its progress through a pipe, and keeps its result until the page
asks for it. Cancelling a job terminates its process (and the process group it leads), then
kills it after a grace period; the server never blocks on a job.

Jobs belong to a *client* (the web app's session): a client sees, and cancels, only its own
jobs, so two users' runs do not interfere. Expensive work is bounded: the parameters are
checked against :class:`Limits` before any process starts, a client cannot run more than
``max_per_client`` jobs at once, nor the server more than ``max_running``
(:class:`JobLimit`), and only the ``keep`` latest finished jobs are kept.

Like any program that starts processes with ``spawn``, the program that creates a
:class:`JobManager` must guard its main module (``if __name__ == "__main__":``); ``python -m
zopa`` and the installed ``zopa`` command do. The package :mod:`zopa.web` must stay light to
import: every job's process imports :mod:`zopa.web.worker`, and with it the package.

Results are reproducible: a job calls the same facade as the command line with the same
parameters, so ``robust`` with ``samples=N, seed=S`` gives the document of
``zopa robust --samples N --seed S --format json``.

Examples
--------
>>> from zopa.web.jobs import JobManager
>>> with JobManager(max_running=2, max_per_client=1) as jobs:  # doctest: +SKIP
...     job = jobs.start("session-1", "robust", {"scenario": "berlin-2025-12", "samples": 500})
...     job = jobs.get(job.id, "session-1")  # poll: job.status, job.done / job.total
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import dataclasses
import logging
import math
import multiprocessing
import os
import re
import secrets
import signal
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import MappingProxyType
from typing import Any

from zopa.errors import UnknownId, UsageError, ZopaError

log = logging.getLogger(__name__)

KINDS = ("robust", "report", "tournament", "timeline")
"""The kinds of job: a robustness run (:func:`zopa.api.robust`), a briefing
(:func:`zopa.api.report`), a tournament of strategies (:func:`zopa.api.tournament`) or a
timeline with sampled inputs (:func:`zopa.api.timeline` with ``samples``)."""

STATUSES = ("queued", "running", "done", "failed", "cancelled")
"""A job's states: ``queued`` until its process is up, ``running``, then one of the last three."""

ACTIVE = frozenset({"queued", "running"})
"""The states of a job that has not finished."""

MAX_SEED = 2**63 - 1

_COMMON = frozenset({"scenario", "yaml", "name", "samples", "seed", "as_of"})
_PARAMS = {
    "robust": _COMMON | {"engine", "perturb", "lhs", "given_reactions"},
    "report": _COMMON | {"sections"},
    "tournament": _COMMON | {"strategies", "rounds"},
    "timeline": _COMMON,
}
_DEFAULT_SAMPLES = {"robust": 10_000, "report": 10_000, "tournament": 100, "timeline": 20}

_UNSAFE_NAME = re.compile(r"[^\w .,()+-]")


@dataclass(frozen=True)
class Limits:
    """The server-side bounds on what a job may ask for.

    Attributes
    ----------
    max_samples
        The most Monte Carlo samples of a robustness run.
    max_report_samples
        The most samples of a briefing's robust run and forecast band.
    max_tournament_samples
        The most samples of a tournament (each plays every profile of strategies: about half
        a second on one core for the default scenario).
    max_timeline_samples
        The most samples per date of a timeline (a robustness run per date).
    max_rounds
        The most rounds of a tournament's talks.
    max_yaml_bytes
        The largest scenario text (the upload limit of the workspace, 2 MiB).
    """

    max_samples: int = 20_000
    max_report_samples: int = 20_000
    max_tournament_samples: int = 200
    max_timeline_samples: int = 1_000
    max_rounds: int = 200
    max_yaml_bytes: int = 2 * 1024 * 1024


class JobLimit(ZopaError):  # noqa: N818 (short, like zopa.UnknownId)
    """A job refused because the client or the server already runs as many as allowed.

    Parameters
    ----------
    message
        What limit was reached, for the user.
    scope
        ``client`` (this client's limit) or ``server`` (all clients together).
    """

    def __init__(self, message: str, *, scope: str) -> None:
        super().__init__(message)
        self.scope = scope


@dataclass(frozen=True)
class Job:
    """A snapshot of one job, as :meth:`JobManager.get` returns it.

    Attributes
    ----------
    id
        Unguessable (``secrets.token_urlsafe``): the job's name in URLs.
    client
        Who started it; only that client sees it.
    kind
        One of :data:`KINDS`.
    params
        The parameters, normalised (read-only; the scenario text under ``yaml``).
    status
        One of :data:`STATUSES`.
    done, total
        Progress in samples (``total`` is 0 until the run knows it).
    created, started, finished
        Times (seconds since the epoch): asked for, process up, finished (None until then).
    error
        For a failed job, one line for the user: what is wrong with the input, or
        ``internal error, id …`` (the details are in the server's log under that id).
    error_parameter
        The parameter at fault, when the error names one (e.g. ``samples``, ``scenario``).
    problems
        For a scenario that is not valid, every problem as
        :meth:`zopa.io.scenario_file.Problem.to_dict` (file, line, column, field, message).
    result
        For a job done, the payload (see :func:`zopa.web.worker.result_payload` and
        :func:`zopa.web.worker.report_payload`); None otherwise. Shared by every snapshot of
        the job: read it, never change it.
    pid
        The child process's id (None before it started); for the server's own use.
    """

    id: str
    client: str
    kind: str
    params: Mapping[str, Any]
    status: str
    done: int = 0
    total: int = 0
    created: float = 0.0
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    error_parameter: str | None = None
    problems: tuple[Mapping[str, Any], ...] = ()
    result: Mapping[str, Any] | None = field(default=None, repr=False)
    pid: int | None = None

    @property
    def active(self) -> bool:
        """Whether the job has not finished (queued or running)."""
        return self.status in ACTIVE

    @property
    def fraction(self) -> float:
        """The share of the work done, 0 to 1 (1 once done)."""
        if self.status == "done":
            return 1.0
        return self.done / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the job's state for the page, JSON-ready.

        Leaves out the client, the process id, the result (which can be large: the page asks
        for it on its own) and the scenario text (its name stays).
        """
        params = {
            k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items() if k != "yaml"
        }
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "fraction": self.fraction,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "error": self.error,
            "error_parameter": self.error_parameter,
            "problems": [dict(p) for p in self.problems],
            "params": params,
        }


@dataclass(eq=False)
class _Entry:
    """A job's mutable state, guarded by the manager's lock."""

    job: Job
    process: BaseProcess | None = None
    conn: Connection | None = None
    thread: threading.Thread | None = None
    kill_at: float | None = None
    reaped: bool = False

    def update(self, **changes: Any) -> None:
        self.job = dataclasses.replace(self.job, **changes)


class JobManager:
    """Runs robustness runs, briefings, tournaments and timelines in child processes.

    Many clients at once.

    Thread-safe: the web app calls it from its request threads. Each job gets a child
    process of its own (``spawn``); a daemon thread per job reads the child's messages.

    Parameters
    ----------
    max_running
        The most jobs running at once on the server (each takes one core, or work on the Dask
        cluster).
    max_per_client
        The most jobs one client may run at once.
    scheduler
        A Dask scheduler address (``tcp://host:port``) or ``local``: robustness runs of the
        ``space`` and ``stability`` engines and tournaments send their samples there (``zopa serve
        --scheduler``). None: each job runs its samples in its own process, one core.
    keep
        How many finished jobs (with their results) to keep; beyond it the oldest finished
        job of the client holding the most finished jobs is dropped first, so one busy client
        does not push out another's results.
    limits
        The bounds on the parameters (:class:`Limits`).
    grace
        Seconds a cancelled job's process has to stop after SIGTERM before it is killed.

    Raises
    ------
    zopa.UsageError
        For limits below one, or a scheduler that is neither ``local`` nor an address.
    """

    def __init__(
        self,
        max_running: int = 2,
        max_per_client: int = 2,
        scheduler: str | None = None,
        keep: int = 50,
        *,
        limits: Limits | None = None,
        grace: float = 2.0,
    ) -> None:
        from zopa.api import _check_scheduler

        for name, value in (
            ("max_running", max_running),
            ("max_per_client", max_per_client),
            ("keep", keep),
        ):
            if value < 1:
                raise UsageError(f"{name} must be at least 1, got {value}", parameter=name)
        _check_scheduler(scheduler)
        self.max_running = max_running
        self.max_per_client = max_per_client
        self.scheduler = scheduler
        self.keep = keep
        self.limits = limits or Limits()
        self.grace = grace
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self._entries: dict[str, _Entry] = {}
        self._closed = False
        ref = weakref.ref(self)

        def at_exit() -> None:
            manager = ref()
            if manager is not None:
                manager.shutdown()

        self._at_exit = at_exit
        atexit.register(at_exit)

    # -- the public interface -------------------------------------------------------------------

    def validate(self, kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check a job's parameters against the :class:`Limits`; return them normalised.

        Parameters
        ----------
        kind
            One of :data:`KINDS`.
        params
            ``scenario`` (an embedded id; the default scenario when neither it nor ``yaml``
            is given) or ``yaml`` (the scenario's text, ``str`` or ``bytes``) with ``name``
            (the file name shown in error messages); ``samples`` (int; default 10,000, for a
            tournament 100, for a timeline 20 per date), ``seed`` (int ≥ 0, default 0),
            ``as_of`` (``YYYY-MM-DD`` or None). For ``robust`` also ``engine`` (``space``,
            ``stability`` or ``forecast``), ``perturb`` (0 to 1), ``lhs`` (bool),
            ``given_reactions`` (bool or None); for ``report``, ``sections`` (names or a
            comma-separated string); for ``tournament``, ``strategies`` (names or a
            comma-separated string; None: all) and ``rounds`` (int or None: the scenario's).

        Returns
        -------
        dict
            Every parameter of the kind, defaults filled in.

        Raises
        ------
        zopa.UnknownId
            For an unknown kind, scenario id, engine, section or strategy.
        zopa.UsageError
            For a parameter the kind does not take, a value of the wrong type or out of
            bounds (e.g. more samples than the server allows), both or neither of ``scenario``
            and ``yaml`` given wrongly, a scenario text too large.
        """
        from zopa.api import ROBUST_ENGINES
        from zopa.catalog import DEFAULT, embedded_ids

        if kind not in KINDS:
            raise UnknownId("job kind", kind, KINDS, parameter="kind")
        if not isinstance(params, Mapping):
            raise UsageError("the parameters must be a mapping", parameter="params")
        unknown = sorted(set(params) - _PARAMS[kind])
        if unknown:
            raise UsageError(
                f"a {kind} job does not take {', '.join(unknown)} "
                f"(it takes {', '.join(sorted(_PARAMS[kind]))})",
                parameter=unknown[0],
            )
        out: dict[str, Any] = {"scenario": None, "yaml": None, "name": None}
        text = params.get("yaml")
        if text is not None:
            if params.get("scenario") is not None:
                raise UsageError(
                    "give the scenario as an id or as text (yaml), not both", parameter="yaml"
                )
            if not isinstance(text, str | bytes):
                raise UsageError("the scenario text must be a string", parameter="yaml")
            size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
            if size > self.limits.max_yaml_bytes:
                raise UsageError(
                    f"the scenario text is {size:,} bytes; the limit is "
                    f"{self.limits.max_yaml_bytes:,}",
                    parameter="yaml",
                )
            out["yaml"] = text
            out["name"] = _display_name(params.get("name"))
        else:
            scenario = params.get("scenario", DEFAULT)
            scenario = DEFAULT if scenario is None else scenario
            ids = embedded_ids()
            if not isinstance(scenario, str) or scenario not in ids:
                raise UnknownId(
                    "scenario",
                    scenario,
                    ids,
                    parameter="scenario",
                    context=": the workspace runs embedded scenarios, or the text of one",
                )
            out["scenario"] = scenario
            out["name"] = scenario
        most = {
            "robust": self.limits.max_samples,
            "report": self.limits.max_report_samples,
            "tournament": self.limits.max_tournament_samples,
            "timeline": self.limits.max_timeline_samples,
        }[kind]
        out["samples"] = _integer(params, "samples", min(_DEFAULT_SAMPLES[kind], most), 1, most)
        out["seed"] = _integer(params, "seed", 0, 0, MAX_SEED)
        out["as_of"] = _as_of(params.get("as_of"))
        if kind == "robust":
            engine = params.get("engine", "space")
            if engine not in ROBUST_ENGINES:
                raise UnknownId("engine", engine, ROBUST_ENGINES, parameter="engine")
            out["engine"] = engine
            out["perturb"] = _fraction(params.get("perturb", 0.0))
            out["lhs"] = _boolean(params, "lhs", False)
            given = params.get("given_reactions")
            if given is not None and not isinstance(given, bool):
                raise UsageError(
                    "given_reactions must be true, false or null", parameter="given_reactions"
                )
            out["given_reactions"] = given
        elif kind == "tournament":
            out["strategies"] = _strategies(params.get("strategies"))
            rounds = params.get("rounds")
            out["rounds"] = (
                None if rounds is None else _integer(params, "rounds", 0, 1, self.limits.max_rounds)
            )
        elif kind == "report":
            from zopa.briefing import SECTIONS, parse_sections

            sections = params.get("sections", SECTIONS)
            if not isinstance(sections, str) and not (
                isinstance(sections, list | tuple) and all(isinstance(x, str) for x in sections)
            ):
                raise UsageError(
                    "sections must be names or a comma-separated string", parameter="sections"
                )
            out["sections"] = parse_sections(sections)
        return out

    def start(self, client: str, kind: str, params: Mapping[str, Any]) -> Job:
        """Start a job for ``client``; return its first snapshot (``queued``).

        Parameters
        ----------
        client
            Who asks (the web app's session id); only this client will see the job.
        kind, params
            See :meth:`validate`.

        Returns
        -------
        Job

        Raises
        ------
        JobLimit
            When the client already runs ``max_per_client`` jobs, or the server
            ``max_running``.
        zopa.UnknownId, zopa.UsageError
            For parameters :meth:`validate` refuses (no process is started).
        RuntimeError
            After :meth:`shutdown`.
        """
        normalised = self.validate(kind, params)
        with self._lock:
            if self._closed:
                raise RuntimeError("the job manager is shut down")
            active = [e.job for e in self._entries.values() if e.job.status in ACTIVE]
            mine = sum(1 for j in active if j.client == client)
            if mine >= self.max_per_client:
                raise JobLimit(
                    f"you already have {mine} run{'' if mine == 1 else 's'} going "
                    f"(at most {self.max_per_client} at once): wait for one to finish, "
                    "or cancel it",
                    scope="client",
                )
            if len(active) >= self.max_running:
                raise JobLimit(
                    f"the server is running {len(active)} runs, its limit: try again when "
                    "one has finished",
                    scope="server",
                )
            job = Job(
                id=secrets.token_urlsafe(16),
                client=client,
                kind=kind,
                params=MappingProxyType(normalised),
                status="queued",
                created=time.time(),
            )
            entry = _Entry(job)
            self._entries[job.id] = entry
        self._launch(entry)
        with self._lock:
            return entry.job

    def get(self, job_id: str, client: str) -> Job | None:
        """The job ``job_id`` as it is now, or None when ``client`` has no such job.

        Another client's job is None too: a client cannot learn of it.
        """
        with self._lock:
            entry = self._entries.get(job_id)
            if entry is None or entry.job.client != client:
                return None
            return entry.job

    def list(self, client: str) -> builtins.list[Job]:
        """The jobs of ``client`` the manager still holds, oldest first."""
        with self._lock:
            jobs = [e.job for e in self._entries.values() if e.job.client == client]
        return sorted(jobs, key=lambda j: j.created)

    def cancel(self, job_id: str, client: str) -> Job | None:
        """Cancel a job of ``client``: its process is terminated, then killed after ``grace``.

        Returns
        -------
        Job or None
            The job, ``cancelled`` if it had not finished (a finished job stays as it was);
            None when ``client`` has no such job.
        """
        with self._lock:
            entry = self._entries.get(job_id)
            if entry is None or entry.job.client != client:
                return None
            if entry.job.status in ACTIVE:
                self._stop(entry)
            return entry.job

    def shutdown(self) -> None:
        """Cancel every job that has not finished and wait for their processes to end.

        Called at exit and by the context manager; later calls do nothing, and :meth:`start`
        then raises RuntimeError.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            entries = builtins.list(self._entries.values())
            for entry in entries:
                if entry.job.status in ACTIVE:
                    self._stop(entry)
        for entry in entries:
            if entry.thread is not None and entry.thread is not threading.current_thread():
                entry.thread.join(self.grace + 5.0)
        atexit.unregister(self._at_exit)

    def __enter__(self) -> JobManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- the processes --------------------------------------------------------------------------

    def _launch(self, entry: _Entry) -> None:
        """Start the job's process and the thread that reads its messages."""
        from zopa.web import worker

        job = entry.job
        reader, writer = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=worker.run,
            args=(writer, job.kind, dict(job.params), self.scheduler, os.getpid()),
            name=f"zopa-job-{job.id[:8]}",
            daemon=False,  # a daemonic process may not start processes (a Dask cluster)
        )
        try:
            process.start()
        except Exception as exc:
            reader.close()
            writer.close()
            with self._lock:
                self._internal(entry, "could not start the worker process", exc)
                self._evict()
            return
        writer.close()  # the child's end: once the child exits, reading gives EOF
        thread = threading.Thread(
            target=self._follow, args=(entry,), name=f"zopa-job-{job.id[:8]}", daemon=True
        )
        with self._lock:
            entry.process, entry.conn, entry.thread = process, reader, thread
            entry.update(pid=process.pid)
            if entry.job.status == "cancelled":  # cancelled while it started
                entry.kill_at = time.monotonic() + self.grace
                _signal(process, signal.SIGTERM)
        thread.start()

    def _follow(self, entry: _Entry) -> None:
        """Read the child's messages until it exits; kill it when a cancel's grace is over."""
        process, conn = entry.process, entry.conn
        assert process is not None
        assert conn is not None
        waitables: builtins.list[Any] = [conn, process.sentinel]
        try:
            while True:
                ready = wait(waitables, timeout=0.25)
                if conn in ready:
                    try:
                        message = conn.recv()
                    except (EOFError, OSError):
                        waitables.remove(conn)
                    else:
                        self._receive(entry, message)
                    continue
                if process.sentinel in ready:
                    if conn in waitables:
                        self._drain(entry, conn)
                    break
                with self._lock:
                    late = entry.kill_at is not None and time.monotonic() >= entry.kill_at
                    if late:
                        entry.kill_at = None
                        _signal(process, signal.SIGKILL)
        finally:
            conn.close()
            with self._lock:  # the process has exited: joining it is immediate
                process.join()
                entry.reaped = True
                self._ended(entry, process.exitcode)
                self._evict()

    def _drain(self, entry: _Entry, conn: Connection) -> None:
        """Read what an exited child sent before it exited."""
        try:
            while conn.poll():
                self._receive(entry, conn.recv())
        except (EOFError, OSError):
            pass

    def _receive(self, entry: _Entry, message: tuple[Any, ...]) -> None:
        """Apply one message of the child (see :mod:`zopa.web.worker`)."""
        with self._lock:
            if entry.job.status not in ACTIVE:  # cancelled: what it says no longer counts
                return
            what = message[0]
            if what == "running":
                entry.update(status="running", started=time.time())
            elif what == "progress":
                entry.update(done=int(message[1]), total=int(message[2]))
            elif what == "done":
                entry.update(
                    status="done", done=entry.job.total, finished=time.time(), result=message[1]
                )
            elif what == "failed":
                _, text, parameter, problems = message
                entry.update(
                    status="failed",
                    finished=time.time(),
                    error=text,
                    error_parameter=parameter,
                    problems=tuple(MappingProxyType(dict(p)) for p in problems),
                )
            elif what == "crashed":
                _, summary, trace = message
                self._internal(entry, summary, trace)

    def _ended(self, entry: _Entry, exitcode: int | None) -> None:
        """The child has exited: a job it did not finish failed (it was killed, or crashed)."""
        if entry.job.status in ACTIVE:
            self._internal(entry, f"the worker process stopped with exit code {exitcode}")

    def _internal(self, entry: _Entry, summary: str, detail: object = None) -> None:
        """Fail a job with an internal error: the user gets an id, the log gets the details."""
        error_id = secrets.token_hex(4)
        if isinstance(detail, BaseException):
            log.error(
                "internal error %s in %s job %s: %s",
                error_id,
                entry.job.kind,
                entry.job.id,
                summary,
                exc_info=detail,
            )
        else:
            log.error(
                "internal error %s in %s job %s: %s%s",
                error_id,
                entry.job.kind,
                entry.job.id,
                summary,
                f"\n{detail}" if detail else "",
            )
        entry.update(status="failed", finished=time.time(), error=f"internal error, id {error_id}")

    def _stop(self, entry: _Entry) -> None:
        """Mark a job cancelled and signal its process to stop (under the lock)."""
        entry.update(status="cancelled", finished=time.time())
        process = entry.process
        if process is not None and not entry.reaped:
            entry.kill_at = time.monotonic() + self.grace
            _signal(process, signal.SIGTERM)

    def _evict(self) -> None:
        """Drop finished jobs beyond ``keep``: the oldest of the client holding the most."""
        done = [e.job for e in self._entries.values() if e.job.status not in ACTIVE]
        while len(done) > self.keep:
            counts: dict[str, int] = {}
            for job in done:
                counts[job.client] = counts.get(job.client, 0) + 1
            most = max(counts.values())
            oldest = min(
                (j for j in done if counts[j.client] == most),
                key=lambda j: (j.finished or j.created, j.created),
            )
            del self._entries[oldest.id]
            done.remove(oldest)


def _signal(process: BaseProcess, signum: int) -> None:
    """Send ``signum`` to a child's process group (the child leads one), and to the child."""
    pid = process.pid
    if pid is None:
        return
    if hasattr(os, "killpg"):
        # no such group yet when the child has just started: the signal below reaches it
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _display_name(name: object) -> str:
    """The name of an uploaded scenario as error messages show it (never a path)."""
    if not isinstance(name, str) or not name.strip():
        return "<upload>"
    base = re.split(r"[\\/]", name.strip())[-1]
    cleaned = _UNSAFE_NAME.sub("_", base)[:100]
    return cleaned or "<upload>"


def _integer(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, default)
    value = default if value is None else value
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a whole number, got {value!r}", parameter=name)
    if not low <= value <= high:
        raise UsageError(
            f"{name} must be between {low:,} and {high:,}, got {value:,}", parameter=name
        )
    return value


def _strategies(value: object) -> tuple[str, ...] | None:
    """A tournament's strategies: names, or a comma-separated string; None (or none): all."""
    from zopa.api import _choice, _names, _no_duplicates
    from zopa.simulate.strategies import STRATEGIES

    if value is None or isinstance(value, str):
        names = _names(value)
    elif isinstance(value, list | tuple) and all(isinstance(x, str) for x in value):
        names = _names(value)
    else:
        raise UsageError(
            "strategies must be names or a comma-separated string", parameter="strategies"
        )
    for name in names or []:
        _choice("strategy", name, list(STRATEGIES), "strategies")
    _no_duplicates(names or [], "strategy", "strategies")
    return tuple(names) if names else None


def _fraction(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"perturb must be a number, got {value!r}", parameter="perturb")
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise UsageError(f"perturb must be between 0 and 1, got {value}", parameter="perturb")
    return float(value)


def _boolean(params: Mapping[str, Any], name: str, default: bool) -> bool:
    value = params.get(name, default)
    if not isinstance(value, bool):
        raise UsageError(f"{name} must be true or false, got {value!r}", parameter=name)
    return value


def _as_of(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise UsageError(f"as_of must be a date (YYYY-MM-DD), got {value!r}", parameter="as_of")
