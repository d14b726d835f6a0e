"""Training, saving and loading the learned ranker; incompatible files fall back cleanly."""

from __future__ import annotations

import json
import struct
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from matching_helpers import run_cli, write_jsonl

from matching import MatchIndex, ModelIncompatible, TrainingError, load_model, save_model, train_model
from matching.model import MAGIC, interaction_features
from matching.simulate import City, simulate_city


@pytest.fixture(scope="module")
def city() -> City:
    return simulate_city(seed=3, n_volunteers=150, n_requests=500)


@pytest.fixture(scope="module")
def model_path(city: City, tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = train_model(city.volunteers, city.requests, city.interactions, kind="logistic")
    path = tmp_path_factory.mktemp("model") / "model.bin"
    save_model(model, path)
    return path


def test_learned_model_separates_responders(city: City) -> None:
    features, labels = interaction_features(city.volunteers, city.requests, city.interactions)
    assert 0 < labels.mean() < 0.5
    cut = int(len(labels) * 0.7)
    from matching.model import fit_from_features

    model = fit_from_features(features[:cut], labels[:cut], kind="logistic")
    prob = model.predict(features[cut:])
    assert prob[labels[cut:] == 1].mean() > 1.5 * prob[labels[cut:] == 0].mean()
    assert abs(prob.mean() - labels[cut:].mean()) < 0.05  # calibrated on average


def test_save_load_roundtrip_predicts_the_same(city: City, model_path: Path) -> None:
    loaded = load_model(model_path)
    assert loaded.kind == "logistic"
    index = MatchIndex(city.volunteers, city.requests, model=loaded)
    rid = city.requests[-1].id
    again = MatchIndex(city.volunteers, city.requests, model=load_model(model_path))
    assert index.rank_volunteers_for(rid) == again.rank_volunteers_for(rid)


def test_missing_file_is_incompatible(tmp_path: Path) -> None:
    with pytest.raises(ModelIncompatible, match="cannot read"):
        load_model(tmp_path / "nope.bin")


def test_corrupt_file_is_incompatible(model_path: Path, tmp_path: Path) -> None:
    data = model_path.read_bytes()
    broken = tmp_path / "broken.bin"
    broken.write_bytes(data[:-20] + b"x" * 20)
    with pytest.raises(ModelIncompatible, match="checksum"):
        load_model(broken)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello")
    with pytest.raises(ModelIncompatible, match="not a Samen"):
        load_model(junk)


def _with_header(model_path: Path, tmp_path: Path, change: dict[str, object]) -> Path:
    data = model_path.read_bytes()
    (size,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    header = json.loads(data[start : start + size])
    for key, value in change.items():
        if key in header["versions"]:
            header["versions"][key] = value
        else:
            header[key] = value
    head = json.dumps(header).encode()
    out = tmp_path / "changed.bin"
    out.write_bytes(MAGIC + struct.pack(">I", len(head)) + head + data[start + size :])
    return out


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"sklearn": "0.24.2"}, "sklearn"),
        ({"numpy": "1.26.4"}, "numpy"),
        ({"python": "3.9"}, "python"),
        ({"format_version": 99}, "format"),
    ],
)
def test_other_versions_are_incompatible(
    model_path: Path, tmp_path: Path, change: dict[str, object], needle: str
) -> None:
    with pytest.raises(ModelIncompatible, match=needle):
        load_model(_with_header(model_path, tmp_path, change))


def test_too_little_data_is_a_training_error(city: City) -> None:
    with pytest.raises(TrainingError):
        train_model(city.volunteers, city.requests, city.interactions[:5])


def _rows(records: tuple[object, ...]) -> list[dict[str, object]]:
    rows = []
    for rec in records:
        row = {k: v for k, v in asdict(rec).items() if v is not None}  # type: ignore[call-overload]
        for key, value in list(row.items()):
            if isinstance(value, frozenset):
                row[key] = sorted(value)
            elif hasattr(value, "isoformat"):
                row[key] = value.isoformat()
        rows.append(row)
    return rows


@pytest.mark.slow
def test_cli_train_then_rank_with_model(city: City, tmp_path: Path) -> None:
    v = write_jsonl(tmp_path / "v.jsonl", _rows(city.volunteers))
    r = write_jsonl(tmp_path / "r.jsonl", _rows(city.requests))
    x = write_jsonl(
        tmp_path / "x.jsonl",
        [{"volunteer": i.volunteer, "request": i.request, "outcome": i.outcome} for i in city.interactions],
    )
    out = tmp_path / "m.bin"
    proc = run_cli("train", "--volunteers", str(v), "--requests", str(r), "--interactions", str(x), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] in {"logistic", "boosting"}
    assert load_model(out).n_examples > 100
    proc = run_cli("rank-requests", "--volunteers", str(v), "--requests", str(r), "--model", str(out), "--k", "5")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == len(city.volunteers)
    scores = [s["score"] for line in lines for s in line["suggestions"]]
    assert scores and all(np.isfinite(scores))


def test_cli_train_rejects_unknown_ids(city: City, tmp_path: Path) -> None:
    v = write_jsonl(tmp_path / "v.jsonl", _rows(city.volunteers[:5]))
    r = write_jsonl(tmp_path / "r.jsonl", _rows(city.requests[:5]))
    x = write_jsonl(tmp_path / "x.jsonl", [{"volunteer": "ghost", "request": city.requests[0].id, "outcome": "shown"}])
    proc = run_cli(
        "train",
        "--volunteers",
        str(v),
        "--requests",
        str(r),
        "--interactions",
        str(x),
        "--out",
        str(tmp_path / "m.bin"),
    )
    assert proc.returncode == 2 and proc.stdout == "" and "x.jsonl:1:" in proc.stderr


def test_auto_records_whether_learning_beats_the_cold_start(city: City, tmp_path: Path) -> None:
    from matching import should_use_model

    model = train_model(city.volunteers, city.requests, city.interactions, kind="auto")
    assert {"holdout_auc_learned", "holdout_auc_cold_start", "holdout_auc_gain_low"} <= set(model.metrics)
    assert model.use_learned == should_use_model(model.metrics)
    assert model.decision in {"learned model wins", "cold start wins"}
    path = tmp_path / "auto.bin"
    save_model(model, path)
    assert load_model(path).use_learned == model.use_learned


def test_should_use_model_needs_a_confident_gain() -> None:
    from matching import should_use_model

    assert should_use_model({"holdout_auc_gain": 0.05, "holdout_auc_gain_low": 0.01})
    assert not should_use_model({"holdout_auc_gain": 0.05, "holdout_auc_gain_low": -0.01})
    assert not should_use_model({})


def test_a_model_that_loses_to_the_cold_start_is_not_applied(city: City, model_path: Path) -> None:
    from dataclasses import replace

    loaded = load_model(model_path)
    cold = MatchIndex(city.volunteers, city.requests).rank_requests_for(city.volunteers[0].id, 10)
    learned = MatchIndex(city.volunteers, city.requests, model=loaded).rank_requests_for(city.volunteers[0].id, 10)
    off = MatchIndex(city.volunteers, city.requests, model=replace(loaded, use_learned=False))
    assert [s.score for s in learned] != [s.score for s in cold]
    assert [(s.id, s.score) for s in off.rank_requests_for(city.volunteers[0].id, 10)] == [
        (s.id, s.score) for s in cold
    ]


def test_thanked_is_a_positive_outcome() -> None:
    from matching_helpers import request, volunteer

    from matching import Interaction
    from matching.model import interaction_pairs

    vols = [volunteer("v", ["boodschappen"])]
    reqs = [request("r", "Boodschappen", "groceries"), request("q", "Tuin", "garden")]
    its = [Interaction("v", "r", "shown"), Interaction("v", "r", "thanked"), Interaction("v", "q", "shown")]
    _, labels, groups = interaction_pairs(vols, reqs, its)
    assert labels.tolist() == [1, 0] and groups.tolist() == [0, 1]


def test_model_applies_to_initiatives(city: City) -> None:
    """--model is not ignored for rank-initiatives: a (made-up) model that prefers weak text matches reorders."""
    from matching_helpers import volunteer

    from matching import Initiative, TrainedModel, rank_initiatives

    class PrefersMismatch:
        def predict_proba(self, x: np.ndarray) -> np.ndarray:
            p = 1.0 / (1.0 + np.exp(5.0 * x[:, 0]))  # column 0 is the category match
            return np.column_stack([1.0 - p, p])

    vol = volunteer("v", ["tuinieren"])
    inis = [
        Initiative("garden", "Moestuin", 52.382, 4.637, needs=("tuinieren",)),
        Initiative("pc", "Digicafe", 52.382, 4.637, needs=("computerhulp",)),
    ]
    cold = rank_initiatives([vol], inis, 2)["v"]
    model = TrainedModel(kind="stub", estimator=PrefersMismatch())
    learned = rank_initiatives([vol], inis, 2, model=model)["v"]
    assert [s.id for s in cold] == ["garden", "pc"]
    assert [s.id for s in learned] == ["pc", "garden"]
    losing = TrainedModel(kind="stub", estimator=PrefersMismatch(), use_learned=False)
    assert [s.id for s in rank_initiatives([vol], inis, 2, model=losing)["v"]] == ["garden", "pc"]


def test_block_scorer_applies_a_logistic_model_like_the_pair_features(city: City, model_path: Path) -> None:
    """The logistic model folded into the block scorer gives the scores of model.predict on pair features."""
    from matching.pairs import apply_policy, ordering_score, pair_block

    model = load_model(model_path)
    index = MatchIndex(city.volunteers, city.requests, model=model)
    for volunteer in city.volunteers[:20]:
        ranked = index.rank_requests_for(volunteer.id, 10)
        if not ranked:
            continue
        vi = index.volunteers.position[volunteer.id]
        req = np.array([index.requests.position[s.id] for s in ranked], dtype=np.int64)
        block = pair_block(
            index.volunteers, index.requests, np.full(len(req), vi, dtype=np.int64), req, index.vngram, index.rngram
        )
        prob = model.predict(block.features)
        expected = ordering_score(apply_policy(prob, block.features) * block.request_factor, block.slot_conflict)
        assert np.allclose([s.score for s in ranked], expected, atol=2e-4)
        assert np.allclose([s.probability for s in ranked], prob, atol=2e-4)
