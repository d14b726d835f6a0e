"""The measures a policy officer asked for next to the existing ones: reach of vulnerable groups (by kind of help;
by intake is "taken in by staff"), expired without help (exists), hours given in initiatives and grant euros: counted
from the database, suppressed like every other figure, shown on the dashboard and in the exports with a definition."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.webapp.reports.test_reports_dashboard import rows_of_csv
from webapp.reports import figures
from webapp.reports.periods import parse

REFERENCE = figures.Reference(
    wijken=(figures.WijkInfo("W1", "Een", "Noord", 1000), figures.WijkInfo("W2", "Twee", "Zuid", 2000),
            figures.WijkInfo("W3", "Drie", "Zuid", 1500)),
    categories=(("groceries", "Boodschappen"), ("company", "Gezelschap")),
    goals=((1, "Doel een"), (3, "Doel drie")),
    category_goals={"groceries": (3,), "company": (1,)},
    vulnerable_categories=("company",),
)


def initiative(i: int, wijk: str) -> figures.InitiativeFact:
    return figures.InitiativeFact(i, datetime(2025, 12, 1), (wijk,), (1,), True)


def test_reach_of_vulnerable_groups_counts_the_kinds_of_help_the_city_marks():
    requests = tuple(figures.RequestFact(datetime(2026, 2, 1 + i, 10), "W1" if i < 6 else "W2",
                                         "company" if i % 2 else "groceries", "open") for i in range(14))
    report = figures.compute(figures.Facts(requests=requests), REFERENCE, parse("2026-02"))
    assert report.total.cells["vulnerable_reach"].value == 7
    by_category = {r.key[1]: r.cells["vulnerable_reach"] for r in report.tables["category"].rows}
    assert by_category["groceries"].value == 0 and by_category["company"].value == 7


def test_hours_and_grants_of_initiatives_are_summed_and_hidden_when_few_give_them():
    hours = tuple(figures.InitiativeAmount(1, date(2026, 2, 2 + p), 3.5, f"person {p}") for p in range(6))
    hours += (figures.InitiativeAmount(2, date(2026, 2, 9), 40.0, "person 99"),
              figures.InitiativeAmount(2, date(2026, 2, 10), 2.0, "person 99"))
    grants = tuple(figures.InitiativeAmount(1, date(2026, 2, 3), 250.0, f"grant {g}") for g in range(5))
    grants += (figures.InitiativeAmount(2, date(2026, 2, 4), 1200.0, "budget 1"),)
    # W3: many small amounts, the cell suppression hides next to W2 (so W2 is not the total minus the rest).
    hours += tuple(figures.InitiativeAmount(3, date(2026, 2, 12), 0.5, f"person {30 + p}") for p in range(8))
    grants += tuple(figures.InitiativeAmount(3, date(2026, 2, 12), 10.0, f"grant {30 + g}") for g in range(5))
    facts = figures.Facts(initiatives=(initiative(1, "W1"), initiative(2, "W2"), initiative(3, "W3")),
                          initiative_hours=hours, grants=grants)
    report = figures.compute(facts, REFERENCE, parse("2026-02"))
    wijk = {r.key[1]: r.cells for r in report.tables["wijk"].rows}
    assert wijk["W1"]["initiative_hours"].value == 21.0 and wijk["W1"]["grant_euros"].value == 1250.0
    # One person's 42 hours and one plan's grant in W2: hidden ("x", a sum says nothing about its size) ...
    assert wijk["W2"]["initiative_hours"].state == figures.State.HIDDEN
    assert wijk["W2"]["grant_euros"].state == figures.State.HIDDEN
    # ... and not to be worked out from the city's total: a second cell of the sum is hidden too.
    for measure in ("initiative_hours", "grant_euros"):
        if report.total.cells[measure].shown:
            assert sum(not cells[measure].shown for cells in wijk.values()) >= 2
    assert ("initiative_hours", "category") in figures.NOT_APPLICABLE


@pytest.fixture
def initiative_work(make):
    """Europawijk: six volunteers each logged 2 hours on a need's role in February 2026 and one 3 hours at an
    activity; staff granted five times 200 euros. Seven requests for company (vulnerable) in Europawijk."""
    from webapp.core.extensions import db
    from webapp.core.reference.models import Goal, Wijk
    from webapp.initiatives.models import (
        Activity,
        ActivityParticipant,
        Initiative,
        InitiativeNeed,
        InitiativeSupport,
        NeedSignup,
        SignupHours,
    )

    volunteers = [make.user("volunteer") for _ in range(7)]
    resident = make.user("resident", wijk_code="WK039218")
    for i in range(7):
        item = make.request(resident, title=f"Gezelschap {i}", category_key="company")
        make.set_request(item, created_at=datetime(2026, 2, 3 + i, 10))

    def build():
        from sqlalchemy import select

        wijk = db.session.execute(select(Wijk).where(Wijk.code == "WK039218")).scalar_one()
        row = Initiative(name="Buurtkamer", description="Samen", status="active", created_at=datetime(2026, 1, 10),
                         wijken=[wijk], goals=[db.session.get(Goal, 1)])
        db.session.add(row)
        db.session.flush()
        need = InitiativeNeed(initiative_id=row.id, kind="volunteers", title="Gastvrouw")
        db.session.add(need)
        db.session.flush()
        for n, v in enumerate(volunteers[:6]):
            signup = NeedSignup(need_id=need.id, volunteer_id=v.id, status="confirmed")
            signup.hours.append(SignupHours(worked_on=date(2026, 2, 5 + n), hours=2.0))
            db.session.add(signup)
        activity = Activity(initiative_id=row.id, title="Koffie", wijk_id=wijk.id,
                            starts_at=datetime(2026, 2, 20, 10), ends_at=datetime(2026, 2, 20, 12))
        activity.participants.append(ActivityParticipant(user_id=volunteers[6].id, hours=3.0))
        db.session.add(activity)
        for g in range(5):
            db.session.add(InitiativeSupport(initiative_id=row.id, kind="grant", amount=200,
                                             given_on=date(2026, 2, 10 + g)))
        db.session.commit()

    make.run(build)


def test_the_new_measures_come_from_the_database_to_the_dashboard_and_the_csv(make, login, initiative_work, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    page = client.get("/rapportage/?period=2026-02&by=wijk").get_data(as_text=True)
    for label in ("Requests from vulnerable groups", "Hours given in initiatives", "Grants to initiatives (euros)"):
        assert label in page
    assert "Requests from vulnerable groups: requests of the period" in page
    rows = rows_of_csv(client.get("/rapportage/export.csv?period=2026-02&by=wijk").get_data(as_text=True))
    header = rows[0]
    europawijk = dict(zip(header, next(r for r in rows if r and r[0] == "Europawijk"), strict=False))
    assert europawijk["Requests from vulnerable groups"] == "7"
    assert europawijk["Hours given in initiatives"] == "15.0"
    assert europawijk["Grants to initiatives (euros)"] == "1000.0"
    notes = " ".join(r[0] for r in rows if r)
    assert "Hours given in initiatives: hours volunteers logged" in notes
