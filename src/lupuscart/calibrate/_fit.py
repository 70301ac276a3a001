"""Calibration of the default model and population to the Mackensen 2022 cohort (rerunnable in minutes).

Two stages, both deterministic (fixed seeds, common random numbers):

1. **Typical patient** — weighted non-linear least squares (``scipy.optimize.least_squares``, trust-region
   reflective, on log parameters) of three [E] parameters of the default patient against the time-course
   targets: ``renal_resolution_per_day`` (DORIS by month 3 [R] needs renal activity ≲ 0.1 at day 90, proteinuria
   30 % of baseline at day 90 [A]), ``marrow_regrowth_per_day`` (B cells back at day 110 [R]: the residual is
   log B(110) in cells/µL, zero when the recovery threshold of 1/µL is crossed on day 110) and
   ``car_effector_death_per_day`` (CAR T 10–30 % of peak at day 28 [A]). Residuals are scaled by σ = 0.1 for
   [R] and 0.3 for [A] targets (:data:`~lupuscart.calibrate._targets.SIGMA`).
2. **Population** — with the stage-1 values and the population's IIV, bisection (in log space) of the typical
   ``myeloid_half_activated_cells`` (CRS falls as it rises) so that the CRS any-grade rate of a virtual cohort
   (common random numbers, follow-up cut to 60 days since CRS happens in the first weeks) matches 3/5 = 60 % [R];
   grade ≥ 2 (0/5 [R]) is then checked, not fitted. A third stage keeps ICANS rare (0/5 [R2]).

The result is written to ``src/lupuscart/data/calibrated_parameters.json``, which the population reads as its
typical values (tag C), and a check of the calibrated population is stored alongside.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..model import default_model
from ._targets import SIGMA

STAGE1_PARAMETERS = ("renal_resolution_per_day", "marrow_regrowth_per_day", "car_effector_death_per_day")
CRS_TARGET_RATE = 0.6
ICANS_TARGET_RATE = 0.03
#: Renal activity at day 90 low enough for PGA < 0.5 at a screening PGA of up to ~3 (DORIS [R]).
RENAL_ACTIVITY_DAY90 = 0.05


def _typical_residuals(
    log_theta: np.ndarray, fixed: dict[str, float], record: dict[str, float | None] | None = None
) -> np.ndarray:
    from ..journey import load_config, simulate_patient

    params = dict(fixed)
    params.update({k: float(math.exp(v)) for k, v in zip(STAGE1_PARAMETERS, log_theta, strict=True)})
    r = simulate_patient(load_config({"parameter_set": "starting", "model_parameters": params}), seed=0)
    d, o = r.days, r.observables

    def at(name: str, day: float) -> float:
        return float(o[name][int(np.searchsorted(d, day))])

    car_peak = float(np.max(o["car_t_per_ul"][d >= 0]))
    prot0 = float(o["proteinuria_g_24h"][0])
    res = [
        math.log(max(at("b_cells_per_ul", 110.0), 1e-6)) / SIGMA["R"] / 10.0,
        max(0.0, math.log(at("renal_activity", 90.0) / RENAL_ACTIVITY_DAY90)) / SIGMA["R"],
        (at("proteinuria_g_24h", 90.0) / prot0 - 0.3) / 0.3 / SIGMA["A"],
        (at("proteinuria_g_24h", 28.0) / prot0 - 0.6) / 0.6 / SIGMA["A"],
        (at("car_t_per_ul", 28.0) / car_peak - 0.2) / 0.2 / SIGMA["A"],
    ]
    if record is not None:
        record.update(
            b_cells_day110_per_ul=at("b_cells_per_ul", 110.0),
            b_cell_recovery_day=r.summary.b_cell_recovery_day,
            renal_activity_day90=at("renal_activity", 90.0),
            proteinuria_fraction_day28=at("proteinuria_g_24h", 28.0) / prot0,
            proteinuria_fraction_day90=at("proteinuria_g_24h", 90.0) / prot0,
            car_t_fraction_day28=at("car_t_per_ul", 28.0) / car_peak,
            car_t_peak_day=r.summary.car_t_peak_day,
        )
    return np.asarray(res)


def fit_typical(log: Callable[[str], None] = print) -> dict[str, Any]:
    """Stage 1: least squares of :data:`STAGE1_PARAMETERS` on the default patient."""
    from scipy.optimize import least_squares

    defaults = default_model().definition.default_values
    x0 = np.log([defaults[k] for k in STAGE1_PARAMETERS])
    t0 = time.perf_counter()
    sol = least_squares(
        _typical_residuals,
        x0,
        args=({},),
        bounds=(x0 - 1.5, x0 + 1.5),
        diff_step=[0.02] * len(x0),
        x_scale=1.0,
        max_nfev=60,
    )
    fitted = {k: float(math.exp(v)) for k, v in zip(STAGE1_PARAMETERS, sol.x, strict=True)}
    record: dict[str, float | None] = {}
    _typical_residuals(sol.x, {}, record)
    log(f"stage 1: {fitted} cost {sol.cost:.4g} ({sol.nfev} evaluations, {time.perf_counter() - t0:.0f} s)")
    return {
        "values": fitted,
        "defaults": {k: defaults[k] for k in STAGE1_PARAMETERS},
        "cost": float(sol.cost),
        "evaluations": int(sol.nfev),
        "typical_patient": record,
    }


#: Stage 2 parameter: CAR T activation needed to half-activate myeloid cells (CRS falls as it rises).
STAGE2 = "myeloid_half_activated_cells"


def _crs_rate(typical: dict[str, float], patients: int, seed: int, workers: int) -> tuple[float, float, float]:
    """CRS any, CRS grade >= 2 and ICANS rates of a 60-day virtual cohort with these typical values."""
    from ..trial import load_trial_config, run_trial

    cfg = load_trial_config(
        {
            "population": {"calibrated": False},
            "engine": "fast",
            "protocol": {"followup": {"days": 60}, "model_parameters": typical},
            "small_trial": {"sizes": [], "draws": 10},
        }
    )
    e = run_trial(cfg, patients=patients, seed=seed, workers=workers).endpoints
    return float(e["crs_any_rate"]), float(e["crs_grade2plus_rate"]), float(e["icans_any_rate"])


def fit_crs(
    typical: dict[str, float], patients: int, seed: int, workers: int, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Stage 2: bisection of the typical ``myeloid_half_activated_cells`` on the CRS any-grade rate (60 %)."""
    lo, hi = math.log(3e8), math.log(3e10)
    history = []
    for _ in range(7):
        mid = 0.5 * (lo + hi)
        value = math.exp(mid)
        rate, g2, icans = _crs_rate({**typical, STAGE2: value}, patients, seed, workers)
        history.append({STAGE2: value, "crs_any": rate, "crs_grade2plus": g2, "icans": icans})
        log(f"stage 2: {STAGE2} {value:.3g} -> CRS any {rate:.2f}, grade>=2 {g2:.2f}")
        if rate > CRS_TARGET_RATE:  # fewer CRS with a larger half-activating CAR T count
            lo = mid
        else:
            hi = mid
    best = min(history, key=lambda h: abs(h["crs_any"] - CRS_TARGET_RATE))
    return {"value": best[STAGE2], "history": history, "patients": patients, "seed": seed}


#: Stage 3 parameter: ICANS onset hazard per unit endothelial activation (ICANS rises with it).
STAGE3 = "icans_hazard_per_activation_day"


def fit_icans(
    typical: dict[str, float], patients: int, seed: int, workers: int, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Stage 3: bisection of ``icans_hazard_per_activation_day`` so that ICANS stays rare (≤ 3 %, model.md B4;
    0/5 in Mackensen 2022 [R2])."""
    lo, hi = math.log(0.003), math.log(0.3)
    history = []
    for _ in range(6):
        mid = 0.5 * (lo + hi)
        rate, _g2, icans = _crs_rate({**typical, STAGE3: math.exp(mid)}, patients, seed, workers)
        history.append({STAGE3: math.exp(mid), "icans": icans, "crs_any": rate})
        log(f"stage 3: {STAGE3} {math.exp(mid):.3g} -> ICANS {icans:.3f}, CRS any {rate:.2f}")
        if icans > ICANS_TARGET_RATE:
            hi = mid
        else:
            lo = mid
    return {"value": math.exp(lo), "history": history, "patients": patients, "seed": seed}


def calibrate(
    *, patients: int = 80, seed: int = 2022, workers: int = 2, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Run both stages and return the content of ``calibrated_parameters.json``."""
    stage1 = fit_typical(log)
    typical = dict(stage1["values"])
    stage2 = fit_crs(typical, patients, seed, workers, log)
    typical[STAGE2] = stage2["value"]
    stage3 = fit_icans(typical, patients, seed, workers, log)
    typical[STAGE3] = stage3["value"]
    return {
        "typical": typical,
        "evidence": "C",
        "source": "Mackensen2022",
        "fit": {
            "script": "scripts/calibrate.py (lupuscart.calibrate.calibrate)",
            "stage1": stage1,
            "stage2": stage2,
            "stage3": stage3,
        },
    }
