"""The pieces of the briefing page: inlined SVGs, escaped and linked text, whole ids."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

import zopa
from zopa.render.briefing_html import _keep_whole, inline_renderer, namespace_svg

SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath>'
    '<linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
    '<g clip-path="url(#clip1)"><rect fill="url(#g)" width="9" height="9"/></g>'
    '<use xlink:href="#g"/><use href="#clip1"/><a href="#elsewhere">x</a></svg>'
)


@functools.cache
def _render() -> Callable[[str], str]:
    return inline_renderer(zopa.load())


def test_two_inlined_svgs_share_no_id() -> None:
    a = namespace_svg(SVG, "chart-a")
    b = namespace_svg(SVG, "chart-b")
    assert not a.startswith("<?xml")
    ids = re.findall(r'\bid="([^"]+)"', a + b)
    assert sorted(ids) == ["chart-a-clip1", "chart-a-g", "chart-b-clip1", "chart-b-g"]
    assert 'clip-path="url(#chart-a-clip1)"' in a
    assert 'fill="url(#chart-b-g)"' in b
    assert 'xlink:href="#chart-a-g"' in a
    assert 'href="#chart-b-clip1"' in b
    assert 'href="#elsewhere"' in a  # not an id of the SVG: left alone
    ET.fromstring(a)  # still well-formed


def test_an_svg_without_ids_is_unchanged() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    assert namespace_svg(svg, "x") == svg


def test_text_is_escaped_and_known_citations_are_linked() -> None:
    html = _render()(
        "<b>a & b</b> [cgtn-2025-12-14] [cgtn-2025-12-14, babel-2025-12-12] [nope] `zopa x`"
    )
    assert html.startswith("&lt;b&gt;a &amp; b&lt;/b&gt; ")
    assert '[<a href="#source-cgtn-2025-12-14">' in html
    assert '<a href="#source-babel-2025-12-12">' in html
    assert "[nope]" in html  # not a source: plain text
    assert "<code>zopa x</code>" in html


def test_hyphenated_ids_are_kept_whole_outside_tags() -> None:
    html = '<a href="#source-a-b">a-b</a> kyiv-2025-12-14, x -0.263 --flag'
    out = _keep_whole(html)
    assert '<a href="#source-a-b">' in out  # attributes untouched
    assert '<span class="nw">a-b</span>' in out
    assert '<span class="nw">kyiv-2025-12-14,</span>' in out
    assert "-0.263" in out
    assert "--flag" in out
    assert out.count('class="nw"') == 2


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_no_scenario_text_becomes_markup(text: str) -> None:
    html = _render()(text)
    stripped = re.sub(r'<(/?)(a|span|code)( (href="#source-[^"]+"|class="nw"))?>', "", html)
    assert "<" not in stripped
    assert ">" not in stripped.replace("&gt;", "")
