"""Text features computed once, when a profile, request or initiative is saved.

``encode_volunteer`` / ``encode_request`` / ``encode_initiative`` return a :class:`TextProfile`: the
categories and skill concepts found by the bilingual vocabulary, the phrase that matched each
category (for the "skill" reason) and a hashed character n-gram vector. It serialises to a small
JSON-able dict (``to_dict`` / ``TextProfile.from_dict``) that the web app stores next to the row, so a
page view never re-reads text.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matching.records import HelpRequest, Initiative, Volunteer
from matching.vocabulary import categories_of, find_concepts, load_vocabulary, normalise

#: Bump when the encoding changes; profiles with another version are re-encoded by the ranker.
FEATURE_VERSION = 1
NGRAM_BITS = 18
NGRAM_DIM = 1 << NGRAM_BITS
_NGRAM_SIZES = (3, 4)
BIO_WEIGHT = 0.5
DESCRIPTION_CATEGORY_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class TextProfile:
    """Precomputed text representation of one volunteer, request or initiative.

    ``categories``: (category key, weight 0..1); ``concepts``: (concept id, strength 0..1);
    ``phrases``: (category key, the phrase as typed that matched it); ``ngrams``: (hashed column,
    weight), L2-normalised.
    """

    categories: tuple[tuple[str, float], ...]
    concepts: tuple[tuple[str, float], ...]
    phrases: tuple[tuple[str, str], ...]
    ngrams: tuple[tuple[int, float], ...]
    version: int = FEATURE_VERSION

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "categories": [[k, round(w, 4)] for k, w in self.categories],
            "concepts": [[k, round(w, 4)] for k, w in self.concepts],
            "phrases": [[k, p] for k, p in self.phrases],
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
        return cls(
            categories=tuple((str(k), float(str(w))) for k, w in pairs("categories")),
            concepts=tuple((str(k), float(str(w))) for k, w in pairs("concepts")),
            phrases=tuple((str(k), str(p)) for k, p in pairs("phrases")),
            ngrams=tuple((int(str(i)), float(str(w))) for i, w in pairs("ngrams")),
            version=int(version) if isinstance(version, (int, float)) else 0,
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


def _merge(into: dict[str, float], new: Mapping[str, float], factor: float = 1.0) -> None:
    for key, weight in new.items():
        into[key] = max(into.get(key, 0.0), weight * factor)


def _rounded(d: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, round(v, 4)) for k, v in d.items() if v > 0))


def encode_phrases(phrases: Iterable[str], extra_text: str = "", extra_weight: float = BIO_WEIGHT) -> TextProfile:
    """Encode a list of skill-like phrases (skills, needs) plus optional running text."""
    vocab = load_vocabulary()
    categories: dict[str, float] = {}
    concepts: dict[str, float] = {}
    phrase_of: dict[str, tuple[float, str]] = {}
    phrase_list = [p for p in phrases if p.strip()]
    for phrase in phrase_list:
        for match in find_concepts(phrase).values():
            concepts[match.concept] = max(concepts.get(match.concept, 0.0), match.strength)
            for key, weight in vocab.category_weights(match.concept).items():
                strength = weight * match.strength
                categories[key] = max(categories.get(key, 0.0), strength)
                if strength > phrase_of.get(key, (0.0, ""))[0]:
                    phrase_of[key] = (strength, phrase.strip())
    if extra_text.strip():
        for match in find_concepts(extra_text).values():
            concepts[match.concept] = max(concepts.get(match.concept, 0.0), match.strength * extra_weight)
        _merge(categories, categories_of(extra_text), extra_weight)
    ngrams = _ngram_vector([(" ".join(phrase_list), 1.0), (extra_text, extra_weight)])
    return TextProfile(
        categories=_rounded(categories),
        concepts=_rounded(concepts),
        phrases=tuple(sorted((k, p) for k, (_, p) in phrase_of.items())),
        ngrams=ngrams,
    )


def encode_volunteer(volunteer: Volunteer) -> TextProfile:
    """Text features of a volunteer (skills, and the bio at half weight). Call on save."""
    return encode_phrases(volunteer.skills, volunteer.bio)


def encode_request(request: HelpRequest) -> TextProfile:
    """Text features of a help request: its declared category at full weight plus what the
    title and description say (description at half weight). Call on save."""
    title = encode_phrases([request.title], request.description, DESCRIPTION_CATEGORY_WEIGHT)
    categories = dict(title.categories)
    for key in list(categories):
        categories[key] = categories[key] * DESCRIPTION_CATEGORY_WEIGHT
    categories[request.category] = 1.0
    return TextProfile(
        categories=_rounded(categories),
        concepts=title.concepts,
        phrases=(),
        ngrams=title.ngrams,
    )


def encode_initiative(initiative: Initiative) -> TextProfile:
    """Text features of an initiative: its needs (full weight) and description (half weight)."""
    return encode_phrases(initiative.needs, f"{initiative.name} {initiative.description}")
