"""Column-oriented matrices of volunteers and requests, built once per ranking run.

Everything a pair score needs is here as numpy arrays (coordinates, language and slot masks,
category and concept vectors, an IDF-weighted character n-gram matrix), so scoring one volunteer
against every open request is a handful of vectorised operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.features import (
    FEATURE_VERSION,
    NGRAM_DIM,
    TextProfile,
    encode_request,
    encode_volunteer,
)
from matching.records import HelpRequest, Volunteer, slot_mask
from matching.taxonomy import load_taxonomy
from matching.vocabulary import load_vocabulary

DUTCH_PRACTICE_MIN = 0.5
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def _profile(given: Mapping[str, TextProfile] | None, key: str) -> TextProfile | None:
    if given is None:
        return None
    prof = given.get(key)
    return prof if prof is not None and prof.version == FEATURE_VERSION else None


def _dense(pairs_list: Sequence[tuple[tuple[str, float], ...]], columns: Mapping[str, int]) -> F32:
    out = np.zeros((len(pairs_list), len(columns)), dtype=np.float32)
    for row, pairs in enumerate(pairs_list):
        for key, weight in pairs:
            col = columns.get(key)
            if col is not None:
                out[row, col] = weight
    return out


def _l2_dense(mat: F32) -> F32:
    """Rows scaled to unit length (a request that names two needs counts each at 0.71)."""
    out: F32 = (mat / np.maximum(np.sqrt((mat * mat).sum(axis=1, keepdims=True)), 1e-6)).astype(np.float32)
    return out


def _ngram_matrix(profiles: Sequence[TextProfile]) -> sp.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for prof in profiles:
        for col, weight in prof.ngrams:
            indices.append(col)
            data.append(weight)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
        shape=(len(profiles), NGRAM_DIM),
    )


def _l2_rows(mat: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    out: sp.csr_matrix = sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ mat)
    return out


@dataclass(frozen=True, slots=True)
class Space:
    """Shared column layouts: languages, categories and concepts."""

    languages: Mapping[str, int]
    categories: Mapping[str, int]
    concepts: Mapping[str, int]

    @classmethod
    def build(cls, volunteers: Sequence[Volunteer], requests: Sequence[HelpRequest]) -> Space:
        codes = sorted({c for v in volunteers for c in v.languages} | {c for r in requests for c in r.languages})
        return cls(
            languages={c: i for i, c in enumerate(codes)},
            categories={k: i for i, k in enumerate(load_taxonomy().category_keys)},
            concepts={c.id: i for i, c in enumerate(load_vocabulary().concepts)},
        )

    def language_matrix(self, sets: Sequence[frozenset[str]]) -> B:
        out = np.zeros((len(sets), max(1, len(self.languages))), dtype=np.bool_)
        for row, codes in enumerate(sets):
            for code in codes:
                col = self.languages.get(code)
                if col is not None:
                    out[row, col] = True
        return out


@dataclass(frozen=True, slots=True)
class VolunteerMatrix:
    records: tuple[Volunteer, ...]
    profiles: tuple[TextProfile, ...]
    position: Mapping[str, int]
    lat: F64
    lon: F64
    max_km: F64
    langs: B
    slots: I64
    screened: B
    cat: F32
    concept: F32
    ngram: sp.csr_matrix
    load_open: F64
    load_recent: F64
    experience: F32
    speaks_dutch: B

    @classmethod
    def build(
        cls, volunteers: Sequence[Volunteer], space: Space, profiles: Mapping[str, TextProfile] | None = None
    ) -> VolunteerMatrix:
        profs = tuple(_profile(profiles, v.id) or encode_volunteer(v) for v in volunteers)
        exp = [tuple((k, float(n)) for k, n in v.experience.items()) for v in volunteers]
        return cls(
            records=tuple(volunteers),
            profiles=profs,
            position={v.id: i for i, v in enumerate(volunteers)},
            lat=np.array([v.lat for v in volunteers], dtype=np.float64),
            lon=np.array([v.lon for v in volunteers], dtype=np.float64),
            max_km=np.array([v.max_distance_km for v in volunteers], dtype=np.float64),
            langs=space.language_matrix([v.languages for v in volunteers]),
            slots=np.array([slot_mask(v.availability) for v in volunteers], dtype=np.int64),
            screened=np.array([v.screened for v in volunteers], dtype=np.bool_),
            cat=_dense([p.categories for p in profs], space.categories),
            concept=_dense([p.concepts for p in profs], space.concepts),
            ngram=_ngram_matrix(profs),
            load_open=np.array([v.open_commitments for v in volunteers], dtype=np.float64),
            load_recent=np.array([v.recent_suggestions for v in volunteers], dtype=np.float64),
            experience=_dense(exp, space.categories),
            speaks_dutch=np.array(["nl" in v.languages for v in volunteers], dtype=np.bool_),
        )


@dataclass(frozen=True, slots=True)
class RequestMatrix:
    records: tuple[HelpRequest, ...]
    profiles: tuple[TextProfile, ...]
    position: Mapping[str, int]
    lat: F64
    lon: F64
    langs: B
    slots: I64
    needs_screening: B
    cat_index: I64
    cat: F32
    concept: F32
    ngram: sp.csr_matrix
    waiting_days: F64
    english_only: B
    no_dutch: B
    dutch_practice: B
    responses: F64
    listed_in: F64

    @classmethod
    def build(
        cls,
        requests: Sequence[HelpRequest],
        space: Space,
        profiles: Mapping[str, TextProfile] | None = None,
        now: datetime | None = None,
    ) -> RequestMatrix:
        profs = tuple(_profile(profiles, r.id) or encode_request(r) for r in requests)
        cat = _dense([p.categories for p in profs], space.categories)
        cat = cat / np.maximum(cat.sum(axis=1, keepdims=True), 1e-6)
        return cls(
            records=tuple(requests),
            profiles=profs,
            position={r.id: i for i, r in enumerate(requests)},
            lat=np.array([r.lat for r in requests], dtype=np.float64),
            lon=np.array([r.lon for r in requests], dtype=np.float64),
            langs=space.language_matrix([r.languages for r in requests]),
            slots=np.array([slot_mask(r.when) for r in requests], dtype=np.int64),
            needs_screening=np.array([r.needs_screening for r in requests], dtype=np.bool_),
            cat_index=np.array([space.categories[r.category] for r in requests], dtype=np.int64),
            cat=cat.astype(np.float32),
            concept=_l2_dense(_dense([p.concepts for p in profs], space.concepts)),
            ngram=_ngram_matrix(profs),
            waiting_days=np.array([waiting_days(r, now) for r in requests], dtype=np.float64),
            english_only=np.array([r.languages == frozenset({"en"}) for r in requests], dtype=np.bool_),
            no_dutch=np.array(["nl" not in r.languages for r in requests], dtype=np.bool_),
            dutch_practice=np.array([is_dutch_practice(p) for p in profs], dtype=np.bool_),
            responses=np.array([r.responses for r in requests], dtype=np.float64),
            listed_in=np.array([r.listed_in for r in requests], dtype=np.float64),
        )


def is_dutch_practice(profile: TextProfile) -> bool:
    """A request to practise Dutch (taalmaatje, Nederlands oefenen, language buddy ...): it needs a
    volunteer who speaks Dutch, whatever other language the two share."""
    return dict(profile.concepts).get("dutch_practice", 0.0) >= DUTCH_PRACTICE_MIN


def waiting_days(request: HelpRequest, now: datetime | None) -> float:
    """Days a request has waited without any response (0 when it has responses or no date)."""
    if request.responses > 0:
        return 0.0
    if request.waiting_days is not None:
        return max(0.0, request.waiting_days)
    if request.posted_at is not None and now is not None:
        return max(0.0, (now - request.posted_at).total_seconds() / 86400.0)
    return 0.0


def idf_weights(corpus: sp.csr_matrix) -> F32:
    """Smoothed inverse document frequency per n-gram column of ``corpus``."""
    n_docs = corpus.shape[0]
    df = np.bincount(corpus.indices, minlength=corpus.shape[1]).astype(np.float32)
    out: F32 = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    return out


def apply_idf(mat: sp.csr_matrix, idf: F32) -> sp.csr_matrix:
    weighted = sp.csr_matrix(mat.copy())
    weighted.data = weighted.data * idf[weighted.indices]
    return _l2_rows(weighted)
