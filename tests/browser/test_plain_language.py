"""Plain language: the Dutch key pages contain none of the bureaucratic or technical words that B1 readers stumble
over. Many residents read little Dutch; "als" reads better than "indien", "sturen" better than "indienen".

This test needs no browser: it reads the pages as the app serves them (visible text and the texts a screen reader
reads out: aria-label, title, alt, placeholder, button values). Texts people type themselves are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient

# (word to avoid, a plain alternative). Each entry is matched as a whole word or phrase, case-insensitively;
# a "|" separates forms of the same word.
JARGON: list[tuple[str, str]] = [
    # Formal, bureaucratic Dutch
    ("middels|door middel van", "met"),
    ("conform", "volgens"),
    ("dient te|dienen te|dient u|dien je", "moet"),
    ("indien", "als"),
    ("teneinde|ten einde", "om"),
    ("alsmede", "en"),
    ("derhalve", "daarom"),
    ("reeds", "al"),
    ("ten behoeve van|t.b.v.", "voor"),
    ("ten aanzien van|t.a.v.", "over"),
    ("inzake", "over"),
    ("omtrent", "over"),
    ("betreffende|betreft", "over"),
    ("hetgeen", "wat"),
    ("voorts|tevens", "ook"),
    ("jegens", "tegenover"),
    ("mits", "als"),
    ("ingevolge", "door"),
    ("onverwijld", "meteen"),
    ("voornoemde?|bovengenoemde?|bovenstaande", "deze"),
    ("onderhavige?", "deze"),
    ("woonachtig", "wonen"),
    ("verstrekken|verstrekt", "geven"),
    ("desgewenst", "als je wilt"),
    ("dan wel", "of"),
    ("zulks", "dat"),
    ("indienen|ingediend", "sturen"),
    ("in behandeling", "we kijken ernaar"),
    ("aanvang", "begin"),
    # Technical words
    ("verifiëren|verifieer|verificatie|geverifieerd", "controleren"),
    ("authenticatie|authenticeren", "inloggen"),
    ("autorisatie|geautoriseerd", "mag"),
    ("valideren|validatie|gevalideerd", "controleren"),
    ("applicatie", "website"),
    ("portal|portaal", "website"),
    ("submit|submitten", "versturen"),
    ("dashboard", "mijn pagina"),
    ("notificaties?", "berichten"),
    ("credentials|inloggegevens", "e-mailadres en wachtwoord"),
    ("gebruikersnaam", "e-mailadres"),
    ("sessie", "(niet nodig)"),
    # Words of the care and welfare sector
    ("hulpvragers?|zorgvragers?", "iemand die hulp vraagt"),
    ("zelfredzaamheid|zelfredzaam", "zelf kunnen"),
    ("casus", "situatie"),
    ("participatie|participeren", "meedoen"),
    ("sociale basis", "(niet nodig)"),
]
PATTERNS = [(re.compile(r"(?<![\w-])(?:" + word.replace(".", r"\.") + r")(?![\w-])", re.IGNORECASE), word, plain)
            for word, plain in JARGON]
READ_OUT = {"aria-label", "title", "alt", "placeholder"}


class _Text(HTMLParser):
    """What a person sees or hears: text outside <script>/<style>, and the attributes read out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        self.parts += [value for name, value in attrs if name in READ_OUT and value]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def jargon_in(text: str) -> list[str]:
    found = []
    for pattern, _word, plain in PATTERNS:
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{match.group(0)!r} (try: {plain}) in “…{text[start:match.end() + 40]}…”")
            break
    return found


def test_the_jargon_check_finds_jargon() -> None:
    text = readable_text("<p>Indien u reeds een account heeft, dient u middels de <b>portal</b> in te loggen.</p>"
                         '<button aria-label="Submit formulier">→</button><script>var indien = 1;</script>')
    words = [entry.split(" ")[0].strip("'").lower() for entry in jargon_in(text)]
    assert words == ["middels", "dient", "indien", "reeds", "portal", "submit"]
    assert jargon_in(readable_text("<p>Als je al een account hebt, kun je inloggen. Stuur je vraag.</p>")) == []


def test_dutch_key_pages_use_plain_words(make: Any, anon: Callable[[str], FlaskClient],
                                         login: Callable[..., FlaskClient]) -> None:
    resident = make.user("resident", first_name="Ans")
    help_request = make.request(resident, title="Hulp bij boodschappen",
                                description="Ik kan niet goed lopen en zoek iemand voor de boodschappen.")
    visitor = anon("nl")
    owner = login(resident.email, lang="nl")
    pages = {
        "home": visitor.get("/"),
        "request list": visitor.get("/vragen/"),
        "register": visitor.get("/registreren"),
        "login": visitor.get("/inloggen"),
        "request page": visitor.get(f"/vragen/{help_request.public_id}"),
        "request page (owner)": owner.get(f"/vragen/{help_request.public_id}"),
        "request form": owner.get("/vragen/nieuw"),
        "request form with errors": owner.post("/vragen/nieuw", data={}),
        "register with errors": visitor.post("/registreren", data={}),
    }
    problems = []
    for name, response in pages.items():
        assert response.status_code in (200, 400, 422), f"{name}: HTTP {response.status_code}"
        html = response.get_data(as_text=True)
        assert '<html lang="nl"' in html, f"{name} is not in Dutch"
        problems += [f"{name}: {entry}" for entry in jargon_in(readable_text(html))]
    assert not problems, "Dutch pages use words that are hard at B1 level:\n" + "\n".join(problems)
