"""Helpers for the browser tests: checks every page must pass, keyboard-only moves, and page weight.

Nothing here imports Playwright at module level, so a machine without it can still collect the tests (and skip
them with a clear reason).
"""

from __future__ import annotations

import contextlib
import email
import os
import re
import time
from dataclasses import dataclass, field
from email.policy import default
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.factories import TOTP_SECRET

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE_BUDGET = 100 * 1000  # bytes transferred per page: HTML, CSS, JS, icons
MAX_TABS = 120

FOCUS_VISIBLE_JS = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return outline || (s.boxShadow && s.boxShadow !== 'none');
}"""

FIRST_FOCUSABLE_IS_SKIP_LINK_JS = """() => {
  const first = document.querySelector(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  return first !== null && first.classList.contains('skip-link') && first.getAttribute('href') === '#main';
}"""

NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"

THIRD_PARTY_JS = """() => [...document.querySelectorAll('link[href], script[src], img[src], iframe[src]')]
  .map(el => el.href || el.src).filter(url => url && new URL(url, location.href).origin !== location.origin)"""


# ---------------------------------------------------------------- can the browser tests run here?


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path() -> str:
    return os.environ.get("SAMEN_CHROMIUM", "/usr/bin/chromium")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return (f"Playwright for Python is not installed ({error.name}): "
                "`.venv/bin/pip install playwright axe-playwright-python` (never `playwright install`)")
    if not os.access(chromium_path(), os.X_OK):
        return f"no Chromium at {chromium_path()}: `apt-get install chromium` (or set SAMEN_CHROMIUM)"
    return None


def skip_or_fail() -> None:
    """Skip with the reason on a machine without the browser; fail in CI (CI=true), where they must run."""
    reason = missing_browser()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


ERROR_LINKS_JS = """() => {
  const links = [...document.querySelectorAll('.error-summary a[href^="#"]')];
  return links.map(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    return {href: a.getAttribute('href'), text: a.textContent.trim(), found: target !== null,
            message: target ? (document.getElementById(target.id + '-error') || {textContent: ''}).textContent.trim()
                            : '',
            after: links.indexOf(a) > 0 && target !== null && (() => {
              const before = document.getElementById(links[links.indexOf(a) - 1].getAttribute('href').slice(1));
              return before !== null &&
                     Boolean(before.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
            })()};
  });
}"""


def error_links(page: Any, at_least: int = 1) -> list[str]:
    """The error summary's links: each points at a field on the page that shows the same message next to it, in the
    order the fields appear on screen (a summary that jumps around is hard to work through). Returns the ids."""
    links = page.evaluate(ERROR_LINKS_JS)
    assert len(links) >= at_least, f"expected at least {at_least} linked errors on {page.url}, got {links}"
    for number, link in enumerate(links):
        assert link["found"], f"error link {link['href']} points at nothing on {page.url}"
        assert link["message"] == link["text"], f"field {link['href']} does not show the message {link['text']!r}"
        if number:
            assert link["after"], (f"the error summary lists {link['href']} before a field that comes earlier on "
                                   f"the page ({[item['href'] for item in links]}) on {page.url}")
    return [link["href"][1:] for link in links]


# ---------------------------------------------------------------- keyboard only


IS_BEFORE_FOCUS_JS = """el => {
  const active = document.activeElement;
  if (!active || active === document.body || active === el) return false;
  return Boolean(active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
}"""


def _is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Any, locator: Any, *, backwards: bool | None = None) -> None:
    """Press Tab, or Shift+Tab when the target comes before the focus, until `locator` has focus; then check that
    the focus can be seen."""
    if backwards is None:
        backwards = bool(locator.evaluate(IS_BEFORE_FOCUS_JS))
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if _is_focused(locator):
            assert locator.evaluate(FOCUS_VISIBLE_JS), f"focus is not visible on {locator}"
            return
    raise AssertionError(f"{MAX_TABS} × {key} never reached {locator} on {page.url}")


def type_into(page: Any, locator: Any, text: str) -> None:
    """Reach the field with Tab, select what is there, and type over it."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    assert locator.input_value() == text, f"typed {text!r}, field has {locator.input_value()!r}"


def press_and_wait(page: Any, key: str = "Enter") -> None:
    """Press a key on the focused link or button and wait for the next page."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def open_by_keyboard(page: Any, summary: Any) -> None:
    """Reach a <details>' summary (the header's menus) with Tab and open it with Enter, unless it is open."""
    if summary.evaluate("el => el.parentElement.open"):
        return
    tab_to(page, summary)
    page.keyboard.press("Enter")
    assert summary.evaluate("el => el.parentElement.open"), f"Enter did not open {summary}"


def tab_and_press(page: Any, locator: Any, key: str = "Enter") -> None:
    tab_to(page, locator)
    press_and_wait(page, key)


# ---------------------------------------------------------------- page weight


@dataclass
class Weigher:
    """Bytes transferred per page (response bodies of the page, its CSS, JS and icons, and the service worker's own
    fetches), for every navigation of one context. The browser cache is off, so every page is weighed cold."""

    base_url: str
    label: str
    buckets: list[list[Any]] = field(default_factory=list)  # [url, name, [requests]]
    third_party: list[str] = field(default_factory=list)
    _bucket_of: dict[Any, int] = field(default_factory=dict)
    _finished: list[Any] = field(default_factory=list)

    @classmethod
    def attach(cls, context: Any, page: Any, base_url: str, label: str) -> Weigher:
        weigher = cls(base_url, label)
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        context.on("request", weigher._on_request)
        context.on("requestfinished", weigher._on_finished)
        return weigher

    def _on_request(self, request: Any) -> None:
        if not request.url.startswith(self.base_url) and not request.url.startswith("data:"):
            self.third_party.append(request.url)
        try:
            is_page = request.is_navigation_request() and request.frame.parent_frame is None
        except Exception:  # a service worker's own request has no frame
            is_page = False
        if is_page:
            self.buckets.append([request.url, None, []])
        if self.buckets:
            self._bucket_of[request] = len(self.buckets) - 1

    def _on_finished(self, request: Any) -> None:
        self._finished.append(request)

    def name_current(self, name: str) -> None:
        if self.buckets:
            self.buckets[-1][1] = name

    def totals(self) -> list[tuple[str, str, int, list[tuple[str, int]]]]:
        """(page name, url, bytes, [(resource, bytes)]) per navigation, redirects included."""
        for request in self._finished:
            index = self._bucket_of.get(request)
            if index is None:
                continue
            response = request.response()
            if response is not None and response.from_service_worker:
                continue  # the service worker's own fetch of it is counted instead
            body = int(request.sizes()["responseBodySize"])
            if response is not None and 200 <= response.status < 300:
                with contextlib.suppress(Exception):  # the browser may have dropped an earlier page's body
                    body = max(body, len(response.body()))
            self.buckets[index][2].append((request.url.removeprefix(self.base_url), max(body, 0)))
        self._finished.clear()
        out = []
        for url, name, parts in self.buckets:
            out.append((name or "(redirect or unnamed)", url.removeprefix(self.base_url),
                        sum(size for _url, size in parts), parts))
        return out


# ---------------------------------------------------------------- checks on every page


@dataclass
class PageChecks:
    axe_seen: set[tuple[str, str]] = field(default_factory=set)
    axe_pages: list[str] = field(default_factory=list)
    weights: list[tuple[str, str, str, int, list[tuple[str, int]]]] = field(default_factory=list)

    def page(self, page: Any, name: str, lang: str, js: bool, weigher: Weigher | None = None,
             shell: bool = True, axe: bool = True) -> None:
        """Checks for every page: language, title, skip link, landmarks, manifest, footer link, no third-party
        resources, and (with JavaScript, once per page and language) axe at WCAG 2.1 A and AA. axe=False: the same
        template in a state axe has seen already (axe is the slow part of these tests)."""
        if weigher is not None:
            weigher.name_current(name)
        where = f"{name} ({page.url})"
        assert page.locator("html").get_attribute("lang") == lang, f"wrong <html lang> on {where}"
        assert "Samen" in page.title(), f"no useful <title> on {where}"
        assert page.evaluate(FIRST_FOCUSABLE_IS_SKIP_LINK_JS), f"the first link is not a skip link to #main on {where}"
        assert page.locator("main#main").count() == 1, f"no <main id=main> on {where}"
        assert page.get_by_role("banner").count() == 1, f"no header landmark on {where}"
        assert page.get_by_role("contentinfo").count() == 1, f"no footer landmark on {where}"
        assert page.locator("h1").count() == 1, f"not exactly one h1 on {where}"
        assert not page.evaluate(THIRD_PARTY_JS), f"third-party resources on {where}"
        assert page.evaluate(NO_SIDEWAYS_SCROLL_JS), f"the page is wider than the screen (WCAG 1.4.10) on {where}"
        if shell:
            assert page.get_by_role("navigation").count() >= 1, f"no navigation landmark on {where}"
            assert page.locator("head link[rel=manifest]").count() == 1, f"no web app manifest linked on {where}"
            assert page.locator("footer a[href='/toegankelijkheid']").count() == 1, \
                f"no link to the accessibility statement in the footer of {where}"
        if js and axe and (lang, name) not in self.axe_seen:
            self.axe(page, where)
            self.axe_seen.add((lang, name))
            self.axe_pages.append(f"{lang}:{name}")

    @staticmethod
    def axe(page: Any, where: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                           "resultTypes": ["violations"]})
        violations = results.response["violations"]
        lines = []
        for violation in violations:
            for node in violation["nodes"]:
                lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
                             f"    at {node['target']}: {node.get('failureSummary', '').strip()}")
        assert not violations, (f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {where}:\n"
                                + "\n".join(lines))

    def weigh(self, journey: str, weigher: Weigher) -> None:
        """Every page of this context within the budget, and nothing fetched from another site."""
        totals = weigher.totals()
        over = []
        for name, url, size, parts in totals:
            self.weights.append((journey, name, url, size, parts))
            if size > PAGE_BUDGET:
                detail = ", ".join(f"{part} {part_size} B" for part, part_size in parts)
                over.append(f"  {name} {url}: {size} B ({detail})")
        assert not weigher.third_party, f"third-party requests in {journey}: {weigher.third_party}"
        assert not over, f"pages over {PAGE_BUDGET} bytes in {journey}:\n" + "\n".join(over)

    def weights_report(self) -> str:
        rows = sorted(self.weights, key=lambda row: -row[3])
        lines = [f"page weight (bytes transferred, cache off; budget {PAGE_BUDGET} B)",
                 f"pages weighed: {len(rows)}; heaviest: {rows[0][3] if rows else 0} B", ""]
        lines += [f"{size:>7}  {journey:<24} {name:<28} {url}" for journey, name, url, size, _parts in rows]
        if rows:
            lines += ["", "heaviest page, resource by resource:"]
            lines += [f"{size:>7}  {part}" for part, size in rows[0][4]]
        lines += ["", f"axe (WCAG 2.1 A/AA) ran on {len(self.axe_pages)} pages: {', '.join(self.axe_pages)}"]
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- people in a browser

PASSWORD = "een lange zin als wachtwoord"
COMBINATIONS = [
    pytest.param("nl", True, id="nl-js"),
    pytest.param("en", True, id="en-js"),
    pytest.param("nl", False, id="nl-nojs"),
    pytest.param("en", False, id="en-nojs"),
]


@dataclass
class Visitor:
    """One person in one browser context, with the checks every page must pass."""

    page: Any
    weigher: Weigher
    lang: str
    js: bool
    server: Any
    checks: PageChecks
    expect: Any

    def t(self, msgid: str, **params: Any) -> str:
        return str(self.server.t(self.lang, msgid, **params))

    def tn(self, singular: str, plural: str, count: int, **params: Any) -> str:
        """The plural form for `count`, filled in with num=count unless `params` say otherwise."""
        return str(self.server.plural_form(self.lang, singular, plural, count)) % {"num": count, **params}

    def check(self, name: str, axe: bool = True) -> None:
        self.checks.page(self.page, name, self.lang, self.js, self.weigher, axe=axe)

    def sees_flash(self, msgid: str, **params: Any) -> None:
        self.expect(self.page.locator(".flashes")).to_contain_text(self.t(msgid, **params))

    def main(self) -> Any:
        return self.page.get_by_role("main")

    def button(self, msgid: str, **params: Any) -> Any:
        return self.main().get_by_role("button", name=self.t(msgid, **params), exact=True)

    def menu_link(self, msgid: str) -> Any:
        """A link of the main menu; on a phone the menu is folded behind "Menu" (a <details>): open it first."""
        menu = self.page.get_by_role("navigation", name=self.t("Main menu"))
        if not menu.locator("details").evaluate("el => el.open"):
            menu.get_by_text(self.t("Menu"), exact=True).click()
        return menu.get_by_role("link", name=self.t(msgid))

    def link(self, msgid: str, **params: Any) -> Any:
        return self.page.get_by_role("link", name=self.t(msgid, **params), exact=True)

    def field(self, name: str, value: str | None = None) -> Any:
        """A form field by its name (labels are checked by axe; their wording changes more often)."""
        selector = f"main [name='{name}']" + (f"[value='{value}']" if value else "")
        return self.page.locator(selector)

    def follow(self, locator: Any) -> None:
        """Click a link or button and wait for the next page."""
        with self.page.expect_navigation():
            locator.click()


def new_visitor(contexts: Any, name: str, lang: str, js: bool, browser_lang: str, live_server: Any,
                checks: PageChecks, expect: Any) -> Visitor:
    context = contexts.new(name, lang=browser_lang, js=js)
    page = context.new_page()
    weigher = Weigher.attach(context, page, live_server.url, name)
    return Visitor(page, weigher, lang, js, live_server, checks, expect)


def log_in_as_staff(v: Visitor, email: str, password: str) -> None:
    """The one way staff log in for the browser tests: the login form, the code of the authenticator app, then the
    workspace overview."""
    page = v.page
    page.goto("/inloggen")
    v.check("login")
    v.field("email").fill(email)
    v.field("password").fill(password)
    v.follow(v.button("Log in"))
    # Second step: the 6-digit code of the authenticator app (staff made by the factories share one secret).
    assert page.url.endswith("/inloggen/code"), f"staff were not asked for their code: {page.url}"
    v.check("login code")
    v.field("code").fill(pyotp.TOTP(TOTP_SECRET).now())
    v.follow(v.button("Log in"))
    v.follow(v.menu_link("Workspace"))
    v.expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/werkruimte/"), f"staff did not reach the workspace: {page.url}"


CONFIRMATION_LINK = re.compile(r"https?://\S+?(/e-mail-bevestigen/\S+)")


def confirmation_path(live_server: Any, address: str, timeout: float = 15.0) -> str:
    """The path of the link in the confirmation e-mail the app sent to `address`. Without MAIL_SERVER the app's
    outbox worker writes each mail as an .eml file into <instance>/outbox, a moment after the click."""
    folder = Path(live_server.app.config["INSTANCE_PATH"]) / "outbox"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            body = message.get_body(preferencelist=("plain",))
            found = CONFIRMATION_LINK.search(body.get_content()) if body is not None else None
            if found and address in str(message["To"]):
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation e-mail to {address} in {folder}")
