"""Issue 10, point 1: an immune reset that depends on depth × duration of depletion, with relapse and
non-response possible, and lymphodepletion alone giving only transient improvement."""

from __future__ import annotations

from typing import Any

import numpy as np

from lupuscart.journey import load_config, simulate_patient


def _run(**sections: Any) -> Any:
    return simulate_patient(load_config(sections), engine="fast")


def _at(r: Any, name: str, day: float) -> float:
    return float(r.observables[name][int(np.searchsorted(r.days, day))])


def test_cd19_car_t_resets_the_autoimmune_loop_in_the_typical_patient() -> None:
    r = _run()
    assert _at(r, "autoreactive_b_fraction", 90.0) < 1e-3
    assert _at(r, "immune_complex_load", 365.0) < 0.1
    assert r.summary.doris_day90
    assert r.summary.flare_day is None


def test_lymphodepletion_alone_improves_transiently_then_the_disease_returns() -> None:
    r = _run(product={"dose_per_kg": 1.0})
    early = min(_at(r, "immune_complex_load", d) for d in range(10, 61, 5))
    assert early < 0.8  # the chemotherapy thins the autoreactive pools
    assert _at(r, "immune_complex_load", 365.0) > 0.9  # ... and the loop recovers
    assert _at(r, "autoreactive_b_fraction", 365.0) > 0.5
    assert not r.summary.doris_day90


def test_depth_and_duration_of_tissue_depletion_set_what_survives() -> None:
    """Lower dose, or poorer CAR T access to tissue, leaves more tissue-resident autoreactive B behind."""
    deep = _at(_run(), "autoreactive_b_fraction", 60.0)
    low_dose = _at(_run(product={"dose_per_kg": 1e5}), "autoreactive_b_fraction", 60.0)
    poor_access = _at(_run(model_parameters={"car_tissue_access": 0.01}), "autoreactive_b_fraction", 60.0)
    assert low_dose > 3 * deep
    assert poor_access > 3 * deep


def test_a_strong_self_antigen_drive_relapses_after_b_cell_return() -> None:
    """Monostable loop: surviving and re-seeded autoreactive B regrow once CAR T pressure is gone."""
    r = _run(model_parameters={"autoantigen_drive": 0.6})
    assert r.summary.doris_day90
    assert r.summary.b_cell_recovery_day is not None
    assert r.summary.flare_day is not None
    assert r.summary.flare_day > r.summary.b_cell_recovery_day
    assert _run(model_parameters={"autoantigen_drive": 0.1}).summary.flare_day is None


def test_a_large_plasma_cell_share_of_anti_dsdna_means_non_response_that_bcma_reaches() -> None:
    cd19 = _run(model_parameters={"llpc_auto_share": 0.4})
    bcma = _run(model_parameters={"llpc_auto_share": 0.4}, product={"name": "bcma_cd19"})
    assert not cd19.summary.doris_day90
    assert not cd19.summary.anti_dsdna_negative_day90
    assert bcma.summary.anti_dsdna_fraction_day90 < 0.5 * cd19.summary.anti_dsdna_fraction_day90
