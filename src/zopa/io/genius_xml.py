"""Read a GENIUS XML file safely into a small tree whose elements know their line and column.

GENIUS (Lin, Dahlin, Hindriks, Jonker, Tykhonov & Kraus 2014, "Genius: An integrated
environment for supporting the design of generic automated negotiators", *Computational
Intelligence* 30(1)) keeps a negotiation domain and each party's preferences in XML files; the
ANAC competitions (Baarslag et al. 2012, "The first automated negotiating agents competition
(ANAC 2010)", and the yearly reports since) distribute their domains in that form. Such files
come from the internet, so this reader trusts nothing in them:

* the file is read up to :data:`MAX_BYTES` (a larger file is refused without reading it all);
* it is parsed with ``defusedxml``'s expat driver (PSF licence), with document type
  declarations forbidden: no DTD, so no entity may be declared (no "billion laughs"), and no
  external entity or DTD is ever fetched;
* the tree may be at most :data:`MAX_DEPTH` elements deep and hold :data:`MAX_ELEMENTS`
  elements.

Every refusal is a :class:`GeniusXmlError` carrying the file, the line and the column; the
importer (:mod:`zopa.io.genius_import`) turns it into zopa's ``file:line:column: message``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.sax.xmlreader import Locator

MAX_BYTES = 8 * 1024 * 1024
"""The largest GENIUS file read (the largest ANAC file is about 2 MiB)."""
MAX_DEPTH = 32
"""The deepest nesting of elements allowed (GENIUS files are 4 or 5 deep)."""
MAX_ELEMENTS = 500_000
"""The most elements a file may hold."""


@dataclass
class Element:
    """One XML element: its tag, attributes, children and where its start tag begins.

    Attributes
    ----------
    tag
        The element's name.
    attrib
        Its attributes, as written (entity references are refused, so none are expanded).
    children
        Its child elements, in document order (text is ignored: GENIUS keeps everything in
        attributes).
    line, column
        1-based position of the ``<`` of its start tag.
    """

    tag: str
    attrib: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str) -> list[Element]:
        """Return the children with this tag, in order."""
        return [c for c in self.children if c.tag == tag]

    def find(self, tag: str) -> Element | None:
        """Return the first child with this tag, or None."""
        for c in self.children:
            if c.tag == tag:
                return c
        return None


class GeniusXmlError(Exception):
    """A GENIUS file that cannot be read, or whose content zopa refuses.

    Parameters
    ----------
    file
        The file name as given.
    message
        What is wrong, and what was expected.
    line, column
        Where (1-based), when known.
    """

    def __init__(self, file: str, message: str, line: int | None = None, column: int = 1) -> None:
        self.file = file
        self.message = message
        self.line = line
        self.column = column
        where = f"{file}:{line}:{column}" if line is not None else file
        super().__init__(f"{where}: {message}")

    @classmethod
    def at(cls, file: str, element: Element, message: str) -> GeniusXmlError:
        """An error positioned at an element's start tag."""
        return cls(file, message, element.line, element.column)


def _handler_class() -> Any:
    from xml.sax.handler import ContentHandler

    class _TreeBuilder(ContentHandler):
        """Builds :class:`Element` trees from SAX events, enforcing the limits."""

        def __init__(self, file: str) -> None:
            super().__init__()
            self.file = file
            self.root: Element | None = None
            self.stack: list[Element] = []
            self.count = 0
            self.locator: Locator | None = None

        def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 - SAX API
            self.locator = locator

        def position(self) -> tuple[int, int]:
            if self.locator is None:  # pragma: no cover - expat always gives one
                return 1, 1
            line, column = self.locator.getLineNumber(), self.locator.getColumnNumber()
            return line or 1, (column or 0) + 1

        def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802 - SAX API
            line, column = self.position()
            self.count += 1
            if self.count > MAX_ELEMENTS:
                raise GeniusXmlError(
                    self.file, f"more than {MAX_ELEMENTS:,} elements: refused", line, column
                )
            if len(self.stack) >= MAX_DEPTH:
                raise GeniusXmlError(
                    self.file,
                    f"elements nested deeper than {MAX_DEPTH} levels: refused",
                    line,
                    column,
                )
            element = Element(name, dict(attrs.items()), line, column)
            if self.stack:
                self.stack[-1].children.append(element)
            else:
                self.root = element
            self.stack.append(element)

        def endElement(self, name: str) -> None:  # noqa: N802 - SAX API
            self.stack.pop()

    return _TreeBuilder


def parse_xml(raw: bytes, file: str) -> Element:
    """Parse the bytes of a GENIUS file into its root :class:`Element`.

    Parameters
    ----------
    raw
        The file's bytes (at most :data:`MAX_BYTES`).
    file
        The name used in messages.

    Raises
    ------
    GeniusXmlError
        For a file too large, empty, not well-formed (with expat's reason and position), with a
        document type declaration, an entity declaration or an external reference, or beyond
        the depth and element limits.
    """
    from xml.sax import SAXParseException
    from xml.sax.xmlreader import InputSource

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    if len(raw) > MAX_BYTES:
        raise GeniusXmlError(file, f"larger than {MAX_BYTES // (1024 * 1024)} MiB: refused")
    if not raw.strip():
        raise GeniusXmlError(file, "the file is empty: expected a GENIUS XML file")
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder = _handler_class()(file)
    parser.setContentHandler(builder)
    source = InputSource(file)
    source.setByteStream(io.BytesIO(raw))
    try:
        parser.parse(source)
    except SAXParseException as exc:
        reason = str(exc.getMessage())
        if reason.startswith("not well-formed (") and reason.endswith(")"):
            reason = reason.removeprefix("not well-formed (")[:-1]
        raise GeniusXmlError(
            file,
            f"not well-formed XML: {reason}",
            exc.getLineNumber(),
            (exc.getColumnNumber() or 0) + 1,
        ) from None
    except DefusedXmlException as exc:
        line, column = builder.position() if builder.locator else (None, 1)
        raise GeniusXmlError(file, _defused_message(exc), line, column) from None
    if builder.root is None:  # pragma: no cover - expat reports "no element found" first
        raise GeniusXmlError(file, "no element found: expected a GENIUS XML file")
    root: Element = builder.root
    return root


def _defused_message(exc: Exception) -> str:
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    if isinstance(exc, DTDForbidden):
        return (
            "a document type declaration (<!DOCTYPE ...>) is not allowed in a GENIUS file: "
            "it could declare entities or fetch external files (refused by defusedxml)"
        )
    if isinstance(exc, EntitiesForbidden):
        return "an entity declaration is not allowed in a GENIUS file (refused by defusedxml)"
    if isinstance(exc, ExternalReferenceForbidden):
        return (
            "a reference to an external entity is not allowed in a GENIUS file (refused by "
            "defusedxml)"
        )
    return f"refused by defusedxml: {exc}"  # pragma: no cover - the three above are all


def read_xml(path: str | Path) -> Element:
    """Read and parse a GENIUS file (see :func:`parse_xml`), never more than the size limit.

    Raises
    ------
    GeniusXmlError
        For a missing or unreadable file, a directory, or any reason of :func:`parse_xml`.
    """
    name = str(path)
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise GeniusXmlError(name, "is a directory: expected a GENIUS XML file") from None
    except FileNotFoundError:
        raise GeniusXmlError(name, "no such file") from None
    except OSError as exc:
        raise GeniusXmlError(name, f"cannot read the file: {exc.strerror}") from None
    return parse_xml(raw, name)
