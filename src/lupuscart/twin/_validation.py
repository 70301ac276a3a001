"""Validation of the twin on synthetic patients with known parameters: fit early data, score later predictions.

A synthetic patient is a sampled virtual patient of the calibrated population (its η known) who received CAR T
(the twin is for infused patients, so its product is always manufactured): its course is simulated to month 24
with its own journey seed, measurements are drawn on a schedule with the twin's own
observation model (log-normal residuals, :data:`~lupuscart.twin._fit.OBSERVATION_ERRORS`), and the twin is fitted
to the measurements up to ``until`` (day 28 or 60) with the patient's covariates (weight, manifestations...)
known and the baseline labs *measured* (with error) on day −7. Its predictions of what happens later — B-cell
return, B cells and IgG at months 6 and 12, DORIS remission at month 3, relapse and drug-free remission by month
24 — are scored against the truth, next to the population's prediction for the same patient without its data (η
from the prior).

The measurement model of the truth is the twin's own, and the truth comes from the same model: the validation
checks the fit, the Laplace approximation and the information in early data, not model misspecification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._fit import BASELINE_PREFIX, OBSERVATION_ERRORS, fit_map, prepare, prior_fit
from ._predict import predict
from ._visits import variable

#: Measurement days after infusion of a synthetic patient (those up to ``until`` are used).
SCHEDULE = (1.0, 3.0, 7.0, 10.0, 14.0, 21.0, 28.0, 42.0, 60.0)
#: Day of the baseline labs (before lymphodepletion).
BASELINE_DAY = -7.0
HORIZON_DAYS = 730
#: Days at which B cells and IgG are scored against the bands.
CHECK_DAYS = (180, 365)
#: Events whose predicted probability is scored (Brier score) against what happened.
SCORED_EVENTS = ("doris_month3", "relapse_month24", "drug_free_remission_month24")


@dataclass(frozen=True)
class SyntheticPatient:
    """Measurements, the known configuration (covariates) and the truth of one synthetic patient."""

    visits: pd.DataFrame
    config: dict[str, Any]
    eta: dict[str, float]
    truth: dict[str, Any]


def synthetic_patient(
    index: int, seed: int, horizon_days: int = HORIZON_DAYS, schedule: tuple[float, ...] = SCHEDULE
) -> SyntheticPatient:
    """Synthetic patient ``index`` of ``seed`` (see the module docstring), measured on day −7 and ``schedule``."""
    from ..journey import simulate_patient
    from ..population import sample_patient, to_config
    from ..sensitivity import output
    from ..trial._execute import outcome_rows

    vp = sample_patient(index, seed)
    base = {"followup": {"days": horizon_days}, "manufacturing": {"failure_probability": 0.0}}
    r = simulate_patient(to_config(vp, base), seed=vp.journey_seed, engine="fast")
    rng = np.random.default_rng(np.random.SeedSequence([seed, index, 0xD47A]))
    rows: list[dict[str, Any]] = []
    for day in (BASELINE_DAY, *schedule):
        for var, err in OBSERVATION_ERRORS.items():
            true = float(np.interp(day, r.days, r.observables[variable(var).observable]))
            y = float(np.exp(np.log(true + err.offset) + err.sigma * rng.standard_normal()) - err.offset)
            rows.append(
                {
                    "patient_id": f"synthetic-{index}",
                    "day": day,
                    "variable": var,
                    "observable": variable(var).observable,
                    "value": max(y, 0.0),
                    "unit": variable(var).unit,
                    "row": len(rows) + 2,
                }
            )
    row, _ = outcome_rows(r, "truth", index)
    truth: dict[str, Any] = {
        key: output(key).extract(row)
        for key in (
            "b_cell_return_day",
            "relapse_month24",
            "drug_free_remission_month24",
            "doris_month3",
            "igg_nadir_g_l",
        )
    }
    truth["b_cell_returned"] = row.get("b_cell_recovery_day") is not None
    for d in CHECK_DAYS:
        for var in ("b_cells", "igg"):
            truth[f"{var}_day{d}"] = float(np.interp(d, r.days, r.observables[variable(var).observable]))
    patient = {k: v for k, v in vp.patient.items()}
    return SyntheticPatient(pd.DataFrame(rows), {"patient": patient}, dict(vp.eta), truth)


def _score(prefix: str, prediction: Any, truth: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    o = prediction.outcomes
    ret = o["b_cell_return_day"].dropna().to_numpy(dtype=float)
    t = truth["b_cell_return_day"]
    if ret.size and t is not None:
        lo, mid, hi = np.quantile(ret, [0.05, 0.5, 0.95])
        q25, q75 = np.quantile(ret, [0.25, 0.75])
        out |= {f"{prefix}_return_p05": lo, f"{prefix}_return_p50": mid, f"{prefix}_return_p95": hi}
        out[f"{prefix}_return_in90"] = bool(lo <= t <= hi)
        out[f"{prefix}_return_in50"] = bool(q25 <= t <= q75)
        out[f"{prefix}_return_abs_error"] = abs(mid - t)
    for key in SCORED_EVENTS:
        x = o[key].dropna().to_numpy(dtype=float)
        if x.size and truth[key] is not None:
            out[f"{prefix}_{key}_p"] = float(x.mean())
            out[f"{prefix}_{key}_brier"] = float((x.mean() - truth[key]) ** 2)
    b = prediction.bands.set_index(["variable", "day"])
    for d in CHECK_DAYS:
        for var in ("b_cells", "igg"):
            lo, hi = b.loc[(var, float(d)), ["p05", "p95"]]
            out[f"{prefix}_{var}_day{d}_in90"] = bool(lo <= truth[f"{var}_day{d}"] <= hi)
    return out


def validate_patient(index: int, seed: int, until: float, draws: int) -> dict[str, Any]:
    """Fit synthetic patient ``index`` up to ``until`` and score the twin's and the population's predictions."""
    sp = synthetic_patient(index, seed)
    problem = prepare(sp.visits, sp.config, until=until)
    fit = fit_map(problem)
    twin = predict(fit, draws=draws, seed=seed + index, horizon_days=HORIZON_DAYS)
    prior = predict(prior_fit(problem), draws=draws, seed=seed + index, horizon_days=HORIZON_DAYS)
    sd = np.sqrt(np.diag(fit.covariance))
    row: dict[str, Any] = {
        "patient": index,
        "until": until,
        "fit_success": fit.success,
        "fit_evaluations": fit.evaluations,
    }
    patient = sp.config["patient"]
    true_effects = dict(sp.eta)
    for fieldname, measured in problem.baselines.items():
        value = patient["manifestations"][fieldname] if fieldname == "proteinuria_g_24h" else patient[fieldname]
        true_effects[BASELINE_PREFIX + fieldname] = float(np.log(value / measured))
    for k, name in enumerate(problem.names):
        row[f"eta_true_{name}"] = true_effects[name]
        row[f"eta_map_{name}"] = float(fit.eta[k])
        row[f"eta_sd_{name}"] = float(sd[k])
    row |= {f"truth_{k}": v for k, v in sp.truth.items()}
    row |= _score("twin", twin, sp.truth)
    row |= _score("population", prior, sp.truth)
    return row


def summarise(rows: pd.DataFrame) -> dict[str, Any]:
    """Coverage, interval width, errors and Brier scores over the validated patients (twin vs population)."""
    out: dict[str, Any] = {"patients": len(rows), "fits_converged": int(rows["fit_success"].sum())}
    for who in ("twin", "population"):
        r: dict[str, Any] = {}
        for col in rows.columns:
            if col.startswith(f"{who}_") and (col.endswith("_in90") or col.endswith("_in50")):
                x = rows[col].dropna().astype(bool)
                r[col[len(who) + 1 :] + "_coverage"] = float(x.mean()) if len(x) else None
        width = (rows[f"{who}_return_p95"] - rows[f"{who}_return_p05"]).dropna()
        r["return_90_width_median_days"] = float(width.median()) if len(width) else None
        err = rows[f"{who}_return_abs_error"].dropna()
        r["return_median_abs_error_days"] = float(err.median()) if len(err) else None
        for key in SCORED_EVENTS:
            col = f"{who}_{key}_brier"
            known = col in rows and rows[col].notna().any()
            r[f"{key}_brier"] = float(rows[col].mean()) if known else None
            r[f"{key}_mean_probability"] = float(rows[f"{who}_{key}_p"].mean()) if known else None
        out[who] = r
    out["observed_rates"] = {
        key: float(rows[f"truth_{key}"].dropna().mean()) if rows[f"truth_{key}"].notna().any() else None
        for key in SCORED_EVENTS
    }
    names = [c[len("eta_true_") :] for c in rows.columns if c.startswith("eta_true_")]
    out["eta_z_sd"] = {
        n: float(((rows[f"eta_map_{n}"] - rows[f"eta_true_{n}"]) / rows[f"eta_sd_{n}"]).std(ddof=1)) for n in names
    }
    out["eta_posterior_sd_median"] = {n: float(rows[f"eta_sd_{n}"].median()) for n in names}
    return out
