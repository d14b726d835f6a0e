"""The first visit (issue #15): a postcode never costs a second round, one password typed once, and every way in
("ask for help", "I want to help", "respond to this request", "join this initiative") ends, after the e-mail link,
back where the person was, with the role that way implies."""

from __future__ import annotations

import re

import pytest

from tests.conftest import complete_second_step, csrf_token, page_text, visible
from tests.factories import PASSWORD
from tests.webapp.accounts.test_accounts import confirmation_link, registration, stored_user
from tests.webapp.mail_helpers import smtp  # noqa: F401 (a fixture)

SHARED = {"2021": ("WK039211", "WK039210", "WK039212"), "2034": ("WK039218", "WK039220", "WK039208")}


def wijk_select(html):
    found = re.search(r'<select[^>]*name="wijk".*?</select>', html, re.S)
    assert found, "no wijk choice on the page"
    return found.group(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_empty_sign_up_form_asks_the_wijk_of_every_shared_postcode_on_the_same_page(anon, lang):
    html = page_text(anon(lang).get("/registreren"))
    select = wijk_select(html)
    for pc4, codes in SHARED.items():
        assert f"{pc4}" in select
        for code in codes:
            assert f'value="{code}"' in select
    assert 'value="WK039202"' not in select  # 2012 lies in one wijk only: nothing to choose


def test_a_shared_postcode_without_a_wijk_signs_up_in_one_go_with_the_most_likely_wijk(anon, make, tr):
    client = anon("en")
    response = client.post("/registreren", data=registration(postcode="2034 AB"))
    assert response.status_code == 200
    page = visible(response)
    assert tr("en", "Almost done: check your e-mail") in page
    assert make.run(stored_user, "fatima@example.org")["wijk"] == "WK039218"  # Europawijk: most addresses of 2034
    # The page says which neighbourhood was taken, and that it can be changed.
    assert "Europawijk" in page


def test_a_shared_postcode_with_its_wijk_chosen_keeps_that_wijk(anon, make):
    response = anon("nl").post("/registreren", data=registration(postcode="2034 AB", wijk="WK039220"))
    assert response.status_code == 200
    assert make.run(stored_user, "fatima@example.org")["wijk"] == "WK039220"


def test_a_wijk_that_does_not_fit_the_postcode_does_not_cost_a_round_either(anon, make):
    """A choice left from an earlier postcode: the postcode typed decides."""
    response = anon("nl").post("/registreren", data=registration(postcode="2034 AB", wijk="WK039202"))
    assert response.status_code == 200
    assert make.run(stored_user, "fatima@example.org")["wijk"] == "WK039218"


def test_a_form_that_comes_back_shows_only_the_wijken_of_the_shared_postcode_typed(anon):
    response = anon("nl").post("/registreren", data=registration(postcode="2034", first_name=""))
    select = wijk_select(page_text(response))
    assert {m for m in re.findall(r'value="(WK\d+)"', select)} == set(SHARED["2034"])


def profile_of(email):
    from sqlalchemy import select

    from webapp.accounts.models import User
    from webapp.core.extensions import db

    user = db.session.execute(select(User).where(User.email == email)).scalar_one()
    profile = user.volunteer_profile
    return {"roles": set(user.roles), "skills": list(profile.skills) if profile else None,
            "languages": list(profile.languages) if profile else None}


def volunteer_sign_up(**overrides):
    data = registration(skills="boodschappen, computerhulp", languages=["nl", "en"])
    data.pop("roles")
    data.update(overrides)
    return data


# -- every way in lands back where the person was, with the role it implies -----------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_i_want_to_help_on_the_home_page_signs_up_a_volunteer(anon, tr, lang):
    html = page_text(anon(lang).get("/"))
    assert "/registreren?rol=vrijwilliger" in html
    assert "/vragen/hulp-vragen" in html  # asking for help: the request and the account on one page


def test_i_want_to_help_makes_a_volunteer_with_a_profile_and_no_role_question(anon, make, smtp):  # noqa: F811
    client = anon("nl")
    form = page_text(client.get("/registreren?rol=vrijwilliger&next=/aanbevolen/"))
    assert 'name="roles"' not in form and 'name="skills"' in form and 'name="languages"' in form
    # Even a role checkbox slipped into the post cannot turn the volunteer entry into a resident one.
    response = client.post("/registreren?rol=vrijwilliger&next=/aanbevolen/",
                           data=volunteer_sign_up(roles=["resident"]))
    assert response.status_code == 200
    stored = make.run(profile_of, "fatima@example.org")
    assert stored["roles"] == {"volunteer"}
    assert stored["skills"] == ["boodschappen", "computerhulp"]
    assert stored["languages"] == ["nl", "en"]
    landed = client.get(confirmation_link(smtp))
    assert landed.status_code == 302 and landed.headers["Location"].endswith("/aanbevolen/")


def test_respond_to_this_request_signs_up_a_volunteer_and_comes_back_to_the_request(anon, make, smtp):  # noqa: F811
    requester = make.user("resident")
    help_request = make.request(requester)
    client = anon("en")
    page = page_text(client.get(f"/vragen/{help_request.public_id}"))
    entry = f"/registreren?rol=vrijwilliger&amp;next=/vragen/{help_request.public_id}"
    assert entry in page
    assert client.post(entry.replace("&amp;", "&"), data=volunteer_sign_up()).status_code == 200
    landed = client.get(confirmation_link(smtp))
    assert landed.headers["Location"].endswith(f"/vragen/{help_request.public_id}")
    # Logged in, confirmed, a volunteer: the response form is there.
    assert 'name="message"' in page_text(client.get(landed.headers["Location"]))


def test_ask_for_help_signs_up_a_resident_and_the_link_opens_the_request_form(anon, make, smtp):  # noqa: F811
    client = anon("nl")
    form = page_text(client.get("/registreren?rol=bewoner&next=/vragen/nieuw"))
    assert 'name="roles"' not in form and 'name="skills"' not in form
    data = registration()
    data.pop("roles")
    assert client.post("/registreren?rol=bewoner&next=/vragen/nieuw", data=data).status_code == 200
    assert make.run(profile_of, "fatima@example.org")["roles"] == {"resident"}
    landed = client.get(confirmation_link(smtp))
    assert landed.headers["Location"].endswith("/vragen/nieuw")
    assert client.get("/vragen/nieuw").status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/x", "//evil.example", "/\\evil.example"])
def test_the_link_never_leads_off_the_site(anon, smtp, evil):  # noqa: F811
    client = anon("nl")
    client.post("/registreren", query_string={"rol": "vrijwilliger", "next": evil}, data=volunteer_sign_up())
    landed = client.get(confirmation_link(smtp))
    assert landed.status_code == 302
    assert "evil.example" not in landed.headers["Location"]


def test_an_unknown_role_in_the_link_cannot_grant_staff(anon, make):
    client = anon("nl")
    data = registration(roles=["resident"])
    client.post("/registreren?rol=staff", data=data)
    assert make.run(profile_of, "fatima@example.org")["roles"] == {"resident"}


def test_staff_land_on_their_workspace_after_logging_in(app, anon, make):
    staff = make.user("staff")
    client = anon("nl")
    response = client.post("/inloggen", data={"email": staff.email, "password": PASSWORD})
    last = complete_second_step(app, client, response, staff.email)
    assert last.headers["Location"].endswith("/werkruimte/")


def test_residents_still_land_on_their_own_page_after_logging_in(anon, make):
    person = make.user("resident")
    response = anon("nl").post("/inloggen", data={"email": person.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/mijn")


def test_a_response_typed_before_the_address_is_confirmed_is_back_after_the_link(anon, make, smtp):  # noqa: F811
    help_request = make.request(make.user("resident"))
    path = f"/vragen/{help_request.public_id}"
    client = anon("nl")
    client.post("/registreren", query_string={"rol": "vrijwilliger", "next": path}, data=volunteer_sign_up())
    assert client.post("/inloggen", data={"email": "fatima@example.org",
                                          "password": registration()["password"]}).status_code == 302
    typed = "Ik kan zaterdag de boodschappen doen."
    refused = client.post(f"{path}/reageren", data={"message": typed, "csrf_token": token(client, path)})
    assert refused.status_code == 403 and typed in page_text(refused)
    assert make.run(lambda: len(asks_responses(help_request.public_id))) == 0
    landed = client.get(confirmation_link(smtp))
    assert landed.headers["Location"].endswith(path)
    assert typed in page_text(client.get(path))  # kept in this browser, ready to send
    # A shared computer: after logging out, the next person does not find it.
    client.post("/uitloggen", data={"csrf_token": token(client, path)})
    other = make.user("volunteer")
    assert client.post("/inloggen", data={"email": other.email, "password": PASSWORD}).status_code == 302
    assert typed not in page_text(client.get(path))


def asks_responses(public_id):
    from webapp.asks import services

    row = services.get_by_public_id(public_id)
    return list(row.responses)


def token(client, path):
    return csrf_token(page_text(client.get(path)))


def test_the_link_logs_in_even_when_an_older_response_wrote_back_the_session(anon, smtp):  # noqa: F811
    """A response under way during the sign-up (the service worker's first fetch, on a slow phone) sets the session
    cookie it had before: the sign-up's nonce is gone from the session. The link still logs in in this browser."""
    client = anon("nl")
    client.post("/registreren?rol=bewoner&next=/vragen/nieuw", data=registration())
    assert client.get_cookie("session") is not None
    client.delete_cookie("session")  # the late response's Set-Cookie: the session from before the sign-up
    landed = client.get(confirmation_link(smtp))
    assert landed.headers["Location"].endswith("/vragen/nieuw")
    assert client.get("/vragen/nieuw").status_code == 200


def test_a_browser_with_its_own_sign_up_is_not_logged_in_by_someone_elses_link(anon, smtp):  # noqa: F811
    mine, theirs = anon("nl"), anon("nl")
    theirs.post("/registreren", data=registration(email="someone@example.org"))
    mine.post("/registreren", data=registration(email="me@example.org"))  # this browser holds a nonce: another one
    landed = mine.get(confirmation_link(smtp, "someone@example.org"))
    assert "/inloggen" in landed.headers["Location"]  # confirmed, not logged in
