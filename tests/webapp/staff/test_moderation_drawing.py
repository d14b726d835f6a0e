"""The moderation queue draws what its items' forms share once per page (issue #21): the reject reasons, the labels,
the CSRF field. Drawn by WTForms for every item, the reject <select> alone was about half of the page's CPU."""

from __future__ import annotations

import re
from typing import Any

import pytest
import wtforms.widgets

from tests.conftest import visible
from tests.webapp.staff.test_staff_moderation import decide, post
from webapp.staff.moderation import REJECT_REASONS

HELD = "Verdien snel geld met bitcoin, kijk op www.example.com"


@pytest.fixture
def queue(make: Any, login: Any) -> tuple[Any, list[str]]:
    """A staff member and four held requests."""
    client = login(make.user("resident").email)
    held = [post(client, title=f"Hulp met de computer {n}", description=f"{HELD} ({n})") for n in range(4)]
    return login(make.user("staff").email), held


def test_the_reject_reasons_are_drawn_once_per_page_not_per_item(queue: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    staff, held = queue
    drawn: list[str] = []
    for widget in (wtforms.widgets.Select, wtforms.widgets.TextArea, wtforms.widgets.HiddenInput):
        original = widget.__call__

        def counted(self: Any, field: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            drawn.append(field.name)
            return _original(self, field, *args, **kwargs)

        monkeypatch.setattr(widget, "__call__", counted)
    html = staff.get("/werkruimte/moderatie").get_data(as_text=True)
    assert len(held) == 4 and all(f'id="reason-{public_id}"' in html for public_id in held)
    assert len(drawn) <= 2, drawn  # the page's CSRF field (off in tests), whatever the number of items


def test_every_item_still_offers_every_reason_and_a_note(queue: Any, tr: Any) -> None:
    staff, held = queue
    html = staff.get("/werkruimte/moderatie").get_data(as_text=True)
    for public_id in held:
        form = html.split(f'action="/werkruimte/moderatie/request/{public_id}/afwijzen')[1].split("</form>")[0]
        select = re.search(rf'<select id="reason-{public_id}" name="reason" required>(.*?)</select>', form)
        assert select is not None
        assert re.findall(r'<option value="([^"]+)">', select.group(1)) == list(REJECT_REASONS)
        assert f'<textarea aria-describedby="note-{public_id}-hint" aria-invalid="false" id="note-{public_id}"' in form
    assert tr("nl", "The text is advertising or spam.") in visible(staff.get("/werkruimte/moderatie"))


def test_a_failed_rejection_is_drawn_with_its_error_and_the_other_items_without(queue: Any) -> None:
    staff, held = queue
    response = decide(staff, "request", held[1], "afwijzen", reason="bestaat-niet", note="Mijn notitie")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="reason-{held[1]}-error"' in html and "Mijn notitie</textarea>" in html
    assert f'id="reason-{held[0]}-error"' not in html
    assert html.count('aria-invalid="true"') == 1  # only the failed item's reason
    assert decide(staff, "request", held[0], "afwijzen", reason="spam", note="").status_code == 302
