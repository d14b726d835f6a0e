"""The staff side of the district budget (/werkruimte/wijkbudget), the nested blueprint "budgets.manage": open and
change rounds, check plans (with a public reason when one cannot be done), enter a ballot for a resident without an
account, and count."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from webapp.accounts.models import User
from webapp.budgets import counting, services, voting
from webapp.budgets.forms import CONSENT_BY_LABELS, CONSENT_HOW_LABELS, IntakeBallotForm, RejectForm, RoundForm
from webapp.budgets.models import BudgetRound, Phase
from webapp.budgets.web import ballot_key, checked, load_proposal, load_round, refusal, today
from webapp.core.access import staff_required
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.reference.models import Stadsdeel

bp = Blueprint("manage", __name__, url_prefix="/werkruimte/wijkbudget")


def _stadsdelen(form: RoundForm) -> dict[str, Stadsdeel]:
    found = {str(s.id): s for s in db.session.query(Stadsdeel).order_by(Stadsdeel.name)}
    form.stadsdeel.choices = [SelectChoice(key, s.name) for key, s in found.items()]
    return found


def _round_data(form: RoundForm, stadsdelen: dict[str, Stadsdeel]) -> services.RoundData:
    assert form.proposals_from.data and form.proposals_until.data and form.voting_from.data and form.voting_until.data
    return services.RoundData(
        stadsdeel=stadsdelen[form.stadsdeel.data or ""], cycle=form.cycle.data or "", title=form.title.data or "",
        description=form.description.data or "", amount=form.amount.data or 0,
        new_share_percent=form.new_share_percent.data or 0, min_choices=form.min_choices.data or 1,
        proposals_from=form.proposals_from.data, proposals_until=form.proposals_until.data,
        voting_from=form.voting_from.data, voting_until=form.voting_until.data)


@bp.get("/")
@staff_required
def index() -> str:
    return render_template("budgets/manage/index.html", rounds=services.all_rounds(),
                           counts=services.proposal_counts(), day=today())


@bp.route("/nieuw", methods=["GET", "POST"])
@staff_required
def new_round() -> str | WerkzeugResponse | tuple[str, int]:
    form = RoundForm()
    stadsdelen = _stadsdelen(form)
    if request.method == "GET":
        start = today()
        form.cycle.data = str(start.year)
        form.proposals_from.data, form.proposals_until.data = start, start + timedelta(days=27)
        form.voting_from.data, form.voting_until.data = start + timedelta(days=42), start + timedelta(days=55)
    problem = None
    if form.validate_on_submit():
        try:
            created = services.open_round(current_user, _round_data(form, stadsdelen))
        except services.NotAllowed as refused:
            problem = refusal(refused.reason)
        else:
            db.session.commit()
            flash(_("The round is open. Residents can send in plans from the first day."), "success")
            return redirect(url_for("budgets.manage.show", public_id=created.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/manage/round_form.html", form=form, round=None, problem=problem), status


@bp.route("/<public_id>/bewerken", methods=["GET", "POST"])
@staff_required
def edit_round(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    budget_round = load_round(public_id)
    form = RoundForm(obj=budget_round) if request.method == "GET" else RoundForm()
    stadsdelen = _stadsdelen(form)
    if request.method == "GET":
        form.stadsdeel.data = str(budget_round.stadsdeel_id)
    problem = None
    if form.validate_on_submit():
        try:
            services.change_round(current_user, budget_round, _round_data(form, stadsdelen), today())
        except services.NotAllowed as refused:
            problem = refusal(refused.reason)
        else:
            db.session.commit()
            flash(_("The round is saved."), "success")
            return redirect(url_for("budgets.manage.show", public_id=budget_round.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/manage/round_form.html", form=form, round=budget_round, problem=problem), status


def _render_round(budget_round: BudgetRound, failed: tuple[str, RejectForm] | None = None,
                  status: int = 200) -> tuple[str, int]:
    phase = budget_round.phase(today())
    return render_template(
        "budgets/manage/round.html", round=budget_round, phase=phase,
        proposals=services.proposals_of_round(budget_round), voters=voting.voter_count(budget_round),
        intakes=voting.intakes_of_round(budget_round), action_form=ActionForm(),
        reject_form=RejectForm(formdata=None), failed=failed,
        may_decide=phase in (Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW),
        consent_how=CONSENT_HOW_LABELS, consent_by=CONSENT_BY_LABELS), status


@bp.get("/<public_id>")
@staff_required
def show(public_id: str) -> tuple[str, int]:
    return _render_round(load_round(public_id))


@bp.post("/plannen/<public_id>/goedkeuren")
@staff_required
def accept(public_id: str) -> WerkzeugResponse:
    found = load_proposal(public_id)
    checked()
    try:
        done = services.accept(current_user, found, today())
    except services.NotAllowed as refused:
        flash(refusal(refused.reason), "warning")
    else:
        db.session.commit()
        flash(_("The plan is on the ballot.") if done else _("Another staff member decided on this plan already."),
              "success" if done else "warning")
    return redirect(url_for("budgets.manage.show", public_id=found.round.public_id) + f"#plan-{found.public_id}")


@bp.post("/plannen/<public_id>/afwijzen")
@staff_required
def reject(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    found = load_proposal(public_id)
    form = RejectForm()
    valid = form.validate_on_submit()
    if valid and services.reason_has_personal_data(form.reason.data or ""):
        form.reason.errors = [_("Remove the personal details: everyone can read this reason.")]
    elif valid:
        try:
            done = services.reject(current_user, found, form.reason.data or "", today())
        except services.NotAllowed as refused:
            flash(refusal(refused.reason), "warning")
        else:
            db.session.commit()
            flash(_("The plan cannot be done. The reason is on its page.") if done else
                  _("Another staff member decided on this plan already."), "success" if done else "warning")
        return redirect(url_for("budgets.manage.show", public_id=found.round.public_id) + f"#plan-{found.public_id}")
    return _render_round(found.round, failed=(found.public_id, form), status=400)


@bp.post("/plannen/<public_id>/terugdraaien")
@staff_required
def undo(public_id: str) -> WerkzeugResponse:
    found = load_proposal(public_id)
    checked()
    try:
        done = services.undo_decision(current_user, found, today())
    except services.NotAllowed as refused:
        flash(refusal(refused.reason), "warning")
    else:
        db.session.commit()
        if done:
            flash(_("The decision is undone. The plan waits for a check again."), "success")
    return redirect(url_for("budgets.manage.show", public_id=found.round.public_id) + f"#plan-{found.public_id}")


@bp.post("/<public_id>/tellen")
@staff_required
def count(public_id: str) -> WerkzeugResponse:
    """End voting and count. The results are public at once."""
    budget_round = load_round(public_id)
    checked()
    try:
        result = counting.count(current_user, budget_round, today(), ballot_key())
    except services.NotAllowed as refused:
        db.session.rollback()
        flash(refusal(refused.reason), "warning")
        return redirect(url_for("budgets.manage.show", public_id=public_id))
    db.session.commit()
    flash(ngettext("Counted: %(num)d ballot. The results are public.", "Counted: %(num)d ballots. The results are "
                   "public.", result.ballots), "success")
    return redirect(url_for("budgets.results", public_id=public_id))


# -- a ballot for a resident without an account -----------------------------------------------------------------------

@bp.route("/<public_id>/intake", methods=["GET", "POST"])
@staff_required
def intake(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    budget_round = load_round(public_id)
    if budget_round.phase(today()) != Phase.VOTING:
        flash(refusal("phase"), "warning")
        return redirect(url_for("budgets.manage.show", public_id=public_id))
    form = IntakeBallotForm()
    residents = {r.public_id: r for r in voting.walk_in_residents(budget_round)}
    form.resident.choices = [SelectChoice("", _("A new resident"))] + [
        SelectChoice(key, f"{r.first_name} {r.last_name} ({r.postcode})".strip()) for key, r in residents.items()]
    on_ballot = services.ballot_proposals(budget_round)
    if request.method == "GET":
        form.consent_on.data = date.today()
        if request.args.get("bewoner") in residents:
            form.resident.data = request.args["bewoner"]
    duplicates: list[User] = []
    problem = None
    if form.validate_on_submit():
        chosen_resident = residents.get(form.resident.data or "")
        if chosen_resident is None:
            duplicates = voting.likely_duplicates(form.first_name.data or "", form.last_name.data or "",
                                                  form.postcode.data or "")
        if duplicates and not form.same_person_checked.data:
            problem = _("There is already someone with this name and postcode. Check that it is not the same "
                        "person, then tick the box and send again.")
        else:
            assert form.consent_on.data is not None
            resident: User | voting.ResidentData
            if chosen_resident is not None:
                resident = chosen_resident
            else:
                assert form.resolved_wijk is not None
                resident = voting.ResidentData(first_name=form.first_name.data or "",
                                               last_name=form.last_name.data or "",
                                               postcode=form.postcode.data or "", wijk=form.resolved_wijk)
            consent = voting.Consent(how=form.consent_how.data or "", given_by=form.consent_given_by.data or "",
                                     on=form.consent_on.data, note=form.staff_note.data or "")
            try:
                _person, outcome, _tally = voting.cast_for_resident(
                    current_user, budget_round, resident, consent,
                    set(form.choices.data or []), today(), ballot_key())
            except services.NotAllowed as refused:
                problem = refusal(refused.reason, budget_round)
            else:
                db.session.commit()
                flash(_("The vote of the resident has changed.") if outcome == "changed" else
                      _("The vote of the resident is saved."), "success")
                return redirect(url_for("budgets.manage.show", public_id=public_id))
    chosen = set(form.choices.data or [])
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/manage/intake.html", form=form, round=budget_round, proposals=on_ballot,
                           chosen=chosen, total=sum(p.cost for p in on_ballot if p.public_id in chosen),
                           duplicates=duplicates, problem=problem), status

