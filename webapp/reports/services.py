"""Reading the database into the plain rows the figures are computed from, and putting a report together.

Only aggregates leave this module: no name, address, e-mail or phone is ever read here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest, Match, Response
from webapp.budgets.models import BudgetProposal, BudgetRound
from webapp.core.extensions import db
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Category, Goal, Stadsdeel, Wijk, category_goals
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    ActivityStatus,
    Backing,
    Initiative,
    InitiativeNeed,
    InitiativeStatus,
    InitiativeSupport,
    NeedSignup,
    SignupHours,
    SupportKind,
    initiative_goals,
    initiative_wijken,
)
from webapp.reports import figures
from webapp.reports.periods import (
    KINDS,
    Period,
    PeriodError,
    months_up_to,
    previous,
    same_period_a_year_earlier,
    year_of,
)
from webapp.reports.suppression import DEFAULT_MIN_CELL
from webapp.staff.models import Handover
from webapp.staff.services import DEFAULT_PARTNERS

VULNERABLE_CATEGORIES = Path(__file__).resolve().parent.parent / "core" / "reference" / "data" / \
    "vulnerable_categories.json"
TREND_MONTHS = 12
# The societal goal every act of volunteering serves, whatever the kind of help: "Haarlemmers zetten zich in voor
# elkaar en voor hun buurt, wijk of stad" (goal 2 of data/taxonomy.json). Active volunteers and hours count there.
VOLUNTEERING_GOALS = (2,)


def _start(moment: date) -> datetime:
    return datetime(moment.year, moment.month, moment.day)


def load_reference(locale: str = "nl") -> figures.Reference:
    wijken = db.session.execute(
        select(Wijk.code, Wijk.name, Stadsdeel.name, Wijk.inhabitants)
        .join(Stadsdeel, Stadsdeel.id == Wijk.stadsdeel_id).order_by(Wijk.code)
    ).all()
    categories = db.session.execute(select(Category).order_by(Category.position)).scalars().all()
    goals = db.session.execute(select(Goal).order_by(Goal.id)).scalars().all()
    links: dict[str, list[int]] = {}
    for key, goal_id in db.session.execute(select(category_goals.c.category_key, category_goals.c.goal_id)):
        links.setdefault(key, []).append(goal_id)
    return figures.Reference(
        wijken=tuple(figures.WijkInfo(code, name, stadsdeel, int(people or 0))
                     for code, name, stadsdeel, people in wijken),
        categories=tuple((c.key, c.name(locale)) for c in categories),
        goals=tuple((g.id, g.name(locale)) for g in goals),
        category_goals={key: tuple(sorted(ids)) for key, ids in links.items()},
        volunteering_goals=tuple(g.id for g in goals if g.id in VOLUNTEERING_GOALS),
        vulnerable_categories=vulnerable_categories(),
    )


def with_partners(reference: figures.Reference) -> figures.Reference:
    """The reference with the partners hand-overs go to: read only when figures are computed (stored figures carry
    their partner rows, named by the partner)."""
    return reference if reference.partners else replace(reference, partners=partners())


def partners() -> tuple[str, ...]:
    """The partners hand-overs go to: those staff choose from now, then any other a hand-over was recorded with
    (a partner no longer on the list keeps its row, so its earlier hand-overs still add up to the city's)."""
    configured = current_app.config.get("HANDOVER_PARTNERS") or DEFAULT_PARTNERS
    recorded = db.session.execute(select(Handover.partner).distinct()).scalars().all()
    return tuple(dict.fromkeys([*configured, *sorted(str(p) for p in recorded)]))


def vulnerable_categories() -> tuple[str, ...]:
    """The kinds of help the city marks as asked for by vulnerable groups, with its source in the same file."""
    data = json.loads(VULNERABLE_CATEGORIES.read_text(encoding="utf-8"))
    return tuple(str(key) for key in data["categories"])


def first_day() -> date | None:
    """The day of the first request: a period that starts before it holds less than a whole period of use."""
    first = db.session.execute(select(func.min(HelpRequest.created_at))).scalar_one_or_none()
    return first.date() if first is not None else None


def labels(reference: figures.Reference) -> dict[figures.CellKey, str]:
    out: dict[figures.CellKey, str] = {("wijk", w.code): w.name for w in reference.wijken}
    out.update({("stadsdeel", name): name for name in reference.stadsdelen})
    out.update({("category", key): name for key, name in reference.categories})
    out.update({("goal", goal_id): name for goal_id, name in reference.goals})
    out.update({("partner", name): name for name in reference.partners})
    return out


def _rows(statement: Any) -> Any:
    """Plain rows through the session's connection: tens of thousands of them, without the ORM's per-row work."""
    return db.session.connection().execute(statement)


def load_facts(start: date, end: date) -> figures.Facts:
    """Everything the figures need for periods between `start` and `end` (exclusive): ids, dates, places."""
    since, until = _start(start), _start(end)
    first_response = (
        select(Response.request_id, func.min(Response.created_at).label("first_at"))
        .group_by(Response.request_id).subquery()
    )
    request_rows = _rows(
        select(HelpRequest.created_at, Wijk.code, HelpRequest.category_key, HelpRequest.status,
               first_response.c.first_at, Match.created_at, Match.done_at, Match.hours,
               HelpRequest.contact_staff_id.is_not(None))
        .join(Wijk, Wijk.id == HelpRequest.wijk_id)
        .outerjoin(first_response, first_response.c.request_id == HelpRequest.id)
        .outerjoin(Match, Match.request_id == HelpRequest.id)
        .where(HelpRequest.created_at >= since, HelpRequest.created_at < until,
               # Rejected requests, and requests still waiting for their poster's confirmed address, count nowhere.
               HelpRequest.moderation.not_in((Moderation.REJECTED, Moderation.WAITING)))
        .order_by(HelpRequest.created_at)  # figures.Facts keeps facts in date order
    ).all()
    handover_rows = _rows(
        select(Handover.handed_over_on, Wijk.code, HelpRequest.category_key, Handover.partner)
        .join(HelpRequest, HelpRequest.id == Handover.request_id).join(Wijk, Wijk.id == HelpRequest.wijk_id)
        .where(Handover.handed_over_on >= start, Handover.handed_over_on < end)
        .order_by(Handover.handed_over_on)
    ).all()
    volunteer_wijk = select(VolunteerProfile.user_id, Wijk.code.label("code")).join(
        Wijk, Wijk.id == VolunteerProfile.wijk_id).subquery()
    activity_rows = _rows(
        select(Response.volunteer_id, Response.created_at, volunteer_wijk.c.code, HelpRequest.category_key)
        .join(HelpRequest, HelpRequest.id == Response.request_id)
        .outerjoin(volunteer_wijk, volunteer_wijk.c.user_id == Response.volunteer_id)
        .where(Response.created_at >= since, Response.created_at < until, Response.volunteer_id.is_not(None))
        .order_by(Response.created_at)
    ).all()
    volunteer_rows = _rows(
        select(User.id, User.created_at, Wijk.code)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .outerjoin(Wijk, Wijk.id == VolunteerProfile.wijk_id)
        .where(User.created_at >= since, User.created_at < until)
        .order_by(User.created_at)
    ).all()
    return figures.Facts(
        **_initiative_facts(start, end),
        requests=tuple(figures.RequestFact._make(
            (*row[:7], None if row[7] is None else float(row[7]), bool(row[8]))) for row in request_rows),
        handovers=tuple(map(figures.HandoverFact._make, handover_rows)),
        activity=tuple(map(figures.ActivityFact._make, activity_rows)),
        volunteers=tuple(map(figures.VolunteerFact._make, volunteer_rows)),
    )


def _initiative_facts(start: date, end: date) -> dict[str, Any]:
    """Initiatives (where they work, their goals, their activity days) and the support and backing they got."""
    since, until = _start(start), _start(end)
    places: dict[int, list[str]] = {}
    for initiative_id, code in _rows(
            select(initiative_wijken.c.initiative_id, Wijk.code).join(Wijk, Wijk.id == initiative_wijken.c.wijk_id)):
        places.setdefault(int(initiative_id), []).append(code)
    goals: dict[int, list[int]] = {}
    for initiative_id, goal_id in _rows(select(initiative_goals.c.initiative_id,
                                                            initiative_goals.c.goal_id)):
        goals.setdefault(int(initiative_id), []).append(int(goal_id))
    days: dict[int, list[date]] = {}
    for initiative_id, starts_at in _rows(
            select(Activity.initiative_id, Activity.starts_at)
            .where(Activity.status != ActivityStatus.CANCELLED, Activity.starts_at >= since,
                   Activity.starts_at < until)):
        days.setdefault(int(initiative_id), []).append(starts_at.date())
    initiatives = tuple(
        figures.InitiativeFact(int(i), created, tuple(places.get(int(i), ())), tuple(goals.get(int(i), ())),
                               status == InitiativeStatus.ACTIVE, tuple(days.get(int(i), ())))
        for i, created, status in _rows(
            select(Initiative.id, Initiative.created_at, Initiative.status).where(Initiative.created_at < until)))
    support = tuple(figures.InitiativeEvent(int(i), on) for i, on in _rows(
        select(InitiativeSupport.initiative_id, InitiativeSupport.given_on)
        .where(InitiativeSupport.given_on >= start, InitiativeSupport.given_on < end)))
    backings = tuple(figures.InitiativeEvent(int(i), at.date()) for i, at in _rows(
        select(Backing.initiative_id, Backing.created_at)
        .where(Backing.created_at >= since, Backing.created_at < until)))
    return {"initiatives": initiatives, "support": support, "backings": backings,
            **_initiative_amounts(start, end)}


def _initiative_amounts(start: date, end: date) -> dict[str, Any]:
    """Hours people gave to initiatives (a need's role, an activity) and euros initiatives were granted (by staff, or
    by a district budget vote), on the day they count."""
    since, until = _start(start), _start(end)
    role_hours = _rows(
        select(InitiativeNeed.initiative_id, SignupHours.worked_on, SignupHours.hours, NeedSignup.volunteer_id)
        .join(NeedSignup, NeedSignup.id == SignupHours.signup_id)
        .join(InitiativeNeed, InitiativeNeed.id == NeedSignup.need_id)
        .where(SignupHours.worked_on >= start, SignupHours.worked_on < end))
    activity_hours = _rows(
        select(Activity.initiative_id, Activity.starts_at, ActivityParticipant.hours, ActivityParticipant.user_id)
        .join(Activity, Activity.id == ActivityParticipant.activity_id)
        .where(ActivityParticipant.hours.is_not(None), ActivityParticipant.hours > 0,
               Activity.starts_at >= since, Activity.starts_at < until))
    hours = [figures.InitiativeAmount(int(i), on, float(h), f"person {who}") for i, on, h, who in role_hours]
    hours += [figures.InitiativeAmount(int(i), at.date(), float(h), f"person {who}")
              for i, at, h, who in activity_hours]
    staff_grants = _rows(
        select(InitiativeSupport.initiative_id, InitiativeSupport.given_on, InitiativeSupport.amount,
               InitiativeSupport.id)
        .where(InitiativeSupport.kind == SupportKind.GRANT, InitiativeSupport.amount.is_not(None),
               InitiativeSupport.given_on >= start, InitiativeSupport.given_on < end))
    budget_grants = _rows(
        select(BudgetProposal.initiative_id, BudgetRound.counted_at, BudgetProposal.cost, BudgetProposal.id)
        .join(BudgetRound, BudgetRound.id == BudgetProposal.round_id)
        .where(BudgetProposal.funded_via.is_not(None), BudgetProposal.initiative_id.is_not(None),
               BudgetRound.counted_at >= since, BudgetRound.counted_at < until))
    grants = [figures.InitiativeAmount(int(i), on, float(amount), f"grant {ref}")
              for i, on, amount, ref in staff_grants]
    grants += [figures.InitiativeAmount(int(i), at.date(), float(cost), f"budget {ref}")
               for i, at, cost, ref in budget_grants]
    return {"initiative_hours": tuple(hours), "grants": tuple(grants)}


@dataclass(frozen=True)
class Dashboard:
    current: figures.Report
    previous: figures.Report
    baseline: figures.Report
    reference: figures.Reference
    computed_at: datetime | None = None  # when the oldest of the three was computed (None: just now)


def dashboard_periods(period: Period, baseline: Period | None = None) -> tuple[Period, Period, Period]:
    """The chosen period, the one before it, and the baseline (default: the same period a year earlier)."""
    return period, previous(period), baseline or same_period_a_year_earlier(period)


def compute_reports(periods: Sequence[Period], reference: figures.Reference, *, min_cell: int = DEFAULT_MIN_CELL,
                    with_trend: bool = True) -> dict[Period, figures.Report]:
    """Each period's report, from one read of the facts of the calendar years they and their trends fall in. Every
    year is computed (and suppressed) as a whole: the year, its quarters and months together (figures.compute_year),
    so a period's figures are the same whichever others are asked for with it. Only whole months, quarters and
    years: anything else raises PeriodError."""
    reference = with_partners(reference)
    names = labels(reference)
    wanted = list(dict.fromkeys(periods))  # the baseline is often the period before (a year's): computed once
    for period in wanted:
        if period.kind not in KINDS:
            raise PeriodError("only whole months, quarters and years")
    trends = {p: months_up_to(p, TREND_MONTHS) if with_trend else [] for p in wanted}
    years = sorted({p.start.year for p in wanted} | {m.start.year for months in trends.values() for m in months})
    facts = load_facts(date(years[0], 1, 1), date(years[-1] + 1, 1, 1))
    bundle: dict[Period, figures.Report] = {}
    for year in years:
        bundle.update(figures.compute_year(facts, reference, year_of(date(year, 1, 1)), min_cell=min_cell,
                                           labels=names))
    return {p: figures.with_trend(bundle[p], [bundle[m] for m in trends[p]]) for p in wanted}


def build_report(period: Period, *, min_cell: int = DEFAULT_MIN_CELL, locale: str = "nl",
                 with_trend: bool = True) -> figures.Report:
    return compute_reports([period], load_reference(locale), min_cell=min_cell, with_trend=with_trend)[period]


def build_dashboard(period: Period, baseline: Period | None = None, *, min_cell: int = DEFAULT_MIN_CELL,
                    locale: str = "nl") -> Dashboard:
    """The chosen period, the one before it, and a baseline, computed now."""
    reference = load_reference(locale)
    periods = dashboard_periods(period, baseline)
    reports = compute_reports(periods, reference, min_cell=min_cell)
    current, before, base = (reports[p] for p in periods)
    return Dashboard(current, before, base, reference)
