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
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from zopa._version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from zopa.model.scenario import Scenario

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


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


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
        rows.append({"id": sid, "title": s.title, "as_of": str(s.as_of), "default": sid == DEFAULT})
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


def run() -> None:
    """Entry point for ``python -m zopa``."""
    app()
