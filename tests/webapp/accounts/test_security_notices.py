"""The owner hears of every change to how they log in (ASVS 2.2.3, 2.5.5): a changed or reset password, and two-step
login reset by an administrator. The notice holds no link that logs in; it leads to the page for a new password."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)

NEW_PASSWORD = "de fiets staat bij het station"


def test_changing_the_password_sends_a_notice(make, login, smtp, tr):  # noqa: F811
    person = make.user("resident", locale="en")
    client = login(person.email)
    assert client.post("/mijn/wachtwoord", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "password_again": NEW_PASSWORD}).status_code == 302
    [notice] = smtp.to(person.email)
    assert notice["Subject"] == tr("en", "Samen: your password was changed")
    text = parts(notice)[0]
    assert "/wachtwoord-vergeten" in text and "/wachtwoord-herstellen/" not in text


def test_a_new_password_through_the_e_mail_link_sends_a_notice(make, anon, smtp, tr):  # noqa: F811
    person = make.user("resident", locale="en")
    anon().post("/wachtwoord-vergeten", data={"email": person.email})
    [reset] = smtp.to(person.email)
    word = next(w for w in parts(reset)[0].split() if "/wachtwoord-herstellen/" in w)
    anon().post(word[word.index("/wachtwoord-herstellen/"):],
                data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    subjects = [m["Subject"] for m in smtp.to(person.email)]
    assert subjects == [tr("en", "Samen: choose a new password"), tr("en", "Samen: your password was changed")]


def test_an_administrator_resetting_two_step_login_sends_a_notice(app, make, smtp, tr):  # noqa: F811
    staff = make.user("staff", locale="en")
    result = app.test_cli_runner().invoke(args=["accounts", "reset-two-factor", staff.email])
    assert result.exit_code == 0, result.output
    [notice] = smtp.to(staff.email)
    assert notice["Subject"] == tr("en", "Samen: your two-step login was reset")
