"""The staff workspace (/werkruimte) and the report form for every member (/melden)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from webapp.accounts import confirmation
from webapp.accounts.models import User
from webapp.asks import audit as request_audit
from webapp.asks import services as asks
from webapp.asks import visibility
from webapp.asks.models import HelpRequest
from webapp.asks.views import request_data, request_page
from webapp.core import audit
from webapp.core.access import admin_required, staff_required
from webapp.core.extensions import db
from webapp.core.forms import ActionForm, DecisionForm
from webapp.core.pagination import page_arg
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.core.reference.labels import locale_code
from webapp.initiatives import services as initiatives
from webapp.offers import services as offers
from webapp.offers.models import Offer
from webapp.staff import moderation, referrals, services, uncategorised
from webapp.staff import screening as vog
from webapp.staff.consent import CURRENT_VERSION, consent_text, is_known
from webapp.staff.forms import (
    CONSENT_BY_LABELS,
    CONSENT_HOW_LABELS,
    HANDOVER_OUTCOME_LABELS,
    BlockForm,
    CorrectForm,
    HandoverForm,
    HandoverOutcomeForm,
    HoursCorrectionForm,
    IntakeForm,
    RejectForm,
    ReportForm,
    ScreeningForm,
)
from webapp.staff.models import ReportTarget
from webapp.staff.rescue_forms import VogAppliedForm

bp = Blueprint("staff", __name__)
REPORT_KINDS = {"vraag": ReportTarget.REQUEST, "aanbod": ReportTarget.OFFER, "persoon": ReportTarget.PERSON}
RESCUE_PAGE_SIZE = 10
REFUSED_HOURS_FORM = "samen_refused_hours_form"


def _config(name: str, default: Any) -> Any:
    return current_app.config.get(name, default)


def _partners() -> tuple[str, ...]:
    return tuple(_config("HANDOVER_PARTNERS", services.DEFAULT_PARTNERS))


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Label functions for the staff pages, the report form and the moderation messages in notifications."""
    return {
        "flag_hint": moderation.flag_hint,
        "flag_label": moderation.flag_label,
        "reject_reason_label": moderation.reject_reason_label,
        "report_reason_label": moderation.report_reason_label,
        "consent_how_label": lambda key: str(CONSENT_HOW_LABELS.get(key, key)),
        "consent_by_label": lambda key: str(CONSENT_BY_LABELS.get(key, key)),
        "handover_outcome_label": lambda key: str(HANDOVER_OUTCOME_LABELS.get(key, key)),
    }


# -- overview ---------------------------------------------------------------------------------------------------------

@bp.get("/werkruimte/")
@staff_required
def index() -> str:
    summary = services.overview(current_user, moderation.queue_size(), len(moderation.reported_people()),
                                _config("RESCUE_AFTER_DAYS", services.DEFAULT_RESCUE_AFTER_DAYS))
    return render_template("staff/index.html", summary=summary, to_confirm=initiatives.to_confirm_count(),
                           urgent=moderation.urgent_count(),
                           tasks=services.open_task_count(), action_form=ActionForm())


@bp.post("/werkruimte/dienst")
@staff_required
def toggle_duty() -> WerkzeugResponse:
    """Switch getting urgent reports by e-mail on or off (webapp.staff.emails: when nobody is on duty, all are)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    on_duty = services.set_on_duty(current_user, not current_user.staff_on_duty)
    db.session.commit()
    flash(_("You get urgent reports by e-mail.") if on_duty else
          _("You no longer get urgent reports by e-mail. When nobody is on duty, all staff get them."), "info")
    return redirect(url_for("staff.index"))


# -- moderation -------------------------------------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 20


def _render_queue(failed: tuple[str, RejectForm] | None = None, status: int = 200,
                  corrected: tuple[str, CorrectForm] | None = None) -> tuple[str, int]:
    queue = moderation.moderation_queue(page_arg(), QUEUE_PAGE_SIZE)
    shown = asks.get_many_by_public_id([i.public_id for i in queue.items if i.kind == "request"])
    logged = request_audit.log_sensitive_views(current_user, shown)
    people = moderation.reported_people()
    page = render_template("staff/moderation.html", queue=queue, items=queue.items, people=people,
                           action_form=ActionForm(), records=moderation.queue_reporter_records(queue.items, people),
                           reject_form=RejectForm(formdata=None), failed=failed, corrected=corrected,
                           uncategorised=uncategorised.open_requests())
    if logged:
        # The queue shows each held request's full text. Committed after drawing the page: a commit expires every
        # loaded row, and the template would reload each owner, report and role one query at a time.
        db.session.commit()
    return page, status


def _back_to_queue() -> WerkzeugResponse:
    """After a decision: the queue again, on the page the staff member was on."""
    return redirect(url_for("staff.moderation_queue", page=request.args.get("page") or None))


def _decided_meanwhile(error: moderation.AlreadyDecided) -> WerkzeugResponse:
    """The loser of two decisions at once, or a decision from a page drawn before the item changed."""
    db.session.rollback()
    if error.now == "ok":
        flash(_("Someone else already decided this: it is now public."), "warning")
    elif error.now == "rejected":
        flash(_("Someone else already decided this: it is now rejected."), "warning")
    else:
        flash(_("This item changed since you opened the page. Read it again before you decide."), "warning")
    return _back_to_queue()


@bp.get("/werkruimte/moderatie")
@staff_required
def moderation_queue() -> tuple[str, int]:
    return _render_queue()


def _load_item(kind: str, public_id: str) -> moderation.Item:
    try:
        return moderation.load_item(kind, public_id)
    except moderation.NotFound:
        abort(404)


@bp.post("/werkruimte/moderatie/<kind>/<public_id>/goedkeuren")
@staff_required
def approve(kind: str, public_id: str) -> WerkzeugResponse:
    item = _load_item(kind, public_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        moderation.approve(current_user, item, form.seen.data or "")
    except moderation.AlreadyDecided as error:
        return _decided_meanwhile(error)
    db.session.commit()
    flash(_("Approved. It is public again."), "success")
    return _back_to_queue()


@bp.post("/werkruimte/moderatie/<kind>/<public_id>/corrigeren")
@staff_required
def correct(kind: str, public_id: str) -> WerkzeugResponse | tuple[str, int]:
    """Correct a held request's text and approve it (a phone number struck out, for instance)."""
    item = _load_item(kind, public_id)
    if not isinstance(item, HelpRequest):
        abort(404)
    form = CorrectForm()
    if not form.validate_on_submit():
        return _render_queue(corrected=(public_id, form), status=400)
    try:
        moderation.correct_and_approve(current_user, item, form.title.data or "", form.description.data or "",
                                       seen=form.seen.data or "")
    except moderation.AlreadyDecided as error:
        return _decided_meanwhile(error)
    db.session.commit()
    flash(_("Corrected and approved. It is public now."), "success")
    return _back_to_queue()


@bp.post("/werkruimte/moderatie/<kind>/<public_id>/afwijzen")
@staff_required
def reject(kind: str, public_id: str) -> WerkzeugResponse | tuple[str, int]:
    item = _load_item(kind, public_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_queue(failed=(public_id, form), status=400)
    try:
        moderation.reject(current_user, item, form.reason.data or "other", form.note.data or "",
                          seen=form.seen.data or "")
    except moderation.AlreadyDecided as error:
        return _decided_meanwhile(error)
    db.session.commit()
    flash(_("Rejected. The poster gets a message with the reason."), "info")
    return _back_to_queue()


# -- reports by members -----------------------------------------------------------------------------------------------

def _report_target(kind: str, public_id: str) -> HelpRequest | Offer | User:
    target_kind = REPORT_KINDS.get(kind)
    target = moderation.find_target(target_kind, public_id) if target_kind else None
    if target is None:
        abort(404)
    if isinstance(target, HelpRequest) and not visibility.may_see(current_user, target):
        abort(404)
    if isinstance(target, Offer) and not offers.can_see(current_user, target):
        abort(404)
    if isinstance(target, User) and target.id == current_user.id:
        abort(404)
    return target


@bp.route("/melden/<kind>/<public_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, public_id: str) -> str | WerkzeugResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    target = _report_target(kind, public_id)
    form = ReportForm()
    if form.validate_on_submit() and not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")  # what was typed stays in the form
        return render_template("staff/report.html", form=form, kind=kind, target=target), 403
    if form.validate_on_submit():
        refusal = ratelimit.hit("report", ("user", current_user.public_id))
        if refusal:  # the page again, with what was typed and when to try again
            return refused("staff/report.html", refusal, form=form, kind=kind, target=target)
        try:
            moderation.report(current_user, REPORT_KINDS[kind], target, form.reason.data or "other",
                              form.details.data or "",
                              threshold=_config("MODERATION_REPORT_THRESHOLD", moderation.DEFAULT_REPORT_THRESHOLD))
        except moderation.AlreadyReported as already:  # a second click, or the same report again
            db.session.rollback()
            flash(_("You reported this on %(date)s already. A staff member of the volunteer centre will look at it.",
                    date=format_date(already.report.created_at)), "info")
        else:
            db.session.commit()
            flash(_("Thank you. A staff member of the volunteer centre will look at it."), "success")
        if isinstance(target, HelpRequest) and visibility.may_see(current_user, target):
            return redirect(url_for("asks.show", public_id=target.public_id))
        if isinstance(target, Offer) and offers.can_see(current_user, target):
            return redirect(url_for("offers.show", public_id=target.public_id))
        return redirect(url_for("pages.dashboard"))
    if isinstance(target, HelpRequest) and request_audit.log_sensitive_view(current_user, target):
        db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template("staff/report.html", form=form, kind=kind, target=target), status


# -- people: screening, blocking --------------------------------------------------------------------------------------

@bp.get("/werkruimte/vog")
@staff_required
def screening() -> str:
    query = request.args.get("q", "")[:100]
    status = request.args.get("status", "all")
    status = status if status in services.SCREENING_FILTERS else "all"
    found = services.search_volunteers(current_user, query, status=status, page=page_arg(), per_page=50)
    latest, applied = vog.list_details([p.id for p in found.items])
    html = render_template("staff/screening.html", people=found.items, found=found, query=query, status=status,
                           expiring=services.expiring_screenings(), latest=latest, applied=applied,
                           profile_label=vog.profile_label)
    db.session.commit()  # the audit entries (after drawing: a commit expires every row the page reads)
    return html


def _load_person(public_id: str) -> User:
    person = services.find_person(public_id)
    if person is None:
        abort(404)
    return person


def _render_person(person: User, screening_form: ScreeningForm | None = None, block_form: BlockForm | None = None,
                   status: int = 200, applied_form: VogAppliedForm | None = None) -> tuple[str, int]:
    return render_template(
        "staff/person.html", person=person, screenings=services.screenings_of(person),
        application=vog.application_of(person), applied_form=applied_form or VogAppliedForm(formdata=None),
        profile_label=vog.profile_label,
        reports=moderation.reports_about(person), filed=moderation.reporter_records([person.id]).get(person.id),
        screening_form=screening_form or ScreeningForm(formdata=None),
        block_form=block_form or BlockForm(formdata=None), action_form=ActionForm(),
    ), status


@bp.get("/werkruimte/personen/<public_id>")
@staff_required
def person(public_id: str) -> tuple[str, int]:
    found = services.open_person_record(current_user, public_id)
    if found is None:
        abort(404)
    db.session.commit()  # the audit entry
    return _render_person(found)


@bp.post("/werkruimte/personen/<public_id>/vog")
@staff_required
def record_screening(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    person = _load_person(public_id)
    form = ScreeningForm()
    if not form.validate_on_submit() or person.volunteer_profile is None:
        if person.volunteer_profile is None:
            form.checked_on.errors = [_("This person has no volunteer profile.")]
        return _render_person(person, screening_form=form, status=400)
    assert form.checked_on.data is not None
    valid_until = form.valid_until.data or services.default_valid_until(
        form.checked_on.data, _config("SCREENING_VALID_YEARS", services.DEFAULT_SCREENING_YEARS))
    services.record_screening(current_user, person, form.checked_on.data, valid_until,
                              reference=form.reference.data or "", profile_codes=form.profile.data or ())
    db.session.commit()
    flash(_("The certificate of conduct is recorded."), "success")
    return redirect(url_for("staff.person", public_id=public_id))


@bp.post("/werkruimte/personen/<public_id>/blokkeren")
@staff_required
def block(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    person = _load_person(public_id)
    form = BlockForm()
    if not form.validate_on_submit():
        return _render_person(person, block_form=form, status=400)
    try:
        result = services.block_person(
            current_user, person, form.reason.data or "",
            report_threshold=_config("MODERATION_REPORT_THRESHOLD", moderation.DEFAULT_REPORT_THRESHOLD))
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("This person is blocked and can no longer log in."), "info")
    if result.tasks:
        flash(ngettext("%(num)d help this person was part of has ended. Please phone the other side: see the "
                       "tasks.", "%(num)d helps this person was part of have ended. Please phone the other sides: "
                       "see the tasks.", result.tasks), "warning")
    return redirect(url_for("staff.person", public_id=public_id))


# -- tasks ------------------------------------------------------------------------------------------------------------

@bp.get("/werkruimte/taken")
@staff_required
def tasks() -> str:
    return render_template("staff/tasks.html", tasks=services.open_tasks(), action_form=ActionForm())


@bp.post("/werkruimte/taken/<task_id>/klaar")
@staff_required
def finish_task(task_id: str) -> WerkzeugResponse:
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.finish_task(current_user, task_id):
        db.session.commit()
        flash(_("The task is done. Thank you."), "success")
    else:
        flash(_("This task was done already."), "info")
    return redirect(url_for("staff.tasks"))


@bp.post("/werkruimte/personen/<public_id>/deblokkeren")
@staff_required
def unblock(public_id: str) -> WerkzeugResponse:
    person = _load_person(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.unblock_person(current_user, person)
    db.session.commit()
    flash(_("This person can log in again."), "success")
    return redirect(url_for("staff.person", public_id=public_id))


@bp.post("/werkruimte/personen/<public_id>/meldingen-sluiten")
@staff_required
def dismiss_reports(public_id: str) -> WerkzeugResponse:
    person = _load_person(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    moderation.dismiss_person_reports(current_user, person)
    db.session.commit()
    flash(_("The reports about this person are closed."), "info")
    return redirect(url_for("staff.moderation_queue"))


# -- assisted intake --------------------------------------------------------------------------------------------------

def _resident_choices(form: IntakeForm) -> list[User]:
    residents = services.intake_residents()
    form.resident.choices = [SelectChoice("", _("A new resident"))] + [
        SelectChoice(r.public_id, f"{r.first_name} {r.last_name}".strip()) for r in residents]
    return residents


@bp.route("/werkruimte/intake/nieuw", methods=["GET", "POST"])
@staff_required
def new_intake() -> str | WerkzeugResponse | tuple[str, int]:
    form = IntakeForm()
    residents = {r.public_id: r for r in _resident_choices(form)}
    if request.method == "GET":
        form.languages.data = [locale_code()]
        form.text_language.data = locale_code()
        form.consent_on.data = date.today()
        chosen = residents.get(request.args.get("bewoner", ""))
        if chosen is not None:
            form.resident.data = chosen.public_id
            form.postcode.data = chosen.postcode
            if chosen.wijk is not None:
                form.preset_wijk(chosen.wijk)
    if form.validate_on_submit():
        assert form.resolved_wijk is not None and form.consent_on.data is not None
        existing = residents.get(form.resident.data or "")
        resident: User | services.ResidentData = existing or services.ResidentData(
            first_name=form.resident_first_name.data or "", last_name=form.resident_last_name.data or "",
            phone=form.resident_phone.data or "", postcode=form.postcode.data or "", wijk=form.resolved_wijk,
            locale="nl")
        consent = services.Consent(how=form.consent_how.data or "", given_by=form.consent_given_by.data or "",
                                   on=form.consent_on.data, note=form.staff_note.data or "",
                                   version=form.consent_version.data or CURRENT_VERSION,
                                   address=form.resident_address.data or "",
                                   address_shareable=bool(form.address_shareable.data))
        help_request = services.take_in_request(current_user, resident, consent, request_data(form))
        db.session.commit()
        if help_request.moderation != "ok":
            flash(_("The request is saved but not online yet: the text needs a change."), "warning")
        else:
            flash(_("The request is online. Volunteers contact you, and you pass it on to the resident."),
                  "success")
        return redirect(url_for("asks.show", public_id=help_request.public_id))
    status = 400 if request.method == "POST" else 200
    version = CURRENT_VERSION if request.method == "GET" or not is_known(form.consent_version.data or "") \
        else form.consent_version.data or CURRENT_VERSION
    form.consent_version.data = version
    return render_template("staff/intake_form.html", form=form, consent_version=version,
                           consent_text=consent_text(version, locale_code())), status


@bp.get("/werkruimte/intakes")
@staff_required
def my_intakes() -> str:
    team = request.args.get("team") == "1"
    intakes = services.open_intakes(current_user, team=team)
    page = render_template("staff/intakes.html", intakes=intakes, team=team, action_form=DecisionForm())
    db.session.commit()  # the audit entries (after drawing: a commit expires every row the page reads)
    return page


@bp.post("/werkruimte/intakes/<public_id>/overnemen")
@staff_required
def take_over_intake(public_id: str) -> WerkzeugResponse:
    """Become the contact of a colleague's intake (she is ill, or on leave): see the responses, choose a helper."""
    help_request = _load_request(public_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.take_over_intake(current_user, help_request, form.seen.data or "")
    except services.NotAllowed:
        abort(404)
    except services.TakenMeanwhile:
        db.session.rollback()
        flash(_("A colleague took this over a moment ago. Look at the list again."), "warning")
        return redirect(url_for("staff.my_intakes", team=1))
    db.session.commit()
    flash(_("You are now the contact for this resident."), "success")
    return redirect(url_for("staff.my_intakes"))


# -- warm hand-over ---------------------------------------------------------------------------------------------------

def _load_request(public_id: str) -> HelpRequest:
    help_request = asks.get_by_public_id(public_id)
    if help_request is None:
        abort(404)
    return help_request


@bp.route("/werkruimte/vragen/<public_id>/overdracht", methods=["GET", "POST"])
@staff_required
def handover(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    help_request = _load_request(public_id)
    form = HandoverForm()
    form.partner.choices = [SelectChoice(p, p) for p in _partners()]
    if request.method == "GET":
        form.handed_over_on.data = date.today()
    if help_request.status not in ("open", "matched"):
        flash(_("This request is closed, so it cannot be handed over."), "warning")
        return redirect(url_for("asks.show", public_id=public_id))
    if form.validate_on_submit():
        assert form.handed_over_on.data is not None
        try:
            basis = form.basis.data or referrals.BASIS_CONSENT
            services.hand_over(current_user, help_request, form.partner.data or "", form.handed_over_on.data,
                               form.outcome.data or "pending", form.staff_note.data or "", basis=basis,
                               consent_on=form.consent_on.data if basis == referrals.BASIS_CONSENT else None,
                               shared_fields=form.shared_fields.data or [],
                               notify_resident=referrals.resident_is_told(basis, form.notice.data or "auto"))
        except asks.NoLongerOpen:
            db.session.rollback()
            flash(_("This request is closed, so it cannot be handed over."), "warning")
            return redirect(url_for("asks.show", public_id=public_id))
        db.session.commit()
        flash(_("The hand-over is recorded. The request is no longer public."), "success")
        return redirect(url_for("staff.handovers"))
    if request_audit.log_sensitive_view(current_user, help_request):
        db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template("staff/handover_form.html", form=form, help_request=help_request), status


@bp.get("/werkruimte/overdrachten")
@staff_required
def handovers() -> str:
    items = services.handovers()
    forms = {}
    for item in items:
        form = HandoverOutcomeForm(formdata=None, prefix=f"h{item.id}")
        form.outcome.data = item.outcome
        form.staff_note.data = item.staff_note
        form.seen.data = services.handover_version(item)
        forms[item.id] = form
    return render_template("staff/handovers.html", items=items, forms=forms,
                           pickup_forms=casework_views.pickup_forms(items), pickup_due=referrals.pickup_due,
                           basis_label=lambda key: str(referrals.BASIS_LABELS.get(key, key)))


@bp.post("/werkruimte/overdrachten/<int:handover_id>")
@staff_required
def update_handover(handover_id: int) -> WerkzeugResponse:
    item = services.get_handover(handover_id)
    if item is None:
        abort(404)
    form = HandoverOutcomeForm(prefix=f"h{handover_id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.update_handover(current_user, item, form.outcome.data or "pending", form.staff_note.data or "",
                                 form.seen.data or "")
    except services.ChangedMeanwhile:
        db.session.rollback()
        flash(_("Someone else changed this hand-over since you opened the page. Look at it again."), "warning")
        return redirect(url_for("staff.handovers"))
    db.session.commit()
    flash(_("The outcome is saved."), "success")
    return redirect(url_for("staff.handovers"))


# -- rescue of unanswered requests ------------------------------------------------------------------------------------

# The queue, the list of expired requests and their actions: webapp.staff.rescue_views (imported at the end).


# -- initiatives to confirm --------------------------------------------------------------------------------------------

@bp.get("/werkruimte/initiatieven")
@staff_required
def initiatives_to_confirm() -> str:
    return render_template("staff/initiatives.html", items=initiatives.to_confirm(), action_form=ActionForm())


@bp.post("/werkruimte/initiatieven/<public_id>/bevestigen")
@staff_required
def confirm_initiative(public_id: str) -> WerkzeugResponse:
    initiative = initiatives.get_initiative(public_id)
    if initiative is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if initiatives.confirm_initiative(current_user, initiative):
        db.session.commit()
        flash(_("%(name)s is confirmed. Everyone can see it now, and its organisers hear it.", name=initiative.name),
              "success")
    else:
        flash(_("%(name)s was confirmed already.", name=initiative.name), "info")
    return redirect(url_for("staff.initiatives_to_confirm"))


# -- the audit log ----------------------------------------------------------------------------------------------------

def _log_filters() -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The audit log's filters from the query string: (arguments for core.audit, what was typed, problems). A
    filter that cannot be read is left out, with a message saying what to type instead."""
    typed = {name: request.args.get(name, "").strip()[:120] for name in ("action", "actor", "person", "from", "to")}
    found: dict[str, Any] = {}
    problems: list[str] = []
    if typed["action"] in {a.value for a in audit.Action}:
        found["action"] = typed["action"]
    if typed["actor"]:
        actor = services.find_staff(typed["actor"])
        if actor is None:
            problems.append(_("No staff member has the e-mail address %(email)s.", email=typed["actor"]))
        else:
            found["actor_id"] = actor.id
    if typed["person"]:
        targets = services.person_targets(typed["person"])
        if not targets:
            problems.append(_("No person has the id or e-mail address %(value)s.", value=typed["person"]))
        else:
            found["targets"] = targets
    for name, key, shift in (("from", "since", 0), ("to", "before", 1)):
        if typed[name]:
            try:
                day = date.fromisoformat(typed[name])
            except ValueError:
                problems.append(_("Write the date as year-month-day, for example 2026-03-31."))
                continue
            found[key] = datetime(day.year, day.month, day.day) + timedelta(days=shift)
    return found, {k: v for k, v in typed.items() if v}, problems


@bp.get("/werkruimte/logboek")
@admin_required
def audit_log() -> str:
    filters, typed, problems = _log_filters()
    log = audit.log_page(page_arg(), 50, **filters)
    return render_template("staff/audit_log.html", log=log, typed=typed, problems=problems,
                           actions=list(audit.Action), label=audit.action_label, link=_audit_link)


@bp.get("/werkruimte/logboek.csv")
@admin_required
def audit_log_export() -> Response:
    """The filtered log as a CSV file (for an auditor or a data-subject request); the export is logged too."""
    filters, typed, _problems = _log_filters()
    entries = audit.log_entries(**filters)
    audit.log_action(current_user, audit.Action.EXPORT, "audit_log", "", filters=sorted(typed), rows=len(entries))
    db.session.commit()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if locale_code() == "nl" else ",")
    writer.writerow([_("When"), _("Who"), _("Action"), _("About"), _("Details")])
    for e in entries:
        who = f"{e.actor.first_name} {e.actor.last_name or ''}".strip() if e.actor else "—"
        details = "; ".join(f"{k}: {v}" for k, v in sorted(e.details.items()) if k != "session")
        writer.writerow([e.created_at.isoformat(timespec="seconds"), _csv_safe(who), audit.action_label(e.action),
                         f"{e.target_kind} {e.target_ref}".strip(), _csv_safe(details)])
    response = Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="samen-logboek.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _csv_safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _audit_link(entry: audit.AuditEntry) -> str | None:
    """Where an entry's target can be opened: a person's record, a request's page, the figures of a period."""
    if not entry.target_ref:
        return None
    if entry.target_kind == "person":
        return url_for("staff.person", public_id=entry.target_ref)
    if entry.target_kind == "request":
        return url_for("asks.show", public_id=entry.target_ref)
    if entry.target_kind == "report":
        return url_for("reports.dashboard", period=entry.target_ref)
    return None


@bp.get("/werkruimte/personen/<public_id>/inzage")
@admin_required
def who_saw(public_id: str) -> str:
    """A data-subject request: every staff action on this person's record and requests, views included."""
    person = _load_person(public_id)
    targets = services.person_targets(person.public_id)
    log = audit.log_page(page_arg(), 100, targets=targets)
    return render_template("staff/who_saw.html", person=person, log=log, label=audit.action_label,
                           link=_audit_link)


def request_panel(help_request: HelpRequest, hours_form: HoursCorrectionForm | None = None) -> str:
    """The staff tools on a request's page (template hook "request-page:staff"): intake, hand-overs, moderation,
    correcting the hours of a match."""
    if not (current_user.is_authenticated and current_user.is_staff):
        return ""
    hours_form = hours_form or g.get(REFUSED_HOURS_FORM)  # a refused correction: its errors and what was typed
    form = hours_form or HoursCorrectionForm(formdata=None)
    if hours_form is None and help_request.match is not None and help_request.match.hours is not None:
        form.hours.data = help_request.match.hours  # type: ignore[assignment]
    return render_template("staff/_request_panel.html", r=help_request, hours_form=form,
                           staff_panel=services.staff_panel(help_request, form))


@bp.post("/werkruimte/vragen/<public_id>/uren")
@staff_required
def correct_hours(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    help_request = _load_request(public_id)
    form = HoursCorrectionForm()
    if not form.validate_on_submit():  # the request's page again, the panel showing the error and the typed value
        g.setdefault(REFUSED_HOURS_FORM, form)
        return request_page(help_request, status=400)
    try:
        services.correct_hours(current_user, help_request, float(form.hours.data or 0))
    except services.NotAllowed:
        flash(_("Hours can be corrected only when the help is done."), "warning")
        return redirect(url_for("asks.show", public_id=public_id))
    db.session.commit()
    flash(_("The hours are corrected. The reports count them from now on."), "success")
    return redirect(url_for("asks.show", public_id=public_id))


from webapp.staff import casework_views as casework_views  # noqa: E402  (registers its views on bp)
from webapp.staff import rescue_views  # noqa: E402,F401  (routes on this blueprint)
