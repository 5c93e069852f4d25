"""Plurals and signed amounts read the same in every report."""

from hypothesis import given
from hypothesis import strategies as st

from zopa.render.words import gain_or_loss, plural


def test_plural():
    assert plural(1, "sample") == "1 sample"
    assert plural(0, "sample") == "0 samples"
    assert plural(2, "day") == "2 days"
    assert plural(1_000, "package") == "1,000 packages"
    assert plural(1, "party") == "1 party"
    assert plural(3, "party") == "3 parties"
    assert plural(2, "analysis") == "2 analyses"
    assert plural(2, "criterion", "criteria") == "2 criteria"
    assert plural(1.5, "round") == "1.5 rounds"


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_a_change_of_utility_never_prints_a_negative_number(change):
    text = gain_or_loss(change)
    assert "-" not in text
    assert text.startswith(("gains ", "loses "))
    if abs(change) >= 0.0005:
        assert text.startswith("gains" if change > 0 else "loses")


def test_gain_or_loss_wording():
    assert gain_or_loss(-0.263) == "loses 0.263"
    assert gain_or_loss(0.05) == "gains 0.050"
    assert gain_or_loss(0.0) == "loses nothing"
    assert gain_or_loss(0.1, subject="UA") == "UA gains 0.100"
