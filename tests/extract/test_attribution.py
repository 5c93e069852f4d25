"""Who says it: attribution patterns and references back."""

from __future__ import annotations

import datetime as dt

import pytest

from zopa.extract.attribution import Resolver, attribute
from zopa.extract.dates import find_dates
from zopa.extract.gazetteer import load_gazetteer
from zopa.extract.intake import read_article
from zopa.extract.mentions import find_mentions
from zopa.extract.pipeline import extract_events

TODAY = dt.date(2025, 12, 14)


def speaker_and_content(text: str) -> tuple[str | None, str]:
    g = load_gazetteer()
    mentions = Resolver(g).resolve(find_mentions(text, g))
    att = attribute(text, mentions, find_dates(text, TODAY))
    name = att.speaker.entity.name if att.speaker and att.speaker.entity else None
    return name, text[att.content[0] : att.content[1]]


@pytest.mark.parametrize(
    ("text", "speaker", "content_starts"),
    [
        (
            "Kremlin spokesman Dmitry Peskov said on Monday that talks would resume.",
            "Dmitry Peskov",
            "talks would",
        ),
        ("Talks would resume, Peskov said.", "Dmitry Peskov", "Talks would"),
        (
            '"We are ready," said Kremlin spokesman Dmitry Peskov.',
            "Dmitry Peskov",
            '"We are ready,"',
        ),
        (
            "According to Russia’s Defense Ministry, its air defenses shot down 290 drones.",
            "Russian Defence Ministry",
            "its air",
        ),
        (
            "Its air defenses shot down 290 drones, according to Russia's Defence Ministry.",
            "Russian Defence Ministry",
            "Its air",
        ),
        (
            "Zelensky, who had hoped for missiles, said Ukraine was ready.",
            "Volodymyr Zelenskyy",
            "Ukraine was",
        ),
        (
            "Oleh Kiper, the governor of the Odesa region, said drones struck the port.",
            "Oleh Kiper",
            "drones struck",
        ),
        ("Netanyahu's office said Israel would decide.", "Benjamin Netanyahu", "Israel would"),
        (
            "A strike on the port set fire to a tank, regional officials said.",
            "regional officials",
            "A strike",
        ),
        (
            "A senior Hamas official, Khalil al-Hayya, said in Cairo the group would not disarm.",
            "Khalil al-Hayya",
            "the group",
        ),
        (
            "Erdogan offered on Friday to host talks, saying the war threatened shipping.",
            "Recep Tayyip Erdogan",
            "Erdogan offered",
        ),
        (
            "Zelenskyy thanked Trump for his leadership and said Ukraine was prepared to meet.",
            "Volodymyr Zelenskyy",
            "Zelenskyy thanked",
        ),
        (
            "A source in Ukraine's SBU security service told reporters drones struck.",
            "source",
            "drones struck",
        ),
    ],
)
def test_attribution_patterns(text: str, speaker: str, content_starts: str) -> None:
    name, content = speaker_and_content(text)
    assert name == speaker
    assert content.startswith(content_starts)


@pytest.mark.parametrize(
    "text",
    [
        "Negotiators met in Miami for what Kyiv described as constructive talks.",
        "Baku has demanded that Yerevan remove territorial claims from its constitution.",
        "Russian forces also struck depots, claiming control of the village of Varvarovka.",
        "These figures cannot be independently confirmed.",
    ],
)
def test_no_speaker(text: str) -> None:
    assert speaker_and_content(text)[0] is None


def events(text: str) -> list[dict[str, object]]:
    return extract_events(read_article(text, date=TODAY)).to_dict()["events"]


def test_pronouns_take_the_previous_speaker() -> None:
    found = events(
        "Rustem Umerov said the delegations would meet again in Geneva. He said Kyiv wanted a monitoring mechanism."
    )
    assert [e["claimed_by"] for e in found] == ["Rustem Umerov", "Rustem Umerov"]


def test_it_takes_the_institution_and_its_forces_its_side() -> None:
    (first, second) = events(
        "The Israeli military said its aircraft had struck targets near Rafah. It said it had resumed enforcing the ceasefire."
    )
    assert (first["actor"], first["claimed_by"]) == ("Israeli forces", "Israeli military")
    assert (second["kind"], second["claimed_by"]) == ("statement", "Israeli military")


def test_a_statement_whose_author_is_named_two_sentences_later() -> None:
    found = events(
        '"We will not accept any truce that leaves the militia in the cities it has looted." '
        '"The army will fight on." The words were posted late on Saturday by army chief Abdel Fattah al-Burhan\'s office.'
    )
    assert [(e["claimed_by"], e["date"]) for e in found] == [
        ("Abdel Fattah al-Burhan", "2025-12-13"),
        ("Abdel Fattah al-Burhan", "2025-12-13"),
    ]


def test_a_block_quotation_and_its_dash_attribution() -> None:
    found = events(
        '"Security guarantees for Kyiv must also be guarantees for Russia."\n— Yuri Ushakov, Kremlin aide'
    )
    assert [(e["claimed_by"], e["actor"]) for e in found] == [("Yuri Ushakov", "Yuri Ushakov")]


def test_a_quotation_continuing_the_previous_speaker() -> None:
    found = events(
        '"Among the wounded are three children," regional governor Oleh Syniehubov said. '
        '"One of them is in serious condition."'
    )
    assert [e["claimed_by"] for e in found] == ["Oleh Syniehubov", "Oleh Syniehubov"]


def test_a_person_named_again_by_surname() -> None:
    found = events(
        "Regional governor Oleh Syniehubov said drones struck Kharkiv overnight. "
        "Two people were injured, Syniehubov said."
    )
    assert [e["claimed_by"] for e in found] == ["Oleh Syniehubov", "Oleh Syniehubov"]


def test_an_unnamed_title_takes_the_person_named_next() -> None:
    (claim,) = [
        e
        for e in events(
            "A drone attack on Odesa overnight killed three people, the regional governor said. "
            "Oleh Kiper, the governor of the Odesa region, said rescuers were at work."
        )
        if e["kind"] == "battlefield-claim"
    ]
    assert claim["claimed_by"] == "Oleh Kiper"
