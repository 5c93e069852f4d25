"""Sentences, and the lines that are not news."""

from __future__ import annotations

import pytest

from zopa.extract.sentences import line_kind, segment, split_sentences


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("SEE ALSO: Explainer: what is on the table", "see-also"),
        ("READ MORE: Tomahawks for Ukraine?", "see-also"),
        ("Related: What security guarantees could Ukraine get?", "see-also"),
        ("Photo: Firefighters at the site, January 5, 2026. REUTERS/Staff", "caption"),
        ("PHOTO: Palestinians inspect a house. (Photo by staff/Agency)", "caption"),
        (
            "Pictured: Smoke rises over Kharkiv after a missile strike, November 28, 2025.",
            "caption",
        ),
        ("[Photo: Emergency workers at a damaged power plant.]", "caption"),
        ("Caption: Displaced families arrive at a camp.", "caption"),
        ("Smoke rises over the city after the strike. REUTERS/Stringer", "caption"),
        ("(Reporting by Wire staff; editing by Desk)", "credit"),
        ("10:42 GMT", "timestamp"),
        ("09:15 CET", "timestamp"),
        ("Zelensky arrives in Paris for talks with Macron", "heading"),
        ("Kremlin: no date yet for Witkoff visit", "heading"),
    ],
)
def test_lines_that_are_not_news(line: str, reason: str) -> None:
    assert line_kind(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Russia's Defence Ministry said its forces took the village.",
        "— Yuri Ushakov, Kremlin foreign policy aide",  # a block quotation's attribution
        "Peskov told reporters that talks would resume in Istanbul next week, without giving a date",
    ],
)
def test_news_lines_are_kept(line: str) -> None:
    assert line_kind(line) is None


def test_sentences_end_at_punctuation_but_not_after_abbreviations() -> None:
    text = "Lt. Gen. Smith met U.S. envoys on Dec. 14 in Kyiv. The talks ended. Was it a deal? Yes!"
    assert split_sentences(text) == [
        "Lt. Gen. Smith met U.S. envoys on Dec. 14 in Kyiv.",
        "The talks ended.",
        "Was it a deal?",
        "Yes!",
    ]


def test_a_quotation_is_not_cut_and_a_sentence_after_it_is() -> None:
    text = '"We are ready. We will come," he said. "Never." The words were posted late on Saturday.'
    assert split_sentences(text) == [
        '"We are ready. We will come," he said.',
        '"Never."',
        "The words were posted late on Saturday.",
    ]
    assert split_sentences("“We are ready. Now,” he said. Then he left.") == [
        "“We are ready. Now,” he said.",
        "Then he left.",
    ]


def test_a_sentence_may_end_after_us() -> None:
    assert split_sentences("Kyiv sent a plan to the U.S. The reply came later.") == [
        "Kyiv sent a plan to the U.S.",
        "The reply came later.",
    ]


def test_segment_cuts_datelines_and_time_stamps_and_counts_paragraphs() -> None:
    body = (
        "KYIV, Dec 14 (Reuters) - Russia launched 90 drones overnight. Most were shot down.\n\n"
        "10:42 GMT\nMOSCOW, December 22. Russian troops took a village.\n"
        "SEE ALSO: something else\n\n"
        "12:30 GMT — Peskov said talks would resume."
    )
    sentences, aside = segment(body)
    assert [s.text for s in sentences] == [
        "Russia launched 90 drones overnight.",
        "Most were shot down.",
        "Russian troops took a village.",
        "Peskov said talks would resume.",
    ]
    assert [s.paragraph for s in sentences] == [0, 0, 1, 2]
    assert [a.reason for a in aside] == ["timestamp", "see-also"]


def test_an_agency_dateline_between_slashes_is_cut_not_taken_for_a_photo_credit() -> None:
    line = "MOSCOW, February 14. /TASS/. Units of the Battlegroup Center liberated Rodinskoye."
    assert line_kind(line) is None
    sentences, _aside = segment(line)
    assert [s.text for s in sentences] == ["Units of the Battlegroup Center liberated Rodinskoye."]
    assert line_kind("Smoke rises over Kyiv. Photo: TASS/Sergei Bobylev") == "caption"
