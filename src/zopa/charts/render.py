"""Render chart specifications offline: SVG, PNG and PDF, and standalone interactive HTML.

Everything goes through ``vl-convert-python``, which embeds the Vega and Vega-Lite JavaScript
libraries in a Rust extension: no browser, no Node.js and no network are needed. Interactive
HTML inlines the JavaScript bundle vl-convert itself produces, so a page opened offline shows
its charts and asks no server for anything.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.charts.spec import VEGA_LITE_VERSION
from zopa.errors import UsageError

if TYPE_CHECKING:
    from types import ModuleType

FORMATS = (".svg", ".png", ".pdf", ".html")
"""The file suffixes a chart can be written to."""

PNG_SCALE = 2.0
"""PNG pixels per chart pixel (sharp on high-density screens and in print)."""


def _vlc() -> ModuleType:
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - a core dependency; only a broken install
        raise UsageError(
            "charts need the vl-convert-python package: pip install vl-convert-python"
        ) from exc
    return vl_convert


def to_svg(spec: dict[str, Any]) -> str:
    """Return the chart as an SVG document (text rendered as ``<text>``, fonts by name)."""
    return str(_vlc().vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION))


def to_png(spec: dict[str, Any], scale: float = PNG_SCALE) -> bytes:
    """Return the chart as PNG bytes, ``scale`` pixels per chart pixel."""
    return bytes(_vlc().vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale))


def to_pdf(spec: dict[str, Any]) -> bytes:
    """Return the chart as a one-page PDF (vector)."""
    return bytes(_vlc().vegalite_to_pdf(spec, vl_version=VEGA_LITE_VERSION))


@functools.cache
def javascript_bundle() -> str:
    """Return the Vega, Vega-Lite and Vega-Embed JavaScript as one script (about 0.9 MB).

    It defines the globals ``vegaEmbed``, ``vegaLite`` and ``vega``; built once per process by
    vl-convert, offline.
    """
    return str(_vlc().javascript_bundle(vl_version=VEGA_LITE_VERSION))


EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}
"""Vega-Embed options: tooltips and local SVG/PNG export, but no "Open in Vega Editor" link
(it would send the chart to a web site)."""


def embed_script(element_id: str, spec: dict[str, Any]) -> str:
    """Return the JavaScript that draws ``spec`` into the element ``element_id``.

    The specification is embedded as JSON with ``<`` escaped, so scenario text cannot close the
    script element.
    """
    data = json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c")
    opts = json.dumps(EMBED_OPTIONS)
    return f"vegaEmbed({json.dumps('#' + element_id)}, {data}, {opts}).catch(console.error);"


def to_html(spec: dict[str, Any]) -> str:
    """Return a standalone HTML page showing the chart interactively (tooltips), offline.

    The page inlines the JavaScript bundle of :func:`javascript_bundle` and makes no request.
    """
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(text)}</title>\n"
        f"<script>{javascript_bundle()}</script>\n</head>\n<body>\n"
        '<div id="chart"></div>\n'
        f"<script>{embed_script('chart', spec)}</script>\n</body>\n</html>\n"
    )


def write(spec: dict[str, Any], path: str | Path) -> Path:
    """Write the chart to ``path`` in the format its suffix names (.svg, .png, .pdf, .html).

    Raises
    ------
    zopa.UsageError
        For any other suffix.
    OSError
        When the file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"a chart is written as {', '.join(FORMATS)}: {target.name!r} ends in none of them",
            parameter="chart",
        )
    if suffix == ".svg":
        target.write_text(to_svg(spec), encoding="utf-8")
    elif suffix == ".html":
        target.write_text(to_html(spec), encoding="utf-8")
    elif suffix == ".png":
        target.write_bytes(to_png(spec))
    else:
        target.write_bytes(to_pdf(spec))
    return target
