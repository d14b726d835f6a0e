"""The kind of help of a request, suggested from its own words.

The request form asks "what do you need a hand with?" first. Its category starts at "let Samen choose" (`AUTO`):
when the form is posted that way, the words typed decide (`matching.suggest_category`); when they point nowhere
clear, the request goes to "other", and staff see it in their moderation page (webapp/staff/uncategorised.py)
instead of it being filed silently under a wrong kind of help. With JavaScript the form shows the suggestion while
the person types (`suggest`, behind a rate-limited GET in views).
"""

from __future__ import annotations

from matching import suggest_category
from webapp.core.extensions import db
from webapp.core.reference.models import Category
from webapp.core.reference.services import all_categories

AUTO = "auto"  # the form's "I don't know, let Samen choose"
OTHER = "other"  # what nothing clear becomes
MAX_TEXT = 1000  # more text than this is not read for a suggestion


def suggest(text: str, language: str) -> Category | None:
    """The category the words point to, or None when nothing fits clearly."""
    key = suggest_category(text[:MAX_TEXT], language)
    if key is None:
        return None
    return next((c for c in all_categories(db.session) if c.key == key), None)


def choose(chosen: str, title: str, description: str, language: str) -> tuple[Category, bool]:
    """The category a posted form means: the one chosen, or for `AUTO` the one its words point to ("other" when
    nothing fits). The flag says whether Samen chose it."""
    categories = {c.key: c for c in all_categories(db.session)}
    if chosen != AUTO:
        return categories[chosen], False
    found = suggest(f"{title}\n{description}", language)
    return (found or categories[OTHER]), True
