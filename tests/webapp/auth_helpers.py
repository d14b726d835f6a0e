"""Helpers for the authentication tests: a clock the tests move forward, and switching rate limits on."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask

from tests.conftest import sibling_app


class Clock:
    """A clock for rate limits that only moves when a test says so."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Rate limits and back-off switched on for the test app, on a clock the test moves."""
    fake = Clock()
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_CLOCK", fake)
    return fake


def limits(app: Flask, monkeypatch: pytest.MonkeyPatch, **per_action: str) -> None:
    """Tighter limits for this test, e.g. limits(app, monkeypatch, register="1 per hour")."""
    monkeypatch.setitem(app.config, "RATELIMITS", per_action)


def second_worker(app: Flask, clock: Clock, **overrides: Any) -> Flask:
    """Another app on the same database, as a second worker process would be."""
    return sibling_app(app, RATELIMIT_ENABLED=True, RATELIMIT_CLOCK=clock, **overrides)
