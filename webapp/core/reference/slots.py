"""Availability slots: weekday × part of the day, written like "tue-afternoon"."""

from __future__ import annotations

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAYPARTS = ("morning", "afternoon", "evening")
ALL_SLOTS = tuple(f"{day}-{part}" for day in WEEKDAYS for part in DAYPARTS)
# Languages offered in forms; the matching engine accepts any ISO 639 code.
LANGUAGES = ("nl", "en", "tr", "ar", "ber", "pl", "uk", "de", "fr", "es", "pap", "so", "ti", "fa")


def clean_slots(values: list[str]) -> list[str]:
    """Keep only known slots, in calendar order, without repeats."""
    wanted = set(values)
    return [slot for slot in ALL_SLOTS if slot in wanted]
