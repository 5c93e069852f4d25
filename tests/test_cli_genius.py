"""``zopa import genius`` and ``zopa export genius``, and GENIUS folders given to other commands.

Exit codes: 0 ok, 2 bad input (a located message, never a traceback).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke
from tests.io.genius_files import FRUIT, PRICE, domain, profile, two_party_folder

from zopa.io.scenario_file import load_scenario_file, parse_scenario


def test_import_a_folder_to_stdout(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = invoke("import", "genius", str(folder))
    assert result.exit_code == 0, result.stderr
    s = parse_scenario(result.stdout, "out")
    assert s.id == "shop"
    assert "imported 'shop': 2 parties, 2 issues, 15 packages" in result.stderr


def test_import_files_to_a_file_with_names(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    out = tmp_path / "shop.yaml"
    result = invoke(
        "import",
        "genius",
        str(folder / "shop-domain.xml"),
        str(folder / "seller.xml"),
        str(folder / "buyer.xml"),
        "--names",
        "Seller,Buyer",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    s = load_scenario_file(out)
    assert list(s.parties) == ["Seller", "Buyer"]
    assert invoke("validate", str(out)).exit_code == 0


def test_import_real_steps_is_reported(tmp_path: Path) -> None:
    speed = type(FRUIT)("Speed", kind="real", lower="0", upper="10")
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "d.xml").write_text(domain([FRUIT, speed]))
    (folder / "p.xml").write_text(
        profile(
            [FRUIT, speed],
            ["0.5", "0.5"],
            [["1", "2", "3"], ("linear", {"parameter0": "0", "parameter1": "0.1"})],
        )
    )
    result = invoke("import", "genius", str(folder), "--real-steps", "5")
    assert result.exit_code == 0, result.stderr
    assert (
        "note: issue 'Speed': GENIUS real issue discretised into 6 points from 0 to 10"
        in result.stderr
    )
    assert "18 packages" in result.stderr


def test_import_refusals_are_located_and_exit_2(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    seller = folder / "seller.xml"
    seller.write_text(seller.read_text().replace('value="0.75"', 'value="0.95"'))
    result = invoke("import", "genius", str(folder))
    assert result.exit_code == 2
    assert f"{seller}:" in result.stderr
    assert "the weights sum to 1.2, above 1" in result.stderr
    assert "1 problem found." in result.stderr
    scaled = invoke("import", "genius", str(folder), "--scale-weights")
    assert scaled.exit_code == 0, scaled.stderr
    assert "--scale-weights" in scaled.stderr


def test_hostile_file_exits_2_with_its_line(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    (folder / "buyer.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        "<utility_space>&b;</utility_space>\n"
    )
    result = invoke("import", "genius", str(folder))
    assert result.exit_code == 2
    assert f"{folder / 'buyer.xml'}:2:" in result.stderr
    assert "document type declaration" in result.stderr


def test_import_usage_errors(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = invoke("import", "genius", str(folder / "shop-domain.xml"))
    assert result.exit_code == 2
    assert "give the domain file and at least one utility file" in result.stderr
    result = invoke("import", "genius", str(folder), "--names", "a,b,c")
    assert result.exit_code == 2
    assert "--names: 3 names for 2 utility files" in result.stderr
    result = invoke("import", "genius", str(folder), "--names", "a,")
    assert result.exit_code == 2
    result = invoke("import", "genius", str(folder / "buyer.xml"), str(folder / "shop-domain.xml"))
    assert result.exit_code == 2
    assert "give the domain file first" in result.stderr
    result = invoke("import", "genius", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
    result = invoke("import", "genius", str(folder), "--real-steps", "0")
    assert result.exit_code == 2


def test_analysis_commands_take_a_genius_folder(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = invoke("analyze", str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"]["id"] == "shop"
    assert data["zopa"]["total"] == 15
    assert data["solutions"]["nash"] is not None
    table = invoke("analyze", str(folder))
    assert table.exit_code == 0, table.stderr
    assert "No proposal is on the table." in table.stdout
    assert "imported from the files" in table.stdout
    assert invoke("validate", str(folder)).exit_code == 0
    shown = invoke("show", str(folder))
    assert "Preferences (imported, not analyst assumptions)" in shown.stdout
    bad = two_party_folder(tmp_path / "bad")
    (bad / "buyer.xml").write_text("<utility_space>\n<objective>")
    result = invoke("analyze", str(bad))
    assert result.exit_code == 2
    assert f"{bad / 'buyer.xml'}:2:" in result.stderr


def test_export_then_import(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    out = tmp_path / "out"
    result = invoke("export", "genius", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["buyer.xml", "seller.xml", "shop-domain.xml"]
    assert str(out / "buyer.xml") in result.stdout
    again = invoke("export", "genius", str(folder), "-o", str(out))
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert invoke("export", "genius", str(folder), "-o", str(out), "--force").exit_code == 0
    back = invoke("import", "genius", str(out))
    assert back.exit_code == 0, back.stderr


def test_export_refusals(tmp_path: Path, small_path: Path) -> None:
    result = invoke("export", "genius", str(small_path), "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "cannot export small to GENIUS:" in result.stderr
    assert "GENIUS has no consent rules" in result.stderr
    assert not (tmp_path / "x").exists()
    result = invoke("export", "genius", "chicken", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert invoke("export", "genius", str(small_path)).exit_code == 2  # no -o


def test_point_values_flag(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    s = invoke("import", "genius", str(folder)).stdout
    ranged = tmp_path / "ranged.yaml"
    ranged.write_text(s.replace("reservation: 0.3", "reservation: {low: 0.2, high: 0.4}"))
    result = invoke("export", "genius", str(ranged), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "--point-values" in result.stderr
    result = invoke("export", "genius", str(ranged), "-o", str(tmp_path / "out"), "--point-values")
    assert result.exit_code == 0, result.stderr
    assert "note: uncertain numbers exported as their point values" in " ".join(
        result.stderr.split()
    )
    written = (tmp_path / "out" / "buyer.xml").read_text()
    value = written.split('<reservation value="')[1].split('"')[0]
    assert float(value) == (0.2 + 0.4) / 2  # the point value zopa's analyses use


def test_files_for_integer_issues_in_the_folder_layout(tmp_path: Path) -> None:
    # an ANAC folder may hold pareto.xml (not XML) next to the files
    folder = two_party_folder(tmp_path / "shop")
    (folder / "pareto.xml").write_text("<pareto><bid")
    result = invoke("import", "genius", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "Price" in parse_scenario(result.stdout, "x").issues
    assert PRICE.name == "Price"


def test_robust_on_a_domain_without_proposals_says_what_it_needs(tmp_path: Path) -> None:
    folder = two_party_folder(tmp_path / "shop")
    result = invoke("robust", str(folder), "--samples", "5", "--workers", "1")
    assert result.exit_code == 2
    assert "scenario 'shop' has no proposals to test" in result.stderr
    assert "zopa analyze" in result.stderr
    assert "--engine" not in result.stderr
