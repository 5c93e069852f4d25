"""Documents print their text as written: citations in brackets are not console markup."""

import io

from rich.console import Console

from zopa.render.document import Document, Table, to_console


def test_bracketed_citations_survive_in_table_cells_and_paragraphs():
    doc = Document()
    doc.para("A paragraph citing [src-a].")
    table = Table(["basis [col]"])
    table.rows.append(["Assumption citing [src-b] and [bold]not bold[/bold]"])
    doc.table(table)
    out = io.StringIO()
    to_console(doc, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "[src-a]" in text
    assert "[src-b]" in text
    assert "[bold]not bold[/bold]" in text
    assert "[col]" in text
