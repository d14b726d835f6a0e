"""One small "world" with an owner object for every kind of route parameter, shared by the route × role matrix,
the CSRF sweep and the fuzz tests.

The people (ROLES) are: a resident who owns the requests, a screened volunteer who owns the offer and helps, an
organiser who owns the initiative, a staff member, an admin, and "other": a second person with the resident,
volunteer and organiser roles (screened) who owns nothing, so every owner-only route meets a same-role stranger.

Besides them (never a matrix role): a newcomer who has not confirmed their e-mail address yet (the password reset and
e-mail confirmation links are theirs), a walk-in resident taken in by staff (no e-mail, no password: staff may
delete the account), and a new staff member who has not set up the authenticator app yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import PASSWORD, Maker, make_offer, make_request, make_user
from tests.webapp import budget_helpers as budgets
from tests.webapp import initiative_helpers as ini
from webapp.accounts import tokens
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.core.extensions import db
from webapp.initiatives import needs, organisers
from webapp.initiatives.models import InitiativeNeed, OrganiserInvitation
from webapp.notifications.emails import unsubscribe_token
from webapp.offers import services as offers
from webapp.staff import services as staff
from webapp.staff.models import Intake, StaffTask
from webapp.volunteering import agenda

ROLES = ("anonymous", "resident", "volunteer", "organiser", "staff", "admin", "other")
PERSON_ROLES = {  # role in the matrix -> roles of that person
    "resident": ("resident",),
    "volunteer": ("volunteer",),
    "organiser": ("organiser",),
    "staff": ("staff",),
    "admin": ("staff", "admin"),
    "other": ("resident", "volunteer", "organiser"),
}
# An unsubscribe link names one kind of e-mail; "response" may be switched back on from the page.
UNSUBSCRIBE_PREFERENCE = "response"


@dataclass
class World:
    """Emails of the people (by matrix role) and the values that fill route parameters (by name)."""

    emails: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def url(self, app: Flask, endpoint: str, args: dict[str, str]) -> str:
        """The URL of an endpoint, each parameter filled from a world value (a value in quotes is literal)."""
        filled = {name: key.strip("'") if key.startswith("'") else self.values[key] for name, key in args.items()}
        with app.test_request_context("/"):
            return url_for(endpoint, **filled)


def build_world(app: Flask) -> World:
    """Create the people and objects. Runs in its own app context; returns only plain strings and numbers."""
    world = World()
    with app.app_context():
        people = {role: make_user(*roles, screened=True, findable=True) for role, roles in PERSON_ROLES.items()}
        world.emails = {role: str(user.email) for role, user in people.items()}
        resident, volunteer = people["resident"], people["volunteer"]
        organiser_ref = _Ref(people["organiser"].id)

        # An open request with one response; a matched request; a request the resident asked via an offer.
        request = make_request(resident, title="Open vraag van de bewoner")
        response = asks.respond(volunteer, request, "Ik kan woensdag helpen.")
        matched = make_request(resident, title="Vraag met een helper")
        matched_response = asks.respond(volunteer, matched, "Ik help graag.")
        db.session.flush()
        asks.accept_response(resident, matched, matched_response.public_id)
        offer = make_offer(volunteer, title="Hulp met de computer")
        asked = offers.ask_volunteer(resident, offer, "Kun je mij helpen met de tablet?")
        handed = make_request(resident, title="Vraag voor het wijkteam")
        handover = staff.hand_over(people["staff"], handed, "Sociaal Wijkteam", date.today(), "pending", "")
        newcomer, walk_in, new_staff = _people_outside_the_matrix()
        world.emails.update({"newcomer": str(newcomer.email), "new_staff": str(new_staff.email)})
        # A task for staff: phone the walk-in (as a block of their helper would leave).
        task = StaffTask(kind="phone_after_block", person_id=walk_in.id, request_id=handed.id,
                         created_by_id=people["staff"].id)
        db.session.add(task)
        # An intake a colleague took in for the walk-in (the staff of the matrix may take it over).
        intake = make_request(walk_in, title="Vraag via de balie")
        intake.contact_staff_id = new_staff.id
        db.session.flush()
        db.session.add(Intake(request_id=intake.id, resident_id=walk_in.id, staff_id=new_staff.id,
                              consent_how="phone", consent_given_by="resident", consent_on=date.today()))
        db.session.commit()

        world.values.update({
            "request": request.public_id, "response": response.public_id, "matched": matched.public_id,
            "offer": offer.public_id, "asked": asked.public_id, "handover": handover.id,
            "resident": resident.public_id, "volunteer": volunteer.public_id, "other": people["other"].public_id,
            "token": unsubscribe_token(resident.public_id, UNSUBSCRIBE_PREFERENCE),
            "walk_in": walk_in.public_id, "task": task.public_id, "intake": intake.public_id,
            "reset_token": tokens.password_reset_token(newcomer),
            "verify_token": tokens.email_verification_token(newcomer),
        })

    make = Maker(app)
    initiative = ini.initiative(make, organiser_ref, name="Moestuin in de wijk")
    need = ini.need(make, organiser_ref, initiative)
    activity = ini.activity(make, organiser_ref, initiative)
    pending = ini.initiative(make, organiser_ref, name="Nieuw idee in de wijk", confirmed=False)
    with app.app_context(), app.test_request_context("/"):
        row = db.session.get(InitiativeNeed, need.id)
        volunteer = db.session.execute(select(User).where(User.email == world.emails["volunteer"])).scalar_one()
        organiser = db.session.get(User, organiser_ref.id)
        assert row is not None and organiser is not None
        signup = needs.sign_up(volunteer, row, "Ik doe graag mee.")
        # The organiser invited "other" to organise with them; "other" has not answered yet.
        token = organisers.invite(organiser, row.initiative, world.emails["other"])
        invitation = db.session.execute(select(OrganiserInvitation.public_id)).scalar_one()
        # The volunteer's own calendar feed (its address: the feed id and its signature).
        feed = agenda.new_feed(volunteer)
        world.values.update({"feed": feed.feed_id,
                             "feed_signature": agenda.signature(feed.feed_id, app.config["SECRET_KEY"])})
        db.session.commit()
        world.values.update({"initiative": initiative.public_id, "need": need.public_id,
                             "activity": activity.public_id, "signup": signup.public_id,
                             "pending_initiative": pending.public_id, "invitation": invitation,
                             "invitation_token": token})
    world.values.update(_budgets(make, world, organiser_ref, initiative))
    return world


def _budgets(make: Maker, world: World, organiser: _Ref, initiative: Any) -> dict[str, str]:
    """District budget rounds in the world's stadsdeel (Schalkwijk, where everyone lives): one taking plans (with the
    resident's plan waiting for the check), one being voted on (with a plan on the ballot) and one counted (with the
    organiser's funded plan for their initiative)."""
    with make.app.app_context():
        staff_member = db.session.execute(select(User).where(User.email == world.emails["staff"])).scalar_one()
        resident = db.session.execute(select(User).where(User.email == world.emails["resident"])).scalar_one()
        staff_ref, resident_ref = _Ref(staff_member.id), _Ref(resident.id)
    taking = budgets.budget_round(make, staff_ref, "proposals", cycle="w1")
    voting = budgets.budget_round(make, staff_ref, "voting", cycle="w2")
    counted = budgets.budget_round(make, staff_ref, "voting", cycle="w3")
    waiting = budgets.proposal(make, resident_ref, taking, status="submitted", title="Bankjes bij de vijver")
    on_ballot = budgets.proposal(make, resident_ref, voting, title="Moestuin achter de school")
    funded = budgets.proposal(make, organiser, counted, title="Picknicktafel in het park", initiative=initiative)
    budgets.vote(make, resident_ref, counted, funded)
    budgets.count(make, staff_ref, counted)
    return {"budget_open": taking.public_id, "budget_voting": voting.public_id, "budget_done": counted.public_id,
            "plan_waiting": waiting.public_id, "plan_on_ballot": on_ballot.public_id,
            "plan_funded": funded.public_id}


def _people_outside_the_matrix() -> tuple[User, User, User]:
    """The newcomer (address not confirmed), the walk-in (no e-mail, no password, as a staff intake makes them) and
    the new staff member (no authenticator app yet)."""
    newcomer = make_user("resident")
    newcomer.email_verified_at = None
    walk_in = make_user("resident")
    walk_in.email, walk_in.password_hash = None, None
    new_staff = make_user("staff")
    new_staff.totp_secret = None
    db.session.flush()
    return newcomer, walk_in, new_staff


@dataclass
class _Ref:
    id: int


# The second login step, opened half-way: endpoint -> whose password was just typed (a key of World.emails).
HALF_WAY = {"accounts.two_factor_step": "staff", "accounts.two_factor_setup": "new_staff"}


def half_way_login(app: Flask, world: World, endpoint: str) -> FlaskClient:
    """A client whose password was right and that now has to pass this second login step (not logged in yet)."""
    client = app.test_client()
    response = client.post("/inloggen", data={"email": world.emails[HALF_WAY[endpoint]], "password": PASSWORD})
    with app.test_request_context("/"):
        step = url_for(endpoint)
    assert response.status_code == 302 and response.headers["Location"].endswith(step), response.headers
    return client


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def token_of(client: FlaskClient, path: str = "/inloggen") -> str:
    """A CSRF token of this client's session, read from a page with a form (as a browser gets one)."""
    found = CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1) or found.group(2)
