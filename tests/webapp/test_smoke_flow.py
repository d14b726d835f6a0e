"""The whole marketplace flow through the test client: post, respond, accept, contact, done, thanks."""

from __future__ import annotations

from tests.conftest import page_text


def test_resident_and_volunteer_complete_a_match(make, login):
    resident = make.user("resident", first_name="Ans", phone="06-11112222")
    volunteer = make.user("volunteer", first_name="Karim", phone="06-33334444")
    help_request = make.request(resident)
    rid = help_request.public_id

    volunteer_client = login(volunteer.email)
    page = page_text(volunteer_client.get(f"/vragen/{rid}"))
    assert "06-11112222" not in page and resident.email not in page

    assert volunteer_client.post(f"/vragen/{rid}/reageren", data={"message": "Ik kan woensdag."}).status_code == 302

    resident_client = login(resident.email)
    page = page_text(resident_client.get(f"/vragen/{rid}"))
    assert "Karim" in page and "Ik kan woensdag." in page
    assert "06-33334444" not in page

    (response_id,) = make.response_ids(help_request)
    assert resident_client.post(f"/vragen/{rid}/kiezen/{response_id}").status_code == 302

    page = page_text(resident_client.get(f"/vragen/{rid}"))
    assert "06-33334444" in page and volunteer.email in page
    page = page_text(volunteer_client.get(f"/vragen/{rid}"))
    assert "06-11112222" in page and resident.email in page

    assert volunteer_client.post(f"/vragen/{rid}/klaar").status_code == 302
    assert volunteer_client.post(f"/vragen/{rid}/bedanken", data={"message": "Graag gedaan", "hours": "1.5"}
                                 ).status_code == 302
    assert resident_client.post(f"/vragen/{rid}/bedanken", data={"message": "Dank je wel!"}).status_code == 302
    page = page_text(resident_client.get(f"/vragen/{rid}"))
    assert "Graag gedaan" in page
