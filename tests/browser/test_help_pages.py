"""The accessibility statement, the offline page and the service worker, as the app serves them (no browser needed).

The statement follows the form Dutch public-sector sites publish: status, what was tested and how, known
limitations, how to give feedback (and where to complain), and the date."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.conftest import visible

STATEMENT_PARTS = {
    "nl": ["Toegankelijkheids", "Status: C", "Wat hebben we getest, en hoe?", "axe-core", "toetsenbord",
           "zonder <span lang=\"en\">JavaScript</span>", "360 bij 740", "Wat werkt nog niet goed?",
           "Laat het ons weten", "mailto:", "Binnen 5 werkdagen", "Nationale ombudsman", "22 november 2026"],
    "en": ["Accessibility statement", "Status: C", "What did we test, and how?", "axe-core", "keyboard",
           "without JavaScript", "360 by 740", "What does not work well yet?", "Let us know", "mailto:",
           "within 5 working days", "Nationale ombudsman", "22 November 2026"],
}


def test_the_accessibility_statement_in_dutch_and_english(anon: Callable[[str], FlaskClient]) -> None:
    for lang, parts in STATEMENT_PARTS.items():
        response = anon(lang).get("/toegankelijkheid")
        assert response.status_code == 200
        page = visible(response)
        assert f'<html lang="{lang}">' in page
        missing = [part for part in parts if part not in page]
        assert not missing, f"the {lang} statement lacks {missing}"
        assert '<time datetime="2026-11-22">' in page


def test_every_page_links_to_the_statement(anon: Callable[[str], FlaskClient]) -> None:
    for path in ("/", "/vragen/", "/inloggen", "/registreren", "/bestaat-niet"):
        assert 'href="/toegankelijkheid"' in visible(anon("nl").get(path)), path


def test_the_offline_page_has_both_languages_and_nothing_personal(anon: Callable[[str], FlaskClient]) -> None:
    page = visible(anon("nl").get("/offline"))
    assert '<html lang="nl">' in page and 'lang="en"' in page
    assert page.index("Geen internet") < page.index("No internet")
    assert "<form" not in page and "csrf" not in page
    page = visible(anon("en").get("/offline"))
    assert '<html lang="en">' in page and page.index("No internet") < page.index("Geen internet")


def test_the_service_worker_is_served_from_the_root(anon: Callable[[str], FlaskClient]) -> None:
    response = anon("nl").get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert '"/offline"' in body and 'request.method !== "GET"' in body  # forms always go to the network
    response.close()
