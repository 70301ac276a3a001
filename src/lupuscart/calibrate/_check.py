"""Time courses of a calibrated virtual population, for the calibration figure (median and 90 % band)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .._typing import FloatArray

#: Observables of the figure, as fractions matching the targets in ``mackensen2022.json``.
FIGURE_OBSERVABLES = (
    "car_t_fraction",
    "b_cells_fraction",
    "anti_dsdna_fraction",
    "c3_fraction_lln",
    "proteinuria_fraction",
    "sledai2k",
)
DAYS = np.arange(0.0, 366.0)


def patient_fractions(index: int, seed: int) -> dict[str, FloatArray]:
    """Daily (days 0-365) fractions of one calibrated virtual patient (index, seed) under the default protocol."""
    from ..journey import simulate_patient
    from ..population import sample_patient, to_config

    vp = sample_patient(index, seed)
    cfg = to_config(vp)
    r = simulate_patient(cfg, seed=vp.journey_seed)
    d, o = r.days, r.observables
    k = np.searchsorted(d, DAYS)
    car = o["car_t_per_ul"][k]
    out = {
        "car_t_fraction": car / max(float(np.max(car)), 1e-12),
        "b_cells_fraction": o["b_cells_per_ul"][k] / o["b_cells_per_ul"][0],
        "anti_dsdna_fraction": o["anti_dsdna_iu_ml"][k] / o["anti_dsdna_iu_ml"][0],
        "c3_fraction_lln": o["c3_g_l"][k] / cfg.labs.c3_lln_g_l,
        "proteinuria_fraction": o["proteinuria_g_24h"][k] / o["proteinuria_g_24h"][0],
    }
    sl = np.full(DAYS.size, np.nan)
    for v in r.visits:
        if 0 <= v.day <= 365:
            sl[int(v.day)] = v.sledai2k
    sl[0] = r.visits[0].sledai2k
    out["sledai2k"] = sl
    if r.status != "ok":
        out = {key: np.full(DAYS.size, np.nan) for key in out}
    return out


def population_fractions(patients: int, seed: int, workers: int = 2) -> dict[str, FloatArray]:
    """Stack :func:`patient_fractions` over ``patients`` patients: arrays (patients, 366)."""
    idx = list(range(patients))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(patient_fractions, idx, [seed] * patients, chunksize=8))
    else:
        rows = [patient_fractions(i, seed) for i in idx]
    return {k: np.vstack([r[k] for r in rows]) for k in FIGURE_OBSERVABLES}
