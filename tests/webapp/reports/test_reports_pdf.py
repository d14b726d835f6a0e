"""The PDF report a policy officer attaches to a memo: read back with pypdf, it has the title page, the period, the
definitions, the dashboard's figures per goal and per wijk, the map and the charts, and no hidden small number."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.webapp.reports.test_reports_dashboard import SECRET_NAMES, SECRET_PHONE, make_history
from webapp.core.audit import AuditEntry


@pytest.fixture
def history(make):
    return make_history(make)


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def line_of(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert found, f"no line starts with {start!r}"
    return found[0]


def test_the_pdf_report_reads_back_with_its_title_period_and_figures(make, login, history):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.get("/rapportage/export.pdf?period=2026-Q1")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="samen-2026-Q1.pdf"' in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.get_data())
    assert len(reader.pages) >= 6
    assert reader.metadata is not None and "Samen Haarlem" in (reader.metadata.title or "")
    assert "Samen Haarlem" in text and "Impact report" in text and "Quarter 1 of 2026" in text
    assert "Period: 1 January 2026 to 31 March 2026" in text
    assert "Figures below 5 are hidden" in text
    assert "How the figures are made" in text and "Expired without help:" in text
    assert "Per societal goal" in text and "Per neighbourhood" in text and "Map: Requests per 1,000 inhabitants" in text
    assert "Requests posted and matched per month" in text
    # A known figure: 8 requests in Europawijk, 29 in the city; Molenwijk's 2 are "<5".
    assert re.match(r"Europawijk 8\b", line_of(text, "Europawijk"))
    assert line_of(text, "Molenwijk").split()[1] == "<5"
    assert "29" in line_of(text, "Requests posted")
    assert SECRET_PHONE not in text and SECRET_NAMES[0] not in text
    assert make.count(AuditEntry, AuditEntry.action == "export") == 1


def test_no_hidden_small_number_appears_anywhere_in_the_pdf(make, login, history, app):
    """Every row of the wijk table and of Haarlem as a whole, read back from the PDF, prints exactly the dashboard's
    cells: where the report hides a cell the PDF prints "<5" or "x", never the number."""
    from webapp.reports import figures, services
    from webapp.reports.periods import parse

    client = login(make.user("staff", locale="en").email, lang="en")
    _reader, text = pdf_text(client.get("/rapportage/export.pdf?period=2026-02").get_data())
    from webapp.core.i18n import in_language

    with app.app_context(), app.test_request_context(), in_language("en"):
        report = services.build_report(parse("2026-02"), locale="en")
        from webapp.reports.pdfreport import figure

        expected = {row.label: [figure(row.cells[m], m, 5) for m in figures.measures_for("wijk")]
                    for row in report.tables["wijk"].rows}
        whole = {m: figure(report.total.cells[m], m, 5) for m, _kind in figures.MEASURES}
    lines = text.splitlines()
    hidden_seen = 0
    for label, cells in expected.items():
        printed = [token for line in lines if line.startswith(label + " ")
                   for token in line[len(label):].split()]
        assert printed == cells, label
        hidden_seen += sum(cell in ("<5", "x") for cell in cells)
    assert hidden_seen >= 10
    assert expected["Molenwijk"][0] == "<5"  # the 2 requests of February
    from webapp.reports.forms import MEASURE_LABELS

    for measure, cell in whole.items():
        assert line_of(text, str(MEASURE_LABELS[measure]) + " ").split()[-3] == cell, measure


def test_the_pdf_report_is_in_dutch_for_a_dutch_reader(make, login, history):
    client = login(make.user("staff", locale="nl").email, lang="nl")
    _reader, text = pdf_text(client.get("/rapportage/export.pdf?period=2026-Q1").get_data())
    assert "Samen Haarlem" in text and "1e kwartaal 2026" in text and "Rapportage" in text
    assert "Per wijk" in text


def test_a_reader_in_turkish_gets_the_pdf_in_turkish(make, login, history, tr):
    client = login(make.user("staff", locale="tr").email, lang="tr")
    response = client.get("/rapportage/export.pdf?period=2026-Q1")
    assert response.status_code == 200
    _reader, text = pdf_text(response.get_data())
    assert tr("tr", "How the figures are made") in text and "This report is in English" not in text
    assert "Quarter 1 of 2026" not in text


def test_the_city_role_downloads_the_pdf_and_a_resident_cannot(make, login, history):
    city = make.user("city")
    assert login(city.email, lang="en").get("/rapportage/export.pdf?period=2026-Q1").status_code == 200
    resident = make.user("resident")
    assert login(resident.email).get("/rapportage/export.pdf?period=2026-Q1").status_code == 403


def test_the_dashboard_offers_the_pdf(make, login, history):
    client = login(make.user("staff", locale="en").email, lang="en")
    page = client.get("/rapportage/?period=2026-Q1").get_data(as_text=True)
    assert "/rapportage/export.pdf?period=2026-Q1" in page


def test_the_report_command_writes_the_pdf(app, make, history, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = app.test_cli_runner().invoke(args=["reports", "export", "--period", "2026-02", "--format", "pdf",
                                                "--out", str(out), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    _reader, text = pdf_text(out.read_bytes())
    assert "februari 2026" in text and "Europawijk 8" in text
