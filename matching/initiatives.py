"""Rank resident initiatives (and their needs) for volunteers.

No rule is hard here, but an initiative farther than the volunteer's ``max_distance_km`` is ranked
below every initiative within it (its score lands in [0, 0.5), the others in [0.5, 1]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from matching.features import TextProfile, encode_phrases, encode_volunteer
from matching.geo import haversine_many_km
from matching.index import RequestMatrix, Space, VolunteerMatrix, _dense, _ngram_matrix, apply_idf, idf_weights
from matching.model import TrainedModel
from matching.pairs import pair_block
from matching.records import HelpRequest, Initiative, Reason, Suggestion, Volunteer
from matching.taxonomy import load_taxonomy
from matching.vocabulary import load_vocabulary

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
W_NEED = 0.6
W_GOAL = 0.2
W_PROXIMITY = 0.2
NEED_REASON_MIN = 0.3


@lru_cache(maxsize=50_000)
def need_profile(text: str) -> TextProfile:
    """One need's text features. A pure function of the text, so each process encodes a need once, not per
    page view (TextProfile is immutable, sharing it is safe)."""
    return encode_phrases([text])


class InitiativeIndex:
    """Needs of all initiatives as matrices (one row per need, or the description if none).

    With a learned ``model`` (one whose training found it beats the cold start, ``use_learned``), each need
    is also scored as a help request by the model: the need's text score is replaced by the model's
    P(response) for (volunteer, need), rescaled so the volunteer's best need keeps its cold-start text score
    (the model orders the needs, the cold start keeps the scale next to goals and distance)."""

    def __init__(self, initiatives: Sequence[Initiative], model: TrainedModel | None = None) -> None:
        taxonomy = load_taxonomy()
        self.initiatives = tuple(initiatives)
        self.categories = {k: i for i, k in enumerate(taxonomy.category_keys)}
        self.concepts = {c.id: i for i, c in enumerate(load_vocabulary().concepts)}
        self.goal_ids = tuple(g.id for g in taxonomy.goals)
        owner: list[int] = []
        texts: list[str] = []
        profiles: list[TextProfile] = []
        for n, ini in enumerate(initiatives):
            needs = [x for x in ini.needs if x.strip()] or [f"{ini.name} {ini.description}"]
            for need in needs:
                owner.append(n)
                texts.append(need)
                profiles.append(need_profile(need))
        self.need_owner = np.array(owner, dtype=np.int64)
        self.need_text = tuple(texts)
        self.has_needs = np.array([bool([x for x in i.needs if x.strip()]) for i in initiatives], dtype=np.bool_)
        cat = _dense([p.categories for p in profiles], self.categories)
        self.need_cat: F32 = cat / np.maximum(cat.sum(axis=1, keepdims=True), 1e-6)
        self.need_concept = _dense([p.concepts for p in profiles], self.concepts)
        self.need_ngram = _ngram_matrix(profiles)
        self.need_main_cat = [max(p.categories, key=lambda kw: kw[1])[0] if p.categories else None for p in profiles]
        self.lat = np.array([i.lat for i in initiatives], dtype=np.float64)
        self.lon = np.array([i.lon for i in initiatives], dtype=np.float64)
        goals = np.zeros((len(initiatives), len(self.goal_ids)), dtype=np.float32)
        for n, ini in enumerate(initiatives):
            for g in ini.goals:
                goals[n, self.goal_ids.index(g)] = 1.0
        self.goals = goals
        # category -> goals matrix, to turn a volunteer's categories into goal affinities
        self.cat_goal = np.zeros((len(self.categories), len(self.goal_ids)), dtype=np.float32)
        for cat_obj in taxonomy.categories:
            for g in cat_obj.goals:
                self.cat_goal[self.categories[cat_obj.key], self.goal_ids.index(g)] = 1.0
        self.model = model if model is not None and model.use_learned else None
        self.need_requests = tuple(
            HelpRequest(
                id=f"{initiatives[int(o)].id}#{row}",
                title=text,
                category=self.need_main_cat[row] or "other",
                languages=frozenset({"nl"}),
                lat=initiatives[int(o)].lat,
                lon=initiatives[int(o)].lon,
            )
            for row, (o, text) in enumerate(zip(self.need_owner, self.need_text, strict=True))
        )
        self.need_profiles = {r.id: prof for r, prof in zip(self.need_requests, profiles, strict=True)}

    def _learned_need_scores(self, volunteer: Volunteer, prof: TextProfile, cold: F64) -> F64:
        """The model's P(response) per need, rescaled to the volunteer's best cold-start need score."""
        assert self.model is not None
        space = Space.build([volunteer], self.need_requests)
        vm = VolunteerMatrix.build([volunteer], space, {volunteer.id: prof})
        rm = RequestMatrix.build(self.need_requests, space, self.need_profiles)
        idf = idf_weights(rm.ngram)
        req = np.arange(len(self.need_requests), dtype=np.int64)
        block = pair_block(
            vm, rm, np.zeros(len(req), dtype=np.int64), req, apply_idf(vm.ngram, idf), apply_idf(rm.ngram, idf)
        )
        prob = self.model.predict(block.features)
        top = float(prob.max()) if len(prob) else 0.0
        out: F64 = prob / top * float(cold.max()) if top > 0 else cold
        return out

    def rank_for(self, volunteer: Volunteer, profile: TextProfile | None = None, k: int = 10) -> list[Suggestion]:
        """Top-k initiatives for one volunteer, best first."""
        n_ini = len(self.initiatives)
        if n_ini == 0 or k <= 0:
            return []
        prof = profile or encode_volunteer(volunteer)
        vcat = _dense([prof.categories], self.categories)[0]
        vcon = _dense([prof.concepts], self.concepts)[0]
        vng = _ngram_matrix([prof])
        need_score = np.clip(
            0.6 * (self.need_cat @ vcat)
            + 0.2 * (self.need_concept * vcon).max(axis=1)
            + 0.5 * np.asarray((self.need_ngram @ vng.T).todense()).ravel(),
            0.0,
            1.0,
        )
        if self.model is not None and len(need_score):
            need_score = self._learned_need_scores(volunteer, prof, need_score.astype(np.float64))
        best_need = np.full(n_ini, -1, dtype=np.int64)
        best = np.zeros(n_ini, dtype=np.float64)
        for row, owner in enumerate(self.need_owner):
            if need_score[row] > best[owner] or best_need[owner] < 0:
                best[owner], best_need[owner] = need_score[row], row
        best = np.where(self.has_needs, best, 0.5 * best)
        goal_aff = np.minimum(1.0, vcat @ self.cat_goal)
        goal_score = (self.goals * goal_aff).max(axis=1) if self.goals.shape[1] else np.zeros(n_ini)
        dist = haversine_many_km(volunteer.lat, volunteer.lon, self.lat, self.lon)
        within = dist <= volunteer.max_distance_km + 1e-9
        proximity = np.clip(1.0 - dist / max(volunteer.max_distance_km, 0.1), 0.0, 1.0)
        prob = W_NEED * best + W_GOAL * goal_score + W_PROXIMITY * proximity
        score = 0.5 * within + 0.5 * np.clip(prob, 0.0, 0.999999)
        order = np.lexsort((np.arange(n_ini), -score))[:k]
        out = []
        for i in order:
            reasons: list[Reason] = []
            row = int(best_need[i])
            if self.has_needs[i] and need_score[row] >= NEED_REASON_MIN:
                reasons.append(Reason("need", self.need_text[row]))
                main = self.need_main_cat[row]
                phrase = prof.phrase_for(main) if main else None
                if phrase is not None:
                    reasons.append(Reason("skill", phrase))
            if goal_score[i] > 0:
                gi = int(np.argmax(self.goals[i] * goal_aff))
                reasons.append(Reason("goal", str(self.goal_ids[gi])))
            reasons.append(Reason("distance", f"{dist[i]:.1f}"))
            out.append(
                Suggestion(
                    id=self.initiatives[i].id, score=float(score[i]), reasons=tuple(reasons), probability=float(prob[i])
                )
            )
        return out


def rank_initiatives(
    volunteers: Sequence[Volunteer],
    initiatives: Sequence[Initiative],
    k: int = 10,
    *,
    volunteer_profiles: Mapping[str, TextProfile] | None = None,
    model: TrainedModel | None = None,
) -> dict[str, list[Suggestion]]:
    """For every volunteer (in input order), the top-k initiatives (see InitiativeIndex for ``model``)."""
    index = InitiativeIndex(initiatives, model)
    profiles = volunteer_profiles or {}
    return {v.id: index.rank_for(v, profiles.get(v.id), k) for v in volunteers}
