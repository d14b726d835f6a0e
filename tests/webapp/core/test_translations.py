"""The Dutch catalogue is complete, current and safe, and the site really speaks Dutch and English.

If one of the catalogue tests fails after you added or changed a text in webapp/:
    make translations-update      # extract the new strings and merge them into nl and en
    (translate the new entries in translations/nl/LC_MESSAGES/messages.po; leave en empty)
    make translations-compile     # build the .mo files the app reads
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.conftest import page_text
from tests.factories import Maker

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "translations"
NL_PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
NL_MO = NL_PO.with_suffix(".mo")
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"

FIX_CATALOGUE = ("run `make translations-update` and translate the new entries in "
                 "translations/nl/LC_MESSAGES/messages.po, then `make translations-compile`")

# %(name)s, %(num)d, %(hours).1f ... and a literal %%.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")


# ---------------------------------------------------------------- helpers


def load_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parts[-3])


def messages(catalog: Catalog) -> list[Message]:
    """Every real entry (not the header, not obsolete #~ entries)."""
    return [message for message in catalog if message.id]


def msgid_text(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def untranslated_or_fuzzy(catalog: Catalog) -> list[str]:
    bad = []
    for message in messages(catalog):
        if message.fuzzy:
            bad.append(f"fuzzy: {msgid_text(message)!r}")
        elif not all(forms(message.string)):
            bad.append(f"empty: {msgid_text(message)!r}")
    return bad


def placeholders(text: str) -> set[str]:
    return {match.group(0) if match.group(1) is None else match.group(1) for match in PLACEHOLDER.finditer(text)}


def placeholder_mismatches(catalog: Catalog) -> list[str]:
    bad = []
    for message in messages(catalog):
        expected: set[str] = set().union(*(placeholders(text) for text in forms(message.id)))
        for index, translation in enumerate(forms(message.string)):
            if translation and placeholders(translation) != expected:
                bad.append(f"{msgid_text(message)!r} → msgstr[{index}] {translation!r}: "
                           f"has {sorted(placeholders(translation))}, needs {sorted(expected)}")
    return bad


def extraction_keywords() -> dict[str, Any]:
    """The default gettext keywords plus the extra `-k` ones the Makefile passes to extract."""
    keywords: dict[str, Any] = dict(DEFAULT_KEYWORDS)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extract_line = next((line for line in makefile.splitlines() if "frontend extract" in line), "")
    for keyword in re.findall(r"-k\s+(\S+)", extract_line) or ["_l", "lazy_gettext"]:
        keywords.setdefault(keyword, None)
    return keywords


def extract_source_messages() -> dict[tuple[str, str | None], tuple[str | tuple[str, ...], str]]:
    """What `make translations-extract` would find right now: {(msgid, context): (id or (id, plural), where)}."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]

    def only_webapp(path: str) -> bool:
        # absolute(), not resolve(): a symlinked folder (a shared .venv) must not lead outside ROOT
        relative = Path(path).absolute().relative_to(ROOT).parts
        return not relative or relative[0] == "webapp"

    found: dict[tuple[str, str | None], tuple[str | tuple[str, ...], str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=extraction_keywords(), directory_filter=only_webapp):
        if not message or not (message if isinstance(message, str) else message[0]):
            continue
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault((msgid, context), (message, f"{filename}:{lineno}"))
    return found


def missing_from(catalog: Catalog, extracted: dict[tuple[str, str | None], tuple[Any, str]]) -> list[str]:
    missing = []
    for (msgid, context), (message, where) in sorted(extracted.items(), key=lambda item: item[1][1]):
        entry = catalog.get(msgid, context)
        if entry is None:
            missing.append(f"{where}: {msgid!r}")
        elif tuple(forms(message)) != tuple(forms(entry.id)):
            missing.append(f"{where}: {msgid!r} (plural form changed)")
    return missing


@pytest.fixture(scope="module")
def nl_catalogue() -> Catalog:
    return load_po(NL_PO)


# ---------------------------------------------------------------- the catalogue


def test_dutch_catalogue_has_no_empty_or_fuzzy_entries(nl_catalogue: Catalog) -> None:
    assert messages(nl_catalogue), "the Dutch catalogue is empty"
    assert not nl_catalogue.fuzzy, "the header of nl/messages.po is marked fuzzy, so it would not be compiled"
    bad = untranslated_or_fuzzy(nl_catalogue)
    assert not bad, f"{len(bad)} Dutch entries are not translated (translate them in {NL_PO.relative_to(ROOT)}):\n" \
        + "\n".join(bad)


def test_every_source_string_is_in_the_dutch_catalogue(nl_catalogue: Catalog) -> None:
    extracted = extract_source_messages()
    assert len(extracted) > 50, "extraction found almost nothing: is babel.cfg still pointing at webapp/?"
    missing = missing_from(nl_catalogue, extracted)
    assert not missing, f"{len(missing)} texts in webapp/ are not in the Dutch catalogue: {FIX_CATALOGUE}.\n" \
        + "\n".join(missing)


def test_dutch_placeholders_match_the_english(nl_catalogue: Catalog) -> None:
    bad = placeholder_mismatches(nl_catalogue)
    assert not bad, "Dutch translations must keep the placeholders of the English exactly:\n" + "\n".join(bad)


def test_compiled_dutch_catalogue_matches_the_po_file(nl_catalogue: Catalog) -> None:
    assert NL_MO.exists() and EN_MO.exists(), f"no compiled catalogue: run `make translations-compile` ({NL_MO})"
    with NL_MO.open("rb") as handle:
        compiled = {tuple(forms(message.id)): forms(message.string) for message in read_mo(handle) if message.id}
    stale = [msgid_text(message) for message in messages(nl_catalogue)
             if compiled.get(tuple(forms(message.id))) != forms(message.string)]
    assert not stale, f"{NL_MO.relative_to(ROOT)} is older than the .po file: run `make translations-compile`. " \
        f"Differs for: {stale[:10]}"


def test_the_checks_catch_a_broken_catalogue() -> None:
    """The checks above really fail: feed them a catalogue with each kind of mistake."""
    broken = Catalog(locale="nl")
    broken.add("Hello %(name)s", "Hallo")                           # placeholder lost
    broken.add("Log in", "")                                          # empty
    broken.add("Log out", "Uitloggen", flags=["fuzzy"])               # fuzzy
    broken.add(("%(num)d request", "%(num)d requests"), ("%(num)d vraag", ""))  # one plural form empty
    broken.add("Send", "Versturen")
    assert sorted(untranslated_or_fuzzy(broken)) == [
        "empty: '%(num)d request'", "empty: 'Log in'", "fuzzy: 'Log out'"]
    assert [line.split(" →")[0] for line in placeholder_mismatches(broken)] == ["'Hello %(name)s'"]
    extracted: dict[tuple[str, str | None], tuple[Any, str]] = {
        ("Send", None): ("Send", "a.py:1"),
        ("Save", None): ("Save", "a.py:2"),                                            # not in the catalogue
        ("%(num)d request", None): (("%(num)d request", "%(num)d requests"), "a.py:3"),
        ("Hello %(name)s", None): (("Hello %(name)s", "Hello all"), "a.py:4"),       # became a plural
    }
    assert missing_from(broken, extracted) == ["a.py:2: 'Save'", "a.py:4: 'Hello %(name)s' (plural form changed)"]


# ---------------------------------------------------------------- the site in both languages


def dutch(msgid: str, catalogue: Catalog) -> str:
    entry = catalogue.get(msgid)
    assert entry is not None and entry.string and entry.string != msgid, f"{msgid!r} has no Dutch translation"
    return str(entry.string)


def test_home_page_is_dutch_by_default(client: FlaskClient, nl_catalogue: Catalog) -> None:
    page = page_text(client.get("/"))
    assert '<html lang="nl" dir="ltr">' in page
    assert dutch("Ask for help", nl_catalogue) in page, "no Dutch on the page: run `make translations-compile`"
    assert dutch("Skip to content", nl_catalogue) in page
    assert ">Ask for help<" not in page


def test_home_page_follows_the_browser_language(client: FlaskClient, nl_catalogue: Catalog) -> None:
    page = page_text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="en" dir="ltr">' in page
    assert "Ask for help" in page and "Skip to content" in page
    assert "0 open requests" in page, "an English plural (ngettext) came out wrong"
    assert dutch("Ask for help", nl_catalogue) not in page

    page = page_text(client.get("/", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}))
    assert '<html lang="nl" dir="ltr">' in page


def test_language_switch_is_remembered_in_the_session(client: FlaskClient, nl_catalogue: Catalog) -> None:
    response = client.get("/taal/en?next=/vragen")
    assert response.status_code == 302 and response.headers["Location"].endswith("/vragen")
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    page = page_text(client.get("/", headers={"Accept-Language": "nl"}))
    assert '<html lang="en" dir="ltr">' in page and "Ask for help" in page

    client.get("/taal/xx")                       # an unknown language changes nothing
    assert '<html lang="en" dir="ltr">' in page_text(client.get("/"))

    client.get("/taal/nl")
    page = page_text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="nl" dir="ltr">' in page and dutch("Ask for help", nl_catalogue) in page


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    response = client.get("/taal/en?next=//evil.example/")
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_dates_and_day_parts_follow_the_language(client: FlaskClient, make: Maker) -> None:
    on_date = date(date.today().year + 1, 3, 17)     # always in the future; March: "mrt" in Dutch, "Mar" in English
    requester = make.user("resident")
    help_request = make.request(requester, on_date=on_date, slots=["tue-afternoon", "wed-morning"])
    url = f"/vragen/{help_request.public_id}"

    page = page_text(client.get(url))
    assert '<html lang="nl" dir="ltr">' in page
    dutch_date = format_date(on_date, "medium", locale="nl")
    assert "mrt" in dutch_date and dutch_date in page
    assert "dinsdagmiddag" in page and "woensdagochtend" in page

    page = page_text(client.get(url, headers={"Accept-Language": "en"}))
    english_date = format_date(on_date, "medium", locale="en_GB")  # 17 Mar, not Mar 17
    assert "Mar" in english_date and english_date in page and dutch_date not in page
    assert "Tuesday afternoon" in page and "Wednesday morning" in page
