"""Showing a refused attempt: the page the person was on, with what they typed, a kind message and Retry-After."""

from __future__ import annotations

from typing import Any

from flask import render_template

from webapp.core.ratelimit.services import Refusal


def refused(template: str, refusal: Refusal, **context: Any) -> tuple[str, int, dict[str, str]]:
    """Render `template` with the "too many attempts" message on top (base.html shows it), status 429."""
    page = render_template(template, too_many=refusal, **context)
    return page, 429, {"Retry-After": str(refusal.retry_after)}
