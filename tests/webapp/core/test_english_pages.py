"""English pages contain no Dutch word except names of places and organisations (issue #15).

The crawl opens every page without parameters that each role can open, in English, and looks for words that appear
only on the Dutch side of the catalogue: in some Dutch translation, but in no English source text. Names of places
(wijken, stadsdelen, buurten from the reference data) and organisations are allowed; so is what people typed.
"""

from __future__ import annotations

import csv
import html
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.privacy.views import DEFAULT_CONTROLLER

ROOT = Path(__file__).resolve().parents[3]
WORD = re.compile(r"[A-Za-zÀ-ÿ]{4,}")
# Names and loan words English pages use on purpose.
ALLOWED = {"nederlands",  # the language switcher names each language in that language
           # English words too
           "even", "over", "also", "hand", "post", "team", "code", "data", "mail", "link", "test", "postcodes",
           "internet",
           "ballot", "wijkbudget",  # the name of the city's programme (Wijkbudget Schalkwijk 2027)
           "samen", "haarlem", "haarlemmer", "vrijwilligerscentrale", "dock", "wijkteam", "wijkteams",
           "buuv", "nlvoorelkaar", "kennemerland", "spaarnelanden", "haarlemmermeer"}

DUTCH_IN_MSGIDS = {"wijk", "wijken", "stadsdeel", "stadsdelen"}


def _texts(message_id_or_string):
    if isinstance(message_id_or_string, (list, tuple)):
        return [t for t in message_id_or_string if t]
    return [message_id_or_string] if message_id_or_string else []


@cache
def dutch_only_words() -> frozenset[str]:
    with (ROOT / "translations/nl/LC_MESSAGES/messages.po").open("rb") as handle:
        nl = read_po(handle, locale="nl")
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        en = read_po(handle, locale="en")
    dutch, english = set(), set()
    for message in nl:
        for text in _texts(message.string):
            dutch |= {w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)[sd]", " ", text))}
    for message in en:  # what English pages show (the msgids say "wijk"; the English catalogue says "neighbourhood")
        for text in _texts(message.string):
            english |= {w.lower() for w in WORD.findall(text)}
    for message in nl:  # and a source text the English catalogue does not have yet, as it is
        translated = en.get(message.id[0] if isinstance(message.id, tuple) else message.id)
        shown = _texts(translated.string) if translated is not None else []
        for text in shown or _texts(message.id):
            english |= {w.lower() for w in WORD.findall(text)}
    # Dutch words English msgids use on purpose, which the English catalogue words in English: always Dutch here.
    return frozenset((dutch - english) | DUTCH_IN_MSGIDS) - ALLOWED - place_words()


@cache
def place_words() -> frozenset[str]:
    words = set()
    data = ROOT / "webapp/core/reference/data"
    for name in ("haarlem_wijken.csv", "haarlem_buurten.csv"):
        with (data / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for key in ("stadsdeel", "wijk", "buurt"):
                    words |= {w.lower() for w in WORD.findall(row.get(key) or "")}
    return frozenset(words)


def page_words(raw: str) -> set[str]:
    return {w.lower() for w in WORD.findall(page_text_only(raw))}


def page_text_only(raw: str) -> str:
    body = raw.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    # Dutch names marked as such (lang="nl"): the switcher, the authority's name, the Dutch statement's title.
    body = re.sub(r'<(\w+)\b[^>]*\blang="nl"[^>]*>.*?</\1>', " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(body).split())


def in_context(text: str, word: str) -> str:
    found = re.search(rf"(?i)(?<![A-Za-zÀ-ÿ]){word}(?![A-Za-zÀ-ÿ])", text)
    return f"{word}: …{text[max(0, found.start() - 60):found.end() + 20]}…" if found else word


def get_pages(app) -> list[str]:
    skip = ("/static", "/health", "/sw.js", "/offline", "/manifest", "/uitloggen", "/taal")
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(skip):
            paths.append(rule.rule)
    return sorted(set(paths))


@pytest.mark.parametrize("role", ["anonymous", "resident", "volunteer", "organiser", "staff"])
def test_english_pages_have_no_dutch_words(app, make, login, anon, role):
    client = anon("en") if role == "anonymous" else login(make.user(role, first_name="Alex").email, lang="en")
    dutch = dutch_only_words()
    controller = app.config.get("PRIVACY_CONTROLLER", DEFAULT_CONTROLLER)
    found: dict[str, set[str]] = {}  # page: each Dutch word in its sentence
    for path in get_pages(app):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        # The volunteer centre's own name and address (config; a Dutch placeholder until it is filled in).
        text = page_text_only(response.get_data(as_text=True)).replace(controller, " ")
        words = {w.lower() for w in WORD.findall(text)} & dutch
        if words:
            found[path] = {in_context(text, word) for word in sorted(words)}
    assert not found, f"Dutch words on English pages for {role}: {found}"
