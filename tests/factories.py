"""Small factory functions for tests: people, requests, responses."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Category, Wijk
from webapp.offers import services as offers
from webapp.offers.models import Offer

PASSWORD = "correct horse battery"
# The authenticator-app secret of staff and admins made here (the `login` fixture types its codes).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_numbers = count(1)


def wijk(code: str = "WK039218") -> Wijk:
    return db.session.execute(select(Wijk).where(Wijk.code == code)).scalar_one()


def category(key: str = "groceries") -> Category:
    return db.session.execute(select(Category).where(Category.key == key)).scalar_one()


def make_user(*roles: str, first_name: str | None = None, screened: bool = False, wijk_code: str = "WK039218",
              phone: str | None = None, email: str | None = None, locale: str = "nl",
              last_name: str | None = None, findable: bool = False) -> User:
    n = next(_numbers)
    user = accounts.register_user(accounts.Registration(
        email=email or f"person{n}@example.org",
        password=PASSWORD,
        first_name=first_name or f"Persoon{n}",
        last_name=last_name if last_name is not None else f"Achternaam{n}",
        phone=phone or f"06-1234{n:04d}",
        postcode="2034 AB",
        wijk=wijk(wijk_code),
        roles=tuple(roles) or ("resident",),
        locale=locale,
    ))
    if "volunteer" in user.roles:
        accounts.update_volunteer_profile(user, accounts.VolunteerProfileData(
            skills=["boodschappen", "computer"], languages=["nl", "en"], postcode="2034 AB", wijk=wijk(wijk_code),
            max_distance_km=5.0, availability=[], bio=""))
        assert user.volunteer_profile is not None
        user.volunteer_profile.is_screened = screened
        user.volunteer_profile.findable_by_organisers = findable  # organisers may see them (their own choice)
    for role in roles:
        if role in ("staff", "admin", "city"):
            user.add_role(role)
            user.totp_secret = TOTP_SECRET
    user.email_verified_at = user.created_at or utcnow()  # people made here count as having confirmed their address
    db.session.commit()
    return user


def make_request(requester: User, **overrides: Any) -> HelpRequest:
    data: dict[str, Any] = {
        "title": "Hulp bij boodschappen",
        "description": "Ik kan niet goed lopen en zoek iemand voor de boodschappen.",
        "category": category(overrides.pop("category_key", "groceries")),
        "wijk": requester.wijk,
        "on_date": None,
        "slots": ["wed-morning"],
        "languages": ["nl"],
        "is_recurring": False,
        "needs_screening": False,
    }
    data.update(overrides)
    help_request = asks.post_request(requester, asks.RequestData(**data))
    db.session.commit()
    return help_request


def snapshot(row: Any, *names: str) -> Any:
    """Plain copies of a row's attributes, safe to use after its app context is gone."""
    return SimpleNamespace(**{name: getattr(row, name) for name in names})


USER_FIELDS = ("id", "public_id", "email", "first_name", "last_name", "phone")
OFFER_FIELDS = ("id", "public_id", "title", "status")


def make_offer(volunteer: User, **overrides: Any) -> Offer:
    data: dict[str, Any] = {
        "title": "Hulp met de computer",
        "description": "Ik help op zaterdag met de computer, de tablet en de telefoon.",
        "category": category(overrides.pop("category_key", "groceries")),
        "wijk": volunteer.wijk,
        "slots": ["sat-morning"],
        "languages": ["nl", "en"],
    }
    data.update(overrides)
    offer = offers.post_offer(volunteer, offers.OfferData(**data))
    db.session.commit()
    return offer
REQUEST_FIELDS = ("id", "public_id", "title", "status")


class Maker:
    """Factories for client tests: each call runs in its own app context and returns plain snapshots,
    so the test client's requests never share a session or `g` with the test."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def user(self, *roles: str, **kwargs: Any) -> Any:
        with self.app.app_context():
            return snapshot(make_user(*roles, **kwargs), *USER_FIELDS)

    def request(self, requester: Any, **overrides: Any) -> Any:
        with self.app.app_context():
            owner = db.session.get(User, requester.id)
            assert owner is not None
            return snapshot(make_request(owner, **overrides), *REQUEST_FIELDS)

    def response_ids(self, help_request: Any) -> list[str]:
        with self.app.app_context():
            row = db.session.get(HelpRequest, help_request.id)
            assert row is not None
            return [r.public_id for r in row.responses]

    def offer(self, volunteer: Any, **overrides: Any) -> Any:
        with self.app.app_context():
            owner = db.session.get(User, volunteer.id)
            assert owner is not None
            return snapshot(make_offer(owner, **overrides), *OFFER_FIELDS)

    def respond(self, help_request: Any, volunteer: Any, message: str = "Ik kan woensdag helpen.") -> str:
        """The volunteer responds (through the service); returns the response's public id."""
        with self.app.app_context():
            row = db.session.get(HelpRequest, help_request.id)
            person = db.session.get(User, volunteer.id)
            assert row is not None and person is not None
            response = asks.respond(person, row, message)
            db.session.commit()
            return response.public_id

    def accept(self, help_request: Any, response_public_id: str) -> None:
        with self.app.app_context():
            row = asks.get_by_public_id(help_request.public_id)
            assert row is not None and row.requester is not None
            asks.accept_response(row.requester, row, response_public_id)
            db.session.commit()

    def matched(self, requester: Any, volunteer: Any, **overrides: Any) -> Any:
        """A request of `requester` with `volunteer` chosen as helper."""
        help_request = self.request(requester, **overrides)
        self.accept(help_request, self.respond(help_request, volunteer))
        return help_request

    def age(self, person: Any, days: int = 30) -> Any:
        """Make an account `days` old (reports of accounts older than two weeks count fully)."""
        with self.app.app_context():
            row = db.session.get(User, person.id)
            assert row is not None
            row.created_at = utcnow() - timedelta(days=days)
            db.session.commit()
        return person

    def set_request(self, help_request: Any, **values: Any) -> None:
        """Change columns of a request directly (e.g. expires_at in the past)."""
        with self.app.app_context():
            row = db.session.get(HelpRequest, help_request.id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            db.session.commit()

    def fetch(self, model: Any, key: Any, *names: str) -> Any:
        """A snapshot of one row (by primary key), or None."""
        with self.app.app_context():
            row = db.session.get(model, key)
            return None if row is None else snapshot(row, *names)

    def count(self, model: Any, *where: Any) -> int:
        with self.app.app_context():
            return int(db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())

    def run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Run any function inside a fresh app context (for reading the database in a client test)."""
        with self.app.app_context():
            return function(*args, **kwargs)
