"""The impact dashboard, its map and charts, and the CSV/XLSX exports (also from the command line): the same
suppressed figures everywhere and never a name, e-mail address or phone number."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.conftest import page_text, visible
from webapp.core.audit import AuditEntry

SECRET_NAMES = ("Geheimvoornaam", "Verborgenachternaam")
SECRET_PHONE = "06-11223344"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# wijk code → requests posted in February 2026
PLAN = {"WK039218": 8, "WK039219": 6, "WK039220": 2, "WK039202": 7, "WK039201": 6}


@pytest.fixture
def history(make):
    return make_history(make)


def make_history(make):
    """29 requests in February 2026 in five wijken, two of them in Molenwijk; some matched."""
    volunteer = make.user("volunteer", first_name=SECRET_NAMES[0], last_name=SECRET_NAMES[1], phone=SECRET_PHONE)
    n = 0
    for code, count in PLAN.items():
        resident = make.user("resident", wijk_code=code, first_name=SECRET_NAMES[0], last_name=SECRET_NAMES[1],
                             phone=SECRET_PHONE)
        for i in range(count):
            n += 1
            item = make.request(resident, title=f"Verzoek {n} van {SECRET_NAMES[0]}",
                                category_key="groceries" if i % 2 else "digital")
            make.set_request(item, created_at=datetime(2026, 2, 3 + i, 10))
            if code == "WK039218" and i < 6:
                response_id = make.respond(item, volunteer)
                make.accept(item, response_id)
    return volunteer


def rows_of_csv(content: str) -> list[list[str]]:
    """A Dutch export uses ";" between columns (as Excel in Dutch expects), an English one ","."""
    content = content.lstrip("\ufeff")
    header = content.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(content), delimiter=";" if header.count(";") > header.count(",") else ","))


def test_staff_see_the_dashboard_with_map_chart_and_tables(make, login, history, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.get("/rapportage/?period=2026-Q1&by=wijk&measure=posted")
    assert response.status_code == 200
    page = page_text(response)
    assert page.count("data-wijk=") == 21  # every wijk of Haarlem on the map
    assert 'role="img"' in page and "<title" in page
    assert "Europawijk" in page and "Molenwijk" in page
    assert "&lt;5" in page  # Molenwijk: 2 requests
    assert tr("en", "Resident initiatives active") in visible(response)
    assert "style=" not in page.split("<svg", 1)[1]  # SVG colours are attributes: the CSP forbids inline styles
    for dimension in ("stadsdeel", "category", "goal"):
        assert client.get(f"/rapportage/?period=2026-02&by={dimension}").status_code == 200
    assert client.get("/rapportage/?period=2026&baseline=2025").status_code == 200


def test_a_bad_period_is_explained(make, login, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.get("/rapportage/?period=2026-Q9&baseline=vorig-jaar")
    assert response.status_code == 200
    page = visible(response)
    assert tr("en", "“%(value)s” is not a period. Use for example 2026-03, 2026-Q1 or 2026.", value="2026-Q9") in page
    assert client.get("/rapportage/export.csv?period=2026-Q9").status_code == 400
    assert client.get("/rapportage/export.doc").status_code == 404
    assert client.get("/rapportage/export.pdf?period=2026-Q9").status_code == 400


def test_no_personal_data_in_the_dashboard_or_the_exports(make, login, history):
    client = login(make.user("staff").email)
    for url in ("/rapportage/?period=2026-Q1&by=wijk", "/rapportage/?period=2026-02&by=category",
                "/rapportage/export.csv?period=2026-Q1&by=wijk", "/rapportage/export.csv?period=2026-02&by=goal"):
        text = page_text(client.get(url))
        for secret in (*SECRET_NAMES, SECRET_PHONE, "Verzoek 1 van"):
            assert secret not in text, (url, secret)
        body = text.split("<main", 1)[-1]
        assert not EMAIL_RE.search(body), url


def test_the_csv_export_has_the_dashboards_figures(make, login, history, tr):
    client = login(make.user("staff").email)
    response = client.get("/rapportage/export.csv?period=2026-Q1&by=wijk")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = rows_of_csv(response.get_data(as_text=True))
    posted = rows[0].index(tr("nl", "Requests posted"))
    by_name = {row[0]: row for row in rows[1:] if row}
    assert by_name["Europawijk"][posted] == "8" and by_name["Oude Stad"][posted] == "6"
    assert by_name["Molenwijk"][posted] == "<5"
    assert by_name["Boerhaavewijk"][posted] == "x"  # else Schalkwijk minus the others gives Molenwijk away
    assert by_name[tr("nl", "Haarlem (total)")][posted] == "29"
    # What the dashboard shows for the same cells.
    page = visible(client.get("/rapportage/?period=2026-Q1&by=wijk&measure=posted"))
    assert "Europawijk" in page and "<5" in page
    assert make.count(AuditEntry, AuditEntry.action == "export", AuditEntry.target_ref == "2026-Q1") == 1


def test_the_xlsx_export_opens_in_a_spreadsheet(make, login, history):
    client = login(make.user("staff").email)
    response = client.get("/rapportage/export.xlsx?period=2026-Q1&by=stadsdeel")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_name = {row[0]: row for row in values[1:] if row and row[0]}
    assert by_name["Schalkwijk"][1] == 16 and by_name["Centrum"][1] == 6


# -- the command line -----------------------------------------------------------------------------------------------

def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["reports", "export", *args])


def test_the_report_command_writes_csv_and_xlsx(app, make, history, tmp_path):
    out = tmp_path / "rapport.csv"
    result = invoke(app, "--from", "2026-02-01", "--to", "2026-02-28", "--by", "wijk", "--format", "csv",
                    "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = rows_of_csv(out.read_text(encoding="utf-8"))
    assert rows[0][0] == "Neighbourhood" and rows[0][1] == "Requests posted"
    by_name = {row[0]: row for row in rows[1:] if row}
    assert by_name["Europawijk"][1] == "8" and by_name["Molenwijk"][1] == "<5"
    text = out.read_text(encoding="utf-8")
    assert SECRET_PHONE not in text and SECRET_NAMES[0] not in text

    xlsx = tmp_path / "rapport.xlsx"
    result = invoke(app, "--from", "2026-01-01", "--to", "2026-03-31", "--by", "goal", "--format", "xlsx",
                    "--out", str(xlsx))
    assert result.exit_code == 0, result.output
    assert load_workbook(xlsx).active.max_row > 7
    assert make.count(AuditEntry, AuditEntry.action == "export", AuditEntry.actor_id.is_(None)) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-13-01", "--to", "2026-03-31"], "--from"),
    (["--from", "1 januari", "--to", "2026-03-31"], "--from"),
    (["--from", "2026-03-01", "--to", "2026-02-01"], "the last day is before the first day"),
    (["--from", "2026-01-01", "--to", "2026-03-31", "--by", "straat"], "--by"),
    (["--from", "2026-01-01", "--to", "2026-03-31", "--format", "doc"], "--format"),
    (["--from", "2026-01-01", "--to", "2026-03-31", "--out", "/geen/map/rapport.csv"], "does not exist"),
    (["--to", "2026-03-31"], "--from"),
])
def test_the_report_command_refuses_bad_input_with_exit_code_2(app, tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "r.csv")]
    result = invoke(app, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "r.csv").exists()


def test_the_threshold_for_small_numbers_is_configurable(app, make, login, history, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 10)
    client = login(make.user("staff").email)
    rows = rows_of_csv(client.get("/rapportage/export.csv?period=2026-Q1&by=wijk").get_data(as_text=True))
    by_name = {row[0]: row for row in rows[1:] if row}
    assert by_name["Europawijk"][1] == "<10"


def test_the_settings_come_from_the_environment():
    from webapp.core.config import from_environment

    config = from_environment({"REPORT_MIN_CELL": "10", "RESCUE_AFTER_DAYS": "5",
                               "HANDOVER_PARTNERS": "Sociaal Wijkteam; CJG ;;Huisarts"})
    assert config["REPORT_MIN_CELL"] == 10 and config["RESCUE_AFTER_DAYS"] == 5
    assert config["MODERATION_REPORT_THRESHOLD"] == 3
    assert config["HANDOVER_PARTNERS"] == ("Sociaal Wijkteam", "CJG", "Huisarts")


# -- initiatives: active, supported, backing ------------------------------------------------------------------------

@pytest.fixture
def initiatives(make):
    """Six active initiatives in Europawijk and two in Molenwijk (registered in January 2026); nine residents back
    the Europawijk ones in February; staff supported one of them in February."""
    from datetime import date

    from sqlalchemy import select

    from webapp.core.extensions import db
    from webapp.core.reference.models import Goal, Wijk
    from webapp.initiatives.models import Backing, Initiative, InitiativeOrganiser, InitiativeSupport

    organiser = make.user("organiser", first_name=SECRET_NAMES[0], last_name=SECRET_NAMES[1])
    backers = [make.user("resident", first_name=SECRET_NAMES[0]) for _ in range(9)]

    def build():
        goal = db.session.get(Goal, 1)
        wijk = {w.code: w for w in db.session.execute(select(Wijk)).scalars()}
        rows = []
        for n, code in enumerate(["WK039218"] * 6 + ["WK039220"] * 2):
            row = Initiative(name=f"Initiatief {n} van {SECRET_NAMES[0]}", description="Samen", status="active",
                             created_at=datetime(2026, 1, 10), wijken=[wijk[code]], goals=[goal])
            row.organisers.append(InitiativeOrganiser(user_id=organiser.id, is_owner=True))
            rows.append(row)
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(Backing(initiative_id=rows[i % 6].id, user_id=b.id, created_at=datetime(2026, 2, 3 + i))
                           for i, b in enumerate(backers))
        db.session.add(InitiativeSupport(initiative_id=rows[0].id, kind="advice", hours=3, description="Subsidie",
                                         given_on=date(2026, 2, 10)))
        db.session.commit()

    make.run(build)


def test_initiative_figures_in_the_dashboard_csv_and_command(app, make, login, initiatives, tr, tmp_path):
    client = login(make.user("staff", locale="en").email, lang="en")
    page = visible(client.get("/rapportage/?period=2026-Q1&by=wijk&measure=initiatives_active"))
    for label in ("Resident initiatives active", "Resident initiatives supported by staff",
                  "Backing given to initiatives"):
        assert tr("en", label) in page
    assert tr("en", "Not yet available") not in page

    rows = rows_of_csv(client.get("/rapportage/export.csv?period=2026-Q1&by=wijk").get_data(as_text=True))
    header = rows[0]
    active = header.index(tr("en", "Resident initiatives active"))
    supported = header.index(tr("en", "Resident initiatives supported by staff"))
    backing = header.index(tr("en", "Backing given to initiatives"))
    by_name = {row[0]: row for row in rows[1:] if row}
    total = by_name[tr("en", "Haarlem (total)")]
    assert total[active] == "8" and total[backing] == "9" and total[supported] == "<5"
    assert by_name["Molenwijk"][active] == "<5"
    # 8 in the city = Europawijk + Molenwijk: Europawijk must go too, or 8 - 6 gives Molenwijk away.
    assert by_name["Europawijk"][active] == "x"
    assert by_name["Europawijk"][backing] == "9" and by_name["Molenwijk"][backing] == "0"
    for row in rows:
        assert not any(SECRET_NAMES[0] in str(cell) or "Initiatief 0" in str(cell) for cell in row)

    out = tmp_path / "initiatieven.csv"
    result = invoke(app, "--from", "2026-02-01", "--to", "2026-02-28", "--by", "goal", "--format", "csv",
                    "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = rows_of_csv(out.read_text(encoding="utf-8"))
    assert tr("en", "Resident initiatives active") in rows[0] and tr("en", "Backing given to initiatives") in rows[0]
    # Per goal; none per kind of help (an initiative has none).
    category = tmp_path / "soort.csv"
    invoke(app, "--from", "2026-02-01", "--to", "2026-02-28", "--by", "category", "--out", str(category),
           "--lang", "en")
    assert tr("en", "Resident initiatives active") not in rows_of_csv(category.read_text(encoding="utf-8"))[0]


def test_a_policy_officer_can_use_the_export_as_it_is(make, login, history, tr):
    """Dutch CSV: ";" and a decimal comma, so Excel in Dutch opens it in columns; the period with its dates, the
    signs and the definitions are in the file; English CSV: "," and a decimal point."""
    staff = make.user("staff")
    client = login(staff.email, lang="nl")
    content = client.get("/rapportage/export.csv?period=2026-Q1&by=wijk").get_data(as_text=True).lstrip("\ufeff")
    header = content.split("\r\n", 1)[0]
    assert header.startswith(tr("nl", "Wijk") + ";" + tr("nl", "Requests posted") + ";")
    europawijk = next(line for line in content.split("\r\n") if line.startswith("Europawijk;"))
    assert "75,0" in europawijk.split(";")  # match rate 6 of 8, with a decimal comma
    for note in (tr("nl", "Only counts: no names, addresses or other personal data."),
                 tr("nl", "An empty cell: nothing to compute (for example a median when no request got a response)."),
                 tr("nl", "Active volunteers: responded to a request in the period. New volunteers: joined in the "
                          "period. Active volunteers and hours given also count for the goal that all volunteering "
                          "serves.")):
        assert note in content
    assert "1 januari 2026" in content and "31 maart 2026" in content

    english = login(staff.email, lang="en").get("/rapportage/export.csv?period=2026-Q1&by=wijk")
    text = english.get_data(as_text=True).lstrip("\ufeff")
    assert text.startswith("Neighbourhood,Requests posted,")
    assert "75.0" in next(line for line in text.split("\r\n") if line.startswith("Europawijk,")).split(",")
    assert "1 January 2026" in text and "31 March 2026" in text  # English pages and exports write dates as in Britain


def test_changes_are_written_the_dutch_way(make, login, history):
    # March against February (29 requests): -100,0%
    page = visible(login(make.user("staff").email, lang="nl").get("/rapportage/?period=2026-03"))
    assert "-100,0%" in page
    assert re.search(r"[+-]\d+,\d%", page) and not re.search(r"[+-]\d+\.\d%", page)


def test_a_period_that_is_not_over_is_flagged_on_screen_and_in_the_export(make, login, tr):
    from datetime import date

    from webapp.reports.periods import quarter_of

    client = login(make.user("staff", locale="en").email, lang="en")
    running = quarter_of(date.today())
    page = visible(client.get(f"/rapportage/?period={running.code}"))
    assert "is not over yet" in page and "Compare with care" in page
    export = client.get(f"/rapportage/export.csv?period={running.code}").get_data(as_text=True)
    assert "is not over yet" in export
    assert "is not over yet" not in visible(client.get("/rapportage/?period=2025-Q1&baseline=2024"))


@pytest.mark.parametrize("args", [
    ["--from", "2026-01-01", "--to", "2026-03-30"],  # a day short of a quarter
    ["--from", "2026-01-02", "--to", "2026-03-31"],
    ["--from", "2026-02-10", "--to", "2026-02-10"],
])
def test_the_report_command_refuses_a_range_of_days(app, tmp_path, args):
    """Two ranges a day apart would show one day's requests by subtraction: only whole months, quarters, years."""
    result = invoke(app, *args, "--out", str(tmp_path / "r.csv"))
    assert result.exit_code == 2, result.output
    assert "not a whole month, quarter or year" in result.output
    assert not (tmp_path / "r.csv").exists()


def test_the_report_command_takes_a_period(app, make, history, tmp_path):
    out = tmp_path / "q.csv"
    result = invoke(app, "--period", "2026-Q1", "--by", "wijk", "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    by_name = {row[0]: row for row in rows_of_csv(out.read_text(encoding="utf-8"))[1:] if row}
    assert by_name["Europawijk"][1] == "8"
    assert invoke(app, "--period", "2026-Q5", "--out", str(out)).exit_code == 2


def test_a_baseline_from_before_samen_was_used_is_flagged(make, login, history):
    """The first request was on 3 February 2026: Q1 2026 holds less than a whole quarter of use."""
    client = login(make.user("staff", locale="en").email, lang="en")
    page = visible(client.get("/rapportage/?period=2026-Q2&baseline=2026-Q1"))
    assert "Samen was used from 3 February 2026" in page and "Compare with care" in page
    assert "Samen was used from" not in visible(client.get("/rapportage/?period=2026-Q3&baseline=2026-Q2"))
