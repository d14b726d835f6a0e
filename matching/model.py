"""Learned ranker: trained on interaction outcomes, saved with its format and library versions.

``train_model`` fits logistic regression and calibrated gradient boosting on pair features,
compares them on a time-ordered hold-out (log loss; boosting must win by 3 % because it is much
slower to apply) and keeps the better one, refitted on all data.
``load_model`` raises :class:`ModelIncompatible` when the file is missing, corrupt or written with
other library versions, so callers can fall back to the cold-start ranker.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import platform
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.features import FEATURE_VERSION
from matching.index import RequestMatrix, Space, VolunteerMatrix, apply_idf, idf_weights
from matching.pairs import FEATURES, cold_start_probability, pair_block
from matching.records import POSITIVE_OUTCOMES, HelpRequest, Interaction, Volunteer

F64 = npt.NDArray[np.float64]
MAGIC = b"SAMENMDL"
FORMAT_VERSION = 1
MIN_EXAMPLES = 40
BOOSTING_MARGIN = 0.97  # auto picks boosting only when its hold-out log loss is 3 % lower


class ModelIncompatible(Exception):
    """The model file is missing, corrupt, or was built with another format or library versions."""


class TrainingError(ValueError):
    """Not enough (or not varied enough) interaction data to train a model."""


def library_versions() -> dict[str, str]:
    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        "numpy": np.__version__,
        "sklearn": version("scikit-learn"),
        "feature_version": str(FEATURE_VERSION),
    }


def _compatible(saved: dict[str, str]) -> str | None:
    now = library_versions()
    for key in ("python", "sklearn", "feature_version"):
        if saved.get(key) != now[key]:
            return f"{key} {saved.get(key)} (model) != {now[key]} (installed)"
    if saved.get("numpy", "").split(".")[:2] != now["numpy"].split(".")[:2]:
        return f"numpy {saved.get('numpy')} (model) != {now['numpy']} (installed)"
    return None


def model_inputs(features: F64) -> F64:
    """The learned model's input: the pair features plus the cold-start score."""
    out: F64 = np.column_stack([features, cold_start_probability(features)])
    return out


@dataclass(frozen=True)
class TrainedModel:
    """A fitted, calibrated classifier of P(positive response | pair features)."""

    kind: str
    estimator: Any
    metrics: dict[str, float] = field(default_factory=dict)
    n_examples: int = 0
    trained_at: str = ""

    use_learned: bool = True

    @property
    def decision(self) -> str:
        """In words: whether the ranker uses this model or the cold start."""
        return "learned model wins" if self.use_learned else "cold start wins"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_linear", _linear_parts(self.estimator))

    def linear_parts(self) -> tuple[F64, float] | None:
        """(weights over FEATURES + cold start, bias) of a logistic model, None for any other kind."""
        linear: tuple[F64, float] | None = getattr(self, "_linear", None)
        return linear

    def predict(self, features: F64) -> F64:
        """Calibrated P(positive response) per pair row."""
        if len(features) == 0:
            return np.zeros(0, dtype=np.float64)
        x = model_inputs(features)
        linear: tuple[F64, float] | None = getattr(self, "_linear", None)
        if linear is not None:  # fast path for the scaled logistic regression: one mat-vec, no sklearn overhead
            out: F64 = 1.0 / (1.0 + np.exp(-(x @ linear[0] + linear[1])))
            return out
        out = self.estimator.predict_proba(x)[:, 1].astype(np.float64)
        return out


def _linear_parts(estimator: Any) -> tuple[F64, float] | None:
    """Weights and bias of a StandardScaler + LogisticRegression pipeline folded into one linear map."""
    steps = getattr(estimator, "named_steps", None)
    if not steps or set(steps) != {"standardscaler", "logisticregression"}:
        return None
    scaler, lr = steps["standardscaler"], steps["logisticregression"]
    coef = np.asarray(lr.coef_, dtype=np.float64).ravel() / np.asarray(scaler.scale_, dtype=np.float64)
    bias = float(np.asarray(lr.intercept_).ravel()[0] - float(np.dot(np.asarray(scaler.mean_), coef)))
    return coef, bias


def interaction_features(
    volunteers: Sequence[Volunteer], requests: Sequence[HelpRequest], interactions: Sequence[Interaction]
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Pair features and 0/1 labels, one row per (volunteer, request) pair in first-seen order.

    A pair is positive when any of its outcomes is responded, accepted, completed or thanked."""
    features, labels, _ = interaction_pairs(volunteers, requests, interactions)
    return features, labels


def interaction_pairs(
    volunteers: Sequence[Volunteer], requests: Sequence[HelpRequest], interactions: Sequence[Interaction]
) -> tuple[F64, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Like :func:`interaction_features`, plus each pair's request position (to compare rankings per request)."""
    space = Space.build(volunteers, requests)
    vm = VolunteerMatrix.build(volunteers, space)
    rm = RequestMatrix.build(requests, space)
    idf = idf_weights(rm.ngram)
    label: dict[tuple[int, int], int] = {}
    for it in sorted(interactions, key=lambda x: x.at or datetime.min.replace(tzinfo=UTC)):
        vi, ri = vm.position.get(it.volunteer), rm.position.get(it.request)
        if vi is None or ri is None:
            continue
        key = (vi, ri)
        label[key] = max(label.get(key, 0), 1 if it.outcome in POSITIVE_OUTCOMES else 0)
    pairs = np.array(list(label), dtype=np.int64).reshape(-1, 2)
    block = pair_block(vm, rm, pairs[:, 0], pairs[:, 1], apply_idf(vm.ngram, idf), apply_idf(rm.ngram, idf))
    return block.features, np.array(list(label.values()), dtype=np.int64), pairs[:, 1].copy()


def _auc(score: F64, label: npt.NDArray[np.int64]) -> float:
    """Area under the ROC curve of one group (ties count half)."""
    pos, neg = score[label == 1], score[label == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater) / (len(pos) * len(neg))


def compare_with_cold_start(
    learned: F64, features: F64, labels: npt.NDArray[np.int64], groups: npt.NDArray[np.int64], seed: int = 0
) -> dict[str, float]:
    """Does the learned model order each request's volunteers better than the cold-start ranker?

    Per hold-out request with both outcomes: the AUC of the learned probability and of the cold-start score
    among its logged volunteers; the mean gain and the 5th percentile of a bootstrap over requests
    (``holdout_auc_gain_low``: above 0 means the learned model wins with 95 % confidence)."""
    cold = cold_start_probability(features)
    gains, auc_l, auc_c = [], [], []
    for g in np.unique(groups):
        mask = groups == g
        lab = labels[mask]
        if lab.min() == lab.max():
            continue
        a_l, a_c = _auc(learned[mask], lab), _auc(cold[mask], lab)
        auc_l.append(a_l)
        auc_c.append(a_c)
        gains.append(a_l - a_c)
    if not gains:
        return {"holdout_requests": 0.0}
    diff = np.array(gains)
    rng = np.random.default_rng(seed)
    boot = diff[rng.integers(0, len(diff), size=(1000, len(diff)))].mean(axis=1)
    return {
        "holdout_requests": float(len(diff)),
        "holdout_auc_learned": round(float(np.mean(auc_l)), 4),
        "holdout_auc_cold_start": round(float(np.mean(auc_c)), 4),
        "holdout_auc_gain": round(float(diff.mean()), 4),
        "holdout_auc_gain_low": round(float(np.percentile(boot, 5)), 4),
    }


def should_use_model(metrics: dict[str, float]) -> bool:
    """Switch learning on only where it beats the hand ranker: the learned model's per-request AUC gain over
    the cold start on the time-ordered hold-out is above 0 with 95 % confidence."""
    return metrics.get("holdout_auc_gain_low", -1.0) > 0.0


def _candidates(n: int, seed: int) -> dict[str, Any]:
    # scikit-learn is imported here, not at module level: it costs ~1.5 s, and ranking with the
    # cold-start ranker (most CLI runs) never needs it. Unpickling a model imports it as well.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    hgb = CalibratedClassifierCV(
        HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_leaf_nodes=31, random_state=seed),
        method="isotonic" if n >= 5000 else "sigmoid",
        cv=3,
        ensemble=False,
    )
    return {"logistic": lr, "boosting": hgb}


def fit_from_features(
    features: F64,
    labels: npt.NDArray[np.int64],
    *,
    seed: int = 0,
    kind: str = "auto",
    groups: npt.NDArray[np.int64] | None = None,
) -> TrainedModel:
    """Fit on precomputed pair features (rows in time order); ``kind``: auto, logistic or boosting.

    The last 20 % of pairs are a hold-out: ``auto`` picks logistic or boosting there (log loss) and, with
    ``groups`` (each pair's request), compares the pick with the cold-start ranker per request; the model
    records ``use_learned`` (:func:`should_use_model`) and is applied only then. A forced kind is always
    applied (the comparison is still recorded)."""
    if len(labels) < MIN_EXAMPLES or len(set(labels.tolist())) < 2:
        raise TrainingError(f"need at least {MIN_EXAMPLES} pairs with both positive and negative outcomes")
    from sklearn.metrics import log_loss, roc_auc_score

    x = model_inputs(features)
    metrics: dict[str, float] = {}
    chosen = kind
    cut = int(len(labels) * 0.8)
    holdout_ok = len(set(labels[:cut].tolist())) == 2 and len(set(labels[cut:].tolist())) == 2
    held: dict[str, F64] = {}
    if holdout_ok:
        names = ("logistic", "boosting") if kind == "auto" else (kind,)
        best = float("inf")
        for name, est in _candidates(cut, seed).items():
            if name not in names:
                continue
            est.fit(x[:cut], labels[:cut])
            prob = est.predict_proba(x[cut:])[:, 1]
            held[name] = prob
            loss = float(log_loss(labels[cut:], prob, labels=[0, 1]))
            metrics[f"{name}_log_loss"] = round(loss, 4)
            metrics[f"{name}_auc"] = round(float(roc_auc_score(labels[cut:], prob)), 4)
            # Boosting must beat logistic regression clearly: it is ~30x slower per page view.
            margin = 1.0 if name == "logistic" else BOOSTING_MARGIN
            if kind == "auto" and loss < best * margin:
                best, chosen = loss, name
    elif kind == "auto":
        chosen = "logistic"
    if groups is not None and chosen in held:
        metrics.update(compare_with_cold_start(held[chosen], features[cut:], labels[cut:], groups[cut:], seed))
    final = _candidates(len(labels), seed)[chosen]
    final.fit(x, labels)
    return TrainedModel(
        kind=chosen,
        estimator=final,
        metrics=metrics,
        n_examples=len(labels),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        use_learned=should_use_model(metrics) if kind == "auto" else True,
    )


def train_model(
    volunteers: Sequence[Volunteer],
    requests: Sequence[HelpRequest],
    interactions: Sequence[Interaction],
    *,
    seed: int = 0,
    kind: str = "auto",
) -> TrainedModel:
    """Train from in-memory records (what ``flask matching train`` calls with database rows).

    Interactions should be in time order (or carry ``at``). With ``kind="auto"`` the result says whether it
    beats the cold-start ranker (``model.use_learned``, ``model.decision``); MatchIndex applies it only then."""
    features, labels, groups = interaction_pairs(volunteers, requests, interactions)
    return fit_from_features(features, labels, seed=seed, kind=kind, groups=groups)


def save_model(model: TrainedModel, path: Path | str) -> None:
    """Write the model: magic, a JSON header (format, versions, checksum), then the pickled estimator."""
    payload = pickle.dumps(model.estimator, protocol=pickle.HIGHEST_PROTOCOL)
    header = {
        "format": "samen-matching-model",
        "format_version": FORMAT_VERSION,
        "versions": library_versions(),
        "kind": model.kind,
        "features": list(FEATURES),
        "metrics": model.metrics,
        "n_examples": model.n_examples,
        "trained_at": model.trained_at,
        "use_learned": model.use_learned,
        "decision": model.decision,
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    head = json.dumps(header).encode("utf-8")
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(MAGIC + struct.pack(">I", len(head)) + head + payload)
    tmp.replace(target)


def read_header(path: Path | str) -> dict[str, Any]:
    """The JSON header of a model file (raises ModelIncompatible if unreadable)."""
    return _read(Path(path))[0]


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ModelIncompatible(f"cannot read model file {path}: {err.strerror or err}") from err
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise ModelIncompatible(f"{path} is not a Samen matching model")
    (size,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    try:
        header = json.loads(data[start : start + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelIncompatible(f"{path}: corrupt model header") from err
    if not isinstance(header, dict):
        raise ModelIncompatible(f"{path}: corrupt model header")
    return header, data[start + size :]


def load_model(path: Path | str) -> TrainedModel:
    """Load a model written by :func:`save_model`; raise ModelIncompatible when it cannot be used."""
    file = Path(path)
    header, payload = _read(file)
    if header.get("format") != "samen-matching-model" or header.get("format_version") != FORMAT_VERSION:
        raise ModelIncompatible(f"{file}: model format {header.get('format_version')} != {FORMAT_VERSION}")
    if header.get("features") != list(FEATURES):
        raise ModelIncompatible(f"{file}: model was trained on other features")
    problem = _compatible(dict(header.get("versions") or {}))
    if problem is not None:
        raise ModelIncompatible(f"{file}: built with other versions: {problem}")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise ModelIncompatible(f"{file}: corrupt model (checksum mismatch)")
    try:
        estimator = pickle.load(io.BytesIO(payload))  # noqa: S301 - our own file, checksum verified first
    except Exception as err:
        raise ModelIncompatible(f"{file}: corrupt model ({err.__class__.__name__})") from err
    if not hasattr(estimator, "predict_proba"):
        raise ModelIncompatible(f"{file}: not a classifier")
    return TrainedModel(
        kind=str(header.get("kind", "")),
        estimator=estimator,
        metrics=dict(header.get("metrics") or {}),
        n_examples=int(header.get("n_examples", 0)),
        trained_at=str(header.get("trained_at", "")),
        use_learned=bool(header.get("use_learned", True)),
    )
