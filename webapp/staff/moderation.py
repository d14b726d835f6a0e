"""Moderation: the queue of held items, staff decisions on them, and reports by members.

Requests, offers and volunteer profiles carry a `moderation` state ("ok", "held", "rejected") and the flags that
put them on hold. The automatic checks run when they are saved (webapp.core.moderation); reports by members
hold an item once enough different people reported it (MODERATION_REPORT_THRESHOLD).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Flag, Moderation
from webapp.core.signals import request_published
from webapp.notifications.services import notify
from webapp.offers.models import Offer
from webapp.staff.models import Report, ReportTarget

DEFAULT_REPORT_THRESHOLD = 3


class NotFound(LookupError):
    pass


class ItemKind(StrEnum):
    REQUEST = "request"
    OFFER = "offer"
    PROFILE = "profile"


# Why a member reports something. Shown in the report form and to staff.
REPORT_REASONS: dict[str, LazyString] = {
    "personal_data": _l("It shows someone's personal details"),
    "offensive": _l("It is rude, hurtful or discriminating"),
    "spam": _l("It is advertising or spam"),
    "unsafe": _l("It feels unsafe or dishonest"),
    "not_help": _l("It is not a request or offer of neighbourly help"),
    "other": _l("Something else"),
}

# Why staff reject an item. The poster reads this in their own language, with the staff member's own words.
REJECT_REASONS: dict[str, LazyString] = {
    "personal_data": _l("The text contains personal details, such as a phone number or an address."),
    "offensive": _l("The text is rude, hurtful or discriminating."),
    "spam": _l("The text is advertising or spam."),
    "duplicate": _l("You already have a request or offer like this one."),
    "not_help": _l("This is not neighbourly help that volunteers can give."),
    "professional": _l("This needs a professional. The volunteer centre will contact you."),
    "other": _l("Another reason, see the note."),
}


# What the poster reads about a flag: what to change so the text can go online.
FLAG_HINTS: dict[str, LazyString] = {
    Flag.PHONE: _l("Remove the phone number. You share it only with the helper you choose."),
    Flag.EMAIL: _l("Remove the e-mail address. You share it only with the helper you choose."),
    Flag.ADDRESS: _l("Remove the street and house number. Neighbours only see your wijk."),
    Flag.IBAN: _l("Remove the bank account number (IBAN). Never share it on Samen."),
    Flag.BSN: _l("Remove the citizen service number (BSN). Never share it on Samen."),
    Flag.LINK: _l("Remove the link to a website."),
    Flag.ABUSE: _l("Remove rude or hurtful words."),
    Flag.SPAM: _l("This looks like advertising. Samen is for help between neighbours."),
    Flag.DUPLICATE: _l("You already have something open that looks the same. Change or close that one instead."),
    Flag.REPORTED: _l("Some members reported this. A staff member will look at it."),
}
# What staff read about a flag in the queue.
FLAG_LABELS: dict[str, LazyString] = {
    Flag.PHONE: _l("Phone number"),
    Flag.EMAIL: _l("E-mail address"),
    Flag.ADDRESS: _l("Street and house number"),
    Flag.IBAN: _l("Bank account number (IBAN)"),
    Flag.BSN: _l("Citizen service number (BSN)"),
    Flag.LINK: _l("Link to a website"),
    Flag.ABUSE: _l("Rude or hurtful words"),
    Flag.SPAM: _l("Advertising or spam"),
    Flag.DUPLICATE: _l("Looks like another open item of the same person"),
    Flag.REPORTED: _l("Reported by members"),
}


def flag_hint(flag: str) -> str:
    return str(FLAG_HINTS.get(flag, flag))


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS.get(flag, flag))


def report_reason_label(key: str) -> str:
    return str(REPORT_REASONS.get(key, key))


def reject_reason_label(key: str) -> str:
    return str(REJECT_REASONS.get(key, key))


@dataclass
class QueueItem:
    kind: str
    public_id: str
    title: str
    text: str
    flags: list[str]
    owner: User | None
    created_at: datetime
    reports: list[Report] = field(default_factory=list)


@dataclass
class PersonReports:
    person: User
    reports: list[Report]


def _open_reports(column: object, ids: list[int]) -> dict[int, list[Report]]:
    if not ids:
        return {}
    out: dict[int, list[Report]] = {}
    rows = db.session.execute(
        select(Report).where(column.in_(ids), Report.resolved_at.is_(None))  # type: ignore[attr-defined]
        .options(joinedload(Report.reporter)).order_by(Report.created_at)
    ).scalars()
    for report in rows:
        key = getattr(report, column.key)  # type: ignore[attr-defined]
        out.setdefault(key, []).append(report)
    return out


def moderation_queue() -> list[QueueItem]:
    """Held requests, offers and volunteer profiles, oldest first."""
    requests = db.session.execute(
        select(HelpRequest).where(HelpRequest.moderation == Moderation.HELD)
        .options(joinedload(HelpRequest.requester)).order_by(HelpRequest.created_at)
    ).scalars().all()
    offers = db.session.execute(
        select(Offer).where(Offer.moderation == Moderation.HELD)
        .options(joinedload(Offer.volunteer)).order_by(Offer.created_at)
    ).scalars().all()
    profiles = db.session.execute(
        select(VolunteerProfile).where(VolunteerProfile.moderation == Moderation.HELD)
        .options(joinedload(VolunteerProfile.user)).order_by(VolunteerProfile.updated_at)
    ).scalars().all()
    request_reports = _open_reports(Report.request_id, [r.id for r in requests])
    offer_reports = _open_reports(Report.offer_id, [o.id for o in offers])
    person_reports = _open_reports(Report.person_id, [p.user_id for p in profiles])
    items = [QueueItem(ItemKind.REQUEST, r.public_id, r.title, r.description, list(r.moderation_flags or []),
                       r.requester, r.created_at, request_reports.get(r.id, [])) for r in requests]
    items += [QueueItem(ItemKind.OFFER, o.public_id, o.title, o.description, list(o.moderation_flags or []),
                        o.volunteer, o.created_at, offer_reports.get(o.id, [])) for o in offers]
    items += [QueueItem(ItemKind.PROFILE, p.user.public_id, p.user.first_name, p.bio,
                        list(p.moderation_flags or []), p.user, p.updated_at, person_reports.get(p.user_id, []))
              for p in profiles]
    return sorted(items, key=lambda item: item.created_at)


def reported_people() -> list[PersonReports]:
    """People with open reports about them, most reported first."""
    reports = db.session.execute(
        select(Report).where(Report.target_kind == ReportTarget.PERSON, Report.resolved_at.is_(None))
        .options(joinedload(Report.person), joinedload(Report.reporter)).order_by(Report.created_at)
    ).scalars().all()
    grouped: dict[int, PersonReports] = {}
    for report in reports:
        if report.person is None:
            continue
        grouped.setdefault(report.person.id, PersonReports(report.person, [])).reports.append(report)
    return sorted(grouped.values(), key=lambda item: -len(item.reports))


def queue_size() -> int:
    return sum(
        db.session.execute(select(func.count()).where(model.moderation == Moderation.HELD)).scalar_one()
        for model in (HelpRequest, Offer, VolunteerProfile)
    )


# -- one item ---------------------------------------------------------------------------------------------------------

Item = HelpRequest | Offer | VolunteerProfile


def load_item(kind: str, public_id: str) -> Item:
    item: Item | None
    if kind == ItemKind.REQUEST:
        item = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one_or_none()
    elif kind == ItemKind.OFFER:
        item = db.session.execute(select(Offer).where(Offer.public_id == public_id)).scalar_one_or_none()
    elif kind == ItemKind.PROFILE:
        item = db.session.execute(
            select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
            .where(User.public_id == public_id)
        ).scalar_one_or_none()
    else:
        item = None
    if item is None:
        raise NotFound(public_id)
    return item


def _owner_id(item: Item) -> int | None:
    if isinstance(item, HelpRequest):
        return item.contact_staff_id or item.requester_id
    if isinstance(item, Offer):
        return item.volunteer_id
    return item.user_id


def _describe(item: Item) -> tuple[str, str, dict[str, str]]:
    """(kind, public id, notification params) of an item; params never hold contact details."""
    if isinstance(item, HelpRequest):
        return ItemKind.REQUEST, item.public_id, {"title": item.title, "request": item.public_id}
    if isinstance(item, Offer):
        return ItemKind.OFFER, item.public_id, {"title": item.title, "offer": item.public_id}
    return ItemKind.PROFILE, item.user.public_id, {"title": "", "profile": "1"}


def _resolve_reports(actor: User, item: Item) -> int:
    if isinstance(item, HelpRequest):
        condition = Report.request_id == item.id
    elif isinstance(item, Offer):
        condition = Report.offer_id == item.id
    else:
        condition = Report.person_id == item.user_id
    result = db.session.execute(
        update(Report).where(condition, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def approve(actor: User, item: Item) -> None:
    """The item may be public. Open reports on it are closed; the poster hears it is online."""
    was_held = item.moderation != Moderation.OK
    item.moderation = Moderation.OK
    item.moderation_flags = None
    kind, ref, params = _describe(item)
    resolved = _resolve_reports(actor, item)
    if was_held:
        notify(_owner_id(item), "moderation_approved", item_kind=kind, **params)
        if isinstance(item, HelpRequest) and item.offer is not None and item.is_open:
            notify(item.offer.volunteer_id, "asked", title=item.title, request=item.public_id)
        elif isinstance(item, HelpRequest) and item.is_open:
            request_published.send(item)  # into the lists of the volunteers it fits (webapp/hooks.py)
    log_action(actor, Action.APPROVE, kind, ref, reports_closed=resolved)


def reject(actor: User, item: Item, reason: str, note: str = "") -> None:
    """The item stays hidden. The poster reads the reason (in their language) and the staff member's note."""
    if reason not in REJECT_REASONS:
        raise ValueError(reason)
    item.moderation = Moderation.REJECTED
    kind, ref, params = _describe(item)
    resolved = _resolve_reports(actor, item)
    notify(_owner_id(item), "moderation_rejected", item_kind=kind, reason=reason, note=note.strip()[:1000], **params)
    log_action(actor, Action.REJECT, kind, ref, reason=reason, reports_closed=resolved)


def dismiss_person_reports(actor: User, person: User) -> int:
    count = int(getattr(db.session.execute(
        update(Report).where(Report.person_id == person.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id)
    ), "rowcount", 0) or 0)
    log_action(actor, Action.DISMISS_REPORTS, "person", person.public_id, reports_closed=count)
    return count


# -- reports by members -----------------------------------------------------------------------------------------------

def report(reporter: User, target_kind: str, target: HelpRequest | Offer | User, reason: str, details: str,
           threshold: int = DEFAULT_REPORT_THRESHOLD) -> Report:
    """Record a report. Once `threshold` different people reported an item, it is held until staff decide."""
    if reason not in REPORT_REASONS:
        raise ValueError(reason)
    row = Report(reporter_id=reporter.id, target_kind=target_kind, reason=reason, details=details.strip()[:1000])
    held: Item | None
    if isinstance(target, HelpRequest):
        row.request_id, condition, held = target.id, Report.request_id == target.id, target
    elif isinstance(target, Offer):
        row.offer_id, condition, held = target.id, Report.offer_id == target.id, target
    else:
        row.person_id, condition, held = target.id, Report.person_id == target.id, target.volunteer_profile
    db.session.add(row)
    db.session.flush()
    reporters = db.session.execute(
        select(func.count(func.distinct(Report.reporter_id))).where(condition, Report.resolved_at.is_(None))
    ).scalar_one()
    if held is not None and reporters >= threshold and held.moderation == Moderation.OK:
        held.moderation = Moderation.HELD
        held.moderation_flags = sorted({*(held.moderation_flags or []), Flag.REPORTED.value})
    return row


def find_target(target_kind: str, public_id: str) -> HelpRequest | Offer | User | None:
    if target_kind == ReportTarget.REQUEST:
        return db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one_or_none()
    if target_kind == ReportTarget.OFFER:
        return db.session.execute(select(Offer).where(Offer.public_id == public_id)).scalar_one_or_none()
    if target_kind == ReportTarget.PERSON:
        return db.session.execute(
            select(User).where(User.public_id == public_id).options(selectinload(User.volunteer_profile))
        ).scalar_one_or_none()
    return None


def reports_about(person: User) -> list[Report]:
    return list(db.session.execute(
        select(Report).where(Report.person_id == person.id).order_by(Report.created_at.desc())
    ).scalars())
