"""Hand-overs per partner organisation, a dimension of its own: on the dashboard, in the CSV and XLSX of a period and
of a year with its quarters, and in the PDF, with its definition; small numbers hidden like a wijk's
(test_reports_differencing.py attacks it with every subtraction)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.conftest import visible
from tests.webapp.reports.test_reports_dashboard import rows_of_csv
from tests.webapp.reports.test_reports_pdf import pdf_text

# partner → hand-overs in February 2026
PLAN = {"Sociaal Wijkteam": 9, "Schuldhulpverlening": 2, "CJG (Centrum voor Jeugd en Gezin)": 6}


@pytest.fixture
def handovers(make):
    from webapp.core.extensions import db
    from webapp.staff.models import Handover

    resident = make.user("resident", wijk_code="WK039218")
    made = []
    for partner, count in PLAN.items():
        for i in range(count):
            item = make.request(resident, title=f"Vraag {partner} {i}", category_key="paperwork")
            make.set_request(item, created_at=datetime(2026, 2, 2 + i, 10), status="handed_over")
            made.append((item.id, partner, date(2026, 2, 3 + i)))

    def add() -> None:
        for request_id, partner, on in made:
            db.session.add(Handover(request_id=request_id, partner=partner, handed_over_on=on))
        db.session.commit()

    make.run(add)


def test_hand_overs_per_partner_on_the_dashboard_and_in_the_exports(make, login, handovers, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    page = visible(client.get("/rapportage/?period=2026-02&by=partner"))
    assert tr("en", "Partner (hand-overs)") in page and "Sociaal Wijkteam" in page
    assert tr("en", "Hand-overs per partner: warm hand-overs to professionals recorded in the period, counted by "
                    "the organisation they went to. A partner's small numbers are hidden like those of a wijk, "
                    "across the months, quarters and year together, so no subtraction shows a single resident's "
                    "hand-over.") in page
    rows = rows_of_csv(client.get("/rapportage/export.csv?period=2026-02&by=partner").get_data(as_text=True))
    assert rows[0] == [tr("en", "Partner (hand-overs)"), tr("en", "Hand-overs to professionals")]
    by_partner = {r[0]: r[1] for r in rows[1:] if len(r) == 2}
    assert by_partner["Sociaal Wijkteam"] == "9" and by_partner["Schuldhulpverlening"] == "<5"
    assert by_partner["CJG (Centrum voor Jeugd en Gezin)"] == "x"  # else 17 - 9 - 6 gives the 2 away
    assert by_partner["Veilig Thuis"] == "0" and by_partner["Haarlem (total)"] == "17"
    book = load_workbook(io.BytesIO(client.get("/rapportage/jaar.xlsx?year=2026").get_data()))
    sheet = book[tr("en", "Partner (hand-overs)")[:31]]
    year_rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert year_rows["Schuldhulpverlening"][2] == "<5"  # the year, as hidden as February
    _reader, text = pdf_text(client.get("/rapportage/export.pdf?period=2026-02").get_data())
    assert tr("en", "Hand-overs per partner") in text
    assert any(line.startswith("Schuldhulpverlening <5") for line in text.splitlines())
