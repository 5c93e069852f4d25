"""The ``zopa`` command line.

A thin front end: every command parses its arguments, calls the same public functions a notebook
user would call, and prints the result. Heavy modules (numpy, pydantic, the engines) are imported
inside the commands so that ``zopa --help`` stays fast.

Exit codes: 0 success; 1 the analysis found the problem the user asked about (e.g. a proposal
asked for with ``--proposal`` does not bridge the gap); 2 bad input or usage.
"""

from __future__ import annotations

import copy
import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from zopa._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.console import Console

    from zopa.model.scenario import Scenario
    from zopa.store.runs import Answer
    from zopa.web.settings import Settings

T = TypeVar("T")


class _Zopa(typer.Typer):
    """The ``zopa`` application: builds only the command it runs.

    Typer turns every registered command into a click command (reading each function's
    signature and evaluating its annotations) before parsing the command line: some 50 ms for
    two dozen commands, more than a small analysis takes. When the first word of the command
    line names a registered command, this application builds itself with that command alone
    (and the group's callback, so ``zopa NAME ...`` parses, helps and fails exactly as with
    every command: the group's own options and its command list are never in play then).
    ``zopa --version`` alone builds no command at all (the option prints and exits before a
    command is looked for). Anything else (``zopa``, ``zopa --help``, an unknown or misspelt
    name, a sub-group such as ``zopa db``, shell completion) runs the whole application.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line (``args`` as click's ``main``: default ``sys.argv[1:]``)."""
        given = kwargs["args"] if "args" in kwargs else (args[0] if args else None)
        words = list(sys.argv[1:] if given is None else given)
        one = self.only(words)
        return super(_Zopa, one if one is not None else self).__call__(*args, **kwargs)

    def only(self, words: list[str]) -> _Zopa | None:
        """Return the application with only the command that ``words`` run (None: as it is).

        None when the first word names no registered command, when the application would not
        stay a group (no callback) and when shell completion is asked for (it lists every
        command).
        """
        import os

        from typer.main import get_command_name

        if not words or not (self.registered_callback or self.info.callback):
            return None
        if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
            return None
        chosen = []
        if words != ["--version"]:
            chosen = [
                info
                for info in self.registered_commands
                if info.callback is not None
                and (info.name or get_command_name(info.callback.__name__)) == words[0]
            ]
            if len(chosen) != 1 or words[0].startswith("-"):
                return None
        one = copy.copy(self)
        one.registered_commands = chosen
        one.registered_groups = []
        return one


app = _Zopa(
    name="zopa",
    help="Analyse multi-party peace negotiations: who can accept what, and how far apart the sides are.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT = 0, 1, 2


class TableOrJson(StrEnum):
    """Output formats for data commands."""

    table = "table"
    json = "json"


class ReportFormat(StrEnum):
    """Output formats for reports."""

    table = "table"
    json = "json"
    md = "md"


ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="An embedded scenario id (see `zopa scenarios`), a path to a scenario file, or a "
        "folder of GENIUS files (converted on the fly); default: berlin-2025-12.",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Local worker processes (default: all cores; results do not depend on it).",
        show_default=False,
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="A Dask scheduler (tcp://host:port), or 'local' for a local Dask cluster.",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The scenario as known on DATE (YYYY-MM-DD): proposals, events, reactions and "
        "sources dated after it are left out (the output says how many).",
        show_default=False,
    ),
]
DeadlineOption = Annotated[
    int | None,
    typer.Option(
        "--rounds",
        min=1,
        max=10_000,
        help="Rounds before the deadline (default: the scenario's dynamics section, or 12).",
        show_default=False,
    ),
]


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="The store: sqlite:///PATH or postgresql+psycopg://USER@HOST/DB (default: "
        "$ZOPA_DB, else zopa.db in the user's data directory).",
        show_default=False,
    ),
]

SaveRunOption = Annotated[
    bool,
    typer.Option(
        "--save-run",
        help="Store the result as a run of the scenario's stored version (a file is first "
        "saved as a version; unchanged content keeps its version).",
    ),
]
FreshOption = Annotated[
    bool,
    typer.Option(
        "--fresh",
        help="Recompute even when the store holds a run with the same version, options, seed "
        "and zopa version.",
    ),
]


PROGRESS_STEP = 0.1
"""Without a terminal, progress is printed as a plain line at every tenth of the work."""

FLAGS = {
    "scenario": "SCENARIO",
    "scenarios": "SCENARIO",
    "proposals": "--proposal",
    "engine": "--engine",
    "bridging": "--bridging",
    "limit": "--limit",
    "count": "--count",
    "terms": "--terms",
    "by": "--by",
    "start": "--from",
    "coalitions": "--coalition",
    "concept": "--concept",
    "issues": "--issue",
    "model": "--model",
    "variant": "--variant",
    "perturb": "--perturb",
    "lhs": "--lhs",
    "scheduler": "--scheduler",
    "workers": "--workers",
    "samples": "--samples",
    "strategy": "--strategy",
    "strategies": "--strategies",
    "parties": "--parties",
    "plot": "--plot",
    "plot_parties": "--plot-parties",
    "chart": "--chart",
    "chart_name": "--chart-name",
    "chart_parties": "--chart-parties",
    "chart_target": "--chart-target",
    "chart_input": "--chart-input",
    "sections": "--sections",
    "as_of": "--as-of",
    "output": "-o",
    "db": "--db",
    "as_id": "--as",
    "ref": "REF",
    "names": "--names",
    "real_steps": "--real-steps",
    "profiles": "PROFILE",
    "action": "ACTION",
    "report": "ARTICLE",
    "date": "--date",
}
"""The command-line option behind each facade argument, named in error messages."""


class _PlainProgress:
    """Progress as plain lines on stderr (for logs and pipes): one line per tenth of the work."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        step = min(int(done / total / PROGRESS_STEP), int(1 / PROGRESS_STEP))
        if step > self.shown:
            self.shown = step
            sys.stderr.write(f"{self.label}: {done:,}/{total:,} ({done / total:.0%})\n")
            sys.stderr.flush()


def _with_progress(label: str, total: int, run: Callable[[Callable[[int, int], None]], T]) -> T:
    """Run ``run(progress)`` while showing progress on stderr; Ctrl-C and bad input exit cleanly.

    On a terminal the progress is a bar; otherwise (a pipe, a log file, a test) it is a plain line
    at every tenth of the work, so a long run is never silent.
    """
    try:
        if not sys.stderr.isatty():
            return _call(lambda: run(_PlainProgress(label)))
        from rich.progress import Progress

        with Progress(console=_console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)

            def progress(done: int, all_: int) -> None:
                bar.update(task, completed=done, total=all_)

            return _call(lambda: run(progress))
    except KeyboardInterrupt as stop:
        finished = getattr(stop, "samples_done", 0)
        _fail(f"interrupted after {finished:,} of {total:,} samples", code=130)


@contextmanager
def _late_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback whose bar (plain lines when not a terminal) starts at its first call.

    For work that reports progress only when it is long (counting a large zone), so that a
    quick run prints nothing.
    """
    shown: list[Any] = []

    def progress(done: int, all_: int) -> None:
        if not shown:
            if not sys.stderr.isatty():
                shown.append(_PlainProgress(label))
            else:
                from rich.progress import Progress

                bar = Progress(console=_console(stderr=True), transient=True)
                bar.__enter__()
                task = bar.add_task(label, total=all_)
                shown.append(lambda d, a: bar.update(task, completed=d, total=a))
                shown.append(bar)
        shown[0](done, all_)

    try:
        yield progress
    finally:
        if len(shown) > 1:
            shown[1].__exit__(None, None, None)


def _cores(workers: int | None) -> int:
    import os

    return workers or os.cpu_count() or 1


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # soft_wrap: never break a `file:line:column: field: message` line at the console width
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    _console(stderr=True).print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def _call(run: Callable[[], T]) -> T:
    """Call the facade; its typed errors become a message naming the option, and exit code 2."""
    from zopa.errors import UnknownId, UsageError, ZopaError
    from zopa.io.scenario_file import ScenarioError

    try:
        return run()
    except ScenarioError as exc:
        _report_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (UnknownId, UsageError) as exc:
        flag = FLAGS.get(exc.parameter or "")
        _fail(f"{flag}: {exc}" if flag and flag != "SCENARIO" else str(exc))
    except ZopaError as exc:  # e.g. the store cannot be opened, or a save conflicts
        _fail(str(exc))
    except ValueError as exc:  # the engines' messages about the inputs themselves
        _fail(str(exc))
    except RuntimeError as exc:  # e.g. a Dask scheduler that cannot be reached
        if _is_exit(exc):  # exits are RuntimeErrors too: an exit decided passes
            raise
        _fail(str(exc))


def _is_exit(exc: BaseException) -> bool:
    """Whether ``exc`` is an exit decided by the command (``typer.Exit``, or click's own).

    Click is not imported for this: only when something has imported it can click's ``Exit``
    have been raised (typer may bundle its own click).
    """
    if isinstance(exc, typer.Exit):
        return True
    click = sys.modules.get("click.exceptions")
    return click is not None and isinstance(exc, click.Exit)


def _load(name: str | None, db: str | None = None) -> Scenario:
    """Load a scenario (a file, an embedded id or a stored reference), or exit with code 2."""
    import zopa

    return _call(lambda: zopa.load(name, db=db))


def _answer(
    scenario: str | None,
    command: str,
    options: dict[str, Any],
    compute: Callable[[Scenario], Any],
    *,
    seed: int | None = None,
    save_run: bool = False,
    fresh: bool = False,
    db: str | None = None,
) -> Answer:
    """Compute an analysis, or answer it from a stored run (:func:`zopa.store.runs.cached_or_run`).

    Says on stderr when the answer comes from the store, and what ``--save-run`` stored.
    """
    from zopa.store.runs import cached_or_run, when

    answer = _call(
        lambda: cached_or_run(
            scenario, command, options, compute, seed=seed, save_run=save_run, fresh=fresh, db=db
        )
    )
    lines = [] if (message := answer.message()) is None else [message]
    if answer.saved_version is not None:
        v = answer.saved_version
        state = "unchanged: already" if answer.saved_unchanged else "saved as"
        lines.append(f"{scenario}: {state} {v.ref}")
    if answer.saved is not None:
        run = answer.saved
        lines.append(f"stored run #{run.id} of {run.ref} ({when(run.started_at)})")
    if lines:  # the console (rich) only when there is something to say
        err = _console(stderr=True)
        for line in lines:
            err.print(line, markup=False)
    return answer


def _report_problems(exc: Exception) -> None:
    err = _console(stderr=True)
    problems = getattr(exc, "problems", [])
    for problem in problems:
        err.print(str(problem), markup=False)
    n = len(problems)
    err.print(f"{n} problem{'s' if n != 1 else ''} found.", markup=False)
    for note in getattr(exc, "__notes__", []):
        err.print(note, markup=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zopa {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Analyse multi-party peace negotiations: who can accept what, and how far apart the sides are."""


@app.command()
def scenarios(fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table) -> None:
    """List the scenarios shipped with zopa."""
    import zopa
    from zopa.catalog import DEFAULT

    rows: list[dict[str, Any]] = []
    for sid in zopa.scenarios():
        s = zopa.load(sid)
        as_of = str(s.as_of) if s.as_of else None
        rows.append({"id": sid, "title": s.title, "as_of": as_of, "default": sid == DEFAULT})
    if fmt is TableOrJson.json:
        _print_json(rows)
        return
    from zopa.render.document import to_console
    from zopa.render.scenario_view import scenario_list_document

    to_console(scenario_list_document(rows), _console())


@app.command()
def show(
    scenario: ScenarioArg = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Print a scenario's parties, issues, proposals, events and reactions with their sources.

    With --as-of, the scenario as known on that date (JSON: a valid scenario, the note on what
    was left out on stderr).
    """
    s = _load(scenario, db)
    summary = None
    if as_of is not None:
        from zopa.model.as_of import as_of_cut

        cut = _call(lambda: as_of_cut(s, as_of))
        s, summary = cut.scenario, cut.summary()
    if fmt is TableOrJson.json:
        if summary is not None:
            _console(stderr=True).print(summary, markup=False)
        _print_json(s.model_dump(mode="json", exclude_none=True))
        return
    from zopa.render.document import to_console
    from zopa.render.scenario_view import scenario_document

    doc = scenario_document(s)
    if summary is not None:
        doc.blocks.insert(1, summary)
    to_console(doc, _console())


def _validate_one(name: str, db: str | None = None) -> Scenario:
    """Read one file, an embedded scenario by id when no such file exists, or a stored version."""
    from zopa.api import CSV_HINT, _looks_like_csv
    from zopa.catalog import embedded_ids, embedded_text
    from zopa.io.scenario_file import ScenarioError, load_scenario_file, parse_scenario

    if Path(name).is_dir():  # a GENIUS folder, converted on the fly
        from zopa.io.genius_import import import_genius_folder

        return import_genius_folder(name).scenario
    if not Path(name).exists() and name in embedded_ids():
        return parse_scenario(embedded_text(name), f"<embedded>/{name}.yaml")
    if not Path(name).exists():
        from zopa.store.runs import find_stored

        stored = _call(lambda: find_stored(name, db=db))
        if stored is not None:
            return stored.scenario
    try:
        return load_scenario_file(Path(name))
    except ScenarioError as exc:
        if _looks_like_csv(name):
            exc.add_note(CSV_HINT)
        raise


@app.command()
def validate(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Scenario files (or embedded scenario ids, stored versions ID@N, or folders of "
            "GENIUS files) to check.",
            show_default=False,
        ),
    ],
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    db: DbOption = None,
) -> None:
    """Check scenario files; print every problem as file:line:column (exit code 2 if any)."""
    from zopa.io.scenario_file import ScenarioError

    results = []
    for name in files:
        try:
            s = _validate_one(name, db)
            results.append({"file": name, "valid": True, "id": s.id, "problems": []})
        except ScenarioError as exc:
            results.append(
                {"file": name, "valid": False, "problems": [p.to_dict() for p in exc.problems]}
            )
            if fmt is TableOrJson.table:
                _report_problems(exc)
    if fmt is TableOrJson.json:
        _print_json(results)
    else:
        out = _console()
        for r in results:
            if r["valid"]:
                out.print(f"{r['file']}: valid scenario {r['id']!r}", markup=False)
    if not all(r["valid"] for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from zopa.io.schema import scenario_schema

    _print_json(scenario_schema())


class Engine(StrEnum):
    """Agreement-space engines."""

    auto = "auto"
    enumeration = "enumeration"
    exact = "exact"


FormatOption = Annotated[
    ReportFormat, typer.Option("--format", help="table (terminal report), json or md (Markdown).")
]
EngineOption = Annotated[Engine, typer.Option("--engine", help="Agreement-space engine.")]


class Count(StrEnum):
    """How ``analyze`` sizes the zone of agreement."""

    auto = "auto"
    exact = "exact"
    bound = "bound"
    skip = "skip"


CountOption = Annotated[
    Count,
    typer.Option(
        "--count",
        help="Size of the zone: exact, bound (fast lower/upper bounds), skip, or auto (exact "
        "when it takes at most about 10 s, else a bound).",
    ),
]
BridgingOption = Annotated[
    int, typer.Option("--bridging", min=1, max=100, help="Bridging packages to show per proposal.")
]


ChartOption = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        help="Also write the main chart (or --chart-name) to FILE.svg, .png, .pdf or .html "
        "(interactive, works offline).",
        show_default=False,
    ),
]
ChartNameOption = Annotated[
    str | None,
    typer.Option(
        "--chart-name",
        help="With --chart: which chart to write (see the error message or "
        "result.charts for the names).",
        show_default=False,
    ),
]
ChartPartiesOption = Annotated[
    str | None,
    typer.Option(
        "--chart-parties",
        help="With --chart: the two parties of a two-party projection, e.g. UA,RU.",
        show_default=False,
    ),
]


def _chart_axes(parties: str | None, flag: str = "--chart-parties") -> tuple[str, str] | None:
    """Parse ``A,B`` into two party ids (or exit 2 with the flag named)."""
    if parties is None:
        return None
    names = [p.strip() for p in parties.split(",")]
    if len(names) != 2 or not all(names):
        _fail(f"{flag} needs two party ids separated by a comma, got {parties!r}")
    return names[0], names[1]


def _check_chart_flags(path: Path | None, name: str | None, parties: str | None) -> None:
    """Refuse chart options without ``--chart``, and a file type no renderer writes (exit 2)."""
    if path is None:
        if name is not None or parties is not None:
            _fail("--chart-name and --chart-parties shape the chart: give --chart FILE as well")
        return
    from zopa.charts.render import FORMATS

    if path.suffix.lower() not in FORMATS:
        _fail(f"--chart writes {', '.join(FORMATS)}: {path.name!r} ends in none of them")


def _write_chart(
    result: Any,
    path: Path | None,
    name: str | None = None,
    parties: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write one of a result's charts to ``path`` (nothing when no path was given).

    ``extra`` holds further chart options given on the command line (those not None are
    passed on, e.g. ``{"target": "zone"}``).
    """
    if path is None:
        return
    axes = _chart_axes(parties)
    options: dict[str, Any] = {} if axes is None else {"parties": axes}
    options.update({k: v for k, v in (extra or {}).items() if v is not None})
    chart = _call(lambda: result.chart(name, **options))
    try:
        chart.save(path)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    _console(stderr=True).print(f"chart {chart.name!r} written to {path}", markup=False)


def _emit(result: Any, fmt: ReportFormat | TableOrJson | ExtractFormat) -> None:
    """Print a facade result as JSON, Markdown or a terminal report."""
    if fmt.value == "json":
        from zopa.store.runs import Answer

        if isinstance(result, Answer):  # a stored answer's text is printed as stored
            sys.stdout.write(result.to_json() + "\n")
        else:
            _print_json(result.to_dict())
        return
    if fmt.value == "md":
        sys.stdout.write(result.to_markdown())
        return
    from zopa.render.document import to_console

    to_console(result.document(), _console())


@app.command()
def analyze(
    scenario: ScenarioArg = None,
    proposal: Annotated[
        list[str] | None,
        typer.Option(
            "--proposal",
            "-p",
            help="Analyse this proposal (repeatable); exit code 1 if one does not bridge the gap.",
        ),
    ] = None,
    fmt: FormatOption = ReportFormat.table,
    engine: EngineOption = Engine.auto,
    bridging: BridgingOption = 5,
    no_pareto: Annotated[
        bool,
        typer.Option(
            "--no-pareto",
            help="JSON: leave out the Pareto sets (the largest part of the document).",
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="JSON: at most N packages per list (Pareto sets, ties, bridging); a "
            "'truncated' member says what was cut.",
            show_default=False,
        ),
    ] = None,
    count: CountOption = Count.auto,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    chart_parties: ChartPartiesOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Does a proposal bridge the gap? Acceptability, the zone of agreement, bargaining solutions.

    Also sets the parties' reactions on record against the assumptions (section 6, JSON
    reactions). Charts (--chart-name): acceptance (default), gaps, space, parallel, bridging.
    """
    import zopa

    if fmt is not ReportFormat.json and (no_pareto or limit is not None):
        _fail("--no-pareto and --limit shape the JSON document: use them with --format json")
    _check_chart_flags(chart, chart_name, chart_parties)
    options = {
        "proposals": proposal or None,
        "engine": engine.value,
        "bridging": bridging,
        "pareto": not no_pareto,
        "limit": limit,
        "count": count.value,
        "as_of": as_of,
    }
    with _late_progress("counting the zone") as progress:
        answer = _answer(
            scenario,
            "analyze",
            options,
            lambda s: zopa.analyze(
                s,
                proposal or None,
                engine=engine.value,
                bridging=bridging,
                pareto=not no_pareto,
                limit=limit,
                count=count.value,
                progress=progress,
                as_of=as_of,
            ),
            save_run=save_run,
            fresh=fresh or chart is not None,
            db=db,
        )
    _emit(answer, fmt)
    _write_chart(answer.result, chart, chart_name, chart_parties)
    if proposal:
        bridges = [p.get("bridges") for p in answer.to_dict().get("proposals", [])]
        if not (bridges and all(bridges)):
            raise typer.Exit(EXIT_FINDING)


@app.command()
def evaluate(
    scenario: ScenarioArg = None,
    terms: Annotated[
        str,
        typer.Option(
            "--terms",
            "-t",
            help="The package, as issue=option pairs separated by commas; issues left out take "
            "their if-silent option (all of them without --terms).",
            show_default=False,
        ),
    ] = "",
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Proposing party (repeatable): whose loss bridging minimises."),
    ] = None,
    fmt: FormatOption = ReportFormat.table,
    engine: EngineOption = Engine.auto,
    bridging: BridgingOption = 5,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    chart_parties: ChartPartiesOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Evaluate an ad-hoc package the way `analyze` evaluates proposals (exit 1 if it does not bridge).

    Charts (--chart-name): acceptance (default), gaps, bridging.
    """
    import zopa

    _check_chart_flags(chart, chart_name, chart_parties)
    options = {
        "terms": terms,
        "by": by or None,
        "engine": engine.value,
        "bridging": bridging,
        "as_of": as_of,
    }
    answer = _answer(
        scenario,
        "evaluate",
        options,
        lambda s: zopa.evaluate(
            s, terms, by=by, engine=engine.value, bridging=bridging, as_of=as_of
        ),
        save_run=save_run,
        fresh=fresh or chart is not None,
        db=db,
    )
    _emit(answer, fmt)
    _write_chart(answer.result, chart, chart_name, chart_parties)
    if not answer.to_dict().get("bridges"):
        raise typer.Exit(EXIT_FINDING)


@app.command()
def stability(
    scenario: ScenarioArg = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="Status quo analysis from this state (number or option vector)."
        ),
    ] = None,
    coalition: Annotated[
        list[str] | None,
        typer.Option("--coalition", help="A coalition to analyse, e.g. MoE+UR (repeatable)."),
    ] = None,
    concept: Annotated[
        str, typer.Option("--concept", help="Equilibria to trace paths to with --from.")
    ] = "GMR",
    show_all: Annotated[bool, typer.Option("--all", help="List every state.")] = False,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Strategic stability (graph model): R, GMR, SMR and SEQ for every state and decision maker."""
    import zopa

    _check_chart_flags(chart, chart_name, None)
    if chart_name == "evolution" and start is None:
        _fail("--chart-name evolution draws the status quo analysis: give --from STATE as well")
    options = {
        "start": start,
        "coalitions": coalition or None,
        "concept": concept,
        "show_all": show_all,
        "as_of": as_of,
    }
    answer = _answer(
        scenario,
        "stability",
        options,
        lambda s: zopa.stability(
            s, start=start, coalitions=coalition, concept=concept, show_all=show_all, as_of=as_of
        ),
        save_run=save_run,
        fresh=fresh or chart is not None,
        db=db,
    )
    _call(lambda: _emit(answer, fmt))  # the JSON document checks its memory: exit 2 if refused
    _write_chart(answer.result, chart, chart_name)


class ForecastModel(StrEnum):
    """Forecasting models."""

    eum = "eum"
    median = "median"
    mean = "mean"


class ForecastVariant(StrEnum):
    """Interpretations of the expected-utility model."""

    scholz = "scholz"
    paper = "paper"


@app.command()
def forecast(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A scenario id or file with a forecast section (default: berlin-2025-12), a CSV "
            "with columns actor, capability, position, salience, or the embedded CSV example "
            "ec-car-emissions.",
            show_default=False,
        ),
    ] = None,
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", "-i", help="Forecast only this issue of a scenario (repeatable)."),
    ] = None,
    model: Annotated[ForecastModel, typer.Option("--model")] = ForecastModel.eum,
    variant: Annotated[
        ForecastVariant | None,
        typer.Option(
            "--variant",
            help="Interpretation of the EU model (--model eum only) [default: scholz].",
            show_default=False,
        ),
    ] = None,
    rounds: Annotated[int, typer.Option("--rounds", min=0, max=1000)] = 10,
    q: Annotated[
        float, typer.Option("--q", min=0.0, max=1.0, help="Probability the status quo holds.")
    ] = 1.0,
    t: Annotated[
        float, typer.Option("--t", min=0.0, max=1.0, help="Probability it improves if not.")
    ] = 1.0,
    samples: Annotated[
        int, typer.Option("--samples", min=0, help="Monte Carlo samples (0: none).")
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the sampling (the same seed, the same numbers).")
    ] = 0,
    perturb: Annotated[
        float | None,
        typer.Option(
            "--perturb",
            min=0.0,
            help="CSV only: relative size of the input noise (default 0.1). A scenario's Monte "
            "Carlo samples its stated ranges instead.",
        ),
    ] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    stop_at_convergence: Annotated[
        bool,
        typer.Option(
            "--stop-at-convergence",
            help="Stop once the positions repeat (a fixed point or a cycle) instead of running "
            "every round.",
        ),
    ] = False,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Forecast one-dimensional group decisions (Bueno de Mesquita's expected-utility model)."""
    import zopa
    from zopa.api import _is_csv_source

    _check_chart_flags(chart, chart_name, None)

    def run(target: Any) -> Any:
        return zopa.forecast(
            target,
            issues=issue,
            model=model.value,
            variant=variant.value if variant is not None else None,
            rounds=rounds,
            q=q,
            t=t,
            samples=samples,
            seed=seed,
            perturb=perturb,
            stop_at_convergence=stop_at_convergence,
            as_of=as_of,
        )

    if source is not None and _is_csv_source(source):
        if save_run:
            _fail("--save-run stores the runs of scenarios; a forecast CSV is not one")
        from zopa.store.runs import Answer

        answer = Answer(result=_call(lambda: run(source)))
    else:
        options = {
            "issues": issue or None,
            "model": model.value,
            "variant": variant.value if variant is not None else None,
            "rounds": rounds,
            "q": q,
            "t": t,
            "samples": samples,
            "perturb": perturb,
            "stop_at_convergence": stop_at_convergence,
            "as_of": as_of,
        }
        answer = _answer(
            source,
            "forecast",
            options,
            run,
            seed=seed,
            save_run=save_run,
            fresh=fresh or chart is not None,
            db=db,
        )
    _emit(answer, fmt)
    _write_chart(answer.result, chart, chart_name)


class RobustEngine(StrEnum):
    """The engine ``zopa robust`` runs over the samples."""

    space = "space"
    stability = "stability"
    forecast = "forecast"


@app.command()
def robust(
    scenario: ScenarioArg = None,
    engine: Annotated[
        RobustEngine,
        typer.Option(
            "--engine",
            help="space: proposals, zone, Nash package, bridges; stability: the strategic "
            "section's equilibria under alternative rankings; forecast: the forecast section.",
        ),
    ] = RobustEngine.space,
    samples: Annotated[
        int,
        typer.Option("--samples", min=1, help="Number of samples (a warning below a few hundred)."),
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole run.")] = 0,
    workers: WorkersOption = None,
    perturb: Annotated[
        float,
        typer.Option(
            "--perturb", min=0.0, max=1.0, help="Also vary point values by this fraction."
        ),
    ] = 0.0,
    lhs: Annotated[bool, typer.Option("--lhs", help="Latin hypercube sampling.")] = False,
    given_reactions: Annotated[
        bool | None,
        typer.Option(
            "--given-reactions/--prior-only",
            help="Condition the samples on the scenario's reactions (the default when it has "
            "some; space engine), or sample the stated ranges alone.",
            show_default=False,
        ),
    ] = None,
    scheduler: SchedulerOption = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    chart_target: Annotated[
        str | None,
        typer.Option(
            "--chart-target",
            help="With --chart: the conclusion of the tornado or flip chart (a proposal id, "
            "zone or robust_bridges; an issue; STATE:CONCEPT for --engine stability).",
            show_default=False,
        ),
    ] = None,
    chart_input: Annotated[
        str | None,
        typer.Option(
            "--chart-input",
            help="With --chart: the input of the flip chart (one the target hinges on, e.g. "
            "preferences.RU.reservation).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Test how robust the conclusions are when the uncertain inputs vary."""
    import zopa

    _check_chart_flags(chart, chart_name, None)
    if chart is None and (chart_target is not None or chart_input is not None):
        _fail("--chart-target and --chart-input shape the chart: give --chart FILE as well")
    if chart_target is not None and chart_name not in ("tornado", "flip"):
        _fail("--chart-target chooses the conclusion of --chart-name tornado or flip")
    if chart_input is not None and chart_name != "flip":
        _fail("--chart-input chooses the input of --chart-name flip")
    options = {
        "engine": engine.value,
        "samples": samples,
        "perturb": perturb,
        "lhs": lhs,
        "given_reactions": given_reactions,
        "as_of": as_of,
    }
    answer = _answer(
        scenario,
        "robust",
        options,
        lambda s: _with_progress(
            "sampling",
            samples,
            lambda progress: zopa.robust(
                s,
                engine=engine.value,
                samples=samples,
                seed=seed,
                workers=workers,
                perturb=perturb,
                lhs=lhs,
                scheduler=scheduler,
                progress=progress,
                as_of=as_of,
                given_reactions=given_reactions,
            ),
        ),
        seed=seed,
        save_run=save_run,
        fresh=fresh or chart is not None,
        db=db,
    )
    for warning in answer.result.warnings if answer.result is not None else []:
        _console(stderr=True).print(f"warning: {warning}", markup=False)
    _emit(answer, fmt)
    _write_chart(
        answer.result, chart, chart_name, None, {"target": chart_target, "input": chart_input}
    )


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="Strategies per party, e.g. UA=boulware,RU=hardliner (others: linear); a bare "
            "name sets everyone's, e.g. boulware or boulware,RU=hardliner. One of: boulware, "
            "linear, conceder, tft-relative, tft-absolute, hardliner.",
        ),
    ] = None,
    rounds: DeadlineOption = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the tie-breaking order among equally good offers."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="The same as --chart (kept for older scripts).", hidden=True),
    ] = None,
    plot_parties: Annotated[
        str | None,
        typer.Option(
            "--plot-parties",
            help="The same as --chart-parties (kept for older scripts).",
            hidden=True,
        ),
    ] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    chart_parties: Annotated[
        str | None,
        typer.Option(
            "--chart-parties",
            help="With --chart: the two parties on the trace's axes, e.g. UA,RU (default: the "
            "first two bargainers).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Play the talks forward: alternating offers while walk-away points drift."""
    import zopa

    if plot is not None and chart is not None:
        _fail("--plot is another name for --chart: give one of them")
    if plot_parties is not None and chart_parties is not None:
        _fail("--plot-parties is another name for --chart-parties: give one of them")
    if plot_parties is not None and plot is None and chart is None:
        _fail("--plot-parties chooses the axes of --plot: give --plot FILE as well")
    from zopa.charts.render import FORMATS

    if plot is not None and plot.suffix.lower() not in FORMATS:
        _fail(f"--plot writes {', '.join(FORMATS)}: {plot.name!r} ends in none of them")
    axes = plot_parties if plot_parties is not None else chart_parties
    _check_chart_flags(plot or chart, chart_name, axes)
    _chart_axes(axes, "--plot-parties" if plot_parties is not None else "--chart-parties")
    answer = _answer(
        scenario,
        "simulate",
        {"strategy": strategy, "rounds": rounds, "as_of": as_of},
        lambda s: zopa.simulate(s, strategy=strategy, rounds=rounds, seed=seed, as_of=as_of),
        seed=seed,
        save_run=save_run,
        fresh=fresh or (plot or chart) is not None,
        db=db,
    )
    _emit(answer, fmt)
    _write_chart(answer.result, plot or chart, chart_name, axes)


@app.command()
def tournament(
    scenario: ScenarioArg = None,
    samples: Annotated[
        int, typer.Option("--samples", min=1, help="Samples of the uncertain inputs.")
    ] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole run.")] = 0,
    strategies: Annotated[
        str | None,
        typer.Option(
            "--strategies",
            help="Strategies to combine, comma-separated (default: all six).",
            show_default=False,
        ),
    ] = None,
    parties: Annotated[
        str | None,
        typer.Option(
            "--parties",
            help="Parties whose strategy varies, comma-separated (default: those whose consent "
            "every package needs); the others play linear.",
            show_default=False,
        ),
    ] = None,
    rounds: DeadlineOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    as_of: AsOfOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Play every combination of strategies over sampled inputs and compare them."""
    import zopa

    _check_chart_flags(chart, chart_name, None)
    options = {
        "samples": samples,
        "strategies": strategies,
        "parties": parties,
        "rounds": rounds,
        "as_of": as_of,
    }
    answer = _answer(
        scenario,
        "tournament",
        options,
        lambda s: _with_progress(
            "negotiating",
            samples,
            lambda progress: zopa.tournament(
                s,
                samples=samples,
                seed=seed,
                strategies=strategies,
                parties=parties,
                rounds=rounds,
                workers=workers,
                scheduler=scheduler,
                progress=progress,
                as_of=as_of,
            ),
        ),
        seed=seed,
        save_run=save_run,
        fresh=fresh or chart is not None,
        db=db,
    )
    _emit(answer, fmt)
    _write_chart(answer.result, chart, chart_name)


@app.command()
def timeline(
    scenario: ScenarioArg = None,
    fmt: FormatOption = ReportFormat.table,
    as_of: AsOfOption = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            min=0,
            help="Also show, per date, quantiles of the margin and the gaps over N samples of "
            "the uncertain inputs (given the reactions when there are some); 0: point "
            "assumptions only.",
        ),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sampled inputs.")] = 0,
    workers: WorkersOption = None,
    chart: ChartOption = None,
    chart_name: ChartNameOption = None,
    db: DbOption = None,
    save_run: SaveRunOption = False,
    fresh: FreshOption = False,
) -> None:
    """Are the sides converging? Each date's proposals, who accepts them, the margin and the gap between the sides.

    Charts (--chart-name): gaps (default).
    """
    import zopa

    _check_chart_flags(chart, chart_name, None)

    def run(s: Scenario) -> Any:
        if not samples:
            return zopa.timeline(s, as_of=as_of)
        return _with_progress(
            "sampling",
            samples,
            lambda progress: zopa.timeline(
                s, samples=samples, seed=seed, as_of=as_of, workers=workers, progress=progress
            ),
        )

    answer = _answer(
        scenario,
        "timeline",
        {"samples": samples, "as_of": as_of},
        run,
        seed=seed if samples else None,
        save_run=save_run,
        fresh=fresh or chart is not None,
        db=db,
    )
    for warning in answer.result.result.warnings if answer.result is not None else []:
        _console(stderr=True).print(f"warning: {warning}", markup=False)
    _emit(answer, fmt)  # with --as-of, the report says what the cut left out
    _write_chart(answer.result, chart, chart_name)


@app.command()
def backtest(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SCENARIO]...",
            help="Embedded scenario ids or scenario files with an outcome section; default: "
            "every embedded scenario whose talks have ended.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = ReportFormat.table,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            min=0,
            help="Samples of the uncertain inputs per date (given the reactions known then); "
            "0: point assumptions only.",
        ),
    ] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every sampled run.")] = 0,
    workers: WorkersOption = None,
) -> None:
    """How does the analysis fare on talks whose ending is known? Each date before the outcome, replayed.

    The preferences were set by an analyst who knew the outcome: a good score is a consistency
    check of the method, not proof of foresight (the report says which numbers rest only on
    sources dated before the outcome, and gives the figures with only those varying).
    """
    import zopa

    result = _with_progress(
        "backtesting",
        1,
        lambda progress: zopa.backtest(
            scenarios or None, samples=samples, seed=seed, workers=workers, progress=progress
        ),
    )
    _emit(result, fmt)


@app.command()
def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The briefing to write: FILE.html (one self-contained page), .pdf (printed by "
            "headless Chromium) or .md (Markdown, the charts as SVG files beside it).",
            show_default=False,
        ),
    ],
    scenario: ScenarioArg = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples", min=1, help="Samples of the robust run and the forecast's Monte Carlo."
        ),
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every sampled part.")] = 0,
    workers: WorkersOption = None,
    sections: Annotated[
        str | None,
        typer.Option(
            "--sections",
            help="Analyses to include, comma-separated: analyze, robust, stability, forecast, "
            "simulate (default: all; those that do not apply are skipped with the reason).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Write a briefing: the answer to the scenario's question, each analysis with its charts, the assumptions and the sources."""
    import zopa
    from zopa.briefing import FORMATS, SECTIONS

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        _fail(f"-o writes {', '.join(FORMATS)}: {output.name!r} ends in none of them")
    if suffix == ".pdf":
        from zopa.render.pdf import find_chromium

        _call(find_chromium)  # before hours of sampling, not after
    s = _load(scenario, db)
    briefing = _with_progress(
        "sampling",
        samples,
        lambda progress: zopa.report(
            s,
            sections=SECTIONS if sections is None else sections,
            samples=samples,
            seed=seed,
            workers=workers,
            as_of=as_of,
            progress=progress,
        ),
    )
    if scenario is not None:  # the briefing's "reproduce" command names it as the user did
        import dataclasses

        briefing = dataclasses.replace(briefing, source=scenario)
    err = _console(stderr=True)
    robust_result = briefing.result("robust")
    for warning in robust_result.warnings if robust_result is not None else []:
        err.print(f"warning: {warning}", markup=False)
    if briefing.cut is not None:
        err.print(briefing.cut.summary(), markup=False)
    for section in briefing.sections:
        if section.skipped:
            err.print(f"{section.name}: skipped: {section.skipped}", markup=False)
    try:
        written = _call(lambda: briefing.write(output))
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    extra = len(written) - 1
    charts = f" (and {extra} chart file{'s' if extra != 1 else ''} beside it)" if extra else ""
    _console().print(f"briefing written to {written[0]}{charts}", markup=False)


@app.command()
def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The old version: a stored version (ID@N, ID@latest, ID), a file or an "
            "embedded scenario id.",
            show_default=False,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(help="The new version, named the same ways.", show_default=False),
    ],
    fmt: FormatOption = ReportFormat.table,
    db: DbOption = None,
) -> None:
    """What changed between two versions: in the scenario (proposals, events, sources, assumptions with old and new values), then in the results (acceptance, the zone's margin, the Nash package).

    Each version's results come from its stored `analyze` run when there is one (say
    `zopa analyze ID@N --save-run`), else they are computed; the report says which.
    """
    import zopa

    result = _call(lambda: zopa.diff(old, new, db=db))
    _emit(result, fmt)


class ExtractFormat(StrEnum):
    """Output formats of ``zopa extract``."""

    yaml = "yaml"
    json = "json"
    table = "table"
    md = "md"


def _read_report(path: str) -> bytes:
    """Read a report's bytes from a file or, for ``-``, standard input (at most 1 MB + 1)."""
    from zopa.extract.intake import MAX_BYTES

    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    file = Path(path)
    if file.is_dir():
        _fail(f"{path}: is a directory, not a news report")
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")


def _print_yaml(data: Any) -> None:
    """Print data as block YAML in the order given, folded to read at 80 columns."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")  # the round-trip dumper keeps the order of the keys
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 78
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    out = io.StringIO()
    yaml.dump(data, out)
    # a folded scalar's lines end in the space it was folded at; YAML ignores it
    sys.stdout.write("\n".join(line.rstrip() for line in out.getvalue().split("\n")))


@app.command()
def extract(
    article: Annotated[
        str,
        typer.Argument(
            metavar="ARTICLE",
            help="The news report: a UTF-8 text file (an optional header of Title:, Date:, URL: "
            "lines and a blank line), or - for standard input.",
            show_default=False,
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The article's date (YYYY-MM-DD), against which 'on Tuesday', 'this weekend', "
            "'last month' are resolved; default: the report's Date: header.",
            show_default=False,
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", metavar="NAME", help="Who published it.", show_default=False),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where it was published.", show_default=False)
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Its title.", show_default=False)
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="SCENARIO",
            help="Map parties and people to this scenario's party ids (its parties' aliases "
            "count) and link the proposals it names: a file, an embedded id or a stored version.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ExtractFormat,
        typer.Option("--format", help="yaml (default), json, table (a report) or md."),
    ] = ExtractFormat.yaml,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            metavar="FILE",
            help="Also write a copy of --scenario to FILE with the events (and reactions) appended "
            "as status: candidate and the report added to its sources; no analysis reads a "
            "candidate until you set status: confirmed.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """From a news report to candidate events: offers and demands, meetings, battlefield claims (unverified) and statements, each with who acts, who claims it, when and where.

    Deterministic and offline (rules, a gazetteer and calendar arithmetic). Exit code 2 for a
    report that cannot be read (empty, binary, not UTF-8, over 1 MB) or without a date.
    """
    if into is not None and scenario is None:
        _fail("--into writes a copy of a scenario with the candidates: give --scenario as well")
    from zopa.extract.intake import MAX_BYTES

    raw = _read_report(article)
    if len(raw) > MAX_BYTES:  # said here, where the file's name is known
        _fail(f"{article}: more than {MAX_BYTES:,} bytes (1 MB); a news report is a few kilobytes")
    import zopa

    result = _call(
        lambda: zopa.extract(
            raw, date=date, publisher=publisher, url=url, title=title, scenario=scenario, db=db
        )
    )
    if into is not None:
        _write_into(result, into, scenario)
    if fmt is ExtractFormat.yaml:
        _print_yaml(result.to_dict())
    else:
        _emit(result, fmt)


def _write_into(result: Any, into: Path, scenario: str | None) -> None:
    """Write the scenario with the candidates to ``into`` (never over the scenario itself)."""
    if scenario is not None and Path(scenario).exists() and into.exists():
        try:
            if into.resolve() == Path(scenario).resolve():
                _fail("--into must name a new file: zopa extract never edits a scenario in place")
        except OSError:
            pass
    text = _call(result.scenario_yaml)
    try:
        into.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {into}: {exc.strerror or exc}")
    events, reactions = result.scenario_entries()
    what = f"{len(events)} candidate event{'s' if len(events) != 1 else ''}"
    if reactions:
        what += f" and {len(reactions)} candidate reaction{'s' if len(reactions) != 1 else ''}"
    _console(stderr=True).print(
        f"{into}: {result.scenario.id} with {what} (status: candidate) and source "
        f"{result.source!r}; review them, then set status: confirmed",
        markup=False,
    )


def serve_settings(
    scenario: str | None,
    host: str,
    port: int,
    token: str | None,
    scheduler: str | None,
    db: str | None = None,
) -> tuple[Settings, str]:
    """The settings ``zopa serve`` starts the workspace with, and the address it prints.

    Off loopback without ``--token`` a token is generated (:func:`secrets.token_urlsafe`); the
    address carries it once as ``?token=`` (the server trades it for a cookie).

    Raises
    ------
    typer.Exit
        With code 2 when the token is refused (too short) or the web extra is missing.
    """
    import secrets

    try:
        from zopa.web.settings import Settings, is_loopback
    except ModuleNotFoundError as exc:
        _fail(
            f"the web workspace needs the 'web' extra ({exc.name} is missing): "
            "pip install 'zopa[web]'"
        )
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    try:
        settings = Settings(scenario, host, port, token, scheduler, db=db)
    except ValueError as exc:
        _fail(f"--token: {exc}")
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    return settings, url


@app.command()
def serve(
    scenario: ScenarioArg = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (off loopback a token is needed).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Access token (16+ characters); generated and printed when binding off "
            "loopback without one.",
            show_default=False,
        ),
    ] = None,
    scheduler: SchedulerOption = None,
    db: DbOption = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the workspace in the web browser.")
    ] = False,
) -> None:
    """Open the web workspace: overview, package builder, assumption explorer, charts."""
    try:
        import uvicorn

        from zopa.web.app import create_app
    except ModuleNotFoundError as exc:
        _fail(
            f"the web workspace needs the 'web' extra ({exc.name} is missing): "
            "pip install 'zopa[web]'"
        )
    settings, url = serve_settings(scenario, host, port, token, scheduler, db)
    web = _call(lambda: create_app(settings))
    _console(stderr=True).print(f"zopa workspace on {url} (Ctrl-C to stop)", markup=False)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(web, host=host, port=port, access_log=False, log_level="warning")


def run() -> None:
    """Entry point for ``python -m zopa``."""
    app()


# -- the store (issue 16) ----------------------------------------------------------------------

db_app = typer.Typer(
    name="db",
    help="Create, upgrade or inspect the store of scenario versions and runs.",
    no_args_is_help=True,
)
app.add_typer(db_app)


def _print_status(status: Any, verb: str | None = None) -> None:
    out = _console()
    if verb:
        out.print(verb, markup=False)
    state = "current" if status.current else "needs `zopa db upgrade`"
    for label, value in (
        ("store", status.url),
        ("schema", f"{status.revision} ({state})"),
        ("head", status.head),
        ("scenarios", f"{status.scenarios:,}"),
        ("versions", f"{status.versions:,}"),
        ("runs", f"{status.runs:,}"),
    ):
        out.print(f"{label + ':':<11}{value}", markup=False)


@db_app.command("init")
def db_init(db: DbOption = None) -> None:
    """Create the store (the SQLite file and the schema) if it does not exist."""
    import zopa

    status = _call(lambda: zopa.database("init", db=db))
    _print_status(status, "store ready")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Upgrade the store's schema to this zopa's (changes nothing when current)."""
    import zopa

    status = _call(lambda: zopa.database("upgrade", db=db))
    _print_status(status, f"schema at {status.revision}")


@db_app.command("status")
def db_status(
    db: DbOption = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Show the store: its URL, schema revision and this zopa's head, how much it holds."""
    import dataclasses

    import zopa

    status = _call(lambda: zopa.database("status", db=db))
    if fmt is TableOrJson.json:
        _print_json({**dataclasses.asdict(status), "current": status.current})
    else:
        _print_status(status)


@app.command()
def save(
    file: Annotated[str, typer.Argument(help="The scenario file to store.", show_default=False)],
    message: Annotated[
        str, typer.Option("--message", "-m", help="Why this version (shown by `zopa history`).")
    ] = "",
    as_id: Annotated[
        str | None,
        typer.Option(
            "--as", metavar="ID", help="Store under this id instead of the scenario's own."
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Who saves it (default: $ZOPA_AUTHOR, else the login name)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Validate a scenario file and store it as a new version (exit code 2 if invalid)."""
    import zopa

    saved = _call(lambda: zopa.save(Path(file), message=message, as_id=as_id, author=author, db=db))
    v = saved.version
    if saved.unchanged:
        _console().print(f"unchanged: same content as {v.ref}", markup=False)
        return
    parent = f", parent @{v.parent}" if v.parent is not None else ", first version"
    _console().print(f"saved {v.ref} (sha256 {v.sha256[:8]}…{parent})", markup=False)


IdArg = Annotated[str, typer.Argument(metavar="ID", help="A stored scenario's id.")]


@app.command()
def history(
    scenario_id: IdArg,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    db: DbOption = None,
) -> None:
    """List a stored scenario's versions: date, author, message, hash, latest answer."""
    import zopa

    result = _call(lambda: zopa.history(scenario_id, db=db))
    _emit(result, fmt)


@app.command()
def checkout(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="ID@N", help="A stored version (ID alone: the latest).", show_default=False
        ),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", metavar="FILE", help="Write the text here ('-': stdout)."),
    ] = "-",
    db: DbOption = None,
) -> None:
    """Write a stored version's text exactly as it was saved."""
    import zopa

    text = _call(lambda: zopa.checkout(ref, db=db))
    data = text.encode("utf-8")
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    _console(stderr=True).print(f"{ref} written to {output}", markup=False)


@app.command()
def runs(
    scenario_id: Annotated[
        str, typer.Argument(metavar="ID", help="A stored scenario's id (ID@N: one version).")
    ],
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
    db: DbOption = None,
) -> None:
    """List the stored analysis runs on a scenario's versions, newest first."""
    import zopa

    result = _call(lambda: zopa.runs(scenario_id, db=db))
    _emit(result, fmt)


# -- GENIUS and ANAC domains (issue 17) ----------------------------------------------------------

import_app = typer.Typer(
    name="import",
    help="Import a negotiation domain from another format as a zopa scenario.",
    no_args_is_help=True,
)
export_app = typer.Typer(
    name="export",
    help="Export a scenario's negotiation to another format.",
    no_args_is_help=True,
)
app.add_typer(import_app)
app.add_typer(export_app)


def _print_notes(err: Console, notes: list[str]) -> None:
    """Print notes on stderr, wrapped at 80 columns (a file name is never broken)."""
    import textwrap

    for note in notes:
        text = textwrap.fill(
            f"note: {note}",
            80,
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        err.print(text, markup=False)


@import_app.command("genius")
def import_genius(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="DOMAIN.xml then one PROFILE.xml per party; or one folder laid out as the ANAC "
            "domains are (the domain file and the utility files, found by their root element).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the scenario to this YAML file (default: standard output).",
            show_default=False,
        ),
    ] = None,
    names: Annotated[
        str | None,
        typer.Option(
            "--names",
            metavar="A,B,...",
            help="The parties' names, one per utility file (default: the files' names).",
            show_default=False,
        ),
    ] = None,
    real_steps: Annotated[
        int,
        typer.Option(
            "--real-steps",
            min=1,
            max=9_999,
            help="Steps each real-valued issue is cut into (N steps: N + 1 grid points, both "
            "bounds included).",
        ),
    ] = 20,
    scale_weights: Annotated[
        bool,
        typer.Option(
            "--scale-weights",
            help="Divide the weights of a profile whose weights sum above 1 by their sum, "
            "instead of refusing it (GENIUS caps such utilities at 1; the basis says so).",
        ),
    ] = False,
) -> None:
    """Import a GENIUS domain and its utility files (ANAC's format) as a zopa scenario.

    GENIUS's semantics are kept exactly (see the README, "GENIUS and ANAC domains"): a discrete
    value is its evaluation divided by the issue's largest, weights are used as given, integer
    issues become numeric ranges, real ones are discretised (reported), the reservation value is
    the walk-away point. Anything zopa cannot represent exactly is refused with its file and line.
    """
    from zopa.io.genius_import import import_genius as run_import
    from zopa.io.genius_import import import_genius_folder

    parties = [n.strip() for n in names.split(",")] if names is not None else None
    if parties is not None and not all(parties):
        _fail("--names: a name is empty (give them as A,B,...)")
    if len(files) == 1 and not files[0].is_file():  # a folder (or a path that names none)
        result = _call(
            lambda: import_genius_folder(
                files[0], names=parties, real_steps=real_steps, scale_weights=scale_weights
            )
        )
    else:
        if len(files) < 2:
            _fail(
                "give the domain file and at least one utility file (or one folder): "
                "zopa import genius DOMAIN.xml PROFILE.xml [PROFILE.xml ...]"
            )
        result = _call(
            lambda: run_import(
                files[0],
                list(files[1:]),
                names=parties,
                real_steps=real_steps,
                scale_weights=scale_weights,
            )
        )
    err = _console(stderr=True)
    _print_notes(err, result.notes)
    s = result.scenario
    packages = 1
    for issue in s.issues.values():
        packages *= len(issue.option_ids())
    summary = f"{len(s.parties)} parties, {len(s.issues)} issues, {packages:,} packages"
    if output is None:
        sys.stdout.write(result.text)
        err.print(f"imported {s.id!r}: {summary}", markup=False)
        return
    try:
        output.write_text(result.text, encoding="utf-8")
    except OSError as exc:
        _fail(f"-o: cannot write {output}: {exc.strerror}")
    err.print(f"wrote {output}: scenario {s.id!r}, {summary}", markup=False)


@export_app.command("genius")
def export_genius(
    scenario: ScenarioArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the domain file and one utility file per party into "
            "(created when missing).",
            show_default=False,
        ),
    ] = None,
    point_values: Annotated[
        bool,
        typer.Option(
            "--point-values",
            help="Export uncertain numbers (low/high) as their point values instead of "
            "refusing them.",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files already in the folder.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Write a scenario as GENIUS files (a domain and one utility file per party).

    GENIUS and NegMAS load them; `zopa import genius` reads them back with the same utilities.
    Refused, with every reason: consent rules (in GENIUS every party must agree to every deal)
    and uncertain numbers (unless --point-values). Left out, and said: proposals, events,
    reactions, the strategic and forecast sections, drifts and shifts of walk-away points.
    """
    from zopa.io.genius_write import export_genius as run_export

    if output is None:
        _fail("-o: give the folder to write the GENIUS files into")
    s = _load(scenario, db)
    result = _call(lambda: run_export(s, point_values=point_values))
    paths = _call(lambda: result.write(output, force=force))
    err = _console(stderr=True)
    _print_notes(err, result.notes)
    out = _console()
    for path in paths:
        out.print(str(path), markup=False)
