"""The accessibility statement's figures: written by the browser suite that opens every page of every role in every
language (tests/browser/test_every_page.py), read by the statement. The file also records a fingerprint of the
templates, style sheets, scripts and catalogues it checked; when they changed since, the statement says so instead
of presenting old figures as current."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

FIGURES_PATH = Path(__file__).with_name("accessibility-figures.json")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHECKED = (("webapp/templates", ".html"), ("webapp/static/css", ".css"), ("webapp/static/js", ".js"),
           ("translations", ".po"))


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for folder, suffix in CHECKED:
        for path in sorted((root / folder).rglob(f"*{suffix}")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def current_fingerprint() -> str:
    return code_fingerprint()


def load() -> dict[str, Any] | None:
    """The last run's figures, or None when the suite has not written them yet."""
    try:
        figures = json.loads(FIGURES_PATH.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return figures if isinstance(figures, dict) else None
