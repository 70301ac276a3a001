"""The trial's analysis set is gathered chunk by chunk without changing any endpoint (trial/_analysis.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.trial import km_curves, load_trial_config, run_trial
from lupuscart.trial._analysis import collect, percentiles_from_counts, visit_fields, visit_fields_of_table
from lupuscart.trial._endpoints import compute_endpoints

TWO_ARMS = {"engine": "fast", "arms": {"a": {}, "low": {"product": {"dose_per_kg": 1e5}}}}


@pytest.fixture(scope="module")
def result() -> object:
    return run_trial(load_trial_config(TWO_ARMS), patients=24, seed=5, chunk_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60))
def test_percentiles_from_counts_equal_numpy(values: list[int]) -> None:
    q = [0, 5, 25, 50, 75, 95, 100]
    assert percentiles_from_counts(Counter(values), q) == pytest.approx(np.percentile(values, q).tolist())


def test_visit_fields_read_onset_loss_and_day_180() -> None:
    f = visit_fields([-40, 28, 90, 180, 365, 730], [False] * 2 + [True] * 2 + [False, True], [16, 8, 0, 0, 4, 0],
                     [False, False, True, True, False, True])  # fmt: skip
    assert f == {"doris_day180": True, "sledai2k_day180": 0, "last_visit_day": 730.0, "dfr_onset_day": 90.0,
                 "dfr_lost_day": 365.0}  # fmt: skip
    none = visit_fields([-40, 90], [False, False], [16, 4], [False, False])
    assert none["dfr_onset_day"] is None
    assert none["doris_day180"] is None


def test_patient_rows_carry_the_visit_fields_of_their_visits(result: object) -> None:
    patients, visits = result.patients, result.visits  # type: ignore[attr-defined]
    derived = visit_fields_of_table(visits).set_index(["arm", "patient_id"])
    rows = patients.set_index(["arm", "patient_id"]).loc[derived.index, derived.columns]
    pd.testing.assert_frame_equal(rows.astype(float), derived.astype(float), check_names=False)


def test_km_from_patient_fields_equals_km_from_visits(result: object) -> None:
    patients, visits = result.patients, result.visits  # type: ignore[attr-defined]
    arm = patients[patients["arm"] == "a"]
    legacy = arm.drop(columns=["dfr_onset_day", "dfr_lost_day", "last_visit_day"])
    a = km_curves(arm, visits[visits["arm"] == "a"])
    b = km_curves(legacy, visits[visits["arm"] == "a"])
    for name in a:
        np.testing.assert_array_equal(a[name].time, b[name].time)
        np.testing.assert_array_equal(a[name].survival, b[name].survival)


def test_endpoints_do_not_depend_on_how_the_rows_are_chunked(result: object) -> None:
    """One chunk holding every row gives the endpoints the run computed chunk by chunk."""
    r = result
    whole = collect([r.patients], [r.visits], list(r.config.arms))  # type: ignore[attr-defined]
    again = compute_endpoints(r.config, whole)  # type: ignore[attr-defined]
    assert again == r.endpoints  # type: ignore[attr-defined]


@pytest.mark.parametrize("group", [1, 2, 64])
def test_written_tables_equal_the_tables(
    result: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: int
) -> None:
    """patients.parquet/visits.parquet are streamed group of chunks by group (5 chunks of 5 patients here: groups
    of 1, 2 and all) in the order of the in-memory tables."""
    from lupuscart.trial import _execute

    monkeypatch.setattr(_execute, "WRITE_GROUP_CHUNKS", group)
    result.write(tmp_path)  # type: ignore[attr-defined]
    for name, table in (("patients", result.patients), ("visits", result.visits)):  # type: ignore[attr-defined]
        written = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(written, table.reset_index(drop=True), check_dtype=False)
    csv = pd.read_csv(tmp_path / "patients.csv")
    assert len(csv) == len(result.patients)  # type: ignore[attr-defined]
    assert list(csv["patient_id"]) == list(result.patients["patient_id"])  # type: ignore[attr-defined]
