"""Tasks that are not help requests: initiative needs, organisations' vacancies and activities.

Two things, both pure:

1. **One order for everything.** A task is put in the engine's request form (`task_request`): its title, the skills
   it asks for and its text, a category read from that text (a task declares none), its place, its time slots and
   whether it needs a certificate of conduct. Then the ordinary `MatchIndex` ranks help requests and tasks together,
   with the same hard rules (screening, a shared language, the volunteer's distance) and the same score scale, so a
   mixed list is one ranking, not two lists stitched together. `python -m matching evaluate` measures this against
   two other ways of mixing (see `evaluate.mixed_lists`).

2. **The skills a task asks for.** Organisers write what they need in their own words ("boekhouding", "elektra,
   solderen"); many such words are not in the vocabulary, which was built for neighbours' requests, so the text score
   hardly tells a bookkeeper from a gardener. `skill_match` compares each asked skill with each of the volunteer's
   skill phrases (the same concept in the vocabulary, or the same word give or take a typo or a Dutch compound) and
   `with_asked_skills` lifts a suggestion that matches to at least `ASKED_PROBABILITY` with the two phrases as its
   reasons. It only adds where the engine found no skill of its own; it never lowers a score and never breaks the
   split between pairs whose times fit and pairs whose times do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from rapidfuzz import fuzz

from matching.features import encode_phrases
from matching.records import HelpRequest, Reason, Suggestion

# A suggestion whose volunteer has a skill the task asks for counts as at least this likely (cold-start scale):
# about what a vocabulary match of skill and category gives (see tests/matching/test_matching_tasks.py).
ASKED_PROBABILITY = 0.8
SIMILAR = 0.85  # word similarity (0..1) from which two words count as the same skill
MIN_WORD = 4  # shorter words ("met", "de", "fix") decide nothing
# Words that say nothing about a skill, in the two languages organisers write in.
STOPWORDS = frozenset(
    {
        "hulp",
        "help",
        "helpen",
        "helping",
        "iemand",
        "someone",
        "mensen",
        "people",
        "vrijwilliger",
        "vrijwilligers",
        "volunteer",
        "volunteers",
        "gezocht",
        "wanted",
        "voor",
        "with",
        "bij",
        "goed",
        "good",
        "kennis",
        "knowledge",
        "ervaring",
        "experience",
        "verstand",
        "heeft",
        "van",
        "and",
        "the",
        "een",
        "het",
        "die",
        "wat",
    }
)
_SPLIT = re.compile(r"[,;/\n+&]|\s(?:en|and|of|or)\s")
_WORD = re.compile(r"[^\W\d_]+")


def asked_skills(text: str) -> tuple[str, ...]:
    """The skills in an organiser's list ("koken, sjouwen en Nederlands"), each as typed, without repeats."""
    out: list[str] = []
    for part in _SPLIT.split(text or ""):
        part = part.strip(" .-:")
        if part and part.lower() not in (p.lower() for p in out):
            out.append(part)
    return tuple(out)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(_fold(phrase)) if len(w) >= MIN_WORD and w not in STOPWORDS)


@lru_cache(maxsize=50_000)
def _concepts(phrase: str) -> frozenset[str]:
    return frozenset(concept for concept, strength in encode_phrases([phrase]).concepts if strength >= 0.5)


def _word_similarity(a: str, b: str) -> float:
    """1.0 for the same word or a compound of it ("boekhoud(ing)", "tuin(onderhoud)"); else rapidfuzz's ratio."""
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if len(short) >= 5 and (long.startswith(short) or long.endswith(short)):
        return 1.0
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    if prefix >= 6 and prefix >= 0.75 * len(short):  # "boekhouding"/"boekhouder", "elektra"/"elektricien"
        return 1.0
    return float(fuzz.ratio(a, b)) / 100.0


def phrase_similarity(a: str, b: str) -> float:
    """How much two skill phrases say the same (0..1): the same concept of the vocabulary, else their best word."""
    shared = _concepts(a) & _concepts(b)
    if shared:
        return 1.0
    return max((_word_similarity(x, y) for x in _words(a) for y in _words(b)), default=0.0)


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """The volunteer's phrase and the asked skill that say the same, and how well."""

    volunteer_phrase: str
    asked: str
    similarity: float


def skill_match(volunteer_skills: Iterable[str], asked: Sequence[str]) -> SkillMatch | None:
    """The best pair of the volunteer's skills and the task's asked skills, or None when none is similar enough."""
    best: SkillMatch | None = None
    for phrase in volunteer_skills:
        for wanted in asked:
            similarity = phrase_similarity(phrase, wanted)
            if similarity >= SIMILAR and (best is None or similarity > best.similarity):
                best = SkillMatch(phrase.strip(), wanted.strip(), similarity)
    return best


def with_asked_skills(suggestion: Suggestion, match: SkillMatch | None) -> Suggestion:
    """The suggestion lifted by a matching asked skill: its probability at least ASKED_PROBABILITY × similarity,
    within its own half of the score scale (times fit: [0.5, 1]; they do not: [0, 0.5)), with the volunteer's skill
    and the asked words as the first reasons. Unchanged without a match, or when the engine already cited a skill."""
    if match is None or any(r.code in ("skill", "asked") for r in suggestion.reasons):
        return suggestion
    base = 0.5 if suggestion.score >= 0.5 else 0.0
    probability = max((suggestion.score - base) * 2.0, ASKED_PROBABILITY * match.similarity)
    score = base + 0.5 * min(probability, 0.999999)
    reasons = (Reason("skill", match.volunteer_phrase), Reason("asked", match.asked), *suggestion.reasons)
    return replace(suggestion, score=max(score, suggestion.score), reasons=reasons)


@lru_cache(maxsize=4096)
def task_category(text: str) -> str:
    """The request category the vocabulary reads in a task's words (strongest), or "other". Remembered per text: a
    page that ranks initiatives' needs and activities asks it for the same tasks on every view (a third of the
    logged-in front door's CPU)."""
    categories = encode_phrases([text]).categories if text.strip() else ()
    return max(categories, key=lambda pair: pair[1])[0] if categories else "other"


def task_request(
    id: str,
    title: str,
    *,
    lat: float,
    lon: float,
    languages: frozenset[str],
    skills: Sequence[str] = (),
    text: str = "",
    when: frozenset[str] = frozenset(),
    needs_screening: bool = False,
    posted_at: datetime | None = None,
) -> HelpRequest:
    """A task in the engine's request form. `languages`: those the task can be done in; a task that names none can be
    done in any, so pass the languages of the volunteers being ranked (the shared-language rule then always holds).
    `skills` (asked) and `text` become the request's description: they weigh less than the title."""
    words = " ".join(part for part in (", ".join(skills), text) if part).strip()
    return HelpRequest(
        id=id,
        title=title,
        category=task_category(f"{title} {', '.join(skills)}"),
        languages=languages,
        lat=lat,
        lon=lon,
        description=words,
        when=when,
        needs_screening=needs_screening,
        posted_at=posted_at,
    )
