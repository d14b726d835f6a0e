"""Ask for help and make an account on one page: the way in for a first-time resident who presses "ask for help"
while logged out (home → this page → "check your e-mail" → the published request: four pages).

Posting it signs the person up through webapp.accounts.signup, which answers a new address and a known one alike
(the same page, status, cookies, about the time):

* a new address gets an account (not confirmed) and the request, kept "waiting"; the e-mail's link confirms the
  address, which puts the request online (webapp/hooks.py), logs in (in this browser only) and opens the request;
* a known address gets nothing stored: its owner gets the "you already have an account" note, saying that what was
  typed is kept on the device where it was typed. The request is kept there only, as a draft of the request form
  (asks/first_request.py), for a new address too (so the cookies tell nothing): whoever logs in to that account in
  this browser finds it filled in on the request form and posts it, or not. Nothing goes online in anybody's name
  unless they post it themselves or confirm their own address.

Both limits count: posting a request (per client IP here: there is no person yet) and signing up (per client IP,
in signup.sign_up). Every request made here needs a new account, so a bot makes no more requests than accounts.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from webapp.accounts import signup
from webapp.accounts.models import User
from webapp.asks import first_request, services
from webapp.asks.forms import FirstRequestForm
from webapp.asks.views import bp, request_data
from webapp.core.access import Role
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.core.reference.labels import locale_code

TEMPLATE = "asks/first.html"
NO_STORE = {"Cache-Control": "no-store"}  # a page shown again may hold the password typed


@bp.route("/hulp-vragen", methods=["GET", "POST"])
def first() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("asks.new"))
    form = FirstRequestForm()
    if request.method == "GET":
        form.languages.data = [locale_code()]
        form.text_language.data = locale_code()
    if form.validate_on_submit():
        data = request_data(form)  # the kind of help chosen from the words: the same work for every address
        refusal = ratelimit.hit("post_request", ("ip", ratelimit.client_ip()))
        if refusal is None:
            first_request.keep(form)

            def post(user: User) -> str:  # a new account (its first request: nothing to count per person yet)
                help_request = services.post_request(user, data, check_duplicates=True, waiting=True)
                return url_for("asks.show", public_id=help_request.public_id)

            done = signup.sign_up(form, (Role.RESIDENT,), then=post, kept_at=first_request.draft_name())
            if not isinstance(done, ratelimit.Refusal):
                return render_template("accounts/register_sent.html", done=done, email=done.email, asked=True)
            refusal = done
        form.keep_password()
        page, status, headers = refused(TEMPLATE, refusal, form=form)
        return page, status, {**headers, **NO_STORE}
    status = 200
    if request.method == "POST":
        form.keep_password()
        status = 400
    return render_template(TEMPLATE, form=form), status, NO_STORE
