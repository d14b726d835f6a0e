"""Build demo data as plain records, without a database: same reference data, seed, scale and "now" give the
same records. `webapp.demo.services` writes them to the database.

Records point at each other by position in their lists (a request's `requester` is an index into
`DemoData.people`), so nothing here needs a database id.
"""

from __future__ import annotations

import base64
import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import TypeVar

from webapp.core.reference.slots import ALL_SLOTS, DAYPARTS, WEEKDAYS
from webapp.demo import texts

SEED = 2026
DEMO_DOMAIN = "demo.samen.nl"
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - a published password for demo accounts only
# The two-step login secret of the demo staff and admin accounts (published too): add it to an authenticator app,
# or print the current code with `flask --app webapp accounts totp-code consulent@demo.samen.nl`.
DEMO_TOTP_SECRET = "SAMENDEMOHAARLEMTOTPSECRET234567"  # noqa: S105

RESIDENTS_PER_SCALE = 200
VOLUNTEERS_PER_SCALE = 120
REQUESTS_PER_SCALE = 400
OFFERS_PER_SCALE = 40
HISTORY_DAYS = 365
NOTIFICATION_DAYS = 30  # events younger than this leave a notification

# How often each category is asked for (relative). paperwork + homework (always screened) ≈ 5 %.
CATEGORY_WEIGHTS = {
    "groceries": 12, "transport": 10, "odd_jobs": 11, "garden": 6, "company": 10, "digital": 13, "paperwork": 2.5,
    "language": 7, "homework": 2, "moving": 4, "pets": 4, "meals": 3, "exercise": 4, "work": 4,
    "carer_respite": 3, "other": 3,
}
RECURRING = {"company": 0.5, "language": 0.6, "homework": 0.6, "exercise": 0.5, "carer_respite": 0.5, "pets": 0.3,
             "groceries": 0.25, "meals": 0.3}
# Hours one occurrence takes: (low, high).
HOURS = {
    "groceries": (0.5, 2), "transport": (1, 4), "odd_jobs": (0.5, 3), "garden": (1.5, 5), "company": (1, 3),
    "digital": (0.5, 2), "paperwork": (1, 3), "language": (1, 2), "homework": (1, 2), "moving": (2, 8),
    "pets": (0.5, 2), "meals": (1, 3), "exercise": (1, 2), "work": (1, 3), "carer_respite": (2, 5), "other": (1, 3),
}
# Categories in which a poster sometimes asks for a screened volunteer of their own accord.
OPTIONAL_SCREENING = ("company", "carer_respite", "language", "pets", "exercise", "other")
# Languages volunteers speak besides their origin's: (code, chance).
EXTRA_VOLUNTEER_LANGUAGES = (("en", 0.55), ("de", 0.1), ("fr", 0.06), ("es", 0.04))
RESPONSE_COUNTS = ((0, 0.2), (1, 0.32), (2, 0.26), (3, 0.13), (4, 0.06), (5, 0.03))
RELATIVES = (("moeder", "haar", "mother", "her"), ("vader", "hem", "father", "him"), ("oma", "haar", "grandmother",
             "her"), ("opa", "hem", "grandfather", "him"), ("buurvrouw", "haar", "neighbour", "her"),
             ("buurman", "hem", "neighbour", "him"))
ProgressFn = Callable[[str], None]
V = TypeVar("V")
FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"


# --- Reference data, as read from the database -------------------------------------------------------------------

@dataclass(frozen=True)
class WijkRef:
    code: str
    name: str
    stadsdeel: str
    inhabitants: int
    pc4s: tuple[tuple[str, float], ...]  # (pc4, weight), sorted by pc4


@dataclass(frozen=True)
class CategoryRef:
    key: str
    requires_screening: bool


@dataclass(frozen=True)
class Reference:
    wijken: tuple[WijkRef, ...]  # sorted by code
    categories: tuple[CategoryRef, ...]  # in display order


# --- Records -------------------------------------------------------------------------------------------------------

@dataclass
class ProfileRecord:
    skills: list[str]
    languages: list[str]
    postcode: str
    wijk_code: str
    max_distance_km: float
    availability: list[str]
    bio: str
    is_screened: bool
    screened_at: datetime | None
    interests: tuple[str, ...]  # categories; not stored, used to pick requests and offers
    updated_at: datetime


@dataclass
class PersonRecord:
    public_id: str
    email: str | None  # None: a resident a consulent posts for; no login
    first_name: str
    last_name: str
    phone: str
    postcode: str
    wijk_code: str | None
    locale: str
    roles: tuple[str, ...]
    created_at: datetime
    last_login_at: datetime | None
    speaks: tuple[str, ...]
    writes: str  # "nl" or "en": the language they type in
    activity: float  # relative chance to be picked for requests or responses
    profile: ProfileRecord | None = None
    fixed: bool = False  # one of the five demo log-ins


@dataclass
class OfferRecord:
    public_id: str
    volunteer: int
    title: str
    description: str
    category_key: str
    wijk_code: str
    slots: list[str]
    languages: list[str]
    status: str
    created_at: datetime


@dataclass
class RequestRecord:
    public_id: str
    requester: int
    title: str
    description: str
    category_key: str
    wijk_code: str
    on_date: date | None
    slots: list[str]
    languages: list[str]
    is_recurring: bool
    needs_screening: bool
    offer: int | None
    status: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    text_language: str


@dataclass
class ResponseRecord:
    public_id: str
    request: int
    volunteer: int
    message: str
    status: str
    created_at: datetime


@dataclass
class MatchRecord:
    request: int
    response: int
    volunteer: int
    created_at: datetime
    done_at: datetime | None
    hours: float | None
    requester_thanks: str
    volunteer_thanks: str


@dataclass
class NotificationRecord:
    user: int
    kind: str
    params: dict[str, str]
    created_at: datetime
    read_at: datetime | None


@dataclass
class DemoData:
    people: list[PersonRecord] = field(default_factory=list)
    offers: list[OfferRecord] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    responses: list[ResponseRecord] = field(default_factory=list)
    matches: list[MatchRecord] = field(default_factory=list)
    notifications: list[NotificationRecord] = field(default_factory=list)


def fixed_now(today: date) -> datetime:
    """The moment the history ends: midnight (UTC) at the start of `today`."""
    return datetime(today.year, today.month, today.day)


def generate(reference: Reference, scale: int = 1, *, seed: int = SEED, now: datetime,
             expiry_days: int = 60, progress: ProgressFn | None = None) -> DemoData:
    """All demo records for this scale. Deterministic in (reference, scale, seed, now, expiry_days)."""
    return _Generator(reference, Random(seed), now, expiry_days, progress).run(scale)


# --- Small helpers -------------------------------------------------------------------------------------------------

class _Picker:
    """Weighted choice from a fixed list, O(log n) per draw."""

    def __init__(self, items: list[int], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: Random) -> int:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total, hi=len(self.cum) - 1)]


def _weighted(rng: Random, pairs: Sequence[tuple[V, float]]) -> V:
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])")


def _capitalise(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _round_half(value: float) -> float:
    return max(0.5, round(value * 2) / 2)


# --- The generator -------------------------------------------------------------------------------------------------

class _Generator:
    def __init__(self, ref: Reference, rng: Random, now: datetime, expiry_days: int,
                 progress: ProgressFn | None) -> None:
        self.ref = ref
        self.rng = rng
        self.now = now
        self.expiry = timedelta(days=expiry_days)
        self.progress = progress
        self.data = DemoData()
        self.used_ids: set[str] = set()
        self.wijk_by_code = {w.code: w for w in ref.wijken}
        self.wijk_picker = _Picker(list(range(len(ref.wijken))), [w.inhabitants for w in ref.wijken])
        self.pc4_pickers = {w.code: _Picker(list(range(len(w.pc4s))), [wt for _, wt in w.pc4s]) for w in ref.wijken}
        keys = [c.key for c in ref.categories]
        self.category_keys = keys
        self.category_picker = _Picker(list(range(len(keys))), [CATEGORY_WEIGHTS.get(k, 3) for k in keys])
        self.screened_categories = {c.key for c in ref.categories if c.requires_screening}
        self.origins = list(texts.ORIGINS)
        self.origin_weights = [(o, texts.ORIGINS[o][0]) for o in self.origins]
        self.residents: list[int] = []
        self.volunteers: list[int] = []

    # -- identifiers and small values --

    def public_id(self) -> str:
        while True:
            token = base64.urlsafe_b64encode(self.rng.randbytes(9)).decode("ascii")
            if token not in self.used_ids:
                self.used_ids.add(token)
                return token

    def postcode(self, wijk_code: str) -> str:
        wijk = self.wijk_by_code[wijk_code]
        pc4 = wijk.pc4s[self.pc4_pickers[wijk_code].pick(self.rng)][0]
        if not pc4:
            return ""
        while True:
            letters = self.rng.choice(LETTERS) + self.rng.choice(LETTERS)
            if letters not in FORBIDDEN_POSTCODE_LETTERS:
                return f"{pc4} {letters}"

    def phone(self) -> str:
        return f"06-{self.rng.randint(10000000, 64999999)}"

    def daytime(self, moment: datetime, not_before: datetime | None = None) -> datetime:
        """The same moment, moved into waking hours (7:00-23:00) when it falls in the night."""
        moment = moment.replace(second=0, microsecond=0)
        if 7 <= moment.hour < 23:
            return moment
        day = moment.date()
        hour = self.rng.choice((8, 9, 10, 10, 11, 13, 14, 15, 16, 19, 20, 20, 21, 22))
        moved = datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59))
        if moved < moment and moment.hour >= 23:
            moved += timedelta(days=1)
        if (not_before is not None and moved <= not_before) or moved >= self.now:
            return moment
        return moved

    def off_the_edge(self, created: datetime) -> datetime:
        """Nothing is posted so that it would still be open now but expire before the day is over."""
        if self.expiry - timedelta(days=2) <= self.now - created < self.expiry:
            return created - timedelta(days=2)
        return created

    def slots(self, low: int, high: int) -> list[str]:
        days = self.rng.sample(WEEKDAYS, self.rng.randint(1, 3))
        wanted: set[str] = set()
        for day in days:
            for part in self.rng.sample(DAYPARTS, self.rng.randint(1, 2)):
                wanted.add(f"{day}-{part}")
        chosen = [s for s in ALL_SLOTS if s in wanted]
        return chosen[: self.rng.randint(low, high)] or chosen[:1]

    def context(self, slot: str | None, wijk: str, speaks: tuple[str, ...] = ()) -> _Fill:
        day, _, part = (slot or self.rng.choice(ALL_SLOTS)).partition("-")
        other = next((code for code in speaks if code not in ("nl", "en")), "ar")
        rel, hem_haar, rel_en, him_her = self.rng.choice(RELATIVES)
        return _Fill(
            dag=texts.DAYS_NL[day], deel=texts.PARTS_NL[part], day=texts.DAYS_EN[day], part=texts.PARTS_EN[part],
            wijk=wijk, n=str(self.rng.randint(2, 4)), leeftijd=str(self.rng.randint(72, 94)),
            age=str(self.rng.randint(70, 92)), kind=str(self.rng.randint(4, 8)),
            taal=texts.LANGUAGE_NAMES_NL.get(other, other), lang=texts.LANGUAGE_NAMES_EN.get(other, other),
            dier=self.rng.choice(texts.PET_NAMES), pet=self.rng.choice(texts.PET_NAMES),
            rel=rel, hem_haar=hem_haar, rel_en=rel_en, him_her=him_her,
        )

    def mangle(self, text: str, lang: str) -> str:
        """Type it the way people do on a phone: informal words, a typo, no capital, no full stop."""
        rng = self.rng
        pairs = texts.INFORMAL_EN if lang == "en" else texts.INFORMAL_NL
        for old, new in pairs:
            if old in text and rng.random() < 0.5:
                text = text.replace(old, new, 1)
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if candidates:
            i = rng.choice(candidates)
            w = words[i]
            j = rng.randrange(1, len(w) - 1)
            op = rng.random()
            if op < 0.4:
                w = w[:j] + w[j + 1:]
            elif op < 0.8:
                w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1:]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
        text = " ".join(words)
        if rng.random() < 0.4:
            text = text[:1].lower() + text[1:]
        if rng.random() < 0.3:
            text = text.rstrip(".")
        elif rng.random() < 0.15:
            text = text.rstrip(".!") + "!!"
        return text

    # -- people --

    def person(self, *, email: str | None, roles: tuple[str, ...], wijk_code: str, volunteer: bool) -> PersonRecord:
        rng = self.rng
        origin = str(_weighted(rng, self.origin_weights))
        _, firsts, lasts, speaks_options, english = texts.ORIGINS[origin]
        speaks = tuple(_weighted(rng, [(s, w) for w, s in speaks_options]))  # type: ignore[arg-type]
        if volunteer and origin in ("turkish", "moroccan", "arabic") and "nl" not in speaks:
            speaks = (*speaks, "nl")  # volunteers mostly get by in Dutch
        writes = "en" if "en" in speaks and ("nl" not in speaks or rng.random() < english) else "nl"
        if "nl" not in speaks and "en" not in speaks:
            writes = "en" if rng.random() < 0.3 else "nl"
        created = self.now - timedelta(days=rng.uniform(20, 900), minutes=rng.randint(0, 1439))
        return PersonRecord(
            public_id=self.public_id(), email=email, first_name=rng.choice(firsts), last_name=rng.choice(lasts),
            phone=self.phone() if rng.random() < 0.92 else "", postcode=self.postcode(wijk_code),
            wijk_code=wijk_code, locale="en" if writes == "en" else "nl", roles=roles, created_at=created,
            last_login_at=None, speaks=tuple(sorted(speaks)), writes=writes,
            activity=min(rng.paretovariate(1.6), 12.0),
        )

    def wijk_for(self, i: int) -> str:
        """Every wijk first, then by number of inhabitants."""
        wijken = self.ref.wijken
        return wijken[i].code if i < len(wijken) else wijken[self.wijk_picker.pick(self.rng)].code

    def make_residents(self, count: int) -> None:
        for i in range(count):
            person = self.person(email=None, roles=("resident",), wijk_code=self.wijk_for(i), volunteer=False)
            no_login = ("nl" not in person.speaks and "en" not in person.speaks and self.rng.random() < 0.4) or (
                self.rng.random() < 0.03)
            person.email = None if no_login else f"bewoner{i + 1}@{DEMO_DOMAIN}"
            if self.rng.random() < 0.03:
                person.roles = ("organiser", "resident")
            self.residents.append(len(self.data.people))
            self.data.people.append(person)

    def make_volunteers(self, count: int) -> None:
        for i in range(count):
            roles = ("resident", "volunteer") if self.rng.random() < 0.1 else ("volunteer",)
            person = self.person(email=f"vrijwilliger{i + 1}@{DEMO_DOMAIN}", roles=roles,
                                 wijk_code=self.wijk_for(i), volunteer=True)
            person.profile = self.profile(person)
            self.volunteers.append(len(self.data.people))
            self.data.people.append(person)

    def profile(self, person: PersonRecord) -> ProfileRecord:
        rng = self.rng
        interest_pairs = [(k, texts.VOLUNTEER_INTERESTS.get(k, 3)) for k in self.category_keys]
        interests: list[str] = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            key = str(_weighted(rng, interest_pairs))
            if key not in interests:
                interests.append(key)
        skills: list[str] = []
        for key in interests:
            dutch, english = texts.SKILL_TAGS.get(key, ((key,), (key,)))
            pool = english if person.writes == "en" or rng.random() < 0.15 else dutch
            for tag in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2)))):
                if tag.lower() not in {s.lower() for s in skills}:
                    skills.append(tag)
        languages = set(person.speaks)
        for code, chance in EXTRA_VOLUNTEER_LANGUAGES:
            if rng.random() < chance:
                languages.add(code)
        wants_screening = any(k in self.screened_categories or k == "carer_respite" for k in interests)
        screened = rng.random() < (0.6 if wants_screening else 0.24)
        screened_at = (person.created_at + timedelta(days=rng.uniform(5, 40))) if screened else None
        if screened_at is not None and screened_at >= self.now:
            screened_at = self.now - timedelta(days=1)
        return ProfileRecord(
            skills=skills, languages=sorted(languages),
            postcode=person.postcode, wijk_code=person.wijk_code or "",
            max_distance_km=float(rng.choice((1, 1.5, 2, 2, 3, 3, 3, 5, 5, 7.5, 10))),
            availability=self.slots(2, 9), bio=self.bio(person, interests), is_screened=screened,
            screened_at=screened_at, interests=tuple(interests),
            updated_at=person.created_at,
        )

    def bio(self, person: PersonRecord, interests: list[str]) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            return ""
        wijk = self.wijk_by_code[person.wijk_code or self.ref.wijken[0].code].name
        ctx = _Fill(wijk=wijk, n=str(rng.randint(1, 9)))
        if person.writes == "en":
            about, why, skills, tags = texts.BIO_EN_ABOUT, texts.BIO_EN_WHY, texts.BIO_EN_SKILLS, 1
        else:
            about, why, skills, tags = texts.BIO_NL_ABOUT, texts.BIO_NL_WHY, texts.BIO_NL_SKILLS, 0
        skill = texts.SKILL_TAGS.get(interests[0], ((interests[0],), (interests[0],)))[tags][0].lower()
        ctx["skill"] = skill
        parts = [rng.choice(about), rng.choice(why)]
        if rng.random() < 0.6:
            parts.append(rng.choice(skills))
        text = " ".join(p.format_map(ctx) for p in parts)
        return self.mangle(text, person.writes) if rng.random() < 0.15 else text

    # -- offers --

    def make_offers(self, count: int) -> None:
        rng = self.rng
        picker = _Picker(self.volunteers, [self.data.people[v].activity for v in self.volunteers])
        for _ in range(count):
            for _attempt in range(20):
                v = picker.pick(rng)
                person = self.data.people[v]
                assert person.profile is not None
                key = rng.choice(person.profile.interests)
                if key not in self.screened_categories or person.profile.is_screened:
                    break
            self.offer(v, key)

    def offer(self, v: int, key: str, *, title: str | None = None, description: str | None = None,
              created_at: datetime | None = None) -> int:
        rng = self.rng
        person = self.data.people[v]
        assert person.profile is not None
        nl_options, en_options = texts.OFFERS[key] if key in texts.OFFERS else texts.OFFERS["other"]
        chosen_title, chosen_description = rng.choice(en_options if person.writes == "en" else nl_options)
        created = created_at or max(person.created_at + timedelta(days=1),
                                    self.now - timedelta(days=rng.uniform(3, HISTORY_DAYS)))
        status = "closed" if rng.random() < 0.15 and created < self.now - timedelta(days=90) else "open"
        availability = person.profile.availability
        self.data.offers.append(OfferRecord(
            public_id=self.public_id(), volunteer=v, title=title or chosen_title,
            description=description or chosen_description, category_key=key, wijk_code=person.wijk_code or "",
            slots=[s for s in availability if rng.random() < 0.7] or availability[:1],
            languages=list(person.profile.languages), status=status,
            created_at=min(created, self.now - timedelta(hours=2)).replace(second=0, microsecond=0),
        ))
        return len(self.data.offers) - 1

    # -- requests --

    def request_text(self, key: str, lang: str, speaks: tuple[str, ...], wijk: str, slot: str | None,
                     screening_note: bool) -> tuple[str, str]:
        rng = self.rng
        entry = texts.REQUESTS.get(key, texts.REQUESTS["other"])
        ctx = self.context(slot, wijk, speaks)
        only_other = "nl" not in speaks and "en" not in speaks
        if lang == "en":
            stories, generic = entry["en"], entry["en_titles"]
            openers, timing, closings = entry.get("en_openers", texts.EN_OPENERS), texts.EN_TIMING, texts.EN_CLOSINGS
            notes = texts.EN_LANGUAGE_NOTES[:2] if only_other else texts.EN_LANGUAGE_NOTES[2:]
            screening = texts.SCREENING_NOTES_EN
        else:
            stories, generic = entry["nl"], entry["nl_titles"]
            openers, timing, closings = entry.get("nl_openers", texts.NL_OPENERS), texts.NL_TIMING, texts.NL_CLOSINGS
            notes = texts.NL_LANGUAGE_NOTES[:4] if only_other else texts.NL_LANGUAGE_NOTES[4:]
            screening = texts.SCREENING_NOTES_NL
        own_titles, need = rng.choice(stories)
        chosen_title = rng.choice(own_titles if rng.random() < 0.75 else generic)
        parts = []
        if not only_other and rng.random() < 0.5:  # someone else types for a requester without nl/en
            parts.append(rng.choice(openers))
        parts.append(need)
        if only_other or (any(c not in ("nl", "en") for c in speaks) and rng.random() < 0.3):
            parts.append(rng.choice(notes))
        if screening_note:
            parts.append(rng.choice(screening))
        if rng.random() < 0.55:
            parts.append(rng.choice(timing))
        if rng.random() < 0.6:
            parts.append(rng.choice(closings))
        title = _capitalise(chosen_title.format_map(ctx))
        description = _capitalise(" ".join(p.format_map(ctx) for p in parts))
        if rng.random() < 0.18:
            description = self.mangle(description, lang)
        if rng.random() < 0.06:
            title = title[:1].lower() + title[1:]
        return title[:120], description

    def request_age(self) -> timedelta:
        """How long ago a request was posted: more recent ones are more common (the platform grows)."""
        days = HISTORY_DAYS * self.rng.random() ** 1.25
        expiry_days = self.expiry.days
        if expiry_days - 2 <= days < expiry_days:
            days += 2  # nothing sits on the edge of expiring while the demo runs today
        return timedelta(days=min(days, HISTORY_DAYS - 0.1))

    def make_requests(self, count: int) -> None:
        rng = self.rng
        people = self.data.people
        by_wijk: dict[str, list[int]] = {}
        for r in self.residents:
            by_wijk.setdefault(people[r].wijk_code or "", []).append(r)
        resident_pickers = {code: _Picker(items, [people[i].activity for i in items]) for code, items in
                            by_wijk.items()}
        all_residents = _Picker(self.residents, [people[i].activity for i in self.residents])
        offers = list(range(len(self.data.offers)))
        self.build_volunteer_pools()
        step = max(1000, count // 10)
        for i in range(count):
            if self.progress and i and i % step == 0:
                self.progress(f"generating requests {i}/{count}")
            code = self.wijk_for(i)
            picker = resident_pickers.get(code)
            requester = picker.pick(rng) if picker else all_residents.pick(rng)
            code = people[requester].wijk_code or code
            key = self.category_keys[i] if i < len(self.category_keys) else \
                self.category_keys[self.category_picker.pick(rng)]
            created = self.off_the_edge(self.daytime(self.now - self.request_age()))
            if offers and i >= len(self.category_keys) and rng.random() < 0.03:
                self.asked_request(requester, rng.choice(offers), created)
                continue
            self.open_request(requester, key, code, created)

    def open_request(self, requester: int, key: str, wijk_code: str, created: datetime, *,
                     title: str | None = None, description: str | None = None) -> int:
        rng = self.rng
        person = self.data.people[requester]
        wijk = self.wijk_by_code[wijk_code]
        slots = self.slots(1, 3)
        voluntary_screening = key in OPTIONAL_SCREENING and rng.random() < 0.05
        needs_screening = key in self.screened_categories or voluntary_screening
        lang = person.writes
        made_title, made_description = self.request_text(key, lang, person.speaks, wijk.name, slots[0],
                                                          voluntary_screening)
        on_date = None
        if rng.random() < 0.35:
            on_date = (created + timedelta(days=rng.randint(1, 14))).date()
        record = RequestRecord(
            public_id=self.public_id(), requester=requester, title=title or made_title,
            description=description or made_description, category_key=key, wijk_code=wijk_code, on_date=on_date,
            slots=slots, languages=list(person.speaks), is_recurring=rng.random() < RECURRING.get(key, 0.05),
            needs_screening=needs_screening, offer=None, status="open", created_at=created, updated_at=created,
            expires_at=created + self.expiry, closed_at=None, text_language=lang,
        )
        self.data.requests.append(record)
        index = len(self.data.requests) - 1
        self.live(index)
        return index

    def asked_request(self, requester: int, offer_index: int, created: datetime) -> None:
        """A resident asks the volunteer behind an offer directly (a private request)."""
        rng = self.rng
        offer = self.data.offers[offer_index]
        person = self.data.people[requester]
        created = self.off_the_edge(max(created, offer.created_at + timedelta(hours=rng.uniform(2, 300)))
                                    .replace(second=0, microsecond=0))
        if created >= self.now or offer.status != "open" or offer.volunteer == requester:
            self.open_request(requester, offer.category_key, person.wijk_code or offer.wijk_code,
                              min(created, self.now - timedelta(hours=1)))
            return
        wijk = self.wijk_by_code[person.wijk_code or offer.wijk_code]
        ctx = self.context(offer.slots[0] if offer.slots else None, wijk.name)
        message = rng.choice(texts.OFFER_ASK_EN if person.writes == "en" else texts.OFFER_ASK_NL).format_map(ctx)
        record = RequestRecord(
            public_id=self.public_id(), requester=requester, title=offer.title, description=message,
            category_key=offer.category_key, wijk_code=wijk.code, on_date=None, slots=list(offer.slots),
            languages=sorted(set(offer.languages)), is_recurring=False,
            needs_screening=offer.category_key in self.screened_categories, offer=offer_index, status="open",
            created_at=created, updated_at=created, expires_at=created + self.expiry, closed_at=None,
            text_language=person.writes,
        )
        self.data.requests.append(record)
        index = len(self.data.requests) - 1
        answer = self.daytime(created + timedelta(hours=rng.expovariate(1 / 30) + 0.2), created)
        volunteer = self.data.people[offer.volunteer]
        unscreened = record.needs_screening and not (volunteer.profile and volunteer.profile.is_screened)
        if answer >= self.now or answer >= record.expires_at or unscreened or rng.random() < 0.1:
            if record.expires_at <= self.now:
                self.expire(record)
            self.notify(offer.volunteer, "asked", record, created)
            return
        message = rng.choice(texts.RESPONSES_EN if volunteer.writes == "en" else texts.RESPONSES_NL)
        response = self.respond(index, offer.volunteer, answer, _capitalise(message.format_map(ctx)),
                                notify_requester=False)
        self.notify(offer.volunteer, "asked", record, created)
        self.match(index, response, answer, notify_kind="ask_agreed")

    # -- a request's life --

    def build_volunteer_pools(self) -> None:
        people = self.data.people
        pools: dict[tuple[str, bool], tuple[list[int], list[float]]] = {}
        for v in self.volunteers:
            person = people[v]
            profile = person.profile
            assert profile is not None
            stadsdeel = self.wijk_by_code[person.wijk_code or ""].stadsdeel
            keys = ["all", f"sd:{stadsdeel}", *(f"lang:{code}" for code in profile.languages)]
            for key in keys:
                for screened_only in (False, True):
                    if screened_only and not profile.is_screened:
                        continue
                    items, weights = pools.setdefault((key, screened_only), ([], []))
                    items.append(v)
                    weights.append(person.activity)
        self.pools = {key: _Picker(items, weights) for key, (items, weights) in pools.items()}

    def pick_volunteers(self, record: RequestRecord, count: int) -> list[int]:
        rng = self.rng
        stadsdeel = self.wijk_by_code[record.wijk_code].stadsdeel
        screened = record.needs_screening
        foreign = [c for c in record.languages if c not in ("nl",)]
        needs_language = "nl" not in record.languages
        chosen: list[int] = []
        for _ in range(count * 4):
            if len(chosen) >= count:
                break
            if foreign and (needs_language or rng.random() < 0.25):
                key = f"lang:{rng.choice(foreign)}"
            elif rng.random() < 0.7:
                key = f"sd:{stadsdeel}"
            else:
                key = "all"
            picker = self.pools.get((key, screened)) or self.pools.get(("all", screened))
            if not picker:
                break
            v = picker.pick(rng)
            if v != record.requester and v not in chosen:
                chosen.append(v)
        return chosen

    def respond(self, request_index: int, volunteer: int, at: datetime, message: str | None = None, *,
                notify_requester: bool = True) -> int:
        rng = self.rng
        record = self.data.requests[request_index]
        person = self.data.people[volunteer]
        assert person.profile is not None
        if message is None:
            english = (record.text_language == "en" and "en" in person.profile.languages) or (
                "nl" not in person.profile.languages)
            ctx = self.context(rng.choice(record.slots) if record.slots else None,
                               self.wijk_by_code[record.wijk_code].name)
            template = rng.choice(texts.RESPONSES_EN if english else texts.RESPONSES_NL)
            message = _capitalise(template.format_map(ctx)) if rng.random() < 0.9 else template.format_map(ctx)
        self.data.responses.append(ResponseRecord(
            public_id=self.public_id(), request=request_index, volunteer=volunteer, message=message,
            status="pending", created_at=at,
        ))
        if notify_requester:
            self.notify(record.requester, "new_response", record, at)
        return len(self.data.responses) - 1

    def live(self, index: int) -> None:
        """Play a posted request forward to `now`: responses, a choice, done and thanks, or cancel or expiry."""
        rng = self.rng
        record = self.data.requests[index]
        wanted = int(_weighted(rng, RESPONSE_COUNTS))  # type: ignore[arg-type]
        if record.needs_screening:
            wanted = min(wanted, 2)
        times = sorted(self.daytime(record.created_at + timedelta(hours=rng.expovariate(1 / 30) + 0.3),
                                    record.created_at) for _ in range(wanted))
        deadline = min(self.now, record.expires_at)
        times = [t.replace(second=0, microsecond=0) for t in times if t < deadline]
        volunteers = self.pick_volunteers(record, len(times))
        times = times[: len(volunteers)]

        # When the requester acts: cancel, accept one, or never (expires or stays open).
        roll = rng.random()
        cancel_at = None
        accept_at = None
        if roll < 0.06:
            cancel_at = self.daytime(record.created_at + timedelta(days=rng.uniform(0.2, 20)), record.created_at)
        elif times and roll < 0.93:
            accept_at = self.daytime(times[0] + timedelta(hours=rng.expovariate(1 / 60) + 0.5), times[0])
            if accept_at >= deadline:
                accept_at = None
        end = cancel_at or accept_at
        if end is not None and end >= deadline:
            end = cancel_at = accept_at = None
        responses = [self.respond(index, v, t) for v, t in zip(volunteers, times, strict=True)
                     if end is None or t < end]
        if accept_at is not None and responses:
            weights = [3.0 / (k + 1) for k in range(len(responses))]
            chosen = responses[int(_weighted(rng, list(zip(range(len(responses)), weights, strict=True))))]
            for other in responses:
                if other != chosen and rng.random() < 0.05:
                    self.data.responses[other].status = "withdrawn"
            self.match(index, chosen, accept_at, notify_kind="accepted")
        elif cancel_at is not None:
            record.status = "cancelled"
            record.closed_at = record.updated_at = cancel_at.replace(second=0, microsecond=0)
            for r in responses:
                self.notify(self.data.responses[r].volunteer, "request_cancelled", record, cancel_at)
        elif record.expires_at <= self.now:
            self.expire(record)
        if record.status == "open" and record.on_date is not None and record.on_date < self.now.date():
            record.on_date = None  # the day passed; the requester would have made it flexible

    def expire(self, record: RequestRecord) -> None:
        record.status = "expired"
        closed = record.expires_at + timedelta(hours=self.rng.uniform(0, 20))
        record.closed_at = record.updated_at = min(closed, self.now).replace(second=0, microsecond=0)

    def match(self, index: int, response_index: int, at: datetime, *, notify_kind: str) -> None:
        rng = self.rng
        record = self.data.requests[index]
        response = self.data.responses[response_index]
        at = at.replace(second=0, microsecond=0)
        response.status = "accepted"
        for r_index in range(len(self.data.responses) - 1, -1, -1):
            other = self.data.responses[r_index]
            if other.request != index:
                break
            if r_index != response_index and other.status == "pending":
                other.status = "not_chosen"
                self.notify(other.volunteer, "not_chosen", record, at)
        record.status = "matched"
        record.closed_at = record.updated_at = at
        receiver = record.requester if notify_kind == "ask_agreed" else response.volunteer
        self.notify(receiver, notify_kind, record, at)
        match = MatchRecord(request=index, response=response_index, volunteer=response.volunteer, created_at=at,
                            done_at=None, hours=None, requester_thanks="", volunteer_thanks="")
        self.data.matches.append(match)
        if record.is_recurring:
            done = at + timedelta(days=rng.uniform(14, 100))
        elif record.on_date is not None:
            done = datetime.combine(record.on_date, datetime.min.time()) + timedelta(hours=rng.uniform(12, 40))
            done = max(done, at + timedelta(hours=3))
        else:
            done = at + timedelta(days=rng.expovariate(1 / 4) + 0.2)
        done = self.daytime(done, at)
        if done >= self.now or rng.random() < 0.05:
            return  # still going (or nobody ever pressed "done")
        record.status = "done"
        match.done_at = record.updated_at = done.replace(second=0, microsecond=0)
        volunteer = self.data.people[response.volunteer]
        requester = self.data.people[record.requester]
        by_volunteer = rng.random() < 0.6
        self.notify(record.requester if by_volunteer else response.volunteer, "done", record, done)
        if rng.random() < 0.85:
            low, high = HOURS.get(record.category_key, (1, 3))
            hours = rng.uniform(low, high) * (rng.randint(3, 12) if record.is_recurring else 1)
            match.hours = _round_half(hours)
        if rng.random() < 0.8 and requester.email is not None:
            pool = texts.REQUESTER_THANKS_EN if requester.writes == "en" else texts.REQUESTER_THANKS_NL
            match.requester_thanks = rng.choice(pool)
            self.notify(response.volunteer, "thanks", record, done + timedelta(hours=rng.uniform(1, 48)))
        if rng.random() < 0.5:
            pool = texts.VOLUNTEER_THANKS_EN if volunteer.writes == "en" else texts.VOLUNTEER_THANKS_NL
            match.volunteer_thanks = rng.choice(pool)
            self.notify(record.requester, "thanks", record, done + timedelta(hours=rng.uniform(1, 48)))

    def notify(self, user: int, kind: str, record: RequestRecord, at: datetime) -> None:
        if at >= self.now or at < self.now - timedelta(days=NOTIFICATION_DAYS):
            return
        read_at = None
        if self.data.people[user].email is not None and self.rng.random() < (
                0.85 if at < self.now - timedelta(days=3) else 0.3):
            read_at = min(at + timedelta(hours=self.rng.uniform(0.5, 72)), self.now - timedelta(minutes=5))
        self.data.notifications.append(NotificationRecord(
            user=user, kind=kind, params={"title": record.title, "request": record.public_id},
            created_at=at.replace(second=0, microsecond=0),
            read_at=read_at.replace(second=0, microsecond=0) if read_at else None,
        ))

    # -- fixed demo accounts --

    def make_fixed_accounts(self) -> None:
        rng = self.rng
        now = self.now
        accounts = (
            ("inwoner", "Ans", "Bakker", "06-12345678", "2034 AB", "WK039218", ("resident",)),
            ("vrijwilliger", "Karim", "El Amrani", "06-23456789", "2035 CD", "WK039219", ("volunteer",)),
            ("organisator", "Mirjam", "Hoogland", "06-34567890", "2011 EF", "WK039201", ("organiser", "resident")),
            ("consulent", "Sanne", "de Wit", "023-5123456", "", None, ("staff",)),
            ("beheer", "Beheerder", "Samen", "", "", None, ("admin", "staff")),
        )
        for name, first, last, phone, postcode, wijk, roles in accounts:
            if wijk is not None and wijk not in self.wijk_by_code:
                wijk = self.ref.wijken[0].code
            self.data.people.append(PersonRecord(
                public_id=self.public_id(), email=f"{name}@{DEMO_DOMAIN}", first_name=first, last_name=last,
                phone=phone, postcode=postcode, wijk_code=wijk, locale="nl", roles=roles,
                created_at=now - timedelta(days=400 + rng.randint(0, 30), hours=rng.randint(8, 16)),
                last_login_at=now - timedelta(days=1, hours=rng.randint(0, 10)), speaks=("nl",), writes="nl",
                activity=1.0, fixed=True,
            ))
        karim = self.data.people[1]
        karim.speaks = ("ar", "en", "nl")
        karim.activity = 6.0
        karim.profile = ProfileRecord(
            skills=["computer help", "telefoon", "boodschappen", "klussen", "taalmaatje"],
            languages=["ar", "en", "nl"], postcode=karim.postcode, wijk_code=karim.wijk_code or "",
            max_distance_km=5.0, availability=["tue-afternoon", "wed-evening", "sat-morning", "sat-afternoon"],
            bio="Ik ben 34 en werk als systeembeheerder. Ik woon in Schalkwijk en help graag met computers, "
                "telefoons en kleine klusjes. Ik spreek ook Arabisch en Engels.",
            is_screened=True, screened_at=now - timedelta(days=300), interests=("digital", "groceries", "odd_jobs",
                                                                               "language"),
            updated_at=now - timedelta(days=20),
        )
        self.volunteers.append(1)

    def fixed_stories(self) -> None:
        """Requests of the fixed accounts, in every state, so each demo log-in has something to show."""
        rng = self.rng
        now = self.now
        data = self.data
        ans, karim, mirjam = 0, 1, 2
        helpers = [v for v in self.volunteers if v != karim and self.data.people[v].wijk_code in
                   ("WK039218", "WK039219", "WK039220", "WK039221")] or [v for v in self.volunteers if v != karim]
        others = rng.sample(helpers, min(4, len(helpers)))
        h1, h2, h3, h4 = (others * 4)[:4]

        def story(requester: int, key: str, days_ago: float, title: str, description: str, *,
                  on_date: date | None = None, slots: list[str] | None = None) -> int:
            person = data.people[requester]
            created = (now - timedelta(days=days_ago)).replace(hour=10, minute=rng.randint(0, 59))
            record = RequestRecord(
                public_id=self.public_id(), requester=requester, title=title, description=description,
                category_key=key, wijk_code=person.wijk_code or "", on_date=on_date,
                slots=slots or ["wed-morning"], languages=["nl"], is_recurring=False,
                needs_screening=key in self.screened_categories, offer=None, status="open", created_at=created,
                updated_at=created, expires_at=created + self.expiry, closed_at=None, text_language="nl",
            )
            data.requests.append(record)
            return len(data.requests) - 1

        def at(index: int, hours: float) -> datetime:
            return data.requests[index].created_at + timedelta(hours=hours)

        # Open, two responses waiting for Ans to choose.
        r = story(ans, "groceries", 3, "Hulp bij boodschappen op woensdag",
                  "Ik ben 81 en loop met een rollator. Wie wil op woensdagochtend met mij naar de Albert Heijn? "
                  "De tassen zijn te zwaar voor mij. Alvast bedankt!", slots=["wed-morning"])
        self.respond(r, karim, at(r, 5), "Hallo mevrouw Bakker, ik kan woensdagochtend met u mee. Groet, Karim")
        self.respond(r, h1, at(r, 20), "Dag! Ik woon vlakbij en help u graag met de boodschappen.")
        # Open, no responses yet.
        story(ans, "odd_jobs", 1, "Lamp ophangen in de woonkamer",
              "Ik heb een nieuwe lamp gekocht, maar durf niet meer op de trap te staan. Wie helpt?",
              slots=["thu-afternoon", "sat-morning"])
        # Matched with Karim: both see each other's contact details.
        r = story(ans, "digital", 6, "Hulp met mijn nieuwe telefoon",
                  "Ik heb een nieuwe telefoon van mijn dochter gekregen. Ik wil graag leren WhatsAppen en "
                  "videobellen met mijn kleinkinderen.", on_date=(now + timedelta(days=3)).date(),
                  slots=["sat-morning"])
        resp = self.respond(r, karim, at(r, 3), "Dat leer ik u graag! Zaterdagochtend kan ik langskomen.")
        self.match(r, resp, at(r, 26), notify_kind="accepted")
        data.requests[r].status = "matched"
        data.matches[-1].done_at = None
        # Done, with hours and thanks from both sides.
        r = story(ans, "garden", 40, "Heg knippen in de voortuin",
                  "De heg groeit over het pad. Een heggenschaar heb ik zelf.")
        resp = self.respond(r, h2, at(r, 8), "Ik kom zaterdag met mijn eigen schaar. Groet!")
        self._done(r, resp, at(r, 30), at(r, 24 * 4), 2.0, "Heel erg bedankt, het ziet er weer prachtig uit!",
                   "Graag gedaan, het was gezellig.")
        # Cancelled, after one response.
        r = story(ans, "transport", 25, "Vervoer naar het ziekenhuis",
                  "Ik heb een afspraak in het Spaarne Gasthuis en kan er niet alleen heen.")
        self.respond(r, h3, at(r, 10), "Ik kan u brengen, ik heb een auto.")
        data.requests[r].status = "cancelled"
        data.requests[r].closed_at = data.requests[r].updated_at = at(r, 30)
        # Expired, nobody responded.
        r = story(ans, "company", 95, "Samen wandelen in het Reinaldapark",
                  "Ik wil graag weer een rondje wandelen, maar niet alleen.")
        self.expire(data.requests[r])
        # Karim: a finished job for another resident, and his offer with an open direct ask.
        if self.residents:
            neighbour = next((x for x in self.residents if data.people[x].wijk_code == "WK039219"
                              and data.people[x].email), self.residents[0])
            r = story(neighbour, "digital", 20, "DigiD aanvragen",
                      "Ik moet een DigiD aanvragen en kom er niet uit op de computer.")
            resp = self.respond(r, karim, at(r, 4), "Ik help u graag, dinsdagmiddag kan ik.")
            self._done(r, resp, at(r, 20), at(r, 24 * 5), 1.5, "Dank je wel Karim, het is gelukt!",
                       "Graag gedaan!")
            offer = self.offer(karim, "digital", title="Hulp met telefoon en computer",
                               description="Ik leg rustig uit hoe uw telefoon, tablet of laptop werkt. Ook in het "
                                           "Arabisch of Engels.", created_at=now - timedelta(days=60))
            data.offers[offer].status = "open"
            asker = self.residents[-1]
            created = now - timedelta(days=2, hours=3)
            record = RequestRecord(
                public_id=self.public_id(), requester=asker, title=data.offers[offer].title,
                description="Hallo Karim, ik zag uw aanbod. Kunt u mij helpen met mijn laptop?",
                category_key="digital", wijk_code=data.people[asker].wijk_code or "", on_date=None,
                slots=list(data.offers[offer].slots), languages=["nl"], is_recurring=False, needs_screening=False,
                offer=offer, status="open", created_at=created, updated_at=created, expires_at=created + self.expiry,
                closed_at=None, text_language="nl",
            )
            data.requests.append(record)
            self.notify(karim, "asked", record, created)
        # Mirjam, organiser of a street party: one done, one open.
        r = story(mirjam, "moving", 70, "Tafels sjouwen voor het buurtfeest",
                  "Voor het buurtfeest in de Oude Stad moeten twintig tafels van het buurthuis naar het plein.")
        resp = self.respond(r, h4, at(r, 12), "Ik help met sjouwen, ik neem mijn buurman mee.")
        self._done(r, resp, at(r, 30), at(r, 24 * 9), 3.0, "Dankzij jullie was het feest een succes!",
                   "Leuk feest was het!")
        story(mirjam, "meals", 5, "Helpers voor de buurtmaaltijd",
              "Elke laatste vrijdag van de maand koken we met de buurt. Wie helpt met koken of afwassen?",
              slots=["fri-afternoon", "fri-evening"])

    def _done(self, index: int, response: int, accepted: datetime, done: datetime, hours: float,
              requester_thanks: str, volunteer_thanks: str) -> None:
        record = self.data.requests[index]
        record.on_date = None
        record.is_recurring = False
        self.match(index, response, accepted, notify_kind="accepted")
        match = self.data.matches[-1]
        record.status = "done"
        match.done_at = record.updated_at = done
        match.hours = hours
        match.requester_thanks = requester_thanks
        match.volunteer_thanks = volunteer_thanks

    # -- consistency after the fact --

    def settle_people(self) -> None:
        """Accounts exist before their first activity; screening before the first screened response."""
        data = self.data
        first: dict[int, datetime] = {}
        first_screened: dict[int, datetime] = {}
        last: dict[int, datetime] = {}

        def seen(person: int, moment: datetime) -> None:
            if person not in first or moment < first[person]:
                first[person] = moment
            if person not in last or moment > last[person]:
                last[person] = moment

        for record in data.requests:
            seen(record.requester, record.created_at)
        for response in data.responses:
            seen(response.volunteer, response.created_at)
            if data.requests[response.request].needs_screening:
                previous = first_screened.get(response.volunteer)
                if previous is None or response.created_at < previous:
                    first_screened[response.volunteer] = response.created_at
        for offer in data.offers:
            seen(offer.volunteer, offer.created_at)
        for index, person in enumerate(data.people):
            if index in first and first[index] - timedelta(days=2) < person.created_at:
                person.created_at = (first[index] - timedelta(days=self.rng.uniform(2, 30))).replace(
                    second=0, microsecond=0)
            person.created_at = person.created_at.replace(second=0, microsecond=0)
            profile = person.profile
            if profile is not None:
                if profile.screened_at is not None:
                    latest = first_screened.get(index, self.now) - timedelta(days=1)
                    profile.screened_at = min(max(profile.screened_at, person.created_at + timedelta(days=1)),
                                              latest).replace(second=0, microsecond=0)
                    if profile.screened_at < person.created_at:
                        person.created_at = profile.screened_at - timedelta(days=1)
                profile.updated_at = max(person.created_at, profile.screened_at or person.created_at)
            if person.email is not None and not person.fixed:
                active = last.get(index, person.created_at)
                if self.rng.random() < 0.8:
                    person.last_login_at = min(active + timedelta(hours=self.rng.uniform(0, 72)),
                                               self.now - timedelta(minutes=10)).replace(second=0, microsecond=0)

    def run(self, scale: int) -> DemoData:
        self.make_fixed_accounts()
        self.make_residents(RESIDENTS_PER_SCALE * scale)
        self.make_volunteers(VOLUNTEERS_PER_SCALE * scale)
        self.make_offers(OFFERS_PER_SCALE * scale)
        self.make_requests(REQUESTS_PER_SCALE * scale)
        self.fixed_stories()
        self.settle_people()
        for note in self.data.notifications:  # the demo log-ins have fresh, unread news
            if note.user in (0, 1) and note.created_at > self.now - timedelta(days=4):
                note.read_at = None
        self.data.notifications.sort(key=lambda n: n.created_at)
        return self.data

