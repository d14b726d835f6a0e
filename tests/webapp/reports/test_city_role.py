"""The municipality's read-only account: figures and exports, two-step login like staff, and never a person."""

from __future__ import annotations

from tests.conftest import complete_second_step, visible
from tests.factories import PASSWORD
from tests.webapp.reports.test_reports_dashboard import SECRET_NAMES, SECRET_PHONE, history  # noqa: F401
from webapp.core.audit import AuditEntry


def test_a_city_account_logs_in_in_two_steps_and_lands_on_the_figures(make, anon):
    city = make.user("city")
    client = anon("en")
    response = client.post("/inloggen", data={"email": city.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith(("/inloggen/code", "/inloggen/app-koppelen"))
    assert client.get("/rapportage/").status_code == 302  # not yet: the code first
    last = complete_second_step(client.application, client, response, city.email)
    assert last.headers["Location"].endswith("/rapportage/")


def test_a_city_account_sees_figures_and_exports_but_no_person(make, login, history):  # noqa: F811
    client = login(make.user("city").email, lang="en")
    page = client.get("/rapportage/?period=2026-Q1&by=wijk")
    assert page.status_code == 200 and "Europawijk" in visible(page)
    export = client.get("/rapportage/export.csv?period=2026-Q1&by=wijk")
    assert export.status_code == 200
    text = export.get_data(as_text=True) + page.get_data(as_text=True)
    assert SECRET_PHONE not in text and SECRET_NAMES[0] not in text
    assert make.count(AuditEntry, AuditEntry.action == "export") == 1  # their exports are logged as staff's are
    for url in ("/werkruimte/", "/werkruimte/vog", "/werkruimte/logboek", "/vragen/", "/mijn/account"):
        assert client.get(url).status_code == 403, url
    assert client.get("/mijn").headers["Location"].endswith("/rapportage/")


def test_the_command_creates_a_city_account(app, make):
    result = app.test_cli_runner().invoke(
        args=["accounts", "create-staff", "beleid@haarlem.example", "--role", "city", "--first-name", "Beleid"],
        input="Een lang wachtwoord voor de gemeente 7\nEen lang wachtwoord voor de gemeente 7\n")
    assert result.exit_code == 0, result.output
    assert "City account (figures only) ready" in result.output and "city" in result.output
    refused = app.test_cli_runner().invoke(
        args=["accounts", "create-staff", "beleid2@haarlem.example", "--role", "city", "--admin"],
        input="Een lang wachtwoord voor de gemeente 7\nEen lang wachtwoord voor de gemeente 7\n")
    assert refused.exit_code == 2 and "cannot be an admin" in refused.output
