"""The intake page (contact log, consent and its withdrawal, the letter) and a hand-over's referral, pick-up and
note history: views on the staff blueprint (imported at the bottom of webapp.staff.views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.models import HelpRequest
from webapp.core.access import staff_required
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.i18n import in_language
from webapp.core.reference.labels import locale_code
from webapp.staff import casework, pdf, referrals, services
from webapp.staff.casework_forms import ContactForm, PickupForm, WithdrawForm
from webapp.staff.consent import consent_text
from webapp.staff.models import Handover, Intake
from webapp.staff.views import bp

# -- the intake page --------------------------------------------------------------------------------------------------


def _load_intake(public_id: str) -> Intake:
    intake = casework.intake_by_request(public_id)
    if intake is None:
        abort(404)
    return intake


def _render_intake(intake: Intake, contact_form: ContactForm | None = None,
                   withdraw_form: WithdrawForm | None = None, status: int = 200) -> tuple[str, int]:
    if withdraw_form is None:
        withdraw_form = WithdrawForm(formdata=None)
        withdraw_form.withdrawn_on.data = date.today()
    return render_template(
        "staff/intake.html", intake=intake, r=intake.help_request, entries=casework.contact_log(intake),
        contact_form=contact_form or ContactForm(formdata=None), withdraw_form=withdraw_form,
        consent_text=consent_text(intake.consent_version, locale_code()) if intake.consent_version else "",
        letter_ready=casework.letter_for(intake) is not None, kind_label=_contact_kind_label), status


def _contact_kind_label(kind: str) -> str:
    return str(casework.CONTACT_KINDS.get(kind, kind))


@bp.get("/werkruimte/intakes/<public_id>")
@staff_required
def intake(public_id: str) -> tuple[str, int]:
    found = casework.open_intake(current_user, public_id)
    if found is None:
        abort(404)
    page = _render_intake(found)
    db.session.commit()  # the audit entry (after drawing: a commit expires every row the page reads)
    return page


@bp.post("/werkruimte/intakes/<public_id>/contact")
@staff_required
def log_contact(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    found = _load_intake(public_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _render_intake(found, contact_form=form, status=400)
    casework.log_contact(current_user, found, form.kind.data or "other", form.note.data or "")
    db.session.commit()
    flash(_("The contact is noted."), "success")
    return redirect(url_for("staff.intake", public_id=public_id) + "#contact-log")


@bp.post("/werkruimte/intakes/<public_id>/intrekken")
@staff_required
def withdraw_consent(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    found = _load_intake(public_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_intake(found, withdraw_form=form, status=400)
    assert form.withdrawn_on.data is not None
    try:
        casework.withdraw_consent(current_user, found, form.withdrawn_on.data)
    except casework.NotAllowed:
        db.session.rollback()
        flash(_("The agreement was withdrawn already."), "info")
        return redirect(url_for("staff.intake", public_id=public_id))
    db.session.commit()
    flash(_("The withdrawal is recorded. The request is offline and volunteers no longer see the resident's "
            "details."), "success")
    return redirect(url_for("staff.intake", public_id=public_id))


# -- the letter for a resident without e-mail -------------------------------------------------------------------------

def _letter_language(letter: casework.Letter, wanted: str = "") -> str:
    languages = current_app.config["LANGUAGES"]
    return wanted if wanted in languages else (letter.locale if letter.locale in languages else "nl")


@dataclass(frozen=True)
class LetterTexts:
    title: str
    greeting: str
    paragraphs: list[str]
    closing: list[str]


def _letter_texts(letter: casework.Letter, language: str) -> LetterTexts:
    """The letter's sentences in the resident's language."""
    with in_language(language):
        paragraphs = [_("Good news: %(helper)s will help you with: %(title)s.", helper=letter.helper_name,
                        title=letter.title),
                      _("%(staff)s of the volunteer centre will phone you to agree on a day and a time. You do not "
                        "need to do anything else.", staff=letter.staff_name)]
        if letter.staff_phone:
            paragraphs.append(_("Do you have a question? Call %(staff)s on %(phone)s.", staff=letter.staff_name,
                                phone=letter.staff_phone))
        return LetterTexts(title=_("A helper for your request"),
                           greeting=_("Dear %(name)s,", name=letter.resident_name), paragraphs=paragraphs,
                           closing=[_("Kind regards,"), _("The volunteer centre Haarlem")])


def _ready_letter(public_id: str) -> tuple[Intake, casework.Letter]:
    found = _load_intake(public_id)
    letter = casework.letter_for(found)
    if letter is None:
        flash(_("The letter can be printed once a helper is chosen."), "warning")
        abort(redirect(url_for("staff.intake", public_id=public_id)))
    return found, letter


@bp.get("/werkruimte/intakes/<public_id>/brief")
@staff_required
def letter(public_id: str) -> str:
    found, letter = _ready_letter(public_id)
    language = _letter_language(letter, request.args.get("taal", ""))
    casework.log_letter_view(current_user, found)
    html = render_template("staff/letter.html", intake=found, r=found.help_request, language=language,
                           texts=_letter_texts(letter, language), action_form=ActionForm())
    db.session.commit()  # the audit entry (after drawing: a commit expires every row the page reads)
    return html


@bp.post("/werkruimte/intakes/<public_id>/brief")
@staff_required
def letter_printed(public_id: str) -> WerkzeugResponse:
    """The staff member printed the letter page: noted in the contact log."""
    found, _letter = _ready_letter(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    casework.letter_printed(current_user, found)
    db.session.commit()
    flash(_("The letter is noted in the contact log."), "success")
    return redirect(url_for("staff.intake", public_id=public_id) + "#contact-log")


@bp.post("/werkruimte/intakes/<public_id>/brief.pdf")
@staff_required
def letter_pdf(public_id: str) -> Response:
    """The letter as a PDF (in the resident's language where the print fonts have its letters, else in Dutch); the
    download is noted in the contact log."""
    found, letter = _ready_letter(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    language = _letter_language(letter, request.form.get("taal", ""))
    texts = _letter_texts(letter, language)
    if not pdf.can_print(texts.title, texts.greeting, *texts.paragraphs, *texts.closing):
        texts = _letter_texts(letter, "nl")  # the print fonts lack this language's letters: the Dutch letter
    body = pdf.one_page(texts.title, [texts.greeting, *texts.paragraphs], closing=texts.closing)
    casework.letter_printed(current_user, found, "PDF")
    db.session.commit()
    return _pdf_response(body, f"brief-{public_id}.pdf")


def _pdf_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# -- the address for the chosen volunteer (template hook "request-page:contact") --------------------------------------

def helper_address(help_request: HelpRequest) -> str:
    address = casework.address_for_helper(current_user, help_request)
    if not address:
        return ""
    return render_template("staff/_helper_address.html", address=address)


# -- a hand-over's referral, pick-up and note history -----------------------------------------------------------------

def _load_handover(handover_id: int) -> Handover:
    found = services.get_handover(handover_id)
    if found is None:
        abort(404)
    return found


@bp.get("/werkruimte/overdrachten/<int:handover_id>/verwijzing")
@staff_required
def referral(handover_id: int) -> str:
    """The referral as the partner receives it: to print, to download as a PDF, or to e-mail when the partner has
    an address."""
    found = _load_handover(handover_id)
    opened = referrals.open_referral(current_user, found)
    html = render_template("staff/referral.html", handover=found, referral=opened,
                           partner_email=referrals.partner_email(found.partner), action_form=ActionForm(),
                           field_label=lambda key: str(referrals.FIELD_LABELS[key]),
                           basis_label=str(referrals.BASIS_LABELS.get(found.basis, found.basis)))
    db.session.commit()  # the audit entry (after drawing: a commit expires every row the page reads)
    return html


@bp.get("/werkruimte/overdrachten/<int:handover_id>/verwijzing.pdf")
@staff_required
def referral_pdf(handover_id: int) -> Response:
    found = _load_handover(handover_id)
    ref = referrals.referral_for(found)
    with in_language("nl"):
        title = _("Referral from the volunteer centre (%(reference)s)", reference=ref.reference)
        basis = str(referrals.BASIS_LABELS.get(ref.basis, ref.basis))
        paragraphs = [
            _("Dear colleagues of %(partner)s,", partner=ref.partner),
            _("The volunteer centre hands a resident over to you (reference %(reference)s, on %(date)s).",
              reference=ref.reference, date=ref.handed_over_on.isoformat()),
            _("Ground for sharing:") + " " + basis + (f" ({ref.consent_on.isoformat()})" if ref.consent_on else "")]
        facts = [(str(referrals.FIELD_LABELS[key]), value) for key, value in ref.fields]
        if not facts:
            paragraphs.append(_("No personal details are shared. Contact us to talk about the resident."))
        closing = [_("Your contact at the volunteer centre:") + " " + ref.staff_name +
                   (f" ({ref.staff_email})" if ref.staff_email else ""),
                   _("Please let us know when you have picked this up. Do not forward this e-mail.")]
    try:
        body = pdf.one_page(title, paragraphs, facts, closing)
    except pdf.UnsupportedText:  # letters the print fonts lack (a name in another script): the page can be printed
        flash(_("This referral has letters the PDF cannot show. Print the page instead."), "warning")
        abort(redirect(url_for("staff.referral", handover_id=handover_id)))
    referrals.log_printed(current_user, found)
    db.session.commit()
    return _pdf_response(body, f"verwijzing-{ref.reference}.pdf")


@bp.post("/werkruimte/overdrachten/<int:handover_id>/versturen")
@staff_required
def send_referral(handover_id: int) -> WerkzeugResponse:
    found = _load_handover(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        referrals.send_referral(current_user, found)
    except referrals.NotAllowed:
        flash(_("No e-mail address is set up for %(partner)s. Print the referral or download the PDF instead.",
                partner=found.partner), "warning")
        return redirect(url_for("staff.referral", handover_id=handover_id))
    db.session.commit()
    flash(_("The referral is sent to %(partner)s.", partner=found.partner), "success")
    return redirect(url_for("staff.handovers"))


@bp.post("/werkruimte/overdrachten/<int:handover_id>/opgepakt")
@staff_required
def record_pickup(handover_id: int) -> WerkzeugResponse | tuple[str, int]:
    found = _load_handover(handover_id)
    form = PickupForm(prefix=f"p{handover_id}")
    if form.validate_on_submit():
        assert form.picked_up_on.data is not None
        try:
            referrals.record_pickup(current_user, found, form.picked_up_on.data)
        except referrals.NotAllowed:
            form.picked_up_on.errors = [_("This date is before the hand-over. Choose the day the partner picked it "
                                          "up.")]
        else:
            db.session.commit()
            flash(_("The date the partner picked it up is saved."), "success")
            return redirect(url_for("staff.handovers"))
    message = form.picked_up_on.errors[0] if form.picked_up_on.errors else _("Fill in the date.")
    flash(str(message), "warning")
    return redirect(url_for("staff.handovers"))


def pickup_forms(items: list[Handover]) -> dict[int, PickupForm]:
    """The pick-up date form of each hand-over on the list (today filled in)."""
    forms = {}
    for item in items:
        form = PickupForm(formdata=None, prefix=f"p{item.id}")
        form.picked_up_on.data = date.today()
        forms[item.id] = form
    return forms


@bp.get("/werkruimte/overdrachten/<int:handover_id>/notities")
@staff_required
def handover_notes(handover_id: int) -> str:
    found = _load_handover(handover_id)
    return render_template("staff/handover_notes.html", handover=found, notes=referrals.note_history(found))
