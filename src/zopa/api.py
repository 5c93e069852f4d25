"""The Python facade: one function per ``zopa`` command, same names and defaults.

Every front end calls these functions: the command line parses its options, calls the facade
and prints the result (``to_dict()`` as JSON, or the rendered report). Heavy modules (numpy,
pandas, pydantic, the engines) are imported inside the functions, so ``import zopa`` stays light.

Errors are typed (see :mod:`zopa.errors`): :class:`zopa.ScenarioError` for a file that cannot be
read or is invalid, :class:`zopa.UnknownId` for an id that names nothing, :class:`zopa.UsageError`
for arguments that contradict each other; what the engines say about the inputs themselves stays
a ``ValueError``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from zopa.errors import UnknownId, UsageError

if TYPE_CHECKING:
    from datetime import date

    from zopa.briefing import Report
    from zopa.model.as_of import AsOfCut
    from zopa.model.scenario import Scenario
    from zopa.results import (
        Analysis,
        Assumptions,
        Backtest,
        Diff,
        Evaluation,
        Exploration,
        Extracted,
        Forecast,
        History,
        Robust,
        Runs,
        Simulation,
        Stability,
        Timeline,
    )
    from zopa.results import Tournament as TournamentView
    from zopa.robust.explore import Assumption
    from zopa.store.store import Saved, Store, StoredScenario, StoreStatus

Progress = Callable[[int, int], None]

ENGINES = ("auto", "enumeration", "exact")
ROBUST_ENGINES = ("space", "stability", "forecast")
FORECAST_MODELS = ("eum", "median", "mean")
FORECAST_VARIANTS = ("scholz", "paper")
SMALL_SAMPLES = 200
"""Below this many samples ``robust`` warns that its percentages mean little."""

CSV_HINT = (
    "hint: this looks like a forecast CSV; forecast inputs go to `zopa forecast` "
    "(in Python: zopa.forecast)"
)


# -- scenarios ----------------------------------------------------------------------------------


def scenarios() -> list[str]:
    """Return the ids of the scenarios shipped with zopa, sorted.

    Returns
    -------
    list of str
        Ids :func:`load` accepts; ``berlin-2025-12`` is the default.

    Examples
    --------
    >>> import zopa
    >>> "berlin-2025-12" in zopa.scenarios()
    True
    """
    from zopa.catalog import embedded_ids

    return embedded_ids()


def _looks_like_path(text: str) -> bool:
    return "/" in text or os.sep in text or bool(Path(text).suffix)


def _looks_like_csv(source: str | Path) -> bool:
    path = Path(source)
    if path.suffix.lower() == ".csv":
        return True
    try:
        with path.open("rb") as fh:
            first = fh.read(400).split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    except OSError:
        return False
    return "," in first and "actor" in first and ":" not in first


def load(
    source: str | Path | None = None, *, as_of: str | date | None = None, db: str | None = None
) -> Scenario:
    """Load a scenario by path, embedded id or stored reference.

    Parameters
    ----------
    source
        The path of a scenario file, an id from :func:`scenarios`, or a stored version:
        ``ID@N``, ``ID@latest``, or a stored ``ID`` that names no file and no embedded
        scenario (tried in that order); the default scenario (``berlin-2025-12``) when None.
        A stored version is read with the same reader as a file, named ``ID@N`` in error
        messages. A folder is read as a GENIUS domain with its utility files, converted on the
        fly with the defaults of :func:`zopa.io.genius_import.import_genius_folder` (the
        domain's folder as the ANAC competitions lay it out).
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then, the proposals, events, reactions
        and sources dated after it left out (:func:`zopa.model.as_of.as_of_cut`, which also
        says what was left out).
    db
        The store's URL for a stored reference (default: ``$ZOPA_DB``, else the file in the
        user's data directory).

    Returns
    -------
    zopa.model.scenario.Scenario
        The validated scenario.

    Raises
    ------
    zopa.UnknownId
        For a name that is neither an existing file, an embedded id nor a stored scenario (and
        does not look like a path), or an unknown stored version (listing the stored ones).
    zopa.store.errors.StoreError
        When a reference is given and the store cannot be opened.
    zopa.ScenarioError
        When the file is missing, unreadable or invalid; ``problems`` lists every problem with
        its location. A file that looks like a forecast CSV gets a note pointing at
        :func:`forecast`.
    zopa.UsageError
        For a bad ``as_of`` (not a date, or before the scenario's earliest proposal).
    """
    from zopa.catalog import embedded_ids
    from zopa.catalog import load as load_catalog
    from zopa.io.scenario_file import ScenarioError

    if source is not None and Path(source).is_dir():
        from zopa.io.genius_import import import_genius_folder

        s = import_genius_folder(source).scenario
        if as_of is None:
            return s
        from zopa.model.as_of import as_of_cut

        return as_of_cut(s, as_of).scenario
    if isinstance(source, str) and not Path(source).exists():
        ids = embedded_ids()
        from zopa.store.runs import find_stored

        stored = find_stored(source, db=db)
        if stored is not None:
            if as_of is None:
                return stored.scenario
            from zopa.model.as_of import as_of_cut

            return as_of_cut(stored.scenario, as_of).scenario
        if source not in ids and not _looks_like_path(source):
            raise UnknownId(
                "scenario",
                source,
                ids,
                parameter="scenario",
                context=": no such file, and no embedded scenario of that id",
            )
    try:
        s = load_catalog(source)
    except ScenarioError as exc:
        if source is not None and _looks_like_csv(source):
            exc.add_note(CSV_HINT)
        raise
    if as_of is None:
        return s
    from zopa.model.as_of import as_of_cut

    return as_of_cut(s, as_of).scenario


def _scenario(scenario: Scenario | str | Path | None) -> Scenario:
    from zopa.model.scenario import Scenario

    return scenario if isinstance(scenario, Scenario) else load(scenario)


def _scenario_at(
    scenario: Scenario | str | Path | None, as_of: str | date | None
) -> tuple[Scenario, AsOfCut | None]:
    """The scenario as the analyses read it, cut back to ``as_of`` when given, and the cut.

    Every analysis of the facade starts here, so this is where candidate events and reactions
    (``status: candidate``, awaiting the analyst's review) are left out, once, by
    :meth:`~zopa.model.scenario.Scenario.confirmed`. The cut of a scenario object at a date is
    made once (:data:`zopa.space.cache.CACHE`).
    """
    from zopa.space.cache import CACHE

    full = _scenario(scenario)
    s = CACHE.get(full, "confirmed", full.confirmed)
    if as_of is None:
        return s, None
    from zopa.model.as_of import as_of_cut

    # the same cut object for the same date, so what is cached for its scenario is reused
    cut = CACHE.get(s, f"as_of:{as_of}", lambda: as_of_cut(s, as_of))
    return cut.scenario, cut


def _choice(kind: str, value: str, valid: Sequence[str], parameter: str) -> str:
    if value not in valid:
        raise UnknownId(kind, value, valid, parameter=parameter)
    return value


def _names(value: str | Iterable[str] | None) -> list[str] | None:
    """A comma-separated string or an iterable of names, stripped; None stays None."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    return [x.strip() for x in items if x.strip()]


def _no_duplicates(items: Sequence[str], what: str, parameter: str) -> None:
    seen: set[str] = set()
    for x in items:
        if x in seen:
            raise UsageError(f"{what} {x!r} named twice", parameter=parameter)
        seen.add(x)


def _require_preferences(s: Scenario) -> None:
    """Raise ValueError (with a pointer to ``stability``) for a scenario without an agreement space."""
    from zopa.space.analysis import _require_issues

    _require_issues(s)


# -- analyze / evaluate -------------------------------------------------------------------------


def analyze(
    scenario: Scenario | str | Path | None = None,
    proposals: str | Iterable[str] | None = None,
    *,
    engine: str = "auto",
    bridging: int = 5,
    pareto: bool = True,
    limit: int | None = None,
    count: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    as_of: str | date | None = None,
) -> Analysis:
    """Does a proposal bridge the gap? Acceptability, the zone of agreement, bargaining solutions.

    What ``zopa analyze`` prints (see :func:`zopa.space.analysis.analyze` for the methods:
    additive utilities, the Pareto frontier, the Nash, Kalai–Smorodinsky, egalitarian and
    utilitarian solutions, and minimal bridging packages).

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    proposals
        Proposal ids to analyse (a list or a comma-separated string); all when None.
    engine
        ``auto``, ``enumeration`` or ``exact``.
    bridging
        Bridging packages to return per proposal.
    pareto
        Whether :meth:`~zopa.results.Analysis.to_dict` lists the Pareto sets (they can run to
        megabytes); frames and reports are unaffected.
    limit
        At most this many packages per list in ``to_dict`` (None: all).
    count
        How to size the zone: ``auto`` (exact when it takes at most about 10 s, else bounds
        with a note), ``exact``, ``bound`` or ``skip``.
    progress
        Called with (work done, work in all) during a long count of the zone.
    as_of
        A date (``YYYY-MM-DD``): analyse the scenario as known then, the proposals, events,
        reactions, reported shifts and sources dated after it left out
        (:func:`zopa.model.as_of.as_of_cut`); the result says what was left out (``cut``,
        the JSON's ``as_of`` member, a line in the report).

    Returns
    -------
    zopa.results.Analysis
        With ``reactions``: each reaction of the scenario set against the point values of the
        assumptions (:mod:`zopa.evidence.consistency`).

    Raises
    ------
    zopa.UnknownId
        For an unknown proposal or engine.
    zopa.UsageError
        For a bad ``as_of`` (not a date, or before the scenario's earliest proposal).
    ValueError
        For a scenario without issues and preferences.

    Examples
    --------
    >>> import zopa
    >>> a = zopa.analyze("berlin-2025-12", ["kyiv-2025-12-14"])
    >>> a.to_frame("proposals").columns[:3].tolist()
    ['proposal', 'party', 'utility']
    """
    from zopa.results import Analysis
    from zopa.space.analysis import analyze as run
    from zopa.space.counting import COUNT_MODES

    s, cut = _scenario_at(scenario, as_of)
    _choice("engine", engine, ENGINES, "engine")
    _choice("count mode", count, list(COUNT_MODES), "count")
    if bridging < 1:
        raise UsageError(f"bridging must be at least 1, got {bridging}", parameter="bridging")
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be at least 0, got {limit}", parameter="limit")
    ids = _names(proposals)
    _require_preferences(s)
    for pid in ids or []:
        _choice("proposal", pid, list(s.proposals), "proposals")
    result = run(s, ids or None, engine=engine, bridging=bridging, count=count, progress=progress)
    return Analysis(result, s, requested=bool(ids), pareto=pareto, limit=limit, cut=cut)


def parse_terms(text: str, scenario: Scenario | None = None) -> dict[str, str]:
    """Read ``"issue=option,issue=option"`` into a dict.

    Parameters
    ----------
    text
        The terms; an empty string gives no terms.
    scenario
        When given, the example in an error message uses its first issue and option.

    Raises
    ------
    zopa.UsageError
        For a malformed item or an issue given twice.
    """
    example = "issue=option"
    if scenario is not None and scenario.issues:
        first_id, first = next(iter(scenario.issues.items()))
        example = f"{first_id}={first.option_ids()[0]}"
    terms: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        issue, sep, option = (x.strip() for x in part.partition("="))
        if not sep or not issue or not option:
            raise UsageError(
                f"bad term {part!r}: expected issue=option, e.g. {example}", parameter="terms"
            )
        if issue in terms:
            raise UsageError(f"issue {issue!r} given twice", parameter="terms")
        terms[issue] = option
    return terms


def _check_terms(s: Scenario, terms: Mapping[str, str]) -> None:
    from zopa.model.scenario import format_number

    for issue_id, option in terms.items():
        issue = s.issues.get(issue_id)
        if issue is None:
            raise UnknownId("issue", issue_id, list(s.issues), parameter="terms")
        valid = issue.option_ids()
        candidate = option
        if issue.range is not None:
            try:
                candidate = format_number(float(option))
            except (ValueError, OverflowError):
                candidate = option
        if candidate not in valid:
            raise UnknownId(
                "option", option, valid, parameter="terms", context=f"for issue {issue_id}"
            )


def evaluate(
    scenario: Scenario | str | Path | None = None,
    terms: str | Mapping[str, str] | None = None,
    *,
    by: str | Iterable[str] | None = None,
    engine: str = "auto",
    bridging: int = 5,
    as_of: str | date | None = None,
) -> Evaluation:
    """Evaluate an ad-hoc package the way :func:`analyze` evaluates proposals.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    terms
        The package, as ``{issue: option}`` or ``"issue=option,..."``; issues left out (all of
        them when None) take their if-silent option.
    by
        The proposing parties: whose loss the bridging packages minimise.
    engine
        ``auto``, ``enumeration`` or ``exact``.
    bridging
        Bridging packages to return.
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`).

    Returns
    -------
    zopa.results.Evaluation

    Raises
    ------
    zopa.UnknownId
        For an unknown issue, option, party or engine.
    zopa.UsageError
        For a bad ``as_of``.
    ValueError
        For an issue left out that has no if-silent option.
    """
    from zopa.results import Evaluation
    from zopa.space.analysis import evaluate_terms

    s, cut = _scenario_at(scenario, as_of)
    _choice("engine", engine, ENGINES, "engine")
    _require_preferences(s)
    parsed = parse_terms(terms, s) if isinstance(terms, str) else dict(terms or {})
    _check_terms(s, parsed)
    proposers = _names(by) or []
    for party in proposers:
        _choice("party", party, list(s.parties), "by")
    verdict, bridged, filled = evaluate_terms(
        s, parsed, proposers=proposers, engine=engine, bridging=bridging
    )
    return Evaluation(verdict, bridged, filled, s, cut=cut)


# -- assumptions / explore / assume -------------------------------------------------------------


def _assumption_items(s: Scenario) -> list[Assumption]:
    """The scenario's :func:`zopa.robust.explore.assumption_list`, listed once per object."""
    from zopa.robust.explore import assumption_list
    from zopa.space.cache import CACHE

    return CACHE.get(s, "assumptions", lambda: assumption_list(s))


def _assumption_values(s: Scenario, values: Mapping[str, float] | None) -> dict[str, float]:
    """Check explored values: known assumption paths, numbers within their ranges."""
    import math

    listed = {a.path: a for a in _assumption_items(s)}
    out: dict[str, float] = {}
    for path, value in (values or {}).items():
        item = listed.get(path)
        if item is None:
            raise UnknownId(
                "assumption",
                path,
                list(listed),
                parameter="values",
                context="among the ranged numbers of the preferences (see zopa.assumptions)",
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UsageError(f"{path}: expected a number, got {value!r}", parameter="values")
        number = float(value)
        if not (math.isfinite(number) and item.low <= number <= item.high):
            raise UsageError(
                f"{path} ({item.label}) must lie within its range "
                f"[{item.low:g}, {item.high:g}], got {number:g}",
                parameter="values",
            )
        out[path] = number
    return out


def assumptions(
    scenario: Scenario | str | Path | None = None, *, as_of: str | date | None = None
) -> Assumptions:
    """Every ranged (uncertain) number of the preferences, with its range and basis.

    The weights, option values (a piecewise function's points included) and walk-away points
    written with a range, in the order of the robust engine's inputs
    (:func:`zopa.robust.sampling.uncertain_inputs`); each with the party's ``basis`` text for
    that part of its preferences. The paths are what :func:`explore` and :func:`assume` take.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`).

    Returns
    -------
    zopa.results.Assumptions

    Raises
    ------
    zopa.UsageError
        For a bad ``as_of``.

    Examples
    --------
    >>> import zopa
    >>> [a.path for a in zopa.assumptions().items][-1]
    'preferences.JP.reservation'
    """
    from zopa.results import Assumptions

    s, cut = _scenario_at(scenario, as_of)
    return Assumptions(_assumption_items(s), s, cut=cut)


def explore(
    scenario: Scenario | str | Path | None = None,
    values: Mapping[str, float] | None = None,
    *,
    as_of: str | date | None = None,
) -> Exploration:
    """What if some assumptions took other values? Acceptance, zone, margin, Nash package.

    Sets the given assumptions (paths of :func:`assumptions`) to the given values, the others
    at their point values, and evaluates every proposal, the zone of agreement and its margin,
    and the Nash package, with the per-sample code of the robust engine
    (:func:`zopa.robust.proposals.evaluate_sample`). What the scenario's compilation needs is
    built once per scenario object, so moving one value costs a few milliseconds.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    values
        Assumption path → value within its range; none: the point values (the conclusions of
        :func:`analyze`).
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`).

    Returns
    -------
    zopa.results.Exploration

    Raises
    ------
    zopa.UnknownId
        For a path that names no ranged number of the preferences.
    zopa.UsageError
        For a value that is not a number or lies outside its range, or a bad ``as_of``.
    ValueError
        For a scenario without issues and preferences.

    Examples
    --------
    >>> import zopa
    >>> zopa.explore(values={"preferences.RU.reservation": 0.6}).zone_exists
    True
    """
    from zopa.results import Exploration
    from zopa.robust.explore import explore_values
    from zopa.robust.proposals import sample_setup
    from zopa.space.cache import CACHE

    s, cut = _scenario_at(scenario, as_of)
    _require_preferences(s)
    checked = _assumption_values(s, values)
    setup = CACHE.get(s, "sample_setup", lambda: sample_setup(s, tuple(s.proposals)))
    found = explore_values(s, checked, setup=setup, assumptions=_assumption_items(s))
    return Exploration(found, s, cut=cut)


def assume(scenario: Scenario | str | Path | None, values: Mapping[str, float]) -> Scenario:
    """The scenario with some assumptions set as its new point values.

    Each value becomes its number's mode (the range is kept), and the party's basis for that
    part of its preferences is marked, e.g. ``(edited in the workspace: RU walk-away 0.5 →
    0.48)``. Values equal to the point value change nothing.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    values
        Assumption path (see :func:`assumptions`) → value within its range.

    Returns
    -------
    zopa.model.scenario.Scenario

    Raises
    ------
    zopa.UnknownId, zopa.UsageError
        As for :func:`explore`.
    """
    from zopa.robust.explore import assume as set_values

    s = _scenario(scenario)
    return set_values(s, _assumption_values(s, values))


def scenario_yaml(text: str, values: Mapping[str, float]) -> str:
    """A scenario file's YAML text with some assumptions written in as new point values.

    What :func:`assume` does to the scenario, done to its file: the numbers' modes and the
    edited bases change, comments and layout stay (:func:`zopa.io.scenario_edit.write_values`),
    and the text loads back to ``assume(scenario, values)``.

    Parameters
    ----------
    text
        The scenario file's text; it is read by the same safe loader as :func:`load` first.
    values
        Assumption path → value within its range.

    Returns
    -------
    str
        The new YAML text (``text`` itself when no value differs from its point value).

    Raises
    ------
    zopa.ScenarioError
        When ``text`` is not a valid scenario.
    zopa.UnknownId, zopa.UsageError
        As for :func:`explore`.
    """
    from zopa.io.scenario_edit import write_values
    from zopa.io.scenario_file import parse_scenario
    from zopa.robust.explore import changes, edited_bases

    s = parse_scenario(text)
    found = changes(_assumption_items(s), _assumption_values(s, values))
    if not found:
        return text
    return write_values(
        text,
        {c.assumption.yaml_path: c.value for c in found},
        {("preferences", party, "basis"): basis for party, basis in edited_bases(s, found).items()},
    )


# -- stability ----------------------------------------------------------------------------------


def stability(
    scenario: Scenario | str | Path | None = None,
    *,
    start: str | int | None = None,
    coalitions: Iterable[str | Sequence[str]] | None = None,
    concept: str = "GMR",
    show_all: bool = False,
    as_of: str | date | None = None,
) -> Stability:
    """Strategic stability (graph model for conflict resolution): R, GMR, SMR and SEQ.

    Method: Fang, Hipel & Kilgour (1993), *Interactive Decision Making: The Graph Model for
    Conflict Resolution*; see :mod:`zopa.gmcr.stability`.

    Parameters
    ----------
    scenario
        A scenario with a ``strategic:`` section, an embedded id or a path.
    start
        Trace where the conflict can go from this state (number or option vector).
    coalitions
        Coalitions whose coalition stability to report, each ``"A+B"`` or ``["A", "B"]``.
    concept
        The equilibria to trace paths to from ``start``.
    show_all
        Whether the report lists every state.
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`; the strategic
        section itself is not dated, so the cut only says what else was left out).

    Returns
    -------
    zopa.results.Stability

    Raises
    ------
    zopa.UnknownId
        For an unknown concept or decision maker.
    zopa.UsageError
        For a decision maker named twice in a coalition, a bad ``start`` or a bad ``as_of``.
    ValueError
        For a scenario without a strategic section.
    """
    from zopa.gmcr.analysis import stability_report, status_quo_report
    from zopa.gmcr.compile import compile_game
    from zopa.gmcr.stability import CONCEPTS
    from zopa.results import Stability

    s, cut = _scenario_at(scenario, as_of)
    if s.strategic is None:
        raise ValueError(
            f"scenario {s.id!r} has no strategic section (see README: Strategic models)"
        )
    _choice("concept", concept, list(CONCEPTS), "concept")
    game = compile_game(s.strategic)
    groups: list[list[str]] = []
    for c in coalitions or []:
        members = [m.strip() for m in (c.split("+") if isinstance(c, str) else c)]
        for m in members:
            _choice("decision maker", m, list(game.dms), "coalitions")
        _no_duplicates(members, "decision maker", "coalitions")
        groups.append(members)
    report = stability_report(game, groups, document=False)  # to_dict checks its own size
    extras: dict[str, Any] = {
        "alternative_rankings": [
            dm for dm, pref in s.strategic.preferences.items() if pref.alternatives
        ]
    }
    if start is not None:
        try:
            code = game.parse_state(str(start))
        except ValueError as exc:
            raise UsageError(str(exc), parameter="start") from None
        extras["status_quo_analysis"] = status_quo_report(report, code, concept, groups)
    return Stability(report, extras, s.title, show_all, cut=cut)


# -- forecast -----------------------------------------------------------------------------------


def _is_csv_source(source: object) -> bool:
    from zopa.forecast.data import EMBEDDED

    if isinstance(source, Path):
        return source.suffix.lower() == ".csv"
    return isinstance(source, str) and (source in EMBEDDED or source.lower().endswith(".csv"))


def forecast(
    source: Scenario | str | Path | None = None,
    *,
    issues: str | Iterable[str] | None = None,
    model: str = "eum",
    variant: str | None = None,
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    samples: int = 0,
    seed: int = 0,
    perturb: float | None = None,
    stop_at_convergence: bool = False,
    as_of: str | date | None = None,
) -> Forecast:
    """Forecast one-dimensional group decisions (Bueno de Mesquita's expected-utility model).

    Method: Bueno de Mesquita (1994) as specified by Scholz, Calbert & Smith (2011); see
    :mod:`zopa.forecast.eum`.

    Parameters
    ----------
    source
        A scenario with a ``forecast:`` section (or its id or path; default
        ``berlin-2025-12``), a CSV file with columns actor, capability, position, salience, or
        the embedded CSV example ``ec-car-emissions``.
    issues
        A scenario's issues to forecast (default: all).
    model
        ``eum``, ``median`` or ``mean``.
    variant
        The interpretation of the expected-utility model, ``scholz`` (default) or ``paper``;
        only with ``model="eum"``.
    rounds, q, t
        Rounds to run; the probabilities that the status quo holds and that it improves if not.
    samples, seed
        Monte Carlo samples (0: none) and their seed: the same seed gives the same numbers.
    perturb
        CSV only: relative size of the input noise (default 0.1).
    stop_at_convergence
        Stop once the positions repeat (a fixed point or a cycle) instead of running every
        round; the result says whether and how each run converged either way.
    as_of
        A scenario only: a date (``YYYY-MM-DD``), the scenario as known then (see
        :func:`analyze`; the forecast section itself is not dated).

    Returns
    -------
    zopa.results.Forecast

    Raises
    ------
    zopa.UnknownId
        For an unknown model, variant or issue.
    zopa.UsageError
        For options that do not apply (``variant`` without ``eum``, ``issues`` or ``as_of``
        with a CSV, ``perturb`` with a scenario) and a bad ``as_of``.
    ValueError
        For a bad CSV (``file:line: column: ...``) or a scenario without a forecast section.
    """
    from zopa.results import Forecast

    _choice("model", model, FORECAST_MODELS, "model")
    if variant is not None:
        _choice("variant", variant, FORECAST_VARIANTS, "variant")
        if model != "eum":
            raise UsageError(
                f"variant applies to the eum model, not to model {model!r}", parameter="variant"
            )
    chosen_variant = variant or "scholz"
    wanted = _names(issues)
    if _is_csv_source(source):
        from zopa.forecast import forecast as run_forecast
        from zopa.forecast import read_actors

        if wanted:
            raise UsageError(
                "issues apply to scenarios; a CSV file is a single issue", parameter="issues"
            )
        if as_of is not None:
            raise UsageError(
                "as_of applies to scenarios; a CSV file has no dated record", parameter="as_of"
            )
        table = read_actors(str(source))
        result = run_forecast(
            table,
            model=model,  # type: ignore[arg-type]
            variant=chosen_variant,  # type: ignore[arg-type]
            rounds=rounds,
            q=q,
            t=t,
            samples=samples,
            rng=seed,
            perturb=0.1 if perturb is None else perturb,
            stop_at_convergence=stop_at_convergence,
        )
        return Forecast(result.to_dict(), [result], None)
    if perturb is not None:
        raise UsageError(
            "perturb applies to CSV files; a scenario's Monte Carlo samples its stated ranges",
            parameter="perturb",
        )
    from zopa.forecast.scenario import forecast_scenario
    from zopa.space.analysis import scenario_stamp

    s, cut = _scenario_at(source, as_of)
    if not s.forecast:
        raise ValueError(f"scenario {s.id!r} has no forecast section (see README: Forecasts)")
    for issue in wanted or []:
        if issue not in s.forecast:
            raise UnknownId(
                "forecast issue",
                issue,
                list(s.forecast),
                parameter="issues",
                context=f"(scenario {s.id!r} has no forecast for it)",
            )
    results = forecast_scenario(
        s,
        wanted or None,
        model=model,  # type: ignore[arg-type]
        variant=chosen_variant,  # type: ignore[arg-type]
        rounds=rounds,
        q=q,
        t=t,
        samples=samples,
        seed=seed,
        stop_at_convergence=stop_at_convergence,
    )
    data = {"scenario": scenario_stamp(s), "issues": [r.to_dict() for r in results]}
    return Forecast(data, list(results), s, cut=cut)


# -- robust -------------------------------------------------------------------------------------


def _check_scheduler(scheduler: str | None) -> None:
    if scheduler is not None and scheduler != "local" and ":" not in scheduler:
        raise UsageError(
            f"expected 'local' or a Dask scheduler address such as tcp://host:8786, "
            f"got {scheduler!r}",
            parameter="scheduler",
        )


def _cores(workers: int | None) -> int:
    if workers is not None and workers < 1:
        raise UsageError(f"workers must be at least 1, got {workers}", parameter="workers")
    return workers or os.cpu_count() or 1


def _check_scenario_for(s: Scenario, engine: str) -> None:
    """Raise UsageError when the scenario gives ``robust``'s engine nothing to test."""
    if engine == "space" and s.preferences and not s.proposals:
        raise UsageError(
            f"scenario {s.id!r} has no proposals to test: the robustness of a proposal's "
            "acceptance needs proposals (a negotiation domain, e.g. one imported from GENIUS, "
            "has none); add some under `proposals:`, or see its agreement space with "
            "zopa analyze",
            parameter="scenario",
        )
    if engine == "space" and (not s.proposals or not s.preferences):
        hint = (
            "; it has a strategic model: try the stability engine (--engine stability)"
            if s.strategic is not None
            else ""
        )
        raise UsageError(
            f"scenario {s.id!r} has no proposals with preferences to test{hint}",
            parameter="engine",
        )
    if engine == "stability" and s.strategic is None:
        raise UsageError(
            f"scenario {s.id!r} has no strategic section (see README: Strategic models)",
            parameter="engine",
        )
    if engine == "forecast" and not s.forecast:
        raise UsageError(
            f"scenario {s.id!r} has no forecast section (see README: Forecasts)",
            parameter="engine",
        )


def robust(
    scenario: Scenario | str | Path | None = None,
    *,
    engine: str = "space",
    samples: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    perturb: float = 0.0,
    lhs: bool = False,
    scheduler: str | None = None,
    progress: Progress | None = None,
    as_of: str | date | None = None,
    given_reactions: bool | None = None,
) -> Robust:
    """Test how robust the conclusions are when the uncertain inputs vary.

    Monte Carlo over the scenario's stated ranges (random or Latin hypercube sampling, McKay,
    Beckman & Conover 1979), with Spearman rank correlations to find the inputs a conclusion
    hinges on; see :mod:`zopa.robust`. With the scenario's ``reactions:`` the ``space``
    engine samples the inputs given the record (the posterior: exact rejection sampling, or
    sequential Monte Carlo when too few prior samples explain the record; see
    :mod:`zopa.robust.condition`) and reports each conclusion before and after.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    engine
        ``space`` (proposals, zone, Nash package, bridges), ``stability`` (the strategic
        section's equilibria under alternative rankings) or ``forecast``.
    samples, seed
        Number of samples and the seed of the whole run (results do not depend on ``workers``).
    workers
        Local worker processes (default: all cores).
    perturb, lhs
        ``space`` only: also vary point values by this fraction; Latin hypercube sampling.
    scheduler
        A Dask scheduler (``tcp://host:port``) or ``local`` (not for ``forecast``).
    progress
        Called as ``progress(done, total)`` while samples complete.
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`).
    given_reactions
        ``space`` only: condition the samples on the scenario's reactions (True), or sample the
        stated ranges alone (False); None: condition when the scenario has reactions. The
        ``stability`` and ``forecast`` engines sample other inputs (preference orders,
        positions), which the reactions do not bear on: they are never conditioned, and say so.

    Returns
    -------
    zopa.results.Robust
        Its ``warnings`` (also in ``to_dict()``) say when there are too few samples for the
        percentages to mean much (fewer than :data:`SMALL_SAMPLES`), and when the record of
        reactions cannot be explained by the ranges (the run then falls back to the prior).
        Conditioned runs carry ``prior`` (the same conclusions before the evidence) and
        ``conditioning`` (the sampler, its acceptance rate and effective sample size, each
        input's prior and posterior quantiles, each reaction's weight as evidence).

    Raises
    ------
    zopa.UnknownId
        For an unknown engine.
    zopa.UsageError
        For options the engine does not use, a scenario the engine has nothing to test in
        (the message names the engine that would apply), or a bad ``as_of``.
        (the message names the engine that would apply), or ``given_reactions=True`` with a
        scenario without reactions or an engine other than ``space``.
    """
    from zopa.results import Robust
    from zopa.space.analysis import scenario_stamp

    _choice("engine", engine, ROBUST_ENGINES, "engine")
    if samples < 1:
        raise UsageError(f"samples must be at least 1, got {samples}", parameter="samples")
    if engine != "space" and (perturb or lhs):
        raise UsageError(
            f"perturb and lhs apply to the space engine, not to engine {engine!r}",
            parameter="perturb" if perturb else "lhs",
        )
    if engine == "forecast" and scheduler is not None:
        raise UsageError(
            "scheduler applies to the space and stability engines (forecasts run vectorised)",
            parameter="scheduler",
        )
    _check_scheduler(scheduler)
    s, cut = _scenario_at(scenario, as_of)
    _check_scenario_for(s, engine)
    given = _given_reactions(s, engine, given_reactions)
    cores = _cores(workers)
    if progress is not None:
        progress(0, 2 * samples if given else samples)  # the inputs are valid: the work starts
    result: Any
    prior: Any = None
    conditioning: Any = None
    if engine == "space":
        from zopa.robust.condition import GivenReactions, robust_given_reactions
        from zopa.robust.proposals import robust_proposals

        found = (robust_given_reactions if given else robust_proposals)(
            s,
            samples,
            seed,
            workers=cores,
            perturb=perturb,
            method="lhs" if lhs else "random",
            scheduler=scheduler,
            progress=progress,
        )
        if isinstance(found, GivenReactions):
            result, prior, conditioning = found.posterior, found.prior, found.conditioning
        else:
            result = found
    elif engine == "stability" and s.strategic is not None:  # checked above
        from zopa.robust.stability import robust_stability

        result = robust_stability(
            s.strategic,
            samples=samples,
            seed=seed,
            workers=cores,
            scheduler=scheduler,
            progress=progress,
        )
    else:
        from zopa.robust.forecast import robust_forecast

        result = robust_forecast(s, samples, seed)
        if progress is not None:  # vectorised: done in one step
            progress(samples, samples)
    warnings = []
    if samples < SMALL_SAMPLES:
        warnings.append(
            f"only {samples:,} sample{'' if samples == 1 else 's'}: the percentages mean little "
            f"below a few hundred samples (use {SMALL_SAMPLES:,} or more)"
        )
    data = {"scenario": scenario_stamp(s), "engine": engine, **result.to_dict()}
    if engine == "space":
        data["prior"] = prior.to_dict() if prior is not None else None
    if conditioning is not None:
        data["conditioning"] = {
            "given_reactions": True,
            "reactions": len(s.reactions),
            "note": None,
            **conditioning.to_dict(),
        }
        warnings += conditioning.warnings
    else:
        data["conditioning"] = _unconditioned(s, engine, given_reactions)
    data["warnings"] = warnings
    return Robust(data, result, s.title, s, cut=cut, prior=prior, conditioning=conditioning)


def _given_reactions(s: Scenario, engine: str, given: bool | None) -> bool:
    """Whether the run conditions on the reactions; UsageError when it cannot as asked."""
    if given is None:
        return engine == "space" and bool(s.reactions)
    if given and engine != "space":
        raise UsageError(
            f"the {engine} engine samples other inputs than the preferences the reactions bear "
            "on, so it cannot be conditioned on them: use engine space, or drop "
            "given_reactions (--given-reactions)",
            parameter="given_reactions",
        )
    if given and not s.reactions:
        raise UsageError(
            f"scenario {s.id!r} has no reactions to condition on (see README: Reactions as "
            "evidence): drop given_reactions (--given-reactions)",
            parameter="given_reactions",
        )
    return given


def _unconditioned(s: Scenario, engine: str, given: bool | None) -> dict[str, Any]:
    """The ``conditioning`` member of a run that did not condition on the reactions."""
    n = len(s.reactions)
    note = None
    if n and engine == "space":
        note = (
            f"prior only: the scenario's {n} reaction{'' if n == 1 else 's'} "
            "were not used (given_reactions=False, --prior-only)"
        )
    elif n:
        what = "preference orders" if engine == "stability" else "positions and saliences"
        note = (
            f"not conditioned on the scenario's {n} reaction{'' if n == 1 else 's'}: the "
            f"{engine} engine samples the {what} of its own section, which the reactions "
            "do not bear on (only the space engine is conditioned)"
        )
    return {"given_reactions": False, "reactions": n, "note": note}


# -- timeline -----------------------------------------------------------------------------------


def timeline(
    scenario: Scenario | str | Path | None = None,
    *,
    samples: int = 0,
    seed: int = 0,
    as_of: str | date | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Timeline:
    """Are the sides converging? The talks date by date: proposals, acceptance, margin, gaps.

    One row per date on which a proposal or a reaction appeared: each party's latest proposal,
    who accepts each of them, the zone's margin, and for each pair of sides (the belligerents)
    how far each one's latest proposal falls short of the other's walk-away point; then a
    verdict line ("converging: the gap A–B fell from 0.44 to 0.31 between 20 Nov and 14 Dec,
    mostly by B's moves on I and J"). See :mod:`zopa.space.timeline` for the definitions.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    samples, seed
        With ``samples > 0``: on every date, quantiles of the margin and of the gaps over this
        many samples of the uncertain inputs (a :func:`robust` run per date, same seed) —
        conditioned on the reactions known that day (a posterior; the prior on a day before
        any reaction, or where the ranges cannot explain the record). The default 0
        keeps to the point assumptions (fast).
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see
        :func:`zopa.model.as_of.as_of_cut`); the timeline ends on that date.
    workers
        Local worker processes of the sampled runs (default: all cores).
    progress
        Called as ``progress(done, total)`` while the samples of all dates complete.

    Returns
    -------
    zopa.results.Timeline

    Raises
    ------
    zopa.UsageError
        For fewer than 0 samples, or a bad ``as_of``.
    ValueError
        For a scenario without issues and preferences, or without proposals or reactions.

    Examples
    --------
    >>> import zopa
    >>> t = zopa.timeline()
    >>> t.to_dict()["dates"][0]["date"]
    '2025-11-20'
    """
    import numpy as np

    from zopa.results import Timeline
    from zopa.space.timeline import DateSamples, attach_samples, compute_timeline, dated_scenario

    if samples < 0:
        raise UsageError(f"samples must be at least 0, got {samples}", parameter="samples")
    if samples:
        _cores(workers)
    s, cut = _scenario_at(scenario, as_of)
    _require_preferences(s)
    result = compute_timeline(s)
    if samples:
        days = [row.date for row in result.dates]
        sampled: dict[Any, DateSamples] = {}
        warnings: list[str] = []
        if progress is not None:
            progress(0, samples * len(days))
        for k, day in enumerate(days):
            dated = dated_scenario(s, day)

            def step(done: int, total: int, k: int = k) -> None:
                # a conditioned run counts its prior and its posterior samples: scale its
                # count to this date's share, so the whole never goes back nor overshoots
                if progress is not None and total:
                    progress(k * samples + done * samples // total, samples * len(days))

            run = robust(
                dated,
                samples=samples,
                seed=seed,
                workers=workers,
                progress=step,
                given_reactions=bool(dated.reactions),
            )
            warnings += run.warnings
            gains = run.gains()
            sampled[day] = DateSamples(
                margins=np.asarray(run.margins(), dtype=np.float64),
                gains=None
                if gains is None
                else {
                    pid: {p: np.asarray(v, dtype=np.float64) for p, v in by_party.items()}
                    for pid, by_party in gains.items()
                },
                # a day without reactions: the posterior is the prior; a record the ranges
                # cannot explain: robust fell back to the prior (and warned)
                conditioned=not dated.reactions
                or (run.conditioning is not None and bool(run.conditioning.explained)),
            )
        result = attach_samples(result, sampled, samples, seed, warnings)
    return Timeline(result, s, cut)


# -- backtest -----------------------------------------------------------------------------------


def _with_outcome(s: Scenario) -> bool:
    """Whether a scenario's talks have ended (an outcome that is agreed or broke down)."""
    return s.outcome is not None and s.outcome.status != "pending"


def backtest(
    scenarios: Scenario | str | Path | Iterable[Scenario | str | Path] | None = None,
    *,
    samples: int = 1_000,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Backtest:
    """How did the analysis fare on talks whose ending is known? The record replayed date by date.

    For each scenario with an ``outcome:`` and for each date on which a proposal or a reaction
    appeared before it, the scenario as known then (:func:`zopa.model.as_of.as_of_cut`, with the
    walk-away points in force then, as :func:`timeline` takes them) is analysed: was the
    eventual package acceptable to all under the point assumptions; in what share of the
    samples of the ranges, given the reactions known then (the posterior of :func:`robust`);
    its rank among the acceptable packages by Nash product and its distance (issues differing)
    to the Nash and Kalai–Smorodinsky packages; for a breakdown, whether the analysis found no
    zone or a thin one. Interim outcomes with a package are backtested the same way. See
    :mod:`zopa.backtest` for the definitions.

    The preferences were set by an analyst who knew the outcome: a good score is a consistency
    check of the method, not proof of foresight. Every preference number is marked
    ``basis_dated_before_outcome`` (:mod:`zopa.backtest.basis`), and every sampled figure is
    given a second time with only the numbers dated before the outcome varying.

    Parameters
    ----------
    scenarios
        A scenario, an embedded id or a path, or several; None: every embedded scenario whose
        talks have ended (an outcome that is agreed or broke down).
    samples, seed
        Samples of each robust run (0: point assumptions only) and the seed of every run
        (results do not depend on ``workers``).
    workers
        Local worker processes of the robust runs (default: all cores).
    progress
        Called as ``progress(done, total)`` in analyses at a date, over all scenarios.

    Returns
    -------
    zopa.results.Backtest

    Raises
    ------
    zopa.UsageError
        For fewer than 0 samples, a scenario named that has no outcome (or whose talks had not
        ended), a scenario named twice, or no scenario to backtest.
    zopa.UnknownId, zopa.ScenarioError
        As for :func:`load`.
    ValueError
        For a scenario without issues and preferences.

    Examples
    --------
    >>> import zopa
    >>> b = zopa.backtest("tests/io/good_scenarios/outcome.yaml", samples=0)  # doctest: +SKIP
    >>> b.to_dict()["summary"][0]["consistent_dates"]  # doctest: +SKIP
    """
    from zopa.backtest.run import BacktestResult, BacktestSettings, backtest_scenario
    from zopa.model.scenario import Scenario
    from zopa.results import Backtest

    if samples < 0:
        raise UsageError(f"samples must be at least 0, got {samples}", parameter="samples")
    cores = _cores(workers)
    if scenarios is None:
        from zopa.catalog import embedded_ids

        chosen = [s for s in (load(sid) for sid in embedded_ids()) if _with_outcome(s)]
        if not chosen:
            raise UsageError(
                "no embedded scenario has an outcome to backtest against: name a scenario file "
                "with an outcome section",
                parameter="scenario",
            )
    else:
        given = [scenarios] if isinstance(scenarios, Scenario | str | Path) else list(scenarios)
        if not given:
            raise UsageError("no scenario to backtest", parameter="scenario")
        chosen = [_scenario(x) for x in given]
        _no_duplicates([s.id for s in chosen], "scenario", "scenario")
        for s in chosen:
            if s.outcome is None:
                raise UsageError(
                    f"scenario {s.id!r} has no outcome section: there is nothing to backtest "
                    "against (see README: What history says about the method)",
                    parameter="scenario",
                )
            if not _with_outcome(s):
                raise UsageError(
                    f"the talks of scenario {s.id!r} had not ended as of {s.as_of} (its outcome "
                    "is pending): there is nothing to backtest against yet",
                    parameter="scenario",
                )
    for s in chosen:
        _require_preferences(s)
    from zopa.backtest.run import record_dates, targets_of

    per_day = 3 if samples else 1
    totals = [per_day * len(record_dates(s, max(t.date for t in targets_of(s)))) for s in chosen]
    total = sum(totals)
    results = []
    offset = 0
    for s, size in zip(chosen, totals, strict=True):

        def step(done: int, _all: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total)

        results.append(
            backtest_scenario(s, samples=samples, seed=seed, workers=cores, progress=step)
        )
        offset += size
    return Backtest(BacktestResult(results, BacktestSettings(samples=samples, seed=seed)))


# -- simulate / tournament ----------------------------------------------------------------------


def _strategy_profile(s: Scenario, strategy: str | Mapping[str, str] | None) -> Any:
    from zopa.simulate.strategies import STRATEGIES, StrategyProfile

    if strategy is None:
        return StrategyProfile()
    parties = list(s.preferences)
    default: str | None = None
    named: dict[str, str] = {}
    items = (
        [(p, n) for p, n in strategy.items()]
        if isinstance(strategy, Mapping)
        else [
            (party.strip() if sep else None, name.strip() if sep else party.strip())
            for party, sep, name in (
                item.partition("=") for item in strategy.split(",") if item.strip()
            )
        ]
    )
    for party, name in items:
        _choice("strategy", name, list(STRATEGIES), "strategy")
        if party is None:
            if default is not None:
                raise UsageError(
                    f"two strategies for everyone ({default}, {name}): give one bare name",
                    parameter="strategy",
                )
            default = name
            continue
        if not party:
            raise UsageError(f"no party before '=' in {party}={name}", parameter="strategy")
        _choice("party", party, parties, "strategy")
        if party in named:
            raise UsageError(f"party {party!r} named twice", parameter="strategy")
        named[party] = name
    return StrategyProfile(named, default) if default else StrategyProfile(named)


def simulate(
    scenario: Scenario | str | Path | None = None,
    *,
    strategy: str | Mapping[str, str] | None = None,
    rounds: int | None = None,
    seed: int | None = None,
    as_of: str | date | None = None,
) -> Simulation:
    """Play the talks forward: alternating offers while walk-away points drift.

    Method: alternating offers among several parties (Aydoğan et al. 2017, SAOP), with the
    time-dependent tactics of Faratin, Sierra & Jennings (1998) and the tit-for-tat of Baarslag
    et al.; see :mod:`zopa.simulate`.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    strategy
        ``"UA=boulware,RU=hardliner"`` (others play linear), a bare ``"boulware"`` (everyone
        plays boulware; may be combined with per-party names), or ``{party: strategy}``.
    rounds
        Rounds before the deadline (default: the scenario's ``dynamics:`` section, or 12).
    seed
        Seed of the tie-breaking order among equally good offers.
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`; reported
        shifts of walk-away points dated after it are left out too).

    Returns
    -------
    zopa.results.Simulation

    Raises
    ------
    zopa.UnknownId
        For an unknown party or strategy.
    zopa.UsageError
        For a party named twice, two bare strategies, or a bad ``as_of``.
    """
    from zopa.results import Simulation
    from zopa.simulate.protocol import simulate_scenario

    s, cut = _scenario_at(scenario, as_of)
    _require_preferences(s)
    profile = _strategy_profile(s, strategy)
    return Simulation(simulate_scenario(s, profile, rounds=rounds, rng=seed), s, cut=cut)


def tournament(
    scenario: Scenario | str | Path | None = None,
    *,
    samples: int = 100,
    seed: int = 0,
    strategies: str | Iterable[str] | None = None,
    parties: str | Iterable[str] | None = None,
    rounds: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    as_of: str | date | None = None,
) -> TournamentView:
    """Play every combination of strategies over sampled inputs and compare them.

    Method: a round-robin over strategy profiles in the manner of Axelrod's tournaments,
    each profile played on the same samples of the uncertain inputs; see
    :mod:`zopa.simulate.tournament`.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    samples, seed
        Samples of the uncertain inputs and the seed of the whole run.
    strategies
        Strategies to combine (default: all six).
    parties
        Parties whose strategy varies (default: those whose consent every package needs); the
        others play linear.
    rounds
        Rounds before the deadline.
    workers, scheduler, progress
        As for :func:`robust`.
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then (see :func:`analyze`).

    Returns
    -------
    zopa.results.Tournament

    Raises
    ------
    zopa.UnknownId
        For an unknown strategy or party.
    zopa.UsageError
        For a strategy or party named twice, or a bad ``as_of``.
    """
    from zopa.results import Tournament
    from zopa.simulate.strategies import STRATEGIES
    from zopa.simulate.tournament import tournament as play

    _check_scheduler(scheduler)
    s, cut = _scenario_at(scenario, as_of)
    _require_preferences(s)
    chosen = _names(strategies)
    for name in chosen or []:
        _choice("strategy", name, list(STRATEGIES), "strategies")
    _no_duplicates(chosen or [], "strategy", "strategies")
    varied = _names(parties)
    for party in varied or []:
        _choice("party", party, list(s.preferences), "parties")
    _no_duplicates(varied or [], "party", "parties")
    if samples < 1:
        raise UsageError(f"samples must be at least 1, got {samples}", parameter="samples")
    cores = _cores(workers)
    if progress is not None:
        progress(0, samples)  # the inputs are valid: the work starts
    result = play(
        s,
        strategies=tuple(chosen) if chosen else STRATEGIES,
        parties=varied,
        samples=samples,
        seed=seed,
        rounds=rounds,
        workers=cores,
        scheduler=scheduler,
        progress=progress,
    )
    return Tournament(result, s, cut=cut)


# -- report -------------------------------------------------------------------------------------


def report(
    scenario: Scenario | str | Path | None = None,
    *,
    sections: str | Iterable[str] = ("analyze", "robust", "stability", "forecast", "simulate"),
    samples: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    as_of: str | date | None = None,
    progress: Progress | None = None,
) -> Report:
    """A briefing on a scenario: the answer to its question, every analysis, its assumptions.

    Runs the analyses the scenario supports, each as its own command would (see
    :mod:`zopa.briefing`); a section that does not apply is kept with the reason. The result
    renders itself as one self-contained HTML page, Markdown with SVG charts, or PDF.

    Parameters
    ----------
    scenario
        A scenario, an embedded id or a path (default: ``berlin-2025-12``).
    sections
        Which analyses (names or a comma-separated string): ``analyze``, ``robust``,
        ``stability``, ``forecast``, ``simulate``; shown in that order.
    samples, seed
        Monte Carlo samples and seed of the robust run and of the forecast's band; the seed
        also breaks ties in the simulation. The same inputs give the same briefing, byte for
        byte.
    workers
        Local worker processes for the robust run (default: all cores; results do not
        depend on it).
    as_of
        A date (``YYYY-MM-DD``): the scenario as known then, the proposals, events, reactions
        and sources dated after it left out (see :func:`zopa.model.as_of.as_of_cut`).
    progress
        Called as ``progress(done, total)`` while the robust samples complete.

    Returns
    -------
    zopa.briefing.Report
        ``to_html()``, ``to_markdown()``, ``write(path)`` (.html, .pdf or .md).

    Raises
    ------
    zopa.UnknownId
        For an unknown section.
    zopa.UsageError
        For a section named twice, no section, fewer than one sample, or a bad ``as_of`` (not
        a date, or before the scenario's earliest proposal).

    Examples
    --------
    >>> import zopa
    >>> r = zopa.report(sections="analyze")
    >>> r.sections[0].name
    'analyze'
    """
    from zopa.briefing import build_report, parse_sections

    chosen = parse_sections(sections)
    if samples < 1:
        raise UsageError(f"samples must be at least 1, got {samples}", parameter="samples")
    _cores(workers)
    s, cut = _scenario_at(scenario, as_of)
    named = None if scenario is None or not isinstance(scenario, str | Path) else str(scenario)
    return build_report(
        s,
        chosen,
        samples=samples,
        seed=seed,
        workers=workers,
        cut=cut,
        source=named,
        progress=progress,
    )


# -- the store: versions and runs (issue 16) -------------------------------------------------------


def _open_store(db: str | None, *, create: bool) -> Store:
    from zopa.store.store import Store

    return Store.open(db, create=create)


def _author(author: str | None) -> str:
    """The author of a save: as given, else ``$ZOPA_AUTHOR``, else the login name."""
    if author:
        return author
    if os.environ.get("ZOPA_AUTHOR"):
        return os.environ["ZOPA_AUTHOR"]
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (e.g. a container without a passwd entry)
        return ""


def _scenario_text(source: str | Path) -> tuple[str, str]:
    """The text of a scenario to save, exactly as given, and its name for messages.

    A :class:`~pathlib.Path`, or a string with one line that names a file, is read as bytes
    and decoded as UTF-8 (line endings kept); any other string is the YAML text itself.
    """
    from zopa.io.scenario_file import load_scenario_file, parse_scenario
    from zopa.io.yaml_tree import MAX_BYTES

    is_path = isinstance(source, Path) or ("\n" not in source and Path(source).is_file())
    if not is_path:
        if "\n" not in str(source) and _looks_like_path(str(source)):
            load_scenario_file(source)  # a missing file: the located error
        return str(source), "<scenario>"
    path = Path(source)
    name = str(source)
    if not path.is_file():
        load_scenario_file(path)  # raises the located error (missing, a directory, ...)
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    try:
        return raw.decode("utf-8"), name
    except UnicodeDecodeError:
        parse_scenario(raw, name)  # raises the located error
        raise


def save(
    source: str | Path,
    *,
    message: str = "",
    as_id: str | None = None,
    author: str | None = None,
    db: str | None = None,
    parent: int | Literal["latest"] | None = "latest",
    name: str | None = None,
) -> Saved:
    """Validate a scenario and store it as a new version (the text exactly as given).

    Parameters
    ----------
    source
        A path to a scenario file, or the YAML text itself.
    message
        Why this version (shown by :func:`history`).
    as_id
        Store it under this id instead of the scenario's own.
    author
        Who saves it; default ``$ZOPA_AUTHOR``, else the login name.
    parent
        The version the edit was based on: ``"latest"`` (whatever is latest when saving),
        a version number (refused with a conflict if another version was saved on it
        meanwhile), or None for a scenario's first version.
    name
        When given, ``source`` is YAML text, never a path, and ``name`` is its file name in
        messages (what a web front end passes: it never reads a path a client names).
    db
        The store's URL (default ``$ZOPA_DB``, else the SQLite file in the user's data
        directory).

    Returns
    -------
    zopa.store.store.Saved
        ``.version`` (its ``.ref`` is ``ID@N``), and ``.unchanged`` when the content equals
        the latest version's (then nothing was stored).

    Raises
    ------
    zopa.ScenarioError
        The scenario is invalid: nothing stored.
    zopa.store.errors.ConflictError
        Another version was saved on the same parent meanwhile: nothing stored.
    zopa.store.errors.StoreError
        The store cannot be opened.
    """
    from zopa.io.scenario_file import parse_scenario

    text, name = (str(source), name) if name is not None else _scenario_text(source)
    scenario = parse_scenario(text, name)  # an invalid scenario never opens the store
    with _open_store(db, create=True) as store:
        return store.save(
            text,
            scenario=scenario,
            name=name,
            message=message,
            author=_author(author),
            scenario_id=as_id,
            parent=parent,
        )


def _split_ref(ref: str) -> tuple[str, int | None]:
    """``ID@N`` → (ID, N); ``ID`` or ``ID@latest`` → (ID, None) (:func:`zopa.store.refs.parse_ref`)."""
    from zopa.store.refs import parse_ref

    if "@" not in ref:
        return ref, None
    parsed = parse_ref(ref)
    if parsed is None:
        raise UsageError(
            f"not a version reference: {ref!r} (expected ID@N with N ≥ 1, or ID@latest)",
            parameter="ref",
        )
    return parsed.scenario_id, parsed.number


def stored(*, db: str | None = None) -> list[StoredScenario]:
    """The scenarios in the store: id, title, latest version, how many versions, last save.

    Raises
    ------
    zopa.store.errors.StoreError
        The store cannot be opened.
    """
    with _open_store(db, create=True) as store:
        return store.scenarios()


def history(scenario_id: str, *, db: str | None = None) -> History:
    """The stored versions of a scenario, with each version's latest analysis.

    Parameters
    ----------
    scenario_id
        The stored scenario's id.
    db
        The store's URL (default as for :func:`save`).

    Returns
    -------
    zopa.results.History
        Versions oldest first: date, author, message, hash, the latest run's headline.

    Raises
    ------
    zopa.UnknownId
        No such scenario in the store.
    zopa.store.errors.StoreError
        The store cannot be opened.
    """
    from zopa.results import History
    from zopa.store.url import display_url

    with _open_store(db, create=False) as store:
        versions = store.versions(scenario_id)
        latest = store.latest_headlines(scenario_id)
        return History(scenario_id, versions, latest, display_url(store.url))


def checkout(ref: str, *, db: str | None = None) -> str:
    """The text of a stored version exactly as saved (``ID@N``; ``ID`` for the latest).

    Raises
    ------
    zopa.UnknownId
        No such scenario or version.
    zopa.UsageError
        A malformed reference.
    zopa.store.errors.StoreError
        The store cannot be opened.
    """
    sid, number = _split_ref(ref)
    with _open_store(db, create=False) as store:
        text = store.version(sid, number).text
    assert text is not None
    return text


def runs(scenario_id: str, *, db: str | None = None) -> Runs:
    """The stored analysis runs on a scenario's versions, newest first.

    Raises
    ------
    zopa.UnknownId
        No such scenario in the store.
    zopa.store.errors.StoreError
        The store cannot be opened.
    """
    from zopa.results import Runs
    from zopa.store.url import display_url

    sid, number = _split_ref(scenario_id)
    with _open_store(db, create=False) as store:
        return Runs(sid, store.runs(sid, number), display_url(store.url))


def database(action: str = "status", *, db: str | None = None) -> StoreStatus:
    """Create, upgrade or inspect the store.

    Parameters
    ----------
    action
        ``"init"`` creates the store (the SQLite file and the schema) if missing;
        ``"upgrade"`` brings an older schema to this zopa's; ``"status"`` changes nothing.
    db
        The store's URL (default as for :func:`save`).

    Returns
    -------
    zopa.store.store.StoreStatus
        The URL (password hidden), the schema revision and this zopa's head, the counts.

    Raises
    ------
    zopa.UnknownId
        An unknown action.
    zopa.store.errors.StoreError
        The store cannot be opened (or is missing, for ``"status"``).
    """
    from zopa.store.store import Store

    if action not in ("init", "upgrade", "status"):
        raise UnknownId("action", action, ["init", "upgrade", "status"], parameter="action")
    with Store.open(db, create=action != "status", upgrade=action == "upgrade") as store:
        return store.status()


# -- diff ---------------------------------------------------------------------------------------


def _diff_side(
    source: Scenario | str | Path, db: str | None
) -> tuple[Scenario, Any, dict[str, Any]]:
    """One side of :func:`diff`: the scenario, its :class:`~zopa.results.DiffSide`, its analysis."""
    from zopa.results import DiffSide
    from zopa.space.analysis import scenario_stamp
    from zopa.store.runs import resolve, stored_analysis, when

    found = resolve(source, db=db)
    s = found.scenario
    sha = str(scenario_stamp(s)["sha256"])
    if found.version is not None:
        run = stored_analysis(found.version, db=db)
        if run is not None and run.result is not None:
            origin = f"stored run #{run.id} ({when(run.started_at)}, zopa {run.zopa_version})"
            return s, DiffSide(found.name, s.id, sha, origin, run.id), run.result
    if not s.issues:
        return s, DiffSide(found.name, s.id, sha, "none (no agreement space)"), {}
    data = analyze(s, pareto=False, limit=0).to_dict()
    return s, DiffSide(found.name, s.id, sha, "computed now"), data


def diff(a: Scenario | str | Path, b: Scenario | str | Path, *, db: str | None = None) -> Diff:
    """What changed from one version of a scenario to another, and in what the analysis says.

    The scenario's changes in its own terms (:func:`zopa.store.diff.scenario_changes`:
    proposals and their terms, events, reactions, sources, parties, issues, every assumption
    with its old and new value and range, basis texts), then the results' (
    :func:`zopa.store.diff.result_changes`: who accepts each proposal, the zone's margin, the
    Nash package). Each side's results come from its stored ``analyze`` run when it is a
    stored version that has one, else they are computed; the result says which.

    Parameters
    ----------
    a, b
        The old and the new version: scenarios, paths, embedded ids or stored references
        (``ID@N``, ``ID@latest``, ``ID``).
    db
        The store's URL (default: ``$ZOPA_DB``, else the file in the user's data directory).

    Returns
    -------
    zopa.results.Diff

    Raises
    ------
    zopa.UnknownId
        For a name that names nothing, or an unknown stored version (listing the stored ones).

    Examples
    --------
    >>> import zopa
    >>> d = zopa.diff("berlin-2025-12", "berlin-2025-12")
    >>> d.scenario, d.results
    ([], [])
    """
    from zopa.results import Diff
    from zopa.store.diff import result_changes, scenario_changes

    old, old_side, old_data = _diff_side(a, db)
    new, new_side, new_data = _diff_side(b, db)
    return Diff(
        old_side,
        new_side,
        scenario_changes(old, new),
        result_changes(old_data, new_data) if old_data and new_data else [],
    )


# -- news reports (issue 18) ------------------------------------------------------------------------


def _scenario_source_text(source: str | Path) -> str | None:
    """The file text of a scenario given as a path or an embedded id (None otherwise)."""
    from zopa.catalog import embedded_ids, embedded_text

    path = Path(source)
    if path.is_file():
        try:
            return path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    if isinstance(source, str) and source in embedded_ids():
        return embedded_text(source).decode("utf-8")
    return None


def extract(
    report: str | bytes | Path,
    *,
    date: str | date | None = None,
    publisher: str | None = None,
    url: str | None = None,
    title: str | None = None,
    scenario: Scenario | str | Path | None = None,
    db: str | None = None,
) -> Extracted:
    """Extract candidate events from a news report, with who acts and who claims what.

    Offers and demands, meetings, battlefield claims and statements, each with its actor, its
    claimant, its date and place.

    Deterministic and offline: rules over sentences and tokens, the gazetteer shipped with
    zopa (extended by the scenario's party names and ``aliases``) and calendar arithmetic
    (:mod:`zopa.extract`, whose modules state the rules).

    Parameters
    ----------
    report
        The report: its text (a ``str`` is the text itself), its bytes as read, or a
        :class:`~pathlib.Path` to read. A header block of ``Title:``, ``Date:``, ``URL:`` lines
        followed by a blank line is used when present.
    date
        The article's date (``YYYY-MM-DD``); overrides the ``Date:`` header; one of the two is
        required.
    publisher, url, title
        Override the header.
    scenario
        A scenario (object, path, embedded id or stored reference) to map the parties to and
        whose proposals to link; :meth:`~zopa.results.Extracted.scenario_yaml` then gives its
        file with the candidates added.
    db
        The store's URL, for a stored reference.

    Returns
    -------
    zopa.results.Extracted
        ``to_dict()`` is the JSON of ``zopa extract --format json``.

    Raises
    ------
    zopa.UsageError
        For a report that cannot be read (empty, binary, not UTF-8, over 1 MB, no date); the
        message says why.

    Examples
    --------
    >>> import zopa
    >>> r = zopa.extract("Kremlin spokesman Dmitry Peskov said on Monday that talks would "
    ...                  "resume in Istanbul next week.", date="2025-12-15")
    >>> e = r.events[0]
    >>> e["kind"], e["claimed_by"], e["date"], e["date_text"], e["place"]
    ('diplomatic-event', 'Dmitry Peskov', '2025-12-22', 'next week', 'Istanbul')
    """
    from zopa.extract.intake import ArticleError, read_article
    from zopa.extract.linking import source_id
    from zopa.extract.pipeline import extract_events
    from zopa.results import Extracted

    raw = report.read_bytes() if isinstance(report, Path) else report
    try:
        article = read_article(raw, date=date, title=title, url=url, publisher=publisher)
    except ArticleError as exc:
        raise UsageError(str(exc), parameter=exc.field) from None
    s: Scenario | None = None
    text: str | None = None
    if scenario is not None:
        from zopa.model.scenario import Scenario as ScenarioModel

        if isinstance(scenario, ScenarioModel):
            s = scenario
        else:
            s = load(scenario, db=db)
            text = _scenario_source_text(scenario)
    result = extract_events(article, scenario=s)
    sid, known = ("report", False)
    if s is not None:
        sid, known = source_id(
            s, article.publisher, article.title, article.url, article.date.isoformat()
        )
    return Extracted(result, s, text, sid, known)
