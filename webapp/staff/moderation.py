"""Moderation: the queue of held and reported items, staff decisions on them, and reports by members.

Requests, offers and volunteer profiles carry a `moderation` state ("ok", "held", "rejected", "waiting") and the
flags that put them on hold. The automatic checks run when they are saved (webapp.core.moderation).

Reports by members (`report`):
* every report is in the staff queue at once, with who reported and that reporter's record (how many of their
  reports staff upheld or dismissed), so staff can follow up and see serial reporters;
* "unsafe" and "money" reports are urgent: first in the queue and e-mailed to the staff on duty (staff/emails.py);
* one open report per reporter and target (a second click or a second try adds nothing), and at most a few a day;
* an item is hidden before staff decide only when the reports about it weigh enough (MODERATION_REPORT_THRESHOLD):
  a report weighs 1 from an account older than two weeks, 0.2 from a newer one, half a point more for each of the
  reporter's past reports staff upheld (at most one point more), and nothing from a reporter staff mostly
  disagreed with. Reporting at all needs a confirmed e-mail address (webapp.accounts.confirmation).

A decision is a transition from the state the staff member saw ("held", or "ok" for a reported item still online),
made by a conditional UPDATE checked by its row count, and only on the text they read: the decision form carries
`version(item)` from when the queue was drawn. When two staff members decide at once, or a colleague's old tab
decides after the item was decided or its text changed, the second gets AlreadyDecided: nothing is changed, logged
or sent twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import CursorResult, String, case, exists, func, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core import outbox
from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Flag, Moderation
from webapp.core.pagination import Page, paginate
from webapp.notifications.services import notify
from webapp.offers.models import Offer
from webapp.staff import emails
from webapp.staff.models import Report, ReportOutcome, ReportTarget

DEFAULT_REPORT_THRESHOLD = 3
TRUSTED_AFTER = timedelta(days=14)  # a reporter's account counts fully from this age
NEW_ACCOUNT_WEIGHT = 0.2
UPHELD_BONUS, MAX_BONUS = 0.5, 1.0
URGENT_REASONS = frozenset({"unsafe", "money"})


class NotFound(LookupError):
    pass


class AlreadyDecided(Exception):
    """Someone else decided on this item, or its text changed, since the page was drawn. `now`: its state now."""

    def __init__(self, now: str) -> None:
        super().__init__(now)
        self.now = now


class AlreadyReported(Exception):
    """This person has an open report about this target already (a second click adds nothing)."""

    def __init__(self, existing: Report) -> None:
        super().__init__(existing.id)
        self.report = existing


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
    "money": _l("It asks for money, for example up front"),
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
    is_public: bool = False  # reported but still online (not held): staff keep it or reject it
    seen: str = ""  # version() when the page was drawn: the decision forms send it back

    @property
    def is_urgent(self) -> bool:
        return any(r.is_urgent for r in self.reports)


@dataclass
class PersonReports:
    person: User
    reports: list[Report]

    @property
    def is_urgent(self) -> bool:
        return any(r.is_urgent for r in self.reports)


@dataclass(frozen=True)
class ReporterRecord:
    """What staff see about a reporter next to each report: to follow up, and to notice serial reporters."""

    total: int = 0
    open: int = 0
    upheld: int = 0
    dismissed: int = 0

    @property
    def mostly_dismissed(self) -> bool:
        return self.dismissed >= 3 and self.dismissed > 2 * self.upheld


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


def _queue_rows() -> Any:
    """(kind, id, urgent, sort time) of every item in the queue, as one subquery over the three tables: held, or a
    request or offer with an open report (public or not). `urgent` is 0 when an open urgent report is about it."""
    def urgent(column: Any, key: Any) -> Any:
        return case((exists(select(Report.id).where(column == key, Report.resolved_at.is_(None),
                                                    Report.is_urgent.is_(True))), 0), else_=1)

    def reported(column: Any, key: Any) -> Any:
        # IN, not a correlated EXISTS: with `held OR IN (...)` both sides use an index (SQLite's multi-index OR);
        # EXISTS made it test every request and offer (6 ms of CPU per branch and query on 100x demo data).
        return key.in_(select(column).where(column.is_not(None), Report.resolved_at.is_(None)))

    return union_all(
        select(literal(ItemKind.REQUEST.value, String(10)).label("kind"), HelpRequest.id.label("id"),
               urgent(Report.request_id, HelpRequest.id).label("urgent"), HelpRequest.created_at.label("at"))
        .where((HelpRequest.moderation == Moderation.HELD) | reported(Report.request_id, HelpRequest.id)),
        select(literal(ItemKind.OFFER.value, String(10)), Offer.id, urgent(Report.offer_id, Offer.id),
               Offer.created_at)
        .where((Offer.moderation == Moderation.HELD) | reported(Report.offer_id, Offer.id)),
        select(literal(ItemKind.PROFILE.value, String(10)), VolunteerProfile.user_id,
               urgent(Report.person_id, VolunteerProfile.user_id), VolunteerProfile.updated_at)
        .where(VolunteerProfile.moderation == Moderation.HELD),
    ).subquery()


def moderation_queue(page: int = 1, per_page: int = 20) -> Page[QueueItem]:
    """One page of the queue: held requests, offers and volunteer profiles, and requests and offers with an open
    report (public or not); urgent ones first, then oldest first."""
    rows = _queue_rows()
    keys = paginate(select(rows.c.kind, rows.c.id), page, per_page, rows.c.urgent, rows.c.at, rows.c.kind, rows.c.id,
                    rows=True)
    wanted: dict[str, list[int]] = {kind.value: [] for kind in ItemKind}
    for kind, key in keys.items:
        wanted[kind].append(key)
    requests = {r.id: r for r in db.session.execute(
        select(HelpRequest).where(HelpRequest.id.in_(wanted[ItemKind.REQUEST]))
        .options(joinedload(HelpRequest.requester))).scalars()}
    offers = {o.id: o for o in db.session.execute(
        select(Offer).where(Offer.id.in_(wanted[ItemKind.OFFER])).options(joinedload(Offer.volunteer))).scalars()}
    profiles = {p.user_id: p for p in db.session.execute(
        select(VolunteerProfile).where(VolunteerProfile.user_id.in_(wanted[ItemKind.PROFILE]))
        .options(joinedload(VolunteerProfile.user))).scalars()}
    request_reports = _open_reports(Report.request_id, list(requests))
    offer_reports = _open_reports(Report.offer_id, list(offers))
    person_reports = _open_reports(Report.person_id, list(profiles))
    items: list[QueueItem] = []
    for kind, key in keys.items:
        if kind == ItemKind.REQUEST and key in requests:
            r = requests[key]
            items.append(QueueItem(ItemKind.REQUEST, r.public_id, r.title, r.description,
                                   list(r.moderation_flags or []), r.requester, r.created_at,
                                   request_reports.get(r.id, []), r.moderation == Moderation.OK, version(r)))
        elif kind == ItemKind.OFFER and key in offers:
            o = offers[key]
            items.append(QueueItem(ItemKind.OFFER, o.public_id, o.title, o.description,
                                   list(o.moderation_flags or []), o.volunteer, o.created_at,
                                   offer_reports.get(o.id, []), o.moderation == Moderation.OK, version(o)))
        elif kind == ItemKind.PROFILE and key in profiles:
            p = profiles[key]
            items.append(QueueItem(ItemKind.PROFILE, p.user.public_id, p.user.first_name, p.bio,
                                   list(p.moderation_flags or []), p.user, p.updated_at,
                                   person_reports.get(p.user_id, []), False, version(p)))
    return Page(items=items, page=keys.page, pages=keys.pages, total=keys.total)


def reported_people() -> list[PersonReports]:
    """People with open reports about them: urgent ones first, then the most reported."""
    reports = db.session.execute(
        select(Report).where(Report.target_kind == ReportTarget.PERSON, Report.resolved_at.is_(None))
        .options(joinedload(Report.person), joinedload(Report.reporter)).order_by(Report.created_at)
    ).scalars().all()
    grouped: dict[int, PersonReports] = {}
    for report in reports:
        if report.person is None:
            continue
        grouped.setdefault(report.person.id, PersonReports(report.person, [])).reports.append(report)
    return sorted(grouped.values(), key=lambda item: (not item.is_urgent, -len(item.reports)))


def reporter_records(reporter_ids: Iterable[int | None]) -> dict[int, ReporterRecord]:
    """Every report these people filed, counted: open, upheld, dismissed (one query)."""
    ids = sorted({i for i in reporter_ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(
        select(Report.reporter_id, func.count(),
               func.sum(case((Report.resolved_at.is_(None), 1), else_=0)),
               func.sum(case((Report.outcome == ReportOutcome.UPHELD, 1), else_=0)),
               func.sum(case((Report.outcome == ReportOutcome.DISMISSED, 1), else_=0)))
        .where(Report.reporter_id.in_(ids)).group_by(Report.reporter_id)
    ).all()
    return {row[0]: ReporterRecord(int(row[1]), int(row[2] or 0), int(row[3] or 0), int(row[4] or 0))
            for row in rows}


def queue_reporter_records(items: list[QueueItem], people: list[PersonReports]) -> dict[int, ReporterRecord]:
    groups: list[list[Report]] = [item.reports for item in items] + [entry.reports for entry in people]
    return reporter_records(r.reporter_id for group in groups for r in group)


def queue_size() -> int:
    """Items in the moderation queue: held, or reported and still public."""
    held = sum(
        db.session.execute(select(func.count()).where(model.moderation == Moderation.HELD)).scalar_one()
        for model in (HelpRequest, Offer, VolunteerProfile)
    )
    reported = db.session.execute(
        select(func.count(func.distinct(HelpRequest.id))).join(Report, Report.request_id == HelpRequest.id)
        .where(Report.resolved_at.is_(None), HelpRequest.moderation != Moderation.HELD)
    ).scalar_one() + db.session.execute(
        select(func.count(func.distinct(Offer.id))).join(Report, Report.offer_id == Offer.id)
        .where(Report.resolved_at.is_(None), Offer.moderation != Moderation.HELD)
    ).scalar_one()
    return int(held + reported)


def urgent_count() -> int:
    return int(db.session.execute(
        select(func.count()).where(Report.is_urgent.is_(True), Report.resolved_at.is_(None))).scalar_one())


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


def _resolve_reports(actor: User, item: Item, outcome: ReportOutcome) -> int:
    if isinstance(item, HelpRequest):
        condition = Report.request_id == item.id
    elif isinstance(item, Offer):
        condition = Report.offer_id == item.id
    else:
        condition = Report.person_id == item.user_id
    return resolve_reports(actor, outcome, condition)


def resolve_reports(actor: User | None, outcome: ReportOutcome, *where: object) -> int:
    """Close the open reports that match `where` with this outcome; how many."""
    result = db.session.execute(
        update(Report).where(*where, Report.resolved_at.is_(None))  # type: ignore[arg-type]
        .values(resolved_at=utcnow(), resolved_by_id=actor.id if actor is not None else None, outcome=outcome,
                open_key=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def version(item: Item, state: str | None = None) -> str:
    """The item's state and what staff read of it, as a short fingerprint: a decision applies only to this."""
    if isinstance(item, VolunteerProfile):
        shown: list[Any] = [item.user.first_name, item.skills, item.bio]
    else:
        shown = [item.title, item.description]
    moderation = state or item.moderation
    digest = hashlib.sha256(json.dumps([moderation, *shown], ensure_ascii=False).encode()).hexdigest()[:16]
    return f"{moderation}-{digest}"


def _decide(item: Item, new_state: Moderation, seen: str) -> str:
    """From the state in `seen` ("held", or "ok" for a reported item still online) to new_state, only for the text
    in `seen`; AlreadyDecided otherwise. Returns the state it came from."""
    was = seen.partition("-")[0]
    if was not in (Moderation.HELD, Moderation.OK):
        raise AlreadyDecided(item.moderation)
    model = type(item)
    key = VolunteerProfile.user_id if isinstance(item, VolunteerProfile) else model.id  # type: ignore[union-attr]
    changed = int(cast(CursorResult[Any], db.session.execute(
        update(model).where(key == getattr(item, key.key), model.moderation == was)
        .values(moderation=new_state).execution_options(synchronize_session=False))).rowcount)
    db.session.refresh(item)  # what is stored now, after whoever decided first
    if changed != 1:
        raise AlreadyDecided(item.moderation)
    if version(item, was) != seen:
        raise AlreadyDecided(was)  # the state they saw, but not the text this person read: the caller rolls back
    return was


def approve(actor: User, item: Item, seen: str) -> None:
    """The item may be public (a held one goes online; a reported one stays). Open reports on it are closed as
    dismissed; the poster of a held item hears it is online. `seen`: version(item) when the page was drawn. Raises
    AlreadyDecided (the caller rolls back)."""
    was = _decide(item, Moderation.OK, seen)
    item.moderation_flags = None
    kind, ref, params = _describe(item)
    resolved = _resolve_reports(actor, item, ReportOutcome.DISMISSED)
    if was == Moderation.OK and not resolved:
        raise AlreadyDecided(Moderation.OK)  # a colleague kept this reported item a moment ago
    if was != Moderation.OK:
        notify(_owner_id(item), "moderation_approved", item_kind=kind, **params)
        if isinstance(item, HelpRequest) and item.offer is not None and item.is_open:
            notify(item.offer.volunteer_id, "asked", title=item.title, request=item.public_id)
    log_action(actor, Action.APPROVE, kind, ref, reports_closed=resolved)


def reject(actor: User, item: Item, reason: str, note: str = "", *, seen: str) -> None:
    """The item stays hidden (or goes offline). The poster reads the reason (in their language) and the staff
    member's note. `seen` as for approve()."""
    if reason not in REJECT_REASONS:
        raise ValueError(reason)
    _decide(item, Moderation.REJECTED, seen)
    kind, ref, params = _describe(item)
    resolved = _resolve_reports(actor, item, ReportOutcome.UPHELD)
    notify(_owner_id(item), "moderation_rejected", item_kind=kind, reason=reason, note=note.strip()[:1000], **params)
    log_action(actor, Action.REJECT, kind, ref, reason=reason, reports_closed=resolved)


def dismiss_person_reports(actor: User, person: User) -> int:
    count = resolve_reports(actor, ReportOutcome.DISMISSED, Report.person_id == person.id)
    log_action(actor, Action.DISMISS_REPORTS, "person", person.public_id, reports_closed=count)
    return count


# -- reports by members -----------------------------------------------------------------------------------------------

def reporter_weight(reporter: User, now: datetime | None = None) -> float:
    """How much one report of this person counts towards hiding an item before staff decide."""
    record = reporter_records([reporter.id]).get(reporter.id, ReporterRecord())
    if record.mostly_dismissed:
        return 0.0
    established = reporter.created_at <= (now or utcnow()) - TRUSTED_AFTER
    base = 1.0 if established or reporter.is_staff else NEW_ACCOUNT_WEIGHT
    return base + min(MAX_BONUS, UPHELD_BONUS * record.upheld)


def _target(target: HelpRequest | Offer | User) -> tuple[str, Any, Item | None]:
    """(the column holding the target's id, a condition on it, the item a hold applies to)."""
    if isinstance(target, HelpRequest):
        return "request_id", Report.request_id == target.id, target
    if isinstance(target, Offer):
        return "offer_id", Report.offer_id == target.id, target
    return "person_id", Report.person_id == target.id, target.volunteer_profile


def report(reporter: User, target_kind: str, target: HelpRequest | Offer | User, reason: str, details: str,
           threshold: float = DEFAULT_REPORT_THRESHOLD) -> Report:
    """Record a report: in the staff queue at once; urgent ones e-mailed to the staff on duty. AlreadyReported when
    this person has an open report about the target. The item is hidden until staff decide once its open reports
    weigh `threshold` (see the module's description)."""
    if reason not in REPORT_REASONS:
        raise ValueError(reason)
    column, condition, held = _target(target)
    open_key = f"{target_kind}:{target.id}"
    existing = db.session.execute(
        select(Report).where(Report.reporter_id == reporter.id, Report.open_key == open_key)
    ).scalar_one_or_none()
    if existing is not None:
        raise AlreadyReported(existing)
    row = Report(reporter_id=reporter.id, target_kind=target_kind, reason=reason, details=details.strip()[:1000],
                 open_key=open_key, is_urgent=reason in URGENT_REASONS, weight=reporter_weight(reporter))
    setattr(row, column, target.id)
    try:
        with db.session.begin_nested():  # the same report sent twice at once: the unique key keeps one
            db.session.add(row)
    except IntegrityError:
        again = db.session.execute(
            select(Report).where(Report.reporter_id == reporter.id, Report.open_key == open_key)
        ).scalar_one()
        raise AlreadyReported(again) from None
    weight = db.session.execute(
        select(func.coalesce(func.sum(Report.weight), 0)).where(condition, Report.resolved_at.is_(None))
    ).scalar_one()
    if held is not None and float(weight) >= threshold and held.moderation == Moderation.OK:
        held.moderation = Moderation.HELD
        held.moderation_flags = sorted({*(held.moderation_flags or []), Flag.REPORTED.value})
    if row.is_urgent:
        for mail in emails.urgent_report_mails(target_kind, REPORT_REASONS[reason]):
            outbox.queue(mail)
    return row


def release_unfounded_holds(threshold: float) -> int:
    """After reports were voided (their reporter was blocked): items held only because of reports whose remaining
    open weight is below the threshold go public again. Returns how many."""
    released = 0
    pairs: tuple[tuple[type[HelpRequest] | type[Offer], Any], ...] = (
        (HelpRequest, Report.request_id), (Offer, Report.offer_id))
    for model, column in pairs:
        held = cast(list[HelpRequest | Offer], list(
            db.session.execute(select(model).where(model.moderation == Moderation.HELD)).scalars()))
        for item in held:
            if list(item.moderation_flags or []) != [Flag.REPORTED.value]:
                continue
            weight = db.session.execute(
                select(func.coalesce(func.sum(Report.weight), 0)).where(column == item.id,
                                                                        Report.resolved_at.is_(None))
            ).scalar_one()
            if float(weight) < threshold:
                item.moderation, item.moderation_flags = Moderation.OK, None
                released += 1
    return released


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
