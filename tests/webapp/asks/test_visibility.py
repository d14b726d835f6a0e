"""The rules of who may see a request are written once (webapp/asks/visibility.py): the SQL form that lists and
suggestions use and the form for a request in hand say the same for every kind of request and every viewer."""

from __future__ import annotations

from datetime import timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation


def _world(make):
    resident = make.user("resident")
    blocked = make.user("resident")
    volunteer = make.user("volunteer")
    kinds = {
        "open": make.request(resident),
        "sensitive": make.request(resident, needs_screening=True),
        "held": make.request(resident),
        "rejected": make.request(resident),
        "matched": make.request(resident),
        "expired": make.request(resident),
        "through an offer": make.request(resident),
        "blocked requester": make.request(blocked),
    }
    make.set_request(kinds["held"], moderation=Moderation.HELD)
    make.set_request(kinds["rejected"], moderation=Moderation.REJECTED)
    make.set_request(kinds["matched"], status=RequestStatus.MATCHED)
    make.set_request(kinds["expired"], expires_at=utcnow() - timedelta(minutes=1))
    offer = make.offer(volunteer)
    make.set_request(kinds["through an offer"], offer_id=offer.id)

    def block() -> None:
        db.session.get(User, blocked.id).is_blocked = True
        db.session.commit()

    make.run(block)
    viewers = {"anonymous": None, "volunteer": volunteer.id, "screened": make.user("volunteer", screened=True).id,
               "staff": make.user("staff").id}
    return kinds, viewers


def test_the_sql_and_the_request_in_hand_agree_for_every_kind_and_viewer(make):
    kinds, viewers = _world(make)

    def check() -> None:
        for viewer_name, viewer_id in viewers.items():
            viewer = AnonymousUserMixin() if viewer_id is None else db.session.get(User, viewer_id)
            listed = set(db.session.execute(select(HelpRequest.id).where(
                *visibility.open_to_volunteers(), *visibility.screening_for(viewer))).scalars())
            for kind, snapshot in kinds.items():
                row = db.session.get(HelpRequest, snapshot.id)
                in_hand = visibility.is_open_to_volunteers(row) and (
                    not row.needs_screening or visibility.sees_sensitive(viewer))
                assert (row.id in listed) == in_hand, (kind, viewer_name)
                if viewer_name != "staff" and in_hand:  # staff open every page; others exactly the listed ones
                    assert visibility.may_see(viewer, row), (kind, viewer_name)
            expected = {"open"} | ({"sensitive"} if viewer_name in ("screened", "staff") else set())
            assert {kind for kind, s in kinds.items() if s.id in listed} == expected, viewer_name

    make.run(check)


def test_the_rule_for_many_people_at_once_agrees_with_the_rule_for_one(make):
    kinds, viewers = _world(make)

    def check() -> None:
        people = [v for v in viewers.values() if v is not None]
        pairs = {(p, r) for p, r in db.session.execute(
            select(User.id, HelpRequest.id).join(HelpRequest, HelpRequest.id.in_([s.id for s in kinds.values()]))
            .where(User.id.in_(people), *visibility.open_to_volunteers(), visibility.screening_for_each(User.id)))}
        for person_id in people:
            viewer = db.session.get(User, person_id)
            one = set(db.session.execute(select(HelpRequest.id).where(
                HelpRequest.id.in_([s.id for s in kinds.values()]), *visibility.open_to_volunteers(),
                *visibility.screening_for(viewer))).scalars())
            assert {r for p, r in pairs if p == person_id} == one, person_id

    make.run(check)


def test_the_public_list_shows_exactly_what_the_rule_allows(make, anon, login):
    kinds, _viewers = _world(make)
    page = anon("nl").get("/vragen/").get_data(as_text=True)
    shown = {kind for kind, s in kinds.items() if f"/vragen/{s.public_id}" in page}
    assert shown == {"open"}
