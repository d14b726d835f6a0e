"""Numbers in the page's language, as Flask-Babel's `format_decimal` writes them, for pages that write hundreds.

`format_decimal` parses the locale and the pattern again for every number: on the report dashboard (about 250
figures) that was a fifth of drawing the page. The parsed locale and pattern are remembered per (locale,
pattern); the result is the same string (tests/webapp/core/test_numbers.py compares them).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import get_locale


@lru_cache(maxsize=128)
def _parsed(locale: str, pattern: str | None) -> tuple[Locale, NumberPattern]:
    found = Locale.parse(locale)
    return found, parse_pattern(pattern if pattern is not None else found.decimal_formats[None])


def format_decimal(value: int | float | Decimal, pattern: str | None = None) -> str:
    """`flask_babel.format_decimal(value, format=pattern)`, with the parsing done once per locale and pattern."""
    locale, parsed = _parsed(str(get_locale() or "nl"), pattern)
    return parsed.apply(value, locale)
