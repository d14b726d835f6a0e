"""Pages for help requests: list, detail, post, edit, respond, accept, done and thanks."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.asks import categories, first_request, services, visibility
from webapp.asks.audit import log_sensitive_view
from webapp.asks.events import record as record_event
from webapp.asks.forms import RequestForm, ResponseForm, ThanksForm
from webapp.asks.models import HelpRequest
from webapp.core import drafts
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.pagination import int_arg, page_arg
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.core.reference.labels import locale_code, localized_name
from webapp.core.reference.services import category_choices, districts

bp = Blueprint("asks", __name__, url_prefix="/vragen")


@bp.app_template_filter("resident_status")
def _resident_status(help_request: HelpRequest) -> str:
    """The status a resident's own pages show (a hand-over they are not told about: "closed")."""
    return services.resident_status(help_request)


def _filters() -> services.ListFilters:
    wijk_code = request.args.get("wijk") or None
    wijk_id = next((w.id for s in districts(db.session) for w in s.wijken if w.code == wijk_code), None)
    when = request.args.get("when")
    return services.ListFilters(
        category=request.args.get("category") or None,
        stadsdeel_id=int_arg("stadsdeel"),
        wijk_id=wijk_id,
        when=when if when in {"flexible", "this_week"} else None,
    )


@bp.get("/")
def index() -> str:
    filters = _filters()
    page = services.list_open_requests(
        current_user, filters, page=page_arg(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "asks/index.html",
        page=page,
        filters=filters,
        categories=category_choices(db.session),
        stadsdelen=districts(db.session),
        args=request.args,
    )


def _load_visible(public_id: str) -> HelpRequest:
    help_request = services.get_by_public_id(public_id)
    if help_request is None or not visibility.may_see(current_user, help_request):
        abort(404)
    return help_request


@bp.get("/<public_id>")
def show(public_id: str) -> tuple[str, int]:
    help_request = _load_visible(public_id)
    opened = request.args.get("via") == "aanbevolen" and current_user.is_authenticated
    if opened:
        record_event(current_user.id, help_request.id, "opened")
    logged = log_sensitive_view(current_user, help_request)
    kept = drafts.peek(request.path) if current_user.is_authenticated else {}
    if kept.get("message"):  # typed before the address was confirmed (webapp.core.drafts): back, ready to send
        page = _render_show(help_request, response_form=ResponseForm(formdata=None, message=kept["message"]))
    else:
        page = _render_show(help_request)
    if opened or logged:
        # After drawing the page: a commit expires every loaded row, and drawing would load each one again.
        db.session.commit()
    return page


def _render_show(
    help_request: HelpRequest,
    response_form: ResponseForm | None = None,
    thanks_form: ThanksForm | None = None,
    status: int = 200,
    too_many: ratelimit.Refusal | None = None,
) -> tuple[str, int]:
    is_owner = services.speaks_for(current_user, help_request)
    my_response = next(
        (r for r in help_request.responses if current_user.is_authenticated and r.volunteer_id == current_user.id),
        None,
    )
    page = render_template(
        "asks/show.html",
        help_request=help_request,
        is_owner=is_owner,
        is_party=services.is_party(current_user, help_request),
        show_contact=services.contact_details_visible(help_request),
        my_response=my_response,
        can_respond=visibility.may_respond(current_user, help_request),
        response_form=response_form or ResponseForm(formdata=None),
        thanks_form=thanks_form or ThanksForm(formdata=None),
        action_form=ActionForm(),
        too_many=too_many,
    )
    return page, status


def request_page(help_request: HelpRequest, status: int = 200) -> tuple[str, int]:
    """The request's page as its viewer sees it; for a form on it that lives in another feature (the staff panel's
    hours correction) to show its errors with what was typed."""
    return _render_show(help_request, status=status)


def request_data(form: RequestForm) -> services.RequestData:
    """The request as the form describes it (also used by the staff intake form)."""
    assert form.resolved_wijk is not None
    language = form.text_language.data or locale_code()
    category, _chosen_by_samen = categories.choose(form.category.data or categories.AUTO, form.title.data or "",
                                                   form.description.data or "", language)
    on_date, slots = form.chosen_times()
    return services.RequestData(
        title=form.title.data or "",
        description=form.description.data or "",
        category=category,
        wijk=form.resolved_wijk,
        on_date=on_date,
        slots=slots,
        languages=form.languages.data or [],
        is_recurring=form.frequency.data == "recurring",
        needs_screening=bool(form.needs_screening.data),
        text_language=language,
    )


def _tell_chosen_category(help_request: HelpRequest) -> None:
    """The person let Samen choose the kind of help: say what it became, and how to change it."""
    if help_request.category_key == categories.OTHER:
        flash(_("We could not tell the kind of help from your words, so it is under \"Other\" for now. Someone "
                "from the volunteer centre will look at it. You can also choose it yourself: press \"Change\"."),
              "info")
    else:
        flash(_("We chose the kind of help for you: %(kind)s. Not right? Press \"Change\" and choose another.",
                kind=localized_name(help_request.category)), "info")


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> str | WerkzeugResponse | tuple[str, int, dict[str, str]]:
    form = RequestForm()
    kept = first_request.kept_form(current_user) if request.method == "GET" else None
    if kept is not None:  # typed on the ask-and-sign-up page in this browser, not posted (asks/first_request.py)
        form = kept
        flash(_("We kept what you typed before. Check it, and post your request."), "info")
    elif request.method == "GET":
        form.languages.data = [locale_code()]
        form.text_language.data = locale_code()
        form.postcode.data = current_user.postcode
        if current_user.wijk is not None:
            form.preset_wijk(current_user.wijk)
    if form.validate_on_submit():
        data = request_data(form)
        posted = services.just_posted(current_user, data)
        if posted is not None:  # the same request a moment ago: a second press, not a second request
            flash(_("You posted this request a moment ago. Here it is."), "info")
            return redirect(url_for("asks.show", public_id=posted.public_id))
        refusal = ratelimit.hit("post_request", ("user", current_user.public_id))
        if refusal:
            return refused("asks/form.html", refusal, form=form, help_request=None)
        help_request = services.post_request(current_user, data, check_duplicates=True,
                                             waiting=not confirmation.has_confirmed_address(current_user))
        db.session.commit()
        first_request.posted()
        if help_request.moderation == "waiting":
            flash(_("Your request is saved. It goes online as soon as you confirm your e-mail address with the "
                    "link we sent you."), "warning")
        elif help_request.moderation != "ok":
            flash(_("Your request is not online yet. Please read below what to change."), "warning")
        else:
            flash(_("Your request is online. We will let you know when a neighbour responds."), "success")
        if form.category.data == categories.AUTO:
            _tell_chosen_category(help_request)
        return redirect(url_for("asks.show", public_id=help_request.public_id))
    return render_template("asks/form.html", form=form, help_request=None)


@bp.route("/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(public_id: str) -> str | WerkzeugResponse:
    help_request = _load_visible(public_id)
    if not services.speaks_for(current_user, help_request):
        abort(403)
    if not help_request.is_open:
        flash(_("This request is no longer open, so it cannot be changed."), "warning")
        return redirect(url_for("asks.show", public_id=public_id))
    form = RequestForm(obj=help_request)
    if request.method == "GET":
        form.category.data = help_request.category_key
        form.frequency.data = "recurring" if help_request.is_recurring else "once"
        form.postcode.data = help_request.requester.postcode if help_request.requester else current_user.postcode
        form.preset_wijk(help_request.wijk)
    if form.validate_on_submit():
        closed = services.edit_request(current_user, help_request, request_data(form), check_duplicates=True,
                                       may_publish=confirmation.has_confirmed_address(current_user))
        db.session.commit()
        if help_request.moderation != "ok":
            flash(_("Your request is saved, but it is not online yet. Please read below what to change."),
                  "warning")
        else:
            flash(_("Your request is saved."), "success")
        if closed:
            flash(ngettext("This request now needs a volunteer with a certificate of conduct (VOG). We closed "
                           "%(num)d response of a volunteer without one, with a kind message.",
                           "This request now needs a volunteer with a certificate of conduct (VOG). We closed "
                           "%(num)d responses of volunteers without one, with a kind message.", closed), "info")
        return redirect(url_for("asks.show", public_id=public_id))
    return render_template("asks/form.html", form=form, help_request=help_request)


def _act(public_id: str, action: Callable[[HelpRequest], object], done: tuple[str, str],
         stale: tuple[str, str], gone: tuple[str, str] | None = None) -> WerkzeugResponse:
    """A one-button action on a request: check the token, run the service, say how it went.

    `done` and `stale` are (message, flash category) for success and for "someone got there first"; `gone` for
    "the helper you chose is no longer there"."""
    help_request = _load_visible(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(help_request)
    except services.NotAllowed:
        abort(403)
    except services.NoLongerOpen:
        db.session.rollback()
        flash(*stale)
    except services.NeedsScreening:
        db.session.rollback()
        flash(_("This helper has no valid certificate of conduct (VOG), which this request needs. Wait for another "
                "response, or ask the volunteer centre for help."), "warning")
    except services.HelperGone:  # the chosen helper withdrew or deleted their account a moment ago
        db.session.rollback()
        flash(*(gone or stale))
    else:
        db.session.commit()
        flash(*done)
    return redirect(url_for("asks.show", public_id=public_id))


# -- confirmations -------------------------------------------------------------------------------------------------
# Cancelling a request, choosing a helper (contact details are shared) and "the help is done" cannot be undone.
# The button on the request's page opens one of these pages (a GET: nothing changes), which says what will happen
# and carries the button that does it (the POST below). Without JavaScript too.

def _confirm_page(help_request: HelpRequest, kind: str, action: str, **context: object) -> str:
    return render_template("asks/confirm.html", help_request=help_request, kind=kind, action=action,
                           action_form=ActionForm(), **context)


@bp.get("/<public_id>/annuleren")
@login_required
def confirm_cancel(public_id: str) -> str | WerkzeugResponse:
    help_request = _load_visible(public_id)
    if not services.speaks_for(current_user, help_request):
        abort(403)
    if not help_request.is_open:
        return redirect(url_for("asks.show", public_id=public_id))
    waiting = [r for r in help_request.responses if r.status == "pending" and r.volunteer is not None]
    return _confirm_page(help_request, "cancel", url_for("asks.cancel", public_id=public_id), waiting=len(waiting))


@bp.get("/<public_id>/kiezen/<response_id>")
@login_required
def confirm_accept(public_id: str, response_id: str) -> str | WerkzeugResponse:
    help_request = _load_visible(public_id)
    if not services.speaks_for(current_user, help_request):
        abort(403)
    response = next((r for r in help_request.responses if r.public_id == response_id), None)
    if response is None or response.volunteer is None:
        abort(404)
    if not help_request.is_open or response.status != "pending":
        return redirect(url_for("asks.show", public_id=public_id))
    others = [r for r in help_request.responses
              if r.status == "pending" and r.volunteer is not None and r.public_id != response_id]
    return _confirm_page(help_request, "accept",
                         url_for("asks.accept", public_id=public_id, response_id=response_id),
                         helper=response.volunteer.first_name, others=len(others))


@bp.get("/<public_id>/klaar")
@login_required
def confirm_done(public_id: str) -> str | WerkzeugResponse:
    help_request = _load_visible(public_id)
    if not services.is_party(current_user, help_request):
        abort(403)
    if help_request.status != "matched":
        return redirect(url_for("asks.show", public_id=public_id))
    return _confirm_page(help_request, "done", url_for("asks.done", public_id=public_id),
                         grace_days=int(current_app.config["CONTACT_GRACE_DAYS"]))


@bp.post("/<public_id>/annuleren")
@login_required
def cancel(public_id: str) -> WerkzeugResponse:
    return _act(public_id, lambda r: services.cancel_request(current_user, r),
                done=(_("Your request is cancelled."), "info"),
                stale=(_("This request is no longer open."), "warning"))


@bp.post("/<public_id>/reageren")
@login_required
def respond(public_id: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
    help_request = services.get_by_public_id(public_id)
    if help_request is not None and visibility.matched_meanwhile(current_user, help_request):
        # Matched while this volunteer was writing: say so kindly instead of "page not found".
        flash(_("Someone else is already helping with this request. Thank you for wanting to help!"), "info")
        return redirect(url_for("asks.index"))
    if help_request is not None and visibility.needs_screening_meanwhile(current_user, help_request):
        return _needs_screening_now()
    help_request = _load_visible(public_id)
    form = ResponseForm()
    if not form.validate_on_submit():
        return _render_show(help_request, response_form=form, status=400)
    if not confirmation.has_confirmed_address(current_user):  # the message stays in the form, and in this browser
        drafts.keep(url_for("asks.show", public_id=public_id), {"message": form.message.data or ""})
        flash(str(confirmation.NOT_YET), "warning")
        return _render_show(help_request, response_form=form, status=403)
    refusal = ratelimit.hit("respond", ("user", current_user.public_id))
    if refusal:  # the page again, with the message as typed and when to try again
        page, status = _render_show(help_request, response_form=form, status=429, too_many=refusal)
        return page, status, {"Retry-After": str(refusal.retry_after)}
    try:
        services.respond(current_user, help_request, form.message.data or "", text_language=locale_code())
    except services.AlreadyResponded:
        flash(_("You have already responded to this request."), "info")
    except services.NoLongerOpen:  # closed between loading and saving: its page is not theirs to see any more
        db.session.rollback()
        flash(_("Someone else is already helping with this request. Thank you for wanting to help!"), "info")
        return redirect(url_for("asks.index"))
    except services.NeedsScreening:  # it came to need a VOG while they were writing
        db.session.rollback()
        return _needs_screening_now()
    except services.NotAllowed:
        abort(403)
    else:
        db.session.commit()
        drafts.drop(url_for("asks.show", public_id=public_id))
        flash(_("Your response is sent. You will hear when the neighbour chooses."), "success")
    return redirect(url_for("asks.show", public_id=public_id))


def _needs_screening_now() -> WerkzeugResponse:
    flash(_("This request now needs a volunteer with a certificate of conduct (VOG). Thank you for wanting to help! "
            "Other requests are waiting for you."), "info")
    return redirect(url_for("asks.index"))


@bp.post("/<public_id>/kiezen/<response_id>")
@login_required
def accept(public_id: str, response_id: str) -> WerkzeugResponse:
    return _act(public_id, lambda r: services.accept_response(current_user, r, response_id),
                done=(_("You have chosen a helper. You can now see each other's contact details."), "success"),
                stale=(_("This request already has a helper."), "warning"),
                gone=(_("This helper is no longer available. Please choose someone else, or wait for new "
                        "responses."), "warning"))


@bp.post("/<public_id>/ja")
@login_required
def agree(public_id: str) -> WerkzeugResponse:
    if not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")
        return redirect(url_for("asks.show", public_id=public_id))
    return _act(public_id, lambda r: services.agree_to_ask(current_user, r, text_language=locale_code()),
                done=(_("Thank you! You can now see each other's contact details."), "success"),
                stale=(_("This request is no longer open."), "warning"))


@bp.post("/<public_id>/nee")
@login_required
def decline(public_id: str) -> WerkzeugResponse:
    """The volunteer asked through their offer cannot help this time."""
    return _act(public_id, lambda r: services.decline_ask(current_user, r),
                done=(_("You said no this time. We let the neighbour know, so they can ask someone else."), "info"),
                stale=(_("This request is no longer open."), "warning"))


@bp.post("/<public_id>/klaar")
@login_required
def done(public_id: str) -> WerkzeugResponse:
    return _act(public_id, lambda r: services.mark_done(current_user, r),
                done=(_("Marked as done. Would you like to say thanks?"), "success"),
                stale=(_("This help was already marked as done."), "info"))


@bp.post("/<public_id>/bedanken")
@login_required
def thanks(public_id: str) -> tuple[str, int] | WerkzeugResponse:
    help_request = _load_visible(public_id)
    form = ThanksForm()
    if not form.validate_on_submit():
        return _render_show(help_request, thanks_form=form, status=400)
    try:
        services.say_thanks(current_user, help_request, form.message.data or "",
                            float(form.hours.data) if form.hours.data is not None else None)
    except services.NotAllowed:
        abort(403)
    except services.AlreadyThanked:  # a second click: nothing changes, nobody gets a second message
        db.session.rollback()
        flash(_("You already said thanks. Thank you!"), "info")
        return redirect(url_for("asks.show", public_id=public_id))
    db.session.commit()
    flash(_("Thank you for letting us know!"), "success")
    return redirect(url_for("asks.show", public_id=public_id))


@bp.get("/soort-voorstel")
def suggest_category() -> tuple[Response, int] | Response:
    """The kind of help the words typed point to, for the request form's script (asks_form.js) while the person
    types. Counted per person, and per client IP for someone not logged in (the ask-and-sign-up page,
    asks/first_views.py): a script that types in a loop is stopped. Nothing is stored."""
    who = ("user", current_user.public_id) if current_user.is_authenticated else ("ip", ratelimit.client_ip())
    refusal = ratelimit.hit("suggest_category", who)
    if refusal:
        return jsonify(category=None, label=None), 429
    text = (request.args.get("text") or "")[:categories.MAX_TEXT]
    language = request.args.get("lang") or locale_code()
    found = categories.suggest(text, language)
    response = jsonify(category=found.key if found else None, label=localized_name(found) if found else None)
    response.headers["Cache-Control"] = "no-store"
    return response


from webapp.asks import first_views  # noqa: E402, F401  (its routes, on this blueprint)
