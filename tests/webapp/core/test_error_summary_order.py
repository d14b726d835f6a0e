"""The list of mistakes at the top of a form follows the order of the fields on the page.

Forms with a postcode declare it in a shared mixin, so it used to be listed first ("fill in your postcode" above
"fill in your first name", while the first name is the first field on screen)."""

from __future__ import annotations

import re

import pytest

SUMMARY_RE = re.compile(r'<div class="error-summary".*?</div>', re.S)
LINK_RE = re.compile(r'<a href="#([\w-]+)">')


def summary_and_page_order(html: str) -> tuple[list[str], list[str]]:
    """The field ids in the summary, and the same ids sorted by where the field is on the page."""
    found = SUMMARY_RE.search(html)
    assert found, "no error summary on the page"
    linked = LINK_RE.findall(found.group(0))
    form = html[found.end():]
    positions = {}
    for field_id in linked:
        match = re.search(rf'\sid="{re.escape(field_id)}"', form)
        assert match, f"the summary links to #{field_id}, which is not on the page"
        positions[field_id] = match.start()
    return linked, sorted(linked, key=positions.__getitem__)


def test_registration_lists_the_first_name_before_the_postcode(client):
    html = client.post("/registreren", data={"first_name": "", "email": "", "postcode": "1234"}).get_data(as_text=True)
    linked, on_page = summary_and_page_order(html)
    assert linked[:2] == ["first_name", "email"]
    assert linked.index("first_name") < linked.index("postcode") < linked.index("password")
    assert linked == on_page


@pytest.mark.parametrize(("roles", "url", "data"), [
    (("resident",), "/mijn/account", {"first_name": "", "postcode": "1234", "roles": "resident"}),
    (("volunteer",), "/mijn/vrijwilligersprofiel", {"skills": "", "postcode": "1234", "max_distance_km": "999"}),
    (("resident",), "/vragen/nieuw", {"title": "", "postcode": "1234", "on_date": "gisteren"}),
    (("volunteer",), "/aanbod/nieuw", {"title": "", "postcode": "1234"}),
    (("staff",), "/werkruimte/intake/nieuw", {"resident_first_name": "", "postcode": "1234", "title": ""}),
], ids=["account", "volunteer-profile", "request", "offer", "intake"])
def test_every_form_with_a_postcode_lists_mistakes_in_page_order(make, login, roles, url, data):
    person = make.user(*roles)
    html = login(person.email).post(url, data=data).get_data(as_text=True)
    linked, on_page = summary_and_page_order(html)
    assert "postcode" in linked and len(linked) >= 2, linked
    assert linked == on_page
