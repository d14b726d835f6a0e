"""A hand-over the resident is not told about (a Veilig Thuis hand-over, the notice held back): a housemate who picks
up the resident's phone, already logged in, must find nothing that reveals it, on the request's page, on "my page",
in the messages and e-mails, or in the download of the resident's own data (withheld under art. 23 AVG / art. 41
UAVG while it could harm them). The matched helper, a neighbour, hears only that the request closed. Staff see
everything, with a note of what the resident is not shown."""

from __future__ import annotations

import json

from tests.conftest import visible
from tests.webapp.mail_helpers import smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.staff.test_handover_referrals import handover_form
from webapp.notifications.models import Notification

PARTNER = "Veilig Thuis"
# What would tell a housemate that a professional took the request on.
GIVEAWAYS = ("A professional will help you further", "Passed on to a professional",
             "The volunteer centre has asked a professional to help you. They will contact you soon.")


def hand_over_quietly(make, login, *, notice: str = "auto", with_helper: bool = False):
    """Ria's request, handed over on the Veilig Thuis ground (the notice held back by default); her client, logged
    in as she is on her phone, and the helper's, if she had one."""
    owner = make.user("resident", first_name="Ria", locale="en")
    helper = make.user("volunteer", first_name="Henk", locale="en") if with_helper else None
    help_request = (make.matched(owner, helper, title="Hulp met brieven") if helper is not None
                    else make.request(owner, title="Hulp met brieven"))
    staff = login(make.user("staff", first_name="Sanne").email)
    response = staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
                          data=handover_form(partner=PARTNER, basis="safety", consent_on="", shared_fields=[],
                                             notice=notice))
    assert response.status_code == 302, visible(response)[:600]
    return owner, helper, help_request, staff


def _housemate_sees(client, tr, help_request) -> str:
    """Everything a housemate reads with the resident's login: the request, my page, the messages."""
    pages = [visible(client.get(path)) for path in
             (f"/vragen/{help_request.public_id}", "/mijn", "/berichten/")]
    return "\n".join(pages)


def test_a_housemate_with_the_residents_login_sees_the_request_closed_and_nothing_of_the_handover(
        make, login, tr, smtp):  # noqa: F811
    owner, _helper, help_request, _staff = hand_over_quietly(make, login)
    client = login(owner.email, lang="en")
    seen = _housemate_sees(client, tr, help_request)
    for giveaway in GIVEAWAYS:
        assert tr("en", giveaway) not in seen, giveaway
    assert "status-handed_over" not in seen and PARTNER not in seen and "professional" not in seen.lower()
    request_page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "Closed") in request_page
    assert smtp.to(owner.email) == []


def test_the_residents_own_data_download_withholds_the_handover(make, login):
    owner, _helper, help_request, _staff = hand_over_quietly(make, login)
    data = json.loads(login(owner.email, lang="en").get("/mijn/gegevens/download").get_data(as_text=True))
    mine = next(r for r in data["requests"] if r["id"] == help_request.public_id)
    assert mine["status"] == "closed"
    text = json.dumps(data)
    assert "handover" not in text and "handed_over" not in text and "referral" not in text and PARTNER not in text


def test_the_matched_helper_hears_only_that_the_request_closed(make, login, tr):
    _owner, helper, _request, _staff = hand_over_quietly(make, login, with_helper=True)
    assert make.count(Notification, Notification.user_id == helper.id, Notification.kind == "helper_handed_over") == 0
    assert make.count(Notification, Notification.user_id == helper.id,
                      Notification.kind == "helper_request_closed") == 1
    messages = visible(login(helper.email, lang="en").get("/berichten/"))
    assert tr("en", "The volunteer centre has closed “%(title)s”. Your help is no longer needed there. Thank you "
                    "for what you did!", title="Hulp met brieven") in messages
    assert "professional" not in messages.lower()


def test_staff_see_the_handover_and_what_the_resident_is_not_shown(make, login, tr):
    _owner, _helper, help_request, staff = hand_over_quietly(make, login)
    page = visible(staff.get(f"/vragen/{help_request.public_id}"))
    assert PARTNER in page
    assert "art. 23 AVG" in page and "status-handed_over" in page


def test_a_resident_who_is_told_still_reads_that_a_professional_will_help(make, login, tr):
    owner, _helper, help_request, _staff = hand_over_quietly(make, login, notice="send")
    client = login(owner.email, lang="en")
    assert tr("en", "A professional will help you further") in visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "A professional will help you further") in visible(client.get("/mijn"))
    data = json.loads(client.get("/mijn/gegevens/download").get_data(as_text=True))
    assert next(r for r in data["requests"] if r["id"] == help_request.public_id)["status"] == "handed_over"
