"""Add translations for new source strings to the catalogues, without re-extracting everything.

    python scripts/translations-add.py new-strings.json

The JSON file is a list of {"msgid": "...", "nl": "..."} (and "msgid_plural" with "nl": ["one", "other"] for
ngettext; and "msgctxt": "..." for pgettext/npgettext, the context of a word that means different things in
different places, e.g. {"msgctxt": "person", "msgid": "Name", "nl": "Naam"}); other language codes ("tr", "ar",
"pl", "uk", "en") may be given too. The same msgid with another msgctxt (or without one) is another entry.
Entries are appended to (or their empty msgstr filled in) translations/<lang>/LC_MESSAGES/messages.po.
`make translations-update` later puts them in order and into messages.pot; until then the catalogues already
translate the new strings. Used by engineers working on a branch, so that two branches add strings without
rewriting the same lines.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
NOT_LANGUAGES = ("msgid", "msgid_plural", "msgctxt")


def main(source: Path, root: Path = ROOT) -> None:
    entries = json.loads(source.read_text("utf-8"))
    languages = sorted({key for entry in entries for key in entry if key not in NOT_LANGUAGES})
    for lang in languages:
        path = root / "translations" / lang / "LC_MESSAGES" / "messages.po"
        catalog = read_po(io.BytesIO(path.read_bytes()), locale=lang)
        added = 0
        for entry in entries:
            if lang not in entry:
                continue
            key = (entry["msgid"], entry["msgid_plural"]) if "msgid_plural" in entry else entry["msgid"]
            string = tuple(entry[lang]) if "msgid_plural" in entry else entry[lang]
            context = entry.get("msgctxt")
            found = catalog.get(entry["msgid"], context=context)
            if found is None:
                catalog[key] = Message(key, string, flags=("python-format",) if "%(" in entry["msgid"] else (),
                                       context=context)
                added += 1
            elif not found.string or (isinstance(found.string, tuple) and not all(found.string)):
                found.string = string
                added += 1
        out = io.BytesIO()
        write_po(out, catalog, sort_output=False, no_location=True, width=76)
        path.write_bytes(out.getvalue())
        print(f"{lang}: {added} entr{'y' if added == 1 else 'ies'} added or filled in")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
