"""Automatic checks on text before it goes public. Pure functions: text in, reason codes ("flags") out.

A flag holds the text back for a staff member to look at; the poster sees a hint about what to remove. The checks
are deliberately simple and explainable: personal data (phone numbers, e-mail addresses, street and house number,
IBAN, BSN), links, words of abuse or spam, and near-duplicates of the same person's open items.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from rapidfuzz import fuzz

DUPLICATE_RATIO = 90  # rapidfuzz token_set_ratio at or above which two texts count as the same


class Moderation(StrEnum):
    """Whether an item may be public: ok, held for a staff member to look at, rejected by staff, or waiting until
    its poster confirms their e-mail address (webapp.accounts.confirmation; not in the staff queue)."""

    OK = "ok"
    HELD = "held"
    REJECTED = "rejected"
    WAITING = "waiting"


class Flag(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    IBAN = "iban"
    BSN = "bsn"
    LINK = "link"
    ABUSE = "abuse"
    SPAM = "spam"
    DUPLICATE = "duplicate"
    REPORTED = "reported"  # not from the text: enough people reported the item
    RESUBMITTED = "resubmitted"  # not from the text: the poster changed it after staff rejected it


PERSONAL_DATA = frozenset({Flag.PHONE, Flag.EMAIL, Flag.ADDRESS, Flag.IBAN, Flag.BSN})

# 06-12345678, 06 1234 5678, 0612345678, +31 6 12345678, +31 (0)6-1234 5678, 0031 6..., 023-5123456, (023) 512 34 56
_SEP = r"[\s\-.()/]*"
PHONE_RE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){_SEP}31{_SEP}(?:\(0\){_SEP})?|0)(?:\d{_SEP}){{8}}\d(?!\d)"
)
EMAIL_RE = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
LINK_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
STREET_SUFFIXES = (
    "straat", "straatweg", "laan", "weg", "plein", "gracht", "kade", "singel", "dreef", "hof", "pad", "steeg",
    "dijk", "baan", "markt", "plantsoen", "burgwal", "wal", "erf", "park", "kwartier", "vaart", "dwarsstraat",
)
_NOT_A_HOUSE_NUMBER = r"(?!\s*(?:keer|uur|min|minuten|km|kilometer|jaar|dag|dagen|week|weken|maand|maanden|euro|x|" \
                      r"times|hours|minutes|days|weeks|years|kg|mensen|people|tafels|stoelen)\b)"
ADDRESS_RE = re.compile(
    rf"\b[^\W\d_][^\W\d_'-]{{1,40}}(?:{'|'.join(STREET_SUFFIXES)})\s+\d{{1,4}}(?:\s?[a-z]\b|-\d{{1,3}})?\b"
    rf"{_NOT_A_HOUSE_NUMBER}",
    re.IGNORECASE,
)
# "Grote Markt 2", "Van Eeden Straat 3": a capitalised word before a separate street word.
ADDRESS_TWO_WORDS_RE = re.compile(
    rf"\b[A-Z][^\W\d_]+\s+(?:{'|'.join(s.capitalize() for s in STREET_SUFFIXES)})\s+\d{{1,4}}\b{_NOT_A_HOUSE_NUMBER}"
)
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b", re.IGNORECASE)
BSN_RE = re.compile(r"(?<![\d.,])(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{3}[.\s]?\d{3}[.\s]?\d{3})(?![\d,]|\.\d)")

# Words that are abuse in any context (Dutch and English). Kept short on purpose: staff see every hit.
ABUSE_WORDS = frozenset({
    "klootzak", "klootzakken", "kut", "kutwijf", "hoer", "hoeren", "tyfus", "tering", "teringlijer", "mongool",
    "debiel", "flikker", "kankerlijer", "oprotten",
    "fuck", "fucking", "motherfucker", "shit", "bitch", "asshole", "cunt", "bastard", "retard", "whore", "slut",
    "moron", "faggot",
})
# Words and phrases of advertising, money schemes and scams.
SPAM_WORDS = frozenset({
    "viagra", "cialis", "casino", "bitcoin", "crypto", "cryptomunt", "forex", "porno", "porn", "escort",
    "gratis geld", "snel geld", "verdien snel", "verdien thuis", "geld verdienen", "klik hier", "bel nu",
    "beste prijs", "investment", "earn money", "make money", "click here", "free money", "best price",
    "limited offer", "work from home", "loan offer",
    "whatsapp me", "dm me",
})


def normalise(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: how texts are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def _iban_valid(candidate: str) -> bool:
    code = "".join(candidate.split()).upper()  # the pattern allows any whitespace, a line break too
    if not 15 <= len(code) <= 34:
        return False
    moved = code[4:] + code[:4]
    try:
        digits = "".join(str(int(ch, 36)) for ch in moved)
    except ValueError:  # a character the pattern let through that is no IBAN character (e.g. the Kelvin sign)
        return False
    return int(digits) % 97 == 1


def bsn_valid(digits: str) -> bool:
    """The Dutch eleven-test for a citizen service number (BSN) of nine digits."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def _has_word(text: str, words: Iterable[str]) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) for word in words)


def personal_data(text: str) -> set[Flag]:
    found: set[Flag] = set()
    if PHONE_RE.search(text):
        found.add(Flag.PHONE)
    if EMAIL_RE.search(text):
        found.add(Flag.EMAIL)
    if ADDRESS_RE.search(text) or ADDRESS_TWO_WORDS_RE.search(text):
        found.add(Flag.ADDRESS)
    if any(_iban_valid(m.group(0)) for m in IBAN_RE.finditer(text)):
        found.add(Flag.IBAN)
    if any(bsn_valid(re.sub(r"\D", "", m.group(1))) for m in BSN_RE.finditer(text)):
        found.add(Flag.BSN)
    return found


def is_near_duplicate(text: str, others: Iterable[str], threshold: int = DUPLICATE_RATIO) -> bool:
    mine = normalise(text)
    return bool(mine) and any(fuzz.token_set_ratio(mine, normalise(other)) >= threshold for other in others)


def check_text(text: str, *, others: Iterable[str] = (), duplicate_ratio: int = DUPLICATE_RATIO) -> list[str]:
    """Every flag this text raises, sorted. `others`: the same person's open items, for near-duplicates."""
    flags = personal_data(text)
    if LINK_RE.search(text):
        flags.add(Flag.LINK)
    plain = normalise(text)
    if _has_word(plain, ABUSE_WORDS):
        flags.add(Flag.ABUSE)
    if _has_word(plain, SPAM_WORDS):
        flags.add(Flag.SPAM)
    if is_near_duplicate(text, others, duplicate_ratio):
        flags.add(Flag.DUPLICATE)
    return sorted(str(flag) for flag in flags)


def decide(flags: Iterable[str], current: str = Moderation.OK) -> str:
    """The moderation state after an automatic check: a rejected item stays rejected, an item waiting for its
    poster's confirmed address keeps waiting (its flags count when it is published); any flag holds it."""
    if current in (Moderation.REJECTED, Moderation.WAITING):
        return current
    return Moderation.HELD if list(flags) else Moderation.OK


def recheck(text: str, *, others: Iterable[str], current: str, previous_flags: Iterable[str] | None) -> \
        tuple[str, list[str]]:
    """The new moderation state and flags after the text was posted or changed.

    A hold because people reported the item stays until a staff member decides; a rejection stays rejected.
    """
    flags = set(check_text(text, others=others))
    if Flag.REPORTED in set(previous_flags or ()) and current != Moderation.OK:
        flags.add(Flag.REPORTED)
    ordered = sorted(str(flag) for flag in flags)
    return decide(ordered, current), ordered
