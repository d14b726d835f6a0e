"""Following an initiative and its news: organisers post updates on its page and its followers are told. Backing an
initiative makes you a follower; both can be undone. Plain arguments in.

News is public (it is on the initiative's page), so it may not hold a phone number, an e-mail or a home address; it
reaches followers in the app and by e-mail as each chose ("following"). How often organisers may post is limited in
the view (core.ratelimit "initiative_news").
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import personal_data
from webapp.initiatives.models import Initiative, InitiativeFollower, InitiativeUpdate
from webapp.initiatives.services import NotAllowed, can_edit, card, insert_ignoring_duplicates, is_public
from webapp.notifications.services import notify_many

SHOWN = 5  # updates on the initiative's page


class PersonalData(Exception):
    """News for everyone may not name a phone number, e-mail address, home address, IBAN or BSN."""


def follow(user: User, initiative: Initiative) -> bool:
    """True when new. Only an initiative everyone may see can be followed."""
    if not is_public(initiative):
        raise NotAllowed
    return insert_ignoring_duplicates(InitiativeFollower, {"initiative_id": initiative.id, "user_id": user.id,
                                                           "created_at": utcnow()}, ["initiative_id", "user_id"])


def unfollow(user: User, initiative: Initiative) -> None:
    db.session.execute(delete(InitiativeFollower).where(InitiativeFollower.initiative_id == initiative.id,
                                                        InitiativeFollower.user_id == user.id)
                       .execution_options(synchronize_session=False))


def is_following(user: User | None, initiative: Initiative) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.get(InitiativeFollower, (initiative.id, user.id)) is not None


def follower_count(initiative: Initiative) -> int:
    return int(db.session.execute(select(func.count()).select_from(InitiativeFollower)
                                  .where(InitiativeFollower.initiative_id == initiative.id)).scalar_one())


def post_update(author: User, initiative: Initiative, body: str) -> tuple[InitiativeUpdate, int]:
    """An organiser posts news; every follower is told (not the author). Returns the update and how many heard."""
    if not can_edit(author, initiative) or not is_public(initiative):
        raise NotAllowed
    text = body.strip()
    if personal_data(text):
        raise PersonalData
    update = InitiativeUpdate(initiative_id=initiative.id, author_id=author.id, body=text, created_at=utcnow())
    db.session.add(update)
    followers = db.session.execute(select(InitiativeFollower.user_id).where(
        InitiativeFollower.initiative_id == initiative.id, InitiativeFollower.user_id != author.id)).scalars()
    told = notify_many(followers, "initiative_update", name=initiative.name, message=text[:300],
                       initiative=initiative.public_id)
    db.session.flush()
    return update, told


def updates_of(initiative: Initiative, limit: int = SHOWN) -> list[InitiativeUpdate]:
    return list(db.session.execute(
        select(InitiativeUpdate).where(InitiativeUpdate.initiative_id == initiative.id)
        .order_by(InitiativeUpdate.created_at.desc(), InitiativeUpdate.id.desc()).limit(limit)).scalars())


def followed_by(user: User) -> list[Initiative]:
    return list(db.session.execute(
        select(Initiative).join(InitiativeFollower, InitiativeFollower.initiative_id == Initiative.id)
        .where(InitiativeFollower.user_id == user.id).options(*card()).order_by(Initiative.name)).scalars())
