"""The ask-for-help page of a first-time resident (the request and the account on one page, asks/first_views.py)
on a 360 px phone without JavaScript: a mistake costs no re-typing (not even the password), the form stays within
three phone screens, and the e-mail's link opens the published request. With JavaScript: test_first_visit.py."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.support import PASSWORD, PageChecks, confirmation_path
from tests.browser.support import new_visitor as _visitor

pytestmark = pytest.mark.browser

TALLEST_FORM_JS = ("Math.max(0, ...[...document.querySelectorAll('main form')]"
                   ".map(f => f.getBoundingClientRect().height))")


def test_asking_for_help_without_javascript_keeps_everything_after_a_mistake(contexts: Any, live_server: Any,
                                                                             checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    v = _visitor(contexts, "first-request-nojs", "en", False, "en", live_server, checks, expect)
    v.page.goto("/")
    v.follow(v.main().get_by_role("link", name=v.t("Ask for help"), exact=True))
    v.check("ask for help")
    v.expect(v.main().locator("table.dayparts")).to_be_hidden()  # "whenever it suits": no day grid (CSS alone)
    title = f"Help with my shopping {run}"
    email = f"first-{run}@example.org"
    for name, value in (("title", title), ("description", "I cannot walk well. Who can bring my shopping?"),
                        ("first_name", "Ans"), ("email", email), ("postcode", "1011 AB"), ("password", PASSWORD)):
        v.field(name).fill(value)
    v.follow(v.button("Post my request"))
    # A postcode outside Haarlem: said in words, and everything typed is still there, the password too.
    v.expect(v.main()).to_contain_text(v.t("This postcode is not in Haarlem. Samen is for people who live in "
                                           "Haarlem."))
    v.expect(v.field("title")).to_have_value(title)
    v.expect(v.field("email")).to_have_value(email)
    v.expect(v.field("password")).to_have_value(PASSWORD)
    v.field("postcode").fill("2034 AB")
    tallest = float(v.page.evaluate(TALLEST_FORM_JS))
    assert tallest <= 2200, f"the ask-for-help form is {tallest:.0f} px tall at 360 px"
    v.follow(v.button("Post my request"))
    v.expect(v.page.get_by_role("heading", level=1)).to_have_text(v.t("Almost done: check your e-mail"))
    v.page.goto(confirmation_path(live_server, email))
    v.expect(v.page.get_by_role("heading", level=1)).to_have_text(title)
