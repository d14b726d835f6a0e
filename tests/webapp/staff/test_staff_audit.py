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


def test_staff_opening_a_sensitive_request_is_logged_once_per_view(make, login):
    sensitive = make.request(make.user("resident"), category_key="paperwork")
    ordinary = make.request(make.user("resident"))
    staff = make.user("staff")
    client = login(staff.email)
    client.get(f"/vragen/{sensitive.public_id}")
    client.get(f"/vragen/{sensitive.public_id}")
    client.get(f"/vragen/{ordinary.public_id}")
    login(make.user("volunteer", screened=True).email).get(f"/vragen/{sensitive.public_id}")
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive") == 2
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive", AuditEntry.actor_id == staff.id,
                      AuditEntry.target_ref == sensitive.public_id) == 2


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
        return row.actor_id, row.details

    actor, details = make.run(entry)
    assert actor == staff.id and details["shown"] == [found.public_id] and details["searched"] is True
    assert "gerr" not in str(details).lower()
