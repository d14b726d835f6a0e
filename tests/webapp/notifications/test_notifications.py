"""The notification list and the unread count in the menu, in Dutch and English."""

from __future__ import annotations

import re

import pytest

from tests.conftest import html_lang, page_text, visible
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]
BADGE_RE = re.compile(r'<span class="badge"[^>]*>(\d+)')


def unread_badge(response) -> int:
    found = BADGE_RE.search(page_text(response))
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("lang", LANGS)
def test_new_responses_show_as_unread_count_and_in_the_list(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    help_request = make.request(resident, title="Kast in elkaar zetten")
    client = login(resident.email)
    assert unread_badge(client.get("/mijn")) == 0
    assert tr(lang, "No messages yet.") in visible(client.get("/berichten/"))

    make.respond(help_request, make.user("volunteer"))
    make.respond(help_request, make.user("volunteer"))
    assert unread_badge(client.get("/mijn")) == 2

    page = client.get("/berichten/")
    assert page.status_code == 200 and html_lang(page) == lang
    text = visible(page)
    message = tr(lang, "A neighbour responded to your request “%(title)s”.", title="Kast in elkaar zetten")
    assert text.count(message) == 2
    assert f'href="/vragen/{help_request.public_id}?bericht=' in page.get_data(as_text=True)
    assert text.count(tr(lang, "New")) >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_mark_all_read_clears_the_count_for_that_person_only(make, login, lang):
    resident = make.user("resident", locale=lang)
    volunteer = make.user("volunteer", locale=lang)
    other = make.user("volunteer")
    help_request = make.request(resident)
    make.respond(help_request, volunteer)
    make.respond(help_request, other)
    make.accept(help_request, make.response_ids(help_request)[0])  # volunteer: accepted, other: not chosen

    client = login(resident.email)
    assert unread_badge(client.get("/mijn")) == 2
    assert client.post("/berichten/gelezen").status_code == 302
    assert unread_badge(client.get("/mijn")) == 0
    assert make.count(Notification, Notification.user_id == resident.id, Notification.read_at.is_(None)) == 0
    assert make.count(Notification, Notification.user_id == resident.id) == 2  # read, not deleted

    assert unread_badge(login(volunteer.email).get("/mijn")) == 1
    assert unread_badge(login(other.email).get("/mijn")) == 1


def test_each_person_sees_only_their_own_notifications(make, login):
    resident = make.user("resident")
    other_resident = make.user("resident")
    help_request = make.request(resident, title="Geheime klus")
    make.respond(help_request, make.user("volunteer"))
    page = visible(login(other_resident.email).get("/berichten/"))
    assert "Geheime klus" not in page


def test_notification_kinds_are_rendered_as_sentences(make, login, tr):
    """Every kind the services create has its own sentence (no raw title fallback)."""
    resident = make.user("resident", locale="en")
    chosen = make.user("volunteer", locale="en")
    not_chosen = make.user("volunteer", locale="en")
    help_request = make.request(resident, title="Schilderij ophangen")
    first = make.respond(help_request, chosen)
    make.respond(help_request, not_chosen)
    make.accept(help_request, first)
    login(chosen.email).post(f"/vragen/{help_request.public_id}/klaar")
    login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"message": "Dank!"})

    def sentences(person):
        return visible(login(person.email).get("/berichten/"))

    title = "Schilderij ophangen"
    resident_page = sentences(resident)
    assert tr("en", "A neighbour responded to your request “%(title)s”.", title=title) in resident_page
    assert tr("en", "“%(title)s” was marked as done.", title=title) in resident_page
    chosen_page = sentences(chosen)
    assert tr("en", "You were chosen to help with “%(title)s”. You can now see the contact details.",
              title=title) in chosen_page
    assert tr("en", "You received thanks for “%(title)s”.", title=title) in chosen_page
    assert tr("en", "For “%(title)s” another helper was chosen. Thank you for offering your help!",
              title=title) in sentences(not_chosen)


def test_opening_a_message_from_the_list_clears_it_from_the_badge(make, login):
    """Issue #15: the badge stayed up after the message was opened."""
    requester, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.request(requester)
    make.respond(help_request, volunteer)
    me = login(requester.email)
    assert unread_badge(me.get("/mijn")) == 1
    listing = page_text(me.get("/berichten/"))
    opened = re.search(r'href="(/vragen/[^"]+\?bericht=\d+)"', listing)
    assert opened, "no link that opens the message"
    assert me.get(opened.group(1)).status_code == 200
    assert unread_badge(me.get("/mijn")) == 0


def test_nobody_can_mark_anothers_message_read(make, login):
    requester, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.request(requester)
    make.respond(help_request, volunteer)
    owner = login(requester.email)
    number = re.search(r'\?bericht=(\d+)"', page_text(owner.get("/berichten/"))).group(1)
    login(volunteer.email).get(f"/vragen/{help_request.public_id}?bericht={number}")
    assert unread_badge(owner.get("/mijn")) == 1
