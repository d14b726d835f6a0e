"""Pages of the district budget (/wijkbudget): the rounds, a round with its plans, sending in a plan, voting,
and the results. Staff pages are the nested blueprint "budgets.manage" (manage_views.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from webapp.budgets import counting, manage_views, reporting, services, voting
from webapp.budgets.forms import BallotForm, OutcomeForm, ProposalForm
from webapp.budgets.models import BudgetProposal, BudgetRound, Phase, ProposalStatus
from webapp.budgets.web import (
    PHASE_LABELS,
    STATUS_LABELS,
    ballot_key,
    euros,
    load_proposal,
    load_round,
    min_cell,
    refusal,
    today,
)
from webapp.core.extensions import db
from webapp.core.reference.labels import locale_code
from webapp.core.reference.models import Wijk

bp = Blueprint("budgets", __name__)
bp.register_blueprint(manage_views.bp)


@bp.app_template_filter("euros")
def _euros(amount: int | None) -> str:
    return euros(amount)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"phase_labels": PHASE_LABELS, "status_labels": STATUS_LABELS, "today": today(), "Phase": Phase}


def _me() -> Any:
    return current_user if current_user.is_authenticated else None


# -- the rounds -------------------------------------------------------------------------------------------------------

@bp.get("/wijkbudget")
def index() -> str:
    rounds = services.all_rounds()
    day = today()
    mine = _me().wijk.stadsdeel_id if _me() is not None and _me().wijk is not None else None
    return render_template("budgets/index.html", rounds=rounds, day=day, my_stadsdeel=mine,
                           by_phase={phase: [r for r in rounds if r.phase(day) == phase] for phase in Phase})


@bp.get("/wijkbudget/<public_id>")
def show(public_id: str) -> str:
    budget_round = load_round(public_id)
    me = _me()
    proposals = services.proposals_of_round(budget_round, public_only=True)
    return render_template(
        "budgets/show.html", round=budget_round, phase=budget_round.phase(today()), proposals=proposals,
        mine=services.proposals_by(me, budget_round) if me is not None else [],
        ballot=voting.my_ballot(me, budget_round, ballot_key()),
        not_eligible=voting.why_not_eligible(me, budget_round) if me is not None else None,
        refusal=refusal)


# -- plans ------------------------------------------------------------------------------------------------------------

def _proposal_choices(form: ProposalForm, budget_round: BudgetRound) -> tuple[dict[str, Wijk], dict[str, Any]]:
    wijken = {w.code: w for w in budget_round.stadsdeel.wijken}
    form.wijk.choices = [SelectChoice("", _("The whole stadsdeel"))] + [
        SelectChoice(code, w.name) for code, w in wijken.items()]
    initiatives = {i.public_id: i for i in services.initiatives_of(current_user)}
    form.initiative.choices = [SelectChoice("", _("Myself, as a resident"))] + [
        SelectChoice(key, i.name) for key, i in initiatives.items()]
    return wijken, initiatives


def _proposal_data(form: ProposalForm, wijken: dict[str, Wijk], initiatives: dict[str, Any]) -> \
        services.ProposalData:
    return services.ProposalData(title=form.title.data or "", summary=form.summary.data or "",
                                 cost=form.cost.data or 0, wijk=wijken.get(form.wijk.data or ""),
                                 initiative=initiatives.get(form.initiative.data or ""),
                                 text_language=form.text_language.data or locale_code())


@bp.route("/wijkbudget/<public_id>/plan", methods=["GET", "POST"])
@login_required
def new_proposal(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    budget_round = load_round(public_id)
    if budget_round.phase(today()) != Phase.PROPOSALS:
        flash(refusal("phase"), "warning")
        return redirect(url_for("budgets.show", public_id=budget_round.public_id))
    form = ProposalForm()
    wijken, initiatives = _proposal_choices(form, budget_round)
    problem = None
    if form.validate_on_submit():
        try:
            proposal = services.submit_proposal(current_user, budget_round, _proposal_data(form, wijken, initiatives),
                                                today())
        except services.NotAllowed as refused:
            problem = refusal(refused.reason, budget_round)
        else:
            db.session.commit()
            if proposal.moderation != "ok":
                flash(_("Your plan is saved. A staff member looks at the text first: only you can see it now."),
                      "warning")
            else:
                flash(_("Thank you! Your plan is sent in. Staff check if it can be done."), "success")
            return redirect(url_for("budgets.proposal", public_id=proposal.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/proposal_form.html", form=form, round=budget_round, proposal=None,
                           problem=problem), status


@bp.get("/wijkbudget/plannen/<public_id>")
def proposal(public_id: str) -> str:
    found = load_proposal(public_id)
    return render_template("budgets/proposal.html", proposal=found, round=found.round,
                           phase=found.round.phase(today()), is_author=services.is_author(_me(), found),
                           is_public=services.is_public(found))


@bp.route("/wijkbudget/plannen/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_proposal(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    found = load_proposal(public_id)
    if found.proposed_by_id != current_user.id:
        abort(403)
    budget_round = found.round
    if found.status != ProposalStatus.SUBMITTED or budget_round.phase(today()) != Phase.PROPOSALS:
        flash(refusal("phase"), "warning")
        return redirect(url_for("budgets.proposal", public_id=found.public_id))
    form = ProposalForm(obj=found) if request.method == "GET" else ProposalForm()
    wijken, initiatives = _proposal_choices(form, budget_round)
    if request.method == "GET":
        form.wijk.data = found.wijk.code if found.wijk is not None else ""
        form.initiative.data = found.initiative.public_id if found.initiative is not None else ""
    problem = None
    if form.validate_on_submit():
        try:
            services.edit_proposal(current_user, found, _proposal_data(form, wijken, initiatives), today())
        except services.NotAllowed as refused:
            problem = refusal(refused.reason, budget_round)
        else:
            db.session.commit()
            flash(_("Your plan is saved."), "success")
            return redirect(url_for("budgets.proposal", public_id=found.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/proposal_form.html", form=form, round=budget_round, proposal=found,
                           problem=problem), status


@bp.route("/wijkbudget/plannen/<public_id>/resultaat", methods=["GET", "POST"])
@login_required
def outcome(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    """Tell what a funded plan achieved: its author, an organiser of its initiative, or staff."""
    found = load_proposal(public_id)
    if not (services.is_author(current_user, found) or current_user.is_staff):
        abort(403)
    if not found.is_funded:
        abort(404)
    form = OutcomeForm(obj=found) if request.method == "GET" else OutcomeForm()
    problem = None
    if form.validate_on_submit():
        try:
            services.record_outcome(current_user, found, form.outcome.data or "")
        except services.NotAllowed as refused:
            problem = refusal(refused.reason)
        else:
            db.session.commit()
            flash(_("Thank you. Everyone can now read what the money did."), "success")
            return redirect(url_for("budgets.proposal", public_id=found.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("budgets/outcome_form.html", form=form, proposal=found, problem=problem), status


# -- voting -----------------------------------------------------------------------------------------------------------

def _render_ballot(budget_round: BudgetRound, on_ballot: list[BudgetProposal], form: BallotForm, chosen: set[str],
                   *, problem: str | None = None, checked: voting.Tally | None = None,
                   has_voted: bool = False, status: int = 200) -> tuple[str, int]:
    total = sum(p.cost for p in on_ballot if p.public_id in chosen)
    return render_template("budgets/vote.html", round=budget_round, proposals=on_ballot, form=form, chosen=chosen,
                           total=total, left=budget_round.amount - total, problem=problem, checked=checked,
                           has_voted=has_voted), status


@bp.route("/wijkbudget/<public_id>/stemmen", methods=["GET", "POST"])
@login_required
def vote(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    """The ballot: tick plans within the budget. Without JavaScript "Add up my choice" shows the total and what is
    left, keeping the ticks; "Vote" casts it (or replaces the earlier ballot)."""
    budget_round = load_round(public_id)
    back = redirect(url_for("budgets.show", public_id=budget_round.public_id))
    if budget_round.phase(today()) != Phase.VOTING:
        flash(refusal("phase"), "warning")
        return back
    reason = voting.why_not_eligible(current_user, budget_round)
    if reason is not None:
        flash(refusal(reason, budget_round), "warning")
        return back
    on_ballot = services.ballot_proposals(budget_round)
    form = BallotForm()
    mine = voting.my_ballot(current_user, budget_round, ballot_key())
    if request.method == "GET":
        return _render_ballot(budget_round, on_ballot, form, set(mine.chosen_ids), has_voted=mine.has_voted)
    if not form.validate_on_submit():
        abort(400)
    chosen = {c for c in (form.choices.data or []) if isinstance(c, str)}
    try:
        if form.action.data == "check":
            result = voting.tally(budget_round, on_ballot, chosen)
            return _render_ballot(budget_round, on_ballot, form, chosen, checked=result, has_voted=mine.has_voted)
        outcome_word, _result = voting.cast(current_user, budget_round, chosen, today(), ballot_key())
    except services.NotAllowed as refused:
        return _render_ballot(budget_round, on_ballot, form, chosen, problem=refusal(refused.reason, budget_round),
                              has_voted=mine.has_voted, status=400)
    db.session.commit()
    flash(_("Your vote has changed. You can change it until voting ends.") if outcome_word == "changed" else
          _("Thank you for voting! You can change your vote until voting ends."), "success")
    return back


@bp.get("/wijkbudget/<public_id>/uitslag")
def results(public_id: str) -> str | WerkzeugResponse:
    budget_round = load_round(public_id)
    if budget_round.counted_at is None:
        return redirect(url_for("budgets.show", public_id=budget_round.public_id))
    found = counting.results(budget_round, min_cell())
    outcomes = {a.proposal.id: a for a in reporting.funded(min_cell=min_cell(), round_id=budget_round.id)}
    return render_template("budgets/results.html", round=budget_round, results=found, outcomes=outcomes,
                           min_cell=min_cell())
