"""The audit log is append-only: every staff action is written with who, when and what; admins read it; nothing
can change or remove an entry (no route, no code path, and the ORM refuses)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from tests.conftest import visible
from webapp.core.audit import Action, AuditEntry, AuditImmutable, log_action
from webapp.core.extensions import db

WEBAPP = Path(__file__).resolve().parents[3] / "webapp"


def write_entry():
    entry = log_action(None, Action.EXPORT, "report", "2026-Q1", by="wijk")
    db.session.commit()
    return entry.id


def test_the_orm_refuses_to_change_an_entry(make):
    entry_id = make.run(write_entry)

    def change():
        db.session.get(AuditEntry, entry_id).action = "approve"
        db.session.commit()

    with pytest.raises(AuditImmutable):
        make.run(change)
    assert make.fetch(AuditEntry, entry_id, "action").action == "export"


def test_the_orm_refuses_to_delete_an_entry(make):
    entry_id = make.run(write_entry)

    def remove():
        db.session.delete(db.session.get(AuditEntry, entry_id))
        db.session.commit()

    with pytest.raises(AuditImmutable):
        make.run(remove)
    assert make.count(AuditEntry) == 1


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(action="approve"),
    delete(AuditEntry),
])
def test_bulk_updates_and_deletes_are_refused(make, statement):
    make.run(write_entry)

    def run():
        try:
            db.session.execute(statement)
        finally:
            db.session.rollback()

    with pytest.raises(AuditImmutable):
        make.run(run)
    assert make.count(AuditEntry) == 1


def test_no_route_changes_the_log(app, make, login):
    rules = [rule for rule in app.url_map.iter_rules() if "logboek" in rule.rule or "audit" in rule.endpoint]
    assert rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)
    make.run(write_entry)
    admin = login(make.user("staff", "admin").email)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(admin, method)("/werkruimte/logboek").status_code == 405
    assert make.count(AuditEntry) == 1


def test_no_code_path_updates_or_deletes_entries():
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|AuditEntry\.__table__\.(update|delete)")
    offenders = [str(path) for path in WEBAPP.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_admins_read_who_did_what_and_when(make, login):
    staff = make.user("staff", first_name="Sanne", last_name="de Wit")
    person = make.user("resident")
    login(staff.email).post(f"/werkruimte/personen/{person.public_id}/blokkeren", data={"reason": "Oplichting"})
    admin = login(make.user("staff", "admin").email)
    page = visible(admin.get("/werkruimte/logboek"))
    assert "Sanne de Wit" in page and "block" in page and person.public_id in page
    assert person.public_id in visible(admin.get("/werkruimte/logboek?action=block"))
    assert person.public_id not in visible(admin.get("/werkruimte/logboek?action=unblock"))

    def entry():
        row = db.session.execute(select(AuditEntry)).scalar_one()
        return row.actor_id, row.action, row.target_kind, row.created_at is not None, row.details

    assert make.run(entry) == (staff.id, "block", "person", True, {
        "reason": "Oplichting", "matches_ended": 0, "responses_withdrawn": 0, "offers_closed": 0})


def test_staff_opening_a_sensitive_request_is_logged_once_per_session(make, login):
    """NEN 7513: each view of a person's data once per session; a reload is the same view."""
    sensitive = make.request(make.user("resident"), category_key="paperwork")
    ordinary = make.request(make.user("resident"))
    staff = make.user("staff")
    client = login(staff.email)
    client.get(f"/vragen/{sensitive.public_id}")
    client.get(f"/vragen/{sensitive.public_id}")
    client.get(f"/vragen/{ordinary.public_id}")
    login(make.user("volunteer", screened=True).email).get(f"/vragen/{sensitive.public_id}")
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive") == 1
    login(staff.email).get(f"/vragen/{sensitive.public_id}")  # a new login is a new session: logged again
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive", AuditEntry.actor_id == staff.id,
                      AuditEntry.target_ref == sensitive.public_id) == 2


def test_reloading_the_moderation_queue_logs_each_request_once(make, login):
    held = make.request(make.user("resident"), title="Hulp met papieren", category_key="paperwork")
    make.set_request(held, moderation="held")
    client = login(make.user("staff").email)
    for _ in range(3):
        assert client.get("/werkruimte/moderatie").status_code == 200
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive", AuditEntry.target_ref == held.public_id) == 1


def test_opening_a_person_twice_in_a_session_is_logged_once(make, login):
    staff, volunteer = make.user("staff"), make.user("volunteer")
    client = login(staff.email)
    for _ in range(3):
        assert client.get(f"/werkruimte/personen/{volunteer.public_id}").status_code == 200
    assert make.count(AuditEntry, AuditEntry.action == "view_person", AuditEntry.target_ref == volunteer.public_id) == 1


def test_opening_a_persons_record_is_written_to_the_audit_log(make, login):
    staff, volunteer = make.user("staff"), make.user("volunteer")
    assert login(staff.email).get(f"/werkruimte/personen/{volunteer.public_id}").status_code == 200

    def entries():
        return [(e.action, e.actor_id, e.target_ref) for e in db.session.execute(select(AuditEntry)).scalars()]

    assert (Action.VIEW_PERSON, staff.id, volunteer.public_id) in make.run(entries)


def test_searching_volunteers_is_logged_with_who_was_shown_but_not_the_words(make, login):
    staff = make.user("staff")
    found = make.user("volunteer", first_name="Gerrit")
    make.user("volunteer", first_name="Anneke")
    assert login(staff.email).get("/werkruimte/vog?q=gerr").status_code == 200

    def entry():
        row = db.session.execute(select(AuditEntry).where(AuditEntry.action == Action.SEARCH_PEOPLE)).scalar_one()
        return row.actor_id, row.target_ref, row.details

    actor, target, details = make.run(entry)
    assert actor == staff.id and target == found.public_id and details["searched"] is True
    assert "gerr" not in str(details).lower()


# -- reading the log: filters, links, labels, export, who saw my data ---------------------------------------------

def test_the_log_filters_by_person_actor_action_and_date_with_links_and_labels(make, login, tr):
    admin = make.user("staff", "admin", email="beheer@vwc.example")
    colleague = make.user("staff", email="sanne@vwc.example")
    watched, other = make.user("volunteer"), make.user("volunteer")
    login(colleague.email).get(f"/werkruimte/personen/{watched.public_id}")
    login(colleague.email).get(f"/werkruimte/personen/{other.public_id}")
    client = login(admin.email, lang="nl")
    page = client.get(f"/werkruimte/logboek?person={watched.public_id}&actor=sanne@vwc.example&action=view_person"
                      f"&from=2000-01-01&to=2999-12-31")
    text = visible(page)
    assert page.status_code == 200
    table = page.get_data(as_text=True).split("<table", 1)[1]
    assert tr("nl", "Viewed a person's details") in text and "view_person" not in table  # labels, not codes
    assert f'href="/werkruimte/personen/{watched.public_id}"' in table
    assert other.public_id not in table
    export = client.get(f"/werkruimte/logboek.csv?person={watched.public_id}")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = export.get_data(as_text=True).lstrip("\ufeff").strip().splitlines()
    assert len(rows) == 2 and watched.public_id in rows[1] and tr("nl", "Viewed a person's details") in rows[1]
    assert make.count(AuditEntry, AuditEntry.action == "export", AuditEntry.target_kind == "audit_log") == 1


@pytest.mark.parametrize("query", ["person=niemand@example.org", "actor=geen@vwc.example", "from=31-12-2026"])
def test_a_filter_that_cannot_be_read_is_explained(make, login, tr, query):
    client = login(make.user("staff", "admin").email, lang="nl")
    page = client.get(f"/werkruimte/logboek?{query}")
    assert page.status_code == 200
    value = query.split("=", 1)[1]
    assert f'value="{value}"' in page.get_data(as_text=True)  # what was typed stays
    assert 'role="alert"' in page.get_data(as_text=True)


def test_who_saw_my_data_lists_views_of_the_person_and_their_requests(make, login, tr):
    resident = make.user("resident")
    sensitive = make.request(resident, category_key="paperwork")
    nosy = make.user("staff", first_name="Nieuwsgierig")
    client = login(nosy.email)
    client.get(f"/vragen/{sensitive.public_id}")
    client.get(f"/werkruimte/personen/{resident.public_id}")
    admin = login(make.user("staff", "admin").email, lang="nl")
    page = admin.get(f"/werkruimte/personen/{resident.public_id}/inzage")
    assert page.status_code == 200
    text = visible(page)
    assert "Nieuwsgierig" in text
    assert tr("nl", "Viewed a sensitive request") in text and tr("nl", "Viewed a person's details") in text
    assert login(nosy.email).get(f"/werkruimte/personen/{resident.public_id}/inzage").status_code == 403

    # The person's own data export answers the same question.
    import json
    own = json.loads(login(resident.email).get("/mijn/gegevens/download").get_data(as_text=True))
    seen = [e for e in own["audit_log"] if not e["by_you"]]
    assert {e["action"] for e in seen} == {"view_sensitive", "view_person"}
    assert all(e["by_staff"] == "Nieuwsgierig" for e in seen)


def test_the_intake_list_logs_each_resident_shown_once(make, login):
    from tests.webapp.staff.test_staff_intake import intake_form

    staff = make.user("staff")
    client = login(staff.email)
    assert client.post("/werkruimte/intake/nieuw", data=intake_form()).status_code == 302
    for _ in range(2):
        assert client.get("/werkruimte/intakes").status_code == 200
    assert make.count(AuditEntry, AuditEntry.action == "view_person", AuditEntry.actor_id == staff.id) == 1
