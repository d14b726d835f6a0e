"""Which category a request's own words point to: the form asks "what do you need a hand with?" first and
suggests the kind of help from the answer, so nobody has to find it in a list of sixteen.

:func:`suggest_category` reads the text with the bilingual vocabulary (:mod:`matching.vocabulary`: exact words,
typos, Dutch compounds, ambiguous words resolved by context, ruled-out needs such as "geen boodschappen" left out)
and adds up, per category, what the concepts found say for it. A category that several concepts support wins; on a
tie the later mention wins, because Dutch and English name the thing the help is for after the activity
("wandelen met de hond", "help with forms"). When nothing clear is found it returns ``None``: the caller keeps the
request in "other" for a person to look at, never a silent wrong guess.
"""

from __future__ import annotations

from matching.vocabulary import analyse, load_vocabulary

#: Languages the vocabulary has words for. In any other language only exact words count: a typo match against a
#: Dutch or English word is then more likely a false friend than a typo.
VOCABULARY_LANGUAGES: frozenset[str] = frozenset({"nl", "en", "tr", "pl", "uk", "ar"})
#: A category needs at least this much support (1.0 is one exact word for it).
MIN_SCORE = 0.6
#: Mentions weaker than this (far-fetched typo or compound matches) do not count.
MIN_STRENGTH = 0.6
#: The catch-all category: never suggested, it is what "nothing fits" becomes.
OTHER = "other"
#: More text than this is not read (the title and the start of a description say what the request is about).
MAX_CHARS = 1000


def suggest_category(text: str, language: str) -> str | None:
    """The category key the words of ``text`` point to, or ``None`` when nothing fits clearly.

    ``language`` is the code of the language the text is written in ("nl", "en", "en_GB", ...)."""
    text = text[:MAX_CHARS]
    if not text.strip():
        return None
    exact_only = language.replace("-", "_").split("_")[0].lower() not in VOCABULARY_LANGUAGES
    vocab = load_vocabulary()
    best_per_concept: dict[str, tuple[float, int]] = {}
    for mention in analyse(text):
        if mention.negated or mention.strength < MIN_STRENGTH or (exact_only and mention.strength < 1.0):
            continue
        strength, last = best_per_concept.get(mention.concept, (0.0, -1))
        best_per_concept[mention.concept] = (max(strength, mention.strength), max(last, mention.first))
    scores: dict[str, float] = {}
    positions: dict[str, int] = {}
    for concept, (strength, position) in best_per_concept.items():
        for key, weight in vocab.category_weights(concept).items():
            scores[key] = scores.get(key, 0.0) + weight * strength
            if weight >= 1.0:  # the concept's own category, not a related one
                positions[key] = max(positions.get(key, -1), position)
    candidates = [(score, positions.get(key, -1), key) for key, score in scores.items() if key != OTHER]
    if not candidates:
        return None
    score, _, key = max(candidates)
    return key if score >= MIN_SCORE else None
