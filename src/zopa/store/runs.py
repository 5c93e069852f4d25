"""The analyses and the store: scenarios named by reference, runs saved and answered from the store.

The facade layer between the command line and :class:`zopa.store.store.Store`:

- :func:`resolve` finds the scenario a name means: an existing file, an embedded scenario, or a
  stored version (``ID@N``, ``ID@latest``, or a bare ``ID`` that names no file and no embedded
  scenario), and says which stored version it is;
- :func:`cached_or_run` answers an analysis from a stored run with the same version, command,
  options, seed and zopa version when there is one, else computes it (and stores it when
  asked); :class:`Answer` says which;
- :func:`stored_analysis` finds the stored ``analyze`` run of a version (for :func:`zopa.diff`).

Nothing here prints; the front ends say what an :class:`Answer` tells them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.render.document import Document
    from zopa.store.store import RunInfo, Store, VersionInfo


@dataclass(frozen=True)
class Resolved:
    """A scenario and where it came from.

    Attributes
    ----------
    scenario
        The validated scenario.
    name
        The name it was given by (a path, an embedded id, ``ID@N``), or its id.
    version
        The stored version (``None`` unless it was read from the store).
    path
        The file it was read from (``None`` unless it was a file).
    text
        The text it was read from, for a file or a stored version (``None`` otherwise).
    """

    scenario: Scenario
    name: str
    version: VersionInfo | None = None
    path: Path | None = None
    text: str | None = None


def _store_exists(db: str | None) -> bool:
    """Whether the store could hold anything: a server, or a SQLite file that exists."""
    from zopa.store.url import resolve_url

    url = resolve_url(db)
    if not url.startswith("sqlite"):
        return True
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database
    except Exception:  # a bad URL: Store.open says why
        return True
    return not database or database == ":memory:" or Path(database).exists()


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open the store at ``db`` (``--db URL``), ``$ZOPA_DB`` or the default file."""
    from zopa.store.store import Store

    return Store.open(db, create=create)


def load_stored(ref: str, *, db: str | None = None) -> Resolved:
    """Load a stored version by reference (``ID@N``, ``ID@latest`` or ``ID``).

    The text is parsed with the same reader as a file, named ``ID@N`` in error messages.

    Raises
    ------
    zopa.UnknownId
        For an unknown scenario or version (listing the stored ones).
    zopa.store.errors.StoreError
        When the store cannot be opened.
    """
    from zopa.io.scenario_file import parse_scenario
    from zopa.store.refs import parse_ref

    parsed = parse_ref(ref)
    scenario_id, number = (ref, None) if parsed is None else (parsed.scenario_id, parsed.number)
    with open_store(db) as store:
        version = store.version(scenario_id, number)
    text = version.text or ""
    return Resolved(parse_scenario(text, version.ref), version.ref, version, None, text)


def _stored_target(name: str) -> tuple[str, int | None, bool] | None:
    """The stored scenario and version a name may mean, and whether it can mean nothing else.

    ``(ID, N, True)`` for ``ID@N`` (``N`` None for ``ID@latest``); ``(ID, None, False)`` for a
    bare id that does not look like a path; None for an existing file, an embedded id or a path.
    """
    from zopa.api import _looks_like_path
    from zopa.catalog import embedded_ids
    from zopa.store.refs import parse_ref

    if Path(name).exists() or name in embedded_ids():
        return None
    ref = parse_ref(name)
    if ref is not None:
        return ref.scenario_id, ref.number, True
    return None if _looks_like_path(name) else (name, None, False)


def find_stored(name: str, *, db: str | None = None) -> Resolved | None:
    """The stored version a name means, when it names no file and no embedded scenario.

    ``ID@N`` and ``ID@latest`` always go to the store; a bare ``ID`` that does not look like a
    path goes to the store when there is one (a missing SQLite file is not created for it).

    Returns
    -------
    Resolved or None
        None when the name cannot be a reference (the caller says it names nothing).

    Raises
    ------
    zopa.UnknownId
        For an unknown stored scenario or version; for a bare id, the message lists the
        embedded and the stored scenarios.
    """
    from zopa.catalog import embedded_ids
    from zopa.errors import UnknownId

    target = _stored_target(name)
    if target is None:
        return None
    scenario_id, _, explicit = target
    if explicit:
        if not _store_exists(db):  # nothing stored yet: say so, and create no file
            from zopa.store.url import display_url, resolve_url

            raise UnknownId(
                "stored scenario",
                scenario_id,
                [],
                parameter="scenario",
                context=f": the store {display_url(resolve_url(db))} holds nothing yet",
            )
        return load_stored(name, db=db)
    if not _store_exists(db):
        return None
    try:
        return load_stored(name, db=db)
    except UnknownId as exc:
        if exc.kind != "stored scenario":
            raise
        raise UnknownId(
            "scenario",
            name,
            [*embedded_ids(), *exc.valid],
            parameter="scenario",
            context=": no such file, no embedded scenario and no stored scenario of that id",
        ) from None


def resolve(source: Scenario | str | Path | None, *, db: str | None = None) -> Resolved:
    """The scenario a name means, and where it came from.

    Order: an existing file, an embedded scenario id, then the store (``ID@N``, ``ID@latest``,
    or ``ID`` for its latest version); see :func:`find_stored`.

    Parameters
    ----------
    source
        A scenario, a path, an embedded id or a stored reference; the default scenario when
        None.
    db
        The store's URL (``--db``); ``$ZOPA_DB`` or the default file when None.
    """
    from zopa.api import load
    from zopa.model.scenario import Scenario

    if isinstance(source, Scenario):
        return Resolved(source, source.id)
    if source is None:
        s = load(None)
        return Resolved(s, s.id)
    name = str(source)
    path = Path(source)
    if path.is_file():
        text = path.read_text(encoding="utf-8", errors="replace")
        return Resolved(load(path), name, None, path, text)
    stored = find_stored(name, db=db)
    if stored is not None:
        return stored
    return Resolved(load(name), name)


# -- runs ----------------------------------------------------------------------------------------


def canonical_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options that change a result, as plain JSON data (lists sorted where order is moot).

    ``None`` values are kept (an option left at its default is part of the key), tuples become
    lists; the store sorts the keys.
    """
    out: dict[str, Any] = {}
    for key, value in options.items():
        if isinstance(value, tuple | list):
            value = list(value)
        elif isinstance(value, Path):
            value = str(value)
        elif hasattr(value, "value") and not isinstance(value, int | float | str | bool):
            value = value.value  # an enum
        out[key] = value
    return out


@dataclass
class Answer:
    """An analysis result, computed now or read from a stored run.

    Attributes
    ----------
    result
        The facade's result object when computed now (``None`` when answered from the store).
    stored
        The stored run it was answered from (``None`` when computed now).
    saved
        The run stored by this call (with ``save_run``), else ``None``.
    saved_version
        With ``save_run`` on a file: the version the file was stored as (``None`` otherwise);
        ``saved_unchanged`` says whether it was an existing version.
    """

    result: Any = None
    stored: RunInfo | None = None
    saved: RunInfo | None = None
    saved_version: VersionInfo | None = None
    saved_unchanged: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: the result's, plus ``stored_run`` when answered from the store."""
        if self.stored is not None:
            data = dict(self.stored.result or {})
            data["stored_run"] = self.stored.to_dict()
            return data
        data = self.result.to_dict()
        if self.saved is not None:
            data["saved_run"] = self.saved.to_dict()
        return dict(data)

    def to_json(self) -> str:
        """The JSON document as ``--format json`` prints it (without the final newline).

        Answered from the store, the stored text is printed as it is with ``stored_run``
        spliced in before its closing brace: the same text as indenting :meth:`to_dict`,
        without parsing and re-serialising the stored result.
        """
        import json

        stored = self.stored
        text = None if stored is None else stored.result_json
        if stored is None or text is None or not _spliceable(text):
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        run = json.dumps({"stored_run": stored.to_dict()}, indent=2, ensure_ascii=False)
        return f"{text[:-2]},\n{run[2:]}"

    def document(self) -> Document:
        """The report: the stored document when answered from the store, else the result's."""
        from zopa.render.document import Document

        if self.stored is not None:
            if self.stored.document is None:
                from zopa.errors import UsageError

                raise UsageError(
                    f"run #{self.stored.id} was stored without its report: use --format json "
                    "or --fresh"
                )
            return Document.from_dict(self.stored.document)
        doc: Document = self.result.document()
        return doc

    def to_markdown(self) -> str:
        """The report as Markdown."""
        from zopa.render.document import to_markdown

        return to_markdown(self.document())

    @property
    def headline(self) -> list[str]:
        """The headline answer."""
        if self.stored is not None:
            return list(self.stored.headline)
        lines: list[str] = self.result.headline()
        return lines

    def message(self) -> str | None:
        """The line a front end prints on stderr when answered from the store."""
        if self.stored is None:
            return None
        return (
            f"answered from the store: run #{self.stored.id} ({when(self.stored.started_at)}), "
            "not recomputed"
        )


def _spliceable(text: str) -> bool:
    """Whether a stored result is an indented, non-empty JSON object without ``stored_run``.

    Runs stored before results were kept indented (or an empty result) are re-serialised.
    """
    return text.startswith('{\n  "') and text.endswith("\n}") and '\n  "stored_run": ' not in text


def when(moment: datetime) -> str:
    """A stored moment (UTC) as ``YYYY-MM-DD HH:MM``."""
    return moment.strftime("%Y-%m-%d %H:%M")


def cached_or_run(
    source: Scenario | str | Path | None,
    command: str,
    options: Mapping[str, Any],
    compute: Callable[[Scenario], Any],
    *,
    seed: int | None = None,
    save_run: bool = False,
    fresh: bool = False,
    db: str | None = None,
    message: str = "",
) -> Answer:
    """Answer an analysis from the store when it was run before, else compute it.

    When ``source`` names a stored version and a done run of ``command`` on it with the same
    options, seed and zopa version exists, that run is the answer and nothing is computed
    (unless ``fresh``). Otherwise ``compute(scenario)`` runs; with ``save_run`` its result,
    report and headline are stored as a run of the version, a file first being saved as a
    version (its unchanged content: the version it already is).

    Parameters
    ----------
    source
        A scenario, a file, an embedded id or a stored reference (``ID@N``, ``ID``).
    command
        The analysis (``analyze``, ``robust``, ...).
    options
        The options that change the result (:func:`canonical_options` is applied).
    compute
        Computes the facade result from the scenario.
    seed
        The seed of a sampled analysis (None for none).
    save_run
        Store the result as a run (of the version the file was saved as).
    fresh
        Recompute even when a stored run would answer.
    db
        The store's URL; ``$ZOPA_DB`` or the default file when None.
    message
        The message of the version saved for a file with ``save_run``.

    Raises
    ------
    zopa.UsageError
        ``save_run`` with a scenario that is neither a file nor a stored version (an embedded
        scenario or an object: save it first with ``zopa save``).
    """
    from zopa._version import __version__

    opts = canonical_options(options)
    if not fresh and isinstance(source, str | Path):
        run = _stored_answer(str(source), command, opts, seed, db)
        if run is not None:
            return Answer(stored=run)
    found = resolve(source, db=db)
    answer = Answer()
    started = datetime.now(UTC)
    answer.result = compute(found.scenario)
    finished = datetime.now(UTC)
    if not save_run:
        return answer
    with open_store(db) as store:
        version = found.version
        if version is None:
            version = _save_source(store, found, message, answer)
        answer.saved = store.save_run(
            version.scenario_id,
            version.number,
            command,
            opts,
            seed,
            __version__,
            result=answer.result.to_dict(),
            document=answer.result.document().to_dict(),
            headline=answer.result.answer(),
            started_at=started,
            finished_at=finished,
        )
    return answer


def _stored_answer(
    name: str, command: str, options: dict[str, Any], seed: int | None, db: str | None
) -> RunInfo | None:
    """The stored run that answers ``command`` on a stored reference, if any.

    Found by the version's content hash as stored, without reading and validating the
    version's text (60 ms for the default scenario): the answer to a cached run is the store's
    alone. A name that is no stored reference (a file, an embedded id) or names nothing in
    the store gives None; :func:`resolve` then says what it is.
    """
    from zopa._version import __version__
    from zopa.errors import UnknownId

    target = _stored_target(name)
    if target is None or not _store_exists(db):
        return None
    scenario_id, number, _ = target
    try:
        with open_store(db) as store:
            return store.find_run(scenario_id, number, command, options, seed, __version__)
    except UnknownId:
        return None


def _save_source(store: Store, found: Resolved, message: str, answer: Answer) -> VersionInfo:
    """Store the file a run was made on as a version (unchanged content: the existing one)."""
    from zopa.errors import UsageError

    if found.path is None or found.text is None:
        raise UsageError(
            f"--save-run stores the run of a stored version or a file; {found.name!r} is "
            "neither: save it first (zopa save FILE), or name a file",
            parameter="scenario",
        )
    saved = store.save(found.text, name=str(found.path), message=message or "saved with a run")
    answer.saved_version, answer.saved_unchanged = saved.version, saved.unchanged
    return saved.version


# -- for diff ------------------------------------------------------------------------------------


def stored_analysis(version: VersionInfo, *, db: str | None = None) -> RunInfo | None:
    """The newest done ``analyze`` run of a version over all its proposals, with its result.

    A run restricted to some proposals or cut to an earlier date does not count; one made by
    another zopa version does, when there is none by this one.
    """
    from zopa._version import __version__

    with open_store(db) as store:
        runs = [
            r
            for r in store.runs(version.scenario_id, version.number)
            if r.command == "analyze"
            and r.status == "done"
            and not r.options.get("proposals")
            and r.options.get("as_of") is None
        ]
        if not runs:
            return None
        mine = [r for r in runs if r.zopa_version == __version__]
        return store.run((mine or runs)[0].id)
