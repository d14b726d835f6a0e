"""Journey (d) in a real browser on a small phone screen (360×740), in Dutch and English, with and without JavaScript.

A staff member logs in (through support.log_in_as_staff, the one place that knows how staff log in), moderates two
held requests (a resident put a phone number in the public text): approves one, rejects the other with a reason and a
note; posts a request for a resident who gave consent by phone (assisted intake); and downloads the impact report as
CSV and as XLSX, which must open (csv module, openpyxl).
Then the workspace pages at a phone size and a laptop size, and in print: no page wider than the screen.
Every page passes the checks of support.PageChecks (axe at WCAG 2.1 A/AA with JavaScript, landmarks, lang, ...) and
weighs at most 100 KB.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    COMBINATIONS,
    NO_SIDEWAYS_SCROLL_JS,
    PageChecks,
    Visitor,
    log_in_as_staff,
    new_visitor,
)
from tests.factories import PASSWORD, make_request, make_user

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SHOWN_IN_PRINT_JS = """() => [...document.querySelectorAll('nav, form, .skip-link, .site-footer')]
  .filter(el => el.getClientRects().length > 0).map(el => el.outerHTML.slice(0, 80))"""
TOO_WIDE_JS = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !el.parentElement.closest('.table-scroll') || getComputedStyle(el.closest('.table-scroll')).overflowX
                === 'visible')
  .slice(0, 5)
  .map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`)
"""
# The workspace menu, and the names the staff journey gives these pages (so axe sees each page once per language).
WORKSPACE_PAGES = {"Overview": "workspace", "Moderation": "moderation", "Certificates of conduct": "screening",
                   "Post for a resident": "intake-form", "My intakes": "intakes", "Unanswered requests": "unanswered",
                   "Hand-overs": "handovers", "District budgets": "budgets-staff", "Impact report": "report",
                   "Audit log": "audit-log", "New initiatives": "initiatives-to-confirm"}


def held_requests(server: Any, run: str, count: int) -> tuple[str, list[str]]:
    """A resident posted `count` requests with a phone number in the text, so they wait for moderation.
    Returns the resident's first name and the titles."""
    with server.app.app_context():
        resident = make_user("resident", first_name=f"Bep{run}")
        titles = []
        for number in range(count):
            title = f"Hulp bij de verhuizing {run}-{number}"
            held = make_request(resident, title=title,
                                description="Wie helpt mij met dozen sjouwen? Bel me op 06-12345678.")
            assert held.moderation == "held"
            titles.append(title)
        return resident.first_name, titles


def staff_member(server: Any, run: str, lang: str, *roles: str) -> str:
    email = f"consulent-{run}@example.org"
    with server.app.app_context():
        make_user("staff", *roles, email=email, locale=lang)
    return email


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_staff_moderate_post_for_a_resident_and_export(lang: str, js: bool, contexts: Any, live_server: Any,
                                                      checks: PageChecks, expect: Any, tmp_path: Path) -> None:
    run = uuid.uuid4().hex[:8]
    _resident, (approve, reject) = held_requests(live_server, run, 2)
    staff = new_visitor(contexts, "staff", lang, js, lang, live_server, checks, expect)
    log_in_as_staff(staff, staff_member(live_server, run, lang), PASSWORD)
    staff.check("workspace")

    moderate(staff, approve, reject)
    post_for_a_resident(staff, run)
    export_report(staff, tmp_path)

    checks.weigh(f"{lang}-{'js' if js else 'nojs'} staff", staff.weigher)


def workspace_link(v: Visitor, msgid: str) -> Any:
    return v.page.get_by_role("navigation", name=v.t("Staff workspace")).get_by_role("link", name=v.t(msgid),
                                                                                     exact=True)


def moderate(v: Visitor, approve: str, reject: str) -> None:
    page = v.page
    v.follow(workspace_link(v, "Moderation"))
    v.check("moderation")
    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=approve))
    v.expect(card.locator(".flags")).not_to_be_empty()  # why it was held
    v.follow(card.get_by_role("button", name=v.t("Approve"), exact=True))
    v.sees_flash("Approved. It is public again.")
    v.expect(v.main().get_by_role("heading", name=approve)).to_have_count(0)
    v.check("moderation-approved", axe=False)

    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=reject))
    card.locator("summary").filter(has_text=v.t("Reject")).click()  # <details> opens without JavaScript too
    reason = card.get_by_label(v.t("Reason the poster will read"))
    v.expect(reason).to_be_visible()
    reason.select_option("personal_data")
    card.get_by_label(v.t("A note in your own words (optional)")).fill(
        "Haal je telefoonnummer uit de tekst." if v.lang == "nl" else "Please remove your phone number.")
    v.follow(card.get_by_role("button", name=v.t("Reject and tell the poster")))
    v.sees_flash("Rejected. The poster gets a message with the reason.")
    v.expect(v.main().get_by_role("heading", name=reject)).to_have_count(0)
    v.check("moderation-rejected", axe=False)


def post_for_a_resident(v: Visitor, run: str) -> None:
    page = v.page
    v.follow(workspace_link(v, "Post for a resident"))
    v.check("intake-form")
    title = f"Boodschappen voor mevrouw {run}" if v.lang == "nl" else f"Groceries for Mrs {run}"
    v.field("resident_first_name").fill("Truus")
    v.field("resident_phone").fill("023-5551234")
    v.field("postcode").fill("2012")
    v.field("consent_how", "phone").check()
    v.field("consent_given_by").select_option("resident")
    assert v.field("consent_on").input_value(), "the date of consent is today unless changed"
    v.field("title").fill(title)
    v.field("description").fill("Mevrouw kan niet goed lopen en zoekt hulp bij de boodschappen op dinsdag."
                                if v.lang == "nl" else "She cannot walk well and needs help with groceries on "
                                                       "Tuesdays.")
    v.field("category").select_option("groceries")
    v.follow(v.button("Post the request"))
    v.sees_flash("The request is online. Volunteers contact you, and you pass it on to the resident.")
    v.expect(page.get_by_role("heading", level=1)).to_have_text(title)
    v.check("intake-request")


def export_report(v: Visitor, folder: Path) -> None:
    page = v.page
    v.follow(v.menu_link("Workspace"))
    v.follow(workspace_link(v, "Impact report"))
    v.check("report")

    for file_format, msgid in (("csv", "Download CSV"), ("xlsx", "Download Excel (XLSX)")):
        with page.expect_download() as download_info:
            v.main().get_by_role("link", name=v.t(msgid), exact=True).click()
        download = download_info.value
        v.weigher.name_current(f"report-export-{file_format}")
        assert download.suggested_filename.endswith(f".{file_format}")
        saved = folder / download.suggested_filename
        download.save_as(saved)
        cells = read_csv(saved) if file_format == "csv" else read_xlsx(saved)
        text = "\n".join(" | ".join(row) for row in cells)
        assert v.t("Haarlem (total)") in text, f"no total row in the {file_format} export:\n{text[:2000]}"
        assert len(cells) >= 5, f"the {file_format} export is nearly empty:\n{text}"
    assert page.get_by_role("heading", level=1).is_visible()  # still on the report


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV has no byte-order mark, so Excel would garble é and ë"
    return [row for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if row]


def read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    rows = []
    for sheet in workbook.worksheets:
        rows += [[str(cell) for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return [row for row in rows if row]


# ---------------------------------------------------------------- the workspace on a phone, a laptop and paper


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_workspace_fits_a_phone_a_laptop_and_paper(lang: str, contexts: Any, live_server: Any, checks: PageChecks,
                                                   expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    resident_name, _titles = held_requests(live_server, run, 1)
    staff = new_visitor(contexts, "staff-layout", lang, True, lang, live_server, checks, expect)
    log_in_as_staff(staff, staff_member(live_server, run, lang, "admin"), PASSWORD)
    page = staff.page
    visited = []
    for msgid, name in WORKSPACE_PAGES.items():
        staff.follow(workspace_link(staff, msgid))
        visited.append(page.url)
        staff.check(name)  # at 360 px: includes "not wider than the screen"
    staff.follow(workspace_link(staff, "Moderation"))
    staff.follow(staff.main().get_by_role("link", name=resident_name, exact=True))
    visited.append(page.url)
    staff.check("person")
    checks.weigh(f"{lang}-js workspace", staff.weigher)

    for url in visited:
        page.set_viewport_size(LAPTOP)
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS_SCROLL_JS), f"wider than a 1280 px screen: {url}"
        main_width = page.locator("main").bounding_box()["width"]
        workspace = page.locator(".workspace").first.bounding_box()
        assert workspace is not None and workspace["width"] > 700, \
            f"the workspace does not use the laptop's width ({workspace}, main {main_width}) on {url}"
        page.emulate_media(media="print")
        try:
            shown = page.evaluate(SHOWN_IN_PRINT_JS)
            assert not shown, f"menus, forms or the footer are printed on {url}: {shown}"
            page.set_viewport_size({"width": 680, "height": 960})  # about A4 at 96 dpi, minus margins
            too_wide = page.evaluate(TOO_WIDE_JS)
            assert page.evaluate(NO_SIDEWAYS_SCROLL_JS) and not too_wide, f"cut off on paper: {url}: {too_wide}"
        finally:
            page.emulate_media(media="screen")
