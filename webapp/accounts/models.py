"""Accounts and volunteer profiles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
    or_,
    true,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.access import Role
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Wijk


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", name="uq_user_roles_user_id_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    # Changed at logout, so a session cookie issued before it stops working (server-side logout).
    session_token: Mapped[str] = mapped_column(String(16), default=new_public_id)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="")
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_login_at: Mapped[datetime | None]
    # Set when the person opened the link in the verification e-mail (or reset their password by e-mail).
    email_verified_at: Mapped[datetime | None]
    # Two-step login (staff and admins): the TOTP secret (base32) and the last time step accepted, so a code
    # can be used only once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Staff only: gets urgent reports ("unsafe", "money") by e-mail at once. When nobody is on duty, all staff do.
    staff_on_duty: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    wijk: Mapped[Wijk | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    volunteer_profile: Mapped[VolunteerProfile | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )

    def get_id(self) -> str:
        return f"{self.public_id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses blocked people
        return not self.is_blocked

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.STAFF, Role.ADMIN)

    @property
    def is_screened(self) -> bool:
        return bool(self.volunteer_profile and self.volunteer_profile.is_screened)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))


class RecoveryCode(Base):
    """A one-time code to log in when the authenticator app is lost. Only a SHA-256 hash is stored: the codes are
    long random strings, not chosen by people."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class VolunteerProfile(Base):
    __tablename__ = "volunteer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    postcode: Mapped[str] = mapped_column(String(7), default="")
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    max_distance_km: Mapped[float] = mapped_column(Float, default=3.0)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    # The stored flag; `is_screened` also checks that the certificate of conduct has not lapsed.
    screened_flag: Mapped[bool] = mapped_column("is_screened", Boolean, default=False)
    screened_at: Mapped[datetime | None]
    screened_until: Mapped[date | None] = mapped_column(index=True)  # None: no end date recorded
    # The volunteer's choice (off until they tick it): organisers of confirmed initiatives may see their first name
    # and suggest tasks to them. Requesters never see suggested volunteers' names; staff always may.
    findable_by_organisers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Automatic text checks and staff decisions on the bio; a held profile is not suggested to anyone.
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.OK, server_default=Moderation.OK.value,
                                            index=True)
    moderation_flags: Mapped[list[str] | None] = mapped_column(JSON)
    # What the matching engine computed from the profile text when it was saved.
    match_features: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)  # undefer where ranked
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="volunteer_profile")
    wijk: Mapped[Wijk | None] = relationship()

    @hybrid_property
    def is_screened(self) -> bool:
        """Checked (VOG) and not lapsed. Works in SQL too: `VolunteerProfile.is_screened.is_(True)`."""
        return bool(self.screened_flag) and (self.screened_until is None or self.screened_until >= utcnow().date())

    @is_screened.inplace.setter
    def _is_screened_setter(self, value: bool) -> None:
        self.screened_flag = value

    @is_screened.inplace.expression
    @classmethod
    def _is_screened_expression(cls) -> ColumnElement[bool]:
        return and_(cls.screened_flag.is_(True),
                    or_(cls.screened_until.is_(None), cls.screened_until >= utcnow().date()))


class AccountErasure(Base):
    """The record that an account was erased (webapp.privacy). The user row stays as an empty shell (no name,
    e-mail, phone, postcode, password), so that counts in reports, sign-ups and backings keep adding up."""

    __tablename__ = "account_erasures"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_staff: Mapped[bool] = mapped_column(Boolean, default=False)
