"""Certificates of conduct (VOG) beyond the check itself: what an auditor asks for (reference number, screening
profile), volunteers who applied and wait for theirs, and reminders before one lapses, to the volunteer and to staff,
each sent once. Plain arguments in, rows out; staff actions are written to the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User, VolunteerProfile
from webapp.core import outbox
from webapp.core.audit import Action, log_action
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.i18n import in_language
from webapp.core.ids import utcnow
from webapp.core.mail import Mail, external_url
from webapp.staff.emails import staff_on_duty
from webapp.staff.models import Screening
from webapp.staff.rescue_models import VogApplication, VogReminder

# The Justis screening profile a VOG was asked for: the general profile's "functieaspecten" a volunteer centre asks
# for most, and the special profile 45. Stored as these codes (the numbers Justis prints on the certificate).
PROFILE_CODES: dict[str, object] = {
    "12": _l("12 · Handling confidential information"),
    "21": _l("21 · Handling money or valuables"),
    "84": _l("84 · Caring for children (minors)"),
    "85": _l("85 · Caring for people who need help, such as older or disabled people"),
    "45": _l("45 · Health care and welfare (special profile)"),
}
REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9]")
REMINDER_DAYS = (60, 14)  # before a VOG lapses, the volunteer and staff hear it


def profile_label(code: str) -> str:
    return str(PROFILE_CODES.get(code, code))


def normal_reference(text: str) -> str:
    """The reference as stored: capitals, without spaces."""
    return re.sub(r"\s+", "", text).upper()


def valid_reference(text: str) -> bool:
    return bool(REFERENCE.fullmatch(normal_reference(text)))


# -- applied for -------------------------------------------------------------------------------------------------------

def record_application(actor: User, volunteer: User, requested_on: date) -> None:
    """The volunteer applied for a VOG on `requested_on` (the "applied for" filter until it is recorded). A second
    record moves the date."""
    statement = conflict_insert(VogApplication.__table__, db.session.get_bind()).values(
        volunteer_id=volunteer.id, requested_on=requested_on, created_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(index_elements=["volunteer_id"],
                                                       set_={"requested_on": requested_on}))
    log_action(actor, Action.VOG_APPLIED, "person", volunteer.public_id, requested_on=requested_on.isoformat())


def application_of(volunteer: User) -> VogApplication | None:
    return db.session.get(VogApplication, volunteer.id)


def received(volunteer: User) -> None:
    """The certificate is recorded: no longer waiting for it."""
    db.session.execute(delete(VogApplication).where(VogApplication.volunteer_id == volunteer.id)
                       .execution_options(synchronize_session=False))


# -- reminders ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminded:
    volunteer: User
    valid_until: date
    days_left: int


def _mail(template: str, to: str, locale: str, subject: object, **context: object) -> Mail:
    locale = locale if locale in current_app.config["LANGUAGES"] else "nl"
    with in_language(locale):
        get = current_app.jinja_env.get_template
        context = {**context, "locale": locale}
        return Mail(to=to, subject=str(subject), locale=locale,
                    text=get(f"staff/email/{template}.txt").render(**context),
                    html=get(f"staff/email/{template}.html").render(**context))


def send_reminders(today: date | None = None) -> list[Reminded]:
    """Mail every volunteer whose VOG lapses within 60 or 14 days (REMINDER_DAYS) and one list of them to the staff on
    duty (webapp.staff.emails: every staff member when nobody is). Each reminder once: a row per volunteer, end date
    and threshold, inserted conditionally, so running the job twice (or two runs at once) sends nothing twice. A run
    that missed the 60-day reminder and finds 14 days left sends only the 14-day one. Mails go through the outbox,
    sent after the caller commits. Returns who was reminded."""
    today = today or utcnow().date()
    profiles = db.session.execute(
        select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.screened_flag.is_(True), VolunteerProfile.screened_until >= today,
               VolunteerProfile.screened_until <= today + timedelta(days=max(REMINDER_DAYS)),
               User.is_blocked.is_(False))
        .order_by(VolunteerProfile.screened_until, VolunteerProfile.user_id)
    ).scalars().all()
    reminded: list[Reminded] = []
    bind = db.session.get_bind()
    for profile in profiles:
        assert profile.screened_until is not None
        days_left = (profile.screened_until - today).days
        new = 0
        for days in (d for d in REMINDER_DAYS if days_left <= d):
            statement = conflict_insert(VogReminder.__table__, bind).values(
                volunteer_id=profile.user_id, valid_until=profile.screened_until, days_before=days, sent_at=utcnow(),
            ).on_conflict_do_nothing(index_elements=["volunteer_id", "valid_until", "days_before"]
                                     ).returning(VogReminder.__table__.c.id)
            new += db.session.execute(statement).first() is not None  # RETURNING: reliable on both databases
        if not new:
            continue
        volunteer = profile.user
        reminded.append(Reminded(volunteer, profile.screened_until, days_left))
        if volunteer.email:
            outbox.queue(_mail("vog_reminder", volunteer.email, volunteer.locale,
                               _l("Samen: your certificate of conduct (VOG) ends soon"), name=volunteer.first_name,
                               until=profile.screened_until, days=days_left))
    if reminded:
        link = external_url("staff.screening", status="screened")
        for member in staff_on_duty():
            assert member.email
            outbox.queue(_mail("vog_digest", member.email, member.locale,
                               _l("Samen: certificates of conduct (VOG) that end soon"), name=member.first_name,
                               reminded=reminded, link=link))
    return reminded


def list_details(user_ids: list[int]) -> tuple[dict[int, Screening], dict[int, VogApplication]]:
    """For the VOG list: each volunteer's latest screening (with who recorded it) and their open application."""
    latest: dict[int, Screening] = {}
    if user_ids:
        for row in db.session.execute(
                select(Screening).where(Screening.volunteer_id.in_(user_ids)).options(joinedload(Screening.recorded_by))
                .order_by(Screening.checked_on, Screening.id)).scalars():
            latest[row.volunteer_id] = row
    applied = {a.volunteer_id: a for a in db.session.execute(
        select(VogApplication).where(VogApplication.volunteer_id.in_(user_ids))).scalars()} if user_ids else {}
    return latest, applied
