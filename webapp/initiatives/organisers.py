"""Who organises an initiative: co-organisers are invited by e-mail address and join only when they accept; organisers
can leave; invitations expire and can be withdrawn. Plain arguments in, rows out.

Nothing about an invited person shows anywhere (name, contact details, whether the address has an account) until
they accept. Inviting answers the same for every address. The link in the e-mail carries a random token; only its
SHA-256 hash is stored, so the table cannot be read to accept someone else's invitation. Accepting from one's own
page (without the link) needs an account whose address was confirmed: registering someone else's address gives
nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.accounts.services import find_by_email, normalise_email
from webapp.core import outbox
from webapp.core.extensions import db
from webapp.core.i18n import in_language
from webapp.core.ids import utcnow
from webapp.core.mail import Mail, external_url
from webapp.initiatives.models import Initiative, InitiativeOrganiser, OrganiserInvitation
from webapp.initiatives.services import NotAllowed, can_edit, insert_ignoring_duplicates

# Organisers and open invitations together, per initiative.
MAX_ORGANISERS = 10


class NotConfirmed(Exception):
    """Staff have not confirmed the initiative yet: it cannot invite anyone."""


class TooMany(Exception):
    """The initiative has MAX_ORGANISERS organisers and open invitations."""


class LastOrganiser(Exception):
    """The only organiser cannot leave: someone has to take over first (or the initiative ends)."""


class BadInvitation(Exception):
    """The link or invitation is unknown, used, withdrawn, declined or expired."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _days() -> int:
    return int(current_app.config["ORGANISER_INVITATION_DAYS"])


def pending(initiative: Initiative, now: datetime | None = None) -> list[OrganiserInvitation]:
    """Open invitations of the initiative, for its organisers (who typed these addresses themselves)."""
    moment = now or utcnow()
    return list(db.session.execute(
        select(OrganiserInvitation).where(
            OrganiserInvitation.initiative_id == initiative.id, OrganiserInvitation.accepted_at.is_(None),
            OrganiserInvitation.declined_at.is_(None), OrganiserInvitation.withdrawn_at.is_(None),
            OrganiserInvitation.expires_at > moment)
        .order_by(OrganiserInvitation.created_at, OrganiserInvitation.id)
    ).scalars())


def invite(actor: User, initiative: Initiative, email: str) -> str | None:
    """Invite an address to organise the initiative; returns the link's token (None when no e-mail went out). The
    caller shows the same answer whatever the address: whether it has an account, is an organiser already or was
    invited already stays unknown. An organiser's address, or one with an open invitation, gets no second e-mail."""
    if not can_edit(actor, initiative):
        raise NotAllowed
    if not initiative.is_confirmed:
        raise NotConfirmed
    address = normalise_email(email)
    now = utcnow()
    open_invitations = pending(initiative, now)
    if len(initiative.organisers) + len(open_invitations) >= MAX_ORGANISERS:
        raise TooMany
    if any(i.email == address for i in open_invitations) or any(
            o.user is not None and o.user.email == address for o in initiative.organisers):
        return None
    token = secrets.token_urlsafe(24)
    invitation = OrganiserInvitation(initiative_id=initiative.id, email=address, token_hash=_hash(token),
                                     invited_by_id=actor.id, created_at=now,
                                     expires_at=now + timedelta(days=_days()))
    db.session.add(invitation)
    person = find_by_email(address)
    outbox.queue(_invitation_mail(address, person.locale if person is not None else actor.locale, actor,
                                  initiative, token))
    return token


def _invitation_mail(address: str, locale: str, inviter: User, initiative: Initiative, token: str) -> Mail:
    languages = current_app.config["LANGUAGES"]
    locale = locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    link = external_url("initiatives.organisers.invitation", token=token)
    with in_language(locale):
        context = {"inviter": inviter.first_name, "initiative": initiative.name, "link": link, "days": _days(),
                   "locale": locale}
        env = current_app.jinja_env
        return Mail(to=address, subject=_("Samen: will you organise %(name)s together?", name=initiative.name),
                    locale=locale, text=env.get_template("initiatives/email/invitation.txt").render(**context),
                    html=env.get_template("initiatives/email/invitation.html").render(**context))


def withdraw(actor: User, initiative: Initiative, invitation_public_id: str) -> None:
    if not can_edit(actor, initiative):
        raise NotAllowed
    _answer(select_by=OrganiserInvitation.public_id == invitation_public_id, initiative_id=initiative.id,
            values={"withdrawn_at": utcnow()})


@dataclass(frozen=True)
class Found:
    invitation: OrganiserInvitation
    initiative: Initiative


def by_token(token: str) -> Found:
    """The open invitation this link is for, or BadInvitation."""
    invitation = db.session.execute(
        select(OrganiserInvitation).where(OrganiserInvitation.token_hash == _hash(token))
        .options(joinedload(OrganiserInvitation.initiative), joinedload(OrganiserInvitation.invited_by))
    ).scalar_one_or_none()
    if invitation is None or not invitation.is_pending(utcnow()):
        raise BadInvitation
    return Found(invitation, invitation.initiative)


def for_person(user: User) -> list[OrganiserInvitation]:
    """Open invitations to this person's address, once they confirmed it (for their own page)."""
    if not user.email or user.email_verified_at is None:
        return []
    now = utcnow()
    return [i for i in db.session.execute(
        select(OrganiserInvitation).where(OrganiserInvitation.email == user.email)
        .options(joinedload(OrganiserInvitation.initiative), joinedload(OrganiserInvitation.invited_by))
        .order_by(OrganiserInvitation.created_at)).scalars() if i.is_pending(now)]


def mine(user: User, invitation_public_id: str) -> Found:
    """An open invitation to this person's confirmed address, by its id (from their own page), or BadInvitation."""
    invitation = next((i for i in for_person(user) if i.public_id == invitation_public_id), None)
    if invitation is None:
        raise BadInvitation
    return Found(invitation, invitation.initiative)


def accept(user: User, found: Found) -> None:
    """The invited person says yes and becomes an organiser. One answer per invitation: a conditional UPDATE."""
    if user.is_blocked:
        raise NotAllowed
    initiative = found.initiative
    _answer(select_by=OrganiserInvitation.id == found.invitation.id, initiative_id=initiative.id,
            values={"accepted_at": utcnow(), "accepted_by_id": user.id})
    if initiative.is_organiser(user):
        return
    if len(initiative.organisers) >= MAX_ORGANISERS:
        raise TooMany
    insert_ignoring_duplicates(InitiativeOrganiser, {"initiative_id": initiative.id, "user_id": user.id,
                                                     "is_owner": False, "created_at": utcnow()},
                               ["initiative_id", "user_id"])
    db.session.refresh(initiative, ["organisers"])


def decline(found: Found) -> None:
    _answer(select_by=OrganiserInvitation.id == found.invitation.id, initiative_id=found.initiative.id,
            values={"declined_at": utcnow()})


def _answer(*, select_by: Any, initiative_id: int, values: dict[str, Any]) -> None:
    """Close an open invitation (accepted, declined or withdrawn): once, even when two people answer at once."""
    changed = int(cast(CursorResult[Any], db.session.execute(
        update(OrganiserInvitation)
        .where(select_by, OrganiserInvitation.initiative_id == initiative_id,
               OrganiserInvitation.accepted_at.is_(None), OrganiserInvitation.declined_at.is_(None),
               OrganiserInvitation.withdrawn_at.is_(None), OrganiserInvitation.expires_at > utcnow())
        .values(**values).execution_options(synchronize_session=False))).rowcount)
    if changed != 1:
        raise BadInvitation


def leave(user: User, initiative: Initiative) -> None:
    """An organiser stops organising. The only organiser cannot: someone takes over first, or the initiative ends.
    When the person who registered it leaves, the longest-serving organiser becomes its owner."""
    row = next((o for o in initiative.organisers if o.user_id == user.id), None)
    if row is None:
        raise NotAllowed
    others = [o for o in initiative.organisers if o.user_id != user.id and o.user is not None
              and not o.user.is_blocked]
    if not others:
        raise LastOrganiser
    initiative.organisers.remove(row)
    if row.is_owner:
        min(others, key=lambda o: (o.created_at, o.id)).is_owner = True
    db.session.flush()


def forget(email: str) -> None:
    """Remove the invitations to this address (the person's account is erased; webapp.privacy)."""
    for invitation in db.session.execute(
            select(OrganiserInvitation).where(func.lower(OrganiserInvitation.email) == email.lower())).scalars():
        db.session.delete(invitation)
