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

Which pages: for each role (CRAWL_ROLES), every GET route the route × role matrix (tests/webapp/route_matrix.py)
gives that role a 200 for, in a world of objects built by tests/webapp/route_world.py, so a new line in the matrix
is crawled without touching this file. Two roles are not columns of the matrix and take their pages from it by a
rule (`_derived`): a volunteer without a certificate of conduct opens what both the screened volunteer and "other"
(a volunteer who owns nothing) may open; the city's read-only account opens what staff may open and
`city_may_open` allows. An admin opens only the pages staff cannot (the others are staff's pages). Each role's
person logs in and chooses the language as a person does it (the login form, the language menu).

Cost: one page load per page × role × language, and every check on that load, in one round trip to the browser
(axe-core is loaded into each page by the context, not sent per page). A page whose HTML is the same as one already
checked in that language (the same page for two roles, such as a public page for two kinds of volunteer) is
loaded but not checked again. SAMEN_CRAWL_ROLES / SAMEN_CRAWL_LANGS (comma-separated) narrow the crawl while
working on one page; the figures are written only by the full crawl.

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

import hashlib
import json
import os
import re
import threading
import time
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
from tests.factories import PASSWORD, TOTP_SECRET, make_user
from tests.webapp.route_matrix import entries
from tests.webapp.route_world import ROLES, World, build_world
from webapp import create_app
from webapp.core.access import city_may_open
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
             "initiatives.activities.calendar",
             "asks.suggest_category"}  # JSON for the request form's script, not a page
# The people whose pages are crawled, least rights first: the matrix's roles (tests/webapp/route_world.py) and two
# more (see _derived). "other" is left out: it is the matrix's stranger, with no pages of its own; an admin opens
# only the pages staff may not (the rest are staff's pages).
CRAWL_ROLES = ("anonymous", "resident", "volunteer", "unscreened", "organiser", "staff", "admin", "city")
SECOND_STEP = {"staff", "admin", "city"}  # they log in with a code from the authenticator app too
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


# Everything checked on one load, in one round trip: axe-core (put into every page by the context), lang and dir,
# contrast and the page's texts at normal size, then the reflow at 200 % text.
CHECKS_JS = ("""async ({lang, maxShare, axeOptions}) => {
  const html = document.documentElement;
  const axeResult = await axe.run(document, axeOptions);
  const result = {
    lang: html.getAttribute('lang'), dir: html.getAttribute('dir'),
    violations: axeResult.violations.map(v => ({id: v.id, targets: v.nodes.map(n => n.target)})),
    contrast: (""" + CONTRAST_JS + """)(),
    texts: (""" + PAGE_TEXTS_JS + """)(lang),
  };
  result.reflow = await (""" + REFLOW_JS + """)(maxShare);
  return result;
}""")

# What makes two pages the same page for the checks: the same <main> (without the CSRF token, which differs per
# session) in the same frame (header, menu and footer, without which menu item is the current one and the title).
CSRF_VALUE = re.compile(r'(name="csrf_token"(?: type="hidden")? value=")[^"]*"')
MAIN = re.compile(r"<main\b.*?</main>", re.S)
FRAME_NOISE = re.compile(r'\saria-current="[^"]*"|<title>.*?</title>', re.S)


def fingerprints(html: str) -> tuple[str, str]:
    """Of the main part and of the frame around it: a page whose main was checked (for any role) in a frame that was
    checked (on any page) in that language is not checked again. The checks look at elements (axe's WCAG rules,
    contrast, texts) or at the widest element (reflow), so the parts checked apart give what the whole would."""
    html = CSRF_VALUE.sub(r'\1"', html)
    found = MAIN.search(html)
    main = found.group(0) if found else html
    frame = FRAME_NOISE.sub("", html.replace(main, "")) if found else ""
    return hashlib.sha256(main.encode()).hexdigest(), hashlib.sha256(frame.encode()).hexdigest()


# ---------------------------------------------------------------- what to open


@dataclass(frozen=True)
class Visit:
    role: str
    endpoint: str
    url: str


def _derived(role: str, expected: dict[str, str], endpoint: str) -> bool:
    """The roles that are not columns of the matrix: which of its lines they get a page for."""
    if role == "unscreened":  # a volunteer without a VOG: what every volunteer may open, not the screened one's own
        return expected["volunteer"] == "200" and expected["other"] == "200"
    if role == "city":  # the municipality's read-only account: staff's pages, as far as the city may open them
        return expected["staff"] == "200" and city_may_open(endpoint)
    if role == "admin":  # staff's pages with one more menu item: only the pages staff cannot open
        return expected["admin"] == "200" and expected["staff"] != "200"
    return expected[role] == "200"


def visits(world: World, app: Any, roles: tuple[str, ...] = CRAWL_ROLES) -> list[Visit]:
    """Every GET route of the matrix, for every role that gets it (a page, not a file or a redirect)."""
    found: list[Visit] = []
    for role in roles:
        for entry in entries():
            if entry.method != "GET" or entry.endpoint in NOT_PAGES or not _derived(role, entry.expected,
                                                                                     entry.endpoint):
                continue
            url = world.url(app, entry.endpoint, entry.args)
            if url.endswith((".ics", ".csv", ".json", ".pdf", ".xlsx")):  # files to download, not pages
                continue
            found.append(Visit(role, entry.endpoint, url))
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
        # The style sheet, script and icon once per context, not asked again on each of two thousand page loads
        # (what a browser does with them in production, where the web server sends them with a lifetime).
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        db.session.remove()
    world = build_world(app)
    with app.app_context():  # the two roles that are not people of the matrix's world
        world.emails["unscreened"] = str(make_user("volunteer", screened=False).email)
        world.emails["city"] = str(make_user("city").email)
        db.session.remove()
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
    views: int = 0  # pages × roles × languages: each fetched, and checked unless the same page was checked already
    loads: int = 0  # of those, loaded and checked in the browser
    urls: set[str] = field(default_factory=set)
    axe_runs: int = 0
    same_as_checked: int = 0  # views whose main part and frame were checked already in that language
    mains: set[str] = field(default_factory=set)  # fingerprints (with the language) of what was checked
    frames: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=lambda: {"fetch": 0.0, "load": 0.0, "checks": 0.0})
    problems: list[str] = field(default_factory=list)
    contrast_checked: int = 0
    contrast_unknown: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"axe": 0, "lang": 0, "reflow": 0, "contrast": 0,
                                                            "foreign": 0, "status": 0})

    def took(self, step: str, since: float) -> float:
        now = time.monotonic()
        self.seconds[step] += now - since
        return now

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
    where = f"{lang} {visit.role} {visit.endpoint} {visit.url}"
    clock = time.monotonic()
    answer = page.request.get(visit.url, max_redirects=0, timeout=90_000)  # this person, this language
    clock = found.took("fetch", clock)
    found.views += 1
    found.urls.add(visit.url)
    if answer.status != 200:
        found.add("status", f"{where}: HTTP {answer.status}")
        return
    main, frame = (lang + key for key in fingerprints(answer.text()))
    if main in found.mains and frame in found.frames:
        found.same_as_checked += 1
        return
    response = page.goto(visit.url)
    clock = found.took("load", clock)
    found.loads += 1
    if response is None or response.status != 200:
        found.add("status", f"{where}: HTTP {response.status if response else '?'} in the browser")
        return
    found.mains.add(main)
    found.frames.add(frame)
    result = page.evaluate(CHECKS_JS, {"lang": lang, "maxShare": MAX_HEADER_SHARE, "axeOptions": {
        "runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}})
    found.took("checks", clock)
    found.axe_runs += 1
    direction = "rtl" if lang == "ar" else "ltr"
    if result["lang"] != lang or result["dir"] != direction:
        found.add("lang", f"{where}: lang={result['lang']} dir={result['dir']}")
    for violation in result["violations"]:
        for target in violation["targets"]:
            found.add("axe", f"{where}: {violation['id']} at {target}")
    contrast = result["contrast"]
    found.contrast_checked += contrast["checked"]
    found.contrast_unknown += contrast["unknown"]
    for failure in contrast["failures"]:
        found.add("contrast", f"{where}: {failure}")
    texts = result["texts"]
    for text in texts:
        if text in foreign:
            found.add("foreign", f"{where}: {text!r}")
    body = " ".join(texts)
    for text in (text for text in foreign if len(text) >= 40):
        if text in body and text not in texts:
            found.add("foreign", f"{where}: …{text!r}…")
    reflow = result["reflow"]
    if reflow["scrollWidth"] > reflow["clientWidth"]:
        found.add("reflow", f"{where}: {reflow['scrollWidth']} px wide at 200 % text on a "
                            f"{reflow['clientWidth']} px screen (widest: {reflow['wide']})")
    if reflow["header"] > MAX_HEADER_SHARE * reflow["screen"]:
        found.add("reflow", f"{where}: the header is {reflow['header']:.0f} px of {reflow['screen']} at 200 % text")


def _narrowed(name: str, everything: tuple[str, ...]) -> tuple[str, ...]:
    chosen = [value.strip() for value in os.environ.get(name, "").split(",") if value.strip()]
    unknown = set(chosen) - set(everything)
    assert not unknown, f"{name}: unknown {sorted(unknown)}; choose from {everything}"
    return tuple(value for value in everything if value in chosen) or everything


def test_every_page_of_every_role_in_every_language(crawl_server: CrawlServer, browser: Any) -> None:
    """The browser is the package's (tests/browser/conftest.py): a second sync Playwright in the same process finds
    the first one's event loop running and refuses to start."""
    from axe_playwright_python import sync_playwright as axe_module

    assert set(ROLES) - {"other"} <= set(CRAWL_ROLES), "a new role of the matrix: add it to CRAWL_ROLES"
    roles, langs = _narrowed("SAMEN_CRAWL_ROLES", CRAWL_ROLES), _narrowed("SAMEN_CRAWL_LANGS", tuple(LANGS))
    foreign = foreign_texts()
    plan = visits(crawl_server.world, crawl_server.app, roles)
    found = Findings()
    started = time.monotonic()
    for role in roles:
        mine = [visit for visit in plan if visit.role == role]
        assert mine, f"the matrix gives {role} no page at all"
        context = browser.new_context(base_url=crawl_server.url, viewport=VIEWPORT, locale="nl-NL",
                                      service_workers="block")
        context.add_init_script(path=str(Path(axe_module.__file__).with_name("axe.min.js")))
        context.set_default_timeout(60_000)  # a busy machine: the figures page takes seconds to draw
        page = context.new_page()
        if role != "anonymous":
            log_in(page, crawl_server.world.emails[role], staff=role in SECOND_STEP)
        for lang in langs:
            page.goto(f"/taal/{lang}?next=/")
            for visit in mine:
                check_page(page, visit, lang, foreign[lang], found)
        context.close()
        print(f"\ncrawl: {role} done after {time.monotonic() - started:.0f} s: {len(mine)} pages, "
              f"{found.loads} loads so far", flush=True)
    seconds = time.monotonic() - started
    summary = ", ".join(f"{kind}: {count}" for kind, count in found.counts.items())
    steps = ", ".join(f"{step} {spent:.0f} s" for step, spent in found.seconds.items())
    print(f"\ncrawl: {len(found.urls)} pages, {found.views} pages × roles × languages, {found.loads} loaded and "
          f"checked, {found.same_as_checked} the same as one checked already; {len(roles)} roles in "
          f"{len(langs)} languages in {seconds:.0f} s ({steps}); problems: {summary}")
    if found.problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "every-page-problems.txt").write_text("\n".join(found.problems) + "\n", encoding="utf-8")
    shown = [problem for kind in found.counts
             for problem in [p for p in found.problems if p.startswith(f"[{kind}]")][:25]]
    assert not found.problems, (f"{len(found.problems)} problem(s) in {found.views} page views ({summary}); all of "
                                f"them in {ARTIFACTS / 'every-page-problems.txt'}:\n" + "\n".join(shown))
    if (roles, langs) != (CRAWL_ROLES, tuple(LANGS)):
        return  # a narrowed crawl does not speak for every page
    measured = {
        "checked_on": date.today().isoformat(),
        "languages": LANGS,
        "roles": list(roles),
        "pages": len(found.urls),
        "page_views": found.views,
        "page_loads": found.loads,
        "same_as_checked": found.same_as_checked,
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
