"""Bilingual skill vocabulary: free text -> skill concepts -> categories.

People type "boodschapen", "handig met gereedschap", "tuinonderhoud" or "laptop problemen". The
vocabulary (``data/skills_vocabulary.json``) groups Dutch, English and some Turkish, Polish,
Ukrainian and Arabic words into concepts, each mapped to a category. Lookup is exact first, then
fuzzy with rapidfuzz (typos), then by splitting Dutch compounds into known parts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from matching.taxonomy import load_taxonomy

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)

STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "help",
        "helpen",
        "hulp",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "would",
        "like",
        "can",
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "in",
        "op",
        "te",
        "ik",
        "mijn",
        "je",
        "jij",
        "u",
        "uw",
        "graag",
        "kan",
        "wil",
        "bij",
        "met",
        "aan",
        "om",
        "die",
        "dat",
        "er",
        "is",
        "ben",
        "zijn",
        "heb",
        "heeft",
        "nodig",
        "iemand",
        "die",
        "wie",
        "wat",
        "of",
        "als",
        "ook",
        "maar",
        "niet",
        "geen",
        "wel",
        "even",
        "keer",
        "per",
        "week",
        "soms",
        "please",
        "need",
        "someone",
        "who",
        "somebody",
        "some",
        "any",
        "am",
        "are",
        "be",
        "have",
        "has",
        "do",
        "does",
    ]
)
# Parts that do not carry a category when they end a compound ("schilderwerk" is not about jobs).
_GENERIC_PARTS: frozenset[str] = frozenset({"werk", "hulp", "dienst", "service", "les", "maatje", "doen", "help"})


def normalise(text: str) -> str:
    """Case-fold, strip accents, turn punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    category: str
    also: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """A concept found in a text; ``strength`` 1.0 for an exact term, lower for fuzzy/compound."""

    concept: str
    strength: float
    term: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    term_concepts: dict[str, tuple[str, ...]]
    terms: tuple[str, ...]
    part_terms: tuple[str, ...]

    def concept(self, concept_id: str) -> Concept:
        return _concept_map(self)[concept_id]

    def category_weights(self, concept_id: str) -> dict[str, float]:
        """The categories a concept points to, with weights (1.0 for its own category)."""
        con = self.concept(concept_id)
        out = {con.category: 1.0}
        for key, weight in con.also:
            out[key] = max(out.get(key, 0.0), weight)
        return out


_CONCEPT_MAPS: dict[int, dict[str, Concept]] = {}


def _concept_map(vocab: Vocabulary) -> dict[str, Concept]:
    key = id(vocab)
    if key not in _CONCEPT_MAPS:
        _CONCEPT_MAPS[key] = {c.id: c for c in vocab.concepts}
    return _CONCEPT_MAPS[key]


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Load the shipped vocabulary (cached); every category it names must be in the taxonomy."""
    raw = json.loads(resources.files("matching").joinpath("data/skills_vocabulary.json").read_text(encoding="utf-8"))
    taxonomy = load_taxonomy()
    concepts: list[Concept] = []
    term_map: dict[str, list[str]] = {}
    for item in raw["concepts"]:
        also = tuple((str(k), float(v)) for k, v in (item.get("also") or {}).items())
        concept = Concept(id=str(item["id"]), category=str(item["category"]), also=also)
        for key in [concept.category, *(k for k, _ in also)]:
            taxonomy.category(key)  # raises KeyError for a category not in the taxonomy
        concepts.append(concept)
        for term in item["terms"]:
            norm = normalise(str(term))
            if norm and concept.id not in term_map.setdefault(norm, []):
                term_map[norm].append(concept.id)
    terms = tuple(sorted(term_map))
    parts = tuple(t for t in terms if " " not in t and len(t) >= 4 and t not in _GENERIC_PARTS)
    return Vocabulary(
        concepts=tuple(concepts),
        term_concepts={t: tuple(c) for t, c in term_map.items()},
        terms=terms,
        part_terms=parts,
    )


def _fuzzy_cutoff(length: int) -> float | None:
    if length <= 4:
        return None
    if length <= 6:
        return 85.0
    return 80.0


@lru_cache(maxsize=200_000)
def _lookup_span(span: str) -> tuple[ConceptMatch, ...]:
    vocab = load_vocabulary()
    exact = vocab.term_concepts.get(span)
    if exact:
        return tuple(ConceptMatch(c, 1.0, span) for c in exact)
    cutoff = _fuzzy_cutoff(len(span))
    if cutoff is not None:
        found = process.extractOne(span, vocab.terms, scorer=fuzz.ratio, score_cutoff=cutoff)
        if found is not None:
            term = str(found[0])
            strength = 0.55 + 0.4 * (float(found[1]) - cutoff) / (100.0 - cutoff)
            return tuple(ConceptMatch(c, round(strength, 3), term) for c in vocab.term_concepts[term])
    if " " not in span and len(span) >= 7:
        out: list[ConceptMatch] = []
        for part in vocab.part_terms:
            if len(part) <= len(span) - 4 and (span.startswith(part) or span.endswith(part)):
                out.extend(ConceptMatch(c, 0.8, part) for c in vocab.term_concepts[part])
        return tuple(out)
    return ()


def find_concepts(text: str, max_words: int = 3) -> dict[str, ConceptMatch]:
    """Concepts mentioned in ``text`` (best match per concept)."""
    tokens = normalise(text).split()
    best: dict[str, ConceptMatch] = {}
    for n in range(1, max_words + 1):
        for i in range(len(tokens) - n + 1):
            words = tokens[i : i + n]
            if n == 1 and words[0] in STOPWORDS:
                continue
            if words[0] in STOPWORDS and n > 1 and words[0] not in ("de", "het", "the"):
                continue
            for match in _lookup_span(" ".join(words)):
                old = best.get(match.concept)
                if old is None or match.strength > old.strength:
                    best[match.concept] = match
    return best


def categories_of(text: str) -> dict[str, float]:
    """Category weights (0..1) that ``text`` points to."""
    vocab = load_vocabulary()
    out: dict[str, float] = {}
    for match in find_concepts(text).values():
        for key, weight in vocab.category_weights(match.concept).items():
            out[key] = max(out.get(key, 0.0), weight * match.strength)
    return out
