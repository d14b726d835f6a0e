"""Deleting an account (the right to erasure), by the person or, for accounts without a password, by staff.

The user row is kept as an empty shell: no name, e-mail, phone, postcode, password or session, no roles, blocked,
and recorded in `account_erasures`. Keeping the id means the figures the city reads (volunteers active and new,
per wijk), the number of sign-ups for a need and the number of backers of an initiative stay what they were,
while nothing in them points at a person any more. The e-mail address is free to register again.

What happens to each kind of data (the export in export.py lists the same tables):
- own requests: open ones cancelled, ongoing matches ended (the helper is told), all anonymised (anonymise.py);
- responses to others' requests: message replaced, pending ones withdrawn; an ongoing match ends (the requester
  is told); the match row stays for the statistics, without the link to the helper and without thank-you notes;
- offers, notifications, e-mail preferences and digests, screenings, invitations received (also invitations to
  organise, sent to their address), suggestion history, reports about the person, organiser roles, the day's record
  of suggested volunteers an organiser saw: removed;
- sign-ups for needs (with the hours given), backings, activity places: kept, pointing at the empty shell, messages
  removed; following initiatives, the calendar feed and alerts about vacancies: removed; news posted on an initiative
  stays (it is the initiative's) without its author, messages sent to an activity's participants lose their text;
- reports the person filed: kept without the link and without the details;
- the audit log is append-only and is not changed: it refers to ids, never to names or contact details.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, delete, or_, select, update
from sqlalchemy.orm import Session

from webapp.accounts.models import AccountErasure, RecoveryCode, User, UserRole
from webapp.accounts.passwords import verify_password
from webapp.asks.models import HelpRequest, Match, RequestStatus, Response, ResponseStatus, SuggestionEvent
from webapp.budgets.models import BudgetIntake, BudgetProposal, BudgetRound, BudgetVoter
from webapp.core import outbox
from webapp.core.audit import Action, log_action
from webapp.core.extensions import Base, db
from webapp.core.ids import new_public_id, utcnow
from webapp.initiatives import organisers
from webapp.initiatives.models import (
    ActivityMessage,
    Initiative,
    InitiativeFollower,
    InitiativeOrganiser,
    InitiativeSupport,
    InitiativeUpdate,
    NeedInvitation,
    NeedSignup,
    OrganiserInvitation,
)
from webapp.notifications.models import EmailDigest, Notification, NotificationPreference
from webapp.notifications.services import notify
from webapp.offers.models import Offer
from webapp.privacy.anonymise import (
    PLACEHOLDER,
    anonymise_requests,
    close_open_request,
    end_ongoing_match,
)
from webapp.staff.models import ContactLogEntry, Handover, HandoverNote, Intake, Report, Screening, StaffTask
from webapp.staff.rescue_models import VogApplication, VogReminder
from webapp.suggestions.invalidation import invalidate as invalidate_suggestions
from webapp.suggestions.models import Invitation, ShownVolunteer, SuggestionNotice
from webapp.volunteering.models import CalendarFeed, NeedAlert

# Columns of `users` that stay on the empty shell; every other text column is emptied (also ones added later).
KEEP_USER_COLUMNS = frozenset({"public_id", "session_token", "locale"})


class NeedsPassword(Exception):
    """The password given does not match (or the account has none: staff delete it)."""


def is_erased(user: User) -> bool:
    return db.session.get(AccountErasure, user.id) is not None


def erased_ids(session: Session | None = None) -> set[int]:
    return set((session or db.session).execute(select(AccountErasure.user_id)).scalars())


def _end_own_requests(user: User, now: datetime) -> None:
    own = db.session.execute(select(HelpRequest).where(HelpRequest.requester_id == user.id)).scalars().all()
    for help_request in own:
        if help_request.status == RequestStatus.OPEN and close_open_request(help_request, now):
            for response in help_request.responses:
                if response.status == ResponseStatus.PENDING:
                    notify(response.volunteer_id, "request_withdrawn", name=help_request.wijk.name)
        if help_request.status == RequestStatus.MATCHED and end_ongoing_match(help_request, now):
            match = db.session.execute(select(Match).where(Match.request_id == help_request.id)).scalar_one_or_none()
            if match is not None:
                notify(match.volunteer_id, "match_ended_requester_left", name=help_request.wijk.name)
    anonymise_requests(own, now)


def _end_own_responses(user: User, now: datetime) -> None:
    # Pending responses are withdrawn in one conditional UPDATE, before anything is read: a resident choosing this
    # helper at this very moment either chose first (the response is accepted and the match ends below, with the
    # resident told) or finds the response withdrawn (asks.services refuses the choice politely).
    db.session.execute(update(Response).where(Response.volunteer_id == user.id,
                                              Response.status == ResponseStatus.PENDING)
                       .values(status=ResponseStatus.WITHDRAWN).execution_options(synchronize_session=False))
    responses = db.session.execute(select(Response).where(Response.volunteer_id == user.id)
                                   .execution_options(populate_existing=True)).scalars().all()
    for response in responses:
        help_request = response.help_request
        if response.status == ResponseStatus.ACCEPTED and end_ongoing_match(help_request, now):
            notify(help_request.contact_staff_id or help_request.requester_id, "match_ended_helper_left",
                   title=help_request.title, request=help_request.public_id)
        response.message = PLACEHOLDER
    # The match stays for the statistics (category, wijk, dates, hours), without the helper and their words.
    db.session.execute(update(Match).where(Match.volunteer_id == user.id)
                       .values(volunteer_id=None, requester_thanks="", volunteer_thanks="")
                       .execution_options(synchronize_session="fetch"))


def _remove_offers(user: User) -> None:
    offer_ids = list(db.session.execute(select(Offer.id).where(Offer.volunteer_id == user.id)).scalars())
    if not offer_ids:
        return
    db.session.execute(update(HelpRequest).where(HelpRequest.offer_id.in_(offer_ids)).values(offer_id=None)
                       .execution_options(synchronize_session="fetch"))
    db.session.execute(delete(Report).where(Report.offer_id.in_(offer_ids)).execution_options(synchronize_session=False))
    db.session.execute(delete(Offer).where(Offer.id.in_(offer_ids)).execution_options(synchronize_session=False))


def _empty_volunteer_profile(user: User) -> None:
    """Only the wijk stays: the report on new and active volunteers per wijk counts it."""
    profile = user.volunteer_profile
    if profile is None:
        return
    profile.skills, profile.languages, profile.availability = [], [], []
    profile.postcode, profile.bio = "", ""
    profile.max_distance_km = 0.0
    profile.screened_flag, profile.screened_at, profile.screened_until = False, None, None
    profile.moderation_flags, profile.match_features = None, None


def _detach_everything_else(user: User) -> None:
    uid = user.id
    opts = {"synchronize_session": False}
    for own in (Notification, NotificationPreference, EmailDigest):
        db.session.execute(delete(own).where(own.user_id == uid).execution_options(**opts))
    db.session.execute(delete(Screening).where(Screening.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(SuggestionEvent).where(SuggestionEvent.volunteer_id == uid).execution_options(**opts))
    invalidate_suggestions(uid)
    db.session.execute(delete(Invitation).where(Invitation.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(SuggestionNotice).where(SuggestionNotice.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(NeedInvitation).where(NeedInvitation.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == uid).execution_options(**opts))
    db.session.execute(delete(Report).where(Report.person_id == uid).execution_options(**opts))
    db.session.execute(delete(StaffTask).where(StaffTask.person_id == uid).execution_options(**opts))
    db.session.execute(delete(InitiativeOrganiser).where(InitiativeOrganiser.user_id == uid).execution_options(**opts))
    db.session.execute(delete(InitiativeFollower).where(InitiativeFollower.user_id == uid).execution_options(**opts))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == uid).execution_options(**opts))
    db.session.execute(delete(NeedAlert).where(NeedAlert.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(VogApplication).where(VogApplication.volunteer_id == uid).execution_options(**opts))
    db.session.execute(delete(VogReminder).where(VogReminder.volunteer_id == uid).execution_options(**opts))
    # A vote in a round not counted yet is withdrawn with the account (its sealed ballot goes); a counted one stays
    # as a count (turnout), linked to nothing but the empty shell.
    still_open = select(BudgetRound.id).where(BudgetRound.counted_at.is_(None))
    db.session.execute(delete(BudgetVoter).where(BudgetVoter.user_id == uid, BudgetVoter.round_id.in_(still_open))
                       .execution_options(**opts))
    db.session.execute(delete(ShownVolunteer).where(or_(ShownVolunteer.viewer_id == uid,
                                                        ShownVolunteer.volunteer_id == uid)).execution_options(**opts))
    nulls: tuple[tuple[Any, Any, dict[str, Any]], ...] = (
        (Report, Report.reporter_id, {"details": ""}), (Report, Report.resolved_by_id, {}),
        (Screening, Screening.recorded_by_id, {}),
        (Intake, Intake.resident_id, {"note": "", "address": "", "address_shareable": False}),
        (Intake, Intake.staff_id, {}), (Handover, Handover.staff_id, {}),
        (InitiativeSupport, InitiativeSupport.staff_id, {}),
        (Invitation, Invitation.invited_by_id, {}), (NeedInvitation, NeedInvitation.invited_by_id, {}),
        (Initiative, Initiative.created_by_id, {}), (HelpRequest, HelpRequest.contact_staff_id, {}),
        # District budgets: a plan stays (it was for the neighbourhood), without its author; consent records lose
        # the resident and the note; rounds and decisions lose the staff member.
        (BudgetProposal, BudgetProposal.proposed_by_id, {}), (BudgetProposal, BudgetProposal.decided_by_id, {}),
        (BudgetRound, BudgetRound.created_by_id, {}), (BudgetRound, BudgetRound.counted_by_id, {}),
        (BudgetIntake, BudgetIntake.resident_id, {"note": ""}), (BudgetIntake, BudgetIntake.staff_id, {}),
        (Initiative, Initiative.confirmed_by_id, {}), (OrganiserInvitation, OrganiserInvitation.invited_by_id, {}),
        (OrganiserInvitation, OrganiserInvitation.accepted_by_id, {}),
        (InitiativeUpdate, InitiativeUpdate.author_id, {}), (ActivityMessage, ActivityMessage.author_id, {"body": ""}),
        (StaffTask, StaffTask.created_by_id, {}), (StaffTask, StaffTask.done_by_id, {}),
        # The intake page (webapp.staff.casework, referrals): staff work stays without the staff member.
        (Intake, Intake.consent_recorded_by_id, {}), (Intake, Intake.withdrawn_by_id, {}),
        (HandoverNote, HandoverNote.author_id, {}), (ContactLogEntry, ContactLogEntry.staff_id, {}),
    )
    for model, column, extra in nulls:
        db.session.execute(update(model).where(column == uid).values({column.key: None, **extra})
                           .execution_options(synchronize_session="fetch"))
    # Kept as counts (sign-ups for a need, backers, places at an activity), without the person's words.
    db.session.execute(update(NeedSignup).where(NeedSignup.volunteer_id == uid).values(message="")
                       .execution_options(synchronize_session="fetch"))


def _empty_user_row(user: User) -> None:
    for column in User.__table__.columns:
        if column.name in KEEP_USER_COLUMNS or not isinstance(column.type, String | Text) or column.primary_key:
            continue
        setattr(user, column.key, None if column.nullable else "")
    user.first_name = PLACEHOLDER
    user.wijk_id = None
    user.last_login_at = None
    user.is_blocked = True
    user.session_token = new_public_id()  # every session of this person ends now
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id).execution_options(synchronize_session=False))
    db.session.expire(user, ["role_rows"])


def erase_account(user: User, *, staff: User | None = None, now: datetime | None = None) -> bool:
    """Delete a person's account as described above. Idempotent: False when it was erased before.

    `staff`: the staff member who does this for a person without a password (logged in the audit log)."""
    if is_erased(user):
        return False
    moment = now or utcnow()
    user.is_blocked = True  # from now on nobody can act as this person
    db.session.flush()
    _end_own_requests(user, moment)
    _end_own_responses(user, moment)
    _remove_offers(user)
    _empty_volunteer_profile(user)
    _detach_everything_else(user)
    if user.email:
        outbox.forget(user.email)  # mails on their way, and the envelopes of mails sent
        organisers.forget(user.email)  # invitations to organise, sent to this address
    _empty_user_row(user)
    db.session.add(AccountErasure(user_id=user.id, erased_at=moment, by_staff=staff is not None))
    if staff is not None:
        log_action(staff, Action.ERASE_ACCOUNT, "person", user.public_id)
    db.session.flush()
    return True


def erase_own_account(user: User, password: str) -> None:
    """The person deletes their own account: only with their password."""
    if not user.password_hash or not verify_password(user.password_hash, password):
        raise NeedsPassword
    erase_account(user)


def staff_may_erase(person: User) -> bool:
    """Staff delete accounts of people who cannot do it themselves: no password (taken in by staff)."""
    return not person.password_hash and not person.is_staff


# Tables that refer to users and how erasure treats them; checked against the schema by a test, so a new table
# with a user column cannot be forgotten.
ERASURE_HANDLED: frozenset[str] = frozenset({
    "user_roles.user_id", "volunteer_profiles.user_id", "help_requests.requester_id", "help_requests.contact_staff_id",
    "responses.volunteer_id", "matches.volunteer_id", "offers.volunteer_id", "initiatives.created_by_id",
    "initiative_organisers.user_id", "need_signups.volunteer_id", "need_invitations.volunteer_id",
    "need_invitations.invited_by_id", "initiative_backings.user_id", "activity_participants.user_id",
    "initiative_support.staff_id", "screenings.volunteer_id", "screenings.recorded_by_id",
    "moderation_reports.reporter_id", "moderation_reports.person_id", "moderation_reports.resolved_by_id",
    "intakes.resident_id", "intakes.staff_id", "handovers.staff_id", "notifications.user_id",
    "notification_preferences.user_id", "email_digests.user_id", "suggestion_events.volunteer_id",
    "suggestion_lists.volunteer_id", "volunteer_suggestions.volunteer_id",  # deleted: computed from the profile
    "suggestion_notices.volunteer_id",  # deleted, with the notifications they were
    "invitations.volunteer_id", "invitations.invited_by_id",
    "audit_log.actor_id",  # append-only; refers to the id of the empty shell, never to a name
    "account_erasures.user_id",
    "recovery_codes.user_id",  # deleted: one-time login codes of an account nobody can log in to any more
    "budget_voters.user_id",  # deleted while the round is open (the vote is withdrawn); kept as a count after
    "budget_proposals.proposed_by_id", "budget_proposals.decided_by_id", "budget_rounds.created_by_id",
    "budget_rounds.counted_by_id", "budget_intakes.resident_id", "budget_intakes.staff_id",
    "initiatives.confirmed_by_id", "organiser_invitations.invited_by_id", "organiser_invitations.accepted_by_id",
    "shown_volunteers.viewer_id", "shown_volunteers.volunteer_id",  # deleted: a counter for one day
    "initiative_followers.user_id", "calendar_feeds.user_id", "need_alerts.volunteer_id",  # deleted
    "vog_applications.volunteer_id", "vog_reminders.volunteer_id",  # deleted with the screenings
    "rescue_notes.author_id",  # staff work, kept (staff accounts are not erased this way)
    "initiative_updates.author_id", "activity_messages.author_id",  # kept without the author (a message's text goes)
    "staff_tasks.person_id",  # deleted: nobody to phone any more
    "staff_tasks.created_by_id", "staff_tasks.done_by_id",  # set to NULL: staff work stays
    "intakes.consent_recorded_by_id", "intakes.withdrawn_by_id", "handover_notes.author_id",  # set to NULL
    "contact_log.staff_id",  # set to NULL (notes about an erased resident go with their requests: anonymise.py)
})


def user_columns() -> set[str]:
    """Every "table.column" with a foreign key to users.id in the mapped schema."""
    found = set()
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "users" and fk.column.name == "id":
                found.add(f"{table.name}.{fk.parent.name}")
    return found
