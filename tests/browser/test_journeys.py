"""Journeys in a real browser on a small phone screen (360×740), in Dutch and English, with and without JavaScript.

(a) A resident signs up, posts a request, sees who responded, chooses one, marks the help done and says thanks:
    with the keyboard only (Tab, Shift+Tab, Enter, Space; no mouse), with visible focus on every stop.
(b) A volunteer signs up, fills in the profile, sees explained suggestions (/aanbevolen/) and responds: the request
    the volunteer finds is the one the resident posted, so both journeys meet as they do in real life.
Every page: axe at WCAG 2.1 A and AA (once per page and language, with JavaScript: axe needs it), lang, skip link,
landmarks, manifest, the footer link to the accessibility statement, and at most 100 KB transferred.
(c) the initiative journey is in test_initiative_journey.py, (d) the staff journey in test_staff_journey.py.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.support import (
    COMBINATIONS,
    PASSWORD,
    PageChecks,
    Visitor,
    confirmation_path,
    error_links,
    open_by_keyboard,
    press_and_wait,
    tab_and_press,
    tab_to,
    type_into,
)
from tests.browser.support import new_visitor as _visitor

pytestmark = pytest.mark.browser

CATEGORY = {"nl": "Computer- en telefoonhulp", "en": "Computer and phone help"}  # key "digital"


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_resident_and_volunteer_journeys(lang: str, js: bool, contexts: Any, live_server: Any,
                                         checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    # The resident's phone is set to Dutch and switches to English on the site; the volunteer's browser asks for the
    # language itself. Both ways of choosing a language are covered.
    resident = _visitor(contexts, "resident", lang, js, "nl", live_server, checks, expect)
    volunteer = _visitor(contexts, "volunteer", lang, js, lang, live_server, checks, expect)
    title = {"nl": f"Hulp met mijn nieuwe telefoon {run}", "en": f"Help with my new phone {run}"}[lang]

    resident_signs_up(resident, f"inwoner-{run}@example.org", "Ans")
    request_url = resident_posts_request(resident, title)
    volunteer_signs_up_and_responds(volunteer, f"vrijwilliger-{run}@example.org", "Karim", title)
    resident_chooses_and_thanks(resident, request_url, "Karim", f"vrijwilliger-{run}@example.org")
    volunteer_sees_the_thanks(volunteer, request_url, f"inwoner-{run}@example.org")
    volunteer_downloads_data_and_deletes_account(volunteer)

    journey = f"{lang}-{'js' if js else 'nojs'}"
    checks.weigh(f"{journey} resident", resident.weigher)
    checks.weigh(f"{journey} volunteer", volunteer.weigher)


# ---------------------------------------------------------------- (a) the resident, keyboard only


def resident_signs_up(r: Visitor, email: str, first_name: str) -> None:
    page = r.page
    page.goto("/")
    if r.lang == "en":  # the language menu in the header: open it (Enter on its summary), then "English"
        open_by_keyboard(page, page.locator(".lang-menu > summary"))
        tab_and_press(page, page.get_by_role("link", name="English"))
    r.check("home")

    # The skip link is the first stop, can be seen, and moves the focus to the content.
    skip = page.locator("a.skip-link")
    tab_to(page, skip)
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    r.expect(skip).to_have_text(r.t("Skip to content"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Back up from the content to the menu: on a phone it is folded behind "Menu"; Enter opens it.
    open_by_keyboard(page, page.locator("#site-menu > summary"))
    tab_to(page, page.get_by_role("link", name=r.t("Sign up"), exact=True))
    press_and_wait(page, "Enter")
    r.check("register")

    # Sending the empty form: the errors are listed at the top, announced, and linked to their fields.
    tab_and_press(page, r.button("Create my account"))
    r.check("register-errors")
    check_error_summary(r)
    type_into(page, r.field("first_name"), first_name)
    type_into(page, r.field("email"), email)
    type_into(page, r.field("postcode"), "2012")
    resident_role = r.field("roles", "resident")
    if not resident_role.is_checked():
        tab_to(page, resident_role)
        page.keyboard.press("Space")
        assert resident_role.is_checked()
    type_into(page, r.field("password"), PASSWORD)
    press_and_wait(page, "Enter")  # Enter in a field sends the form
    r.expect(page.get_by_role("heading", level=1)).to_have_text(r.t("Almost done: check your e-mail"))
    r.check("register-sent")
    page.goto(confirmation_path(r.server, email))  # the link in the e-mail, opened in this browser: logged in
    r.sees_flash("Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name=first_name)
    r.check("dashboard")


def check_error_summary(r: Visitor) -> str:
    """The error summary: role=alert, each error a link to its field; the field points back to its message.
    With JavaScript the summary has the focus; the first link moves the focus to the field. Returns that field."""
    page = r.page
    summary = page.locator(".error-summary[role=alert]")
    r.expect(summary).to_have_count(1)
    error_links(page, at_least=3)  # in the order of the fields on the page
    links = summary.get_by_role("link")
    count = links.count()
    assert count >= 3, f"expected the empty form to list several errors, got {count}"
    for index in range(count):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        assert href.startswith("#"), f"error link {href!r} does not point at a field"
        field_id = href[1:]
        field = page.locator(f"[id='{field_id}']")
        r.expect(field).to_have_count(1)
        message = page.locator(f"[id='{field_id}-error']")
        r.expect(message).to_have_text(link.inner_text().strip())
        assert f"{field_id}-error" in (field.get_attribute("aria-describedby") or "").split(), \
            f"field {field_id} is not described by its error message"
        if field.evaluate("el => el.tagName") in ("INPUT", "SELECT", "TEXTAREA"):
            assert field.get_attribute("aria-invalid") == "true", f"field {field_id} is not marked invalid"
    if r.js:  # samen.js moves the focus to the summary, so a screen reader reads it and Tab reaches the links
        assert page.evaluate("document.activeElement.id") == "error-summary"
    first = links.first
    tab_to(page, first)
    page.keyboard.press("Enter")
    first_id = (first.get_attribute("href") or "#")[1:]
    r.expect(page.locator(f"[id='{first_id}']")).to_be_focused()
    return first_id


def resident_posts_request(r: Visitor, title: str) -> str:
    page = r.page
    tab_and_press(page, r.main().get_by_role("link", name=r.t("Ask for help"), exact=True))
    r.check("request-form")
    type_into(page, r.field("title"), title)
    type_into(page, r.field("description"),
              "Ik heb een nieuwe telefoon en wil leren bellen met beeld." if r.lang == "nl"
              else "I have a new phone and want to learn video calls.")
    category = r.field("category")
    tab_to(page, category)
    page.keyboard.type(CATEGORY[r.lang])  # a closed select picks the option you type
    assert category.input_value() == "digital"
    assert r.field("postcode").input_value().startswith("2012")  # taken from the account
    tab_and_press(page, r.button("Post my request"))
    r.sees_flash("Your request is online. We will let you know when a neighbour responds.")
    r.expect(page.get_by_role("heading", level=1)).to_have_text(title)
    r.check("request-owner-open")
    return str(page.url)


def resident_chooses_and_thanks(r: Visitor, request_url: str, volunteer_name: str, volunteer_email: str) -> None:
    page = r.page
    page.reload()  # F5: the resident comes back later
    responded = r.server.tn(r.lang, "%(num)d neighbour responded", "%(num)d neighbours responded", 1)
    r.expect(page.get_by_role("heading", name=responded)).to_be_visible()
    r.check("request-owner-responders")

    tab_and_press(page, r.button("Choose %(name)s", name=volunteer_name))
    # Choosing shares contact details and cannot be undone: a page says so first, its button does it.
    r.expect(page.get_by_role("heading", level=1)).to_have_text(r.t("Choose %(name)s?", name=volunteer_name))
    assert volunteer_email not in r.main().inner_text()
    r.check("request-owner-confirm-choice")
    tab_and_press(page, r.button("Yes, choose %(name)s", name=volunteer_name))
    r.sees_flash("You have chosen a helper. You can now see each other's contact details.")
    if r.js:  # the message after the redirect has the focus, so a screen reader reads it first
        assert page.evaluate("() => document.activeElement.id") == "flashes"
    r.expect(page.locator(".contact")).to_contain_text(volunteer_email)
    r.check("request-owner-matched")

    tab_and_press(page, r.button("The help is done"), key="Space")
    r.expect(page.get_by_role("heading", level=1)).to_have_text(r.t("Is the help done?"))
    tab_and_press(page, r.button("Yes, the help is done"), key="Space")
    r.sees_flash("Marked as done. Would you like to say thanks?")
    r.check("request-owner-done")
    thanks = "Dank je wel, het was erg fijn!" if r.lang == "nl" else "Thank you, that was great!"
    type_into(page, r.field("message"), thanks)
    type_into(page, r.field("hours"), "2")
    tab_and_press(page, r.button("Send"))
    r.sees_flash("Thank you for letting us know!")
    r.expect(r.main()).to_contain_text(r.t("You said thanks. Thank you!"))
    r.check("request-owner-thanked")
    assert page.url == request_url

    # The accessibility statement, from the footer.
    tab_and_press(page, page.get_by_role("contentinfo").get_by_role("link", name=r.t("Accessibility statement")))
    heading = "Toegankelijkheidsverklaring" if r.lang == "nl" else "Accessibility statement"
    assert page.get_by_role("heading", level=1).inner_text().replace("\u00ad", "") == heading
    r.check("accessibility-statement")


# ---------------------------------------------------------------- (b) the volunteer


def volunteer_signs_up_and_responds(v: Visitor, email: str, first_name: str, title: str) -> None:
    page = v.page
    page.goto("/registreren")
    v.check("register")
    v.field("first_name").fill(first_name)
    v.field("email").fill(email)
    v.field("postcode").fill("2012")
    v.field("roles", "resident").uncheck()
    v.field("roles", "volunteer").check()
    v.field("password").fill(PASSWORD)
    with page.expect_navigation():
        v.button("Create my account").click()
    v.expect(page.get_by_role("heading", level=1)).to_have_text(v.t("Almost done: check your e-mail"))
    v.check("register-sent")
    page.goto(confirmation_path(v.server, email))  # the link in the e-mail, opened in this browser: logged in
    v.sees_flash("Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name=first_name)
    assert page.url.endswith("/mijn/vrijwilligersprofiel")
    v.check("volunteer-profile")

    v.field("skills").fill("computer, telefoon, boodschappen")
    v.field("max_distance_km").fill("5")
    v.field("bio").fill("Ik woon hier al lang." if v.lang == "nl" else "I have lived here for years.")
    with page.expect_navigation():
        v.button("Save my profile").click()
    v.sees_flash("Your volunteer profile is saved.")
    assert page.url.endswith("/aanbevolen/")
    v.check("suggestions")

    # The suggestion says why it suits this volunteer.
    card = v.main().locator("li.card").filter(has=page.get_by_role("link", name=title))
    v.expect(card).to_have_count(1)
    v.expect(card.locator(".reasons li").first).not_to_be_empty()
    with page.expect_navigation():
        card.get_by_role("link", name=title).click()
    v.check("request-volunteer-open")

    v.field("message").fill("Ik kan woensdag komen." if v.lang == "nl" else "I can come on Wednesday.")
    with page.expect_navigation():
        v.button("Send my response").click()
    v.sees_flash("Your response is sent. You will hear when the neighbour chooses.")
    v.check("request-volunteer-responded")


def volunteer_sees_the_thanks(v: Visitor, request_url: str, resident_email: str) -> None:
    page = v.page
    page.goto(request_url)
    v.expect(page.locator(".contact")).to_contain_text(resident_email)
    v.expect(page.locator(".thanks")).to_be_visible()
    v.check("request-volunteer-done")


# ---------------------------------------------------------------- (c) the volunteer leaves (AVG)


def volunteer_downloads_data_and_deletes_account(v: Visitor) -> None:
    page = v.page
    page.get_by_role("contentinfo").get_by_role("link", name=v.t("Privacy statement")).click()
    heading = "Privacyverklaring" if v.lang == "nl" else "Privacy statement"
    assert page.get_by_role("heading", level=1).inner_text().replace("\u00ad", "") == heading
    v.check("privacy-statement")
    page.goto("/mijn/gegevens")
    v.check("my-data")
    with page.expect_download() as download:
        v.main().get_by_role("link", name=v.t("Download my data")).click()
    assert download.value.suggested_filename.startswith("samen-mijn-gegevens-")
    page.goto("/mijn/gegevens/verwijderen")
    v.check("delete-account")
    with page.expect_navigation():
        v.button("Delete my account").click()
    v.expect(page.locator(".error-summary")).to_have_count(1)
    v.check("delete-account-errors")
    v.field("password").fill(PASSWORD)
    v.field("confirm").check()
    with page.expect_navigation():
        v.button("Delete my account").click()
    assert page.url.endswith("/tot-ziens")
    v.check("goodbye")
