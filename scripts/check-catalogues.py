"""Check every translation catalogue: complete, not fuzzy, and safe to render.

    python scripts/check-catalogues.py            # every translations/<lang>/LC_MESSAGES/messages.po
    python scripts/check-catalogues.py tr ar      # only these languages

For each catalogue it checks that:
- the catalogue holds exactly the messages of translations/messages.pot (run `make translations-update` if not);
- the header and no message is marked fuzzy (gettext and Babel skip fuzzy text);
- the Plural-Forms header is the one Babel/CLDR gives for the language, and every message with a plural has
  exactly that many forms, none of them empty;
- no msgstr is empty;
- every form keeps the python-format placeholders of the msgid (`%(name)s`, `%(num)d`, `%%`), the `{name}`
  placeholders, the HTML tags and the HTML entities, and the leading and trailing whitespace;
- Babel's own catalogue checks pass.

Prints one line per problem and a summary per language; the exit status is 1 when anything is wrong.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "translations"
PYTHON_FORMAT = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")


def forms(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v or "") for v in value]
    return [str(value or "")]


def placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in PYTHON_FORMAT.finditer(text))


def tags(text: str) -> Counter[str]:
    return Counter(("/" if m.group(0).startswith("</") else "") + m.group(1).lower() for m in TAG.finditer(text))


def edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def check_message(lang: str, message, nplurals: int) -> list[str]:
    problems: list[str] = []
    ids = forms(message.id)
    strings = forms(message.string)
    label = repr(ids[0][:70])
    if message.fuzzy:
        problems.append(f"{lang}: fuzzy: {label}")
    plural = isinstance(message.id, (list, tuple))
    if plural and len(strings) != nplurals:
        problems.append(f"{lang}: {len(strings)} plural forms instead of {nplurals}: {label}")
    source = "\n".join(ids)
    # A plural's forms may each use the number or not in the source language; require the union of both.
    # Only python-format messages are %-formatted (Babel flags them); elsewhere a "%" is just a character.
    python_format = bool(message.python_format)
    want_format = set(placeholders(source)) if python_format else set()
    want_brace = set(BRACE.findall(source))
    want_tags = tags(ids[0])
    want_entities = Counter(ENTITY.findall(ids[0]))
    for index, text in enumerate(strings):
        where = f"{label}" + (f" [form {index}]" if plural else "")
        if not text.strip():
            problems.append(f"{lang}: empty msgstr: {where}")
            continue
        got_format = set(placeholders(text)) if python_format else set()
        if got_format != want_format:
            problems.append(f"{lang}: placeholders {sorted(got_format)} instead of {sorted(want_format)}: {where}")
        got_brace = set(BRACE.findall(text))
        if got_brace != want_brace:
            problems.append(f"{lang}: {{}} placeholders {sorted(got_brace)} instead of {sorted(want_brace)}: {where}")
        if tags(text) != want_tags:
            problems.append(f"{lang}: HTML tags {dict(tags(text))} instead of {dict(want_tags)}: {where}")
        if Counter(ENTITY.findall(text)) != want_entities:
            problems.append(f"{lang}: HTML entities differ: {where}")
        if edges(text) != edges(ids[min(index, len(ids) - 1)]) and edges(text) != edges(ids[0]):
            problems.append(f"{lang}: leading or trailing whitespace differs: {where}")
    return problems


def check_catalogue(lang: str, template_ids: set) -> tuple[list[str], int, int]:
    path = ROOT / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    problems: list[str] = []
    if catalog.fuzzy:
        problems.append(f"{lang}: the header is marked fuzzy, so the whole catalogue is skipped when compiling")
    expected = get_plural(lang)
    nplurals = catalog.num_plurals
    same_rule = catalog.plural_expr.replace(" ", "") == expected.plural_expr.replace(" ", "")
    if nplurals != expected.num_plurals or not same_rule:
        problems.append(f"{lang}: Plural-Forms is '{catalog.plural_forms}', Babel gives '{expected.plural_forms}'")
    messages = [m for m in catalog if m.id]
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    for missing in sorted(template_ids - ids):
        problems.append(f"{lang}: not in the catalogue (run make translations-update): {missing[:70]!r}")
    for extra in sorted(ids - template_ids):
        problems.append(f"{lang}: not in messages.pot any more: {extra[:70]!r}")
    translated = 0
    for message in messages:
        found = check_message(lang, message, nplurals)
        problems.extend(found)
        if all(s.strip() for s in forms(message.string)) and not message.fuzzy:
            translated += 1
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{lang}: babel: {error}: {forms(message.id)[0][:70]!r}")
    return problems, translated, len(messages)


def main(argv: list[str]) -> int:
    with (ROOT / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    langs = argv or sorted(p.parent.parent.name for p in ROOT.glob("*/LC_MESSAGES/messages.po"))
    failed = False
    for lang in langs:
        problems, translated, total = check_catalogue(lang, template_ids)
        for problem in problems:
            print(problem)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{lang}: {translated}/{total} translated, template {len(template_ids)}: {status}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
