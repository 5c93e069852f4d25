"""Read a rendered chart: its text elements with their absolute positions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)")


@dataclass(frozen=True)
class Text:
    """A text element of an SVG: its content, position (pixels) and attributes."""

    text: str
    x: float
    y: float
    attrs: dict[str, str]
    lines: tuple[str, ...]


def _shift(element: ET.Element) -> tuple[float, float]:
    found = _TRANSLATE.search(element.get("transform", ""))
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def texts(svg: str) -> list[Text]:
    """Every text element of ``svg`` with its absolute translation (nested groups summed)."""
    out: list[Text] = []

    def walk(element: ET.Element, x: float, y: float) -> None:
        dx, dy = _shift(element)
        x, y = x + dx, y + dy
        if element.tag.endswith("text"):
            content = "".join(element.itertext())
            spans = tuple("".join(s.itertext()) for s in element if s.tag.endswith("tspan"))
            out.append(Text(content, x, y, dict(element.attrib), spans or (content,)))
            return
        for child in element:
            walk(child, x, y)

    walk(ET.fromstring(svg), 0.0, 0.0)
    return out


def find(svg: str, content: str) -> list[Text]:
    """The text elements whose content, or one of whose lines, is exactly ``content``."""
    return [t for t in texts(svg) if t.text == content or content in t.lines]
