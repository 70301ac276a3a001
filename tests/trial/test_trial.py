"""Running virtual trials: determinism across seeds, workers and chunking; a small trial near the cohort."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lupuscart.trial import load_trial_config, run_trial

TWO_ARMS = {
    "protocol": {"followup": {"days": 400}},
    "arms": {"standard": {}, "low_dose": {"product": {"dose_per_kg": 1e5}}},
    "small_trial": {"sizes": [3], "draws": 50},
}


@pytest.fixture(scope="module")
def reference() -> object:
    return run_trial(load_trial_config(TWO_ARMS), patients=6, seed=11)


def _same(a: object, b: object) -> None:
    assert json.dumps(a.endpoints, sort_keys=True, default=str) == json.dumps(b.endpoints, sort_keys=True, default=str)
    pd.testing.assert_frame_equal(a.patients, b.patients)
    pd.testing.assert_frame_equal(a.visits, b.visits)


def test_same_seed_same_result(reference: object) -> None:
    _same(reference, run_trial(load_trial_config(TWO_ARMS), patients=6, seed=11))


def test_workers_and_chunking_invariance(reference: object) -> None:
    cfg = load_trial_config(TWO_ARMS)
    _same(reference, run_trial(cfg, patients=6, seed=11, workers=2))
    _same(reference, run_trial(cfg, patients=6, seed=11, chunk_size=1))
    _same(reference, run_trial(cfg, patients=6, seed=11, chunk_size=4))


def test_layout(reference: object, tmp_path: Path) -> None:
    r = reference
    assert list(r.endpoints["arms"]) == ["standard", "low_dose"]
    assert r.endpoints["arm"] == "standard"
    assert r.endpoints["patients"] == 6
    assert r.endpoints["seed"] == 11
    for key in ("doris_month3_rate", "crs_any_rate", "manufacturing_failure_rate"):
        assert key in r.endpoints["arms"]["low_dose"]
        assert f"{key}_ci" in r.endpoints
    assert len(r.patients) == 12
    assert set(r.patients["arm"]) == {"standard", "low_dose"}
    assert {"patient_id", "arm", "day", "sledai2k", "clinical_sledai2k", "doris_2021"} <= set(r.visits.columns)
    # Paired design: the same virtual patients in every arm.
    a, b = (r.patients[r.patients["arm"] == x].reset_index() for x in ("standard", "low_dose"))
    assert (a["weight_kg"] == b["weight_kg"]).all()
    assert (a["journey_seed"] == b["journey_seed"]).all()
    paths = r.write(tmp_path)
    assert {p.name for p in paths} == {
        "patients.parquet",
        "patients.csv",
        "visits.parquet",
        "endpoints.json",
        "trial.json",
    }
    meta = json.loads((tmp_path / "trial.json").read_text())
    assert meta["seed"] == 11
    assert meta["model_fingerprint"]
    assert meta["config"]["arms"]["low_dose"]
    from lupuscart.report import trial_figures

    figs = trial_figures(r, tmp_path / "figures")
    assert all(p.stat().st_size > 1000 for p in figs)


def test_different_seed_differs(reference: object) -> None:
    other = run_trial(load_trial_config(TWO_ARMS), patients=6, seed=12)
    assert not other.patients["weight_kg"].equals(reference.patients["weight_kg"])


def test_bad_arguments() -> None:
    from lupuscart.exceptions import InvalidInputError

    cfg = load_trial_config()
    with pytest.raises(InvalidInputError, match=r"'patients' argument of run_trial must be an integer in \[1, "):
        run_trial(cfg, patients=-1)
    with pytest.raises(InvalidInputError, match="workers"):
        run_trial(cfg, patients=1, workers=0)


def test_small_trial_near_cohort() -> None:
    """40 calibrated virtual patients meet loose versions of the done criteria (the 1,000-patient check is slow)."""
    e = run_trial(
        load_trial_config({"small_trial": {"sizes": [5, 15], "draws": 500}}), patients=40, seed=3, workers=2
    ).endpoints
    assert e["doris_month3_rate"] >= 0.75
    assert e["sledai2k_month3_median"] <= 2
    assert 12 <= e["sledai2k_baseline_median"] <= 20
    assert 80 <= e["b_cell_recovery_day_mean"] <= 140
    assert 0.25 <= e["crs_any_rate"] <= 0.9
    assert e["crs_grade2plus_rate"] <= 0.15
    assert e["icans_any_rate"] <= 0.15
    st = e["small_trial"]["5"]["doris_month3"]
    assert 0 <= st["p"] <= 1
    assert st["question"] == "all"


@pytest.mark.slow
def test_thousand_patient_default_trial_reproduces_cohort() -> None:
    e = run_trial(load_trial_config(), patients=1000, seed=2024, workers=2).endpoints
    assert e["doris_month3_rate"] >= 0.9
    assert e["sledai2k_month3_median"] <= 2
    assert 14 <= e["sledai2k_baseline_median"] <= 18
    assert 90 <= e["b_cell_recovery_day_mean"] <= 130
    assert 0.4 <= e["crs_any_rate"] <= 0.8
    assert e["crs_grade2plus_rate"] <= 0.1
    assert e["icans_any_rate"] <= 0.05


def test_fast_engine_trial_matches_the_reference(reference: object) -> None:
    """``engine: fast`` runs the same journeys on the compiled engine: same events, so the same endpoints."""
    fast = run_trial(load_trial_config({**TWO_ARMS, "engine": "fast"}), patients=6, seed=11)
    for arm, ref in reference.endpoints["arms"].items():  # type: ignore[attr-defined]
        got = fast.endpoints["arms"][arm]
        for key in (
            "doris_month3_rate",
            "crs_any_rate",
            "licats_any_rate",
            "b_cell_recovery_day_mean",
            "car_t_peak_day_median",
            "sledai2k_month6_median",
        ):
            assert got[key] == pytest.approx(ref[key]), (arm, key)
