"""The accessibility statement, the offline page and the service worker, as the app serves them (no browser needed).

The statement follows the form Dutch public-sector sites publish: status, what was tested and how, known
limitations, how to give feedback (and where to complain), and the date."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date, format_decimal

from tests.conftest import html_lang, visible
from webapp.core.languages import TABLE, formatting_locale
from webapp.help_pages import figures

LANGS = [language.code for language in TABLE]
FIGURES = {"checked_on": "2026-12-07", "languages": LANGS, "roles": ["anonymous", "resident"], "pages": 61,
           "page_loads": 1234, "axe_runs": 1234, "axe_violations": 0, "reflow_failures": 0,
           "contrast_texts_checked": 5000, "contrast_failures": 0, "foreign_strings": 0, "viewport": "360x740"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_accessibility_statement_shows_the_last_runs_figures_in_every_language(app, anon, tr, lang, tmp_path,
                                                                                   monkeypatch):
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({**FIGURES, "code": figures.current_fingerprint()}), "utf-8")
    monkeypatch.setattr(figures, "FIGURES_PATH", path)
    response = anon(lang).get("/toegankelijkheid")
    page = visible(response)
    assert response.status_code == 200 and html_lang(response) == lang
    assert f"<h1>{tr(lang, 'Accessibility statement')}</h1>" in page
    with app.test_request_context("/"), force_locale(formatting_locale(lang)):
        loads, pages = format_decimal(1234), format_decimal(61)
        checked_on = format_date(date(2026, 12, 7), "long")
    assert f"<dd>{loads}</dd>" in page and f"<dd>{pages}</dd>" in page
    assert f'<time datetime="2026-12-07">{checked_on}</time>' in page
    assert 'lang="ar" dir="rtl">العربية</span>' in page  # every language in its own name
    assert tr(lang, "Samen has changed since this check. The figures are updated at the next test run.") not in page
    assert 'href="mailto:' in page


def test_the_statement_says_so_when_samen_changed_after_the_check(anon, tr, tmp_path, monkeypatch):
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({**FIGURES, "code": "an older version"}), "utf-8")
    monkeypatch.setattr(figures, "FIGURES_PATH", path)
    page = visible(anon("nl").get("/toegankelijkheid"))
    assert tr("nl", "Samen has changed since this check. The figures are updated at the next test run.") in page


def test_the_statement_without_figures_claims_nothing(anon, tr, tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "FIGURES_PATH", tmp_path / "missing.json")
    page = visible(anon("en").get("/toegankelijkheid"))
    assert tr("en", "The automatic check has not run on this version of Samen yet.") in page
    assert "<dl" not in page.split("<main", 1)[1]


def test_the_committed_figures_come_from_a_full_run_without_problems():
    found = figures.load()
    assert found is not None, "run tests/browser/test_every_page.py: it writes " + str(figures.FIGURES_PATH)
    assert found["languages"] == LANGS
    assert found["axe_violations"] == found["reflow_failures"] == found["contrast_failures"] == 0
    assert found["foreign_strings"] == 0 and found["page_loads"] >= found["pages"] * len(LANGS)


def test_every_page_links_to_the_statement(anon: Callable[[str], FlaskClient]) -> None:
    for path in ("/", "/vragen/", "/inloggen", "/registreren", "/bestaat-niet"):
        assert 'href="/toegankelijkheid"' in visible(anon("nl").get(path)), path


def test_the_offline_page_has_both_languages_and_nothing_personal(anon: Callable[[str], FlaskClient]) -> None:
    page = visible(anon("nl").get("/offline"))
    assert '<html lang="nl" dir="ltr">' in page and 'lang="en"' in page
    assert page.index("Geen internet") < page.index("No internet")
    assert "<form" not in page and "csrf" not in page
    page = visible(anon("en").get("/offline"))
    assert '<html lang="en" dir="ltr">' in page and page.index("No internet") < page.index("Geen internet")


def test_the_service_worker_is_served_from_the_root(anon: Callable[[str], FlaskClient]) -> None:
    response = anon("nl").get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert '"/offline"' in body and 'request.method !== "GET"' in body  # forms always go to the network
    response.close()
