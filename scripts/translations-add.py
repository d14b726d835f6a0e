"""Add translations for new source strings to the catalogues, without re-extracting everything.

    python scripts/translations-add.py new-strings.json

The JSON file is a list of {"msgid": "...", "nl": "..."} (and "msgid_plural" with "nl": ["one", "other"] for
ngettext; and "msgctxt": "..." for pgettext/npgettext, the context of a word that means different things in
different places, e.g. {"msgctxt": "person", "msgid": "Name", "nl": "Naam"}); other language codes ("tr", "ar",
"pl", "uk", "en") may be given too. The same msgid with another msgctxt (or without one) is another entry.
Entries are appended to (or their empty msgstr filled in) translations/<lang>/LC_MESSAGES/messages.po.
The msgids are appended to translations/messages.pot too (each file keeps its own line wrapping, so the diff is
the new entries only); `make translations-update` later puts them in order. Until then the catalogues already
translate the new strings. Used by engineers working on a branch, so that two branches add strings without
rewriting the same lines.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
NOT_LANGUAGES = ("msgid", "msgid_plural", "msgctxt")
WIDTHS = (76, 120)  # how catalogues are wrapped here: Babel's default, or the code's line length


def main(source: Path, root: Path = ROOT) -> None:
    entries = json.loads(source.read_text("utf-8"))
    languages = sorted({key for entry in entries for key in entry if key not in NOT_LANGUAGES})
    for lang in languages:
        path = root / "translations" / lang / "LC_MESSAGES" / "messages.po"
        added = _add(path, lang, [entry for entry in entries if lang in entry], itemgetter(lang))
        print(f"{lang}: {added} entr{'y' if added == 1 else 'ies'} added or filled in")
    template = root / "translations" / "messages.pot"
    if template.exists():  # so the catalogues hold exactly the template's messages (scripts/check-catalogues.py)
        added = _add(template, None, entries, lambda entry: ("", "") if "msgid_plural" in entry else "")
        print(f"messages.pot: {added} entr{'y' if added == 1 else 'ies'} added")


def _add(path: Path, lang: str | None, entries: list[dict[str, Any]], text: Callable[[dict[str, Any]], Any]) -> int:
    """Append the entries missing from one catalogue (or fill in their empty text); the file keeps its wrapping."""
    raw = path.read_bytes()
    catalog = read_po(io.BytesIO(raw), locale=lang)
    width = next((width for width in WIDTHS if _written(catalog, width) == raw), WIDTHS[0])
    added = 0
    for entry in entries:
        key = (entry["msgid"], entry["msgid_plural"]) if "msgid_plural" in entry else entry["msgid"]
        value = text(entry)
        string = tuple(value) if "msgid_plural" in entry else value
        context = entry.get("msgctxt")
        found = catalog.get(entry["msgid"], context=context)
        if found is None:
            catalog[key] = Message(key, string, flags=("python-format",) if "%(" in entry["msgid"] else (),
                                   context=context)
            added += 1
        elif lang is not None and (not found.string or (isinstance(found.string, tuple) and not all(found.string))):
            found.string = string
            added += 1
    path.write_bytes(_written(catalog, width))
    return added


def _written(catalog: Catalog, width: int) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, sort_output=False, no_location=True, width=width)
    return out.getvalue()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
