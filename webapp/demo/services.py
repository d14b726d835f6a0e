"""Deterministic demo data: `flask --app webapp demo seed [--scale N]`.

`generator.generate` builds plain records from the reference data (no database); `insert_demo_data` writes
them with bulk INSERTs in batches. Every account gets the same password hash (hashed once), so seeding stays fast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, scoped_session

from webapp.accounts.models import User, UserRole, VolunteerProfile
from webapp.accounts.passwords import hash_password
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.ids import utcnow
from webapp.core.reference.models import Category, PostcodeArea, Wijk
from webapp.core.text_features import encode_help_request, encode_volunteer_profile
from webapp.demo.generator import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    SEED,
    CategoryRef,
    DemoData,
    MatchRecord,
    NotificationRecord,
    OfferRecord,
    PersonRecord,
    ProfileRecord,
    Reference,
    RequestRecord,
    ResponseRecord,
    WijkRef,
    fixed_now,
    generate,
)
from webapp.demo.initiatives import generate_initiatives, insert_initiatives
from webapp.notifications.models import Notification
from webapp.offers.models import Offer

Progress = Callable[[str], None]
AnySession = Session | scoped_session[Any]
T = TypeVar("T")
BATCH_SIZE = 2000
FIXED_ACCOUNTS = ("inwoner", "vrijwilliger", "organisator", "consulent", "beheer")


def read_reference(session: AnySession) -> Reference:
    """The reference rows the generator needs, in a stable order."""
    wijken = session.execute(select(Wijk).options(joinedload(Wijk.stadsdeel)).order_by(Wijk.code)).scalars().all()
    pc4s: dict[int, list[tuple[str, float]]] = {}
    for wijk_id, pc4, weight in session.execute(
        select(PostcodeArea.wijk_id, PostcodeArea.pc4, PostcodeArea.weight).order_by(PostcodeArea.pc4)
    ):
        pc4s.setdefault(wijk_id, []).append((pc4, float(weight)))
    categories = session.execute(select(Category).order_by(Category.position, Category.key)).scalars().all()
    return Reference(
        wijken=tuple(
            WijkRef(code=w.code, name=w.name, stadsdeel=w.stadsdeel.name, inhabitants=max(w.inhabitants, 1),
                    pc4s=tuple(pc4s.get(w.id, ())) or (("", 1.0),))
            for w in wijken
        ),
        categories=tuple(CategoryRef(key=c.key, requires_screening=c.requires_screening) for c in categories),
    )


def demo_data_present(session: AnySession) -> bool:
    found = session.execute(
        select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}")).limit(1)
    ).first()
    return found is not None


def seed_demo(session: AnySession, scale: int = 1, progress: Progress | None = None, *, seed: int = SEED,
              today: date | None = None, with_match_features: bool = True,
              staff_totp_secret: str = DEMO_TOTP_SECRET) -> str:
    """Generate and insert the demo data; return a one-paragraph summary. Does nothing when demo accounts exist.

    `today` fixes the end of the 12-month history (default: the current UTC date); the same seed, scale and
    date give the same data. `with_match_features=False` skips the matching engine's encoders (faster).
    `staff_totp_secret`: the two-step secret of the demo staff accounts (the published one unless the command line
    chose another: on a server the public can reach, it must not be the published one).
    """
    if demo_data_present(session):
        return (f"Demo data already present (accounts @{DEMO_DOMAIN} exist); nothing added. "
                f"Log in as inwoner@{DEMO_DOMAIN} with password {DEMO_PASSWORD}.")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    reference = read_reference(session)
    if not reference.wijken or not reference.categories:
        raise RuntimeError("Reference data missing: run `flask --app webapp reference load` first.")
    expiry_days = int(current_app.config.get("REQUEST_EXPIRY_DAYS", 60)) if has_app_context() else 60
    now = fixed_now(today or utcnow().date())
    data = generate(reference, scale, seed=seed, now=now, expiry_days=expiry_days, progress=progress)
    insert_demo_data(session, data, hash_password(DEMO_PASSWORD), progress=progress,
                     with_match_features=with_match_features, staff_totp_secret=staff_totp_secret)
    extra = generate_initiatives(data, reference, scale, seed=seed, now=now)
    insert_initiatives(session, data, extra, progress=progress)
    return summarise(data, scale, seed) + " " + extra.summary()


def _insert(session: AnySession, model: Any, records: Sequence[T], to_row: Callable[[T], dict[str, Any]], label: str,
            progress: Progress | None, *, returning: bool = False) -> list[int]:
    """Bulk INSERT in batches (rows are built per batch, so progress covers the encoders too).

    With `returning`: the new primary keys in the order of `records`, looked up by public_id afterwards
    (an ordered RETURNING makes SQLite insert row by row).
    """
    public_ids: list[str] = []
    for start in range(0, len(records), BATCH_SIZE):
        rows = [to_row(record) for record in records[start:start + BATCH_SIZE]]
        session.execute(model.__table__.insert(), rows)
        if returning:
            public_ids.extend(row["public_id"] for row in rows)
        if progress is not None:
            progress(f"{label} {start + len(rows)}/{len(records)}")
    if not returning:
        return []
    ids: dict[str, int] = {}
    for start in range(0, len(public_ids), 500):
        wanted = public_ids[start:start + 500]
        ids.update(session.execute(select(model.public_id, model.id).where(model.public_id.in_(wanted))).all())
    return [ids[public_id] for public_id in public_ids]


def insert_demo_data(session: AnySession, data: DemoData, password_hash: str, *, progress: Progress | None = None,
                     with_match_features: bool = True, staff_totp_secret: str = DEMO_TOTP_SECRET) -> None:
    """Write generated records. Foreign keys are resolved from list positions to the new ids."""
    wijken = {w.code: w for w in session.execute(select(Wijk)).scalars()}
    categories = {c.key: c for c in session.execute(select(Category)).scalars()}

    def wijk_id(code: str | None) -> int | None:
        return wijken[code].id if code else None

    def user_row(p: PersonRecord) -> dict[str, Any]:
        return {
            "public_id": p.public_id, "email": p.email, "password_hash": password_hash if p.email else None,
            "first_name": p.first_name, "last_name": p.last_name, "phone": p.phone, "postcode": p.postcode,
            "wijk_id": wijk_id(p.wijk_code), "locale": p.locale, "is_blocked": False, "created_at": p.created_at,
            "last_login_at": p.last_login_at,
            # Demo people count as having confirmed their address; demo staff share one two-step secret (the
            # published one, except on a public server: see `flask demo seed`).
            "email_verified_at": p.created_at if p.email else None,
            "totp_secret": staff_totp_secret if p.email and {"staff", "admin"} & set(p.roles) else None,
        }

    user_ids = _insert(session, User, data.people, user_row, "accounts", progress, returning=True)

    roles = [(user_ids[i], role) for i, p in enumerate(data.people) for role in p.roles]
    _insert(session, UserRole, roles, lambda r: {"user_id": r[0], "role": r[1]}, "roles", progress)

    def profile_row(item: tuple[int, ProfileRecord]) -> dict[str, Any]:
        user_id, pr = item
        row: dict[str, Any] = {
            "user_id": user_id, "skills": pr.skills, "languages": pr.languages, "postcode": pr.postcode,
            "wijk_id": wijk_id(pr.wijk_code), "max_distance_km": pr.max_distance_km, "availability": pr.availability,
            "bio": pr.bio, "is_screened": pr.is_screened, "screened_at": pr.screened_at, "updated_at": pr.updated_at,
            # Demo volunteers said organisers may find them, so organisers' pages show suggestions.
            "findable_by_organisers": True,
        }
        features = None
        if with_match_features:  # encoded from an unsaved profile, as the profile form does on save
            transient = VolunteerProfile(**row)
            transient.wijk = wijken.get(pr.wijk_code)
            features = encode_volunteer_profile(transient)
        row["match_features"] = features
        return row

    profiles = [(user_ids[i], p.profile) for i, p in enumerate(data.people) if p.profile is not None]
    _insert(session, VolunteerProfile, profiles, profile_row, "volunteer profiles", progress)

    def offer_row(o: OfferRecord) -> dict[str, Any]:
        return {
            "public_id": o.public_id, "volunteer_id": user_ids[o.volunteer], "title": o.title,
            "description": o.description, "category_key": o.category_key, "wijk_id": wijk_id(o.wijk_code),
            "slots": o.slots, "languages": o.languages, "status": o.status, "created_at": o.created_at,
            "text_language": data.people[o.volunteer].writes,
        }

    offer_ids = _insert(session, Offer, data.offers, offer_row, "offers", progress, returning=True)

    def request_row(r: RequestRecord) -> dict[str, Any]:
        row: dict[str, Any] = {
            "public_id": r.public_id, "requester_id": user_ids[r.requester], "title": r.title,
            "description": r.description, "category_key": r.category_key, "wijk_id": wijk_id(r.wijk_code),
            "on_date": r.on_date, "slots": r.slots, "languages": r.languages, "is_recurring": r.is_recurring,
            "needs_screening": r.needs_screening, "offer_id": offer_ids[r.offer] if r.offer is not None else None,
            "status": r.status, "created_at": r.created_at, "updated_at": r.updated_at, "expires_at": r.expires_at,
            "closed_at": r.closed_at, "text_language": r.text_language,
        }
        features = None
        if with_match_features:  # encoded from an unsaved request, as posting one does
            transient = HelpRequest(**{k: v for k, v in row.items() if k not in ("requester_id", "offer_id")})
            transient.category = categories[r.category_key]
            transient.wijk = wijken[r.wijk_code]
            features = encode_help_request(transient)
        row["match_features"] = features
        return row

    request_ids = _insert(session, HelpRequest, data.requests, request_row, "requests", progress, returning=True)

    def response_row(r: ResponseRecord) -> dict[str, Any]:
        return {
            "public_id": r.public_id, "request_id": request_ids[r.request], "volunteer_id": user_ids[r.volunteer],
            "message": r.message, "status": r.status, "created_at": r.created_at,
            "text_language": data.people[r.volunteer].writes,
        }

    response_ids = _insert(session, Response, data.responses, response_row, "responses", progress, returning=True)

    def match_row(m: MatchRecord) -> dict[str, Any]:
        return {
            "request_id": request_ids[m.request], "response_id": response_ids[m.response],
            "volunteer_id": user_ids[m.volunteer], "created_at": m.created_at, "done_at": m.done_at,
            "hours": m.hours, "requester_thanks": m.requester_thanks, "volunteer_thanks": m.volunteer_thanks,
            # Each side thanked once; the hours were written by the requester when they thanked, else the volunteer.
            "requester_thanked_at": m.done_at if m.requester_thanks else None,
            "volunteer_thanked_at": m.done_at if m.volunteer_thanks else None,
            "requester_hours": m.hours if m.requester_thanks else None,
            "volunteer_hours": None if m.requester_thanks else m.hours,
        }

    _insert(session, Match, data.matches, match_row, "matches", progress)

    def notification_row(n: NotificationRecord) -> dict[str, Any]:
        return {"user_id": user_ids[n.user], "kind": n.kind, "params": n.params, "created_at": n.created_at,
                "read_at": n.read_at}

    _insert(session, Notification, data.notifications, notification_row, "notifications", progress)
    session.flush()


def summarise(data: DemoData, scale: int, seed: int) -> str:
    people = data.people
    residents = sum(1 for p in people if "resident" in p.roles)
    volunteers = [p for p in people if p.profile is not None]
    screened = sum(1 for p in volunteers if p.profile is not None and p.profile.is_screened)
    staff = sum(1 for p in people if "staff" in p.roles)
    no_login = sum(1 for p in people if p.email is None)
    status = Counter(r.status for r in data.requests)
    english = sum(1 for r in data.requests if r.text_language == "en")
    screening = sum(1 for r in data.requests if r.needs_screening)
    direct = sum(1 for r in data.requests if r.offer is not None)
    hours = sum(m.hours or 0 for m in data.matches)
    thanked = sum(1 for m in data.matches if m.requester_thanks)
    wijken = len({r.wijk_code for r in data.requests})
    categories = len({r.category_key for r in data.requests})
    return (
        f"Demo data loaded (scale {scale}, seed {seed}): {len(people)} accounts — {residents} residents "
        f"({no_login} without a log-in, posted for by staff), {len(volunteers)} volunteers ({screened} screened), "
        f"{staff} staff; {len(data.requests)} requests over 12 months in {wijken} wijken and {categories} "
        f"categories ({status['open']} open, {status['matched']} matched, {status['done']} done, "
        f"{status['cancelled']} cancelled, {status['expired']} expired; {screening} need a screened volunteer, "
        f"{english} in English, {direct} asked directly from an offer); {len(data.responses)} responses, "
        f"{len(data.matches)} matches with {hours:g} hours logged and {thanked} thanked; {len(data.offers)} offers; "
        f"{len(data.notifications)} notifications. Log in as "
        f"{', '.join(f'{name}@{DEMO_DOMAIN}' for name in FIXED_ACCOUNTS)} with password {DEMO_PASSWORD}."
    )
