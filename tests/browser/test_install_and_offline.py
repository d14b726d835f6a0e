"""Installable and friendly offline: a web app manifest with icons and a theme colour, and a service worker that
shows a small offline page when the network is gone. Without JavaScript no service worker is installed at all."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from tests.browser.support import PageChecks

pytestmark = pytest.mark.browser

OFFLINE_HEADING = {"nl": "Geen internet", "en": "No internet"}  # the catalogue's words
GREEN = "rgb(11, 93, 59)"  # --green, the theme colour


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_makes_samen_installable(contexts: Any) -> None:
    context = contexts.new("install", "nl", js=True)
    page = context.new_page()
    page.goto("/")
    href = page.locator("head link[rel=manifest]").get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.ok
    manifest = response.json()
    assert manifest["name"] == "Samen Haarlem" and manifest["short_name"] == "Samen"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["lang"] == "nl"
    theme = page.locator("head meta[name=theme-color]").get_attribute("content")
    assert manifest["theme_color"] == theme == "#0b5d3b"
    png_sizes = set()
    for icon in manifest["icons"]:
        fetched = page.request.get(icon["src"])
        assert fetched.ok, icon["src"]
        assert fetched.headers["content-type"].split(";")[0] == icon["type"], icon["src"]
        body = fetched.body()
        assert len(body) < 20_000, f"{icon['src']} is {len(body)} bytes: keep icons small"
        if icon["type"] == "image/png":
            size = png_size(body)
            assert f"{size[0]}x{size[1]}" == icon["sizes"], icon["src"]
            png_sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= png_sizes
    assert any("maskable" in icon.get("purpose", "") for icon in manifest["icons"])

    # Chromium's own verdict, once the service worker runs. A test browser is always "incognito"; nothing else.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # bounded, unlike .ready
    session = context.new_cdp_session(page)
    assert session.send("Page.getAppManifest").get("errors") == []
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == [], errors


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_friendly_page_when_the_network_is_gone(lang: str, contexts: Any, checks: PageChecks,
                                                  expect: Any) -> None:
    context = contexts.new("offline", lang, js=True)
    page = context.new_page()
    page.goto("/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # bounded, unlike .ready

    context.set_offline(True)
    page.goto("/vragen/")
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING[lang])
    other = "en" if lang == "nl" else "nl"
    expect(page.locator(f"section[lang={other}] h2")).to_have_text(OFFLINE_HEADING[other])
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor") == GREEN, \
        "the offline page has no style: the service worker did not keep the CSS"
    checks.page(page, "offline", lang, True, shell=False)

    # Back online, pages come from the network again.
    context.set_offline(False)
    page.goto("/vragen/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(OFFLINE_HEADING[lang])


def test_without_javascript_there_is_no_service_worker(contexts: Any, expect: Any) -> None:
    context = contexts.new("no-js", "nl", js=False)
    page = context.new_page()
    page.goto("/")
    page.goto("/vragen/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert context.service_workers == []


def test_a_form_sent_without_signal_is_kept_and_put_back_when_online(contexts: Any, live_server: Any,
                                                                     expect: Any) -> None:
    """Nothing lost: a form sent while the network is gone gets the offline page (not the browser's English error),
    which says the text is kept and links back to the form; online again, the form has the text back."""
    context = contexts.new("offline-draft", "nl", js=True)
    page = context.new_page()
    page.goto("/wachtwoord-vergeten")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # bounded, unlike .ready
    page.reload()  # the service worker (with samen.js in its cache) now controls the page
    page.locator("main [name='email']").fill("buurvrouw@example.org")

    context.set_offline(True)
    # The service worker is a target of its own: on a busy machine it got "offline" after the click had gone out
    # (CI saw the form arrive). Wait until a request through it fails.
    page.wait_for_function("""async () => {
        try { await fetch('/health', {cache: 'no-store'}); return false; } catch (error) { return true; }
    }""")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING["nl"])
    expect(page.locator("section[lang=nl]")).to_contain_text(live_server.t(
        "nl", "Did you just send a form? What you typed is kept on this device. When you have internet again, open "
              "the form: your text is put back."))
    for code in ("en", "tr", "ar", "pl", "uk"):  # every language says so
        expect(page.locator(f"section[lang={code}] h2")).to_have_text(live_server.t(code, "No internet"))
    back = page.locator("section[lang=nl] [data-draft-link]")
    expect(back).to_be_visible()

    context.set_offline(False)
    with page.expect_navigation():
        back.click()
    assert page.url.endswith("/wachtwoord-vergeten"), page.url
    expect(page.locator("main [name='email']")).to_have_value("buurvrouw@example.org")
    expect(page.locator("#draft-restored")).to_have_text(live_server.t(
        "nl", "We put back what you typed before the connection was lost. Check it and send it again."))
    assert page.evaluate("() => document.activeElement.id") == "draft-restored"

    # Sent again with the network: it arrives, and the next page no longer offers the old text.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto("/wachtwoord-vergeten")
    expect(page.locator("main [name='email']")).to_have_value("")
    assert page.locator("#draft-restored").count() == 0
