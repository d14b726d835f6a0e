"""Staff confirm an initiative before the world sees it (as volunteer centres check organisations): until then only
its organisers and staff see it, it is in no list, on no needs board and in no suggestion or digest, it cannot invite
co-organisers and sees no suggested volunteers. Staff confirm it from a queue in their workspace; the audit log says
who did."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.factories import snapshot
from tests.webapp import initiative_helpers as h
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.initiatives.models import Initiative, NeedInvitation
from webapp.notifications.models import Notification


def test_a_new_initiative_is_seen_only_by_its_organisers_and_staff_until_staff_confirm_it(make, login, anon, tr):
    organiser = make.user("organiser", locale="en")
    client = login(organiser.email)
    response = client.post("/initiatieven/nieuw", data={
        "name": "Buurtkamer Oost", "description": "Een huiskamer voor de buurt, met koffie en een krant.",
        "status": "active", "wijken": ["WK039218"], "goals": ["1"]})
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    mine = visible(client.get(f"/initiatieven/{public_id}"))
    assert tr("en", "The volunteer centre will look at your initiative soon. Until then only you and the other "
                    "organisers see it. You can already add what you need.") in mine
    ini = make.run(lambda: snapshot(db.session.execute(select(Initiative).where(
        Initiative.public_id == public_id)).scalar_one(), "id", "public_id", "name"))
    need = h.need(make, organiser, ini, title="Gastvrouwen gezocht", skills="koffie schenken")
    volunteer = make.user("volunteer", findable=True)
    for viewer in (anon("nl"), login(volunteer.email)):
        assert viewer.get(f"/initiatieven/{public_id}").status_code == 404
        assert viewer.get(f"/initiatieven/{public_id}/agenda.ics").status_code == 404
        for path in ("/initiatieven/", "/initiatieven/hulp-gezocht", "/vacatures"):
            assert "Buurtkamer Oost" not in visible(viewer.get(path)), path
    assert "Buurtkamer Oost" not in visible(login(volunteer.email).get("/aanbevolen/"))
    # Not even its organisers see suggested volunteers, nor can they invite one.
    assert volunteer.first_name not in page_text(client.get(f"/initiatieven/{public_id}"))
    assert client.post(f"/aanbevolen/initiatief/{public_id}/behoefte/{need.public_id}/uitnodigen/"
                       f"{volunteer.public_id}").status_code == 403
    assert make.count(NeedInvitation) == 0

    staff = login(make.user("staff", locale="en").email)
    queue = visible(staff.get("/werkruimte/initiatieven"))
    assert "Buurtkamer Oost" in queue
    assert staff.get(f"/initiatieven/{public_id}").status_code == 200
    assert staff.post(f"/werkruimte/initiatieven/{public_id}/bevestigen").status_code == 302
    assert make.count(AuditEntry, AuditEntry.action == "confirm_initiative", AuditEntry.target_ref == public_id) == 1
    assert make.count(Notification, Notification.user_id == organiser.id,
                      Notification.kind == "initiative_confirmed") == 1
    assert f"/werkruimte/initiatieven/{public_id}/bevestigen" not in page_text(staff.get("/werkruimte/initiatieven"))
    assert anon("nl").get(f"/initiatieven/{public_id}").status_code == 200
    assert "Buurtkamer Oost" in visible(anon("nl").get("/initiatieven/"))
    assert volunteer.first_name in page_text(client.get(f"/initiatieven/{public_id}"))


def test_only_staff_confirm(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, confirmed=False)
    for person in (organiser, make.user("volunteer"), make.user("organiser")):
        assert login(person.email).post(f"/werkruimte/initiatieven/{ini.public_id}/bevestigen").status_code == 403
        assert login(person.email).get("/werkruimte/initiatieven").status_code == 403
    assert make.fetch(Initiative, ini.id, "confirmed_at").confirmed_at is None
