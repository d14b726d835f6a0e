"""The consent text a resident agrees to when staff take a request in for them, kept with a version id.

A text, once used, never changes: a new wording gets a new version id and becomes CURRENT_VERSION. Each intake
stores the version the resident agreed to, so the volunteer centre can show later exactly what was agreed. The
texts are legal wording in Dutch and English (not gettext strings: a catalogue update must never change them).
"""

from __future__ import annotations

CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-12-1": {
        "nl": ("Het vrijwilligerscentrum zet je vraag op Samen. Vrijwilligers in je wijk lezen je vraag, zonder"
               " je naam, adres of telefoonnummer. Een medewerker van het vrijwilligerscentrum is je "
               "contactpersoon. Je naam en telefoonnummer blijven bij het vrijwilligerscentrum. Je adres gaat "
               "alleen naar de vrijwilliger die je kiest, en alleen als je dat goed vindt. Je mag altijd "
               "stoppen: bel het vrijwilligerscentrum. Dan halen we je vraag offline en krijgen vrijwilligers "
               "je gegevens niet meer."),
        "en": ("The volunteer centre posts your request on Samen. Volunteers in your neighbourhood read your request, "
               "without your name, address or phone number. A staff member of the volunteer centre is your contact. "
               "Your name and phone number stay with the volunteer centre. Your address goes only to the volunteer "
               "you choose, and only if you agree. You can stop at any time: call the volunteer centre. We then take "
               "your request offline and volunteers no longer get your details."),
    },
}
CURRENT_VERSION = "2026-12-1"


def is_known(version: str) -> bool:
    return version in CONSENT_TEXTS


def consent_text(version: str, locale: str) -> str:
    """The text of a version in the reader's language: English for English readers, Dutch for everyone else (the
    text a resident agreed to is read out in Dutch or English; other languages are translated by the staff
    member)."""
    texts = CONSENT_TEXTS.get(version) or {}
    return texts.get("en" if locale == "en" else "nl", "")
