"""The first five minutes on a 360 px phone (issue #15), the fast version of `make journeys`: a first-time resident
goes from the home page to a published request (the request and the account on one page), a first-time volunteer
from a request to a sent response through the sign-up that way implies; each through the link in the confirmation
e-mail. Also what the issue saw break on the way: invisible "Not for me" buttons, tiny contact links, "report" next
to "choose", a stray bullet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.support import PASSWORD, PageChecks, Visitor, confirmation_path
from tests.browser.support import new_visitor as _visitor

pytestmark = pytest.mark.browser

TALLEST_FORM_JS = ("Math.max(0, ...[...document.querySelectorAll('main form')]"
                   ".map(f => f.getBoundingClientRect().height))")
# The contrast of an element's text against the first opaque background behind it (WCAG 2.1 relative luminance).
CONTRAST_JS = """el => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255;
                                 return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  let node = el, bg = null;
  while (node && node.nodeType === 1) { const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; } node = node.parentElement; }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(el).color).slice(0, 3), a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@dataclass
class Tally:
    """What a journey cost: the pages seen, the fields filled (each at most once: nothing re-typed), the tallest
    form in px at 360 px width."""

    pages: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    tallest: float = 0.0

    def seen(self, v: Visitor, name: str) -> None:
        self.pages.append(name)
        self.tallest = max(self.tallest, float(v.page.evaluate(TALLEST_FORM_JS)))

    def fill(self, v: Visitor, name: str, value: str) -> None:
        assert name not in self.filled, f"{name} typed twice"
        self.filled.append(name)
        v.field(name).fill(value)


def test_a_first_time_resident_and_volunteer_on_a_phone(contexts: Any, live_server: Any, checks: PageChecks,
                                                        expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    resident = _visitor(contexts, "resident", "nl", True, "nl", live_server, checks, expect)
    volunteer = _visitor(contexts, "volunteer", "nl", True, "nl", live_server, checks, expect)

    # -- the resident: home → "Ask for help": the request and the account on one page (a shared postcode, no wijk
    # chosen) → "check your e-mail" → the e-mail's link → the published request. Four pages.
    r, tally = resident, Tally()
    r.page.goto("/")
    tally.seen(r, "home")
    r.follow(r.main().get_by_role("link", name=r.t("Ask for help"), exact=True))
    tally.seen(r, "ask for help")
    r.expect(r.page.get_by_role("heading", level=1)).to_have_text(r.t("Ask for help"))
    title = f"Boodschappen op woensdag {run}"
    tally.fill(r, "title", title)
    tally.fill(r, "description", "Ik kan slecht lopen. Wie haalt woensdag mijn boodschappen?")
    # The kind of help is not asked: while the resident types, the form suggests it from the words and chooses it
    # (asks_form.js; without JavaScript the server does the same when the form is sent).
    suggestion = r.page.locator("#category-suggestion")
    r.expect(suggestion).to_be_visible()
    r.expect(suggestion).to_contain_text("Boodschappen")
    r.expect(r.field("category")).to_have_value("groceries")
    # "When": whenever it suits, unless the resident picks "on specific days"; only then the day parts show (CSS).
    days = r.main().locator("table.dayparts")
    r.expect(days).to_be_hidden()
    r.main().get_by_text(r.t("On specific days"), exact=True).click()
    r.expect(days).to_be_visible()
    r.main().get_by_text(r.t("Whenever it suits"), exact=True).click()
    r.expect(days).to_be_hidden()
    email = f"inwoner-{run}@example.org"
    tally.fill(r, "first_name", "Ans")
    tally.fill(r, "email", email)
    tally.fill(r, "postcode", "2034 AB")  # in three wijken: asked on this page, optional
    tally.fill(r, "password", PASSWORD)
    r.follow(r.button("Post my request"))
    r.expect(r.page.get_by_role("heading", level=1)).to_have_text(r.t("Almost done: check your e-mail"))
    r.expect(r.main()).to_contain_text(r.t("Your request goes online as soon as you open the link in the e-mail."))
    tally.seen(r, "check your e-mail")
    r.page.goto(confirmation_path(live_server, email))
    r.expect(r.page.get_by_role("heading", level=1)).to_have_text(title)
    r.sees_flash("Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name="Ans")
    tally.seen(r, "published request")
    request_url = r.page.url
    print(f"\nresident: {len(tally.pages)} pages {tally.pages}, {len(tally.filled)} fields, "
          f"tallest form {tally.tallest:.0f} px")
    assert len(tally.pages) <= 4 and len(tally.filled) <= 10
    assert tally.tallest <= 2200, f"the ask-for-help form is {tally.tallest:.0f} px tall"

    # -- the volunteer: the request → "Sign up to respond" → sign-up as a volunteer → the link → back on the request.
    v, vt = volunteer, Tally()
    v.page.goto(request_url)
    vt.seen(v, "request")
    v.follow(v.main().get_by_role("link", name=v.t("Sign up to respond"), exact=True))
    vt.seen(v, "sign-up")
    v.expect(v.page.get_by_role("heading", level=1)).to_have_text(v.t("Sign up as a volunteer"))
    assert v.field("languages", "nl").is_checked()  # the page's language, preselected
    vemail = f"vrijwilliger-{run}@example.org"
    vt.fill(v, "first_name", "Karim")
    vt.fill(v, "email", vemail)
    vt.fill(v, "postcode", "2034")
    vt.fill(v, "skills", "boodschappen, fietsen")
    vt.fill(v, "password", PASSWORD)
    v.follow(v.button("Create my account"))
    vt.seen(v, "check your e-mail")
    v.page.goto(confirmation_path(live_server, vemail))
    assert v.page.url == request_url, v.page.url  # logged in, back on the request
    vt.seen(v, "request, logged in")
    # "Not for me" on the suggestions is readable (it was white on white): the request is suggested to this new
    # volunteer (same wijk, groceries), so the button is there.
    v.page.goto("/aanbevolen/")
    not_for_me = v.main().get_by_role("button", name=v.t("Not for me")).first
    v.expect(not_for_me).to_be_visible()
    assert not_for_me.evaluate(CONTRAST_JS) >= 4.5
    v.page.goto(request_url)
    vt.fill(v, "message", "Ik kan woensdagochtend.")
    v.follow(v.button("Send my response"))
    v.sees_flash("Your response is sent. You will hear when the neighbour chooses.")
    print(f"volunteer: {len(vt.pages)} pages {vt.pages}, {len(vt.filled)} fields, tallest form {vt.tallest:.0f} px")
    assert vt.tallest <= 2200, f"the volunteer's sign-up form is {vt.tallest:.0f} px tall"


    # -- choosing: no stray bullet, "report" well away from "choose", then large contact links.
    r.page.goto(request_url)
    card = r.main().locator("ul.responders > li").first
    assert card.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    choose = card.get_by_role("button", name=r.t("Choose %(name)s", name="Karim"))
    report = card.get_by_role("link", name=r.t("Report this person"))
    gap = report.bounding_box()["y"] - (choose.bounding_box()["y"] + choose.bounding_box()["height"])
    assert gap >= 24, f"'report' is {gap:.0f} px below 'choose'"
    assert report.bounding_box()["height"] >= 44
    r.follow(choose)
    for link in r.main().locator(".contact dd a").all():
        assert link.bounding_box()["height"] >= 44, "a contact link is smaller than 44 px"
