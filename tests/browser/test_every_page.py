"""Every page of every role, in all six languages, in a real browser on a phone-sized screen (360×740):

- axe-core finds no WCAG 2.1 A/AA violation;
- `<html lang>` is the page's language and `dir` its direction (Arabic: rtl);
- with the text at 200 % the page does not scroll sideways (WCAG 1.4.10) and the header takes at most 40 % of the
  screen (the menu folds away behind "Menu");
- every visible text has a contrast of at least 4.5:1 (3:1 for large text), computed from the colours, so items
  axe can only mark "incomplete" (a button that inherits white text on a white page) are checked too;
- no text of the page's own language is a text of another language's catalogue that this language's catalogue
  lacks (a string left untranslated, or a template hard-coded in one language). Text marked with another `lang`
  (the language menu, what people wrote themselves) is left out.

Which pages: every GET route of the route × role matrix (tests/webapp/route_matrix.py), each opened by the first
role that may see it, in a world of objects built by tests/webapp/route_world.py; a few detail pages also as their
owner. Logging in and choosing the language happen as a person does it (the login form, the language menu).

How 200 % text is modelled: phones enlarge text by raising the default font size (Android's text scaling, the
browsers' "text size" settings); Samen's style sheet sizes text and spacing in rem, so setting the root font size to
200 % is what such a phone does. Page zoom (CSS zoom, ctrl +) would also enlarge borders and the viewport, which
is a different thing; it is not what this checks.

When everything passes on the full crawl, the figures go to webapp/help_pages/accessibility-figures.json, which
the accessibility statement shows (so the statement cannot claim more than the last run found). This suite is slow
(a few minutes); SAMEN_CRAWL=skip leaves it out (the PostgreSQL run of .ci/run does, as the crawl's own server
always uses SQLite).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest
from babel.messages.pofile import read_po
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tests.browser.conftest import ARTIFACTS, VIEWPORT, _QuietHandler
from tests.browser.support import AXE_TAGS, skip_or_fail
from tests.factories import PASSWORD, TOTP_SECRET
from tests.webapp.route_matrix import entries
from tests.webapp.route_world import ROLES, World, build_world
from webapp import create_app
from webapp.core.extensions import db
from webapp.core.languages import TABLE
from webapp.core.reference.services import load_reference_data
from webapp.help_pages import figures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LANGS = [language.code for language in TABLE]
# Not pages: health checks, files, the language switch itself, links that only redirect.
NOT_PAGES = {"pages.health", "pages.ready", "help_pages.service_worker", "static", "reports.export",
             "privacy.download", "pages.switch_language", "privacy.goodbye", "accounts.verify_email",
             "initiatives.activities.calendar"}
# Detail pages that show more to the people they belong to: also opened as them.
ALSO_AS = [("resident", "asks.show", {"public_id": "matched"}), ("volunteer", "asks.show", {"public_id": "matched"}),
           ("resident", "asks.show", {"public_id": "request"}), ("organiser", "initiatives.show",
                                                                  {"public_id": "initiative"})]
MAX_HEADER_SHARE = 0.4

PAGE_TEXTS_JS = """lang => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template')) continue;
    const marked = el.closest('[lang]');
    if (marked && marked.getAttribute('lang') !== lang) continue;
    if (!el.getClientRects().length) continue;
    out.push(text);
  }
  return out;
}"""

REFLOW_JS = """maxShare => new Promise(resolve => {
  const root = document.documentElement;
  const before = root.style.fontSize;
  root.style.fontSize = '200%';
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const header = document.querySelector('.site-header');
    const result = {
      scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
      header: header ? header.getBoundingClientRect().height : 0, screen: window.innerHeight,
      wide: [...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 || el.getBoundingClientRect().left < -1)
        .slice(0, 3).map(el => el.tagName.toLowerCase() +
          (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')),
    };
    root.style.fontSize = before;
    resolve(result);
  }));
})"""

# Contrast of every visible text against the colours behind it (WCAG 1.4.3), walking up to the first opaque
# background; a background image or gradient on the way makes the result unknown (skipped, and counted).
CONTRAST_JS = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor); if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour; };
  const failures = []; let unknown = 0; let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0 || el.closest('.visually-hidden')) continue;
    const bg = background(el); if (!bg) { unknown++; continue; }
    const fg = over(parse(s.color), bg);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight, 10) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    checked++;
    if (ratio < needed) {
      const name = `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
      failures.push(`${name} ${ratio.toFixed(2)}:1 < ${needed}:1`);
    }
  }
  return {failures, unknown, checked};
}"""


# ---------------------------------------------------------------- what to open


@dataclass(frozen=True)
class Visit:
    role: str
    endpoint: str
    url: str


def visits(world: World, app: Any) -> list[Visit]:
    """Every GET route once, as the first role (least rights first) that gets it; plus the owners' views."""
    found: list[Visit] = []
    for entry in entries():
        if entry.method != "GET" or entry.endpoint in NOT_PAGES:
            continue
        role = next((role for role in ROLES if entry.expected[role] == "200" and role != "other"), None)
        if role is None:
            continue
        url = world.url(app, entry.endpoint, entry.args)
        if url.endswith((".ics", ".csv", ".json")):  # files to download (a calendar feed, an export), not pages
            continue
        found.append(Visit(role, entry.endpoint, url))
    for role, endpoint, args in ALSO_AS:
        found.append(Visit(role, endpoint, world.url(app, endpoint, args)))
    return found


# ---------------------------------------------------------------- catalogues


def foreign_texts() -> dict[str, set[str]]:
    """Per language: texts of the other catalogues that this language's catalogue does not have (whole messages
    without placeholders or markup, at least two words or ten letters: short words are shared by languages)."""
    texts: dict[str, set[str]] = {}
    for lang in LANGS:
        with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalogue = read_po(source, locale=lang)
        strings: set[str] = set()
        for message in catalogue:
            if not message.id:
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                text = re.sub(r"\s+", " ", form or "").strip()
                if text:
                    strings.add(text)
        texts[lang] = strings
    foreign = {}
    for lang in LANGS:
        others = set().union(*(texts[other] for other in LANGS if other != lang))
        foreign[lang] = {text for text in others - texts[lang]
                         if "%(" not in text and "<" not in text and (" " in text or len(text) >= 10)}
    return foreign


# ---------------------------------------------------------------- the server and the crawl


@dataclass
class CrawlServer:
    app: Any
    url: str
    world: World


@pytest.fixture(scope="module")
def crawl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlServer]:
    if os.environ.get("SAMEN_CRAWL", "").strip().lower() == "skip":
        pytest.skip("SAMEN_CRAWL=skip: the six-language crawl runs in the SQLite run only")
    skip_or_fail()
    folder = tmp_path_factory.mktemp("crawl")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "crawl-secret", "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'crawl.db'}", "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 256, "INSTANCE_PATH": str(folder), "MATCHING_MODEL_PATH": str(folder / "none.bin"),
        "RATELIMIT_ENABLED": False, "MAIL_WORKER": False,
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        db.session.remove()
    world = build_world(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="samen-crawl-server", daemon=True)
    thread.start()
    try:
        yield CrawlServer(app, f"http://127.0.0.1:{server.server_port}", world)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@dataclass
class Findings:
    loads: int = 0
    urls: set[str] = field(default_factory=set)
    axe_runs: int = 0
    problems: list[str] = field(default_factory=list)
    contrast_checked: int = 0
    contrast_unknown: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"axe": 0, "lang": 0, "reflow": 0, "contrast": 0,
                                                            "foreign": 0, "status": 0})

    def add(self, kind: str, text: str) -> None:
        self.counts[kind] += 1
        self.problems.append(f"[{kind}] {text}")


def log_in(page: Any, email: str, staff: bool) -> None:
    page.goto("/inloggen")
    page.locator("main [name='email']").fill(email)
    page.locator("main [name='password']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if staff:
        assert page.url.endswith("/inloggen/code"), page.url
        page.locator("main [name='code']").fill(pyotp.TOTP(TOTP_SECRET).now())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    assert "/inloggen" not in page.url, f"{email} could not log in: {page.url}"


def check_page(page: Any, visit: Visit, lang: str, foreign: set[str], found: Findings) -> None:
    from axe_playwright_python.sync_playwright import Axe

    where = f"{lang} {visit.role} {visit.endpoint} {visit.url}"
    response = page.goto(visit.url)
    found.loads += 1
    found.urls.add(visit.url)
    if response is None or response.status != 200:
        found.add("status", f"{where}: HTTP {response.status if response else '?'}")
        return
    html = page.locator("html")
    direction = "rtl" if lang == "ar" else "ltr"
    if html.get_attribute("lang") != lang or html.get_attribute("dir") != direction:
        found.add("lang", f"{where}: lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    found.axe_runs += 1
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            found.add("axe", f"{where}: {violation['id']} at {node['target']}")
    contrast = page.evaluate(CONTRAST_JS)
    found.contrast_checked += contrast["checked"]
    found.contrast_unknown += contrast["unknown"]
    for failure in contrast["failures"]:
        found.add("contrast", f"{where}: {failure}")
    texts = page.evaluate(PAGE_TEXTS_JS, lang)
    for text in texts:
        if text in foreign:
            found.add("foreign", f"{where}: {text!r}")
    long_foreign = [text for text in foreign if len(text) >= 40]
    body = " ".join(texts)
    for text in long_foreign:
        if text in body and text not in texts:
            found.add("foreign", f"{where}: …{text!r}…")
    reflow = page.evaluate(REFLOW_JS, MAX_HEADER_SHARE)
    if reflow["scrollWidth"] > reflow["clientWidth"]:
        found.add("reflow", f"{where}: {reflow['scrollWidth']} px wide at 200 % text on a "
                            f"{reflow['clientWidth']} px screen (widest: {reflow['wide']})")
    if reflow["header"] > MAX_HEADER_SHARE * reflow["screen"]:
        found.add("reflow", f"{where}: the header is {reflow['header']:.0f} px of {reflow['screen']} at 200 % text")


def test_every_page_of_every_role_in_every_language(crawl_server: CrawlServer, browser: Any) -> None:
    """The browser is the package's (tests/browser/conftest.py): a second sync Playwright in the same process finds
    the first one's event loop running and refuses to start."""
    foreign = foreign_texts()
    plan = visits(crawl_server.world, crawl_server.app)
    roles = sorted({visit.role for visit in plan}, key=ROLES.index)
    found = Findings()
    for role in roles:
        context = browser.new_context(base_url=crawl_server.url, viewport=VIEWPORT, locale="nl-NL",
                                      service_workers="block")
        context.set_default_timeout(20_000)
        page = context.new_page()
        if role != "anonymous":
            log_in(page, crawl_server.world.emails[role], staff=role in ("staff", "admin"))
        for lang in LANGS:
            page.goto(f"/taal/{lang}?next=/")
            for visit in (v for v in plan if v.role == role):
                check_page(page, visit, lang, foreign[lang], found)
        context.close()
    summary = ", ".join(f"{kind}: {count}" for kind, count in found.counts.items())
    if found.problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "every-page-problems.txt").write_text("\n".join(found.problems) + "\n", encoding="utf-8")
    shown = [problem for kind in found.counts
             for problem in [p for p in found.problems if p.startswith(f"[{kind}]")][:25]]
    assert not found.problems, (f"{len(found.problems)} problem(s) in {found.loads} page loads ({summary}); all of "
                                f"them in {ARTIFACTS / 'every-page-problems.txt'}:\n" + "\n".join(shown))
    measured = {
        "checked_on": date.today().isoformat(),
        "languages": LANGS,
        "roles": roles,
        "pages": len(found.urls),
        "page_loads": found.loads,
        "axe_runs": found.axe_runs,
        "axe_violations": 0,
        "reflow_failures": 0,
        "contrast_texts_checked": found.contrast_checked,
        "contrast_failures": 0,
        "foreign_strings": 0,
        "viewport": f"{VIEWPORT['width']}x{VIEWPORT['height']}",
        "code": figures.code_fingerprint(),
    }
    figures.FIGURES_PATH.write_text(json.dumps(measured, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
