"""A patient whose solve fails is retried with a tighter tolerance, then recorded as failed; the trial completes.

Nothing in the default population makes the reference solver fail, so the failure is forced: the journey
simulator is replaced (in this process, serial run) by one that raises :class:`SolverError` for chosen patients.
"""

from __future__ import annotations

from typing import Any

import pytest

import lupuscart.journey
from lupuscart.exceptions import SolverError
from lupuscart.trial import load_trial_config, run_trial

from ._shared import SMALL

N, SEED = 6, 3


def test_failed_solves_are_retried_then_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_trial_config(SMALL)
    clean = run_trial(cfg, patients=N, seed=SEED)
    seeds = clean.patients.set_index("patient_id")["journey_seed"]
    always, once = int(seeds[1]), int(seeds[4])
    real = lupuscart.journey.simulate_patient
    calls: list[tuple[int, float]] = []

    def flaky(*args: Any, seed: int = 0, rtol: float = 1e-6, **kw: Any) -> Any:
        calls.append((seed, rtol))
        if seed == always or (seed == once and rtol > 1e-7):
            raise SolverError(f"forced failure at rtol {rtol:g}")
        return real(*args, seed=seed, rtol=rtol, **kw)

    monkeypatch.setattr(lupuscart.journey, "simulate_patient", flaky)
    r = run_trial(cfg, patients=N, seed=SEED, chunk_size=2)

    assert (always, 1e-6) in calls
    assert (always, 1e-8) in calls
    rows = r.patients.set_index("patient_id")
    assert len(r.patients) == N  # nobody dropped
    assert rows.loc[1, "status"] == "solver_failed"
    assert "rtol 1e-08: SolverError: forced failure" in rows.loc[1, "failure_reason"]
    assert rows.loc[4, "status"] == "ok"
    assert rows.loc[4, "rtol"] == 1e-8  # rescued by the tighter tolerance
    e = r.endpoints
    assert e["solver_failures"] == 1
    assert e["errors"] == 0
    assert e["patients"] == N
    assert e["infused"] == clean.endpoints["infused"] - 1
    assert e["doris_month3_rate_n"] == clean.endpoints["doris_month3_rate_n"] - 1
    assert e["manufacturing_failure_rate_n"] == N - 1  # excluded from every rate's denominator
    assert not r.visits["patient_id"].isin([1]).any()
