"""Without Chromium or Playwright the browser tests skip with a reason, except in CI, where that is a failure."""

from __future__ import annotations

import pytest

from tests.browser import support


def test_a_machine_without_chromium_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMEN_CHROMIUM", "/nowhere/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no Chromium at /nowhere/chromium: `apt-get install chromium`"):
        support.skip_or_fail()


def test_in_ci_a_missing_chromium_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMEN_CHROMIUM", "/nowhere/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but the browser tests cannot run"):
        support.skip_or_fail()


def test_in_ci_a_missing_playwright_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "playwright.sync_api", None)  # import fails
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Playwright for Python is not installed"):
        support.skip_or_fail()
