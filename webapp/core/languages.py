"""The languages Samen speaks: one row per language, read by the configuration, the locale choice, the header's
language menu, the page's `lang`/`dir` and the formatting of dates and numbers.

Adding a language is a row here plus a catalogue (translations/README.md). `formatting` is the Babel locale for
dates and numbers: English readers in the Netherlands expect British order and a 24-hour clock (en_GB), while the
catalogue stays "en".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # the catalogue under translations/ and the value of `lang`
    name: str  # in the language itself, as a reader looks for it in a menu
    direction: str  # "ltr" or "rtl": the page's `dir`
    formatting: str  # the Babel locale for dates and numbers


TABLE: tuple[Language, ...] = (
    Language("nl", "Nederlands", "ltr", "nl"),
    Language("en", "English", "ltr", "en_GB"),
    Language("tr", "Türkçe", "ltr", "tr"),
    Language("ar", "العربية", "rtl", "ar"),
    Language("pl", "Polski", "ltr", "pl"),
    Language("uk", "Українська", "ltr", "uk"),
)
CODES: tuple[str, ...] = tuple(language.code for language in TABLE)
_BY_CODE = {language.code: language for language in TABLE}


def language(code: str) -> Language:
    """The row for a language code ("en", "en_GB" and "en-GB" all give English); Dutch for an unknown code."""
    primary = str(code).replace("-", "_").split("_")[0].lower()
    return _BY_CODE.get(primary, TABLE[0])


def formatting_locale(code: str) -> str:
    return language(code).formatting
