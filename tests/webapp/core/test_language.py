"""Dutch by default; English, Turkish, Arabic, Polish and Ukrainian on request: the browser's Accept-Language,
the header's language menu (/taal/<code>), the profile's language; the switcher never redirects to another site.
Arabic pages are right to left; English dates are British with a 24-hour clock; mail speaks the recipient's
language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel import Locale
from babel.dates import format_date

from tests.conftest import EVIL_TARGETS, html_lang, stays_on_site, visible
from tests.webapp.mail_helpers import smtp  # noqa: F401
from webapp.accounts.models import User
from webapp.core.languages import CODES, TABLE, formatting_locale

LANGS = list(CODES)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "nl"), ("nl", "nl"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("de", "nl"),
    ("fr-FR, en;q=0.5", "en"), ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"), ("*", "nl"), ("garbage;;q=x", "nl"),
    ("tr-TR,tr;q=0.9", "tr"), ("ar-MA", "ar"), ("pl", "pl"), ("uk-UA,uk;q=0.9,ru;q=0.8", "uk"), ("ru, pl;q=0.5", "pl"),
])
def test_language_follows_the_browser_and_defaults_to_dutch(app, accept, expected):
    client = app.test_client()
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert html_lang(response) == expected


def test_switcher_sets_the_language_for_the_rest_of_the_visit(anon):
    client = anon("nl")
    page = client.get("/")
    assert html_lang(page) == "nl"
    assert 'href="/taal/en?next=/"' in page.get_data(as_text=True)

    response = client.get("/taal/en?next=/vragen/")
    assert response.status_code == 302 and response.headers["Location"] == "/vragen/"
    page = client.get("/vragen/")
    assert html_lang(page) == "en"
    assert 'href="/taal/nl?next=/vragen/"' in page.get_data(as_text=True)

    client.get("/taal/nl")
    assert html_lang(client.get("/")) == "nl"


def test_unknown_language_code_changes_nothing(anon):
    client = anon("nl")
    response = client.get("/taal/xx?next=/vragen/")
    assert response.status_code == 302
    assert html_lang(client.get("/")) == "nl"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_switcher_never_redirects_to_another_site(anon, target):
    response = anon("nl").get("/taal/en", query_string={"next": target})
    assert response.status_code == 302
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_switcher_with_an_absolute_url_goes_home(anon):
    response = anon("nl").get("/taal/en?next=https://evil.example")
    assert response.headers["Location"] == "/"


def test_switcher_keeps_a_local_path_with_its_query(anon):
    response = anon("nl").get("/taal/en", query_string={"next": "/vragen/?category=garden&page=2"})
    assert response.headers["Location"] == "/vragen/?category=garden&page=2"


def test_switching_language_is_remembered_on_the_account(app, make, login):
    person = make.user("resident", locale="nl")
    login(person.email, lang="en")
    assert make.fetch(User, person.id, "locale").locale == "en"
    fresh = app.test_client()  # another device, no Accept-Language
    fresh.post("/inloggen", data={"email": person.email, "password": "correct horse battery"})
    assert html_lang(fresh.get("/mijn")) == "en"


def test_the_switch_beats_the_browser_and_the_profile(make, login):
    person = make.user("resident", locale="en")
    client = login(person.email)
    assert html_lang(client.get("/mijn", headers={"Accept-Language": "en"})) == "en"
    client.get("/taal/nl")
    assert html_lang(client.get("/mijn", headers={"Accept-Language": "en"})) == "nl"


ANONYMOUS_PAGES = ["/", "/vragen/", "/aanbod/", "/registreren", "/inloggen"]
MEMBER_PAGES = ["/mijn", "/mijn/account", "/mijn/vrijwilligersprofiel", "/vragen/nieuw", "/aanbod/nieuw",
                "/berichten/"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_says_its_language_and_direction(anon, lang):
    page = anon(lang).get("/").get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page


def test_the_header_menu_offers_every_language_in_its_own_name(anon):
    page = anon("ar").get("/vragen/").get_data(as_text=True)
    for language in TABLE:
        link = (f'<a href="/taal/{language.code}?next=/vragen/" lang="{language.code}" hreflang="{language.code}" '
                f'dir="{language.direction}"')
        assert link in page, language.code
        assert f">{language.name}</a>" in page
    assert 'lang="ar" hreflang="ar" dir="rtl" aria-current="true">العربية</a>' in page


@pytest.mark.parametrize("lang", ["tr", "ar", "pl", "uk"])
def test_the_menu_choice_is_saved_on_the_account_and_used_on_another_device(app, make, login, lang):
    person = make.user("resident", locale="nl")
    login(person.email, lang=lang)
    assert make.fetch(User, person.id, "locale").locale == lang
    fresh = app.test_client()
    fresh.post("/inloggen", data={"email": person.email, "password": "correct horse battery"})
    assert html_lang(fresh.get("/mijn")) == lang


@pytest.mark.parametrize("lang", ["tr", "ar", "pl", "uk"])
def test_mail_speaks_the_language_saved_on_the_account(make, anon, smtp, tr, lang):  # noqa: F811
    person = make.user(locale=lang)
    anon("nl").post("/wachtwoord-vergeten", data={"email": person.email})
    (message,) = smtp.to(person.email)
    assert message["Subject"] == tr(lang, "Samen: choose a new password")
    assert message["Content-Language"] == lang
    rich = message.get_body(("html",)).get_content()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in rich


def test_english_dates_are_british_with_a_24_hour_clock(make, anon):
    on_date = date.today() + timedelta(days=2)
    help_request = make.request(make.user("resident"), on_date=on_date)
    page = visible(anon("en").get(f"/vragen/{help_request.public_id}"))
    assert format_date(on_date, "medium", locale="en_GB") in page  # 9 Dec 2026
    assert format_date(on_date, "medium", locale="en_US") not in page  # not Dec 9, 2026


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_in_every_language(make, login, anon, lang):
    owner = make.user("resident", locale=lang)
    volunteer = make.user("volunteer", locale=lang)
    help_request = make.request(owner, on_date=date.today() + timedelta(days=2), slots=["wed-morning"])
    make.respond(help_request, volunteer)
    offer = make.offer(volunteer)
    for url in (*ANONYMOUS_PAGES, f"/vragen/{help_request.public_id}", f"/aanbod/{offer.public_id}"):
        response = anon(lang).get(url)
        assert response.status_code == 200 and html_lang(response) == lang, url
    for person in (owner, volunteer):
        client = login(person.email)
        urls = [*MEMBER_PAGES, f"/vragen/{help_request.public_id}"]
        if person is owner:
            urls.append(f"/vragen/{help_request.public_id}/bewerken")
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and html_lang(response) == lang, url


@pytest.mark.parametrize("lang", LANGS)
def test_categories_days_and_dates_are_shown_in_the_page_language(make, anon, lang):
    on_date = date.today() + timedelta(days=2)
    owner = make.user("resident")
    help_request = make.request(owner, on_date=on_date, slots=["wed-morning"], category_key="garden")
    page = visible(anon(lang).get(f"/vragen/{help_request.public_id}"))
    category = {"nl": "Tuin", "en": "Garden", "tr": "Bahçe", "ar": "الحديقة", "pl": "Ogród", "uk": "Сад"}[lang]
    weekday = Locale.parse(formatting_locale(lang)).days["format"]["wide"][2]  # CLDR's Wednesday
    assert category in page
    assert weekday in page
    assert format_date(on_date, "medium", locale=formatting_locale(lang)) in page
    for other in LANGS:
        other_weekday = Locale.parse(other).days["format"]["wide"][2]
        if other != lang and other_weekday.lower() != weekday.lower():
            assert other_weekday not in page, other


def test_english_pages_use_the_english_source_strings(anon):
    page = visible(anon("en").get("/"))
    assert "Neighbours helping neighbours in Haarlem" in page
    assert "Nederlands" in page  # the switcher offers the other language


def test_a_regional_dutch_browser_gets_dutch_before_english(client):
    page = client.get("/", headers={"Accept-Language": "nl-BE, en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page


def test_an_unsupported_browser_language_falls_back_to_dutch(client):
    page = client.get("/", headers={"Accept-Language": "de-DE, fr;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page


def test_english_variants_get_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_english_pages_write_dates_and_times_the_british_way(make, login):
    """English pages are for people in the Netherlands: day before month, a 24-hour clock (en_GB), never "Mar 17"
    or "4:30 PM"; the translations stay the English ones."""
    owner = make.user("resident", locale="en")
    on_date = date(date.today().year + 1, 3, 17)
    help_request = make.request(owner, on_date=on_date)
    volunteer = make.user("volunteer")
    make.respond(help_request, volunteer)  # the owner gets a message with its time
    make.run(_set_message_time, owner.id)
    client = login(owner.email, lang="en")
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert "17 Mar" in page and "Mar 17" not in page
    messages = visible(client.get("/berichten/"))
    assert "15:45" in messages and "PM" not in messages
    assert "A neighbour responded to your request" in messages  # still the English texts


def _set_message_time(user_id):
    from datetime import datetime

    from webapp.core.extensions import db
    from webapp.notifications.models import Notification

    for row in db.session.query(Notification).filter_by(user_id=user_id):
        row.created_at = datetime(2026, 7, 1, 13, 45)  # UTC; 15:45 in Amsterdam (summer time)
    db.session.commit()


@pytest.mark.parametrize("lang", ["nl", "tr", "ar"])
def test_choices_of_forms_are_translated_when_shown_not_when_imported(make, login, tr, lang):
    """Labels of radio buttons built once at import time stayed English on every page (found by the browser crawl
    of every page in every language)."""
    page = visible(login(make.user("organiser").email, lang=lang).get("/initiatieven/nieuw"))
    assert tr(lang, "Idea: we are starting") in page
    assert "Idea: we are starting" not in page
