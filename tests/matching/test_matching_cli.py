"""The batch CLI contract of MATCHING_CLI.md, exercised through subprocesses."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from matching_helpers import run_cli, write_jsonl

from matching.geo import haversine_km

VOLUNTEERS: list[dict[str, object]] = [
    {
        "id": "v1",
        "skills": ["boodschappen doen", "computer help"],
        "bio": "Gepensioneerd, fiets graag.",
        "languages": ["nl", "en"],
        "lat": 52.381,
        "lon": 4.636,
        "max_distance_km": 3.0,
        "availability": ["tue-afternoon", "sat-morning"],
        "screened": True,
    },
    {
        "id": "v2",
        "skills": ["tuinieren", "klussen"],
        "languages": ["NL", "Tr"],
        "lat": 52.372,
        "lon": 4.640,
        "max_distance_km": 5.0,
    },
    {
        "id": "v3",
        "skills": ["boodschapen", "hond uitlaten"],
        "languages": ["nl"],
        "lat": 52.383,
        "lon": 4.637,
        "max_distance_km": 2.0,
        "availability": ["wed-morning"],
    },
    {
        "id": "v4",
        "skills": ["groceries", "shopping"],
        "languages": ["en", "ar"],
        "lat": 52.380,
        "lon": 4.634,
        "max_distance_km": 4.0,
        "availability": [],
    },
    {
        "id": "v5",
        "skills": ["computer", "laptop"],
        "languages": ["pl", "uk"],
        "lat": 52.300,
        "lon": 4.700,
        "max_distance_km": 1.0,
        "screened": True,
    },
]
REQUESTS: list[dict[str, object]] = [
    {
        "id": "r1",
        "title": "Hulp bij boodschappen",
        "description": "Ik kan niet goed lopen.",
        "category": "groceries",
        "languages": ["nl"],
        "lat": 52.382,
        "lon": 4.638,
        "when": ["wed-morning"],
        "needs_screening": False,
    },
    {"id": "r2", "title": "Tuin bijhouden", "category": "garden", "languages": ["tr"], "lat": 52.375, "lon": 4.645},
    {
        "id": "r3",
        "title": "Shopping",
        "category": "groceries",
        "languages": ["AR"],
        "lat": 52.381,
        "lon": 4.636,
        "needs_screening": True,
    },
    {
        "id": "r4",
        "title": "Laptop doet raar",
        "category": "digital",
        "languages": ["nl", "en"],
        "lat": 52.381,
        "lon": 4.636,
        "when": ["tue-afternoon"],
    },
]
INITIATIVES: list[dict[str, object]] = [
    {
        "id": "i1",
        "name": "Buurtmoestuin Meerwijk",
        "description": "Samen tuinieren",
        "goals": [1, 2, 5],
        "needs": ["tuinieren", "timmeren"],
        "lat": 52.355,
        "lon": 4.662,
    },
    {
        "id": "i2",
        "name": "Repair cafe",
        "description": "Spullen repareren",
        "goals": [2],
        "needs": ["klussen", "computerhulp"],
        "lat": 52.381,
        "lon": 4.637,
    },
    {"id": "i3", "name": "Ver weg", "goals": [1], "needs": ["tuinieren"], "lat": 52.20, "lon": 4.90},
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "v": write_jsonl(tmp_path / "v.jsonl", VOLUNTEERS),
        "r": write_jsonl(tmp_path / "r.jsonl", REQUESTS),
        "i": write_jsonl(tmp_path / "i.jsonl", INITIATIVES),
    }


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def _check_list(suggestions: list[dict[str, object]], k: int) -> None:
    assert len(suggestions) <= k
    scores = [float(s["score"]) for s in suggestions]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    for s in suggestions:
        assert isinstance(s["id"], str)
        assert math.isfinite(float(s["score"]))  # type: ignore[arg-type]
        reasons = s["reasons"]
        assert isinstance(reasons, list) and reasons
        for reason in reasons:
            assert set(reason) == {"code", "detail"}
            assert reason["code"] in {
                "skill",
                "asked",
                "speaks_dutch",
                "category",
                "distance",
                "availability",
                "language",
                "screening",
                "experience",
                "need",
                "goal",
            }


def _by_id(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["id"]): r for r in rows}


def _allowed(v: dict[str, object], r: dict[str, object]) -> bool:
    vl = {str(x).lower() for x in v["languages"]}  # type: ignore[attr-defined]
    rl = {str(x).lower() for x in r["languages"]}  # type: ignore[attr-defined]
    dist = haversine_km(float(v["lat"]), float(v["lon"]), float(r["lat"]), float(r["lon"]))  # type: ignore[arg-type]
    screened_ok = bool(v.get("screened")) or not r.get("needs_screening")
    return bool(vl & rl) and dist <= float(v["max_distance_km"]) and screened_ok  # type: ignore[arg-type]


def test_rank_volunteers_shape_order_and_hard_rules(files: dict[str, Path]) -> None:
    proc = run_cli("rank-volunteers", "--volunteers", str(files["v"]), "--requests", str(files["r"]), "--k", "3")
    assert proc.returncode == 0, proc.stderr
    rows = _lines(proc.stdout)
    assert [r["request"] for r in rows] == ["r1", "r2", "r3", "r4"]
    vols, reqs = _by_id(VOLUNTEERS), _by_id(REQUESTS)
    for row in rows:
        suggestions = row["suggestions"]
        assert isinstance(suggestions, list)
        _check_list(suggestions, 3)
        for s in suggestions:
            assert _allowed(vols[s["id"]], reqs[str(row["request"])])
    got = {str(r["request"]): [s["id"] for s in r["suggestions"]] for r in rows}  # type: ignore[attr-defined]
    assert got["r2"] == ["v2"]  # only v2 speaks Turkish
    assert got["r3"] == []  # v4 speaks Arabic but is not screened
    assert got["r1"][0] == "v3"  # typo "boodschapen", slot overlaps; v1's slots do not


def test_rank_requests_one_line_per_volunteer_with_k(files: dict[str, Path]) -> None:
    proc = run_cli("rank-requests", "--volunteers", str(files["v"]), "--requests", str(files["r"]), "--k", "1")
    assert proc.returncode == 0, proc.stderr
    rows = _lines(proc.stdout)
    assert [r["volunteer"] for r in rows] == ["v1", "v2", "v3", "v4", "v5"]
    for row in rows:
        _check_list(row["suggestions"], 1)  # type: ignore[arg-type]
    first = {str(r["volunteer"]): r["suggestions"] for r in rows}
    assert first["v5"] == []  # too far from everything
    assert first["v1"][0]["id"] == "r4"  # type: ignore[index]


def test_reason_details_have_documented_formats(files: dict[str, Path]) -> None:
    proc = run_cli("rank-requests", "--volunteers", str(files["v"]), "--requests", str(files["r"]))
    rows = _lines(proc.stdout)
    v1 = next(r for r in rows if r["volunteer"] == "v1")
    top = v1["suggestions"][0]  # type: ignore[index]
    reasons = {r["code"]: r["detail"] for r in top["reasons"]}
    assert reasons["skill"] == "computer help"
    assert reasons["category"] == "digital"
    assert reasons["availability"] == "tue-afternoon"
    assert reasons["language"] in {"nl", "en"}
    km = reasons["distance"]
    assert km.count(".") == 1 and len(km.split(".")[1]) == 1 and float(km) < 1.0


def test_non_overlapping_slots_rank_below_overlapping_or_flexible(tmp_path: Path) -> None:
    vols = [
        {
            "id": "good-skill-wrong-time",
            "skills": ["boodschappen"],
            "languages": ["nl"],
            "lat": 52.38,
            "lon": 4.636,
            "max_distance_km": 5,
            "availability": ["mon-morning"],
        },
        {
            "id": "weak-skill-right-time",
            "skills": ["schaken"],
            "languages": ["nl"],
            "lat": 52.39,
            "lon": 4.636,
            "max_distance_km": 5,
            "availability": ["fri-evening"],
        },
        {
            "id": "weak-skill-flexible",
            "skills": ["piano"],
            "languages": ["nl"],
            "lat": 52.39,
            "lon": 4.636,
            "max_distance_km": 5,
        },
    ]
    reqs = [
        {
            "id": "r",
            "title": "boodschappen",
            "category": "groceries",
            "languages": ["nl"],
            "lat": 52.38,
            "lon": 4.636,
            "when": ["fri-evening", "sat-morning"],
        }
    ]
    v, r = write_jsonl(tmp_path / "v.jsonl", vols), write_jsonl(tmp_path / "r.jsonl", reqs)
    rows = _lines(run_cli("rank-volunteers", "--volunteers", str(v), "--requests", str(r)).stdout)
    order = [s["id"] for s in rows[0]["suggestions"]]  # type: ignore[attr-defined]
    assert order[-1] == "good-skill-wrong-time"
    assert set(order) == {v["id"] for v in vols}
    rows = _lines(run_cli("rank-requests", "--volunteers", str(v), "--requests", str(r)).stdout)
    assert all(len(row["suggestions"]) == 1 for row in rows)  # type: ignore[arg-type]


def test_rank_initiatives_far_ones_last(files: dict[str, Path]) -> None:
    proc = run_cli("rank-initiatives", "--volunteers", str(files["v"]), "--initiatives", str(files["i"]))
    assert proc.returncode == 0, proc.stderr
    rows = _lines(proc.stdout)
    assert [r["volunteer"] for r in rows] == ["v1", "v2", "v3", "v4", "v5"]
    v2 = next(r for r in rows if r["volunteer"] == "v2")
    ids = [s["id"] for s in v2["suggestions"]]  # type: ignore[attr-defined]
    assert ids[-1] == "i3" and len(ids) == 3
    _check_list(v2["suggestions"], 10)  # type: ignore[arg-type]
    codes = {r["code"] for s in v2["suggestions"] for r in s["reasons"]}  # type: ignore[attr-defined]
    assert "need" in codes


def _bad(tmp_path: Path, line: str, kind: str = "r") -> subprocess_result:
    v = write_jsonl(tmp_path / "v.jsonl", VOLUNTEERS)
    good = json.dumps(REQUESTS[0])
    path = tmp_path / ("bad.jsonl")
    if kind == "r":
        path.write_text(good + "\n" + line + "\n", encoding="utf-8")
        return run_cli("rank-volunteers", "--volunteers", str(v), "--requests", str(path))
    path.write_text(json.dumps(VOLUNTEERS[0]) + "\n" + line + "\n", encoding="utf-8")
    r = write_jsonl(tmp_path / "r.jsonl", REQUESTS)
    return run_cli("rank-requests", "--volunteers", str(path), "--requests", str(r))


subprocess_result = object


@pytest.mark.parametrize(
    ("line", "kind", "needle"),
    [
        ('{"id": "r9", "title": "x", "category": "groceries", "languages": ["nl"], "lat": 52.3', "r", "JSON"),
        ('{"id": "r9", "title": "x", "category": "groceries", "languages": ["nl"], "lon": 4.6}', "r", "lat"),
        (
            '{"id": "r9", "title": "x", "category": "sailing", "languages": ["nl"], "lat": 52.3, "lon": 4.6}',
            "r",
            "sailing",
        ),
        ('{"id": "r9", "title": "x", "category": "garden", "languages": ["nl"], "lat": 95.0, "lon": 4.6}', "r", "95"),
        ('{"id": "r9", "title": "x", "category": "garden", "languages": ["nl"], "lat": 52.0, "lon": -181}', "r", "181"),
        ('{"id": "v9", "skills": ["x"], "languages": ["nl"], "lat": 52.3, "lon": 4.6}', "v", "max_distance_km"),
        (
            '{"id": "v9", "skills": ["x"], "languages": ["nl"], "lat": -90.5, "lon": 4.6, "max_distance_km": 2}',
            "v",
            "90",
        ),
        (
            '{"id": "v9", "skills": ["x"], "languages": ["nl"], "lat": 52, "lon": 4.6, "max_distance_km": 2,'
            ' "availability": ["someday"]}',
            "v",
            "someday",
        ),
        ("[1, 2]", "v", "object"),
    ],
)
def test_bad_input_exit_2_names_file_and_line_prints_nothing(tmp_path: Path, line: str, kind: str, needle: str) -> None:
    proc = _bad(tmp_path, line, kind)  # type: ignore[assignment]
    assert proc.returncode == 2  # type: ignore[attr-defined]
    assert proc.stdout == ""  # type: ignore[attr-defined]
    assert "bad.jsonl:2:" in proc.stderr  # type: ignore[attr-defined]
    assert needle in proc.stderr  # type: ignore[attr-defined]


def test_bad_later_file_still_prints_nothing(tmp_path: Path) -> None:
    v = write_jsonl(tmp_path / "v.jsonl", VOLUNTEERS)
    i = tmp_path / "i.jsonl"
    i.write_text(json.dumps(INITIATIVES[0]) + "\n\n" + '{"id": "i9", "name": "x", "lat": 52, "lon": 4, "goals": [9]}\n')
    proc = run_cli("rank-initiatives", "--volunteers", str(v), "--initiatives", str(i))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "i.jsonl:3:" in proc.stderr


def test_missing_file_and_bad_model_exit_2(tmp_path: Path, files: dict[str, Path]) -> None:
    proc = run_cli("rank-volunteers", "--volunteers", str(tmp_path / "nope.jsonl"), "--requests", str(files["r"]))
    assert proc.returncode == 2 and proc.stdout == "" and "nope.jsonl" in proc.stderr
    junk = tmp_path / "model.bin"
    junk.write_bytes(b"not a model")
    proc = run_cli(
        "rank-volunteers", "--volunteers", str(files["v"]), "--requests", str(files["r"]), "--model", str(junk)
    )
    assert proc.returncode == 2 and proc.stdout == "" and "model" in proc.stderr
