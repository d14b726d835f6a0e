"""Bilingual skill vocabulary: free text -> skill concepts -> categories.

People type "boodschapen", "handig met gereedschap", "tuinonderhoud" or "laptop problemen". The
vocabulary (``data/skills_vocabulary.json``) groups Dutch, English and some Turkish, Polish,
Ukrainian and Arabic words into concepts, each mapped to a category. Lookup is exact first (the
longest exact span wins and hides the words inside it), then fuzzy with rapidfuzz (typos; same first
letter, never for a plain word), then by splitting Dutch compounds into known parts.

Ambiguous words ("oppassen", "rijden", "fietsen", "tuin", "verzorgen") are *senses*: the concept is
chosen by context words near them ("oppassen" + "kat" -> pet care, + "kinderen" -> babysitting).
Every mention carries the words as typed and whether a negation ("geen", "niet nodig", "in plaats
van", "don't need", "rather than" ...; see :mod:`matching.negation`) rules it out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from matching.negation import negated_tokens
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


_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
_TOKEN = re.compile(r"[\w'’ʼ`]+|[.,;:!?()\[\]{}\n\r\t–—/]|\s-\s", re.UNICODE)
_CLAUSE_MARKS = frozenset(".,;:!?()[]{}\n\r\t–—/")


def normalise(text: str) -> str:
    """Case-fold, strip accents and apostrophes ("don't" -> "dont"), turn punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_APOSTROPHES)
    return " ".join(_NON_WORD.sub(" ", stripped).replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word with where it came from: characters ``start:end`` of the text, its clause."""

    text: str
    start: int
    end: int
    clause: int


def tokenize(text: str) -> list[Token]:
    """Normalised words with their character offsets; punctuation (and " - ") starts a new clause."""
    out: list[Token] = []
    clause = 0
    for m in _TOKEN.finditer(text):
        piece = m.group(0)
        if piece.strip() in _CLAUSE_MARKS or piece.strip() == "-":
            clause += 1
            continue
        for word in normalise(piece).split():
            out.append(Token(word, m.start(), m.end(), clause))
    return out


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
class Variant:
    concept: str
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sense:
    """An ambiguous term: the variant whose context word is nearest wins, else ``default``."""

    default: str | None
    default_strength: float
    window: int
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """One concept mention: the words as typed (``phrase``), token span, and whether it is ruled out."""

    concept: str
    strength: float
    term: str
    phrase: str
    first: int
    last: int
    negated: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    term_concepts: dict[str, tuple[str, ...]]
    terms: tuple[str, ...]
    part_terms: tuple[str, ...]
    senses: dict[str, Sense]
    plain_words: frozenset[str]

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
    """Load the shipped vocabulary (cached); every category it names must be in the taxonomy, every
    sense variant a known concept, and no ambiguous term may also be a plain term."""
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
    known = {c.id for c in concepts}
    senses: dict[str, Sense] = {}
    for item in raw.get("senses", []):
        variants = tuple(
            Variant(str(v["concept"]), tuple(normalise(str(w)) for w in v["context"])) for v in item["variants"]
        )
        default = item.get("default")
        for cid in [default, *(v.concept for v in variants)]:
            if cid is not None and cid not in known:
                raise KeyError(f"sense names unknown concept {cid!r}")
        sense = Sense(
            default=None if default is None else str(default),
            default_strength=float(item.get("default_strength", 1.0)),
            window=int(item.get("window", 6)),
            variants=variants,
        )
        for term in item["terms"]:
            norm = normalise(str(term))
            if norm in term_map:
                raise ValueError(f"ambiguous term {norm!r} is also a plain term of {term_map[norm]}")
            senses[norm] = sense
    terms = tuple(sorted(term_map))
    parts = tuple(t for t in terms if " " not in t and len(t) >= 4 and t not in _GENERIC_PARTS)
    return Vocabulary(
        concepts=tuple(concepts),
        term_concepts={t: tuple(c) for t, c in term_map.items()},
        terms=terms,
        part_terms=parts,
        senses=senses,
        plain_words=frozenset(normalise(str(w)) for w in raw.get("plain_words", [])),
    )


def _fuzzy_cutoff(length: int) -> float | None:
    if length <= 4:
        return None
    if length <= 6:
        return 85.0
    return 80.0


@lru_cache(maxsize=200_000)
def _lookup_span(span: str) -> tuple[ConceptMatch, ...]:
    """Concepts of one span: exact term, else a typo of one (same first letter), else compound parts."""
    vocab = load_vocabulary()
    exact = vocab.term_concepts.get(span)
    if exact:
        return tuple(ConceptMatch(c, 1.0, span) for c in exact)
    if span in vocab.plain_words or span in vocab.senses or span.rsplit(" ", 1)[-1] in STOPWORDS:
        return ()
    cutoff = _fuzzy_cutoff(len(span))
    if cutoff is not None:
        found = _fuzzy(span, cutoff)
        if found is not None:
            term, score = found
            strength = 0.55 + 0.4 * (score - cutoff) / (100.0 - cutoff)
            return tuple(ConceptMatch(c, round(strength, 3), term) for c in vocab.term_concepts[term])
    if " " not in span and len(span) >= 7:
        out: list[ConceptMatch] = []
        for part in vocab.part_terms:
            if len(part) <= len(span) - 4 and (span.startswith(part) or span.endswith(part)):
                out.extend(ConceptMatch(c, 0.8, part) for c in vocab.term_concepts[part])
        return tuple(out)
    return ()


@lru_cache(maxsize=20_000)
def _fuzzy_candidates(first: str) -> tuple[str, ...]:
    """Terms a span may be a typo of: single words with the same first letter (people rarely mistype
    it); for a span of several words, terms of several words that start with the same word."""
    terms = load_vocabulary().terms
    if " " in first:
        word = first.rstrip()
        return tuple(t for t in terms if " " in t and t.split(" ", 1)[0] == word)
    return tuple(t for t in terms if t[:1] == first)


def _fuzzy(span: str, cutoff: float) -> tuple[str, float] | None:
    """The closest plausible term (see :func:`_fuzzy_candidates`), if close enough."""
    key = span.split(" ", 1)[0] + " " if " " in span else span[:1]
    found = process.extractOne(span, _fuzzy_candidates(key), scorer=fuzz.ratio, score_cutoff=cutoff)
    return None if found is None else (str(found[0]), float(found[1]))


def _context_hit(token: str, word: str) -> bool:
    if token == word:
        return True
    return len(word) >= 4 and (token.startswith(word) or token.endswith(word))


def _resolve(sense: Sense, tokens: list[Token], first: int, last: int) -> tuple[str, float] | None:
    """The variant of an ambiguous term whose context word is nearest (within the window), else the default."""
    best: tuple[int, int] | None = None  # (distance, variant index)
    lo, hi = max(0, first - sense.window), min(len(tokens), last + 1 + sense.window)
    for pos in range(lo, hi):
        if first <= pos <= last:
            continue
        dist = first - pos if pos < first else pos - last
        for vi, variant in enumerate(sense.variants):
            hit = any(_context_hit(tokens[pos].text, w) for w in variant.context)
            if hit and (best is None or (dist, vi) < best):
                best = (dist, vi)
    if best is not None:
        return sense.variants[best[1]].concept, 1.0
    if sense.default is None:
        return None
    return sense.default, sense.default_strength


def analyse(text: str, max_words: int = 3) -> list[Mention]:
    """Every concept mention in ``text``, longest exact spans first, with negation scope applied."""
    vocab = load_vocabulary()
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    negated = negated_tokens(words, [t.clause for t in tokens])
    consumed = [False] * len(tokens)
    mentions: list[Mention] = []
    for n in range(max_words, 0, -1):
        for i in range(len(tokens) - n + 1):
            span_tokens = tokens[i : i + n]
            if span_tokens[0].clause != span_tokens[-1].clause or any(consumed[i : i + n]):
                continue
            span_words = words[i : i + n]
            if n == 1 and span_words[0] in STOPWORDS:
                continue
            if span_words[0] in STOPWORDS and n > 1 and span_words[0] not in ("de", "het", "the"):
                continue
            span = " ".join(span_words)
            phrase = text[span_tokens[0].start : span_tokens[-1].end]
            is_negated = any(negated[i : i + n])
            sense = vocab.senses.get(span)
            if sense is not None:
                resolved = _resolve(sense, tokens, i, i + n - 1)
                if resolved is not None:
                    mentions.append(Mention(resolved[0], resolved[1], span, phrase, i, i + n - 1, is_negated))
                if n > 1:
                    consumed[i : i + n] = [True] * n
                continue
            found = _lookup_span(span)
            for match in found:
                mentions.append(Mention(match.concept, match.strength, match.term, phrase, i, i + n - 1, is_negated))
            if n > 1 and found and found[0].strength >= 1.0:
                consumed[i : i + n] = [True] * n
    return mentions


def positive_text(text: str) -> str:
    """The normalised words of ``text`` without the ruled-out ones (for character n-grams)."""
    tokens = tokenize(text)
    negated = negated_tokens([t.text for t in tokens], [t.clause for t in tokens])
    return " ".join(t.text for t, neg in zip(tokens, negated, strict=True) if not neg)


def find_concepts(text: str, max_words: int = 3) -> dict[str, ConceptMatch]:
    """Concepts mentioned (and not ruled out) in ``text``, the best match per concept."""
    best: dict[str, ConceptMatch] = {}
    for m in analyse(text, max_words):
        if m.negated:
            continue
        old = best.get(m.concept)
        if old is None or m.strength > old.strength:
            best[m.concept] = ConceptMatch(m.concept, m.strength, m.term)
    return best


def categories_of(text: str) -> dict[str, float]:
    """Category weights (0..1) that ``text`` points to."""
    vocab = load_vocabulary()
    out: dict[str, float] = {}
    for match in find_concepts(text).values():
        for key, weight in vocab.category_weights(match.concept).items():
            out[key] = max(out.get(key, 0.0), weight * match.strength)
    return out
