"""The measures of the city's memo (requests from vulnerable groups, hours given in initiatives, grant euros, and the
kinds of help the first of them counts) are stored with the period's figures: once a period's figures are stored,
changing the rows behind them (more requests, hours and grants, another list of vulnerable kinds) changes nothing
the dashboard, the CSV or the PDF publishes for it until the figures are computed again, and the definition printed
next to "requests from vulnerable groups" names the kinds the stored figure counted."""

from __future__ import annotations

from datetime import date, datetime

from tests.webapp.reports.test_reports_dashboard import rows_of_csv
from tests.webapp.reports.test_reports_new_measures import initiative_work  # noqa: F401 (a fixture)
from tests.webapp.reports.test_reports_pdf import pdf_text
from webapp.reports import services

MEASURES = ("Requests from vulnerable groups", "Hours given in initiatives", "Grants to initiatives (euros)")


def europawijk(client) -> dict[str, str]:
    rows = rows_of_csv(client.get("/rapportage/export.csv?period=2026-02&by=wijk").get_data(as_text=True))
    found = dict(zip(rows[0], next(r for r in rows if r and r[0] == "Europawijk"), strict=False))
    return {m: found[m] for m in MEASURES}


def more_of_everything(make) -> None:
    """After the snapshot: seven more requests for company, hours and a grant in Europawijk in February."""
    from sqlalchemy import select

    from webapp.core.extensions import db
    from webapp.initiatives.models import Initiative, InitiativeSupport

    resident = make.user("resident", wijk_code="WK039218")
    for i in range(7):
        item = make.request(resident, title=f"Later {i}", category_key="company")
        make.set_request(item, created_at=datetime(2026, 2, 12 + i, 10))

    def grant() -> None:
        initiative = db.session.execute(select(Initiative).where(Initiative.name == "Buurtkamer")).scalar_one()
        for g in range(5):
            db.session.add(InitiativeSupport(initiative_id=initiative.id, kind="grant", amount=900,
                                             given_on=date(2026, 2, 20 + g)))
        db.session.commit()

    make.run(grant)


def test_the_memo_measures_are_published_from_the_stored_figures(make, login, initiative_work,  # noqa: F811
                                                                 monkeypatch):
    client = login(make.user("staff", locale="en").email, lang="en")
    dashboard = client.get("/rapportage/?period=2026-02&by=wijk").get_data(as_text=True)  # stores 2026
    before = europawijk(client)
    assert before == {"Requests from vulnerable groups": "7", "Hours given in initiatives": "15.0",
                      "Grants to initiatives (euros)": "1000.0"}
    names = make.run(lambda: dict(services.load_reference("en").categories))
    company, groceries = names["company"], names["groceries"]
    assert company in dashboard.split("Requests from vulnerable groups: requests of the period", 1)[1][:400]

    more_of_everything(make)
    monkeypatch.setattr(services, "vulnerable_categories", lambda: ("groceries",))  # the city changes its list

    assert europawijk(client) == before
    page = client.get("/rapportage/?period=2026-02&by=wijk").get_data(as_text=True)
    definition = page.split("Requests from vulnerable groups: requests of the period", 1)[1][:400]
    assert company in definition and groceries not in definition
    _reader, text = pdf_text(client.get("/rapportage/export.pdf?period=2026-02").get_data())
    printed = text.split("Requests from vulnerable groups: requests of the period", 1)[1][:400]
    assert company in printed and groceries not in printed
