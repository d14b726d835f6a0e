"""Everything Samen holds about one person, as plain JSON (the right of access).

Complete by construction: EXPORTED and EXCLUDED together name every column with a foreign key to users.id, and a
test fails when the schema has one that is in neither. Never in the export: password hashes, second-factor
secrets, session or reset tokens, and the other party's details beyond what the person could see on the site.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, Match, Response, SuggestionEvent
from webapp.asks.services import contact_details_visible, resident_status
from webapp.asks.visibility import may_see
from webapp.budgets.models import BudgetIntake, BudgetProposal, BudgetRound, BudgetVoter
from webapp.core.audit import Action, AuditEntry
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Wijk
from webapp.initiatives.models import (
    ActivityMessage,
    ActivityParticipant,
    Backing,
    Initiative,
    InitiativeFollower,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeUpdate,
    NeedInvitation,
    NeedSignup,
    OrganiserInvitation,
)
from webapp.notifications.models import EmailDigest, Notification, NotificationPreference
from webapp.offers.models import Offer
from webapp.staff.models import ContactLogEntry, Intake, Report, Screening, StaffTask
from webapp.staff.rescue_models import VogApplication
from webapp.suggestions.models import Invitation

FORMAT_VERSION = 1

# "table.column" (a foreign key to users.id) → the section of the export that holds those rows.
EXPORTED: dict[str, str] = {
    "user_roles.user_id": "account",
    "volunteer_profiles.user_id": "volunteer_profile",
    "help_requests.requester_id": "requests",
    "responses.volunteer_id": "responses",
    "matches.volunteer_id": "matches",
    "offers.volunteer_id": "offers",
    "initiatives.created_by_id": "initiatives",
    "initiative_organisers.user_id": "initiatives",
    "need_signups.volunteer_id": "need_signups",
    "need_invitations.volunteer_id": "invitations_received",
    "initiative_backings.user_id": "backings",
    "activity_participants.user_id": "activity_signups",
    "screenings.volunteer_id": "screenings",
    "vog_applications.volunteer_id": "vog_application",
    "moderation_reports.reporter_id": "reports_filed",
    "moderation_reports.person_id": "reports_about_you",
    "intakes.resident_id": "consent_records",
    "notifications.user_id": "notifications",
    "notification_preferences.user_id": "notification_preferences",
    "email_digests.user_id": "email_digests",
    "suggestion_events.volunteer_id": "suggestion_history",
    "invitations.volunteer_id": "invitations_received",
    "invitations.invited_by_id": "invitations_sent",
    "audit_log.actor_id": "audit_log",
    "budget_proposals.proposed_by_id": "budget_plans",
    "budget_voters.user_id": "budget_votes",
    "budget_intakes.resident_id": "budget_consent_records",
    "organiser_invitations.invited_by_id": "organiser_invitations",
    "organiser_invitations.accepted_by_id": "organiser_invitations",
    "initiative_followers.user_id": "following",
    "initiative_updates.author_id": "initiative_news_written",
    "activity_messages.author_id": "activity_messages_sent",
    "staff_tasks.person_id": "staff_tasks_about_you",
}
# "table.column" → why its rows are not part of a person's export.
EXCLUDED: dict[str, str] = {
    "help_requests.contact_staff_id": "staff work for a resident: the resident's data, in the resident's export",
    "need_invitations.invited_by_id": "an organiser's invitation is about the volunteer: in the volunteer's export",
    "initiative_support.staff_id": "support staff gave an initiative: the initiative's record, not the staff's",
    "screenings.recorded_by_id": "staff work: in the volunteer's export",
    "moderation_reports.resolved_by_id": "staff work: the report is in the reporter's and the person's export",
    "intakes.staff_id": "staff work: the consent record is in the resident's export",
    "handovers.staff_id": "staff work; a hand-over is part of the request in the requester's export",
    "account_erasures.user_id": "exists only after the account was deleted, when nobody can download any more",
    "suggestion_lists.volunteer_id": "computed from the profile and the open requests; what was shown to the "
                                     "volunteer is in suggestion_history",
    "volunteer_suggestions.volunteer_id": "computed from the profile and the open requests; what was shown to the "
                                          "volunteer is in suggestion_history",
    "recovery_codes.user_id": "hashes of one-time login codes: secrets, never part of a download",
    "suggestion_notices.volunteer_id": "the cap on notices about new requests; each notice is a notification, "
                                       "in notifications",
    "budget_rounds.created_by_id": "staff work: a district budget round is the city's record",
    "budget_rounds.counted_by_id": "staff work: a district budget round is the city's record",
    "budget_proposals.decided_by_id": "staff work: the decision is part of the plan, in its author's export",
    "budget_intakes.staff_id": "staff work: the consent record is in the resident's export",
    "initiatives.confirmed_by_id": "staff work: the initiative is in its organisers' export",
    "shown_volunteers.viewer_id": "a counter for one day (how many volunteers an organiser saw), not about a person",
    "shown_volunteers.volunteer_id": "a counter for one day of the organiser who saw the volunteer; the "
                                     "volunteer's own choice to be found is in volunteer_profile",
    "calendar_feeds.user_id": "the secret address of a person's own calendar feed: a secret, never part of a download",
    "need_alerts.volunteer_id": "keeps an alert about a vacancy to once per need and a few a day; the alert itself is "
                                "in notifications",
    "staff_tasks.created_by_id": "staff work: the task is in the export of the person it is about",
    "staff_tasks.done_by_id": "staff work: the task is in the export of the person it is about",
    "rescue_notes.author_id": "staff work: a staff-only note on a request, part of the staff's rescue record",
    "vog_reminders.volunteer_id": "keeps each reminder that a VOG lapses to once; the VOG's dates are in screenings",
    "intakes.consent_recorded_by_id": "staff work: the consent record is in the resident's export",
    "intakes.withdrawn_by_id": "staff work: the consent record is in the resident's export",
    "handover_notes.author_id": "staff-only notes about a hand-over, by the staff member who wrote them",
    "contact_log.staff_id": "staff work: the staff member's log of contact with a resident",
}


# A hand-over the resident is not told about (a Veilig Thuis hand-over, notice held back) is withheld from their
# export while that lasts (art. 23 AVG, art. 41 UAVG: the right of access may be limited to protect the person or
# an investigation): the request shows as closed, and the log leaves out every step of the hand-over and the staff
# views of the referral. Staff see what is withheld on the request's page (docs/STAFF.md).
HANDOVER_ACTIONS = frozenset({Action.HANDOVER, Action.HANDOVER_OUTCOME, Action.HANDOVER_NOTE, Action.REFERRAL_SENT,
                              Action.REFERRAL_PRINTED, Action.HANDOVER_PICKED_UP, Action.HANDOVER_REMINDER})


def _withheld(entry: AuditEntry, hidden: set[str]) -> bool:
    if not hidden:
        return False
    if entry.action in HANDOVER_ACTIONS and entry.target_ref in hidden:
        return True
    return (entry.details or {}).get("via") == "referral"


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _request(r: HelpRequest) -> dict[str, Any]:
    return {
        "id": r.public_id, "title": r.title, "description": r.description, "category": r.category_key,
        "wijk": r.wijk.name if r.wijk else None, "on_date": _when(r.on_date), "slots": list(r.slots or []),
        "languages": list(r.languages or []), "is_recurring": r.is_recurring, "needs_screening": r.needs_screening,
        "status": resident_status(r), "created_at": _when(r.created_at), "closed_at": _when(r.closed_at),
        "expires_at": _when(r.expires_at), "moderation": r.moderation,
        "responses": [{"id": resp.public_id, "message": resp.message, "status": resp.status,
                       "created_at": _when(resp.created_at),
                       # the requester saw the first name of everyone who responded
                       "volunteer_first_name": resp.volunteer.first_name if resp.volunteer else None}
                      for resp in r.responses],
    }


def _contact(person: User | None) -> dict[str, Any] | None:
    """The other party of a match, as far as the person could see them on the match page."""
    if person is None:
        return None
    return {"first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "phone": person.phone}


def _match(m: Match, user: User) -> dict[str, Any]:
    r = m.help_request
    is_requester = r.requester_id == user.id
    other: dict[str, Any] | None
    if not contact_details_visible(r):  # the match page shows them no longer either
        other = None
    elif is_requester:
        other = _contact(m.volunteer)
    elif r.contact_staff_id is not None:
        other = {"contact": "staff", **(_contact(r.contact_staff) or {})}
    else:
        other = _contact(r.requester)
    return {"request": r.public_id, "your_role": "requester" if is_requester else "volunteer",
            "category": r.category_key, "wijk": r.wijk.name if r.wijk else None, "status": resident_status(r),
            "matched_at": _when(m.created_at), "done_at": _when(m.done_at), "hours": m.hours,
            "your_thanks": m.requester_thanks if is_requester else m.volunteer_thanks,
            "their_thanks": m.volunteer_thanks if is_requester else m.requester_thanks,
            "other_party": other}


def _rows(query: Any) -> list[Any]:
    return list(db.session.execute(query).scalars().unique())


def collect(user: User) -> dict[str, Any]:
    """The export as a dictionary, one section per kind of data (see EXPORTED)."""
    uid = user.id
    profile = user.volunteer_profile
    own_requests = _rows(select(HelpRequest).where(HelpRequest.requester_id == uid).order_by(HelpRequest.created_at))
    responses = _rows(select(Response).where(Response.volunteer_id == uid).order_by(Response.created_at))
    matches = _rows(select(Match).join(HelpRequest, HelpRequest.id == Match.request_id)
                    .where(or_(Match.volunteer_id == uid, HelpRequest.requester_id == uid)).order_by(Match.created_at))
    initiatives = _rows(select(Initiative).outerjoin(InitiativeOrganiser)
                        .where(or_(Initiative.created_by_id == uid, InitiativeOrganiser.user_id == uid))
                        .order_by(Initiative.created_at))
    # What they did, and what staff did with or saw of their data: their record and their requests (NEN 7513).
    about_them = [user.public_id, *(r.public_id for r in own_requests)]
    audit = _rows(select(AuditEntry).where(or_(AuditEntry.actor_id == uid, AuditEntry.target_ref.in_(about_them)))
                  .order_by(AuditEntry.created_at, AuditEntry.id))
    hidden = {r.public_id for r in own_requests if r.is_handover_hidden}
    audit = [e for e in audit if not _withheld(e, hidden)]
    return {
        "about": {"service": "Samen Haarlem", "format_version": FORMAT_VERSION, "exported_at": _when(utcnow()),
                  "person": user.public_id},
        "account": {
            "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "phone": user.phone,
            "postcode": user.postcode, "wijk": user.wijk.name if user.wijk else None, "language": user.locale,
            "roles": sorted(user.roles), "is_blocked": user.is_blocked, "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at),
        },
        "volunteer_profile": None if profile is None else {
            "skills": list(profile.skills or []), "languages": list(profile.languages or []),
            "postcode": profile.postcode, "wijk": profile.wijk.name if profile.wijk else None,
            "max_distance_km": profile.max_distance_km, "availability": list(profile.availability or []),
            "bio": profile.bio, "findable_by_organisers": profile.findable_by_organisers,
            "is_screened": bool(profile.is_screened), "screened_at": _when(profile.screened_at),
            "screened_until": _when(profile.screened_until), "moderation": profile.moderation,
            "updated_at": _when(profile.updated_at),
        },
        "requests": [_request(r) for r in own_requests],
        # The request's title only while the person may still read it (not after it came to need a VOG they lack).
        "responses": [{"id": r.public_id, "request": r.help_request.public_id,
                       "request_title": r.help_request.title if may_see(user, r.help_request) else None,
                       "message": r.message, "status": r.status,
                       "created_at": _when(r.created_at)} for r in responses],
        "matches": [_match(m, user) for m in matches],
        "offers": [{"id": o.public_id, "title": o.title, "description": o.description, "category": o.category_key,
                    "wijk": o.wijk.name if o.wijk else None, "slots": list(o.slots or []),
                    "languages": list(o.languages or []), "status": o.status, "created_at": _when(o.created_at)}
                   for o in _rows(select(Offer).where(Offer.volunteer_id == uid).order_by(Offer.created_at))],
        "initiatives": [{"id": i.public_id, "name": i.name, "description": i.description, "status": i.status,
                         "you_registered_it": i.created_by_id == uid,
                         "you_organise_it": any(o.user_id == uid for o in i.organisers),
                         "created_at": _when(i.created_at)} for i in initiatives],
        "need_signups": [{"id": s.public_id, "initiative": s.need.initiative.name, "need": s.need.title,
                          "message": s.message, "status": s.status, "created_at": _when(s.created_at),
                          "decided_at": _when(s.decided_at), "organisers_wrote": s.decline_message,
                          "hours": [{"on": _when(h.worked_on), "hours": h.hours} for h in s.hours]}
                         for s in _rows(select(NeedSignup).where(NeedSignup.volunteer_id == uid)
                                        .order_by(NeedSignup.created_at))],
        "backings": [{"initiative": _initiative_name(b.initiative_id), "created_at": _when(b.created_at)}
                     for b in _rows(select(Backing).where(Backing.user_id == uid).order_by(Backing.created_at))],
        "following": [{"initiative": _initiative_name(f.initiative_id), "created_at": _when(f.created_at)}
                      for f in _rows(select(InitiativeFollower).where(InitiativeFollower.user_id == uid)
                                     .order_by(InitiativeFollower.created_at))],
        "initiative_news_written": [{"initiative": _initiative_name(u.initiative_id), "text": u.body,
                                     "created_at": _when(u.created_at)}
                                    for u in _rows(select(InitiativeUpdate).where(InitiativeUpdate.author_id == uid)
                                                   .order_by(InitiativeUpdate.created_at))],
        "activity_messages_sent": [{"activity_id": m.activity_id, "text": m.body, "recipients": m.recipients,
                                    "created_at": _when(m.created_at)}
                                   for m in _rows(select(ActivityMessage).where(ActivityMessage.author_id == uid)
                                                  .order_by(ActivityMessage.created_at))],
        "activity_signups": [{"activity": p.activity.title, "initiative": p.activity.initiative.name,
                              "starts_at": _when(p.activity.starts_at), "status": p.status, "hours": p.hours,
                              "created_at": _when(p.created_at)}
                             for p in _rows(select(ActivityParticipant).where(ActivityParticipant.user_id == uid)
                                            .order_by(ActivityParticipant.created_at))],
        "invitations_received": _invitations_received(uid),
        # Invitations to organise: those this person sent (with the address they typed), and those to their address.
        "organiser_invitations": [
            {"initiative": i.initiative.name, "email": i.email, "you_invited": i.invited_by_id == uid,
             "created_at": _when(i.created_at), "expires_at": _when(i.expires_at),
             "accepted_at": _when(i.accepted_at), "declined_at": _when(i.declined_at),
             "withdrawn_at": _when(i.withdrawn_at)}
            for i in _rows(select(OrganiserInvitation).where(or_(
                OrganiserInvitation.invited_by_id == uid, OrganiserInvitation.accepted_by_id == uid,
                OrganiserInvitation.email == (user.email or "")))
                .order_by(OrganiserInvitation.created_at))],
        "invitations_sent": [{"request": _request_ref(i.request_id), "created_at": _when(i.created_at)}
                             for i in _rows(select(Invitation).where(Invitation.invited_by_id == uid))],
        "notification_preferences": {p.kind: p.channel for p in _rows(
            select(NotificationPreference).where(NotificationPreference.user_id == uid))},
        "notifications": [{"kind": n.kind, "params": dict(n.params or {}), "created_at": _when(n.created_at),
                           "read_at": _when(n.read_at), "emailed_at": _when(n.emailed_at)}
                          for n in _rows(select(Notification).where(Notification.user_id == uid)
                                         .order_by(Notification.created_at))],
        "email_digests": [{"period": d.period_key, "status": d.status, "items": d.item_count,
                           "sent_at": _when(d.sent_at)}
                          for d in _rows(select(EmailDigest).where(EmailDigest.user_id == uid))],
        "suggestion_history": [{"request": _request_ref(e.request_id), "what": e.outcome,
                                "created_at": _when(e.created_at)}
                               for e in _rows(select(SuggestionEvent).where(SuggestionEvent.volunteer_id == uid)
                                              .order_by(SuggestionEvent.created_at))],
        "reports_filed": [{"about": r.target_kind, "reason": r.reason, "details": r.details,
                           "created_at": _when(r.created_at), "resolved_at": _when(r.resolved_at)}
                          for r in _rows(select(Report).where(Report.reporter_id == uid))],
        # Who reported someone stays private: only the reason and the dates.
        "reports_about_you": [{"reason": r.reason, "created_at": _when(r.created_at),
                               "resolved_at": _when(r.resolved_at)}
                              for r in _rows(select(Report).where(Report.person_id == uid))],
        "consent_records": [{"request": i.help_request.public_id, "consent_how": i.consent_how,
                             "consent_given_by": i.consent_given_by, "consent_on": _when(i.consent_on),
                             "created_at": _when(i.created_at), "consent_text_version": i.consent_version,
                             "withdrawn_on": _when(i.withdrawn_on), "address": i.address,
                             "address_shared_with_helper": i.address_shareable}
                            for i in _rows(select(Intake).where(Intake.resident_id == uid))],
        "contact_log": [{"request": c.intake.help_request.public_id, "kind": c.kind, "note": c.note,
                         "at": _when(c.created_at)}
                        for c in _rows(select(ContactLogEntry).join(Intake, Intake.id == ContactLogEntry.intake_id)
                                       .where(Intake.resident_id == uid))],
        "screenings": [{"checked_on": _when(s.checked_on), "valid_until": _when(s.valid_until),
                        "created_at": _when(s.created_at), "reference": s.reference,
                        "profile": list(s.profile or [])}
                       for s in _rows(select(Screening).where(Screening.volunteer_id == uid))],
        "vog_application": [{"requested_on": _when(a.requested_on), "created_at": _when(a.created_at)}
                            for a in _rows(select(VogApplication).where(VogApplication.volunteer_id == uid))],
        "budget_plans": [{"id": p.public_id, "round": p.round.title, "title": p.title, "text": p.summary,
                          "cost": p.cost, "status": p.status, "reason": p.decision_reason or None,
                          "votes": p.votes, "funded": p.funded_via is not None, "outcome": p.outcome or None,
                          "created_at": _when(p.created_at)}
                         for p in _rows(select(BudgetProposal).where(BudgetProposal.proposed_by_id == uid)
                                        .order_by(BudgetProposal.created_at))],
        # That you voted, never what: a ballot is secret, and a download that proves a choice could be demanded by
        # someone who wants to buy or force a vote. While a round is open its voting page shows you your choice.
        "budget_votes": [{"round": _round_title(v.round_id), "from_wijk": _wijk_name(v.wijk_id),
                          "entered_by_staff": v.by_intake, "counted": v.counted}
                         for v in _rows(select(BudgetVoter).where(BudgetVoter.user_id == uid))],
        "budget_consent_records": [{"round": _round_title(i.round_id), "consent_how": i.consent_how,
                                    "consent_given_by": i.consent_given_by, "consent_on": _when(i.consent_on),
                                    "created_at": _when(i.created_at)}
                                   for i in _rows(select(BudgetIntake).where(BudgetIntake.resident_id == uid))],
        # Tasks staff had about this person (phone them after a match ended): what and when, not who.
        "staff_tasks_about_you": [{"kind": t.kind, "request": _request_ref(t.request_id) if t.request_id else None,
                                   "created_at": _when(t.created_at), "done_at": _when(t.done_at)}
                                  for t in _rows(select(StaffTask).where(StaffTask.person_id == uid))],
        # Staff actions by this person, and staff actions about them (without the staff member's name).
        "audit_log": [{"when": _when(e.created_at), "by_you": e.actor_id == uid, "action": e.action,
                       "about": f"{e.target_kind} {e.target_ref}".strip(),
                       "by_staff": None if e.actor_id == uid or e.actor is None else e.actor.first_name}
                      for e in audit],
    }


def _round_title(round_id: int) -> str | None:
    found = db.session.get(BudgetRound, round_id)
    return found.title if found else None


def _wijk_name(wijk_id: int) -> str | None:
    found = db.session.get(Wijk, wijk_id)
    return found.name if found else None


def _initiative_name(initiative_id: int) -> str | None:
    initiative = db.session.get(Initiative, initiative_id)
    return initiative.name if initiative else None


def _request_ref(request_id: int) -> str | None:
    help_request = db.session.get(HelpRequest, request_id)
    return help_request.public_id if help_request else None


def _invitations_received(uid: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"request": _request_ref(i.request_id), "created_at": _when(i.created_at)}
                                 for i in _rows(select(Invitation).where(Invitation.volunteer_id == uid))]
    for invitation in _rows(select(NeedInvitation).where(NeedInvitation.volunteer_id == uid)):
        need = db.session.get(InitiativeNeed, invitation.need_id)
        out.append({"need": need.title if need else None,
                    "initiative": need.initiative.name if need else None,
                    "created_at": _when(invitation.created_at)})
    return out


def filename(user: User, today: date | None = None) -> str:
    return f"samen-mijn-gegevens-{(today or utcnow().date()).isoformat()}.json"
