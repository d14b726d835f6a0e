"""Small factories for matching tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from matching import HelpRequest, Volunteer

REPO = Path(__file__).resolve().parents[2]
HERE_LAT, HERE_LON = 52.3812, 4.6366  # Oude Stad


def volunteer(vid: str, skills: list[str], **kw: object) -> Volunteer:
    base: dict[str, object] = {
        "id": vid,
        "skills": tuple(skills),
        "languages": frozenset({"nl"}),
        "lat": HERE_LAT,
        "lon": HERE_LON,
        "max_distance_km": 5.0,
    }
    base.update(kw)
    return Volunteer(**base)  # type: ignore[arg-type]


def request(rid: str, title: str, category: str, **kw: object) -> HelpRequest:
    base: dict[str, object] = {
        "id": rid,
        "title": title,
        "category": category,
        "languages": frozenset({"nl"}),
        "lat": HERE_LAT + 0.003,
        "lon": HERE_LON,
    }
    base.update(kw)
    return HelpRequest(**base)  # type: ignore[arg-type]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
