"""The dashboard prints cleanly: no navigation or buttons, rows kept whole, column names repeated on each page,
Dutch headers wrapped between words (never hyphenated or broken inside a word), the period and the day it was
made on the paper."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import page_text

CSS = Path(__file__).resolve().parents[3] / "webapp" / "static" / "css" / "workspace.css"


def print_rules() -> str:
    text = CSS.read_text(encoding="utf-8")
    start = text.index("@media print")
    depth, end = 0, start
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            break
    return text[text.index("{", start) + 1:end]


def rule(css: str, selector: str) -> str:
    found = re.search(r"(^|\n)\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert found, selector
    return found.group(2)


def test_printed_dutch_headers_never_break_inside_a_word():
    css = print_rules()
    headers = rule(css, ".data th")
    assert "hyphens: manual" in headers
    assert "anywhere" not in headers and "hyphens: auto" not in css and "break-all" not in css


def test_the_printed_dashboard_has_no_navigation_and_keeps_rows_whole():
    css = print_rules()
    hidden = next(block for selectors, block in re.findall(r"([^{}]+)\{([^}]*)\}", css) if "display: none" in block
                  and ".workspace-nav" in selectors and ".site-header" in selectors and ".report-controls" in selectors)
    assert hidden
    assert "break-inside: avoid" in rule(css, ".data tr, .map, .chart")
    assert "table-header-group" in rule(css, ".data thead")


def test_the_printed_dashboard_says_its_period_and_the_day_it_was_made(make, login):
    client = login(make.user("staff", locale="nl").email, lang="nl")
    page = page_text(client.get("/rapportage/?period=2026-Q1"))
    printed = re.search(r'<p class="print-only report-printed">(.*?)</p>', page, re.DOTALL)
    assert printed
    assert "1 januari 2026" in printed.group(1) and "31 maart 2026" in printed.group(1)
    assert "Gemaakt op" in printed.group(1) or "Made on" in printed.group(1)
