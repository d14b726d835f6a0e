"""Redirects that stay on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Only redirect within this site: a path, never another host.

    A control character (CR, LF, a tab, ...) or a backslash is refused too: a browser reads "/\\evil" as another
    host, and CR/LF in a Location header cannot be sent at all (it would split the response)."""
    if not target:
        return default
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
