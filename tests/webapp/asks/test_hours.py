"""Hours and thanks of a match: each side records once, the requester's figure counts, staff may correct it (and
that is in the audit log), and a thank-you clicked twenty times tells the other side once (issues #14, #15, #22)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import visible
from webapp.asks import services as asks
from webapp.asks.models import Match
from webapp.core.audit import Action, AuditEntry
from webapp.core.extensions import db
from webapp.notifications.models import Notification


@pytest.fixture
def done(make):
    resident, volunteer = make.user("resident", locale="en"), make.user("volunteer", locale="en")
    help_request = make.matched(resident, volunteer)

    def finish():
        row = asks.get_by_public_id(help_request.public_id)
        asks.mark_done(row.requester, row)
        db.session.commit()

    make.run(finish)
    return resident, volunteer, help_request


def match_state():
    match = db.session.execute(select(Match)).scalar_one()
    return match.hours, match.requester_hours, match.volunteer_hours, match.requester_thanks, match.volunteer_thanks


def thanks_notes(user_id):
    return len(db.session.execute(select(Notification).where(Notification.user_id == user_id,
                                                             Notification.kind == "thanks")).scalars().all())


def test_twenty_thanks_clicks_tell_the_other_side_once(make, login, done, tr):
    resident, volunteer, help_request = done
    client = login(resident.email)
    for n in range(20):
        response = client.post(f"/vragen/{help_request.public_id}/bedanken", data={"message": f"Dank! {n}"})
        assert response.status_code == 302
    assert make.run(thanks_notes, volunteer.id) == 1
    assert make.run(match_state)[3] == "Dank! 0"
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "You already said thanks. Thank you!") in page
    helper = login(volunteer.email)
    for _ in range(20):
        helper.post(f"/vragen/{help_request.public_id}/bedanken", data={"message": "Graag gedaan"})
    assert make.run(thanks_notes, resident.id) == 1


def test_each_side_records_hours_once_and_the_requesters_figure_counts(make, login, done):
    """Used to be: either side overwrote the hours of the match as often as they liked (200 h, again and again),
    and whoever recorded second silently replaced the first figure."""
    resident, volunteer, help_request = done
    helper = login(volunteer.email)
    helper.post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "200"})
    assert make.run(match_state)[:3] == (200, None, 200)
    helper.post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "200"})
    helper.post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "150"})
    assert make.run(match_state)[:3] == (200, None, 200)

    requester = login(resident.email)
    requester.post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "2,5", "message": "Top!"})
    assert make.run(match_state)[:3] == (2.5, 2.5, 200)
    requester.post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "40"})
    assert make.run(match_state)[:3] == (2.5, 2.5, 200)


def test_the_volunteers_figure_does_not_replace_the_requesters(make, login, done):
    resident, volunteer, help_request = done
    login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "1,5"})
    login(volunteer.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "12"})
    assert make.run(match_state)[:3] == (1.5, 1.5, 12)


def test_staff_correct_the_hours_and_it_is_in_the_audit_log(make, login, done, tr):
    resident, volunteer, help_request = done
    login(volunteer.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "200"})
    staff = make.user("staff", locale="en")
    client = login(staff.email)
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "Counted in the reports") in page
    response = client.post(f"/werkruimte/vragen/{help_request.public_id}/uren", data={"hours": "3,5"})
    assert response.status_code == 302
    assert make.run(match_state)[0] == 3.5
    # The requester's figure, written later, no longer replaces a staff correction.
    login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "8"})
    assert make.run(match_state)[:2] == (3.5, 8)

    def entry():
        row = db.session.execute(select(AuditEntry).where(AuditEntry.action == Action.CORRECT_HOURS)).scalar_one()
        return row.actor_id, row.target_ref, row.details

    assert make.run(entry) == (staff.id, help_request.public_id, {"before": 200, "after": 3.5})


def test_only_staff_correct_hours_and_only_for_help_that_is_done(make, login, done):
    resident, volunteer, help_request = done
    for person in (resident, volunteer):
        assert login(person.email).post(f"/werkruimte/vragen/{help_request.public_id}/uren",
                                        data={"hours": "1"}).status_code == 403
    staff = make.user("staff")
    open_request = make.request(make.user("resident"))
    login(staff.email).post(f"/werkruimte/vragen/{open_request.public_id}/uren", data={"hours": "1"})
    assert make.run(match_state)[0] is None


def test_the_reports_count_the_requesters_figure(make, login, done):
    from datetime import timedelta

    from webapp.core.ids import utcnow
    from webapp.reports.services import load_facts

    resident, volunteer, help_request = done
    login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "2"})
    login(volunteer.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "200"})
    today = utcnow().date()
    facts = make.run(load_facts, today - timedelta(days=1), today + timedelta(days=1))
    assert [fact.hours for fact in facts.requests] == [2.0]


def test_a_refused_correction_shows_the_request_page_with_the_error_and_what_was_typed(make, login, done, tr):
    _resident, _volunteer, help_request = done
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.post(f"/werkruimte/vragen/{help_request.public_id}/uren", data={"hours": "veel"})
    assert response.status_code == 400
    assert 'value="veel"' in response.get_data(as_text=True)
    assert tr("en", "Counted in the reports") in visible(response)
    response = client.post(f"/werkruimte/vragen/{help_request.public_id}/uren", data={"hours": "500"})
    assert response.status_code == 400
    assert tr("en", "Fill in a number of hours from 0 to 200.") in visible(response)
    assert make.run(match_state)[0] is None
