from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching import load_taxonomy
from matching.vocabulary import load_vocabulary


def test_taxonomy_matches_reference_copy() -> None:
    tax = load_taxonomy()
    raw = json.loads((Path(__file__).resolve().parents[2] / "matching/data/taxonomy.json").read_text("utf-8"))
    assert [c.key for c in tax.categories] == [c["key"] for c in raw["categories"]]
    assert len(tax.goals) == 7
    assert tax.category("groceries").nl == "Boodschappen"
    assert tax.category("transport").goals == (3, 5)
    assert tax.goal(4).en.startswith("Residents have a stable financial")
    with pytest.raises(KeyError):
        tax.category("sailing")


def test_every_vocabulary_category_exists_and_every_category_has_words() -> None:
    vocab = load_vocabulary()
    keys = set(load_taxonomy().category_keys)
    assert {c.category for c in vocab.concepts} <= keys
    assert keys - {c.category for c in vocab.concepts} == set()
