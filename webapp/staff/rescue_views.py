"""The rescue queue (/werkruimte/onbeantwoord), "invite more", the actions on an unanswered request, the list of
requests that expired without a response (/werkruimte/verlopen) and a VOG applied for: routes on the staff
blueprint (imported at the end of webapp.staff.views)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.models import HelpRequest
from webapp.core.access import staff_required
from webapp.core.extensions import db
from webapp.core.forms import ActionForm, DecisionForm
from webapp.core.pagination import page_arg
from webapp.staff import rescue, screening, services
from webapp.staff.rescue_forms import HISTORY_LABELS, NoteForm, OutcomeForm, SnoozeForm, VogAppliedForm
from webapp.staff.views import RESCUE_PAGE_SIZE, _config, _load_person, _load_request, _render_person, bp


def _history_label(kind: str) -> str:
    return str(HISTORY_LABELS.get(kind, kind))


def _page() -> int | None:
    """The queue's page to return to after an action (from the form's URL)."""
    page = request.args.get("page", "")
    return int(page) if page.isdigit() and int(page) > 1 else None


def _back() -> WerkzeugResponse:
    return redirect(url_for("staff.unanswered", page=_page()))


def _render_queue(failed: tuple[str, str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    """The queue; `failed`: (request public id, form name, form) of a refused form, drawn with its errors and what
    was typed."""
    page = page_arg()
    after = _config("RESCUE_AFTER_DAYS", services.DEFAULT_RESCUE_AFTER_DAYS)
    items, total = rescue.rescue_queue(current_user, after, limit=RESCUE_PAGE_SIZE,
                                       offset=(page - 1) * RESCUE_PAGE_SIZE)
    forms: dict[str, dict[str, Any]] = {}
    for w in items:
        public_id = w.help_request.public_id
        decision = DecisionForm(formdata=None)
        decision.seen.data = rescue.version(w.help_request)
        forms[public_id] = {"extend": decision, "note": NoteForm(formdata=None, prefix=f"n-{public_id}-"),
                            "snooze": SnoozeForm(formdata=None, prefix=f"s-{public_id}-")}
    if failed is not None and failed[0] in forms:
        forms[failed[0]][failed[1]] = failed[2]
    html = render_template("staff/unanswered.html", items=items, total=total, page=page,
                           pages=max(1, -(-total // RESCUE_PAGE_SIZE)), after_days=after, action_form=ActionForm(),
                           forms=forms, history_label=_history_label, extend_days=rescue.EXTEND_DAYS)
    db.session.commit()  # the audit entries (after drawing: a commit expires every row the page reads)
    return html, status


@bp.get("/werkruimte/onbeantwoord")
@staff_required
def unanswered() -> tuple[str, int]:
    return _render_queue()


def _open_request(public_id: str) -> HelpRequest | None:
    """The request, or None (with a message) when it is no longer open: the caller goes back to the queue."""
    help_request = _load_request(public_id)
    if not help_request.is_open:
        flash(_("This request is no longer open. It left the list."), "info")
        return None
    return help_request


@bp.get("/werkruimte/onbeantwoord/<public_id>/vrijwilligers")
@staff_required
def rescue_candidates(public_id: str) -> str:
    """"Invite more": every volunteer who may be invited, page by page, with their phone numbers."""
    help_request = _load_request(public_id)
    found = rescue.candidates_page(current_user, help_request, page_arg())
    html = render_template("staff/rescue_candidates.html", found=found, r=help_request, action_form=ActionForm())
    db.session.commit()  # the audit entries
    return html


@bp.post("/werkruimte/onbeantwoord/<public_id>/uitnodigen/<volunteer_id>")
@staff_required
def invite(public_id: str, volunteer_id: str) -> WerkzeugResponse:
    help_request = _load_request(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        rescue.invite(current_user, help_request, volunteer_id)
    except rescue.NotAllowed:
        abort(403)
    except rescue.AlreadyDone:
        db.session.rollback()
        flash(_("This volunteer was invited already."), "info")
    else:
        db.session.commit()
        flash(_("The volunteer is invited and gets a message."), "success")
    if request.args.get("from") == "more":
        more = request.args.get("more", "")
        return redirect(url_for("staff.rescue_candidates", public_id=public_id,
                                page=int(more) if more.isascii() and more.isdigit() and int(more) > 1 else None))
    return _back()


@bp.post("/werkruimte/onbeantwoord/<public_id>/verbreden")
@staff_required
def rescue_widen(public_id: str) -> WerkzeugResponse:
    if not ActionForm().validate_on_submit():
        abort(400)
    help_request = _open_request(public_id)
    if help_request is None:
        return _back()
    try:
        rescue.widen(current_user, help_request)
    except rescue.NotAllowed:
        db.session.rollback()
        flash(_("This request is not public now, so it cannot be widened."), "warning")
        return _back()
    except rescue.AlreadyDone:
        db.session.rollback()
        flash(_("This request was widened to the whole stadsdeel already."), "info")
        return _back()
    db.session.commit()
    flash(_("Volunteers in the whole stadsdeel can now be suggested and invited. The resident does not get a message."),
          "success")
    return _back()


@bp.post("/werkruimte/onbeantwoord/<public_id>/verlengen")
@staff_required
def rescue_extend(public_id: str) -> WerkzeugResponse:
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    help_request = _open_request(public_id)
    if help_request is None:
        return _back()
    try:
        after = rescue.extend(current_user, help_request, form.seen.data or "")
    except (rescue.ChangedMeanwhile, rescue.NotAllowed):
        db.session.rollback()
        flash(_("This request changed since you opened the page (a colleague may have extended it). Look at it "
                "again."), "warning")
        return _back()
    db.session.commit()
    flash(_("The request stays online until %(date)s.", date=format_date(after)), "success")
    return _back()


@bp.post("/werkruimte/onbeantwoord/<public_id>/notitie")
@staff_required
def rescue_note(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    help_request = _load_request(public_id)
    form = NoteForm(prefix=f"n-{public_id}-")
    if not form.validate_on_submit():
        return _render_queue(failed=(public_id, "note", form), status=400)
    rescue.add_note(current_user, help_request, form.text.data or "")
    db.session.commit()
    flash(_("The note is saved."), "success")
    return _back()


@bp.post("/werkruimte/onbeantwoord/<public_id>/uitstellen")
@staff_required
def rescue_snooze(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    form = SnoozeForm(prefix=f"s-{public_id}-")
    if not form.validate_on_submit():
        _load_request(public_id)
        return _render_queue(failed=(public_id, "snooze", form), status=400)
    help_request = _open_request(public_id)
    if help_request is None:
        return _back()
    assert form.until.data is not None
    rescue.snooze(current_user, help_request, form.until.data)
    db.session.commit()
    flash(_("The request is out of the list until %(date)s. Then it comes back by itself.",
            date=format_date(form.until.data)), "success")
    return _back()


# -- expired without a response ---------------------------------------------------------------------------------------

def _render_expired(failed: tuple[str, OutcomeForm] | None = None, status: int = 200) -> tuple[str, int]:
    page = page_arg()
    items, total, notes = rescue.expired_unanswered(current_user, page=page, per_page=RESCUE_PAGE_SIZE)
    forms = {r.public_id: OutcomeForm(formdata=None, prefix=f"o-{r.public_id}-") for r in items}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    html = render_template("staff/expired.html", items=items, total=total, page=page,
                           pages=max(1, -(-total // RESCUE_PAGE_SIZE)), forms=forms, notes=notes,
                           history_label=_history_label)
    db.session.commit()  # the audit entries (after drawing: a commit expires every row the page reads)
    return html, status


@bp.get("/werkruimte/verlopen")
@staff_required
def expired() -> tuple[str, int]:
    """Requests that expired without any response: phone the resident, record what came of it."""
    return _render_expired()


@bp.post("/werkruimte/verlopen/<public_id>/uitkomst")
@staff_required
def expired_outcome(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    help_request = _load_request(public_id)
    form = OutcomeForm(prefix=f"o-{public_id}-")
    if not form.validate_on_submit():
        return _render_expired(failed=(public_id, form), status=400)
    try:
        rescue.record_outcome(current_user, help_request, form.outcome.data or "", form.text.data or "")
    except rescue.NotAllowed:
        db.session.rollback()
        flash(_("This request is no longer on the list: a colleague handled it already."), "info")
        return redirect(url_for("staff.expired"))
    db.session.commit()
    if form.outcome.data == "reposted":
        flash(_("The request is online again for %(num)d days.", num=rescue.EXTEND_DAYS), "success")
    elif form.outcome.data == "no_answer":
        flash(_("Saved. The request stays on the list, so you can phone again."), "info")
    else:
        flash(_("Saved. The request left the list."), "success")
    return redirect(url_for("staff.expired"))


# -- a certificate of conduct applied for -----------------------------------------------------------------------------

@bp.post("/werkruimte/personen/<public_id>/vog-aangevraagd")
@staff_required
def vog_applied(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    person = _load_person(public_id)
    form = VogAppliedForm()
    if not form.validate_on_submit() or person.volunteer_profile is None:
        if person.volunteer_profile is None:
            form.requested_on.errors = [_("This person has no volunteer profile.")]
        return _render_person(person, applied_form=form, status=400)
    assert form.requested_on.data is not None
    screening.record_application(current_user, person, form.requested_on.data)
    db.session.commit()
    flash(_("Saved: this volunteer applied for a certificate of conduct."), "success")
    return redirect(url_for("staff.person", public_id=public_id))
