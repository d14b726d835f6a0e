"""Creating and reading notifications, and each person's e-mail preferences.

`notify` is what every feature calls. It stores the in-app message and routes the e-mail by the recipient's
preference: straight away (through the outbox, sent once the transaction commits), daily or weekly (picked up by
`flask digests send`), or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select, update

from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications import delivery, kinds
from webapp.notifications.models import Notification, NotificationPreference


def notify(user_id: int | None, kind: str, **params: Any) -> None:
    if user_id is None:
        return
    note = Notification(user_id=user_id, kind=kind, params=params)
    channel = channel_for(user_id, kinds.preference_for(kind)) if kinds.is_mailed(kind) else kinds.OFF
    if channel == kinds.OFF:
        note.emailed_at = utcnow()  # nothing to send, now or in a digest
    db.session.add(note)
    if channel == kinds.INSTANT:
        delivery.mail_now(note)


def notify_many(user_ids: Iterable[int], kind: str, **params: Any) -> int:
    """`notify` for many people at once (everyone at an activity, an initiative's followers): their e-mail choices are
    read in one go. Each person once; returns how many."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return 0
    mailed = kinds.is_mailed(kind)
    choices = channels_of(ids) if mailed else {}
    preference = kinds.preference_for(kind)
    for user_id in ids:
        note = Notification(user_id=user_id, kind=kind, params=params)
        channel = choices.get(user_id, {}).get(preference, kinds.OFF) if mailed else kinds.OFF
        if channel == kinds.OFF:
            note.emailed_at = utcnow()
        db.session.add(note)
        if channel == kinds.INSTANT:
            delivery.mail_now(note)
    return len(ids)


def unread_count(user_id: int) -> int:
    return db.session.execute(
        select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).scalar_one()


def recent_for(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# -- preferences ------------------------------------------------------------------------------------------------------

def channels_of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Every preference of these people, defaults filled in. People without an e-mail address get none."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    mailable = set(db.session.execute(
        select(User.id).where(User.id.in_(ids), User.email.is_not(None), User.is_blocked.is_(False))
    ).scalars())
    out = {user_id: dict(kinds.DEFAULTS if user_id in mailable else dict.fromkeys(kinds.DEFAULTS, kinds.OFF))
           for user_id in ids}
    for row in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(mailable))
    ).scalars():
        if row.kind in kinds.DEFAULTS:
            out[row.user_id][row.kind] = row.channel
    return out


def channel_for(user_id: int, preference: str) -> str:
    return channels_of([user_id]).get(user_id, {}).get(preference, kinds.OFF)


def preferences_of(user: User) -> dict[str, str]:
    """What this person chose (defaults filled in), for the settings page."""
    chosen = dict(kinds.DEFAULTS)
    for row in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).scalars():
        if row.kind in chosen:
            chosen[row.kind] = row.channel
    return chosen


def set_channel(user: User, preference: str, channel: str) -> None:
    """Choose how e-mail about one kind of news arrives. `preference` "all" sets every kind."""
    wanted = list(kinds.PREFERENCES) if preference == kinds.ALL else [preference]
    for name in wanted:
        if name not in kinds.PREFERENCES or channel not in kinds.channels_for(name):
            raise ValueError(f"unknown preference or channel: {name}={channel}")
    db.session.execute(delete(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind.in_(wanted)))
    db.session.add_all(NotificationPreference(user_id=user.id, kind=name, channel=channel) for name in wanted)
    db.session.flush()


def set_preferences(user: User, choices: Mapping[str, str]) -> None:
    for preference, channel in choices.items():
        set_channel(user, preference, channel)


def unsubscribe(user_public_id: str, preference: str) -> User | None:
    """Turn e-mail off for one kind (or all) from a signed link. None when the account no longer exists."""
    user = db.session.execute(select(User).where(User.public_id == user_public_id)).scalar_one_or_none()
    if user is not None:
        set_channel(user, preference, kinds.OFF)
    return user


def find_person(user_public_id: str) -> User | None:
    return db.session.execute(select(User).where(User.public_id == user_public_id)).scalar_one_or_none()
