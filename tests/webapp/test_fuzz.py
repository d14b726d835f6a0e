"""Fuzzing every form and every query parameter with hypothesis: unicode, 100 KB strings, control characters
(NUL too), HTML and script. The app never answers 500, never echoes or stores markup unescaped, and never shows a
user's link without rel="nofollow ugc noopener".

FORMS lists every form view (a test fails when a POST view uses a form that is not listed); QUERIES lists every
query parameter the app reads (a test fails when webapp/ reads one that is not listed).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EVIL_TARGETS, stays_on_site
from tests.factories import PASSWORD
from tests.webapp.route_matrix import MATRIX
from tests.webapp.route_world import HALF_WAY, World, build_world, half_way_login
from webapp.accounts import forms as account_forms
from webapp.asks import forms as ask_forms
from webapp.budgets import forms as budget_forms
from webapp.core.forms import DecisionForm
from webapp.initiatives import forms as initiative_forms
from webapp.notifications import forms as notification_forms
from webapp.notifications import kinds
from webapp.offers import forms as offer_forms
from webapp.privacy import forms as privacy_forms
from webapp.reports import forms as report_forms
from webapp.staff import casework_forms, rescue_forms
from webapp.staff import forms as staff_forms

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
SOON = (date.today() + timedelta(days=9)).isoformat()

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '" autofocus onfocus="alert(1)',
    "javascript:alert(1)",
    "https://evil.example/x?a=<b>",
    "' OR '1'='1' -- ",
    "{{ 7*7 }} {% raw %}",
    "%(name)s %s %d %",
    "\u202egnp.exe",
    "😀 Ωmega ‏עברית‏ العربية",
    "NL91 ABNA\n0417 1643 00",  # the text checks look for IBANs, phone numbers and e-mail addresses
    "NL91 ABNA 0417 1643 0\u212a",  # a Kelvin sign, which matches [A-Z] when case is ignored
    "06-12345678 jan@example.org",
)
# What an unescaped payload would leave in a page; escaped text never contains these.
MARKERS = ("<script>alert", "<img src=x onerror", "<svg onload", "<iframe src=javascript", '" autofocus onfocus=',
           'href="javascript:', "href='javascript:")
HUGE = 100_000

text_values = st.one_of(
    st.text(max_size=40),  # any unicode, control characters and NUL included
    st.sampled_from(PAYLOADS),
    st.builds(lambda before, payload, after: before + payload + after,
              st.text(max_size=8), st.sampled_from(PAYLOADS), st.text(max_size=8)),
    st.sampled_from(PAYLOADS).map(lambda p: (p * (HUGE // len(p) + 1))[:HUGE]),
    st.text(alphabet=st.characters(codec="ascii", categories=["Cc"]), min_size=1, max_size=20),
)

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
QUERY_FUZZ = settings(FUZZ, max_examples=15)  # fourteen pages; the impact dashboard is slow to build


@dataclass(frozen=True)
class FormTarget:
    endpoint: str
    role: str  # who posts it (a role of the shared world); "anonymous" gets a fresh client each time; "half-way"
    # is a staff member whose password was right, at this second login step (route_world.HALF_WAY says who)
    form: Any  # the form class, for its field names
    base: dict[str, Any] = field(default_factory=dict)  # valid data, so a fuzzed field can get through and be saved
    prefix: str = ""
    args: dict[str, str] | None = None  # route parameters, when not those of the route matrix

    def fields(self, app: Flask) -> list[str]:
        with app.test_request_context("/"):
            form = self.form(formdata=None, meta={"csrf": False})
            return sorted(f"{self.prefix}{f.name}" for f in form if f.name != "csrf_token")


def preferences(**kwargs: Any) -> Any:
    return notification_forms.preferences_form(dict(kinds.DEFAULTS), **kwargs)


REQUEST = {"title": "Hulp bij boodschappen", "description": "Ik zoek iemand voor de boodschappen op vrijdag.",
           "category": "groceries", "postcode": "2034 AB", "wijk": "WK039218", "languages": ["nl"],
           "frequency": "once"}
PLAN = {"title": "Bankjes bij de speeltuin", "summary": "Drie bankjes en wat schaduw, voor ouders en ouderen.",
        "cost": "2500", "wijk": "", "initiative": ""}
ROUND = {"stadsdeel": "4", "cycle": "f1", "title": "Wijkbudget Schalkwijk", "amount": "25000",
         "new_share_percent": "10", "min_choices": "1", "proposals_from": date.today().isoformat(),
         "proposals_until": SOON,
         "voting_from": (date.today() + timedelta(days=20)).isoformat(),
         "voting_until": (date.today() + timedelta(days=30)).isoformat()}
FORMS = (
    FormTarget("accounts.register", "anonymous", account_forms.RegistrationForm, {
        "first_name": "Fatima", "last_name": "El Amrani", "email": "fuzz@example.org", "phone": "06-55501234",
        "postcode": "2012 AB", "roles": ["resident", "volunteer"], "password": "een lange zin als wachtwoord",
        "password_again": "een lange zin als wachtwoord"}),
    FormTarget("accounts.login", "anonymous", account_forms.LoginForm, {"email": "x@example.org", "password": "x"}),
    FormTarget("accounts.account", "resident", account_forms.AccountForm, {
        "first_name": "Ans", "last_name": "Jansen", "phone": "06-12345678", "postcode": "2034 AB",
        "wijk": "WK039218", "roles": ["resident"]}),
    FormTarget("accounts.forgot_password", "anonymous", account_forms.ForgotPasswordForm,
               {"email": "fuzz@example.org"}),
    # The newcomer's link; once a fuzzed pair of passwords is good enough it is used up, and the bad-link page
    # answers the rest.
    FormTarget("accounts.reset_password", "anonymous", account_forms.ResetPasswordForm, {
        "password": "een lange zin als wachtwoord", "password_again": "een lange zin als wachtwoord"}),
    FormTarget("accounts.change_password", "resident", account_forms.ChangePasswordForm, {
        "current_password": PASSWORD, "password": "een lange zin als wachtwoord",
        "password_again": "een lange zin als wachtwoord"}),
    FormTarget("accounts.two_factor_step", "half-way", account_forms.CodeForm),
    FormTarget("accounts.two_factor_setup", "half-way", account_forms.CodeForm),
    FormTarget("accounts.volunteer_profile", "volunteer", account_forms.VolunteerProfileForm, {
        "skills": "koken, computer", "languages": ["nl"], "max_distance_km": "3", "postcode": "2034 AB",
        "wijk": "WK039218", "bio": "Gepensioneerd."}),
    FormTarget("asks.new", "resident", ask_forms.RequestForm, REQUEST),
    FormTarget("asks.edit", "resident", ask_forms.RequestForm, REQUEST),
    FormTarget("asks.respond", "other", ask_forms.ResponseForm, {"message": "Ik kan woensdag helpen."}),
    FormTarget("asks.thanks", "resident", ask_forms.ThanksForm, {"message": "Dank je wel!", "hours": "2"}),
    FormTarget("offers.new", "volunteer", offer_forms.OfferForm, {
        "title": "Hulp met de computer", "description": "Ik help op zaterdag met de computer en de tablet.",
        "category": "groceries", "postcode": "2034 AB", "wijk": "WK039218", "slots": ["sat-morning"],
        "languages": ["nl"]}),
    FormTarget("offers.ask", "resident", offer_forms.AskForm, {"message": "Kun je mij helpen met de tablet?"}),
    FormTarget("initiatives.new", "organiser", initiative_forms.InitiativeForm, {
        "name": "Repair Café Oost", "description": "Elke maand repareren we samen spullen in het buurthuis.",
        "status": "active", "wijken": ["WK039218"], "goals": ["1", "2"]}),
    FormTarget("initiatives.edit", "organiser", initiative_forms.InitiativeForm, {
        "name": "Repair Café Oost", "description": "Elke maand repareren we samen spullen in het buurthuis.",
        "status": "active", "wijken": ["WK039218"], "goals": ["1", "2"]}),
    FormTarget("initiatives.needs.new_need", "organiser", initiative_forms.NeedForm, {
        "kind": "volunteers", "title": "Tuinieren op zaterdag", "skills": "tuinieren", "how_many": "2",
        "frequency": "once"}),
    FormTarget("initiatives.needs.edit_need", "organiser", initiative_forms.NeedForm, {
        "kind": "volunteers", "title": "Tuinieren op zaterdag", "skills": "tuinieren", "how_many": "2",
        "frequency": "once"}),
    FormTarget("initiatives.needs.need_progress", "organiser", initiative_forms.ProgressForm, {"status": "open"}),
    FormTarget("initiatives.activities.new_activity", "organiser", initiative_forms.ActivityForm, {
        "title": "Zaaidag", "wijk": "WK039218", "place": "Buurthuis De Ring", "day": SOON, "start": "10:00",
        "end": "12:00", "capacity": "5"}),
    FormTarget("initiatives.activities.edit_activity", "organiser", initiative_forms.ActivityForm, {
        "title": "Zaaidag", "wijk": "WK039218", "place": "Buurthuis De Ring", "day": SOON, "start": "10:00",
        "end": "12:00", "capacity": "5"}),
    FormTarget("initiatives.needs.sign_up", "other", initiative_forms.SignupForm, {"message": "Ik doe mee."}),
    FormTarget("initiatives.organisers.manage", "organiser", initiative_forms.InviteOrganiserForm,
               {"email": "mede-organisator@example.org"}),
    FormTarget("initiatives.needs.decide", "organiser", DecisionForm, {"seen": "pending"}),
    FormTarget("initiatives.activities.log_hours", "volunteer", initiative_forms.HoursForm, {"hours": "2"}),
    # The front door's organiser and volunteer forms (issue #18).
    FormTarget("initiatives.needs.decide", "organiser", initiative_forms.DeclineForm,
               {"reason": "enough", "words": "Dank je wel!"}),
    FormTarget("initiatives.needs.log_hours", "volunteer", initiative_forms.NeedHoursForm,
               {"worked_on": date.today().isoformat(), "hours": "2"}),
    FormTarget("initiatives.activities.new_shift", "organiser", initiative_forms.ShiftForm,
               {"title": "Opbouwen", "start": "10:00", "end": "12:00", "capacity": "2"}),
    FormTarget("initiatives.activities.message", "organiser", initiative_forms.MessageForm,
               {"body": "Tot morgen, we beginnen om tien uur."}),
    FormTarget("initiatives.support.post_news", "organiser", initiative_forms.NewsForm,
               {"body": "De eerste tomaten zijn rijp in de tuin."}),
    FormTarget("initiatives.correct_goals", "staff", initiative_forms.GoalsForm, {"goals": ["1"]}),
    FormTarget("initiatives.support.support", "staff", initiative_forms.SupportForm, {
        "kind": "advice", "hours": "2", "description": "Advies over de aanvraag.", "given_on": "2026-01-10"}),
    FormTarget("notifications.preferences", "resident", preferences),
    FormTarget("staff.report", "volunteer", staff_forms.ReportForm, {"reason": "spam", "details": "Reclame."}),
    FormTarget("staff.reject", "staff", staff_forms.RejectForm, {"reason": "spam", "note": "Dit is reclame."}),
    FormTarget("staff.approve", "staff", DecisionForm),
    FormTarget("staff.correct", "staff", staff_forms.CorrectForm,
               {"title": "Hulp met de computer", "description": "Mijn laptop doet raar, wie helpt?"}),
    FormTarget("staff.take_over_intake", "staff", DecisionForm),
    FormTarget("staff.record_screening", "staff", staff_forms.ScreeningForm, {"checked_on": "2026-01-10"}),
    FormTarget("staff.block", "admin", staff_forms.BlockForm, {"reason": "Oplichting"}, args={"public_id": "other"}),
    FormTarget("staff.new_intake", "staff", staff_forms.IntakeForm, {
        **REQUEST, "resident": "", "resident_first_name": "Truus", "resident_last_name": "Visserman",
        "resident_phone": "023-5551234", "consent_how": "phone", "consent_given_by": "resident",
        "consent_on": date.today().isoformat(), "staff_note": "Belt liever."}),
    FormTarget("staff.handover", "staff", staff_forms.HandoverForm, {
        "partner": "Sociaal Wijkteam", "handed_over_on": date.today().isoformat(), "outcome": "pending",
        "staff_note": "Warme overdracht.", "basis": "consent", "consent_on": date.today().isoformat(),
        "notice": "auto"}),
    FormTarget("staff.update_handover", "staff", staff_forms.HandoverOutcomeForm, prefix="h{handover}-"),
    FormTarget("staff.correct_hours", "staff", staff_forms.HoursCorrectionForm, {"hours": "2,5"}),
    # A wrong password (the fuzzer never types the right one), so the volunteer of the shared world stays.
    FormTarget("privacy.delete_account", "volunteer", privacy_forms.DeleteAccountForm,
               {"password": "niet mijn wachtwoord", "confirm": "y"}),
    # The walk-in's account; the first ticked box deletes it, and the refusal (403) answers the rest.
    FormTarget("privacy.staff_delete", "staff", privacy_forms.StaffDeleteForm),
    # District budgets: a plan (new and changed), the ballot, what the money did; for staff a round, a rejection and
    # a vote entered for a resident.
    FormTarget("budgets.new_proposal", "other", budget_forms.ProposalForm, PLAN),
    FormTarget("budgets.edit_proposal", "resident", budget_forms.ProposalForm, PLAN),
    FormTarget("budgets.vote", "volunteer", budget_forms.BallotForm, {"action": "check"}),
    FormTarget("budgets.outcome", "organiser", budget_forms.OutcomeForm,
               {"outcome": "De tafel staat er. Elke zondag eten buren er samen."}),
    FormTarget("budgets.manage.new_round", "staff", budget_forms.RoundForm, ROUND),
    FormTarget("budgets.manage.edit_round", "staff", budget_forms.RoundForm, {**ROUND, "cycle": "w1"}),
    FormTarget("budgets.manage.reject", "staff", budget_forms.RejectForm,
               {"reason": "De grond is van de provincie, daar mogen geen bankjes staan."}),
    FormTarget("budgets.manage.intake", "staff", budget_forms.IntakeBallotForm, {
        "resident": "", "first_name": "Truus", "last_name": "Visserman", "postcode": "2036 AB",
        "consent_how": "phone", "consent_given_by": "resident", "consent_on": date.today().isoformat()}),
    # The impact dashboard's "compute the figures again" button posts the dashboard's choices back.
    FormTarget("reports.refresh", "staff", report_forms.DashboardForm, {"period": "2026-Q1", "by": "wijk"}),
)
# POST views that read form fields without a form class (besides the CSRF token), with the fields they read.
RAW_FORM_FIELDS = {"notifications.resubscribe": ("channel",), "accounts.resend_verification": ("next",),
                   "initiatives.organisers.answer_link": ("answer",),
                   # Back to where the button was (my applications, the applicants page): safe_next keeps it here.
                   "initiatives.needs.withdraw": ("next",), "initiatives.needs.log_hours": ("next",),
                   "initiatives.activities.leave_activity": ("next",)}

# Query parameters: endpoint -> (role, parameters). Every request.args name webapp/ reads must be here.
DASHBOARD = ("kind", "period", "baseline", "by", "measure")
QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "asks.index": ("volunteer", ("wijk", "when", "category", "stadsdeel", "page")),
    "asks.show": ("volunteer", ("via",)),
    "offers.index": ("anonymous", ("page", "category")),
    "initiatives.index": ("resident", ("wijk", "q", "goal", "kind", "type", "ended", "page")),
    "initiatives.needs_board": ("anonymous", ("wijk", "q", "goal", "kind", "type", "ended", "page")),
    "initiatives.vacancies": ("anonymous", ("wijk", "q", "goal", "page")),
    "staff.screening": ("staff", ("q", "status", "page")),
    "staff.my_intakes": ("staff", ("team",)),
    "staff.expired": ("staff", ("page",)),
    "staff.new_intake": ("staff", ("bewoner",)),
    "budgets.manage.intake": ("staff", ("bewoner",)),
    "staff.unanswered": ("staff", ("page",)),
    "staff.moderation_queue": ("staff", ("page",)),
    "pages.ready": ("anonymous", ("only",)),
    "staff.audit_log": ("admin", ("action", "actor", "person", "from", "to", "page")),
    "staff.audit_log_export": ("admin", ("action", "actor", "person", "from", "to")),
    "reports.dashboard": ("staff", DASHBOARD),
    "reports.export": ("staff", DASHBOARD),
    "accounts.login": ("anonymous", ("next",)),
    "accounts.register": ("anonymous", ("rol", "next")),
    "accounts.recovery_codes": ("staff", ("next",)),
    "pages.switch_language": ("anonymous", ("next",)),
    "volunteering.index": ("volunteer", ("kind", "dagdeel", "km", "ritme", "past", "wijk", "page")),
    "volunteering.applications": ("volunteer", ("status", "page")),
    "initiatives.needs.applicants_page": ("organiser", ("status", "page")),
    "initiatives.organisations": ("anonymous", ("wijk", "q", "goal", "page")),
    "asks.suggest_category": ("resident", ("text", "lang")),
    "reports.year_export": ("staff", ("year",)),
}
# Read by POST views (fuzzed by their own tests below): staff.invite's way back to "invite more".
POSTED_QUERIES = {"staff.invite": ("from", "more")}
# Ask for help and sign up on one page (webapp/asks/first_views.py).
FORMS = (*FORMS,
         FormTarget("asks.first", "anonymous", ask_forms.FirstRequestForm, {
             **REQUEST, "when": "any", "first_name": "Fatima", "email": "fuzz-first@example.org",
             "password": "een lange zin als wachtwoord"}))
# The intake page, the letter and a hand-over's pick-up (webapp/staff/casework_views.py).
FORMS = (*FORMS,
         FormTarget("staff.log_contact", "staff", casework_forms.ContactForm, {"kind": "called", "note": "Gebeld."}),
         FormTarget("staff.withdraw_consent", "staff", casework_forms.WithdrawForm),
         FormTarget("staff.record_pickup", "staff", casework_forms.PickupForm, prefix="p{handover}-"))
# The rescue queue, the expired list and "applied for a VOG" (webapp/staff/rescue_views.py).
FORMS = (*FORMS,
         FormTarget("staff.rescue_extend", "staff", DecisionForm, {"seen": date.today().isoformat()}),
         FormTarget("staff.rescue_note", "staff", rescue_forms.NoteForm, {"text": "Gebeld, geen gehoor."},
                    prefix="n-{request}-"),
         FormTarget("staff.rescue_snooze", "staff", rescue_forms.SnoozeForm,
                    {"until": (date.today() + timedelta(days=3)).isoformat()}, prefix="s-{request}-"),
         FormTarget("staff.expired_outcome", "staff", rescue_forms.OutcomeForm, {"outcome": "no_answer"},
                    prefix="o-{request}-"),
         FormTarget("staff.vog_applied", "staff", rescue_forms.VogAppliedForm,
                    {"requested_on": date.today().isoformat()}))
QUERIES["reports.year_export"] = ("staff", ("year",))
RAW_FORM_FIELDS["staff.letter_pdf"] = ("taal",)
QUERIES["staff.letter"] = ("staff", ("taal",))
# Pages that show what people typed, checked after each form's fuzzing, as (role, endpoint).
SHOWN = (("resident", "asks.show"), ("volunteer", "asks.show"), ("staff", "asks.show"), ("anonymous", "asks.index"),
         ("volunteer", "asks.index"), ("resident", "pages.dashboard"), ("volunteer", "pages.dashboard"),
         ("resident", "offers.show"), ("anonymous", "offers.index"), ("anonymous", "initiatives.show"),
         ("organiser", "initiatives.show"), ("anonymous", "initiatives.index"),
         ("anonymous", "initiatives.needs_board"),
         ("volunteer", "suggestions.for_me"), ("resident", "notifications.index"),
         ("volunteer", "notifications.index"), ("organiser", "notifications.index"), ("staff", "staff.index"),
         ("staff", "staff.moderation_queue"), ("staff", "staff.person"), ("staff", "staff.screening"),
         ("staff", "staff.handovers"), ("staff", "staff.my_intakes"), ("staff", "staff.unanswered"),
         ("admin", "staff.audit_log"), ("staff", "initiatives.support.support"), ("resident", "accounts.account"),
         ("volunteer", "accounts.volunteer_profile"), ("resident", "privacy.my_data"), ("resident", "privacy.download"),
         ("volunteer", "privacy.download"), ("staff", "privacy.staff_delete"), ("anonymous", "budgets.index"),
         ("anonymous", "budgets.show"), ("resident", "budgets.proposal"), ("anonymous", "budgets.results"),
         ("staff", "budgets.manage.index"), ("staff", "budgets.manage.show"))


class Clients:
    """Logged-in clients of the shared world, made once per test."""

    def __init__(self, app: Flask, world: World, login: Any) -> None:
        self.app, self.world, self.login = app, world, login
        self.made: dict[str, FlaskClient] = {}

    def __call__(self, role: str, endpoint: str = "") -> FlaskClient:
        if role == "anonymous":
            return self.app.test_client()
        if role == "half-way":
            role = f"half-way {endpoint}"
            if role not in self.made:
                assert endpoint in HALF_WAY, endpoint
                self.made[role] = half_way_login(self.app, self.world, endpoint)
            return self.made[role]
        if role not in self.made:
            self.made[role] = self.login(self.world.emails[role])
        return self.made[role]


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.fixture
def clients(app, world, login):
    return Clients(app, world, login)


def url_of(app: Flask, world: World, endpoint: str) -> str:
    method = "POST" if (endpoint, "POST") in MATRIX else "GET"
    return world.url(app, endpoint, MATRIX[(endpoint, method)].args)


EXTERNAL_LINK_RE = re.compile(r"<a\b[^>]*\bhref=[\"']?\s*(?:https?:)?//[^>]*>", re.IGNORECASE)


def assert_safe_page(response: Any, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if "html" not in (response.content_type or ""):
        return
    page = response.get_data(as_text=True)
    for marker in MARKERS:
        assert marker not in page, f"{where}: unescaped {marker!r}"
    for link in EXTERNAL_LINK_RE.findall(page):
        rel = re.search(r'\brel="([^"]*)"', link)
        assert rel and {"nofollow", "ugc", "noopener"} <= set(rel.group(1).split()), f"{where}: {link}"


def check_shown_pages(app: Flask, world: World, clients: Clients) -> None:
    for role, endpoint in SHOWN:
        url = url_of(app, world, endpoint)
        response = clients(role).get(url)
        assert_safe_page(response, f"{endpoint} as {role} ({url})")
        response.close()


@pytest.mark.slow
def test_fuzzed_forms_never_fail_and_never_store_markup(app, world, clients):
    """All forms on one world, so that what one form stored is on the pages checked at the end."""
    for target in FORMS:
        fuzz_form(app, world, clients, target)
    check_shown_pages(app, world, clients)


def fuzz_form(app: Flask, world: World, clients: Clients, target: FormTarget) -> None:
    names = [name.format(**world.values) for name in target.fields(app)]
    args = target.args or MATRIX[(target.endpoint, "POST")].args
    url = world.url(app, target.endpoint, args)
    prefix = target.prefix.format(**world.values)
    base = {f"{prefix}{k}": v for k, v in target.base.items()}

    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), text_values, min_size=1, max_size=3))
    def post(fuzzed: dict[str, str]) -> None:
        client = clients(target.role, target.endpoint)
        response = client.post(url, data={**base, **fuzzed})
        assert_safe_page(response, f"POST {target.endpoint} {sorted(fuzzed)}")
        if response.status_code in (302, 303):
            location = response.headers["Location"]
            followed = client.get(location)
            assert_safe_page(followed, f"GET {location} after POST {target.endpoint}")
            followed.close()
        response.close()

    post()


def test_fuzzed_query_parameters_never_fail_and_are_never_echoed_raw(app, world, clients):
    for endpoint, (role, params) in QUERIES.items():
        fuzz_query(app, world, clients(role), endpoint, params)


def fuzz_query(app: Flask, world: World, client: FlaskClient, endpoint: str, params: tuple[str, ...]) -> None:
    url = url_of(app, world, endpoint)

    @QUERY_FUZZ
    @given(st.dictionaries(st.sampled_from(params), text_values, min_size=1, max_size=3))
    def get(query: dict[str, str]) -> None:
        response = client.get(url, query_string=query)
        assert_safe_page(response, f"GET {endpoint} {sorted(query)}")
        response.close()

    get()


def test_the_invite_buttons_way_back_is_fuzzed_too(app, world, clients):
    """Inviting from "invite more" returns to the page of volunteers it came from (`?from=more&more=<page>`)."""
    url = url_of(app, world, "staff.invite")

    @FUZZ
    @given(text_values)
    def post(more: str) -> None:
        response = clients("staff").post(url, query_string={"from": "more", "more": more})
        assert_safe_page(response, "POST staff.invite")
        response.close()

    post()
    for more in ("²", "٣", "0", "-2", "9" * 40):  # "²".isdigit() is True, int("²") fails
        response = clients("staff").post(url, query_string={"from": "more", "more": more})
        assert_safe_page(response, f"POST staff.invite more={more!r}")
        assert response.status_code == 302, (more, response.status_code)


def test_resubscribe_channel_is_fuzzed_too(app, world, clients):
    url = url_of(app, world, "notifications.resubscribe")

    @FUZZ
    @given(text_values)
    def post(channel: str) -> None:
        response = clients("anonymous").post(url, data={"channel": channel})
        assert_safe_page(response, "POST notifications.resubscribe")
        assert response.status_code in (200, 400)

    post()


def test_the_answer_to_an_invitation_is_fuzzed_too(app, world, clients):
    """The invitee's yes or no to organising (the link in the e-mail)."""
    url = url_of(app, world, "initiatives.organisers.answer_link")

    @FUZZ
    @given(text_values)
    def post(answer: str) -> None:
        response = clients("other").post(url, data={"answer": answer})
        assert_safe_page(response, "POST initiatives.organisers.answer_link")
        assert response.status_code in (302, 400), response.status_code
        response.close()

    post()


def test_resend_verification_next_is_fuzzed_too(app, world, clients):
    """The confirmation e-mail's "send again" button goes back to the page it was on, never off the site."""
    url = url_of(app, world, "accounts.resend_verification")

    @FUZZ
    @given(st.one_of(text_values, st.sampled_from(EVIL_TARGETS)))
    def post(back: str) -> None:
        response = clients("resident").post(url, data={"next": back})
        assert_safe_page(response, "POST accounts.resend_verification")
        assert response.status_code in (302, 400), response.status_code  # 400: a NUL in the form
        if response.status_code == 302:
            assert stays_on_site(response.headers["Location"]), (back, response.headers["Location"])
        response.close()

    post()


FORM_CALL_RE = re.compile(r"\b([A-Z]\w*Form)\(|\b(preferences_form)\(")


def test_every_form_view_is_fuzzed(app):
    """Each POST view that builds a form (other than the token-only ActionForm) has a FORMS line."""
    fuzzed = {t.endpoint for t in FORMS} | set(RAW_FORM_FIELDS)
    missing = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()):
            continue
        source = inspect.getsource(app.view_functions[rule.endpoint])
        forms = {a or b for a, b in FORM_CALL_RE.findall(source)} - {"ActionForm"}
        if forms and rule.endpoint not in fuzzed:
            missing.append(f"{rule.endpoint} ({', '.join(sorted(forms))})")
        if "request.form" in source and rule.endpoint not in RAW_FORM_FIELDS:
            missing.append(f"{rule.endpoint} (request.form)")
    assert not missing, "form views missing from FORMS in tests/webapp/test_fuzz.py: " + ", ".join(missing)


ARGS_RE = re.compile(r"""(?:request\.args\.get|_int_arg)\(\s*["'](\w+)["']""")


def test_every_query_parameter_is_fuzzed():
    read = {name for path in WEBAPP.rglob("*.py") for name in ARGS_RE.findall(path.read_text())}
    fuzzed = {name for _role, params in QUERIES.values() for name in params} | {
        name for params in POSTED_QUERIES.values() for name in params}
    assert read <= fuzzed, f"query parameters nobody fuzzes: {sorted(read - fuzzed)}"


def test_every_dashboard_field_is_fuzzed(app):
    """The impact dashboard and its export read a whole form from the query string."""
    with app.test_request_context("/"):
        names = {f.name for f in report_forms.DashboardForm(formdata=None, meta={"csrf": False})}
    assert names - {"csrf_token"} == set(DASHBOARD)


def test_an_iban_over_two_lines_does_not_break_posting_a_request(make, login):
    """Found by the browser journeys while this suite ran: the IBAN check crashed on a line break (500)."""
    resident = make.user("resident")
    client = login(resident.email)
    for text in ("Mijn rekening is NL91 ABNA\n0417 1643 00", "NL91 ABNA 0417 1643 0\u212a"):
        response = client.post("/vragen/nieuw", data={**REQUEST, "description": f"{text}, graag hulp met de post."})
        assert response.status_code in (200, 302), response.status_code
