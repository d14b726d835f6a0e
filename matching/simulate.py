"""A simulated Haarlem for offline evaluation: residents, volunteers, requests and 12 months of
interactions, seeded and deterministic.

People live around the real wijk centroids (``data/haarlem_wijken.csv``). Volunteers have latent
preferences for sub-topics of the categories and write about some of them, in Dutch, English or
both, with typos, informal words, compounds and synonyms drawn from a phrase bank written
separately from the matcher's vocabulary (it contains words the vocabulary does not know).
Whether a volunteer would respond to a request is decided by a hidden utility (preference,
distance, time slots, activity, fatigue), so every ranker is judged on the same ground truth.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib import resources

import numpy as np

from matching.ranker import MatchIndex
from matching.records import SLOTS, HelpRequest, Interaction, Volunteer

START = datetime(2025, 1, 1, tzinfo=UTC)

# category -> sub-topic -> phrases (Dutch, English, informal, compounds, some not in the vocabulary)
BANK: dict[str, dict[str, list[str]]] = {
    "groceries": {
        "shop": [
            "boodschappen doen",
            "boodschappen",
            "naar de supermarkt",
            "groceries",
            "grocery shopping",
            "doing the shopping",
            "boodschappenhulp",
            "inkopen",
            "weekboodschappen",
            "appie",
        ],
        "pharmacy": ["medicijnen ophalen bij de apotheek", "apotheek", "pick up prescriptions", "pharmacy run"],
    },
    "transport": {
        "drive": ["autorijden", "iemand rijden", "lift geven", "driving people", "give lifts", "met de auto brengen"],
        "accompany": [
            "meegaan naar het ziekenhuis",
            "begeleiden naar de dokter",
            "hospital visits",
            "accompany to appointments",
            "ziekenhuisbezoek",
            "mee naar de huisarts",
        ],
    },
    "odd_jobs": {
        "diy": [
            "klussen",
            "klusjes",
            "handig met gereedschap",
            "odd jobs",
            "handyman",
            "diy",
            "klusjesman",
            "kleine reparaties",
            "schilderij ophangen",
            "lamp ophangen",
            "ikea kast in elkaar",
        ],
        "bike": ["fietsreparatie", "fiets repareren", "band plakken", "bike repair", "fix bikes", "fietsenmaker"],
        "paint": ["schilderen", "behangen", "painting walls", "verfklusje", "muren sauzen"],
    },
    "garden": {
        "garden": [
            "tuinieren",
            "tuinonderhoud",
            "gardening",
            "garden work",
            "tuinman",
            "tuin bijhouden",
            "onkruid wieden",
            "heg knippen",
            "gras maaien",
            "mowing the lawn",
            "groenvoorziening",
        ],
        "plants": ["planten water geven", "watering plants", "balkonplanten", "kamerplanten verzorgen"],
    },
    "company": {
        "visit": [
            "gezelschap",
            "een praatje maken",
            "koffie drinken",
            "bakkie doen",
            "companionship",
            "a chat and a coffee",
            "friendly visits",
            "luisterend oor",
            "bezoekje",
            "maatje zijn",
        ],
        "games": ["spelletjes doen", "kaarten", "schaken", "board games", "puzzelen", "sjoelen"],
        "walk": ["samen wandelen", "een ommetje", "walks together", "wandelmaatje"],
    },
    "digital": {
        "computer": [
            "computer hulp",
            "computerhulp",
            "laptop problemen",
            "computer help",
            "pc hulp",
            "computor",
            "printer installeren",
            "wifi instellen",
            "tech support",
            "computerles",
        ],
        "phone": [
            "telefoon uitleg",
            "smartphone help",
            "whatsapp uitleggen",
            "ipad",
            "tablet hulp",
            "beeldbellen",
            "mobieltje instellen",
            "apps installeren",
        ],
        "online": ["digid aanvragen", "online bankieren", "mijn overheid", "online forms", "internetbankieren"],
    },
    "paperwork": {
        "forms": [
            "administratie",
            "formulieren invullen",
            "papierwinkel",
            "paperwork",
            "fill in forms",
            "brieven lezen",
            "post doornemen",
            "administartie",
            "letters from the council",
        ],
        "money": [
            "belastingaangifte",
            "toeslagen",
            "tax return",
            "budget bijhouden",
            "geldzaken",
            "rekeningen betalen",
            "huishoudboekje",
        ],
    },
    "language": {
        "dutch": [
            "taalmaatje",
            "nederlands oefenen",
            "practise dutch",
            "language buddy",
            "taalcoach",
            "dutch conversation",
            "inburgering",
            "nederlandse les",
        ],
        "translate": ["vertalen", "tolken", "translation", "interpreter", "brieven vertalen"],
    },
    "homework": {
        "tutor": [
            "huiswerkbegeleiding",
            "bijles",
            "homework help",
            "maths tutoring",
            "rekenen",
            "huiswerkhulp",
            "bijles wiskunde",
            "huiswerkbegeleding",
            "studiehulp",
        ],
        "read": ["voorlezen aan kinderen", "leesles", "reading with children", "leren lezen"],
    },
    "moving": {
        "move": [
            "verhuizen",
            "verhuishulp",
            "moving house",
            "dozen sjouwen",
            "sjouwen",
            "verhuisen",
            "heavy lifting",
            "tillen",
            "verhuisdozen inpakken",
        ],
        "declutter": ["zolder opruimen", "grofvuil wegbrengen", "declutter", "opruimen", "kelder leeghalen"],
    },
    "pets": {
        "dog": ["hond uitlaten", "honden uitlaten", "dog walking", "hondenoppas", "walk the dog", "uitlaatservice"],
        "cat": ["katten voeren", "kattenoppas", "cat sitting", "poes verzorgen", "feed the cat"],
    },
    "meals": {
        "cook": ["koken", "maaltijd koken", "cooking", "samen eten", "warme maaltijd", "kookmaatje", "meals"],
        "bake": ["bakken", "taart bakken", "baking", "soep maken"],
    },
    "exercise": {
        "walk": ["wandelen", "walking", "hardlopen", "sporten", "bewegen", "beweegmaatje", "running buddy"],
        "gym": ["fitness", "yoga", "zwemmen", "swimming", "stoelgym", "gym maatje"],
    },
    "work": {
        "apply": [
            "solliciteren",
            "cv schrijven",
            "job applications",
            "sollicitatiebrief",
            "werk zoeken",
            "job search",
            "linkedin profiel",
            "sollicitatietraining",
        ],
    },
    "carer_respite": {
        "respite": [
            "mantelzorger ontlasten",
            "mantelzorg",
            "respite care",
            "oppassen bij dementie",
            "respijtzorg",
            "even de zorg overnemen",
            "sit with someone with dementia",
        ],
    },
    "other": {
        "misc": ["naaien", "sewing", "muziek maken", "fotografie", "ramen zemen", "schoonmaken"],
    },
}
CATEGORY_WEIGHTS = {
    "groceries": 12,
    "transport": 10,
    "odd_jobs": 10,
    "garden": 7,
    "company": 11,
    "digital": 11,
    "paperwork": 8,
    "language": 6,
    "homework": 5,
    "moving": 4,
    "pets": 5,
    "meals": 4,
    "exercise": 3,
    "work": 3,
    "carer_respite": 3,
    "other": 2,
}
TEMPLATES_NL = [
    "Wie kan helpen met {p}?",
    "Ik zoek iemand voor {p}.",
    "Hulp gevraagd: {p}",
    "{p}",
    "Graag hulp bij {p}",
]
TEMPLATES_EN = ["Looking for help with {p}", "Can someone help with {p}?", "{p}", "Need a hand: {p}"]
DESCRIPTIONS = [
    "Ik woon alleen en kan niet goed lopen.",
    "Mijn buurvrouw heeft dit aangevraagd.",
    "",
    "Het liefst in de ochtend.",
    "I am new in Haarlem.",
    "Na mijn operatie lukt het even niet.",
    "",
]
RARE = ("tr", "ar", "ber", "uk", "pl")


@dataclass(frozen=True)
class City:
    volunteers: tuple[Volunteer, ...]
    requests: tuple[HelpRequest, ...]
    interactions: tuple[Interaction, ...]  # logged, train period only
    topic: dict[str, str]  # request id -> "category/subtopic"
    preference: dict[str, dict[str, float]]  # volunteer id -> "category/subtopic" -> affinity 0..1
    activity: dict[str, float]
    split_at: datetime


def wijken() -> list[tuple[str, float, float, int]]:
    """(wijk, lat, lon, inhabitants) of Haarlem's 21 wijken (shipped copy, see data/SOURCES.md)."""
    text = resources.files("matching").joinpath("data/haarlem_wijken.csv").read_text(encoding="utf-8")
    return [
        (r["wijk"], float(r["lat"]), float(r["lon"]), int(r["inhabitants"])) for r in csv.DictReader(text.splitlines())
    ]


def _typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 5:
        return word
    i = int(rng.integers(1, len(word) - 1))
    op = rng.integers(0, 3)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _noisy(phrase: str, rng: np.random.Generator, p_typo: float = 0.12) -> str:
    words = [(_typo(w, rng) if rng.random() < p_typo else w) for w in phrase.split()]
    text = " ".join(words)
    return text.capitalize() if rng.random() < 0.3 else text


def _place(rng: np.random.Generator, places: list[tuple[str, float, float, int]]) -> tuple[float, float]:
    weights = np.array([p[3] for p in places], dtype=np.float64)
    _, lat, lon, _ = places[int(rng.choice(len(places), p=weights / weights.sum()))]
    return round(lat + rng.normal(0, 0.004), 5), round(lon + rng.normal(0, 0.006), 5)


def _slots(rng: np.random.Generator, p_flexible: float, lo: int, hi: int) -> frozenset[str]:
    if rng.random() < p_flexible:
        return frozenset()
    n = int(rng.integers(lo, hi + 1))
    return frozenset(SLOTS[i] for i in rng.choice(len(SLOTS), size=n, replace=False))


def _volunteer(
    i: int, rng: np.random.Generator, places: list[tuple[str, float, float, int]]
) -> tuple[Volunteer, dict[str, float]]:
    cats = list(BANK)
    weights = np.array([CATEGORY_WEIGHTS[c] for c in cats], dtype=np.float64)
    liked = rng.choice(len(cats), size=int(rng.integers(1, 4)), replace=False, p=weights / weights.sum())
    pref: dict[str, float] = {}
    skills: list[str] = []
    for ci in liked:
        cat = cats[int(ci)]
        subs = list(BANK[cat])
        for sub in rng.choice(subs, size=int(rng.integers(1, len(subs) + 1)), replace=False):
            pref[f"{cat}/{sub}"] = float(rng.uniform(0.6, 1.0))
            if rng.random() < 0.85:  # some preferences stay unspoken
                phrases = BANK[cat][str(sub)]
                skills.append(_noisy(phrases[int(rng.integers(len(phrases)))], rng))
    if not skills:
        skills.append("helpen waar nodig")
    langs = {"nl"} if rng.random() < 0.93 else set()
    if rng.random() < 0.5 or not langs:
        langs.add("en")
    for code, p in zip(RARE, (0.06, 0.05, 0.03, 0.03, 0.03), strict=True):
        if rng.random() < p:
            langs.add(code)
    lat, lon = _place(rng, places)
    vol = Volunteer(
        id=f"v{i}",
        skills=tuple(skills),
        languages=frozenset(langs),
        lat=lat,
        lon=lon,
        max_distance_km=float(rng.choice([1.0, 2.0, 3.0, 3.0, 5.0, 8.0])),
        availability=_slots(rng, 0.35, 2, 7),
        screened=bool(rng.random() < 0.45),
        bio=str(rng.choice(["", "Gepensioneerd.", "Student in Haarlem.", "I like helping out.", "Werk parttime."])),
    )
    return vol, pref


def _request(i: int, rng: np.random.Generator, places: list[tuple[str, float, float, int]]) -> tuple[HelpRequest, str]:
    cats = list(BANK)
    weights = np.array([CATEGORY_WEIGHTS[c] for c in cats], dtype=np.float64)
    cat = cats[int(rng.choice(len(cats), p=weights / weights.sum()))]
    sub = str(rng.choice(list(BANK[cat])))
    u = rng.random()
    if u < 0.76:
        langs = {"nl", "en"} if rng.random() < 0.3 else {"nl"}
    elif u < 0.81:
        langs = {"en"}
    else:
        langs = {RARE[int(rng.integers(len(RARE)))]}
    phrases = BANK[cat][sub]
    phrase = _noisy(phrases[int(rng.integers(len(phrases)))], rng)
    english = langs == {"en"} or (rng.random() < 0.15 and "en" in langs)
    template = TEMPLATES_EN if english else TEMPLATES_NL
    title = template[int(rng.integers(len(template)))].format(p=phrase)
    screening_p = {"carer_respite": 0.6, "homework": 0.5, "company": 0.2, "paperwork": 0.25}.get(cat, 0.08)
    lat, lon = _place(rng, places)
    posted = START + timedelta(days=float(rng.uniform(0, 365)))
    req = HelpRequest(
        id=f"r{i}",
        title=title,
        category=cat if rng.random() > 0.05 else "other",
        languages=frozenset(langs),
        lat=lat,
        lon=lon,
        description=str(rng.choice(DESCRIPTIONS)),
        when=_slots(rng, 0.4, 1, 4),
        needs_screening=bool(rng.random() < screening_p),
        posted_at=posted,
    )
    return req, f"{cat}/{sub}"


def affinity(pref: dict[str, float], topic: str) -> float:
    """Hidden preference of a volunteer for a request's topic (same category, other sub-topic: half)."""
    if topic in pref:
        return pref[topic]
    cat = topic.split("/")[0]
    same = [a for t, a in pref.items() if t.split("/")[0] == cat]
    return 0.45 * max(same) if same else 0.0


def response_logit(aff: float, activity: float, distance_fraction: float, slot_ok: bool, fatigue: float) -> float:
    """Hidden utility of responding (the simulation's ground truth)."""
    return -4.2 + 4.5 * aff + 2.0 * activity - 1.3 * distance_fraction + (0.6 if slot_ok else -1.8) - 0.25 * fatigue


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def make_people(
    rng: np.random.Generator, n_volunteers: int, n_requests: int
) -> tuple[list[Volunteer], list[HelpRequest], dict[str, str], dict[str, dict[str, float]], dict[str, float]]:
    """Volunteers and requests (sorted by posting time) with their hidden topics and preferences."""
    places = wijken()
    pairs = [_volunteer(i, rng, places) for i in range(n_volunteers)]
    reqs_topics = sorted((_request(i, rng, places) for i in range(n_requests)), key=lambda rt: rt[0].posted_at or START)
    vols = [v for v, _ in pairs]
    return (
        vols,
        [r for r, _ in reqs_topics],
        {r.id: t for r, t in reqs_topics},
        {v.id: p for v, p in pairs},
        {v.id: float(rng.beta(2, 3)) for v in vols},
    )


def simulate_city(seed: int = 7, n_volunteers: int = 800, n_requests: int = 3000, shown_per_request: int = 12) -> City:
    """Build the city and log 12 months of (randomly exposed) interactions; the train/test split is
    at month 9: only interactions on requests posted before ``split_at`` are returned."""
    rng = np.random.default_rng(seed)
    vols, reqs, topic, preference, activity = make_people(rng, n_volunteers, n_requests)
    split_at = START + timedelta(days=273)
    index = MatchIndex(vols, reqs)
    interactions: list[Interaction] = []
    experience: dict[str, dict[str, int]] = {v.id: {} for v in vols}
    for ri, req in enumerate(reqs):
        if req.posted_at is None or req.posted_at >= split_at:
            continue
        cand, dist = index.candidates_for_request(ri)
        if len(cand) == 0:
            continue
        pick = rng.choice(len(cand), size=min(shown_per_request, len(cand)), replace=False)
        accepted = False
        for j in pick:
            vol = vols[int(cand[j])]
            slot_ok = not vol.availability or not req.when or bool(vol.availability & req.when)
            frac = float(dist[j]) / max(vol.max_distance_km, 0.1)
            p = sigmoid(
                response_logit(affinity(preference[vol.id], topic[req.id]), activity[vol.id], frac, slot_ok, 0.0)
            )
            at = req.posted_at + timedelta(hours=float(rng.uniform(1, 72)))
            interactions.append(Interaction(vol.id, req.id, "shown", req.posted_at))
            if rng.random() < p:
                outcome = "responded"
                if not accepted:
                    accepted = True
                    outcome = "completed" if rng.random() < 0.85 else "accepted"
                    if outcome == "completed":
                        experience[vol.id][req.category] = experience[vol.id].get(req.category, 0) + 1
                interactions.append(Interaction(vol.id, req.id, outcome, at))  # type: ignore[arg-type]
                if outcome == "completed" and rng.random() < 0.5:  # the requester says thanks afterwards
                    interactions.append(Interaction(vol.id, req.id, "thanked", at + timedelta(days=3)))
            elif rng.random() < 0.3:
                interactions.append(Interaction(vol.id, req.id, "declined", at))
    vols_exp = tuple(replace(v, experience=experience[v.id]) for v in vols)
    return City(vols_exp, tuple(reqs), tuple(interactions), topic, preference, activity, split_at)
