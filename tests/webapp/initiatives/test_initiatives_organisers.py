"""Co-organisers join by invitation, and only when they accept: typing someone's e-mail address reveals nothing
about them (not even whether they have an account); invitations expire and can be withdrawn; organisers can leave,
the last one cannot. Organisers cannot back their own initiative."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.outbox import OutboxMail
from webapp.initiatives.models import Backing, Initiative, InitiativeOrganiser, OrganiserInvitation

FORM = {"name": "Repair Café Oost", "description": "Elke maand repareren we samen spullen in het buurthuis.",
        "status": "active", "wijken": ["WK039218"], "goals": ["1", "2"]}
INVITE_LINK = re.compile(r"https?://[^/\s]+(/initiatieven/uitnodiging/[A-Za-z0-9_-]+)")


def organisers(make, ini):
    return make.run(lambda: sorted(o.user_id for o in db.session.get(Initiative, ini.id).organisers))


def invite(client, ini, email):
    return client.post(f"/initiatieven/{ini.public_id}/organisatoren", data={"email": email},
                       follow_redirects=True)


def mails_to(make, address):
    """The plain text of the e-mails queued in the outbox for this address (the outbox sends them after the
    commit; the test reads what it will send)."""
    return make.run(lambda: [m.text for m in db.session.execute(
        select(OutboxMail).where(OutboxMail.recipient == address).order_by(OutboxMail.id)).scalars()])


def link_in(make, address):
    [text] = mails_to(make, address)
    found = INVITE_LINK.search(text)
    assert found, text
    return found.group(1)


def test_typing_an_address_as_co_organiser_shows_nothing_about_that_person(make, login):
    """The harvesting attack: a new organiser types a staff member's address as co-organiser (the old edit form's
    field, and the invitation form) and reads the initiative page."""
    victim = make.user("staff", first_name="Sanne", last_name="Geheim", phone="06-98765432",
                       email="sanne@vwc.example")
    attacker = make.user("organiser")
    ini = h.initiative(make, attacker)
    client = login(attacker.email)
    client.post(f"/initiatieven/{ini.public_id}/bewerken", data={**FORM, "co_organisers": victim.email})
    invite(client, ini, victim.email)
    for path in (f"/initiatieven/{ini.public_id}", f"/initiatieven/{ini.public_id}/organisatoren",
                 f"/initiatieven/{ini.public_id}/bewerken"):
        text = page_text(client.get(path))
        for secret in ("Geheim", "06-98765432", "Sanne"):
            assert secret not in text, (path, secret)
    assert organisers(make, ini) == [attacker.id]


def test_the_invitation_form_answers_the_same_whether_or_not_the_address_has_an_account(make, login, tr):
    make.user("resident", email="bestaat@example.org", first_name="Bestaande")
    organiser = make.user("organiser", locale="en")
    ini = h.initiative(make, organiser)
    client = login(organiser.email)

    def answer(email):
        response = invite(client, ini, email)
        page = visible(response)
        message = tr("en", "If %(email)s is right, an invitation is on its way. It works for %(days)d days.",
                     email=email, days=14)
        assert message in page and "Bestaande" not in page
        flashes = re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.DOTALL)
        return response.status_code, [f.replace(email, "ADDRESS") for f in flashes]

    assert answer("bestaat@example.org") == answer("bestaat-niet@example.org")
    assert len(mails_to(make, "bestaat@example.org")) == 1 and len(mails_to(make, "bestaat-niet@example.org")) == 1


def test_an_invited_person_joins_only_when_they_accept(make, login, anon, tr):
    owner = make.user("organiser", first_name="Mirjam")
    co = make.user("resident", first_name="Karim", last_name="Amrani", phone="06-12121212", email="k@example.org",
                   locale="en")
    ini = h.initiative(make, owner, name="Moestuin De Ring")
    invite(login(owner.email), ini, "K@Example.org ")
    link = link_in(make, "k@example.org")
    [mail] = mails_to(make, "k@example.org")
    assert "Mirjam" in mail and "Moestuin De Ring" in mail
    # Until accepted, nothing about Karim on any page; not an organiser either.
    assert "Amrani" not in page_text(login(owner.email).get(f"/initiatieven/{ini.public_id}"))
    assert organisers(make, ini) == [owner.id]

    # The invitation is on Karim's own page too, and the link works once logged in.
    karim = login(co.email)
    assert "Moestuin De Ring" in visible(karim.get("/mijn"))
    assert anon("nl").post(link, data={"answer": "accept"}).status_code == 302  # to the login page
    assert organisers(make, ini) == [owner.id]
    page = karim.get(link)
    assert page.status_code == 200 and tr("en", "Mirjam invites you to organise %(name)s together.",
                                          name="Moestuin De Ring") in visible(page)
    done = karim.post(link, data={"answer": "accept"}, follow_redirects=True)
    assert tr("en", "You are now an organiser of %(name)s.", name="Moestuin De Ring") in visible(done)
    assert organisers(make, ini) == sorted([owner.id, co.id])
    assert karim.get(f"/initiatieven/{ini.public_id}/bewerken").status_code == 200
    assert "06-12121212" in page_text(login(owner.email).get(f"/initiatieven/{ini.public_id}"))
    # The link works once.
    assert karim.get(link).status_code == 400


def test_a_link_that_reached_someone_else_needs_their_own_log_in_and_an_unverified_account_cannot_claim_it(
        make, login):
    owner = make.user("organiser")
    ini = h.initiative(make, owner)
    invite(login(owner.email), ini, "invitee@example.org")
    # Someone registers the invited address without confirming it: the invitation does not show, nor can they
    # answer it from their page.
    squatter = make.user("resident", email="invitee@example.org")

    def unverify() -> None:
        from webapp.accounts.models import User
        db.session.get(User, squatter.id).email_verified_at = None
        db.session.commit()

    make.run(unverify)
    client = login(squatter.email)
    assert "Moestuin" not in visible(client.get("/mijn"))
    invitation = make.run(lambda: db.session.execute(select(OrganiserInvitation.public_id)).scalar_one())
    assert client.post(f"/initiatieven/uitnodigingen/{invitation}/ja").status_code == 404
    assert organisers(make, ini) == [owner.id]


def test_invitations_expire_can_be_withdrawn_and_declined(make, login, tr):
    owner = make.user("organiser", locale="en")
    ini = h.initiative(make, owner)
    org = login(owner.email)
    invite(org, ini, "laat@example.org")
    invite(org, ini, "weg@example.org")
    invite(org, ini, "nee@example.org")
    late, gone, declined = (make.user("resident", email=e) for e in
                            ("laat@example.org", "weg@example.org", "nee@example.org"))
    links = {e: link_in(make, e) for e in ("laat@example.org", "weg@example.org", "nee@example.org")}

    def expire() -> None:
        row = db.session.execute(select(OrganiserInvitation).where(
            OrganiserInvitation.email == "laat@example.org")).scalar_one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    make.run(expire)
    page = login(late.email).post(links["laat@example.org"], data={"answer": "accept"})
    assert page.status_code == 400
    gone_id = make.run(lambda: db.session.execute(select(OrganiserInvitation.public_id).where(
        OrganiserInvitation.email == "weg@example.org")).scalar_one())
    assert login(make.user("organiser").email).post(
        f"/initiatieven/{ini.public_id}/organisatoren/uitnodigingen/{gone_id}/intrekken").status_code == 403
    assert org.post(f"/initiatieven/{ini.public_id}/organisatoren/uitnodigingen/{gone_id}/intrekken").status_code \
        == 302
    assert login(gone.email).post(links["weg@example.org"], data={"answer": "accept"}).status_code == 400
    assert login(declined.email).post(links["nee@example.org"], data={"answer": "decline"}).status_code == 302
    assert login(declined.email).post(links["nee@example.org"], data={"answer": "accept"}).status_code == 400
    assert organisers(make, ini) == [owner.id]


def test_organisers_can_leave_but_not_the_last_one(make, login, tr):
    owner = make.user("organiser", locale="en")
    co = make.user("resident", email="co@example.org", locale="en")
    ini = h.initiative(make, owner, co=("co@example.org",))
    owner_client = login(owner.email)
    assert owner_client.post(f"/initiatieven/{ini.public_id}/organisatoren/stoppen").status_code == 302
    assert organisers(make, ini) == [co.id]
    assert make.run(lambda: db.session.execute(select(InitiativeOrganiser.is_owner)).scalar_one())  # handed on
    assert owner_client.get(f"/initiatieven/{ini.public_id}/bewerken").status_code == 403
    last = login(co.email).post(f"/initiatieven/{ini.public_id}/organisatoren/stoppen", follow_redirects=True)
    assert tr("en", "You are the only organiser. Invite someone to take over first, or set the initiative to "
                    "“Ended”.") in visible(last)
    assert organisers(make, ini) == [co.id]


def test_an_unconfirmed_initiative_cannot_invite_co_organisers(make, login, tr):
    organiser = make.user("organiser", locale="en")
    ini = h.initiative(make, organiser, confirmed=False)
    page = invite(login(organiser.email), ini, "iemand@example.org")
    assert tr("en", "You can invite co-organisers once the volunteer centre has confirmed your initiative.") \
        in visible(page)
    assert mails_to(make, "iemand@example.org") == []
    assert make.count(OrganiserInvitation) == 0


def test_organisers_cannot_back_their_own_initiative(make, login, tr):
    owner = make.user("organiser", locale="en")
    co = make.user("resident", email="co@example.org", locale="en")
    ini = h.initiative(make, owner, co=("co@example.org",))
    for person in (owner, co):
        client = login(person.email)
        assert f"/initiatieven/{ini.public_id}/steunen" not in page_text(client.get(f"/initiatieven/{ini.public_id}"))
        page = client.post(f"/initiatieven/{ini.public_id}/steunen", follow_redirects=True)
        assert tr("en", "You organise this initiative, so you cannot back it yourself. Ask your neighbours to "
                        "back it.") in visible(page)
    assert make.count(Backing) == 0
    assert login(make.user("resident").email).post(f"/initiatieven/{ini.public_id}/steunen").status_code == 302
    assert make.count(Backing) == 1
