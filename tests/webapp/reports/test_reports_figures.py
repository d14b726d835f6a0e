"""The report's figures from plain rows, and report periods. Pure functions, no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.reports import figures
from webapp.reports.periods import (
    PeriodError,
    custom,
    months_up_to,
    parse,
    period_of,
    previous,
    same_period_a_year_earlier,
)

REFERENCE = figures.Reference(
    wijken=(figures.WijkInfo("W1", "Een", "Noord", 2000), figures.WijkInfo("W2", "Twee", "Noord", 3000),
            figures.WijkInfo("W3", "Drie", "Zuid", 5000)),
    categories=(("groceries", "Boodschappen"), ("digital", "Digitaal")),
    goals=((1, "Meedoen"), (2, "Zelfredzaam")),
    category_goals={"groceries": (1, 2), "digital": (2,)},
)


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour)


def request(day, wijk="W1", category="groceries", *, status="open", response=None, match=None, done=None,
            hours=None):
    return figures.RequestFact(at(day), wijk, category, status, response, match, done, hours)


FACTS = figures.Facts(
    requests=(
        request(1, response=at(2), match=at(3), done=at(5), status="done", hours=2.0),
        request(2, response=at(2, 16), match=at(4), status="matched"),
        request(3, "W2", "digital", response=at(6)),
        request(4, "W3", "digital"),
        request(5, "W3"),
        request(6, "W3", "digital", status="handed_over"),
        figures.RequestFact(datetime(2026, 4, 1), "W1", "groceries", "open"),  # the next month: not counted
    ),
    handovers=(figures.HandoverFact(date(2026, 3, 7), "W3", "digital"),),
    activity=(figures.ActivityFact(1, at(2), "W1", "groceries"), figures.ActivityFact(1, at(3), "W1", "digital"),
              figures.ActivityFact(2, at(6), "W2", "digital"), figures.ActivityFact(3, at(6), None, "digital")),
    volunteers=(figures.VolunteerFact(2, at(10), "W2"), figures.VolunteerFact(4, datetime(2025, 1, 1), "W1")),
)


@pytest.fixture
def report():
    return figures.compute(FACTS, REFERENCE, parse("2026-03"), min_cell=1)


def cells(report, dimension, key):
    table = report.tables[dimension]
    return next(row for row in table.rows if row.key == (dimension, key)).cells


def test_requests_posted_matched_done_and_unanswered(report):
    total = report.total.cells
    assert total["posted"].value == 6
    assert total["matched"].value == 2 and total["done"].value == 1
    assert total["match_rate"].value == pytest.approx(33.3)
    assert total["unanswered"].value == 2  # open and nobody responded; the handed-over one is not open
    assert total["hours"].value == 2.0
    assert total["handovers"].value == 1


def test_medians_in_days(report):
    total = report.total.cells
    assert total["days_to_response"].value == pytest.approx(1.0)  # 1, 0.25, 3 → 1
    assert total["days_to_match"].value == pytest.approx(2.0)  # 2 and 2


def test_per_district_wijk_category_and_goal(report):
    assert cells(report, "stadsdeel", "Noord")["posted"].value == 3
    assert cells(report, "stadsdeel", "Zuid")["posted"].value == 3
    assert cells(report, "wijk", "W3")["handovers"].value == 1
    assert cells(report, "category", "digital")["posted"].value == 3
    # A groceries request serves goals 1 and 2; digital only goal 2: goals do not add up to the total.
    assert cells(report, "goal", 1)["posted"].value == 3
    assert cells(report, "goal", 2)["posted"].value == 6


def test_volunteers_active_and_new(report):
    assert report.total.cells["volunteers_active"].value == 2  # volunteer 3 has no wijk and is left out
    assert cells(report, "wijk", "W1")["volunteers_active"].value == 1
    assert cells(report, "category", "digital")["volunteers_active"].value == 2
    assert report.total.cells["volunteers_new"].value == 1
    assert cells(report, "category", "digital")["volunteers_new"].state == figures.State.NOT_APPLICABLE


def test_per_1000_inhabitants(report):
    assert cells(report, "wijk", "W3")["posted_per_1000"].value == pytest.approx(0.6)
    assert report.total.cells["posted_per_1000"].value == pytest.approx(0.6)
    assert cells(report, "category", "digital")["posted_per_1000"].state == figures.State.NOT_APPLICABLE


def test_the_trend_counts_each_month():
    months = months_up_to(parse("2026-Q2"), 4)
    report = figures.compute(FACTS, REFERENCE, parse("2026-Q2"), min_cell=1, trend_months=months)
    assert [p.month.code for p in report.trend] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert [p.cells["posted"].value for p in report.trend] == [6, 1, 0, 0]


def test_changes_in_percent():
    assert figures.change(figures.Cell(12), figures.Cell(10)) == 20.0
    assert figures.change(figures.Cell(12), figures.Cell(None, figures.State.SMALL)) is None
    assert figures.change(figures.Cell(12), figures.Cell(0)) is None


# -- periods --------------------------------------------------------------------------------------------------------

def test_periods_by_code():
    assert (parse("2026-03").start, parse("2026-03").end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert (parse("2026-Q4").start, parse("2026-Q4").end) == (date(2026, 10, 1), date(2027, 1, 1))
    assert (parse("2026q2").start, parse("2026").end) == (date(2026, 4, 1), date(2027, 1, 1))
    assert parse("2026-Q1").code == "2026-Q1" and parse("2026").code == "2026"


@pytest.mark.parametrize("code", ["", "2026-13", "2026-Q5", "26-03", "maart", "2026-00", "2026-03-01"])
def test_bad_period_codes_are_refused(code):
    with pytest.raises(PeriodError):
        parse(code)


def test_previous_and_baseline_periods():
    assert previous(parse("2026-01")).code == "2025-12"
    assert previous(parse("2026-Q1")).code == "2025-Q4"
    assert previous(parse("2026")).code == "2025"
    assert same_period_a_year_earlier(parse("2026-Q3")).code == "2025-Q3"
    span = custom(date(2026, 1, 10), date(2026, 1, 19))
    assert previous(span) == custom(date(2025, 12, 31), date(2026, 1, 9))
    assert period_of("quarter", date(2026, 5, 17)).code == "2026-Q2"
    with pytest.raises(PeriodError):
        custom(date(2026, 2, 1), date(2026, 1, 1))


# -- initiatives: active, supported by staff, backing ---------------------------------------------------------------

INITIATIVE_FACTS = figures.Facts(
    initiatives=(
        figures.InitiativeFact(1, datetime(2025, 6, 1), ("W1", "W3"), (1, 2), True),
        figures.InitiativeFact(2, datetime(2026, 3, 2), ("W2",), (2,), False, (date(2026, 3, 20),)),
        figures.InitiativeFact(3, datetime(2026, 1, 1), ("W2",), (1,), False, (date(2026, 4, 2),)),  # idle in March
        figures.InitiativeFact(4, datetime(2026, 4, 5), ("W1",), (1,), True),  # registered after March
    ),
    support=(figures.InitiativeEvent(1, date(2026, 3, 3)), figures.InitiativeEvent(1, date(2026, 3, 9)),
             figures.InitiativeEvent(3, date(2026, 3, 9)), figures.InitiativeEvent(2, date(2026, 2, 1))),
    backings=(*(figures.InitiativeEvent(1, date(2026, 3, d)) for d in (1, 2, 3)),
              figures.InitiativeEvent(2, date(2026, 3, 5)), figures.InitiativeEvent(2, date(2026, 4, 5))),
)


def test_initiatives_active_supported_and_backing_per_wijk_district_and_goal():
    report = figures.compute(INITIATIVE_FACTS, REFERENCE, parse("2026-03"), min_cell=1)
    total = report.total.cells
    # 1 is marked active; 2 held an activity in March; 3 did nothing in March; 4 did not exist yet.
    assert total["initiatives_active"].value == 2
    assert total["initiatives_supported"].value == 2  # 1 (twice) and 3; 2 was supported in February
    assert total["backing"].value == 4
    # An initiative counts in every wijk and goal it works for, once per district.
    assert cells(report, "wijk", "W1")["initiatives_active"].value == 1
    assert cells(report, "wijk", "W3")["initiatives_active"].value == 1
    assert cells(report, "stadsdeel", "Noord")["initiatives_active"].value == 2
    assert cells(report, "wijk", "W2")["backing"].value == 1
    assert cells(report, "stadsdeel", "Zuid")["backing"].value == 3
    assert cells(report, "goal", 2)["initiatives_active"].value == 2
    assert cells(report, "goal", 1)["backing"].value == 3
    # Initiatives have no kind of help.
    assert cells(report, "category", "groceries")["initiatives_active"].state == figures.State.NOT_APPLICABLE
    assert "initiatives_active" not in figures.measures_for("category")
    assert "backing" in figures.measures_for("goal") and "backing" in figures.measures_for("wijk")


def test_small_initiative_figures_are_shown_as_less_than_five():
    report = figures.compute(INITIATIVE_FACTS, REFERENCE, parse("2026-03"))
    assert report.total.cells["initiatives_active"].text() == "<5"
    assert report.total.cells["backing"].text() == "<5"
    assert cells(report, "wijk", "W2")["backing"].text() == "<5"


def test_requests_that_ended_without_any_response_count_as_never_answered():
    """26 Q3 requests expired unanswered while "still without a response" said 0 for the finished quarter."""
    facts = figures.Facts(requests=(
        figures.RequestFact(at(2), "W1", "groceries", "expired"),
        figures.RequestFact(at(3), "W1", "groceries", "cancelled"),
        figures.RequestFact(at(4), "W1", "groceries", "open"),
        figures.RequestFact(at(5), "W1", "groceries", "expired", first_response_at=at(6)),
        figures.RequestFact(at(6), "W1", "groceries", "handed_over"),
        figures.RequestFact(at(7), "W1", "groceries", "done", at(7), at(8), at(9), via_intake=True),
    ))
    total = figures.compute(facts, REFERENCE, parse("2026-03"), min_cell=1).total.cells
    assert total["unanswered"].value == 3  # expired, withdrawn and still open, none with a response
    assert total["expired_unmatched"].value == 2  # both expired ones ended without a helper
    assert total["intake"].value == 1


def test_volunteers_and_their_hours_count_in_the_goal_all_volunteering_serves():
    """Goal 2 ("Haarlemmers zetten zich in voor elkaar") was always 0 although volunteers gave hours."""
    reference = figures.Reference(REFERENCE.wijken, REFERENCE.categories, REFERENCE.goals,
                                  {"groceries": (1,), "digital": (1,)}, volunteering_goals=(2,))
    facts = figures.Facts(
        requests=(figures.RequestFact(at(2), "W1", "groceries", "done", at(2), at(3), at(4), 2.5),),
        activity=(figures.ActivityFact(7, at(2), "W1", "groceries"),))
    report = figures.compute(facts, reference, parse("2026-03"), min_cell=1)
    goal_two = next(row for row in report.tables["goal"].rows if row.key == ("goal", 2)).cells
    assert goal_two["volunteers_active"].value == 1 and goal_two["hours"].value == 2.5
    assert goal_two["posted"].value in (0, None)  # a request counts only in the goals of its kind of help
