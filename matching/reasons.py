"""Reason codes: why a suggestion fits *this* request, in the volunteer's and the requester's own words.

``skill`` cites the volunteer's phrase for the concept both share (of several such phrases, the one
closest in spelling to the request's words), ``asked`` the request's own words for it; without a
shared concept, the phrase behind the category they share. :class:`Explainer` caches per-profile
lookups so a batch of 100,000 pairs costs a few microseconds each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matching.features import TextProfile, char_ngrams
from matching.index import DUTCH_PRACTICE_MIN
from matching.records import SLOTS, HelpRequest, Reason, ReasonCode, Volunteer
from matching.vocabulary import load_vocabulary

SKILL_REASON_MIN = 0.5
CATEGORY_REASON_MIN = 0.35
CLOSER_PHRASE_MIN = 0.2  # a weaker phrase is cited instead of the strongest only when this similar


@lru_cache(maxsize=100_000)
def reason(code: ReasonCode, detail: str = "") -> Reason:
    """Reasons are immutable values: one object per (code, detail)."""
    return Reason(code, detail)


def first_slot(mask: int) -> str | None:
    if mask <= 0:
        return None
    return SLOTS[(mask & -mask).bit_length() - 1]


def shared_language(volunteer: Volunteer, request: HelpRequest) -> str | None:
    shared = volunteer.languages & request.languages
    if not shared:
        return None
    # Name the language that matters: a requester without Dutch needs someone who speaks theirs.
    if "nl" in shared and "nl" in request.languages and len(request.languages) == 1:
        return "nl"
    non_dutch = sorted(shared - {"nl", "en"})
    if non_dutch:
        return non_dutch[0]
    return "nl" if "nl" in shared else min(shared)


@lru_cache(maxsize=50_000)
def _gram_set(text: str) -> frozenset[int]:
    return frozenset(char_ngrams(text))


def closest_phrase(
    phrases: list[str],
    asked: str,
    covers: dict[str, frozenset[str]] | None = None,
    wanted: frozenset[str] = frozenset(),
) -> str:
    """Of the volunteer's phrases for one concept, the one that covers most of the request's concepts
    ("telefoon instellen" for "setting up my phone", not "computer hulp"), then the one closest in
    spelling to the request's words ("heg knippen", not "onkruid wieden"); the strongest on a tie."""
    if len(phrases) == 1:
        return phrases[0]
    grams = _gram_set(asked) if asked else frozenset()
    best, best_key = phrases[0], (-1, -1.0)
    for phrase in phrases:
        cover = len((covers or {}).get(phrase, frozenset()) & wanted)
        sim = len(grams & _gram_set(phrase)) / max(1, len(grams | _gram_set(phrase))) if grams else 0.0
        key = (cover, sim if sim >= CLOSER_PHRASE_MIN else 0.0)
        if key > best_key:
            best, best_key = phrase, key
    return best


@dataclass(frozen=True, slots=True)
class View:
    """Lookups of one profile: concepts in vocabulary order, phrases per concept and category."""

    concepts: tuple[tuple[str, float], ...]
    strength: dict[str, float]
    phrases: dict[str, list[str]]
    categories: tuple[tuple[str, float], ...]
    category_weight: dict[str, float]
    category_phrase: dict[str, str]
    dutch_practice: bool
    covers: dict[str, frozenset[str]]  # phrase -> the concepts it matched
    concept_set: frozenset[str]

    @classmethod
    def of(cls, profile: TextProfile) -> View:
        order = _concept_order()
        phrases: dict[str, list[str]] = {}
        covers: dict[str, frozenset[str]] = {}
        for concept, phrase in profile.concept_phrases:
            if concept in phrases:
                phrases[concept].append(phrase)
            else:
                phrases[concept] = [phrase]
            covers[phrase] = covers.get(phrase, frozenset()) | {concept}
        strength = dict(profile.concepts)
        return cls(
            concepts=tuple(sorted(profile.concepts, key=lambda cs: order.get(cs[0], 0))),
            strength=strength,
            phrases=phrases,
            categories=profile.categories,
            category_weight=dict(profile.categories),
            category_phrase=dict(profile.phrases),
            dutch_practice=strength.get("dutch_practice", 0.0) >= DUTCH_PRACTICE_MIN,
            covers=covers,
            concept_set=frozenset(strength),
        )


@lru_cache(maxsize=1)
def _concept_order() -> dict[str, int]:
    return {c.id: i for i, c in enumerate(load_vocabulary().concepts)}


@lru_cache(maxsize=1)
def _concept_category() -> dict[str, str]:
    return {c.id: c.category for c in load_vocabulary().concepts}


def matched_concept(vview: View, rview: View) -> str | None:
    """The concept both share most strongly (first in vocabulary order on a tie), None if none."""
    best, best_score = None, 0.0
    for concept, strength in rview.concepts:
        score = strength * vview.strength.get(concept, 0.0)
        if score > best_score:
            best, best_score = concept, score
    return best


def explain_views(
    volunteer: Volunteer,
    vview: View,
    request: HelpRequest,
    rview: View,
    distance_km: float,
    shared_slots: int,
) -> tuple[Reason, ...]:
    """Reason codes for one pair, most telling first (never empty)."""
    reasons: list[Reason] = []
    concept = matched_concept(vview, rview)
    cat, weight, best = None, 0.0, 0.0
    for key, rweight in rview.categories:
        vweight = vview.category_weight.get(key, 0.0)
        if rweight * vweight > best:
            cat, weight, best = key, vweight, rweight * vweight
    if concept is not None and concept in vview.phrases:
        asked = rview.phrases.get(concept, [""])[0]
        reasons.append(reason("skill", closest_phrase(vview.phrases[concept], asked, vview.covers, rview.concept_set)))
        if asked:
            reasons.append(reason("asked", asked))
        own = _concept_category()[concept]
        if vview.category_weight.get(own, 0.0) >= CATEGORY_REASON_MIN:
            cat, weight = own, vview.category_weight[own]
    elif cat is not None and weight >= SKILL_REASON_MIN and cat in vview.category_phrase:
        reasons.append(reason("skill", vview.category_phrase[cat]))
        asked_in = [c for c, _ in sorted(rview.concepts, key=lambda cs: -cs[1]) if _concept_category()[c] == cat]
        if asked_in and rview.phrases.get(asked_in[0]):
            reasons.append(reason("asked", rview.phrases[asked_in[0]][0]))
    if cat is not None and weight >= CATEGORY_REASON_MIN:
        reasons.append(reason("category", cat))
    exp_cat = cat if cat is not None else request.category
    if volunteer.experience.get(exp_cat, 0) > 0:
        reasons.append(reason("experience", exp_cat))
    reasons.append(reason("distance", f"{distance_km:.1f}"))
    slot = first_slot(shared_slots)
    if slot is not None:
        reasons.append(reason("availability", slot))
    lang = shared_language(volunteer, request)
    if lang is not None:
        reasons.append(reason("language", lang))
    if rview.dutch_practice and "nl" in volunteer.languages:
        reasons.append(reason("speaks_dutch"))
    if request.needs_screening and volunteer.screened:
        reasons.append(reason("screening"))
    return tuple(reasons)


def explain(
    volunteer: Volunteer,
    profile: TextProfile,
    request: HelpRequest,
    distance_km: float,
    shared_slots: int,
    request_profile: TextProfile | None = None,
) -> tuple[Reason, ...]:
    """Reason codes for one pair (``request_profile`` defaults to encoding the request)."""
    from matching.features import encode_request

    rprof = request_profile or encode_request(request)
    return explain_views(volunteer, View.of(profile), request, View.of(rprof), distance_km, shared_slots)


class Explainer:
    """Reasons for many pairs of one index: profile lookups built once per profile."""

    def __init__(self, volunteer_profiles: tuple[TextProfile, ...], request_profiles: tuple[TextProfile, ...]):
        self._vprof, self._rprof = volunteer_profiles, request_profiles
        self._vviews: dict[int, View] = {}
        self._rviews: dict[int, View] = {}
        self._languages: dict[tuple[frozenset[str], frozenset[str]], str | None] = {}
        self._distance: dict[int, Reason] = {}
        self._availability: dict[int, Reason] = {}

    def language(self, volunteer: Volunteer, request: HelpRequest) -> str | None:
        key = (volunteer.languages, request.languages)
        if key not in self._languages:
            self._languages[key] = shared_language(volunteer, request)
        return self._languages[key]

    def many(
        self,
        volunteers: Sequence[Volunteer],
        requests: Sequence[HelpRequest],
        vis: list[int],
        ris: list[int],
        km: list[float],
        slots: list[int],
        concept: list[int],
        category: list[int],
        category_weight: list[float],
        concept_ids: Sequence[str],
        category_keys: Sequence[str],
    ) -> list[tuple[Reason, ...]]:
        """Reasons for pairs (vis[i], ris[i]) whose matched concept and category positions (-1: none) and the
        volunteer's weight for that category were computed in bulk (see MatchIndex); same result as
        :func:`explain_views`."""
        out: list[tuple[Reason, ...]] = []
        concept_category = _concept_category()
        vviews, rviews = self._vviews, self._rviews
        distance = self._distance
        availability = self._availability
        for vi, ri, d, mask, ci, ki, kw in zip(vis, ris, km, slots, concept, category, category_weight, strict=True):
            vview = vviews.get(vi) or self.volunteer(vi)
            rview = rviews.get(ri) or self.request(ri)
            vol, req = volunteers[vi], requests[ri]
            reasons: list[Reason] = []
            cat = category_keys[ki] if ki >= 0 else None
            weight = kw
            cid = concept_ids[ci] if ci >= 0 else None
            if cid is not None and cid in vview.phrases:
                asked_list = rview.phrases.get(cid)
                asked = asked_list[0] if asked_list else ""
                said = vview.phrases[cid]
                said_one = said[0] if len(said) == 1 else closest_phrase(said, asked, vview.covers, rview.concept_set)
                reasons.append(reason("skill", said_one))
                if asked:
                    reasons.append(reason("asked", asked))
                own = concept_category[cid]
                own_weight = vview.category_weight.get(own, 0.0)
                if own_weight >= CATEGORY_REASON_MIN:
                    cat, weight = own, own_weight
            elif cat is not None and weight >= SKILL_REASON_MIN and cat in vview.category_phrase:
                reasons.append(reason("skill", vview.category_phrase[cat]))
                asked_in = [c for c, _ in sorted(rview.concepts, key=lambda cs: -cs[1]) if concept_category[c] == cat]
                if asked_in and rview.phrases.get(asked_in[0]):
                    reasons.append(reason("asked", rview.phrases[asked_in[0]][0]))
            if cat is not None and weight >= CATEGORY_REASON_MIN:
                reasons.append(reason("category", cat))
            if vol.experience:
                exp_cat = cat if cat is not None else req.category
                if vol.experience.get(exp_cat, 0) > 0:
                    reasons.append(reason("experience", exp_cat))
            tenths = round(d * 10)
            reasons.append(distance.get(tenths) or self._distance_reason(tenths, d))
            if mask > 0:
                reasons.append(availability.get(mask) or self._availability_reason(mask))
            lang = self.language(vol, req)
            if lang is not None:
                reasons.append(reason("language", lang))
            if rview.dutch_practice and "nl" in vol.languages:
                reasons.append(reason("speaks_dutch"))
            if req.needs_screening and vol.screened:
                reasons.append(reason("screening"))
            out.append(tuple(reasons))
        return out

    def _distance_reason(self, tenths: int, km: float) -> Reason:
        made = reason("distance", f"{km:.1f}")
        if made.detail == f"{tenths / 10:.1f}":  # the same text as formatting the distance itself
            self._distance[tenths] = made
        return made

    def _availability_reason(self, mask: int) -> Reason:
        made = self._availability[mask] = reason("availability", SLOTS[(mask & -mask).bit_length() - 1])
        return made

    def volunteer(self, vi: int) -> View:
        view = self._vviews.get(vi)
        if view is None:
            view = self._vviews[vi] = View.of(self._vprof[vi])
        return view

    def request(self, ri: int) -> View:
        view = self._rviews.get(ri)
        if view is None:
            view = self._rviews[ri] = View.of(self._rprof[ri])
        return view
