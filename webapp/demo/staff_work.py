"""Staff work on top of the demo history, so every screen of the staff workspace has something to show:
certificate-of-conduct checks, held and reported items, requests taken in by staff, hand-overs, requests nobody
answered for days, and the audit log of all of it. `flask --app webapp demo seed` runs it after `seed_demo`.

Deterministic: the same demo database, seed and date give the same rows. Runs once (does nothing when the demo
consulent already recorded a screening).
"""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest, RequestStatus, ResponseStatus
from webapp.core.audit import AuditEntry
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation, check_text
from webapp.demo.generator import DEMO_DOMAIN, SEED, fixed_now
from webapp.notifications.models import Notification
from webapp.offers.models import Offer, OfferStatus
from webapp.staff.models import Handover, Intake, Report, Screening
from webapp.staff.services import DEFAULT_RESCUE_AFTER_DAYS, default_valid_until

AnySession = Session | scoped_session[Any]
FIXED_ACCOUNTS = ("inwoner", "vrijwilliger", "organisator", "consulent", "beheer")

# Texts people typed that the automatic checks hold back: (title, description, category).
HELD_REQUESTS = (
    ("Hulp met mijn computer", "Mijn computer is heel traag geworden. Bel me gerust op 06-41234567, ik ben "
                               "meestal thuis.", "digital"),
    ("Boodschappen op zaterdag", "Ik woon op de Amsterdamstraat 14 en kan de tassen niet meer dragen. Wie helpt "
                                 "mij op zaterdag?", "groceries"),
    ("Help with my tax letter", "I got a letter about my taxes and do not understand it. See www.belastingdienst.nl "
                                "for the letter I mean.", "paperwork"),
)
HELD_OFFER = ("Klusjes in en om het huis", "Ik doe kleine klussen: lampen, planken, kastjes. Mail naar "
                                           "klusjes.kees@example.nl voor een afspraak.", "odd_jobs")
REJECTED_REQUEST = ("Goedkope laptops te koop", "Verdien snel geld: koop nu een laptop bij mijn winkel, klik hier "
                                                "voor de beste prijs!", "digital")
HANDOVER_PLAN = (  # (partner, outcome, staff note)
    ("Schuldhulpverlening", "accepted", "Betalingsachterstanden bij meerdere partijen; intake bij "
                                        "schuldhulpverlening gepland."),
    ("Sociaal Wijkteam", "pending", "Zorgen over de veiligheid thuis; het wijkteam neemt contact op."),
    ("CJG (Centrum voor Jeugd en Gezin)", "accepted", "Opvoedvragen; doorverwezen naar het CJG."),
    ("Huisarts", "resident_declined", "Mevrouw wilde liever eerst zelf met de huisarts praten."),
)
REPORT_REASONS = ("unsafe", "offensive", "spam", "not_help", "other")


def staff_work_present(session: AnySession) -> bool:
    return session.execute(select(func.count()).select_from(Screening)).scalar_one() > 0


def _user(session: AnySession, name: str) -> User | None:
    return session.execute(select(User).where(User.email == f"{name}@{DEMO_DOMAIN}")).scalar_one_or_none()


def seed_staff_work(session: AnySession, *, seed: int = SEED, today: date | None = None) -> str:
    """Add the staff work to a demo database; return a one-line summary ("" when there is no demo data)."""
    consulent, admin = _user(session, "consulent"), _user(session, "beheer")
    if consulent is None or admin is None:
        return ""
    if staff_work_present(session):
        return "Staff demo data already present."
    rng = Random(seed)
    now = fixed_now(today or utcnow().date())
    work = _Work(session, rng, now, consulent, admin)
    screenings = work.screenings()
    intakes = work.intakes()
    held = work.held_items()
    reports = work.reports()
    handovers = work.handovers()
    waiting = work.unanswered()
    session.flush()
    return (f"Staff work: {screenings} certificates of conduct checked, {intakes} requests taken in by staff, "
            f"{held} items held for moderation, {reports} reports, {handovers} hand-overs, {waiting} requests "
            f"waiting more than {DEFAULT_RESCUE_AFTER_DAYS} days for a response.")


class _Work:
    def __init__(self, session: AnySession, rng: Random, now: datetime, consulent: User, admin: User) -> None:
        self.session, self.rng, self.now, self.consulent, self.admin = session, rng, now, consulent, admin

    def public_id(self) -> str:
        """A random-looking but reproducible identifier (like the generator's)."""
        return base64.urlsafe_b64encode(self.rng.randbytes(9)).decode("ascii")

    def log(self, actor: User, action: str, kind: str, ref: str, at: datetime, **details: Any) -> None:
        self.session.add(AuditEntry(actor_id=actor.id, action=action, target_kind=kind, target_ref=ref,
                                    details=details, created_at=at.replace(microsecond=0)))

    def open_public(self) -> list[HelpRequest]:
        """Open public requests, not those of the demo log-ins (their stories stay as they are)."""
        fixed = select(User.id).where(User.email.in_([f"{n}@{DEMO_DOMAIN}" for n in FIXED_ACCOUNTS]))
        return list(self.session.execute(
            select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN, HelpRequest.offer_id.is_(None),
                                      HelpRequest.moderation == Moderation.OK, HelpRequest.contact_staff_id.is_(None),
                                      HelpRequest.requester_id.not_in(fixed))
            .options(selectinload(HelpRequest.responses)).order_by(HelpRequest.id)
        ).scalars())

    # -- certificates of conduct --

    def screenings(self) -> int:
        profiles = self.session.execute(
            select(VolunteerProfile).where(VolunteerProfile.screened_flag.is_(True))
            .options(selectinload(VolunteerProfile.user)).order_by(VolunteerProfile.user_id)
        ).scalars().all()
        today = self.now.date()
        for i, profile in enumerate(profiles):
            checked = (profile.screened_at or self.now - timedelta(days=200)).date()
            valid_until = default_valid_until(checked)
            if i % 17 == 5:  # a few end soon: the screening page lists them
                valid_until = today + timedelta(days=15 + 7 * (i % 5))
            self.session.add(Screening(volunteer_id=profile.user_id, checked_on=checked, valid_until=valid_until,
                                       recorded_by_id=self.consulent.id,
                                       created_at=datetime(checked.year, checked.month, checked.day, 11)))
            profile.screened_until = valid_until
            self.log(self.consulent, "screen", "person", profile.user.public_id,
                     datetime(checked.year, checked.month, checked.day, 11), checked_on=checked.isoformat(),
                     valid_until=valid_until.isoformat())
        return len(profiles)

    # -- assisted intake --

    def intakes(self) -> int:
        rows = self.session.execute(
            select(HelpRequest).join(User, User.id == HelpRequest.requester_id)
            .where(User.email.is_(None), HelpRequest.offer_id.is_(None)).order_by(HelpRequest.id)
        ).scalars().all()
        for row in rows:
            row.contact_staff_id = self.consulent.id
            how = ("phone", "in_person", "paper")[row.id % 3]
            by = ("resident", "resident", "family", "carer")[row.id % 4]
            self.session.add(Intake(request_id=row.id, resident_id=row.requester_id, staff_id=self.consulent.id,
                                    consent_how=how, consent_given_by=by, consent_on=row.created_at.date(),
                                    note="Telefonisch doorgegeven; mevrouw heeft geen e-mail." if row.id % 2 else "",
                                    created_at=row.created_at))
            self.log(self.consulent, "intake", "request", row.public_id, row.created_at, consent_how=how,
                     consent_given_by=by)
        return len(rows)

    # -- moderation --

    def _held_request(self, requester: User, title: str, description: str, category: str, hours_ago: float,
                      moderation: str = Moderation.HELD) -> HelpRequest:
        created = (self.now - timedelta(hours=hours_ago)).replace(microsecond=0)
        assert requester.wijk_id is not None
        row = HelpRequest(
            public_id=self.public_id(), requester_id=requester.id, title=title, description=description,
            category_key=category,
            wijk_id=requester.wijk_id, slots=["sat-morning"], languages=[requester.locale or "nl"],
            needs_screening=category in ("paperwork", "homework"), status=RequestStatus.OPEN, created_at=created,
            updated_at=created, expires_at=created + timedelta(days=60), moderation=moderation,
            moderation_flags=check_text(f"{title}\n{description}") or None,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def held_items(self) -> int:
        residents = self.session.execute(
            select(User).where(User.email.like(f"bewoner%@{DEMO_DOMAIN}"), User.wijk_id.is_not(None))
            .order_by(User.id).limit(40)
        ).scalars().all()
        chosen = self.rng.sample(list(residents), 4)
        for person, (title, description, category) in zip(chosen, HELD_REQUESTS, strict=False):
            self._held_request(person, title, description, category, hours_ago=self.rng.uniform(2, 40))
        spam = self._held_request(chosen[3], *REJECTED_REQUEST, hours_ago=50, moderation=Moderation.REJECTED)
        at = self.now - timedelta(hours=30)
        self.session.add(Notification(user_id=spam.requester_id, kind="moderation_rejected", created_at=at,
                                      params={"item_kind": "request", "title": spam.title,
                                              "request": spam.public_id, "reason": "spam", "note": ""}))
        self.log(self.consulent, "reject", "request", spam.public_id, at, reason="spam", reports_closed=0)

        volunteer = self.session.execute(
            select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(User.email.like(f"vrijwilliger%@{DEMO_DOMAIN}"), VolunteerProfile.wijk_id.is_not(None))
            .order_by(User.id).offset(7).limit(1)
        ).scalar_one()
        assert volunteer.volunteer_profile is not None and volunteer.volunteer_profile.wijk_id is not None
        title, description, category = HELD_OFFER
        self.session.add(Offer(
            public_id=self.public_id(), volunteer_id=volunteer.id, title=title, description=description,
            category_key=category,
            wijk_id=volunteer.volunteer_profile.wijk_id, slots=["sat-morning"], languages=["nl"],
            status=OfferStatus.OPEN, created_at=(self.now - timedelta(hours=20)).replace(microsecond=0),
            moderation=Moderation.HELD, moderation_flags=check_text(f"{title}\n{description}") or None,
        ))
        return len(HELD_REQUESTS) + 1

    def reports(self) -> int:
        members = self.session.execute(
            select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"), User.email.not_like("consulent%"),
                                  User.email.not_like("beheer%")).order_by(User.id)
        ).scalars().all()
        reporters = self.rng.sample(list(members), 12)
        targets = self.rng.sample(self.open_public(), 3)
        count = 0
        # One request reported by three people: held until staff decide. Two more with a single report.
        for target, how_many in zip(targets, (3, 1, 1), strict=True):
            for _ in range(how_many):
                reporter = reporters.pop()
                if reporter == target.requester_id:
                    continue
                self.session.add(Report(reporter_id=reporter, target_kind="request", request_id=target.id,
                                        reason=self.rng.choice(REPORT_REASONS), details="",
                                        created_at=(self.now - timedelta(hours=self.rng.uniform(3, 60)))
                                        .replace(microsecond=0)))
                count += 1
            if how_many >= 3:
                target.moderation = Moderation.HELD
                target.moderation_flags = ["reported"]
        person = self.session.execute(
            select(User).where(User.email.like(f"vrijwilliger%@{DEMO_DOMAIN}")).order_by(User.id).offset(11)
            .limit(1)
        ).scalar_one()
        for reason, details in (("unsafe", "Vroeg om geld voor de boodschappen vooraf."),
                                ("offensive", "Onaardige berichten na afloop.")):
            self.session.add(Report(reporter_id=reporters.pop(), target_kind="person", person_id=person.id,
                                    reason=reason, details=details, is_urgent=reason in ("unsafe", "money"),
                                    created_at=(self.now - timedelta(days=self.rng.uniform(1, 6)))
                                    .replace(microsecond=0)))
            count += 1
        return count

    # -- warm hand-over --

    def handovers(self) -> int:
        candidates = [r for r in self.open_public() if r.category_key in ("paperwork", "carer_respite", "company")]
        older = self.session.execute(
            select(HelpRequest).where(HelpRequest.status == RequestStatus.EXPIRED,
                                      HelpRequest.category_key.in_(("paperwork", "company", "other")),
                                      HelpRequest.created_at >= self.now - timedelta(days=240))
            .options(selectinload(HelpRequest.responses)).order_by(HelpRequest.id)
        ).scalars().all()
        chosen = candidates[:2] + list(older[:2])
        for row, (partner, outcome, note) in zip(chosen, HANDOVER_PLAN, strict=False):
            when = min(row.created_at + timedelta(days=self.rng.randint(1, 4)), self.now - timedelta(hours=6))
            row.status = RequestStatus.HANDED_OVER
            row.closed_at = when.replace(microsecond=0)
            for response in row.responses:
                if response.status == ResponseStatus.PENDING:
                    response.status = ResponseStatus.NOT_CHOSEN
            self.session.add(Handover(request_id=row.id, partner=partner, handed_over_on=when.date(),
                                      outcome=outcome, staff_note=note, staff_id=self.consulent.id,
                                      created_at=when, updated_at=when))
            self.log(self.consulent, "handover", "request", row.public_id, when, partner=partner, outcome=outcome)
        return len(chosen)

    # -- requests nobody answered --

    def unanswered(self) -> int:
        cutoff = self.now - timedelta(days=DEFAULT_RESCUE_AFTER_DAYS)
        quiet = [r for r in self.open_public() if not r.responses]
        waiting = [r for r in quiet if r.created_at <= cutoff]
        for row in [r for r in quiet if r.created_at > cutoff][:max(0, 5 - len(waiting))]:
            shift = timedelta(days=self.rng.randint(4, 9))
            row.created_at -= shift
            row.updated_at = row.created_at
            row.expires_at -= shift
            waiting.append(row)
        return len(waiting)
