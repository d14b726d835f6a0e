"""Initiatives (and organisations), their organisers, needs and sign-ups, backing, activities and staff support."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.core.reference.models import Goal, Wijk


class InitiativeStatus(StrEnum):
    IDEA = "idea"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class NeedKind(StrEnum):
    VOLUNTEERS = "volunteers"
    EXPERTISE = "expertise"
    SPACE = "space"
    MATERIALS = "materials"
    MONEY = "money"


class NeedStatus(StrEnum):
    OPEN = "open"
    PARTLY_FILLED = "partly_filled"
    FILLED = "filled"


class SignupStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    # The organisers put the applicant on their shortlist: not a yes yet, but they will hear soon.
    SHORTLISTED = "shortlist"
    # Closed because the need came to need a certificate of conduct (VOG) the volunteer does not have.
    NEEDS_SCREENING = "needs_vog"


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    GOING = "going"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class SupportKind(StrEnum):
    ADVICE = "advice"
    GRANT = "grant"
    SPACE = "space"


initiative_wijken = Table(
    "initiative_wijken",
    Base.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_id", ForeignKey("wijken.id"), primary_key=True),
)

initiative_goals = Table(
    "initiative_goals",
    Base.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id"), primary_key=True),
)


class Initiative(Base):
    """A resident initiative, or a volunteering organisation (`is_organisation`)."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")  # of name, description
    is_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=InitiativeStatus.IDEA, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Set when staff confirmed the initiative (webapp.staff). Until then only its organisers and staff see it: it is
    # not listed, has no public page, cannot invite co-organisers and sees no suggested volunteers.
    confirmed_at: Mapped[datetime | None] = mapped_column(index=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the matching engine computed from the name, description and needs when they were saved.
    match_features: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)  # large; lists never need it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    wijken: Mapped[list[Wijk]] = relationship(secondary=initiative_wijken, order_by="Wijk.name")
    goals: Mapped[list[Goal]] = relationship(secondary=initiative_goals, order_by="Goal.id")
    organisers: Mapped[list[InitiativeOrganiser]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeOrganiser.id")
    needs: Mapped[list[InitiativeNeed]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeNeed.id")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="Activity.starts_at")

    def is_organiser(self, user: Any) -> bool:
        return bool(user is not None and getattr(user, "is_authenticated", False)
                    and any(o.user_id == user.id for o in self.organisers))

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class InitiativeOrganiser(Base):
    """The person who registered the initiative (`is_owner`) and co-organisers; all of them may edit."""

    __tablename__ = "initiative_organisers"
    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id", name="uq_initiative_organisers_initiative_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship()


class OrganiserInvitation(Base):
    """An organiser asked someone, by e-mail address, to organise the initiative with them. Nothing about the
    invitee shows anywhere (not even whether the address has an account) until they accept; then they become an
    InitiativeOrganiser. The e-mail carries a random token; only its SHA-256 hash is stored."""

    __tablename__ = "organiser_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    declined_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    initiative: Mapped[Initiative] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def is_pending(self, now: datetime) -> bool:
        return (self.accepted_at is None and self.declined_at is None and self.withdrawn_at is None
                and self.expires_at > now)


class InitiativeNeed(Base):
    """Something the initiative needs: volunteers, expertise, a space, materials or money, with progress."""

    __tablename__ = "initiative_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(String(300), default="")   # volunteers and expertise: what is asked
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")  # of the texts above
    how_many: Mapped[int] = mapped_column(Integer, default=1)     # volunteers: how many people
    on_date: Mapped[date | None]                                   # volunteers: a one-off date ...
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)   # ... or recurring slots ("tue-evening")
    is_recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[int | None] = mapped_column(Integer)            # money: euros asked
    amount_received: Mapped[int] = mapped_column(Integer, default=0)
    purpose: Mapped[str] = mapped_column(String(300), default="")  # money: what it is for
    # Volunteers and expertise: only volunteers with a valid certificate of conduct (VOG) may help (children,
    # people in a vulnerable position). Set by the organiser, or by the need's text (webapp.initiatives.needs).
    needs_screening: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Volunteers and expertise: where the work is (None: where the initiative is) and languages that help (empty:
    # any), so the front door can filter by distance and "suits me".
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Money: euros staff granted for this need (InitiativeSupport rows of kind grant that name it); progress counts
    # them next to what the organisers say they received from others.
    amount_granted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the volunteers it fits best were told about it (webapp.volunteering.alerts); None: not yet.
    alerted_at: Mapped[datetime | None]
    # What the matching engine computed from the need's text when it was saved (the front door ranks on it).
    match_features: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    status: Mapped[str] = mapped_column(String(14), default=NeedStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    filled_at: Mapped[datetime | None]

    initiative: Mapped[Initiative] = relationship(back_populates="needs")
    wijk: Mapped[Wijk | None] = relationship()
    signups: Mapped[list[NeedSignup]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedSignup.created_at")

    @property
    def confirmed_count(self) -> int:
        return sum(1 for s in self.signups if s.status == SignupStatus.CONFIRMED)

    @property
    def is_open(self) -> bool:
        return self.status != NeedStatus.FILLED

    @property
    def amount_done(self) -> int:
        """Money: what the organisers received from others and what staff granted, together."""
        return self.amount_received + self.amount_granted


class NeedSignup(Base):
    """A person offers to fill a need; an organiser confirms or declines."""

    __tablename__ = "need_signups"
    __table_args__ = (UniqueConstraint("need_id", "volunteer_id", name="uq_need_signups_need_id_volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    need_id: Mapped[int] = mapped_column(ForeignKey("initiative_needs.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=SignupStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    # When the organisers said no: which of the kind texts they chose (webapp.initiatives.applicants.KIND_WORDS), and
    # words of their own; both are shown to the volunteer.
    decline_reason: Mapped[str] = mapped_column(String(10), default="", server_default="")
    decline_message: Mapped[str] = mapped_column(Text, default="", server_default="")

    need: Mapped[InitiativeNeed] = relationship(back_populates="signups")
    volunteer: Mapped[User] = relationship()
    hours: Mapped[list[SignupHours]] = relationship(
        back_populates="signup", cascade="all, delete-orphan", order_by="SignupHours.worked_on")


class SignupHours(Base):
    """Hours a confirmed volunteer gave for a need (a weekly role: one row a week or so). Their organisers see them."""

    __tablename__ = "signup_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("need_signups.id", ondelete="CASCADE"), index=True)
    worked_on: Mapped[date]
    hours: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signup: Mapped[NeedSignup] = relationship(back_populates="hours")


class NeedInvitation(Base):
    """An organiser invited a suggested volunteer to look at a need."""

    __tablename__ = "need_invitations"
    __table_args__ = (UniqueConstraint("need_id", "volunteer_id", name="uq_need_invitations_need_id_volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("initiative_needs.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InitiativeFollower(Base):
    """Someone follows an initiative's news (its updates). Backing it makes you a follower; both can be undone."""

    __tablename__ = "initiative_followers"

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InitiativeUpdate(Base):
    """News an organiser posted on the initiative's page; its followers are told."""

    __tablename__ = "initiative_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Backing(Base):
    """A resident backs (steunt) an initiative. Once per person: the database refuses a second row."""

    __tablename__ = "initiative_backings"
    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id", name="uq_initiative_backings_initiative_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """A dated activity of an initiative. Times are UTC; `sequence` counts changes (for calendar programs).

    A repeating activity is one row per date, sharing a `series_id`. An activity with shifts is a parent row whose
    shifts are activities of their own (`parent_id`), each with its own times, places and waiting list; people join a
    shift, not the parent."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")  # of title, description
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")  # a public place, e.g. a community centre
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int | None] = mapped_column(Integer)         # None: no limit
    # Only people with a valid certificate of conduct (VOG) may join (the organiser says so: work with children).
    needs_screening: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(10), default=ActivityStatus.PLANNED)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    series_id: Mapped[str | None] = mapped_column(String(16), index=True)   # the dates of one repeating activity
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    # When the people going were reminded, the day before (`flask initiatives remind`); None: not yet.
    reminded_at: Mapped[datetime | None]
    # What the matching engine computed from the title and description when saved (the front door ranks on it).
    match_features: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="activities")
    wijk: Mapped[Wijk] = relationship()
    participants: Mapped[list[ActivityParticipant]] = relationship(
        back_populates="activity", cascade="all, delete-orphan",
        order_by="ActivityParticipant.id")
    shifts: Mapped[list[Activity]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", order_by="Activity.starts_at")
    parent: Mapped[Activity | None] = relationship(back_populates="shifts", remote_side=[id])

    @property
    def has_shifts(self) -> bool:
        return bool(self.shifts)

    @property
    def going_count(self) -> int:
        return sum(1 for p in self.participants if p.status == ParticipantStatus.GOING)

    @property
    def waiting_count(self) -> int:
        return sum(1 for p in self.participants if p.status == ParticipantStatus.WAITING)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity


class ActivityParticipant(Base):
    """Someone going to an activity, or on its waiting list (in order of sign-up); hours they logged."""

    __tablename__ = "activity_participants"
    __table_args__ = (UniqueConstraint("activity_id", "user_id", name="uq_activity_participants_activity_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ParticipantStatus.GOING)
    hours: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class ActivityMessage(Base):
    """A message an organiser sent to everyone signed up for an activity (in the app and by e-mail)."""

    __tablename__ = "activity_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InitiativeSupport(Base):
    """Support staff gave an initiative: advice (hours), a small grant (euros) or a space. For reports."""

    __tablename__ = "initiative_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    hours: Mapped[float | None] = mapped_column(Float)
    amount: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300), default="")
    given_on: Mapped[date]
    # A grant that answers a money need of the initiative; its progress counts it (InitiativeNeed.amount_granted).
    need_id: Mapped[int | None] = mapped_column(ForeignKey("initiative_needs.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[User | None] = relationship()
    need: Mapped[InitiativeNeed | None] = relationship()
