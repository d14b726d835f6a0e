"""Explained suggestions both ways, invitations, interaction logging, and the model's lazy loading."""

from __future__ import annotations

import logging

from sqlalchemy import select

from tests.conftest import page_text
from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.asks.models import SuggestionEvent
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.suggestions.models import Invitation


def _profile(make, user, skills, languages=("nl",), screened=False, km=5.0, wijk_code="WK039218"):
    def update():
        row = db.session.get(User, user.id)
        from tests.factories import wijk

        accounts.update_volunteer_profile(row, accounts.VolunteerProfileData(
            skills=list(skills), languages=list(languages), postcode="2034 AB", wijk=wijk(wijk_code),
            max_distance_km=km, availability=["wed-morning"], bio=""))
        row.volunteer_profile.is_screened = screened
        db.session.commit()
    make.run(update)


def _events(make, outcome):
    return make.run(lambda: [(e.volunteer_id, e.request_id) for e in
                             db.session.execute(select(SuggestionEvent).where(SuggestionEvent.outcome == outcome))
                             .scalars()])


def test_volunteer_sees_explained_suggestions_across_languages(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer", locale="en")
    _profile(make, volunteer, ["groceries", "shopping"])
    groceries = make.request(resident, title="Boodschappen doen", description="Wie haalt mijn boodschapen?")
    make.request(resident, title="Hulp met formulieren", category_key="paperwork",
                 description="Ik begrijp de brief van de belasting niet.")

    page = page_text(login(volunteer.email).get("/aanbevolen/"))
    assert '<html lang="en" dir="ltr">' in page
    assert "Boodschappen doen" in page
    # The volunteer's own word, and the request's words it matched.
    assert "That fits your ‘groceries’." in page or "That fits your ‘shopping’." in page
    assert "Asked for: ‘Boodschappen" in page
    assert "Less than 100 m from you" in page and "You can help on Wednesday morning" in page  # the same wijk
    # A screening request never reaches an unscreened volunteer.
    assert "Hulp met formulieren" not in page
    assert (volunteer.id, groceries.id) in _events(make, "shown")


def test_reasons_are_in_dutch_by_default(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["boodschappen"])
    make.request(resident, title="Boodschappen doen")
    page = page_text(login(volunteer.email).get("/aanbevolen/"))
    assert '<html lang="nl" dir="ltr">' in page
    assert "woensdagochtend" in page  # the shared slot, as one Dutch word


def test_hard_rules_hold_in_suggestions(make, login):
    resident = make.user("resident")
    far = make.user("volunteer", wijk_code="WK039217")  # Spaarndam, far from Europawijk
    _profile(make, far, ["boodschappen"], km=1.0, wijk_code="WK039217")
    turkish_only = make.user("volunteer")
    _profile(make, turkish_only, ["boodschappen"], languages=("tr",))
    make.request(resident, title="Boodschappen doen")
    assert "Boodschappen doen" not in page_text(login(far.email).get("/aanbevolen/"))
    assert "Boodschappen doen" not in page_text(login(turkish_only.email).get("/aanbevolen/"))


def test_staff_see_suggested_volunteers_by_name_and_invite_one(make, login):
    resident = make.user("resident")
    helper = make.user("volunteer", first_name="Fatima", phone="06-99990000")
    _profile(make, helper, ["boodschappen"])
    help_request = make.request(resident, title="Boodschappen doen")
    client = login(make.user("staff").email)
    page = page_text(client.get(f"/vragen/{help_request.public_id}"))
    assert "Fatima" in page and "06-99990000" not in page and helper.email not in page
    helper_public = make.run(lambda: db.session.get(User, helper.id).public_id)
    response = client.post(f"/aanbevolen/{help_request.public_id}/uitnodigen/{helper_public}")
    assert response.status_code == 302
    assert make.run(lambda: db.session.execute(select(Invitation)).scalars().one().volunteer_id) == helper.id
    kinds = make.run(lambda: [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == helper.id)).scalars()])
    assert "invited" in kinds
    # The requester sees no name, and lets the volunteers know with one button instead (test_suggestions_reach).
    assert "Fatima" not in page_text(login(resident.email).get(f"/vragen/{help_request.public_id}"))


def test_only_staff_invite_by_name(make, login):
    resident = make.user("resident")
    other = make.user("resident")
    helper = make.user("volunteer")
    _profile(make, helper, ["boodschappen"])
    help_request = make.request(resident)
    helper_public = make.run(lambda: db.session.get(User, helper.id).public_id)
    for person in (other, resident):
        assert login(person.email).post(
            f"/aanbevolen/{help_request.public_id}/uitnodigen/{helper_public}").status_code == 403
    assert login(other.email).post(f"/aanbevolen/{help_request.public_id}/laten-weten").status_code == 403
    staff = make.user("staff")
    assert login(staff.email).post(
        f"/aanbevolen/{help_request.public_id}/uitnodigen/{helper_public}").status_code == 302


def test_cannot_invite_a_volunteer_the_rules_exclude(make, login):
    resident = make.user("resident")
    unscreened = make.user("volunteer")
    _profile(make, unscreened, ["administratie"])
    help_request = make.request(resident, category_key="paperwork", title="Hulp bij formulieren")
    public = make.run(lambda: db.session.get(User, unscreened.id).public_id)
    assert login(make.user("staff").email).post(
        f"/aanbevolen/{help_request.public_id}/uitnodigen/{public}").status_code == 403
    login(resident.email).post(f"/aanbevolen/{help_request.public_id}/laten-weten")
    assert make.count(Invitation) == 0


def test_open_respond_accept_and_done_are_logged(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["boodschappen"])
    help_request = make.request(resident)
    vclient = login(volunteer.email)
    vclient.get(f"/vragen/{help_request.public_id}?via=aanbevolen")
    vclient.post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ik help graag"})
    (response_id,) = make.response_ids(help_request)
    login(resident.email).post(f"/vragen/{help_request.public_id}/kiezen/{response_id}")
    vclient.post(f"/vragen/{help_request.public_id}/klaar")
    for outcome in ("opened", "responded", "accepted", "completed"):
        assert (volunteer.id, help_request.id) in _events(make, outcome), outcome


def test_a_broken_model_file_falls_back_to_cold_start_with_a_warning(app, make, login, tmp_path, caplog):
    broken = tmp_path / "model.bin"
    broken.write_bytes(b"not a model")
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["boodschappen"])
    make.request(resident, title="Boodschappen doen")
    old = app.config["MATCHING_MODEL_PATH"]
    app.config["MATCHING_MODEL_PATH"] = str(broken)
    try:
        with caplog.at_level(logging.WARNING):
            page = login(volunteer.email).get("/aanbevolen/")
    finally:
        app.config["MATCHING_MODEL_PATH"] = old
        app.extensions.pop("samen.matching_model", None)
    assert page.status_code == 200 and "Boodschappen doen" in page_text(page)
    assert any("cold-start" in record.getMessage() for record in caplog.records)


def test_flask_matching_train_writes_a_model_the_app_then_uses(app, make, login, tmp_path):
    resident = make.user("resident")
    volunteers = [make.user("volunteer") for _ in range(6)]
    for v in volunteers:
        _profile(make, v, ["boodschappen", "computer"])
    for n in range(12):
        req = make.request(resident, title=f"Boodschappen {n}")
        client = login(volunteers[n % 3].email)
        client.post(f"/vragen/{req.public_id}/reageren", data={"message": "Ik help"})
    out = tmp_path / "trained.bin"
    result = app.test_cli_runner().invoke(args=["suggestions", "train", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "interactions" in result.output
    old = app.config["MATCHING_MODEL_PATH"]
    app.config["MATCHING_MODEL_PATH"] = str(out)
    try:
        page = login(volunteers[4].email).get("/aanbevolen/")
        # 12 open requests, all within reach: the learned model ranks them and the page shows the top 10.
        assert page.status_code == 200 and page_text(page).count('class="reasons"') == 10
        with app.app_context():
            from webapp.suggestions.services import current_model

            assert current_model() is not None
    finally:
        app.config["MATCHING_MODEL_PATH"] = old
        app.extensions.pop("samen.matching_model", None)


def test_capped_candidates_keep_the_requests_that_fit_the_volunteers_skills(make, login, monkeypatch):
    """Candidates are generated by area and kind: with room for one candidate, an older request in the volunteer's
    skill wins over a newer one outside it (without the ordering the newest would be the only candidate)."""
    from webapp.suggestions import services as suggestions

    monkeypatch.setattr(suggestions, "MAX_CANDIDATES", 1)
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["garden"])
    make.request(resident, title="Tuin snoeien", category_key="garden")
    make.request(resident, title="Hond uitlaten", category_key="pets")  # newer, not a skill
    page = page_text(login(volunteer.email).get("/aanbevolen/"))
    assert "Tuin snoeien" in page and "Hond uitlaten" not in page


def test_capped_candidates_keep_the_volunteers_with_the_requests_skill(make, login, monkeypatch):
    from webapp.suggestions import services as suggestions

    monkeypatch.setattr(suggestions, "MAX_CANDIDATES", 1)
    resident = make.user("resident")
    gardener = make.user("volunteer", first_name="Gerda")
    _profile(make, gardener, ["garden"])
    other = make.user("volunteer", first_name="Otto")  # newer, other skills
    _profile(make, other, ["pets"])
    help_request = make.request(resident, title="Tuin snoeien", category_key="garden")
    page = page_text(login(make.user("staff").email).get(f"/vragen/{help_request.public_id}"))
    assert "Gerda" in page and "Otto" not in page
