"""District budgets (wijkbudget): a round per stadsdeel, costed proposals, who voted, and the ballots.

Who voted and what they chose are kept apart (docs/BUDGETS.md): a `BudgetVoter` row says that a person took part
and holds their choice sealed (encrypted with a key that is not in the database) until the round is counted; the
count then writes the choices as `BudgetBallot` rows without any link to a person, in random order, and empties the
sealed copies. No ballot row has a timestamp or a counting id.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Stadsdeel, Wijk
from webapp.initiatives.models import Initiative, InitiativeNeed


class Phase(StrEnum):
    UPCOMING = "upcoming"  # nothing yet: proposals open later
    PROPOSALS = "proposals"  # residents and initiatives send in proposals
    REVIEW = "review"  # staff check what can be done; nobody sends in or votes
    VOTING = "voting"
    COUNTING = "counting"  # voting has ended, staff still have to count
    FINISHED = "finished"  # counted: the results are public


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the check by staff
    ACCEPTED = "accepted"  # on the ballot
    REJECTED = "rejected"  # not feasible; the reason is public


class FundedVia(StrEnum):
    RESERVE = "reserve"  # from the share kept for new initiatives
    VOTES = "votes"  # from the rest of the budget, in order of votes


class BudgetRound(Base):
    """One district budget: an amount for one stadsdeel, with dates for proposals and for voting.

    Rounds with the same `cycle` (e.g. "2027") in different stadsdelen form one group: a person votes in one of them.
    """

    __tablename__ = "budget_rounds"
    __table_args__ = (UniqueConstraint("stadsdeel_id", "cycle", name="uq_budget_rounds_stadsdeel_id_cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    stadsdeel_id: Mapped[int] = mapped_column(ForeignKey("stadsdelen.id"), index=True)
    cycle: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int] = mapped_column(Integer)  # euros
    new_share_percent: Mapped[int] = mapped_column(Integer, default=10)  # kept for new initiatives
    min_choices: Mapped[int] = mapped_column(Integer, default=1)  # a ballot chooses at least this many
    proposals_from: Mapped[date]
    proposals_until: Mapped[date]
    voting_from: Mapped[date]
    voting_until: Mapped[date]
    counted_at: Mapped[datetime | None]
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ballots_counted: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    stadsdeel: Mapped[Stadsdeel] = relationship()

    def phase(self, today: date) -> Phase:
        if self.counted_at is not None:
            return Phase.FINISHED
        if today < self.proposals_from:
            return Phase.UPCOMING
        if today <= self.proposals_until:
            return Phase.PROPOSALS
        if today < self.voting_from:
            return Phase.REVIEW
        if today <= self.voting_until:
            return Phase.VOTING
        return Phase.COUNTING

    @property
    def reserve(self) -> int:
        """The euros kept for proposals of new initiatives (rounded up: "at least")."""
        return -(-self.amount * self.new_share_percent // 100)


class BudgetProposal(Base):
    """A costed proposal for the round, by a resident or on behalf of an initiative."""

    __tablename__ = "budget_proposals"
    __table_args__ = (Index("ix_budget_proposals_round_id_status", "round_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")  # of title and summary
    cost: Mapped[int] = mapped_column(Integer)  # euros
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"))  # None: the whole stadsdeel
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.SUBMITTED)
    # The automatic text checks (webapp.core.moderation): a held proposal is shown to its author and staff only.
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.OK)
    moderation_flags: Mapped[list[str] | None] = mapped_column(JSON)
    decision_reason: Mapped[str] = mapped_column(Text, default="")  # public, when staff reject it
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when staff accept it: a resident's own idea, or an initiative that is no organisation and was never funded
    # by a district budget before (docs/BUDGETS.md).
    is_new_initiative: Mapped[bool] = mapped_column(Boolean, default=False)
    votes: Mapped[int | None] = mapped_column(Integer)  # set by the count
    funded_via: Mapped[str | None] = mapped_column(String(10))  # set by the count, for funded proposals
    need_id: Mapped[int | None] = mapped_column(ForeignKey("initiative_needs.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(Text, default="")  # what it achieved, told after it was funded
    outcome_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[BudgetRound] = relationship()
    wijk: Mapped[Wijk | None] = relationship()
    initiative: Mapped[Initiative | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    need: Mapped[InitiativeNeed | None] = relationship()

    @property
    def is_funded(self) -> bool:
        return self.funded_via is not None


class BudgetVoter(Base):
    """This person has voted in this round (once: the primary key; once per cycle: the unique key). `sealed` holds
    their choice, encrypted, until the count; `counted` says afterwards whether their ballot was counted."""

    __tablename__ = "budget_voters"
    __table_args__ = (UniqueConstraint("cycle", "user_id", name="uq_budget_voters_cycle_user_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    cycle: Mapped[str] = mapped_column(String(20))
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"))  # where they lived when they voted: turnout
    by_intake: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    counted: Mapped[bool | None] = mapped_column(Boolean)


class BudgetBallot(Base):
    """A counted ballot: the proposals chosen, and nothing about who chose them or when. Written by the count."""

    __tablename__ = "budget_ballots"

    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"), index=True)
    choices: Mapped[list[int]] = mapped_column(JSON)


class BudgetIntake(Base):
    """A staff member entered a ballot for a resident without an account, with the resident's consent (as the staff
    intake of a request records it)."""

    __tablename__ = "budget_intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    consent_how: Mapped[str] = mapped_column(String(12))  # phone, in_person, paper
    consent_given_by: Mapped[str] = mapped_column(String(12))  # resident, family, carer, other
    consent_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")  # staff only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resident: Mapped[User | None] = relationship(foreign_keys=[resident_id])
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
