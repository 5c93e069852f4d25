"""One sign convention: 'short by' is positive; the proposer 'gains' rather than loses a negative."""

from zopa.render.analysis_view import _bridging_block, _verdict_cell
from zopa.render.document import Document, Table, to_markdown
from zopa.space.results import Bridging, Change, Concession, PackageVerdict, PartyVerdict


def _concession(loss, shortfall):
    return Concession(
        package={"a": "y"},
        changes=[Change("a", "x", "y")],
        utilities={"P": 0.6, "Q": 0.5},
        deltas={"P": -loss, "Q": 0.1},
        proposer_loss=loss,
        acceptable=shortfall == 0,
        shortfall=shortfall,
    )


def test_bridging_table_never_prints_a_negative_loss_or_shortfall():
    bridging = Bridging("prop", False, False, [_concession(-0.05, 0.02), _concession(0.1, 0.0)])
    doc = Document()
    _bridging_block(doc, bridging, ["P", "Q"])
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.columns == [
        "#",
        "changes",
        "short by",
        "for the proposer",
        "utility change per party",
    ]
    assert [row[2] for row in table.rows] == ["0.020", "-"]
    assert [row[3] for row in table.rows] == ["gains 0.050", "loses 0.100"]
    assert "proposer loses" not in to_markdown(doc)


def test_a_rejecting_party_is_short_by_a_positive_amount():
    verdict = PackageVerdict(
        package={"a": "x"},
        parties=[PartyVerdict("P", 0.257, 0.45, True, False, 0.193)],
        bridges=False,
        rejecting=["P"],
        gaps={"P": []},
    )
    assert _verdict_cell(verdict, "P") == "0.257 ✗\nby 0.193"


def test_json_shortfalls_are_positive_like_the_tables():
    """'short by' reads the same in JSON: every shortfall is ≥ 0 (0 when accepted)."""
    from zopa.catalog import load
    from zopa.space.analysis import analyze

    data = analyze(load()).to_dict()
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "shortfall":
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    assert found
    assert all(x >= 0 for x in found)
    assert any(x > 0 for x in found)
