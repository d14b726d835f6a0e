"""Two-step login for staff and admins: a code from an authenticator app (TOTP), set up at the first login, with
one-time recovery codes. Until the second step is done, nobody is logged in."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.conftest import complete_second_step, page_text, visible
from tests.factories import PASSWORD, TOTP_SECRET
from tests.webapp.auth_helpers import clock  # noqa: F401 (a fixture)
from webapp.accounts import two_factor
from webapp.accounts.models import RecoveryCode
from webapp.accounts.services import find_by_email
from webapp.core.extensions import db

WRONG_CODE = "This code is not right, or it was used already. Type the newest code from your app."


def password_step(client, email, password=PASSWORD):
    response = client.post("/inloggen", data={"email": email, "password": password})
    assert response.status_code == 302
    return response


def unused_wrong_code(secret):
    """A 6-digit code that is not valid now, nor 30 seconds before or after."""
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + offset) for offset in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def forget_last_step(app, email):
    with app.app_context():
        find_by_email(email).totp_last_step = None
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_after_the_password_a_staff_member_is_not_logged_in_yet(make, anon, role):
    staff = make.user("staff", role)
    client = anon("en")
    response = password_step(client, staff.email)
    assert response.headers["Location"].endswith("/inloggen/code")
    for page in ("/werkruimte/", "/mijn", "/mijn/account", "/berichten/"):
        blocked = client.get(page)
        assert blocked.status_code == 302 and "/inloggen" in blocked.headers["Location"], page
    complete_second_step(client.application, client, response, staff.email)
    assert client.get("/werkruimte/").status_code == 200


def test_a_resident_logs_in_with_the_password_alone(make, anon):
    resident = make.user()
    client = anon()
    assert password_step(client, resident.email).headers["Location"].endswith("/mijn")
    assert client.get("/mijn").status_code == 200


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_wrong_code_is_refused(make, anon, tr, lang):
    staff = make.user("staff")
    client = anon(lang)
    password_step(client, staff.email)
    response = client.post("/inloggen/code", data={"code": unused_wrong_code(TOTP_SECRET)})
    assert response.status_code == 200 and tr(lang, WRONG_CODE) in visible(response)
    assert client.get("/werkruimte/").status_code == 302


def test_a_code_cannot_be_used_twice(app, make, anon, tr):
    staff = make.user("staff")
    forget_last_step(app, staff.email)
    code = pyotp.TOTP(TOTP_SECRET).now()
    first = anon("en")
    password_step(first, staff.email)
    assert first.post("/inloggen/code", data={"code": code}).status_code == 302
    second = anon("en")  # someone who saw the code over the shoulder
    password_step(second, staff.email)
    replay = second.post("/inloggen/code", data={"code": code})
    assert replay.status_code == 200 and tr("en", WRONG_CODE) in visible(replay)
    assert second.get("/werkruimte/").status_code == 302


def test_an_older_code_after_a_newer_one_is_refused(app, make):
    """Codes of the 30 seconds before and after are accepted (clock drift), but never one older than the last."""
    staff = make.user("staff")
    now = time.time()
    with app.app_context():
        user = find_by_email(staff.email)
        user.totp_last_step = None
        totp = pyotp.TOTP(TOTP_SECRET)
        assert two_factor.verify_code(user, totp.at(now + 30), now)
        assert not two_factor.verify_code(user, totp.at(now), now)
        assert not two_factor.verify_code(user, totp.at(now - 30), now)
        assert not two_factor.verify_code(user, totp.at(now + 90), now)  # too far ahead
        db.session.rollback()
        db.session.remove()


def test_a_recovery_code_works_once(app, make, anon, tr):
    staff = make.user("staff", locale="en")  # after login the page speaks the person's language
    with app.app_context():
        codes = two_factor.new_recovery_codes(find_by_email(staff.email))
        db.session.commit()
        db.session.remove()
    assert len(codes) == 10 and len(set(codes)) == 10
    client = anon("en")
    password_step(client, staff.email)
    used = client.post("/inloggen/code", data={"code": codes[3].lower().replace("-", " ")})
    assert used.status_code == 302
    page = client.get("/werkruimte/")
    assert page.status_code == 200
    assert tr("en", "You logged in with a recovery code. You have %(num)d code left.",
              "You logged in with a recovery code. You have %(num)d codes left.", num=9) in visible(page)

    again = anon("en")
    password_step(again, staff.email)
    refused = again.post("/inloggen/code", data={"code": codes[3]})
    assert refused.status_code == 200 and tr("en", WRONG_CODE) in visible(refused)
    assert again.post("/inloggen/code", data={"code": codes[4]}).status_code == 302
    stored = {row.code_hash for row in make.run(lambda: db.session.query(RecoveryCode).all())}
    assert len(stored) == 10 and not any(code in stored or code.replace("-", "") in stored for code in codes)


def test_another_persons_recovery_code_does_not_work(app, make, anon):
    one, other = make.user("staff"), make.user("staff")
    with app.app_context():
        codes = two_factor.new_recovery_codes(find_by_email(other.email))
        db.session.commit()
        db.session.remove()
    client = anon()
    password_step(client, one.email)
    assert client.post("/inloggen/code", data={"code": codes[0]}).status_code == 200


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_without_an_app_set_it_up_before_any_page(app, make, anon, tr, lang):
    staff = make.user("staff", locale=lang)  # after login the page speaks the person's language
    make.run(lambda: setattr(find_by_email(staff.email), "totp_secret", None) or db.session.commit())
    client = anon(lang)
    assert password_step(client, staff.email).headers["Location"].endswith("/inloggen/app-koppelen")
    assert client.get("/werkruimte/").status_code == 302
    assert client.get("/inloggen/code").headers["Location"].endswith("/inloggen/app-koppelen")

    page = client.get("/inloggen/app-koppelen")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page_text(page)
    assert tr(lang, "Set up two-step login") in visible(page)
    main = html[html.index("<main"):html.index("</main>")]
    assert '<svg role="img"' in main and "<script" not in main
    assert f"<title>{tr(lang, 'QR code to scan with your authenticator app')}</title>" in main
    secret = re.search(r'class="secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    reloaded = re.search(r'class="secret">([A-Z2-7 ]+)<', page_text(client.get("/inloggen/app-koppelen")))
    assert reloaded.group(1).replace(" ", "") == secret  # the same secret until it is confirmed

    wrong = client.post("/inloggen/app-koppelen", data={"code": unused_wrong_code(secret)})
    assert tr(lang, "This code is not right. Type the code that the app shows now.") in visible(wrong)
    assert client.get("/werkruimte/").status_code == 302

    done = client.post("/inloggen/app-koppelen", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and "/mijn/herstelcodes" in done.headers["Location"]
    codes_page = client.get(done.headers["Location"])
    assert codes_page.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</li>", page_text(codes_page))
    assert len(codes) == 10
    shown_again = client.get("/mijn/herstelcodes")
    assert not re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page_text(shown_again))
    assert tr(lang, "You have %(num)d recovery code left.", "You have %(num)d recovery codes left.", num=10) \
        in visible(shown_again)
    assert client.get("/werkruimte/").status_code == 200
    assert make.run(lambda: find_by_email(staff.email).totp_secret) == secret


def test_the_waiting_second_step_expires(app, make, anon, monkeypatch):
    staff = make.user("staff")
    client = anon()
    password_step(client, staff.email)
    later = time.time() + 11 * 60
    monkeypatch.setattr("webapp.accounts.views.time.time", lambda: later)
    response = client.post("/inloggen/code", data={"code": pyotp.TOTP(TOTP_SECRET).at(later)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen")
    assert client.get("/werkruimte/").status_code == 302


def test_a_session_without_the_second_step_is_ended_when_someone_becomes_staff(app, make, login, tr):
    person = make.user()
    client = login(person.email, lang="en")
    assert client.get("/mijn").status_code == 200
    with app.app_context():
        find_by_email(person.email).add_role("staff")
        db.session.commit()
        db.session.remove()
    response = client.get("/mijn")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert client.get("/mijn").status_code == 302  # logged out, not just redirected


def test_wrong_codes_back_off_after_five(app, make, anon, tr, clock):  # noqa: F811
    staff = make.user("staff")
    forget_last_step(app, staff.email)
    client = anon("en")
    password_step(client, staff.email)
    for _ in range(5):
        assert client.post("/inloggen/code", data={"code": unused_wrong_code(TOTP_SECRET)}).status_code == 200
    refused = client.post("/inloggen/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert refused.status_code == 429 and tr("en", "Too many attempts") in visible(refused)
    clock.advance(15 * 60 + 1)
    password_step(client, staff.email)
    assert client.post("/inloggen/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()}).status_code == 302


def test_totp_code_command_prints_the_code_outside_production(app, make, monkeypatch):
    staff = make.user("staff")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "totp-code", staff.email])
    assert result.exit_code == 0 and result.output.strip() in {
        pyotp.TOTP(TOTP_SECRET).at(time.time() + offset) for offset in (-30, 0, 30)}
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    refused = runner.invoke(args=["accounts", "totp-code", staff.email])
    assert refused.exit_code != 0 and "production" in refused.output


def test_reset_two_factor_command_sends_staff_back_to_set_up(app, make, anon):
    staff = make.user("staff")
    result = app.test_cli_runner().invoke(args=["accounts", "reset-two-factor", staff.email])
    assert result.exit_code == 0, result.output
    assert password_step(anon(), staff.email).headers["Location"].endswith("/inloggen/app-koppelen")


def test_recovery_codes_are_stored_keyed_and_salted_not_as_plain_hashes(app, make):
    """ASVS 2.6.2: 80-bit codes need a salt: a plain SHA-256 of each code could be looked up from a copied table."""
    import hashlib

    staff = make.user("staff")
    with app.app_context():
        user = find_by_email(staff.email)
        codes = two_factor.new_recovery_codes(user)
        db.session.commit()
        stored = {row.code_hash for row in db.session.query(RecoveryCode).all()}
        plain = {hashlib.sha256(two_factor.normalise(code).encode()).hexdigest() for code in codes}
        db.session.remove()
    assert len(stored) == 10 and not stored & plain


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_land_on_their_workspace_after_logging_in(make, anon, role):
    staff = make.user("staff", role)
    client = anon("en")
    response = password_step(client, staff.email)
    last = complete_second_step(client.application, client, response, staff.email)
    assert last.headers["Location"].endswith("/werkruimte/")
    assert client.get("/inloggen").headers["Location"].endswith("/werkruimte/")  # already logged in: the same


def test_a_link_to_a_staff_page_still_leads_there_after_logging_in(make, anon):
    staff = make.user("staff")
    client = anon("en")
    response = client.post("/inloggen?next=/werkruimte/vog", data={"email": staff.email, "password": PASSWORD})
    assert complete_second_step(client.application, client, response, staff.email).headers["Location"].endswith(
        "/werkruimte/vog")
