"""Helpers for the authentication tests: a clock the tests move forward, and switching rate limits on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.conftest import sibling_app
from webapp import create_app
from webapp.core.extensions import db


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


@pytest.fixture
def another_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """another_app(**overrides) or another_app(settings=...): more apps on the test database, as other worker
    processes would be; their connections are closed when the test ends."""
    made: list[Flask] = []

    def _make(settings: dict[str, Any] | None = None, **overrides: Any) -> Flask:
        other = create_app(settings) if settings is not None else sibling_app(app, **overrides)
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def second_worker(another_app: Callable[..., Flask], clock: Clock, **overrides: Any) -> Flask:
    """A second worker process on the same database, with rate limits on the same clock."""
    return another_app(RATELIMIT_ENABLED=True, RATELIMIT_CLOCK=clock, **overrides)
