"""Text features computed once, when a profile, request or initiative is saved.

``encode_volunteer`` / ``encode_request`` / ``encode_initiative`` return a :class:`TextProfile`: the
categories and skill concepts found by the bilingual vocabulary (ruled-out needs removed, ambiguous
words resolved by context), the phrase as typed that matched each concept and category (for the
``skill`` and ``asked`` reasons) and a hashed character n-gram vector. It serialises to a small
JSON-able dict (``to_dict`` / ``TextProfile.from_dict``) that the web app stores next to the row, so a
page view never re-reads text.

A request's declared category is a prior, not a verdict: when its title and description clearly point
elsewhere and say nothing for the declared category, the text decides (see :func:`request_categories`).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matching.records import HelpRequest, Initiative, Volunteer
from matching.vocabulary import Mention, analyse, load_vocabulary, normalise, positive_text

#: Bump when the encoding changes; profiles with another version are re-encoded by the ranker.
#: 2: negation, word senses, split concepts, per-concept phrases, the declared category as a prior.
FEATURE_VERSION = 2
NGRAM_BITS = 18
NGRAM_DIM = 1 << NGRAM_BITS
_NGRAM_SIZES = (3, 4)
BIO_WEIGHT = 0.5
DESCRIPTION_WEIGHT = 0.6
# The declared category of a request: full weight when the text says nothing (or supports it),
# CATEGORY_PRIOR when the text points elsewhere, RULED_OUT_PRIOR when the text negates it.
TEXT_SILENT = 0.5
CATEGORY_PRIOR = 0.4
RULED_OUT_PRIOR = 0.1
TEXT_CATEGORY_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class TextProfile:
    """Precomputed text representation of one volunteer, request or initiative.

    ``categories``: (category key, weight 0..1); ``concepts``: (concept id, strength 0..1);
    ``phrases``: (category key, the skill phrase as typed that matched it); ``concept_phrases``:
    (concept id, the words as typed that matched it: every skill phrase of a volunteer, strongest
    first, or a request's own words);
    ``negated``: concepts the text rules out ("geen boodschappen"); ``ngrams``: (hashed column, weight),
    L2-normalised.
    """

    categories: tuple[tuple[str, float], ...]
    concepts: tuple[tuple[str, float], ...]
    phrases: tuple[tuple[str, str], ...]
    ngrams: tuple[tuple[int, float], ...]
    version: int = FEATURE_VERSION
    concept_phrases: tuple[tuple[str, str], ...] = ()
    negated: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "categories": [[k, round(w, 4)] for k, w in self.categories],
            "concepts": [[k, round(w, 4)] for k, w in self.concepts],
            "phrases": [[k, p] for k, p in self.phrases],
            "concept_phrases": [[k, p] for k, p in self.concept_phrases],
            "negated": list(self.negated),
            "ngrams": [[i, round(w, 5)] for i, w in self.ngrams],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> TextProfile:
        def pairs(name: str) -> list[list[object]]:
            value = data.get(name, [])
            if not isinstance(value, list):
                raise TypeError(f"profile field '{name}' must be a list")
            return [list(p) for p in value]

        version = data.get("version", 0)
        negated = data.get("negated", [])
        if not isinstance(negated, list):
            raise TypeError("profile field 'negated' must be a list")
        return cls(
            categories=tuple((str(k), float(str(w))) for k, w in pairs("categories")),
            concepts=tuple((str(k), float(str(w))) for k, w in pairs("concepts")),
            phrases=tuple((str(k), str(p)) for k, p in pairs("phrases")),
            ngrams=tuple((int(str(i)), float(str(w))) for i, w in pairs("ngrams")),
            version=int(version) if isinstance(version, (int, float)) else 0,
            concept_phrases=tuple((str(k), str(p)) for k, p in pairs("concept_phrases")),
            negated=tuple(str(c) for c in negated),
        )

    def category_weight(self, key: str) -> float:
        for k, w in self.categories:
            if k == key:
                return w
        return 0.0

    def phrase_for(self, key: str) -> str | None:
        for k, p in self.phrases:
            if k == key:
                return p
        return None

    def concept_phrase(self, concept: str) -> str | None:
        """The strongest phrase that matched ``concept``."""
        for k, p in self.concept_phrases:
            if k == concept:
                return p
        return None

    def phrases_of(self, concept: str) -> list[str]:
        """Every phrase that matched ``concept``, strongest first (a volunteer may say it twice)."""
        return [p for k, p in self.concept_phrases if k == concept]


def char_ngrams(text: str) -> Counter[int]:
    """Hashed character 3- and 4-grams of each word (padded with spaces), like char_wb."""
    counts: Counter[int] = Counter()
    for word in normalise(text).split():
        padded = f" {word} "
        for n in _NGRAM_SIZES:
            for i in range(max(1, len(padded) - n + 1)):
                gram = padded[i : i + n]
                counts[zlib.crc32(gram.encode("utf-8")) & (NGRAM_DIM - 1)] += 1
    return counts


def _ngram_vector(parts: Iterable[tuple[str, float]]) -> tuple[tuple[int, float], ...]:
    total: dict[int, float] = {}
    for text, weight in parts:
        for col, count in char_ngrams(text).items():
            total[col] = total.get(col, 0.0) + weight * (1.0 + math.log(count))
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return tuple(sorted((c, round(v / norm, 5)) for c, v in total.items()))


def _rounded(d: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, round(v, 4)) for k, v in d.items() if v > 0))


class _Collector:
    """Best strength and phrase per concept and per category over weighted texts."""

    def __init__(self) -> None:
        self.concepts: dict[str, float] = {}
        self.categories: dict[str, float] = {}
        self.concept_phrase: dict[str, list[tuple[float, str]]] = {}
        self.category_phrase: dict[str, tuple[float, str]] = {}
        self.negated: set[str] = set()

    def add(self, mentions: Iterable[Mention], weight: float, phrase: str | None = None, cite: bool = True) -> None:
        """Add mentions at ``weight``; ``phrase`` (a skill as typed) is cited instead of the mention's words."""
        vocab = load_vocabulary()
        for m in mentions:
            if m.negated:
                self.negated.add(m.concept)
                continue
            strength = m.strength * weight
            self.concepts[m.concept] = max(self.concepts.get(m.concept, 0.0), strength)
            said = phrase if phrase is not None else m.phrase.strip()
            if cite:
                said_before = self.concept_phrase.setdefault(m.concept, [])
                if all(p != said for _, p in said_before):
                    said_before.append((strength, said))
                else:
                    said_before[:] = [(max(w, strength) if p == said else w, p) for w, p in said_before]
            for key, cat_weight in vocab.category_weights(m.concept).items():
                s = cat_weight * strength
                self.categories[key] = max(self.categories.get(key, 0.0), s)
                if cite and s > self.category_phrase.get(key, (0.0, ""))[0]:
                    self.category_phrase[key] = (s, said)

    def negated_only(self) -> tuple[str, ...]:
        return tuple(sorted(self.negated - set(self.concepts)))

    def concept_phrases(self, every: bool) -> tuple[tuple[str, str], ...]:
        """(concept, phrase) pairs, strongest first per concept; ``every`` keeps every phrase, else the best."""
        out: list[tuple[str, str]] = []
        for concept in sorted(self.concept_phrase):
            ranked = sorted(self.concept_phrase[concept], key=lambda sp: -sp[0])
            out.extend((concept, p) for _, p in (ranked if every else ranked[:1]))
        return tuple(out)


def encode_phrases(phrases: Iterable[str], extra_text: str = "", extra_weight: float = BIO_WEIGHT) -> TextProfile:
    """Encode a list of skill-like phrases (skills, needs) plus optional running text (cited never)."""
    col = _Collector()
    phrase_list = [p for p in phrases if p.strip()]
    for phrase in phrase_list:
        col.add(analyse(phrase), 1.0, phrase.strip())
    if extra_text.strip():
        col.add(analyse(extra_text), extra_weight, cite=False)
    ngrams = _ngram_vector([(positive_text(p), 1.0) for p in phrase_list] + [(positive_text(extra_text), extra_weight)])
    return TextProfile(
        categories=_rounded(col.categories),
        concepts=_rounded(col.concepts),
        phrases=tuple(sorted((k, p) for k, (_, p) in col.category_phrase.items())),
        ngrams=ngrams,
        concept_phrases=col.concept_phrases(every=True),
        negated=col.negated_only(),
    )


def encode_volunteer(volunteer: Volunteer) -> TextProfile:
    """Text features of a volunteer (skills, and the bio at half weight). Call on save."""
    return encode_phrases(volunteer.skills, volunteer.bio)


def request_categories(declared: str, text: Mapping[str, float], negated: Iterable[str]) -> dict[str, float]:
    """Category weights of a request: what the text says, plus the declared category as a prior.

    The declared category keeps full weight when the text is silent (nothing above TEXT_SILENT) or
    supports it; it drops to CATEGORY_PRIOR when the text clearly points elsewhere, and to
    RULED_OUT_PRIOR when the text rules out a need of that category ("geen boodschappen")."""
    vocab = load_vocabulary()
    out = {k: TEXT_CATEGORY_WEIGHT * w for k, w in text.items()}
    support = text.get(declared, 0.0)
    ruled_out = any(vocab.concept(c).category == declared for c in negated)
    if max(text.values(), default=0.0) < TEXT_SILENT or support >= TEXT_SILENT:
        prior = 1.0
    elif ruled_out:
        prior = RULED_OUT_PRIOR
    else:
        prior = CATEGORY_PRIOR
    out[declared] = max(out.get(declared, 0.0), prior)
    return out


def encode_request(request: HelpRequest) -> TextProfile:
    """Text features of a help request: what its title (full weight) and description
    (DESCRIPTION_WEIGHT) say, with ruled-out needs removed, and its declared category as a prior.
    Call on save."""
    col = _Collector()
    col.add(analyse(request.title), 1.0)
    if request.description.strip():
        col.add(analyse(request.description), DESCRIPTION_WEIGHT)
    negated = col.negated_only()
    categories = request_categories(request.category, col.categories, negated)
    ngrams = _ngram_vector(
        [(positive_text(request.title), 1.0), (positive_text(request.description), DESCRIPTION_WEIGHT)]
    )
    return TextProfile(
        categories=_rounded(categories),
        concepts=_rounded(col.concepts),
        phrases=tuple(sorted((k, p) for k, (_, p) in col.category_phrase.items())),
        ngrams=ngrams,
        concept_phrases=col.concept_phrases(every=False),
        negated=negated,
    )


def encode_initiative(initiative: Initiative) -> TextProfile:
    """Text features of an initiative: its needs (full weight) and description (half weight)."""
    return encode_phrases(initiative.needs, f"{initiative.name} {initiative.description}")
