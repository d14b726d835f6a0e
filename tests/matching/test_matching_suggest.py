"""The category a request's own words point to (matching.suggest): the request form suggests it from what the person
typed, so the category no longer silently defaults to groceries."""

from __future__ import annotations

import pytest

from matching import suggest_category


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("boodschappen doen", "nl", "groceries"),
        ("Wie kan mijn boodschappen halen bij de supermarkt?", "nl", "groceries"),
        ("help with my groceries", "en", "groceries"),
        ("lamp ophangen", "nl", "odd_jobs"),
        ("hang a lamp in the living room", "en", "odd_jobs"),
        ("hulp met formulieren", "nl", "paperwork"),
        ("help with forms from the council", "en", "paperwork"),
        ("wandelen met de hond", "nl", "pets"),
        ("walk the dog", "en", "pets"),
        ("computer instellen", "nl", "digital"),
        ("set up my new computer", "en", "digital"),
        ("een maatje om mee te wandelen", "nl", "company"),
        ("mijn tuin is een wildernis", "nl", "garden"),
    ],
)
def test_the_words_typed_suggest_the_category(text: str, language: str, expected: str) -> None:
    assert suggest_category(text, language) == expected


@pytest.mark.parametrize("text", ["", "   ", "ik weet het niet", "something", "hallo", "x" * 5000])
def test_nothing_clear_suggests_nothing(text: str) -> None:
    assert suggest_category(text, "nl") is None


def test_a_ruled_out_need_is_not_suggested() -> None:
    assert suggest_category("geen boodschappen, wel koken", "nl") == "meals"
    assert suggest_category("geen boodschappen", "nl") is None


def test_a_typo_counts_in_a_language_the_vocabulary_knows_but_not_in_another() -> None:
    assert suggest_category("boodschapen doen", "nl") == "groceries"
    assert suggest_category("boodschapen", "so") is None  # Somali: no false friends from Dutch typos
    assert suggest_category("boodschappen", "so") == "groceries"  # an exact word still counts


def test_the_catch_all_is_never_a_suggestion() -> None:
    assert suggest_category("iets anders", "nl") != "other"
