"""``zopa show`` lists every assumption a reviewer must check, with its range and basis."""

import pytest

from zopa.catalog import load
from zopa.model.numbers import Uncertain
from zopa.render.document import Table, to_markdown
from zopa.render.scenario_view import number, scenario_document


@pytest.fixture(scope="module")
def berlin():
    s = load()
    doc = scenario_document(s)
    return s, doc, to_markdown(doc)


def _table(doc, title):
    return next(b for b in doc.blocks if isinstance(b, Table) and b.title == title)


def test_uncertain_numbers_show_their_range():
    assert number(0.4) == "0.4"
    assert number(Uncertain(0.3, 0.5, 0.4)) == "0.4 (0.3 to 0.5)"
    assert number(Uncertain(0.3, 0.5)) == "0.3 to 0.5"
    assert number(Uncertain(-0.005, 0.0, -0.002), signed=True) == "-0.002 (-0.005 to 0)"


def test_weights_and_walk_away_points_with_their_ranges(berlin):
    s, doc, _ = berlin
    weights = _table(doc, "Weights")
    assert weights.columns == ["issue", *s.preferences]
    assert [row[0] for row in weights.rows] == [*s.issues, "walk-away point"]
    walk = weights.rows[-1]
    for party, cell in zip(s.preferences, walk[1:], strict=True):
        assert cell == number(s.preferences[party].reservation)
    assert walk[1] == "0.45 (0.35 to 0.55)"  # UA: {mode: 0.45, low: 0.35, high: 0.55}
    nato = weights.rows[0]
    assert nato[1] == "0.1 (0.05 to 0.15)"


def test_every_option_value_is_listed(berlin):
    s, doc, _ = berlin
    values = _table(doc, "Values of the options (0 to 1)")
    options = [row[1] for row in values.rows]
    for issue in s.issues.values():
        if issue.options:
            assert set(issue.options) <= set(options)
    set_aside = next(row for row in values.rows if row[1] == "set-aside")
    assert set_aside[2] == "0.6 (0.45 to 0.7)"  # UA's value, with its range
    army = next(row for row in values.rows if row[0] == "army-cap")
    assert "600 → 0.35 (0.25 to 0.45)" in army[2]  # UA's piecewise function


def test_bases_forecast_dynamics_and_strategic_preferences(berlin):
    s, _, md = berlin
    for party, prefs in s.preferences.items():
        texts = [prefs.basis] if isinstance(prefs.basis, str) else list(prefs.basis.values())
        for text in texts:
            assert f"{text}" in md, party
    assert s.forecast is not None
    for spec in s.forecast.values():
        for actor in spec.actors.values():
            assert actor.basis in md
    assert "Forecast inputs" in md
    assert "15 (10 to 20)" in md  # UA's capability on army-cap
    assert "Dynamics" in md
    assert "Drift of walk-away points per round" in md
    assert s.dynamics is not None
    for drift in s.dynamics.drift.values():
        assert drift.basis in md
    for shift in s.dynamics.shifts:
        assert shift.basis in md
    assert s.dynamics.basis is not None
    assert s.dynamics.basis in md
    # preferences as numbered rankings or prioritizations, never a Python dict
    assert "{'" not in md
    assert "prioritization:<br>1. -withdraw" in md
    assert "freeze-for-neutrality" in md  # an alternative, with its probability
    assert "| RU | freeze-for-neutrality | 30% |" in md


def test_proposals_have_the_issues_as_rows(berlin):
    s, doc, _ = berlin
    terms = _table(doc, "Terms of each proposal")
    assert terms.columns == ["issue", *s.proposals]
    assert [row[0] for row in terms.rows] == list(s.issues)


def test_a_ranking_with_ties_reads_as_a_ranking():
    md = to_markdown(scenario_document(load("chicken")))
    assert "ranking:<br>1. NY<br>2. YY<br>3. YN<br>4. NN" in md
    assert "prioritization:<br>1. s1<br>2. s2 iff -s1" in md
    assert "{'" not in md


def test_tied_states_share_a_rank():
    from zopa.model.strategic import StrategicPreference
    from zopa.render.scenario_view import _order

    order = StrategicPreference(ranking=["NY", ["YY", "NN"], "YN"], basis="b")
    assert _order(order) == "ranking:\n1. NY\n2. YY = NN\n3. YN"


def test_the_scenario_list_keeps_ids_whole_at_40_columns():
    import io

    from rich.console import Console

    from zopa.catalog import DEFAULT, embedded_ids
    from zopa.render.document import to_console
    from zopa.render.scenario_view import scenario_list_document

    rows = []
    for sid in embedded_ids():
        s = load(sid)
        rows.append(
            {
                "id": sid,
                "title": s.title,
                "as_of": s.as_of and str(s.as_of),
                "default": sid == DEFAULT,
            }
        )
    out = io.StringIO()
    to_console(scenario_list_document(rows), Console(file=out, width=40, color_system=None))
    words = out.getvalue().split()
    for sid in embedded_ids():
        assert sid in words
    assert "…" not in out.getvalue()


def test_reactions_are_listed_with_stance_quote_and_sources(berlin):
    s, doc, md = berlin
    assert "## Reactions" in md
    table = next(
        b
        for b in doc.blocks
        if isinstance(b, Table) and b.columns[:4] == ["date", "party", "proposal", "stance"]
    )
    assert table.columns == ["date", "party", "proposal", "stance", "quote", "source"]
    assert len(table.rows) == len(s.reactions)
    for row, r in zip(table.rows, s.reactions, strict=True):
        assert row[:3] == [str(r.date), r.party, r.proposal]
        assert row[4] == f'"{r.quote}"'
        assert row[5] == " ".join(f"[{sid}]" for sid in r.source)
    assert {row[3] for row in table.rows} <= {
        "accepts",
        "a basis for talks",
        "unacceptable as it stands",
        "rejects",
    }
    for r in s.reactions:  # each note justifying a mapping is shown
        if r.note:
            assert f"- {r.date}, {r.party} on {r.proposal}: {r.note}" in md


def test_no_reactions_section_without_reactions():
    md = to_markdown(scenario_document(load("elmira")))
    assert "Reactions" not in md
