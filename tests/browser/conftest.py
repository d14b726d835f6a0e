"""Real-browser tests: Debian's Chromium driven by Playwright, against the real app on a local port.

Outside CI a machine without Chromium or without Playwright skips these tests (with the reason); in CI (CI=true)
that is a failure. Never run `playwright install`: the tests use the system Chromium.

The server and the browser live as long as this package's tests (package scope): Playwright's sync API keeps an
asyncio loop around, which must be gone before other tests use asyncio.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, get_translations, gettext, ngettext
from flask_migrate import upgrade
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.browser.support import PageChecks, chromium_path, in_ci, skip_or_fail
from webapp import create_app
from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 360, "height": 740}
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"


# ---------------------------------------------------------------- the app on a real port


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per request is noise here
        pass


@dataclass
class LiveServer:
    app: Flask
    url: str

    def t(self, lang: str, msgid: str, **params: Any) -> str:
        """What the app shows for this source string in that language (whatever the catalogue says now)."""
        with self.app.test_request_context("/"), force_locale(lang):
            return str(gettext(msgid, **params))

    def tn(self, lang: str, singular: str, plural: str, num: int) -> str:
        with self.app.test_request_context("/"), force_locale(lang):
            return str(ngettext(singular, plural, num))

    def plural_form(self, lang: str, singular: str, plural: str, count: int) -> str:
        """The catalogue's form of this plural string for `count`, placeholders not filled in."""
        with self.app.test_request_context("/"), force_locale(lang):
            return str(get_translations().ungettext(singular, plural, count))


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    skip_or_fail()
    folder = tmp_path_factory.mktemp("browser")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "browser-test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.db'}",
        "WTF_CSRF_ENABLED": True,  # real forms, real tokens
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 256,
        "INSTANCE_PATH": str(folder),
        "MATCHING_MODEL_PATH": str(folder / "no-model.bin"),
        "RATELIMIT_ENABLED": False,  # every journey signs up and logs in from 127.0.0.1
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        db.session.remove()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="samen-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="package")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        if in_ci():
            raise
        pytest.skip(f"browser tests skipped: Chromium at {chromium_path()} does not start with Playwright ({error})")
    try:
        yield launched
    finally:
        launched.close()
        playwright.stop()


@pytest.fixture(scope="package")
def checks() -> Iterator[PageChecks]:
    """Shared by every journey: which pages axe has seen per language, and every page's weight."""
    shared = PageChecks()
    yield shared
    if shared.weights:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "page-weights.txt").write_text(shared.weights_report(), encoding="utf-8")


@dataclass
class Contexts:
    """Fresh browser contexts for one test; pages are saved as artefacts when the test fails."""

    browser: Any
    server: LiveServer
    opened: list[tuple[str, Any]] = field(default_factory=list)

    def new(self, name: str, lang: str = "nl", js: bool = True) -> Any:
        context = self.browser.new_context(
            base_url=self.server.url,
            viewport=VIEWPORT,
            locale=BROWSER_LOCALES[lang],
            java_script_enabled=js,
            service_workers="allow",
        )
        context.set_default_timeout(15_000)
        self.opened.append((name, context))
        return context

    def save_artefacts(self, test_name: str) -> list[Path]:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for name, context in self.opened:
            for number, page in enumerate(context.pages):
                stem = folder / f"{name}-{number}"
                try:
                    page.screenshot(path=str(stem.with_suffix(".png")), full_page=True)
                    stem.with_suffix(".html").write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
                    saved += [stem.with_suffix(".png"), stem.with_suffix(".html")]
                except Exception as error:  # a crashed page still leaves the others
                    stem.with_suffix(".txt").write_text(f"{page.url}\ncould not save: {error}\n", encoding="utf-8")
        return saved

    def close(self) -> None:
        for _name, context in self.opened:
            context.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and report.when in ("setup", "call"):
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def contexts(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Contexts]:
    made = Contexts(browser, live_server)
    yield made
    try:
        if request.node.stash.get(_FAILED, False):
            saved = made.save_artefacts(request.node.name)
            if saved:
                print(f"\nbrowser artefacts: {saved[0].parent}")
    finally:
        made.close()


@pytest.fixture
def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect
