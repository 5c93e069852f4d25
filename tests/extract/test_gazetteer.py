"""The shipped gazetteer, its matcher and its extension by a scenario's parties."""

from __future__ import annotations

import pytest

from zopa.extract.gazetteer import expand, load_gazetteer, tokens
from zopa.extract.mentions import find_mentions


def names(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], entity.name) for s, e, entity, _ in load_gazetteer().find(text)]


def test_brace_alternatives_expand() -> None:
    assert expand("{Russia's|Russian} {Defence|Defense} Ministry") == [
        "Russia's Defence Ministry",
        "Russia's Defense Ministry",
        "Russian Defence Ministry",
        "Russian Defense Ministry",
    ]


def test_tokens_read_curly_apostrophes_as_straight_ones() -> None:
    assert [t[2] for t in tokens("Russia’s U.S.-led")] == ["Russia", "'s", "U.S", ".", "-", "led"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Kiev", "Kyiv"),
        ("Kharkov", "Kharkiv"),
        ("Odessa", "Odesa"),
        ("Zaporozhye", "Zaporizhzhia"),
        ("Donbass", "Donbas"),
        ("Lugansk", "Luhansk"),
        ("Dnepropetrovsk", "Dnipro"),
        ("Artemovsk", "Bakhmut"),
        ("El-Fasher", "El Fasher"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("Zelenskiy", "Volodymyr Zelenskyy"),
        ("Erdoğan", "Recep Tayyip Erdogan"),
        ("von der Leyen", "Ursula von der Leyen"),
        ("Russia’s Defense Ministry", "Russian Defence Ministry"),
        ("Ukraine's General Staff", "Ukrainian General Staff"),
        ("Israel Defense Forces", "Israeli military"),
        ("Sudan's army", "Sudanese Armed Forces"),
        ("RSF", "Rapid Support Forces"),
    ],
)
def test_variant_spellings_have_one_canonical_name(written: str, canonical: str) -> None:
    assert names(f"News from {written} today.") == [(written, canonical)]


def test_longest_name_wins() -> None:
    assert names("Russia's Defence Ministry and Russia") == [
        ("Russia's Defence Ministry", "Russian Defence Ministry"),
        ("Russia", "Russia"),
    ]


def test_names_are_case_sensitive_words() -> None:
    assert names("a waltz, a tusk and trumpets in Kievan Rus") == []


def test_extended_with_a_scenario_party() -> None:
    g = load_gazetteer().extended(
        {"UNION": ["Dockworkers' Union", "the dockers"], "UA": ["Ukraine"]}
    )
    found = g.find("The Dockworkers' Union met Ukraine.")
    assert [(e.name, e.side) for _, _, e, _ in found] == [
        ("Dockworkers' Union", "scenario:UNION"),
        ("Ukraine", "UA"),
    ]
    assert load_gazetteer().find("The Dockworkers' Union met.") == []  # the shipped one unchanged


def test_mentions_forces_unnamed_people_sources_and_places() -> None:
    g = load_gazetteer()
    text = (
        "Oleh Kiper, the governor of the Odesa region, said Russian troops and its drones hit "
        "the village of Varvarovka near Bint Jbeil, regional officials said."
    )
    found = [
        (m.kind, m.text, m.entity.name if m.entity else None, m.side)
        for m in find_mentions(text, g)
    ]
    assert ("person", "Oleh Kiper", "Oleh Kiper", "UA") in found
    assert ("force", "Russian troops", "Russian forces", "RU") in found
    assert ("force", "its drones", None, None) in found  # its: resolved later
    assert ("place", "Varvarovka", "Varvarovka", None) in found
    assert ("place", "Bint Jbeil", "Bint Jbeil", None) in found
    assert ("source", "regional officials", "regional officials", None) in found


def test_a_titled_person_and_a_side_ministry() -> None:
    g = load_gazetteer()
    found = {
        m.text: m
        for m in find_mentions(
            "Qatar's minister of state Mohammed Al-Khulaifi and Oman's foreign ministry spoke.", g
        )
    }
    assert found["Mohammed Al-Khulaifi"].kind == "person"
    assert found["Oman's foreign ministry"].entity is not None
    assert found["Oman's foreign ministry"].entity.name == "Omani Foreign Ministry"
