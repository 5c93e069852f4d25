"""The ``zopa`` command line.

A thin front end: every command parses its arguments, calls the same public functions a notebook
user would call, and prints the result. Heavy modules (numpy, pydantic, the engines) are imported
inside the commands so that ``zopa --help`` stays fast.

Exit codes: 0 success; 1 the analysis found the problem the user asked about (e.g. a proposal
asked for with ``--proposal`` does not bridge the gap); 2 bad input or usage.
"""

from __future__ import annotations

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

T = TypeVar("T")

app = typer.Typer(
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
        help="An embedded scenario id (see `zopa scenarios`) or a path to a scenario file; "
        "default: berlin-2025-12.",
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


def _with_progress(label: str, total: int, run: Callable[[Callable[[int, int], None]], T]) -> T:
    """Run ``run(progress)`` under a progress bar; Ctrl-C and engine errors become clean exits."""
    from rich.progress import Progress

    console = _console(stderr=True)
    # not a terminal (piped, logged): plain lines at every tenth instead of a bar
    bar: Any = _PlainProgress(console, label) if not console.is_terminal else None
    with bar or Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def progress(done: int, all_: int) -> None:
            bar.update(task, completed=done, total=all_)

        try:
            return run(progress)
        except KeyboardInterrupt as stop:
            finished = getattr(stop, "samples_done", 0)
            _fail(f"interrupted after {finished:,} of {total:,} samples", code=130)
        except (ValueError, RuntimeError) as exc:
            _fail(str(exc))


class _PlainProgress:
    """The part of rich's Progress that ``_with_progress`` uses, as plain lines on stderr."""

    def __init__(self, console: Console, label: str) -> None:
        self.console, self.label, self.shown = console, label, -1

    def __enter__(self) -> _PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, label: str, total: int) -> int:
        self.label = label
        return 0

    def update(self, task: int, completed: int, total: int) -> None:
        tenth = 10 * completed // max(total, 1)
        if tenth > self.shown:
            self.shown = tenth
            self.console.print(f"{self.label}: {completed:,} of {total:,}", markup=False)


@contextmanager
def _late_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback whose bar (or plain lines, when not a terminal) starts at its first call."""
    shown: list[Any] = []

    def progress(done: int, all_: int) -> None:
        if not shown:
            from rich.progress import Progress

            console = _console(stderr=True)
            bar = _PlainProgress(console, label) if not console.is_terminal else None
            shown.append(bar or Progress(console=console, transient=True))
            shown[0].__enter__()
            shown.append(shown[0].add_task(label, total=all_))
        shown[0].update(shown[1], completed=done, total=all_)

    try:
        yield progress
    finally:
        if shown:
            shown[0].__exit__(None, None, None)


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


def _load(name: str | None) -> Scenario:
    """Load a scenario, or print every problem and exit with code 2."""
    from zopa.io.scenario_file import ScenarioError
    from zopa.scenarios import load

    try:
        return load(name)
    except ScenarioError as exc:
        _report_problems(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _report_problems(exc: Exception) -> None:
    err = _console(stderr=True)
    problems = getattr(exc, "problems", [])
    for problem in problems:
        err.print(str(problem), markup=False)
    n = len(problems)
    err.print(f"{n} problem{'s' if n != 1 else ''} found.", markup=False)


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
    from zopa.scenarios import DEFAULT, embedded_ids, load

    rows: list[dict[str, Any]] = []
    for sid in embedded_ids():
        s = load(sid)
        as_of = str(s.as_of) if s.as_of else None
        rows.append({"id": sid, "title": s.title, "as_of": as_of, "default": sid == DEFAULT})
    if fmt is TableOrJson.json:
        _print_json(rows)
        return
    from rich.table import Table

    table = Table("id", "as of", "title")
    for row in rows:
        table.add_row(
            row["id"] + (" (default)" if row["default"] else ""), row["as_of"], row["title"]
        )
    _console().print(table)


@app.command()
def show(
    scenario: ScenarioArg = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Print a scenario's parties, issues, proposals and events with their sources."""
    s = _load(scenario)
    if fmt is TableOrJson.json:
        _print_json(s.model_dump(mode="json", exclude_none=True))
        return
    from zopa.render.scenario_view import show_scenario

    show_scenario(s, _console())


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files to check.", show_default=False)
    ],
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Check scenario files; print every problem as file:line:column (exit code 2 if any)."""
    from zopa.io.scenario_file import ScenarioError, load_scenario_file

    results = []
    for path in files:
        try:
            s = load_scenario_file(path)
            results.append({"file": str(path), "valid": True, "id": s.id, "problems": []})
        except ScenarioError as exc:
            results.append(
                {"file": str(path), "valid": False, "problems": [p.to_dict() for p in exc.problems]}
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
    count: CountOption = Count.auto,
) -> None:
    """Does a proposal bridge the gap? Acceptability, the zone of agreement, bargaining solutions."""
    s = _load(scenario)
    from zopa.space.analysis import analyze as run_analysis

    try:
        with _late_progress("counting the zone") as progress:
            result = run_analysis(
                s,
                proposal or None,
                engine=engine.value,
                bridging=bridging,
                count=count.value,
                progress=progress,
            )
    except KeyError as exc:
        _fail(f"unknown proposal {exc.args[0]!r} (expected one of: {', '.join(s.proposals)})")
    except ValueError as exc:
        _fail(str(exc))
    _emit(result.to_dict(), fmt, lambda: _analysis_doc(result))
    if proposal and not all(p.verdict.bridges for p in result.proposals):
        raise typer.Exit(EXIT_FINDING)


def _analysis_doc(result: Any) -> Any:
    from zopa.render.analysis_view import analysis_document

    return analysis_document(result)


def _emit(data: dict[str, Any], fmt: ReportFormat, build: Any) -> None:
    """Print a result as JSON, Markdown or a terminal report."""
    if fmt is ReportFormat.json:
        _print_json(data)
        return
    from zopa.render.document import to_console, to_markdown

    doc = build()
    if fmt is ReportFormat.md:
        sys.stdout.write(to_markdown(doc))
    else:
        to_console(doc, _console())


def _parse_terms(text: str) -> dict[str, str]:
    terms: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        issue, sep, option = part.partition("=")
        if not sep or not issue.strip() or not option.strip():
            _fail(f"bad term {part!r}: expected issue=option, e.g. nato=set-aside")
        if issue.strip() in terms:
            _fail(f"issue {issue.strip()!r} given twice in --terms")
        terms[issue.strip()] = option.strip()
    if not terms:
        _fail("--terms is empty: expected issue=option pairs separated by commas")
    return terms


@app.command()
def evaluate(
    scenario: ScenarioArg = None,
    terms: Annotated[
        str,
        typer.Option(
            "--terms",
            "-t",
            help="The package, as issue=option pairs separated by commas; issues left out take "
            "their if-silent option.",
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
) -> None:
    """Evaluate an ad-hoc package the way `analyze` evaluates proposals (exit 1 if it does not bridge)."""
    s = _load(scenario)
    parsed = _parse_terms(terms)
    for party in by or []:
        if party not in s.parties:
            _fail(f"unknown party {party!r} in --by (expected one of: {', '.join(s.parties)})")
    from zopa.space.analysis import evaluate_terms, scenario_stamp

    try:
        verdict, bridged, filled = evaluate_terms(
            s, parsed, proposers=by, engine=engine.value, bridging=bridging
        )
    except ValueError as exc:
        _fail(str(exc))
    notes = (
        [f"Issues not given take their if-silent option: {', '.join(filled)}."] if filled else []
    )
    data = {
        "scenario": scenario_stamp(s),
        **verdict.to_dict(),
        "filled": filled,
        "bridging": bridged.to_dict(),
    }

    def build() -> Any:
        from zopa.render.analysis_view import evaluation_document

        parties = {p.party: s.parties[p.party].name for p in verdict.parties}
        return evaluation_document(f"Ad-hoc package, {s.id}", verdict, bridged, parties, notes)

    _emit(data, fmt, build)
    if not verdict.bridges:
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
) -> None:
    """Strategic stability (graph model): R, GMR, SMR and SEQ for every state and decision maker."""
    s = _load(scenario)
    if s.strategic is None:
        _fail(f"scenario {s.id!r} has no strategic section (see README: Strategic models)")
    from zopa.gmcr.analysis import stability_report, status_quo_report
    from zopa.gmcr.compile import compile_game
    from zopa.gmcr.stability import CONCEPTS

    if concept not in CONCEPTS:
        _fail(f"unknown concept {concept!r} (expected one of: {', '.join(CONCEPTS)})")
    game = compile_game(s.strategic)
    coalitions = [c.split("+") for c in coalition or []]
    try:
        report = stability_report(game, coalitions)
        code = game.parse_state(start) if start is not None else None
        evolution = (
            status_quo_report(report, code, concept, coalitions) if code is not None else None
        )
    except ValueError as exc:
        _fail(str(exc))
    data = report.to_dict()
    data["alternative_rankings"] = [
        dm for dm, pref in s.strategic.preferences.items() if pref.alternatives
    ]
    if evolution is not None:
        data["status_quo_analysis"] = evolution
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console
    from zopa.render.stability_view import stability_document, status_quo_document

    console = _console()
    to_console(stability_document(s.title, data, show_all=show_all), console)
    if evolution is not None:
        vectors = {st["id"]: st["options"] for st in data["states"]}
        to_console(status_quo_document(evolution, vectors), console)


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
        ForecastVariant, typer.Option("--variant", help="Interpretation of the EU model.")
    ] = ForecastVariant.scholz,
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
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the sampling.")] = None,
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
) -> None:
    """Forecast one-dimensional group decisions (Bueno de Mesquita's expected-utility model)."""
    from zopa.forecast.data import EMBEDDED

    if source is not None and (source in EMBEDDED or source.lower().endswith(".csv")):
        if issue:
            _fail("--issue applies to scenarios; a CSV file is a single issue")
        _forecast_csv(source, model, variant, rounds, q, t, samples, seed, perturb, fmt)
        return
    if perturb is not None:
        _fail("--perturb applies to CSV files; a scenario's Monte Carlo samples its stated ranges")
    s = _load(source)
    if not s.forecast:
        _fail(f"scenario {s.id!r} has no forecast section (see README: Forecasts)")
    from zopa.forecast.scenario import forecast_scenario
    from zopa.space.analysis import scenario_stamp

    try:
        results = forecast_scenario(
            s,
            issue or None,
            model=model.value,
            variant=variant.value,
            rounds=rounds,
            q=q,
            t=t,
            samples=samples,
            seed=seed,
        )
    except ValueError as exc:
        _fail(str(exc))
    data = {"scenario": scenario_stamp(s), "issues": [r.to_dict() for r in results]}
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console
    from zopa.render.forecast_view import scenario_forecast_document

    to_console(scenario_forecast_document(data), _console())


def _forecast_csv(
    file: str,
    model: ForecastModel,
    variant: ForecastVariant,
    rounds: int,
    q: float,
    t: float,
    samples: int,
    seed: int | None,
    perturb: float | None,
    fmt: TableOrJson,
) -> None:
    from zopa.forecast import forecast as run_forecast
    from zopa.forecast import read_actors

    try:
        table = read_actors(file)
        result = run_forecast(
            table,
            model=model.value,
            variant=variant.value,
            rounds=rounds,
            q=q,
            t=t,
            samples=samples,
            rng=seed,
            perturb=0.1 if perturb is None else perturb,
        )
    except ValueError as exc:  # ForecastDataError is a ValueError: file:line: column: ...
        _fail(str(exc))
    data = result.to_dict()
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console
    from zopa.render.forecast_view import forecast_document

    to_console(forecast_document(data), _console())


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
    samples: Annotated[int, typer.Option("--samples", min=1, help="Number of samples.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole run.")] = 0,
    workers: WorkersOption = None,
    perturb: Annotated[
        float,
        typer.Option(
            "--perturb", min=0.0, max=1.0, help="Also vary point values by this fraction."
        ),
    ] = 0.0,
    lhs: Annotated[bool, typer.Option("--lhs", help="Latin hypercube sampling.")] = False,
    scheduler: SchedulerOption = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Test how robust the conclusions are when the uncertain inputs vary."""
    if engine is not RobustEngine.space and (perturb or lhs):
        _fail(f"--perturb and --lhs apply to --engine space, not --engine {engine.value}")
    if engine is RobustEngine.forecast and scheduler is not None:
        _fail("--scheduler applies to --engine space and stability (forecasts run vectorised)")
    s = _load(scenario)
    from zopa.render.document import Document
    from zopa.space.analysis import scenario_stamp

    data: dict[str, Any]
    document: Callable[[str, dict[str, Any]], Document]
    if engine is RobustEngine.forecast:
        from zopa.render.robust_view import robust_forecast_document

        data, document = _robust_forecast(s, samples, seed), robust_forecast_document
    elif engine is RobustEngine.stability:
        from zopa.render.robust_stability_view import robust_stability_document

        data = _with_progress(
            "sampling",
            samples,
            lambda progress: _robust_stability(
                s, samples, seed, _cores(workers), scheduler, progress
            ),
        )
        document = robust_stability_document
    else:
        from zopa.render.robust_view import robust_document

        data = _with_progress(
            "sampling",
            samples,
            lambda progress: _robust_space(
                s, samples, seed, _cores(workers), perturb, lhs, scheduler, progress
            ),
        )
        document = robust_document
    data = {"scenario": scenario_stamp(s), **data}
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console

    to_console(document(s.title, data), _console())


def _robust_space(
    s: Scenario,
    samples: int,
    seed: int,
    workers: int,
    perturb: float,
    lhs: bool,
    scheduler: str | None,
    progress: Callable[[int, int], None],
) -> dict[str, Any]:
    if not s.proposals or not s.preferences:
        _fail(f"scenario {s.id!r} has no proposals with preferences to test")
    from zopa.robust.proposals import robust_proposals

    result = robust_proposals(
        s,
        samples,
        seed,
        workers=workers,
        perturb=perturb,
        method="lhs" if lhs else "random",
        scheduler=scheduler,
        progress=progress,
    )
    return {"engine": "space", **result.to_dict()}


def _robust_stability(
    s: Scenario,
    samples: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None],
) -> dict[str, Any]:
    if s.strategic is None:
        _fail(f"scenario {s.id!r} has no strategic section (see README: Strategic models)")
    from zopa.robust.stability import robust_stability

    result = robust_stability(
        s.strategic,
        samples=samples,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    return {"engine": "stability", **result.to_dict()}


def _robust_forecast(s: Scenario, samples: int, seed: int) -> dict[str, Any]:
    if not s.forecast:
        _fail(f"scenario {s.id!r} has no forecast section (see README: Forecasts)")
    from zopa.robust.forecast import robust_forecast

    return {"engine": "forecast", **robust_forecast(s, samples, seed).to_dict()}


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="Strategies per party, e.g. UA=boulware,RU=hardliner (others: linear). One of: "
            "boulware, linear, conceder, tft-relative, tft-absolute, hardliner.",
        ),
    ] = None,
    rounds: DeadlineOption = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the tie-breaking order among equally good offers."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write the offer trace in utility space to a .png or .svg."),
    ] = None,
    plot_parties: Annotated[
        str | None,
        typer.Option(
            "--plot-parties",
            help="The two parties on the plot's axes, e.g. UA,RU (default: the first two "
            "bargainers).",
        ),
    ] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format")] = TableOrJson.table,
) -> None:
    """Play the talks forward: alternating offers while walk-away points drift."""
    s = _load(scenario)
    from zopa.simulate.protocol import simulate_scenario

    axes = None
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg"):
            _fail(f"--plot writes PNG or SVG: {plot.name!r} ends in neither .png nor .svg")
        if plot_parties is not None:
            axes = tuple(p.strip() for p in plot_parties.split(","))
            if len(axes) != 2:
                _fail(
                    f"--plot-parties needs two party ids separated by a comma, got {plot_parties!r}"
                )
    try:
        result = simulate_scenario(s, strategy, rounds=rounds, rng=seed)
    except ValueError as exc:
        _fail(str(exc))
    data = result.to_dict()
    if plot is not None:
        _write_trace_plot(s, data, plot, axes)
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console
    from zopa.render.simulate_view import simulation_document

    to_console(simulation_document(s.title, data), _console())
    if plot is not None:
        _console(stderr=True).print(f"plot written to {plot}")


def _write_trace_plot(
    s: Scenario, data: dict[str, Any], path: Path, axes: tuple[str, ...] | None
) -> None:
    from zopa.render.trace_plot import default_axes, trace_plot, write_trace_plot
    from zopa.space.compile import compile_scenario
    from zopa.space.projection import two_party_frontier

    x, y = axes if axes is not None else default_axes(data)
    try:
        frontier = two_party_frontier(compile_scenario(s), x, y)
    except ValueError as exc:
        _fail(f"--plot-parties: {exc}")
    title = f"{s.id}: " + ", ".join(f"{p} {v}" for p, v in data["strategies"].items())
    try:
        write_trace_plot(trace_plot(data, frontier, (x, y), title), path)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


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
) -> None:
    """Play every combination of strategies over sampled inputs and compare them."""
    from zopa.simulate.strategies import STRATEGIES
    from zopa.simulate.tournament import tournament as play

    s = _load(scenario)
    chosen = tuple(x.strip() for x in strategies.split(",")) if strategies else STRATEGIES
    varied = [x.strip() for x in parties.split(",")] if parties else None
    result = _with_progress(
        "negotiating",
        samples,
        lambda progress: play(
            s,
            strategies=chosen,
            parties=varied,
            samples=samples,
            seed=seed,
            rounds=rounds,
            workers=_cores(workers),
            scheduler=scheduler,
            progress=progress,
        ),
    )
    data = result.to_dict()
    if fmt is TableOrJson.json:
        _print_json(data)
        return
    from zopa.render.document import to_console
    from zopa.render.simulate_view import tournament_document

    to_console(tournament_document(s.title, data), _console())


def run() -> None:
    """Entry point for ``python -m zopa``."""
    app()
