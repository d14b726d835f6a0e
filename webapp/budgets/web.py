"""What the district budget's views share: loading a round or proposal (or 404), the ballot key from the
configuration, today's date, labels, and a plain sentence for each refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from webapp.budgets import sealing, services
from webapp.budgets.models import BudgetProposal, BudgetRound, Phase
from webapp.core.forms import ActionForm
from webapp.core.numbers import format_decimal

PHASE_LABELS = {
    Phase.UPCOMING: _l("Coming soon"),
    Phase.PROPOSALS: _l("Send in your plan"),
    Phase.REVIEW: _l("Plans are being checked"),
    Phase.VOTING: _l("Voting now"),
    Phase.COUNTING: _l("Voting has ended; the votes are being counted"),
    Phase.FINISHED: _l("Results"),
}
STATUS_LABELS = {
    "submitted": _l("Waiting for the check"),
    "accepted": _l("On the ballot"),
    "rejected": _l("Cannot be done"),
}


def today() -> date:
    return date.today()


def ballot_key() -> bytes:
    """From BALLOT_KEY, or from SECRET_KEY when that is not set (docs/BUDGETS.md: keep it the same while voting)."""
    return sealing.ballot_key(current_app.config.get("BALLOT_KEY") or current_app.config["SECRET_KEY"])


def min_cell() -> int:
    return int(current_app.config.get("REPORT_MIN_CELL", 5))


def load_round(public_id: str) -> BudgetRound:
    found = services.get_round(public_id)
    if found is None:
        abort(404)
    return found


def load_proposal(public_id: str) -> BudgetProposal:
    """A proposal this person may see (one held for its text: its author and staff only), or 404."""
    found = services.get_proposal(public_id)
    if found is None or not services.may_see(current_user if current_user.is_authenticated else None, found):
        abort(404)
    return found


def checked() -> None:
    """Buttons carry only a CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


def euros(amount: int | None) -> str:
    """"€ 12.500" in Dutch, "€ 12,500" in English."""
    return "€\u00a0" + str(format_decimal(amount or 0, "#,##0"))


def refusal(reason: str, budget_round: BudgetRound | None = None) -> str:
    """A refusal in plain words, with what to do instead."""
    texts: dict[str, Any] = {
        "phase": lambda: _("This cannot be done at this stage of the round. Look at the dates on the round's page."),
        "unverified": lambda: _("First confirm your e-mail address with the link we sent you. Then try again."),
        "no_wijk": lambda: _("We do not know where you live. Fill in your postcode on your account page, then "
                             "come back."),
        "elsewhere": lambda: _("You can vote in the stadsdeel where you live. This round is for %(name)s.",
                               name=budget_round.stadsdeel.name if budget_round else ""),
        "blocked": lambda: _("Your account is blocked. Contact the volunteer centre."),
        "other_round": lambda: _("You already voted in another stadsdeel in this round. You can change that vote "
                                 "there."),
        "unknown": lambda: _("One of the plans you chose is not on the ballot (any more). Look at your choice "
                             "and send it again."),
        "over_budget": lambda: _("Your choice costs more than the budget. Untick a plan and send it again."),
        "too_few": lambda: ngettext("Choose at least %(num)d plan.", "Choose at least %(num)d plans.",
                                    budget_round.min_choices if budget_round is not None else 1),
        "cost": lambda: _("The cost must be between 1 euro and the whole budget of the round."),
        "wijk": lambda: _("Choose a wijk in this stadsdeel."),
        "initiative": lambda: _("You can only send in a plan for an initiative you organise."),
        "too_many": lambda: _("You sent in %(num)d plans to this round already. That is the most we take from one "
                              "person.", num=services.MAX_PROPOSALS_PER_PERSON),
        "author": lambda: _("Only the person who sent in this plan can do this."),
        "text": lambda: _("Remove phone numbers, e-mail addresses, addresses, links and rude words: everyone can "
                          "read this text."),
        "not_funded": lambda: _("This plan did not get money, so there is nothing to report."),
        "counted": lambda: _("This round has been counted already."),
        "unreadable": lambda: _("Some ballots cannot be opened: the ballot key of the server has changed. Put back "
                                "the old BALLOT_KEY (or SECRET_KEY) and count again. Nothing is lost."),
        "dates": lambda: _("Check the dates: first proposals, then at least one day later voting."),
        "cycle": lambda: _("This stadsdeel already has a round in this cycle. Choose another cycle or change that "
                           "round."),
        "locked": lambda: _("Voting has started: the amount, the rules and the first days can no longer change. "
                            "You can still change the name, the text and the last day of voting."),
        "voting_until": lambda: _("The last day of voting cannot be before today."),
        "has_plans": lambda: _("Plans were sent in for this stadsdeel, so the stadsdeel of the round cannot change. "
                               "Open a new round for the other stadsdeel."),
        "has_account": lambda: _("This resident has an account and votes themselves."),
        "consent": lambda: _("Choose how the resident agreed, and who gave the agreement."),
    }
    text = texts.get(reason)
    return str(text()) if text else _("This cannot be done.")
