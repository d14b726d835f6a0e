"""English is the source language: fill every empty English msgstr with its msgid, so the catalogue is complete.

Run by `make translations-update`. Existing English wording (if someone refines a text) is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(sys.argv[1] if len(sys.argv) > 1 else "translations/en/LC_MESSAGES/messages.po")
with path.open("rb") as handle:
    catalog = read_po(handle, locale="en")
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, (list, tuple)):
        if not isinstance(message.string, (list, tuple)) or not all(message.string):
            message.string = (message.id[0], message.id[1])
    elif not message.string:
        message.string = message.id
    message.flags.discard("fuzzy")
catalog.obsolete.clear()
with path.open("wb") as handle:
    write_po(handle, catalog, width=120)
