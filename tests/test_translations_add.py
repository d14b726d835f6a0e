"""scripts/translations-add.py: a branch's new strings appended to the catalogues, with a context (msgctxt) where a
word means different things in different places. Runs on a copy of two real catalogues in a temporary folder."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations_add", ROOT / "scripts" / "translations-add.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy(tmp_path: Path, *langs: str) -> Path:
    for lang in langs:
        folder = tmp_path / "translations" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", folder / "messages.po")
    return tmp_path


def _catalogue(root: Path, lang: str) -> Catalog:
    path = root / "translations" / lang / "LC_MESSAGES" / "messages.po"
    return read_po(io.BytesIO(path.read_bytes()), locale=lang)


def test_entries_with_a_context_are_added_beside_the_same_msgid_in_other_contexts(tmp_path: Path) -> None:
    root = _copy(tmp_path, "nl", "ar")
    before = _catalogue(root, "nl")
    assert before.get("Name", context="person") is not None  # the word exists already, in other contexts
    pending = tmp_path / "pending.json"
    pending.write_text(json.dumps([
        {"msgctxt": "street", "msgid": "Name", "nl": "Straatnaam", "ar": "اسم الشارع"},
        {"msgctxt": "street", "msgid": "%(count)s street", "msgid_plural": "%(count)s streets",
         "nl": ["%(count)s straat", "%(count)s straten"], "ar": ["%(count)s شارع"] * 6},
        {"msgctxt": "person", "msgid": "Name", "nl": "Niet overschrijven"},
    ]), encoding="utf-8")

    _script().main(pending, root=root)

    nl = _catalogue(root, "nl")
    assert nl.get("Name", context="street").string == "Straatnaam"
    assert nl.get("Name", context="person").string == "Naam"  # a translated entry is left as it was
    assert nl.get("Name", context="initiative").string == "Naam"
    plural = nl.get("%(count)s street", context="street")
    assert plural.string == ("%(count)s straat", "%(count)s straten") and plural.python_format
    assert _catalogue(root, "ar").get("Name", context="street").string == "اسم الشارع"
    text = (root / "translations" / "nl" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert 'msgctxt "street"\nmsgid "Name"\nmsgstr "Straatnaam"' in text


def test_an_empty_entry_with_a_context_is_filled_in(tmp_path: Path) -> None:
    root = _copy(tmp_path, "nl")
    pending = tmp_path / "pending.json"
    pending.write_text(json.dumps([{"msgctxt": "street", "msgid": "Name", "nl": ""}]), encoding="utf-8")
    script = _script()
    script.main(pending, root=root)
    assert _catalogue(root, "nl").get("Name", context="street").string == ""
    pending.write_text(json.dumps([{"msgctxt": "street", "msgid": "Name", "nl": "Straatnaam"}]), encoding="utf-8")
    script.main(pending, root=root)
    assert _catalogue(root, "nl").get("Name", context="street").string == "Straatnaam"


def test_the_template_gets_the_msgid_and_every_file_keeps_its_wrapping(tmp_path: Path) -> None:
    """A catalogue wrapped at 120 columns (en) is not rewrapped at 76: the diff of a branch is its new entries only,
    so two branches adding strings do not collide on every line. The template (messages.pot) gets the msgids, so
    scripts/check-catalogues.py finds the catalogues and the template agree."""
    root = _copy(tmp_path, "en", "nl")
    shutil.copy(ROOT / "translations" / "messages.pot", root / "translations" / "messages.pot")
    before = {name: (root / "translations" / name).read_text("utf-8")
              for name in ("messages.pot", "en/LC_MESSAGES/messages.po", "nl/LC_MESSAGES/messages.po")}
    pending = tmp_path / "pending.json"
    pending.write_text(json.dumps([{"msgctxt": "street", "msgid": "Name", "nl": "Straatnaam", "en": "Name"}]),
                       encoding="utf-8")
    _script().main(pending, root=root)
    for name, text in before.items():
        after = (root / "translations" / name).read_text("utf-8")
        assert after.startswith(text.rstrip("\n")), f"{name} was rewritten, not appended to"
        assert after.count("\n") - text.count("\n") <= 4
    template = _catalogue_file(root / "translations" / "messages.pot")
    assert template.get("Name", context="street") is not None


def _catalogue_file(path: Path) -> Catalog:
    return read_po(io.BytesIO(path.read_bytes()))
