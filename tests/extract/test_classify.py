"""Kinds of event, claims split apart, and what is not an event."""

from __future__ import annotations

import datetime as dt

import pytest

from zopa.extract.classify import claim_units, diplomatic_trigger, predicates
from zopa.extract.intake import read_article
from zopa.extract.pipeline import extract_events

TODAY = dt.date(2025, 12, 14)


def kinds(text: str) -> list[str]:
    return [e["kind"] for e in extract_events(read_article(text, date=TODAY)).to_dict()["events"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russia's Defence Ministry said its forces captured the village of Novopavlovka.",
            ["battlefield-claim"],
        ),
        ("Kyiv submitted a revised peace proposal to Washington.", ["proposal"]),
        ("Peskov said Moscow would study the text.", ["statement"]),
        ("Witkoff will travel to Moscow next week to meet Putin.", ["diplomatic-event"]),
        ("Erdogan offered on Friday to host talks in Istanbul.", ["proposal"]),
        # an offer; "detailed talks" with no place, party or date is not a meeting
        ("Zelenskyy is ready to engage in detailed talks.", ["proposal"]),
        ("Hamas said it would not hand over its weapons unless a state was created.", ["proposal"]),
        (
            "Ahead of talks in Berlin, Zelenskyy acknowledged that membership was unlikely.",
            ["diplomatic-event", "statement"],
        ),
    ],
)
def test_kinds(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Diplomatic efforts continue even as the fighting rages on.",
        "Moscow saw no basis for a meeting between Putin and Zelenskyy.",  # negated
        "Any talks must take the realities into account.",  # talks in general
        "The claim could not be independently verified.",
        "All eyes are on whether Kyiv's offer can bridge the gap with Moscow's demands.",  # nouns, no verb
        "Russia could strike Kyiv if the talks fail.",  # a modal: not a claim
    ],
)
def test_not_events(text: str) -> None:
    assert kinds(text) == []


def test_joined_claims_of_different_kinds_are_split() -> None:
    text = "Russian forces struck depots at 142 locations, claiming control of the village of Varvarovka."
    units = claim_units(text, 0, len(text))
    assert [u.category for u in units] == ["strike", "territorial"]
    assert text[units[0].start : units[0].end].endswith("142 locations")
    assert "Varvarovka" in text[units[1].start : units[1].end]


def test_casualties_belong_to_the_strike_that_caused_them() -> None:
    text = "A Russian missile struck an apartment block on Sunday, killing five people."
    assert [u.category for u in claim_units(text, 0, len(text))] == ["strike"]
    text = "Russia attacked with 94 drones, of which 70 were shot down."
    assert [u.category for u in claim_units(text, 0, len(text))] == ["strike", "interception"]


def test_destroyed_drones_are_an_interception_when_air_defences_act() -> None:
    text = "Its air defences intercepted and destroyed 41 drones."
    assert {p[2] for p in predicates(text, 0, len(text))} == {"interception"}


def test_every_battlefield_claim_is_unverified() -> None:
    events = extract_events(
        read_article(
            "The army said its drones struck convoys near El Obeid. Two people were killed in Kharkiv, officials said.",
            date=TODAY,
        )
    ).events
    assert events
    assert all(e.verified is False for e in events if e.kind == "battlefield-claim")
    assert all(e.verified is None for e in events if e.kind != "battlefield-claim")


@pytest.mark.parametrize(
    "text",
    [
        "Erdogan told Putin by phone on Thursday that Turkey was ready to host talks.",
        "India and Pakistan's military officers spoke over a hotline on Monday.",
        "Ukraine and Russia exchanged 157 prisoners of war on Sunday.",
        "Russia and Ukraine carried out a prisoner exchange on Thursday.",
    ],
)
def test_calls_and_exchanges_are_diplomatic_events(text: str) -> None:
    assert diplomatic_trigger(text, [(0, len(text))]) is not None


def test_telling_reporters_by_phone_is_no_call() -> None:
    text = "The ombudsman told reporters by phone on Friday that Kyiv wanted an exchange."
    trigger = diplomatic_trigger(text, [(0, len(text))])
    assert trigger is None or "phone" not in text[trigger[0] : trigger[1]]


@pytest.mark.parametrize(
    "text",
    [
        "Each side released 250 prisoners under a deal struck at talks in Istanbul.",
        "Ukraine received the bodies of 1,000 soldiers killed in combat.",
    ],
)
def test_a_deal_struck_and_repatriated_dead_are_no_claims(text: str) -> None:
    assert predicates(text, 0, len(text)) == []
