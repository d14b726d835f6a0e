"""My agenda: what a person said they will do, and when; and their own calendar feed (iCal). Plain arguments in.

The agenda holds activities they go to (or wait for a place at), one-off tasks of needs they were accepted for (on
their day), and regular roles they were accepted for (no date: "every Tuesday evening").

The feed's address is secret and the person's own: /agenda/<feed_id>/<signature>.ics, where the signature is an HMAC
of the feed id with the app's secret key. The database holds only the feed id, so a copy of it does not give anyone
the address; a person can make a new address (the old one stops working at once) or stop the feed. The feed holds
only their own commitments: titles, times and public places, never other people.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives import ical
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    Initiative,
    InitiativeNeed,
    NeedSignup,
    ParticipantStatus,
    SignupStatus,
)
from webapp.volunteering.models import CalendarFeed

PAST = timedelta(days=30)  # the feed keeps commitments of the past month (calendar programs like to keep them)
_SALT = b"samen.calendar-feed:"


@dataclass(frozen=True)
class Entry:
    """One line of the agenda: an activity place, or a need the person was accepted for."""

    starts: datetime | date | None  # None: a regular role without a date
    place: ActivityParticipant | None = None
    signup: NeedSignup | None = None

    @property
    def sort_key(self) -> tuple[int, str]:
        if self.starts is None:
            return (1, "")
        return (0, self.starts.isoformat() if isinstance(self.starts, datetime) else f"{self.starts.isoformat()}T")


def agenda_of(user: User, now: datetime | None = None, *, past: timedelta = timedelta(0)) -> list[Entry]:
    """The person's commitments from `now - past` on, in date order; regular roles at the end. Two queries."""
    moment = (now or utcnow()) - past
    places = db.session.execute(
        select(ActivityParticipant).join(Activity, Activity.id == ActivityParticipant.activity_id)
        .where(ActivityParticipant.user_id == user.id,
               ActivityParticipant.status.in_((ParticipantStatus.GOING, ParticipantStatus.WAITING)),
               Activity.ends_at >= moment)
        .options(joinedload(ActivityParticipant.activity).joinedload(Activity.initiative),
                 joinedload(ActivityParticipant.activity).joinedload(Activity.wijk),
                 joinedload(ActivityParticipant.activity).joinedload(Activity.parent))
    ).scalars().all()
    signups = db.session.execute(
        select(NeedSignup).join(InitiativeNeed, InitiativeNeed.id == NeedSignup.need_id)
        .where(NeedSignup.volunteer_id == user.id, NeedSignup.status == SignupStatus.CONFIRMED)
        .options(joinedload(NeedSignup.need).joinedload(InitiativeNeed.initiative).selectinload(Initiative.wijken),
                 joinedload(NeedSignup.need).joinedload(InitiativeNeed.wijk))
    ).scalars().all()
    entries = [Entry(p.activity.starts_at, place=p) for p in places]
    for signup in signups:
        need = signup.need
        if need.is_recurring or need.on_date is None:
            entries.append(Entry(None, signup=signup))
        elif need.on_date >= moment.date():
            entries.append(Entry(need.on_date, signup=signup))
    return sorted(entries, key=lambda e: e.sort_key)


# -- the feed ---------------------------------------------------------------------------------------------------------

def signature(feed_id: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), _SALT + feed_id.encode(), hashlib.sha256).hexdigest()[:32]


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def new_feed(user: User) -> CalendarFeed:
    """A new address for the person's feed; an old one stops working. The caller commits."""
    stop_feed(user)
    feed = CalendarFeed(user_id=user.id, feed_id=secrets.token_urlsafe(18), created_at=utcnow())
    db.session.add(feed)
    db.session.flush()
    return feed


def stop_feed(user: User) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def owner_of(feed_id: str, given: str, secret_key: str) -> User | None:
    """The person whose feed this address is, or None (unknown, stopped, a wrong signature, or a blocked account)."""
    if not hmac.compare_digest(signature(feed_id, secret_key), given):
        return None
    feed = db.session.execute(select(CalendarFeed).where(CalendarFeed.feed_id == feed_id)).scalar_one_or_none()
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return None if user is None or user.is_blocked else user


def feed_events(user: User, now: datetime, link: dict[str, str]) -> list[ical.Event]:
    """The person's commitments as calendar events (activities they go to, one-off tasks on their day); `link` maps
    an initiative's public id to its page's address."""
    events = []
    for entry in agenda_of(user, now, past=PAST):
        if entry.place is not None and entry.place.status == ParticipantStatus.GOING:
            activity = entry.place.activity
            event = ical.activity_event(activity, link[activity.initiative.public_id])
            if activity.parent is not None:  # a shift: the event's name says of what
                event = ical.Event(**{**event.__dict__, "summary": f"{activity.parent.title}: {activity.title}"})
            events.append(event)
        elif entry.signup is not None and isinstance(entry.starts, date) and not isinstance(entry.starts, datetime):
            need = entry.signup.need
            place = need.wijk.name if need.wijk else ", ".join(w.name for w in need.initiative.wijken)
            events.append(ical.Event(
                uid=f"{entry.signup.public_id}-need", summary=f"{need.title} ({need.initiative.name})",
                starts=entry.starts, ends=entry.starts, location=place, url=link[need.initiative.public_id],
                updated=need.updated_at, sequence=0, cancelled=False))
    return events
