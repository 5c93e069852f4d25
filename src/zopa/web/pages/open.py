"""Open a scenario (upload or paste YAML) and download the one on screen."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from zopa.errors import UnknownId
from zopa.io.scenario_file import ScenarioError
from zopa.web.app import link, render

NAV = ("Open", "/open", 90)
router = APIRouter()


@router.get("/open", response_class=HTMLResponse)
def open_page(request: Request) -> HTMLResponse:
    """The form to upload or paste a scenario, and the embedded scenarios to pick from."""
    from zopa.catalog import embedded_ids

    return render(
        request,
        "open.html",
        embedded=embedded_ids(),
        problems=[],
        text="",
        **_save_context(request),
    )


def _save_context(request: Request) -> dict[str, Any]:
    """What the save form shows: the open scenario's text and the stored version it is."""
    from zopa.web.pages.versions import stored_ref

    try:
        opened = request.app.state.shelf.get(request.query_params.get("s"))
    except UnknownId:  # the form works whatever the address names; saving then says so
        return {"current_text": "", "stored_ref": None}
    based = stored_ref(opened)
    return {"current_text": opened.text, "stored_ref": f"{based[0]}@{based[1]}" if based else None}


@router.post("/open", response_model=None)
async def open_scenario(request: Request) -> Response:
    """Validate an uploaded or pasted scenario with zopa's loader; show its errors in place."""
    form = await request.form()
    upload = form.get("file")
    pasted = form.get("text")
    name = "pasted.yaml"
    raw: bytes = b""
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            # a name only: any folders the client put in it are dropped, and nothing is saved
            name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "uploaded.yaml"
            raw = await upload.read()
        elif isinstance(pasted, str):
            raw = pasted.encode()
    finally:
        await form.close()
    text = raw.decode("utf-8", errors="replace")
    try:
        opened = request.app.state.shelf.open_text(raw.decode("utf-8") if raw else "", name)
    except (ScenarioError, UnicodeDecodeError) as exc:
        problems = (
            [
                {
                    "line": p.mark.line if p.mark else None,
                    "column": p.mark.column if p.mark else None,
                    "field": p.field,
                    "message": p.message,
                    "text": str(p),
                }
                for p in exc.problems
            ]
            if isinstance(exc, ScenarioError)
            else [
                {
                    "line": None,
                    "column": None,
                    "field": "",
                    "message": "the file is not UTF-8 text",
                    "text": f"{name}: the file is not UTF-8 text",
                }
            ]
        )
        from zopa.catalog import embedded_ids

        return render(
            request,
            "open.html",
            status=422,
            embedded=embedded_ids(),
            problems=problems,
            text=text,
            name=name,
            **_save_context(request),
        )
    return RedirectResponse(link("/", request, s=opened.key, as_of=""), status_code=303)


@router.get("/scenario.yaml")
def download(request: Request) -> Response:
    """The open scenario's YAML, exactly as it was given."""
    opened = request.app.state.shelf.get(request.query_params.get("s"))
    filename = (
        opened.name if opened.name.endswith((".yaml", ".yml")) else f"{opened.scenario.id}.yaml"
    )
    return Response(
        opened.text,
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{_safe(filename)}"'},
    )


def _safe(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in "-_.") or "scenario.yaml"
