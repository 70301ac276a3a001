"""The digital twin's prediction: the patient's course with bands, and the risks that matter at the bedside.

Random effects are drawn from the fit's normal approximation (MAP and Laplace covariance); each draw is simulated
to the horizon with its own journey seed (the future stochastic events — ICANS onset, LICATS, infections — are not
known either). The bands are the 5th, 50th and 95th percentiles of the simulated (latent, error-free) course; the
outcomes come from each draw's summary through the output registry (:mod:`lupuscart.sensitivity._outputs`):
B-cell return day, relapse and drug-free remission by month 24, DORIS at month 3, the IgG nadir.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import SolverError
from ..twin._visits import variable
from ._fit import OBSERVATION_ERRORS, TwinFit, simulate

#: Variables whose course is predicted (the fitted ones).
COURSE_VARIABLES = tuple(OBSERVATION_ERRORS)
#: Outputs summarised per draw.
OUTCOMES = ("b_cell_return_day", "relapse_month24", "drug_free_remission_month24", "doris_month3", "igg_nadir_g_l")


@dataclass(frozen=True)
class TwinPrediction:
    """Bands of the course, each draw's outcomes and the MAP course."""

    bands: pd.DataFrame
    outcomes: pd.DataFrame
    horizon_days: int
    draws: int
    failed: int

    def summary(self) -> dict[str, Any]:
        """Outcomes as probabilities (binary) or median with a 90 % interval (continuous)."""
        out: dict[str, Any] = {"draws": self.draws, "failed_draws": self.failed, "horizon_days": self.horizon_days}
        for key in OUTCOMES:
            x = self.outcomes[key].dropna().to_numpy(dtype=float)
            if not x.size:
                out[key] = None
            elif key in ("b_cell_return_day", "igg_nadir_g_l"):
                out[key] = {
                    "median": float(np.median(x)),
                    "p05": float(np.quantile(x, 0.05)),
                    "p95": float(np.quantile(x, 0.95)),
                }
            else:
                out[f"{key}_probability"] = float(np.mean(x))
        returned = self.outcomes["b_cell_returned"].dropna()
        out["b_cell_returned_by_horizon_probability"] = float(returned.mean()) if len(returned) else None
        return out


def _course(result: Any, days: np.ndarray) -> dict[str, np.ndarray]:
    return {v: np.interp(days, result.days, result.observables[variable(v).observable]) for v in COURSE_VARIABLES}


def _outcomes(result: Any) -> dict[str, Any]:
    from ..sensitivity import output
    from ..trial._execute import outcome_rows

    row, _ = outcome_rows(result, "twin", 0)
    out: dict[str, Any] = {key: output(key).extract(row) for key in OUTCOMES}
    out["b_cell_returned"] = (
        None if row.get("b_cell_aplasia_day") is None else row.get("b_cell_recovery_day") is not None
    )
    return out


def predict(
    fit: TwinFit, draws: int = 200, seed: int = 0, horizon_days: int = 730, engine: str = "fast"
) -> TwinPrediction:
    """Simulate ``draws`` patients from the fit's posterior to ``horizon_days`` and summarise them.

    Returns bands (``day, variable, map, p05, p50, p95``; ``map`` is the course at the MAP with the fit's journey
    seed) and one row of outcomes per draw. A draw whose solve fails at both tolerances, or whose product is not
    manufactured (only possible with an apheresis yield below ``apheresis.minimum_t_cells``: the twin conditions on
    the infusion, :func:`~lupuscart.twin._fit.simulate`), is counted in ``failed`` and left out.
    """
    days = np.arange(0.0, horizon_days + 1.0)
    chol = np.linalg.cholesky(fit.covariance + 1e-12 * np.eye(len(fit.eta)))
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x7717]))
    courses: dict[str, list[np.ndarray]] = {v: [] for v in COURSE_VARIABLES}
    rows = []
    failed = 0
    for k in range(draws):
        x = fit.eta + chol @ rng.standard_normal(len(fit.eta))
        journey_seed = int(np.random.SeedSequence([seed, 0x7717, k]).generate_state(1, dtype=np.uint32)[0])
        try:
            r = simulate(fit.problem, x, horizon_days, seed=journey_seed, engine=engine)
        except (SolverError, FloatingPointError, ZeroDivisionError):
            failed += 1
            continue
        if r.summary.status != "ok":
            failed += 1
            continue
        for v, c in _course(r, days).items():
            courses[v].append(c)
        rows.append({"draw": k, "journey_seed": journey_seed, **fit.problem.eta(x), **_outcomes(r)})
    best = _course(simulate(fit.problem, fit.eta, horizon_days, engine=engine), days)
    frames = []
    for v in COURSE_VARIABLES:
        stack = np.vstack(courses[v]) if courses[v] else np.full((1, days.size), np.nan)
        q = np.quantile(stack, [0.05, 0.5, 0.95], axis=0)
        frames.append(pd.DataFrame({"day": days, "variable": v, "map": best[v], "p05": q[0], "p50": q[1], "p95": q[2]}))
    return TwinPrediction(pd.concat(frames, ignore_index=True), pd.DataFrame(rows), horizon_days, draws, failed)
