"""`{{ _() }}` in templates finds the page's catalogue once per request, not once per text (issue #21: Flask-Babel's
lookup per text was a seventh of drawing a logged-in page), and still follows `force_locale` (an e-mail drawn in
its recipient's language inside someone else's request) and the language switch."""

from __future__ import annotations

from typing import Any

import flask_babel
import pytest
from flask import render_template_string

from tests.conftest import html_lang
from webapp.core.i18n import in_language


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time Flask-Babel's domain finds a catalogue."""
    found: list[str] = []
    original = flask_babel.Domain.get_translations

    def counted(self: Any) -> Any:
        found.append(str(flask_babel.get_locale()))
        return original(self)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", counted)
    return found


def test_a_page_finds_its_catalogue_once_not_per_text(make: Any, login: Any, lookups: list[str]) -> None:
    resident = make.user("resident")
    for n in range(12):
        make.request(resident, title=f"Boodschappen doen {n}")
    client = login(make.user("volunteer").email)
    lookups.clear()
    page = client.get("/vragen/")
    assert page.status_code == 200 and page.get_data(as_text=True).count("Boodschappen doen") >= 12
    # The template's own texts: one lookup. What Python code translates (forms, flashes, labels) still goes through
    # Flask-Babel's gettext, once per text; there are a few of those.
    assert len(lookups) < 20, len(lookups)


def test_templates_follow_force_locale_inside_a_request_and_return_after(app: Any) -> None:
    template = "{{ _('Moderation') }}"
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert render_template_string(template) == "Controle"
        with in_language("en"):
            assert render_template_string(template) == "Moderation"
            with in_language("nl"):
                assert render_template_string(template) == "Controle"
            assert render_template_string(template) == "Moderation"
        assert render_template_string(template) == "Controle"
        flask_babel.refresh()
        assert render_template_string(template) == "Controle"


def test_the_language_switch_shows_the_next_page_in_the_new_language(anon: Any) -> None:
    client = anon("nl")
    assert html_lang(client.get("/")) == "nl"
    client.get("/taal/en?next=/")
    page = client.get("/")
    assert html_lang(page) == "en" and "Log in" in page.get_data(as_text=True)
