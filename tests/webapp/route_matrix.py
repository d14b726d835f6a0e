"""The route × role matrix: for every endpoint and method, the status each role gets (test_route_matrix.py).

One line per endpoint and method:  endpoint  method  parameters  then one status per role, in this order:
anonymous, resident, volunteer, organiser, staff, admin, other (see tests/webapp/route_world.py for who is who).

Parameters fill the route's placeholders with objects of the shared world: `public_id=request` takes the open
request's public id; a value in quotes is taken literally (`kind='request'`); `-` means none.
Statuses: a number, or `login` for a redirect to the login page. POSTs carry no form data (and in the test app
CSRF is off, which stands for a valid token), so a permitted form POST gives its form again (200 or 400) and a
permitted button POST does its work (302). A refused request must change nothing in the database.

World objects: request (the resident's open request; the volunteer responded: response), matched (the resident's
request with the volunteer as helper), asked (the resident asked the volunteer through the volunteer's offer),
offer, handover (a staff hand-over; a number), initiative (the organiser's, confirmed by staff) with need, signup
(the volunteer's) and activity, pending_initiative (the organiser's, not confirmed yet), invitation and
invitation_token (the organiser invited "other" to organise the initiative with them); resident/volunteer/other are people's public ids; token is the resident's unsubscribe link;
reset_token and verify_token are the newcomer's password reset and e-mail confirmation links; walk_in is a resident
without e-mail or password (taken in by staff), whose account staff may delete; task is a staff task to phone them;
budget_open (taking plans, with the resident's plan_waiting), budget_voting (plan_on_ballot) and budget_done (counted,
with plan_funded of the organiser's initiative) are district budget rounds in Schalkwijk, where everyone of the world
lives.

The world's people are all logged in fully, so the second login step (/inloggen/code, /inloggen/app-koppelen) sends
everyone back to the login page; test_fuzz.py opens those pages with a staff login that is half-way.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.webapp.route_world import ROLES

# GETs run first, then POSTs in table order, then these, in this order: they close the open request (so running
# them earlier would turn other routes' answers into "no longer open"; counting ends a round's voting) or end the
# session.
RUN_LAST = ("asks.decline", "asks.accept", "asks.cancel", "budgets.manage.count", "accounts.logout")
# Fixed words in URLs (not ids). Anything else in a URL is an opaque random id.
FIXED_WORDS = frozenset({"'request'", "'vraag'", "'bevestigen'", "'nee'", "'en'", "'csv'", "'css/samen.css'"})
# Integer ids in URLs, allowed only on staff-only routes.
STAFF_ONLY_NUMBERS = frozenset({("staff.update_handover", "handover_id")})
STAFF_ONLY_NUMBERS |= {(endpoint, "handover_id") for endpoint in (  # a hand-over's referral, pick-up and notes
    "staff.referral", "staff.referral_pdf", "staff.send_referral", "staff.record_pickup", "staff.handover_notes")}

# Minimal valid data for POSTs whose form is checked before who may do it; every other POST sends none.
FORM_DATA: dict[str, dict[str, str]] = {
    "asks.respond": {"message": "Ik kan woensdag helpen."},
    "offers.ask": {"message": "Kun je mij helpen met de tablet?"},
    "staff.report": {"reason": "spam"},
    "notifications.resubscribe": {"channel": "instant"},
}

TABLE = """
# endpoint                    method parameters                                  anon resident volunteer organiser staff admin other
accounts.account               GET  -                                            login   200   200   200   200   200   200
accounts.account               POST -                                            login   200   200   200   200   200   200
accounts.change_password       GET  -                                            login   200   200   200   200   200   200
accounts.change_password       POST -                                            login   200   200   200   200   200   200
pages.dashboard             GET  -                                            login   200   200   200   200   200   200
accounts.forgot_password       GET  -                                              200   200   200   200   200   200   200
accounts.forgot_password       POST -                                              200   200   200   200   200   200   200
accounts.login                 GET  -                                              200   302   302   302   302   302   302
accounts.login                 POST -                                              200   302   302   302   302   302   302
accounts.logout                POST -                                            login   302   302   302   302   302   302
accounts.recovery_codes        GET  -                                            login   403   403   403   200   200   403
accounts.recovery_codes        POST -                                            login   403   403   403   302   302   403
accounts.register              GET  -                                              200   302   302   302   302   302   302
accounts.register              POST -                                              200   302   302   302   302   302   302
accounts.resend_verification   POST -                                            login   302   302   302   302   302   302
accounts.reset_password        GET  token=reset_token                              200   200   200   200   200   200   200
accounts.reset_password        POST token=reset_token                              200   200   200   200   200   200   200
accounts.two_factor_setup      GET  -                                            login login login login login login login
accounts.two_factor_setup      POST -                                            login login login login login login login
accounts.two_factor_step       GET  -                                            login login login login login login login
accounts.two_factor_step       POST -                                            login login login login login login login
accounts.verify_email          GET  token=verify_token                           login   302   302   302   302   302   302
accounts.volunteer_profile     GET  -                                            login   200   200   200   200   200   200
accounts.volunteer_profile     POST -                                            login   200   200   200   200   200   200

asks.accept                    POST public_id=request,response_id=response       login   302   403   403   403   403   403
asks.agree                     POST public_id=asked                              login   403   302   404   403   403   404
asks.decline                   POST public_id=asked                              login   403   302   404   403   403   404
asks.cancel                    POST public_id=request                            login   302   403   403   403   403   403
asks.done                      POST public_id=matched                            login   302   302   404   403   403   404
asks.confirm_accept            GET  public_id=request,response_id=response       login   200   403   403   403   403   403
asks.confirm_cancel            GET  public_id=request                            login   200   403   403   403   403   403
asks.confirm_done              GET  public_id=matched                            login   200   200   404   403   403   404
asks.edit                      GET  public_id=request                            login   200   403   403   403   403   403
asks.edit                      POST public_id=request                            login   200   403   403   403   403   403
asks.index                     GET  -                                              200   200   200   200   200   200   200
asks.new                       GET  -                                            login   200   200   200   200   200   200
asks.new                       POST -                                            login   200   200   200   200   200   200
asks.respond                   POST public_id=request                            login   403   302   403   403   403   302
asks.show                      GET  public_id=request                              200   200   200   200   200   200   200
asks.thanks                    POST public_id=matched                            login   302   302   404   403   403   404

budgets.edit_proposal          GET  public_id=plan_waiting                       login   200   403   403   403   403   403
budgets.edit_proposal          POST public_id=plan_waiting                       login   400   403   403   403   403   403
budgets.index                  GET  -                                              200   200   200   200   200   200   200
budgets.manage.accept          POST public_id=plan_waiting                       login   403   403   403   302   302   403
budgets.manage.count           POST public_id=budget_voting                      login   403   403   403   302   302   403
budgets.manage.edit_round      GET  public_id=budget_open                        login   403   403   403   200   200   403
budgets.manage.edit_round      POST public_id=budget_open                        login   403   403   403   400   400   403
budgets.manage.index           GET  -                                            login   403   403   403   200   200   403
budgets.manage.intake          GET  public_id=budget_voting                      login   403   403   403   200   200   403
budgets.manage.intake          POST public_id=budget_voting                      login   403   403   403   400   400   403
budgets.manage.new_round       GET  -                                            login   403   403   403   200   200   403
budgets.manage.new_round       POST -                                            login   403   403   403   400   400   403
budgets.manage.reject          POST public_id=plan_waiting                       login   403   403   403   400   400   403
budgets.manage.show            GET  public_id=budget_voting                      login   403   403   403   200   200   403
budgets.manage.undo            POST public_id=plan_waiting                       login   403   403   403   302   302   403
budgets.new_proposal           GET  public_id=budget_open                        login   200   200   200   200   200   200
budgets.new_proposal           POST public_id=budget_open                        login   400   400   400   400   400   400
budgets.outcome                GET  public_id=plan_funded                        login   403   403   200   200   200   403
budgets.outcome                POST public_id=plan_funded                        login   403   403   400   400   400   403
budgets.proposal               GET  public_id=plan_on_ballot                       200   200   200   200   200   200   200
budgets.results                GET  public_id=budget_done                          200   200   200   200   200   200   200
budgets.show                   GET  public_id=budget_voting                        200   200   200   200   200   200   200
budgets.vote                   GET  public_id=budget_voting                      login   200   200   200   200   200   200
budgets.vote                   POST public_id=budget_voting                      login   400   400   400   400   400   400

help_pages.accessibility       GET  -                                              200   200   200   200   200   200   200
help_pages.offline             GET  -                                              200   200   200   200   200   200   200
help_pages.service_worker      GET  -                                              200   200   200   200   200   200   200

initiatives.organisers.answer_link POST token=invitation_token                   login   400   400   400   400   400   400
initiatives.organisers.answer_own POST invitation_id=invitation,answer='nee'       login   404   404   404   404   404   302
initiatives.organisers.invitation GET  token=invitation_token                       200   200   200   200   200   200   200
initiatives.organisers.leave   POST public_id=initiative                         login   403   403   302   403   403   403
initiatives.organisers.manage  GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.organisers.manage  POST public_id=initiative                         login   403   403   400   403   403   403
initiatives.organisers.withdraw POST public_id=initiative,invitation_id=invitation login   403   403   302   403   403   403
initiatives.support.back       POST public_id=initiative                         login   302   302   302   302   302   302
initiatives.support.backing_overview GET  -                                            login   403   403   403   200   200   403
initiatives.activities.calendar GET  public_id=initiative                           200   200   200   200   200   200   200
initiatives.activities.cancel_activity POST public_id=initiative,activity_id=activity    login   403   403   302   403   403   403
initiatives.correct_goals      POST public_id=initiative                         login   403   403   403   302   302   403
initiatives.needs.decide       POST public_id=initiative,need_id=need,signup_id=signup,decision='bevestigen' login   403   403   302   403   403   403
initiatives.edit               GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.edit               POST public_id=initiative                         login   403   403   200   403   403   403
initiatives.activities.edit_activity GET  public_id=initiative,activity_id=activity    login   403   403   200   403   403   403
initiatives.activities.edit_activity POST public_id=initiative,activity_id=activity    login   403   403   200   403   403   403
initiatives.needs.edit_need    GET  public_id=initiative,need_id=need            login   403   403   200   403   403   403
initiatives.needs.edit_need    POST public_id=initiative,need_id=need            login   403   403   200   403   403   403
initiatives.index              GET  -                                              200   200   200   200   200   200   200
suggestions.invite_to_need     POST public_id=initiative,need_id=need,volunteer_id=other login   403   403   302   403   403   403
initiatives.activities.join_activity POST public_id=initiative,activity_id=activity    login   302   302   302   302   302   302
initiatives.activities.leave_activity POST public_id=initiative,activity_id=activity    login   302   302   302   302   302   302
initiatives.activities.log_hours POST public_id=initiative,activity_id=activity    login   302   302   302   302   302   302
initiatives.needs.need_progress POST public_id=initiative,need_id=need            login   403   403   302   403   403   403
initiatives.needs_board        GET  -                                              200   200   200   200   200   200   200
initiatives.new                GET  -                                            login   403   403   200   403   403   200
initiatives.new                POST -                                            login   403   403   200   403   403   200
initiatives.activities.new_activity GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.activities.new_activity POST public_id=initiative                         login   403   403   200   403   403   403
initiatives.needs.new_need     GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.needs.new_need     POST public_id=initiative                         login   403   403   200   403   403   403
initiatives.show               GET  public_id=initiative                           200   200   200   200   200   200   200
initiatives.needs.sign_up      POST public_id=initiative,need_id=need            login   302   302   403   302   302   302
initiatives.support.support    GET  public_id=initiative                         login   403   403   403   200   200   403
initiatives.support.support    POST public_id=initiative                         login   403   403   403   200   200   403
initiatives.vacancies          GET  -                                              200   200   200   200   200   200   200
initiatives.needs.withdraw     POST public_id=initiative,need_id=need            login   302   302   302   302   302   302

notifications.confirm_unsubscribe GET token=token                                200   200   200   200   200   200   200
notifications.index            GET  -                                            login   200   200   200   200   200   200
notifications.mark_read        POST -                                            login   302   302   302   302   302   302
notifications.preferences      GET  -                                            login   200   200   200   200   200   200
notifications.preferences      POST -                                            login   200   200   200   200   200   200
notifications.resubscribe      POST token=token                                    200   200   200   200   200   200   200
notifications.unsubscribe      POST token=token                                    200   200   200   200   200   200   200

offers.ask                     POST public_id=offer                              login   302   403   302   302   302   302
offers.close                   POST public_id=offer                              login   403   302   403   403   403   403
offers.index                   GET  -                                              200   200   200   200   200   200   200
offers.new                     GET  -                                            login   200   200   200   200   200   200
offers.new                     POST -                                            login   200   200   200   200   200   200
offers.show                    GET  public_id=offer                                200   200   200   200   200   200   200

pages.health                   GET  -                                              200   200   200   200   200   200   200
pages.ready                    GET  -                                              200   200   200   200   200   200   200
pages.index                    GET  -                                              200   200   200   200   200   200   200
pages.switch_language          GET  code='en'                                      302   302   302   302   302   302   302

privacy.delete_account         GET  -                                            login   200   200   200   200   200   200
privacy.delete_account         POST -                                            login   400   400   400   200   200   400
privacy.download               GET  -                                            login   200   200   200   200   200   200
privacy.goodbye                GET  -                                              302   302   302   302   302   302   302
privacy.my_data                GET  -                                            login   200   200   200   200   200   200
privacy.staff_delete           GET  public_id=walk_in                            login   403   403   403   200   200   403
privacy.staff_delete           POST public_id=walk_in                            login   403   403   403   400   400   403
privacy.statement              GET  -                                              200   200   200   200   200   200   200

reports.dashboard              GET  -                                            login   403   403   403   200   200   403
reports.export                 GET  file_format='csv'                            login   403   403   403   200   200   403
reports.refresh                POST -                                            login   403   403   403   302   302   403

staff.approve                  POST kind='request',public_id=request             login   403   403   403   302   302   403
staff.correct                  POST kind='request',public_id=request             login   403   403   403   400   400   403
staff.correct_hours            POST public_id=matched                            login   403   403   403   400   400   403
staff.audit_log                GET  -                                            login   403   403   403   403   200   403
staff.audit_log_export         GET  -                                            login   403   403   403   403   200   403
staff.who_saw                  GET  public_id=resident                           login   403   403   403   403   200   403
staff.block                    POST public_id=volunteer                          login   403   403   403   400   400   403
staff.dismiss_reports          POST public_id=volunteer                          login   403   403   403   302   302   403
staff.confirm_initiative       POST public_id=pending_initiative                 login   403   403   403   302   302   403
staff.handover                 GET  public_id=request                            login   403   403   403   200   200   403
staff.handover                 POST public_id=request                            login   403   403   403   400   400   403
staff.handovers                GET  -                                            login   403   403   403   200   200   403
staff.index                    GET  -                                            login   403   403   403   200   200   403
staff.initiatives_to_confirm   GET  -                                            login   403   403   403   200   200   403
staff.invite                   POST public_id=request,volunteer_id=other         login   403   403   403   302   302   403
staff.moderation_queue         GET  -                                            login   403   403   403   200   200   403
staff.my_intakes               GET  -                                            login   403   403   403   200   200   403
staff.take_over_intake         POST public_id=intake                             login   403   403   403   302   302   403
staff.new_intake               GET  -                                            login   403   403   403   200   200   403
staff.new_intake               POST -                                            login   403   403   403   400   400   403
staff.person                   GET  public_id=volunteer                          login   403   403   403   200   200   403
staff.record_screening         POST public_id=volunteer                          login   403   403   403   400   400   403
staff.reject                   POST kind='request',public_id=request             login   403   403   403   400   400   403
staff.report                   GET  kind='vraag',public_id=request               login   200   200   200   200   200   200
staff.report                   POST kind='vraag',public_id=request               login   302   302   302   302   302   302
staff.screening                GET  -                                            login   403   403   403   200   200   403
staff.unanswered               GET  -                                            login   403   403   403   200   200   403
staff.expired                  GET  -                                            login   403   403   403   200   200   403
staff.unblock                  POST public_id=volunteer                          login   403   403   403   302   302   403
staff.toggle_duty              POST -                                            login   403   403   403   302   302   403
staff.tasks                    GET  -                                            login   403   403   403   200   200   403
staff.finish_task              POST task_id=task                                 login   403   403   403   302   302   403
staff.update_handover          POST handover_id=handover                         login   403   403   403   400   400   403

static                         GET  filename='css/samen.css'                       200   200   200   200   200   200   200

suggestions.dismiss            POST request_id=request                           login   302   302   302   302   302   302
suggestions.for_me             GET  -                                            login   200   200   200   200   200   200
suggestions.invite             POST request_id=request,volunteer_id=other        login   403   403   403   302   302   403
suggestions.let_know           POST request_id=request                           login   302   403   403   403   403   403
# The front door (issue #18): one list for everyone, my applications and agenda for anyone logged in, the calendar feed
# by its secret address (no cookie: every role alike); applicants, who comes, news and hours for the organisers only.
volunteering.index             GET  -                                              200   200   200   200   200   200   200
volunteering.applications      GET  -                                            login   200   200   200   200   200   200
volunteering.my_agenda         GET  -                                            login   200   200   200   200   200   200
volunteering.new_feed          POST -                                            login   302   302   302   302   302   302
volunteering.stop_feed         POST -                                            login   302   302   302   302   302   302
volunteering.feed              GET  feed_id=feed,signature=feed_signature          200   200   200   200   200   200   200
initiatives.organisations      GET  -                                              200   200   200   200   200   200   200
initiatives.mine               GET  -                                            login   200   200   200   200   200   200
initiatives.needs.applicants_page GET public_id=initiative,need_id=need           login   403   403   200   403   403   403
initiatives.needs.volunteers   GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.needs.log_hours    POST public_id=initiative,need_id=need            login   302   302   302   302   302   302
initiatives.activities.attendees GET public_id=initiative,activity_id=activity    login   403   403   200   403   403   403
initiatives.activities.attendees_csv GET public_id=initiative,activity_id=activity login  403   403   200   403   403   403
initiatives.activities.message POST public_id=initiative,activity_id=activity    login   403   403   400   403   403   403
initiatives.activities.new_shift GET public_id=initiative,activity_id=activity    login   403   403   200   403   403   403
initiatives.activities.new_shift POST public_id=initiative,activity_id=activity   login   403   403   200   403   403   403
initiatives.support.follow     POST public_id=initiative                         login   302   302   302   302   302   302
initiatives.support.unfollow   POST public_id=initiative                         login   302   302   302   302   302   302
initiatives.support.withdraw_backing POST public_id=initiative                   login   302   302   302   302   302   302
initiatives.support.post_news  GET  public_id=initiative                         login   403   403   200   403   403   403
initiatives.support.post_news  POST public_id=initiative                         login   403   403   400   403   403   403
staff.rescue_candidates        GET  public_id=request                            login   403   403   403   200   200   403
staff.rescue_widen             POST public_id=request                            login   403   403   403   302   302   403
staff.rescue_extend            POST public_id=request                            login   403   403   403   302   302   403
staff.rescue_note              POST public_id=request                            login   403   403   403   400   400   403
staff.rescue_snooze            POST public_id=request                            login   403   403   403   400   400   403
staff.expired_outcome          POST public_id=request                            login   403   403   403   400   400   403
staff.vog_applied              POST public_id=volunteer                          login   403   403   403   400   400   403
staff.intake                   GET  public_id=intake                             login   403   403   403   200   200   403
staff.log_contact              POST public_id=intake                             login   403   403   403   400   400   403
staff.withdraw_consent         POST public_id=intake                             login   403   403   403   400   400   403
staff.letter                   GET  public_id=intake                             login   403   403   403   302   302   403
staff.letter_printed           POST public_id=intake                             login   403   403   403   302   302   403
staff.letter_pdf               POST public_id=intake                             login   403   403   403   302   302   403
staff.referral                 GET  handover_id=handover                         login   403   403   403   200   200   403
staff.referral_pdf             GET  handover_id=handover                         login   403   403   403   200   200   403
staff.send_referral            POST handover_id=handover                         login   403   403   403   302   302   403
staff.record_pickup            POST handover_id=handover                         login   403   403   403   302   302   403
staff.handover_notes           GET  handover_id=handover                         login   403   403   403   200   200   403
reports.year_export            GET  file_format='csv'                            login   403   403   403   200   200   403
asks.suggest_category          GET  -                                              200   200   200   200   200   200   200
asks.first                     GET  -                                              200   302   302   302   302   302   302
asks.first                     POST -                                              400   302   302   302   302   302   302
"""


# The municipality's read-only account (role "city") is not a column: it gets what staff get on the figures
# (webapp.core.access.city_may_open: reports, its own login and password, public pages), is sent from its home page
# to the figures, and is refused (403) everywhere else: test_route_matrix.py::test_a_city_account_sees_the_figures_only.
CITY_HOME = ("pages.dashboard", "GET", "302")


@dataclass(frozen=True)
class Entry:
    endpoint: str
    method: str
    args_text: str
    expected_text: str

    @property
    def args(self) -> dict[str, str]:
        if self.args_text == "-":
            return {}
        return dict(pair.split("=", 1) for pair in self.args_text.split(","))

    @property
    def expected(self) -> dict[str, str]:
        return dict(zip(ROLES, self.expected_text.split(), strict=True))

    def expected_for_city(self) -> str:
        from webapp.core.access import city_may_open

        if (self.endpoint, self.method) == CITY_HOME[:2]:
            return CITY_HOME[2]
        return self.expected["staff"] if city_may_open(self.endpoint) else "403"


def entries() -> list[Entry]:
    found = []
    for line in TABLE.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        endpoint, method, args, *statuses = line.split()
        assert len(statuses) == len(ROLES), f"{endpoint} {method}: {len(statuses)} statuses for {len(ROLES)} roles"
        found.append(Entry(endpoint, method, args, " ".join(statuses)))
    return found


def run_order() -> list[Entry]:
    def key(entry: Entry) -> tuple[bool, int]:
        return entry.method != "GET", RUN_LAST.index(entry.endpoint) + 1 if entry.endpoint in RUN_LAST else 0
    return sorted(entries(), key=key)


MATRIX: dict[tuple[str, str], Entry] = {(e.endpoint, e.method): e for e in entries()}
