"""Command-line tasks: creating staff, expiring requests, loading reference data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Buurt, Category, PostcodeArea, Wijk

STAFF_PASSWORD = "consulent wachtwoord 2026"


def roles_of(email):
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    return None if user is None else set(user.roles)


def invoke(app, *args, password_input=f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n"):
    return app.test_cli_runner().invoke(args=list(args), input=password_input)


def test_create_staff_asks_the_password_twice_and_creates_a_staff_member(app, make, anon):
    result = invoke(app, "accounts", "create-staff", "Consulent@Example.org")
    assert result.exit_code == 0, result.output
    assert "Staff account ready: consulent@example.org (staff)" in result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert STAFF_PASSWORD not in result.output
    assert make.run(roles_of, "consulent@example.org") == {"staff"}

    client = anon("en")
    response = client.post("/inloggen", data={"email": "consulent@example.org", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inloggen/app-koppelen")  # sets up two-step login first


def test_create_staff_with_admin_flag_gives_both_roles(app, make):
    result = invoke(app, "accounts", "create-staff", "beheer@example.org", "--admin", "--first-name", "Beheer")
    assert result.exit_code == 0, result.output
    assert make.run(roles_of, "beheer@example.org") == {"staff", "admin"}


def test_create_staff_for_an_existing_person_adds_the_role(app, make):
    person = make.user("volunteer", email="vrijwilliger@example.org")
    result = invoke(app, "accounts", "create-staff", person.email)
    assert result.exit_code == 0, result.output
    assert make.run(roles_of, person.email) == {"volunteer", "staff"}
    assert make.count(User) == 1


def test_create_staff_refuses_a_bad_email(app, make):
    result = invoke(app, "accounts", "create-staff", "geen-adres")
    assert result.exit_code != 0
    assert "this is not an e-mail address" in result.output
    assert make.count(User) == 0


def test_create_staff_refuses_a_short_password(app, make):
    result = invoke(app, "accounts", "create-staff", "kort@example.org", password_input="kort\nkort\n")
    assert result.exit_code != 0
    assert "use at least 12 characters" in result.output
    assert make.count(User) == 0


def test_create_staff_refuses_two_different_passwords(app, make):
    result = invoke(app, "accounts", "create-staff", "twee@example.org",
                    password_input=f"{STAFF_PASSWORD}\niets heel anders hier\n")
    assert result.exit_code != 0
    assert make.count(User) == 0


def test_expire_closes_only_open_requests_past_their_date(app, make):
    resident = make.user("resident")
    old_open = make.request(resident)
    old_matched = make.matched(resident, make.user("volunteer"))
    fresh = make.request(resident)
    for row in (old_open, old_matched):
        make.set_request(row, expires_at=utcnow() - timedelta(days=1))

    result = invoke(app, "asks", "expire", password_input="")
    assert result.exit_code == 0 and "Expired 1 request(s)." in result.output

    def statuses():
        return dict(db.session.execute(select(HelpRequest.id, HelpRequest.status)).all())

    assert make.run(statuses) == {old_open.id: "expired", old_matched.id: "matched", fresh.id: "open"}
    assert "Expired 0 request(s)." in invoke(app, "asks", "expire", password_input="").output


def test_reference_load_is_idempotent(app, make):
    def counts():
        return [db.session.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Wijk, Buurt, PostcodeArea, Category)]

    before = make.run(counts)
    result = invoke(app, "reference", "load", password_input="")
    assert result.exit_code == 0 and "Reference data loaded." in result.output
    assert make.run(counts) == before
    assert all(before)


def test_create_staff_refuses_a_common_password(app, make):
    result = invoke(app, "accounts", "create-staff", "vaak@example.org",
                    password_input="Wachtwoord2026!\nWachtwoord2026!\n")
    assert result.exit_code != 0
    assert "common password" in result.output
    assert make.count(User) == 0


def test_a_database_without_tables_gets_a_clear_message_not_a_traceback(app, tmp_path):
    from tests.conftest import sibling_app

    empty = sibling_app(app, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    for args in (("reference", "load"), ("suggestions", "refresh"), ("reports", "refresh"), ("asks", "expire")):
        result = empty.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 2, (args, result.output)
        assert "the database cannot be used (no such table" in result.output, args
        assert isinstance(result.exception, SystemExit)  # the clean exit above, no other exception
