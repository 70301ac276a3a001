"""Issue 10, point 2: CRS from CAR T activation and myeloid cytokines, rising with dose and antigen load, and
shifted (not erased) by prophylactic tocilizumab."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from lupuscart.journey import load_config, simulate_patient

UNMANAGED = {"tocilizumab": "none", "steroids": "none"}


def _peaks(**sections: Any) -> tuple[float, float, float]:
    r = simulate_patient(load_config({"management": UNMANAGED, **sections}), engine="fast")
    early = (r.days >= 0) & (r.days <= 30)
    o = r.observables
    return (
        r.summary.il6_peak_pg_ml,
        float(np.max(o["crs_vascular_signal_pg_ml"][early])),
        float(np.max(o["crs_temperature_c"][early])),
    )


def test_cytokine_peaks_rise_monotonically_with_dose() -> None:
    peaks = [_peaks(product={"dose_per_kg": d}) for d in (1e5, 1e6, 5e6, 2e7)]
    for low, high in itertools.pairwise(peaks):
        assert high[0] > low[0]  # IL-6
        assert high[1] > low[1]  # vascular-leak signal (hypotension, hypoxia)


def test_cytokine_peaks_rise_with_the_b_cell_antigen_load() -> None:
    low = _peaks(patient={"b_cells_per_ul": 30.0})
    high = _peaks(patient={"b_cells_per_ul": 200.0})
    assert high[0] > low[0]
    assert high[1] > low[1]


def test_no_expansion_no_crs() -> None:
    _il6, vascular, temperature = _peaks(lymphodepletion={"regimen": "none"})
    assert temperature < 38.0
    assert vascular < 20.0


def test_a_high_dose_reaches_grade_2_and_prophylactic_tocilizumab_shifts_severity_not_fever() -> None:
    # a high-risk patient: high dose, high B-cell load, responsive myeloid cells (about 1 SD of the population)
    high = {
        "product": {"dose_per_kg": 2e7},
        "patient": {"b_cells_per_ul": 250.0},
        "model_parameters": {"myeloid_half_activated_cells": 4e9},
    }
    unmanaged = simulate_patient(load_config({"management": UNMANAGED, **high}), engine="fast")
    prophylaxis = simulate_patient(
        load_config({"management": {"tocilizumab": "prophylactic", "steroids": "none"}, **high}), engine="fast"
    )
    assert unmanaged.summary.crs_max_grade >= 2
    assert 1 <= prophylaxis.summary.crs_max_grade < unmanaged.summary.crs_max_grade
    early = (prophylaxis.days >= 0) & (prophylaxis.days <= 30)
    assert np.max(prophylaxis.observables["crs_temperature_c"][early]) >= 38.0  # IL-1 fever is not blocked
