"""The format's marks for imported data: ``preferences.<party>.imported`` and ``dynamics.discount``."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io.scenario_file import ScenarioError, parse_scenario
from zopa.model.scenario import Scenario


def with_lines(small_text: str, old: str, new: str) -> str:
    assert old in small_text
    return small_text.replace(old, new, 1)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    return [f"{p.field}: {p.message}" for p in info.value.problems]


def test_imported_names_known_sources(small_text: str) -> None:
    text = with_lines(
        small_text,
        '    basis: "Assumption: see [src1]."\n',
        '    basis: "Read from a file [src1]."\n    imported: src1\n',
    )
    s = parse_scenario(text, "s.yaml")
    assert s.preferences["UA"].imported == ["src1"]
    bad = with_lines(
        small_text,
        '    basis: "Assumption: see [src1]."\n',
        '    basis: "x"\n    imported: [nowhere]\n',
    )
    assert any("preferences.UA.imported: unknown source 'nowhere'" in p for p in problems(bad))


def test_discount_factors(small_text: str) -> None:
    base = small_text + "dynamics:\n  discount: {UA: 0.5, RU: 1}\n"
    s: Scenario = parse_scenario(base, "s.yaml")
    assert s.dynamics is not None
    assert s.dynamics.discount == {"UA": 0.5, "RU": 1.0}
    found = problems(small_text + "dynamics:\n  discount: {UA: 0, XX: 0.5}\n")
    assert any("dynamics.discount.UA" in p and "greater than 0" in p for p in found)
    found = problems(small_text + "dynamics:\n  discount: {XX: 0.5}\n")
    assert any("dynamics.discount.XX: unknown party 'XX'" in p for p in found)
    found = problems(small_text + "dynamics:\n  discount: {UA: 1.5}\n")
    assert any("less than or equal to 1" in p for p in found)


def test_show_says_imported_and_discounted(small_text: str, tmp_path: Path) -> None:
    from tests.conftest import invoke

    text = with_lines(
        small_text,
        '    basis: "Assumption: see [src1]."\n',
        '    basis: "Read from a file [src1]."\n    imported: src1\n',
    )
    for party in ("RU", "US"):
        text = text.replace(
            {"RU": '      general: "Assumption."\n', "US": '    basis: "Assumption."\n'}[party],
            {
                "RU": '      general: "Read [src2]."\n    imported: src2\n',
                "US": '    basis: "Read [src2]."\n    imported: src2\n',
            }[party],
            1,
        )
    path = tmp_path / "s.yaml"
    path.write_text(text + "dynamics:\n  discount: {UA: 0.5}\n", encoding="utf-8")
    out = invoke("show", str(path)).stdout
    assert "Preferences (imported, not analyst assumptions)" in out
    assert "UA: imported from [src1]" in out
    assert "Discount factors (GENIUS): UA 0.5" in out
