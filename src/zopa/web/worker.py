"""What a job's child process runs: one analysis through the facade, its news sent home.

:class:`zopa.web.jobs.JobManager` starts :func:`run` in a fresh process (the ``spawn`` start
method: the server has threads, so it never forks itself). The process loads the scenario with
zopa's own loader (:func:`zopa.io.scenario_file.parse_scenario`, from the YAML text the client
sent or from the catalog, never from a path the client named), calls the facade
(:func:`zopa.api.robust`, :func:`zopa.api.report`, :func:`zopa.api.tournament` or
:func:`zopa.api.timeline`) and sends back everything the page needs, so the server never
recomputes.

The messages, plain tuples sent on the connection:

- ``("running",)`` once the process is up;
- ``("progress", done, total)`` as the samples complete;
- ``("done", payload)``: the result (see :func:`result_payload`, :func:`report_payload`);
- ``("failed", message, parameter, problems)``: the input is at fault (zopa's typed errors and
  what the engines say about their inputs), with a message meant for the user;
- ``("crashed", summary, traceback)``: anything else; the server logs the traceback and shows
  the user only an error id.

The process puts itself in its own process group (so that cancelling a job also stops any
process it started, e.g. a local Dask cluster) and exits when the server that started it is
gone.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.results import ResultView

PARENT_CHECK = 1.0
"""Seconds between the child's checks that the server that started it is still there."""


def run(
    conn: Connection,
    kind: str,
    params: Mapping[str, Any],
    scheduler: str | None,
    parent: int,
) -> None:
    """Run one job and send its messages on ``conn`` (the entry point of the child process).

    Parameters
    ----------
    conn
        The write end of the pipe to the server.
    kind
        One of :data:`zopa.web.jobs.KINDS`.
    params
        The parameters as :meth:`zopa.web.jobs.JobManager.validate` normalised them.
    scheduler
        A Dask scheduler address, or ``local``, for the robust engines that take one; None runs
        the samples in this process.
    parent
        The server's process id: the child exits when its parent is no longer that process.
    """
    _detach(parent)
    try:
        conn.send(("running",))
        last = (-1, -1)

        def progress(done: int, total: int) -> None:
            nonlocal last
            if (done, total) != last:
                last = (done, total)
                conn.send(("progress", int(done), int(total)))

        if kind == "robust":
            payload = robust_payload(params, scheduler, progress)
        elif kind == "report":
            payload = report_payload(params, progress)
        elif kind == "tournament":
            payload = tournament_payload(params, scheduler, progress)
        elif kind == "timeline":
            payload = timeline_payload(params, progress)
        else:  # the manager validates kinds; a new kind must be added here too
            raise ValueError(f"unknown job kind {kind!r}")
        message: tuple[Any, ...] = ("done", payload)
    except Exception as exc:
        message = describe_error(exc)
    try:
        conn.send(message)
    except OSError:  # the server is gone: nobody to tell
        pass
    finally:
        conn.close()


def _detach(parent: int) -> None:
    """Lead a process group of our own, and exit when the server that started us is gone."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):  # e.g. already a group leader
            os.setpgid(0, 0)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="zopa-job-parent-watch", daemon=True).start()


def load_scenario(params: Mapping[str, Any]) -> tuple[Scenario, str]:
    """The scenario a job names: its YAML text, or an embedded id (never a server path).

    Returns
    -------
    (Scenario, str)
        The validated scenario, and how the user knows it (the embedded id or the file name
        of the upload).

    Raises
    ------
    zopa.ScenarioError
        For text that is not a valid scenario, every problem located in the text.
    """
    from zopa.catalog import embedded_text
    from zopa.io.scenario_file import parse_scenario

    text = params.get("yaml")
    if text is not None:
        name = str(params["name"])
        return parse_scenario(text, name), name
    scenario_id = str(params["scenario"])
    return parse_scenario(embedded_text(scenario_id), f"<embedded>/{scenario_id}.yaml"), scenario_id


def result_payload(result: ResultView, title: str) -> dict[str, Any]:
    """What a run's page shows of a facade result, sent home whole so the server never recomputes.

    Parameters
    ----------
    result
        The facade's result (:class:`zopa.results.Robust`, ``Tournament``, ``Timeline``).
    title
        The scenario's title.

    Returns
    -------
    dict
        ``data``: the JSON document of the command's ``--format json`` (``result.to_dict()``);
        ``html``: the report as an HTML fragment (``result.to_html()``); ``charts``: each
        chart's name mapped to ``{"spec", "title", "description"}`` (the Vega-Lite
        specification, its title and its text alternative), the main chart first;
        ``warnings``: the run's warnings (those of its JSON document); ``title``: ``title``.
    """
    data = result.to_dict()
    charts = {}
    for name in result.charts:
        chart = result.chart(name)
        charts[name] = {"spec": chart.spec, "title": chart.title, "description": chart.description}
    return {
        "data": data,
        "html": result.to_html(),
        "charts": charts,
        "warnings": list(data.get("warnings", [])),
        "title": title,
    }


def _sampled(
    analysis: Callable[..., ResultView],
    params: Mapping[str, Any],
    progress: Any,
    **options: Any,
) -> dict[str, Any]:
    """Load the job's scenario, run a sampled facade ``analysis`` on it, return its payload.

    The samples run in this process (``workers=1``: the facade's results do not depend on
    the number of workers, so they equal the command line's).
    """
    scenario, _ = load_scenario(params)
    result = analysis(
        scenario,
        samples=int(params["samples"]),
        seed=int(params["seed"]),
        workers=1,
        progress=progress,
        as_of=params["as_of"],
        **options,
    )
    return result_payload(result, scenario.title)


def robust_payload(
    params: Mapping[str, Any], scheduler: str | None, progress: Any
) -> dict[str, Any]:
    """Run :func:`zopa.api.robust` (``zopa robust``) and return what its page shows.

    The samples run in this process, or on the Dask ``scheduler`` when one is given (not for
    the ``forecast`` engine, which runs vectorised).

    Returns
    -------
    dict
        See :func:`result_payload`.
    """
    from zopa.api import robust

    engine = str(params["engine"])
    return _sampled(
        robust,
        params,
        progress,
        engine=engine,
        perturb=float(params["perturb"]),
        lhs=bool(params["lhs"]),
        scheduler=scheduler if engine != "forecast" else None,
        given_reactions=params["given_reactions"],
    )


def tournament_payload(
    params: Mapping[str, Any], scheduler: str | None, progress: Any
) -> dict[str, Any]:
    """Run :func:`zopa.api.tournament` (``zopa tournament``) and return what its page shows.

    The samples run in this process, or on the Dask ``scheduler`` when one is given.

    Returns
    -------
    dict
        See :func:`result_payload`.
    """
    from zopa.api import tournament

    return _sampled(
        tournament,
        params,
        progress,
        strategies=params["strategies"],
        rounds=params["rounds"],
        scheduler=scheduler,
    )


def timeline_payload(params: Mapping[str, Any], progress: Any) -> dict[str, Any]:
    """Run :func:`zopa.api.timeline` with sampled inputs (``zopa timeline --samples``).

    A robustness run per date, in this process.

    Returns
    -------
    dict
        See :func:`result_payload`.
    """
    from zopa.api import timeline

    return _sampled(timeline, params, progress)


def report_payload(params: Mapping[str, Any], progress: Any) -> dict[str, Any]:
    """Run :func:`zopa.api.report` and return the briefing as one self-contained HTML page.

    The robust samples run in this process (``workers=1``; the briefing is the same, byte for
    byte, whatever the number of workers).

    Returns
    -------
    dict
        ``html``: the page (``Report.to_html()``); ``filename``: a name to download it as
        (``briefing-<scenario id>.html``); ``command``: the ``zopa report`` command that
        writes the same briefing from the scenario file.
    """
    import dataclasses

    from zopa.api import report

    scenario, source = load_scenario(params)
    briefing = report(
        scenario,
        sections=params["sections"],
        samples=int(params["samples"]),
        seed=int(params["seed"]),
        workers=1,
        as_of=params["as_of"],
        progress=progress,
    )
    # the briefing's "reproduce" command names the scenario as the user knows it
    briefing = dataclasses.replace(briefing, source=source)
    return {
        "html": briefing.to_html(),
        "filename": f"briefing-{scenario.id}.html",
        "command": briefing.command(f"briefing-{scenario.id}.html"),
    }


def describe_error(exc: BaseException) -> tuple[Any, ...]:
    """The message to send for an error: ``failed`` for bad input, ``crashed`` otherwise.

    The input is at fault for :class:`zopa.ScenarioError` (the message is its first problem,
    ``file:line:column: field: message``, with a count of the others; every problem is sent
    as a dict), :class:`zopa.UnknownId` and :class:`zopa.UsageError` (their message, and the
    parameter at fault), and the plain ``ValueError`` the engines raise about their inputs
    (its first line), as the command line treats them. Anything else is a crash: its
    traceback goes to the server's log, never to the user.
    """
    from zopa.errors import ZopaError
    from zopa.io.scenario_file import ScenarioError

    if isinstance(exc, ScenarioError):
        problems = [p.to_dict() for p in exc.problems]
        first = str(exc.problems[0]) if exc.problems else "the scenario is not valid"
        more = len(exc.problems) - 1
        if more > 0:
            first += f" (and {more} more problem{'' if more == 1 else 's'})"
        return ("failed", first, "scenario", problems)
    if isinstance(exc, ZopaError | ValueError):
        lines = str(exc).strip().splitlines()
        message = lines[0] if lines else type(exc).__name__
        return ("failed", message, getattr(exc, "parameter", None), [])
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
    return ("crashed", summary, "".join(traceback.format_exception(exc)))
