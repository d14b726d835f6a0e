"""Negation scope in Dutch and English: which words of a text are ruled out as a need.

"Geen boodschappen, wel gezelschap", "I don't need a cook, I need company", "sjouwen is niet nodig",
"boodschappen doe ik zelf", "liever wandelen in plaats van fietsen", "rather than a lift": the
words after a forward cue (up to three content words, the end of the clause or a word such as
"maar"/"wel"/"but") or before a backward cue ("niet nodig", "zelf", "not needed", "fine") are
negated.

Inability is not negation: "ik kan niet meer koken", "I can't carry the boxes", "niet handig met
computers", "zonder auto kom ik niet bij het ziekenhuis" keep the need. A forward cue right after a
verb of ability ("kan", "lukt", "durf", "kom", "can", "able" ...) or followed by an ability word
("handig", "goed", "good", "alleen" ...) negates nothing, and a backward "zelf"/"myself" counts only in
a clause without any negation.
"""

from __future__ import annotations

from collections.abc import Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FORWARD: tuple[tuple[str, ...], ...] = (
    ("in", "plaats", "van"),
    ("i", "p", "v"),
    ("instead", "of"),
    ("rather", "than"),
    ("other", "than"),
    ("geen",),
    ("niet",),
    ("zonder",),
    ("behalve",),
    ("ipv",),
    ("no",),
    ("not",),
    ("dont",),
    ("doesnt",),
    ("didnt",),
    ("without",),
    ("except",),
    ("never",),
    ("nor",),
)
BACKWARD: tuple[tuple[str, ...], ...] = (
    ("niet", "nodig"),
    ("niet", "meer", "nodig"),
    ("hoeft", "niet"),
    ("hoeven", "niet"),
    ("not", "needed"),
    ("not", "necessary"),
    ("no", "longer", "needed"),
    ("al", "geregeld"),
    ("is", "geregeld"),
    ("already", "sorted"),
    ("zelf",),
    ("myself",),
    ("ourselves",),
    ("fine",),
    ("prima",),
    ("al",),
    ("already",),
)
# A forward cue within three words after one of these is about ability, not about the need.
ABILITY_VERBS: frozenset[str] = _words(
    "kan kun kunt kunnen kon konden durf durft durven mag mocht lukt lukte lukken kom komt red redt "
    "can could able allowed may"
)
# "niet handig met computers", "not good with phones", "niet alleen": the need stays.
ABILITY_WORDS: frozenset[str] = _words(
    "handig goed sterk mobiel fit digitaal alleen good handy strong great alone confident zeker"
)
INTENSIFIERS: frozenset[str] = _words("zo erg heel echt meer so very really too any")
# Words that end a forward scope ("geen boodschappen maar gezelschap", "no cook but company").
FORWARD_STOP: frozenset[str] = _words(
    "maar wel en of omdat want dus ik wij we i but and or because so just only please graag zoek zoeken "
    "looking need needs want wants like"
)
BACKWARD_STOP: frozenset[str] = _words("maar wel en omdat want dus but and because so")
# Words skipped in a scope without counting as content.
FILLER: frozenset[str] = _words(
    "a an the any some de het een hoef hoeft hoeven nodig is are om te with met bij help hulp voor for to "
    "mijn my your je u uw meer more"
)
NEGATIONS: frozenset[str] = _words(
    "geen niet no not dont doesnt didnt never cant cannot couldnt unable zonder without niets nothing"
)
# Words right after a forward cue that belong to it ("don't need", "not looking for", "hoef geen").
CUE_TAIL: frozenset[str] = _words("need needs want wants looking zoek zoeken for hoef hoeft hoeven nodig wil")
MAX_CONTENT = 3
# Backward cues that say the requester (or someone else, "al") does it already; not in a clause with a
# negation ("ik kan niet meer zelf koken" keeps the need).
SELF_CUES: frozenset[str] = _words("zelf myself ourselves fine prima al already")


def _matches(words: Sequence[str], i: int, cue: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(cue)]) == cue


def _inability(words: Sequence[str], clauses: Sequence[int], i: int, end: int) -> int | None:
    """-1 when a verb of ability comes just before the cue, the position of an ability word right after
    it ("niet handig met"), else None (a real negation)."""
    clause = clauses[i]
    before = [words[j] for j in range(max(0, i - 3), i) if clauses[j] == clause]
    if any(w in ABILITY_VERBS for w in before):
        return -1
    j = end
    while j < len(words) and clauses[j] == clause and words[j] in INTENSIFIERS:
        j += 1
    return j if j < len(words) and clauses[j] == clause and words[j] in ABILITY_WORDS else None


def negated_tokens(words: Sequence[str], clauses: Sequence[int]) -> list[bool]:
    """Per word, whether it lies in the scope of a negation (the words of a cue itself are not, except an
    ability word such as "handig" in "niet handig met", which says what the requester lacks)."""
    out = [False] * len(words)
    cue_word = [False] * len(words)
    i = 0
    while i < len(words):
        cue = next((c for c in FORWARD if _matches(words, i, c)), None)
        if cue is None:
            i += 1
            continue
        end = i + len(cue)
        cue_word[i:end] = [True] * len(cue)
        inability = _inability(words, clauses, i, end)
        if inability is not None and inability >= 0:
            out[inability] = True  # "niet handig": the requester's lack of a skill is not their need
        elif inability is None:
            while end < len(words) and clauses[end] == clauses[i] and words[end] in CUE_TAIL:
                cue_word[end] = True
                end += 1
            content = 0
            j = end
            while j < len(words) and clauses[j] == clauses[i] and words[j] not in FORWARD_STOP:
                out[j] = True
                if words[j] not in FILLER:
                    content += 1
                    if content >= MAX_CONTENT:
                        break
                j += 1
        i = end
    for i in range(len(words)):
        cue = next((c for c in BACKWARD if _matches(words, i, c)), None)
        if cue is None:
            continue
        clause = clauses[i]
        if cue[0] in SELF_CUES:
            in_clause = [words[j] for j in range(len(words)) if clauses[j] == clause]
            if any(w in NEGATIONS for w in in_clause):
                continue
        content = 0
        j = i - 1
        while j >= 0 and clauses[j] == clause and words[j] not in BACKWARD_STOP:
            out[j] = out[j] or not cue_word[j]
            if words[j] not in FILLER:
                content += 1
                if content >= MAX_CONTENT + 1:
                    break
            j -= 1
    return out
