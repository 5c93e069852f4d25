"""The store in the workspace: stored scenarios, their versions, diffs, saving edits as versions.

Everything goes through the facade (:func:`zopa.api.history`, :func:`zopa.api.save`,
:func:`zopa.api.diff`, :func:`zopa.api.checkout`) on the store the workspace was started with
(``zopa serve --db URL``, else ``$ZOPA_DB`` or the user's file). A stored version opens as the
scenario key ``db:ID@N``. Saving names the version the edit was based on, so an edit on a
version someone else has built on meanwhile is refused with both versions named (the store's
optimistic lock) — nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zopa.errors import UsageError
from zopa.web.app import link, render
from zopa.web.shelf import STORED, Opened

NAV = ("History", "/versions", 87)
router = APIRouter()
MAX_MESSAGE = 2_000


def _db(request: Request) -> str | None:
    db: str | None = request.app.state.settings.db
    return db


def stored_ref(opened: Opened) -> tuple[str, int] | None:
    """The stored version an open scenario is (``ID``, ``N``), or None when it is not stored."""
    if not opened.key.startswith(STORED):
        return None
    sid, _, number = opened.key.removeprefix(STORED).rpartition("@")
    return sid, int(number)


@router.get("/versions", response_class=HTMLResponse)
def versions(request: Request) -> HTMLResponse:
    """The stored scenarios; with ``id=``, that scenario's versions and their latest answers."""
    import zopa.api

    scenario_id = request.query_params.get("id")
    if not scenario_id:
        return render(
            request, "versions.html", stored=zopa.api.stored(db=_db(request)), history=None
        )
    history = zopa.api.history(scenario_id, db=_db(request))
    return render(
        request,
        "versions.html",
        stored=None,
        history=history,
        data=history.to_dict(),
        scenario_id=scenario_id,
    )


@router.get("/versions/{ref}.yaml")
def checkout(request: Request, ref: str) -> Response:
    """A stored version's text, exactly as saved, as a download."""
    import zopa.api

    text = zopa.api.checkout(ref, db=_db(request))
    filename = "".join(c if c.isalnum() or c in "-_." else "-" for c in ref) + ".yaml"
    return Response(
        text,
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/diff", response_class=HTMLResponse)
def diff(request: Request) -> HTMLResponse:
    """What changed between two stored versions (``a=ID@N&b=ID@M``): scenario, then results."""
    import zopa.api

    a, b = request.query_params.get("a"), request.query_params.get("b")
    if not a and not b:  # the form to choose two versions
        return render(request, "diff.html", a="", b="", html=None, headline=[])
    if not a or not b or "@" not in a or "@" not in b:
        raise UsageError("give two stored versions: a=ID@N and b=ID@M", parameter="a")
    result = zopa.api.diff(a, b, db=_db(request))
    return render(request, "diff.html", a=a, b=b, html=result.to_html(), headline=result.headline())


def _form_text(value: Any, name: str, limit: int) -> str:
    text = value if isinstance(value, str) else ""
    if len(text) > limit:
        raise UsageError(f"{name} is longer than {limit:,} characters", parameter=name)
    return text.strip()


async def _save(request: Request, text: str, name: str, form: Any) -> Response:
    """Save ``text`` as a version based on the open scenario (its stored version, if any)."""
    import zopa.api

    opened = request.app.state.shelf.get(request.query_params.get("s"))
    based = stored_ref(opened)
    message = _form_text(form.get("message"), "message", MAX_MESSAGE)
    author = _form_text(form.get("author"), "author", 200) or None
    saved = zopa.api.save(
        text,
        name=name,
        message=message,
        author=author,
        as_id=based[0] if based else None,
        parent=based[1] if based else None,
        db=_db(request),
    )
    key = STORED + saved.version.ref
    return RedirectResponse(link("/", request, s=key, as_of=""), status_code=303)


@router.post("/versions/save", response_model=None)
async def save_text(request: Request) -> Response:
    """Save pasted YAML as a new version of the open scenario (a first version when unstored)."""
    form = await request.form()
    text = form.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UsageError("paste the scenario's YAML text to save", parameter="text")
    return await _save(request, text, "pasted.yaml", form)


@router.post("/versions/save-explored", response_model=None)
async def save_explored(request: Request) -> Response:
    """Save the explorer's values, written into the open scenario's file, as a new version."""
    import zopa.api
    from zopa.web.pages.assumptions import explored_values

    form = await request.form()
    opened = request.app.state.shelf.get(request.query_params.get("s"))
    text = zopa.api.scenario_yaml(opened.text, explored_values(request))
    return await _save(request, text, opened.name, form)
