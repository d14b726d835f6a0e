"""Texts a person typed before they could send them, kept in their own browser's session until they can.

A newcomer types a response to a request, then signs up and confirms their address; someone whose address is not
confirmed yet types a response and is asked to confirm first; someone signs up with an address that already has an
account while asking for help. In each case what they typed comes back on the page where they can send it, in this
browser, and nowhere else: a draft is never stored for an account, so nobody can put words in another's mouth.

Kept small (the session is a cookie): a few drafts, each cut to the field's own maximum by the caller's form.
"""

from __future__ import annotations

from typing import Any

from flask import session

KEY = "drafts"
MAX_DRAFTS = 3
MAX_CHARS = 2000


def keep(name: str, value: dict[str, Any]) -> None:
    """Keep `value` (short strings, lists of strings) under `name`, replacing an older draft of that name."""
    drafts = {k: v for k, v in (session.get(KEY) or {}).items() if k != name}
    cleaned = {k: (v[:MAX_CHARS] if isinstance(v, str) else v) for k, v in value.items() if v not in (None, "", [])}
    drafts[name] = cleaned
    session[KEY] = dict(list(drafts.items())[-MAX_DRAFTS:])


def peek(name: str) -> dict[str, Any]:
    found = (session.get(KEY) or {}).get(name)
    return dict(found) if isinstance(found, dict) else {}


def drop(name: str) -> None:
    drafts = session.get(KEY) or {}
    if name in drafts:
        session[KEY] = {k: v for k, v in drafts.items() if k != name}
