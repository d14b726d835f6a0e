"""The initiative forms' choices speak the page's language (issue #15: they were translated once, at import)."""

from __future__ import annotations

import pytest

from tests.conftest import visible
from webapp.initiatives.labels import NEED_KIND_LABELS, STATUS_LABELS


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_status_choices_of_a_new_initiative_are_in_the_pages_language(make, login, tr, lang):
    organiser = make.user("organiser")
    page = visible(login(organiser.email, lang=lang).get("/initiatieven/nieuw"))
    for label in STATUS_LABELS.values():
        assert tr(lang, label._args[0]) in page


def test_dutch_and_english_pages_show_different_choice_labels(make, login):
    organiser = make.user("organiser")
    dutch = visible(login(organiser.email, lang="nl").get("/initiatieven/nieuw"))
    english = visible(login(organiser.email, lang="en").get("/initiatieven/nieuw"))
    assert "Idea: we are starting" in english and "Idea: we are starting" not in dutch
    assert NEED_KIND_LABELS  # the need form uses the same mechanism
