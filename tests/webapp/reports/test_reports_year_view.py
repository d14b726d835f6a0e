"""A year and its quarters side by side (XLSX with a sheet per dimension, the map and a chart; CSV per dimension):
the cells are the dashboard's, the comparison columns say what they compare, incomplete periods say so."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.webapp.reports.test_reports_dashboard import SECRET_NAMES, SECRET_PHONE, make_history, rows_of_csv
from webapp.core.audit import AuditEntry


@pytest.fixture
def history(make):
    volunteer = make_history(make)
    resident = make.user("resident", wijk_code="WK039218")
    for i in range(6):  # Europawijk, 2025: the year before, to compare with
        item = make.request(resident, title=f"Oud verzoek {i}", category_key="groceries")
        make.set_request(item, created_at=datetime(2025, 5, 3 + i, 10))
    return volunteer


def sheet_rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_year_and_its_quarters_side_by_side_in_excel(make, login, history):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.get("/rapportage/jaar.xlsx?year=2026")
    assert response.status_code == 200
    assert 'filename="samen-2026-kwartalen.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames[:2] == ["Neighbourhood", "Societal goal"] and "Map" in book.sheetnames
    rows = sheet_rows(book["Neighbourhood"])
    header = rows[0]
    assert header[:3] == ["Neighbourhood", "Measure", "2026 (not a whole period)"]
    assert header[3] == "Q1 2026"
    assert header[6] == "Q4 2026 (not a whole period)"  # not over yet
    assert header[7] == "2025 (not a whole period)"  # Samen was first used in May 2025
    assert header[8] == "Change 2026 compared with 2025 (%)"
    by = {(r[0], r[1]): r for r in rows[1:] if r and r[1]}
    europawijk = by[("Europawijk", "Requests posted")]
    assert europawijk[3:8] == [8, 0, 0, 0, 6]
    # The year is the dashboard's cell: shown (then compared with 2025) or hidden with the rest of its year.
    assert (europawijk[2], europawijk[8]) in ((8, 33.3), ("x", None))
    assert by[("Molenwijk", "Requests posted")][2:8] == ["<5", "<5", "<5", "<5", "<5", 0]
    per_year = by[("Haarlem (total)", "Requests per 1,000 inhabitants, per year")]
    assert (isinstance(per_year[2], float) or per_year[2] == "x") and per_year[3:7] == [None, None, None, None]
    assert ("Haarlem (total)", "Requests posted") in by
    goal_rows = sheet_rows(book["Societal goal"])
    assert goal_rows[0][0] == "Societal goal" and len(goal_rows) > 20
    assert book["Map"]._images and book["Chart"]._charts  # the map as a picture, a native chart
    picture = Image.open(io.BytesIO(book["Map"]._images[0]._data()))
    assert picture.width == 800 and len(picture.getcolors(100000)) > 3
    text = " ".join(str(v) for ws in book.worksheets for r in sheet_rows(ws) for v in r)
    assert SECRET_PHONE not in text and SECRET_NAMES[0] not in text
    assert make.count(AuditEntry, AuditEntry.action == "export") == 1


def test_the_year_side_by_side_as_csv_per_dimension(make, login, history):
    client = login(make.user("staff", locale="nl").email, lang="nl")
    response = client.get("/rapportage/jaar.csv?year=2026&by=goal")
    assert response.status_code == 200
    rows = rows_of_csv(response.get_data(as_text=True))
    assert rows[0][0] == "Maatschappelijk doel"
    assert any("Haarlem" in r[0] for r in rows[1:] if r)


@pytest.mark.parametrize("year", ["2026-Q1", "twintig", "2026-03"])
def test_only_a_whole_year_is_put_side_by_side(make, login, year):
    client = login(make.user("staff", locale="en").email, lang="en")
    assert client.get(f"/rapportage/jaar.xlsx?year={year}").status_code == 400
    assert client.get("/rapportage/jaar.pdf?year=2026").status_code == 404


def test_a_resident_cannot_download_the_year(make, login):
    assert login(make.user("resident").email).get("/rapportage/jaar.xlsx?year=2026").status_code == 403


def test_the_period_xlsx_has_the_map_and_the_trend_chart(make, login, history):
    client = login(make.user("city").email, lang="en")
    book = load_workbook(io.BytesIO(client.get("/rapportage/export.xlsx?period=2026-Q1&by=wijk").get_data()))
    assert book.sheetnames[1:] == ["Map", "Chart"]
    assert book["Map"]._images and book["Chart"]._charts


def test_the_command_puts_a_year_and_its_quarters_side_by_side(app, make, history, tmp_path):
    out = tmp_path / "jaar.xlsx"
    result = app.test_cli_runner().invoke(args=["reports", "export", "--period", "2026", "--quarters", "--format",
                                                "xlsx", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["Neighbourhood"].cell(row=1, column=8).value.startswith("2025")
    result = app.test_cli_runner().invoke(args=["reports", "export", "--period", "2026-Q1", "--quarters",
                                                "--out", str(out)])
    assert result.exit_code == 2 and "--period 2026" in result.output
