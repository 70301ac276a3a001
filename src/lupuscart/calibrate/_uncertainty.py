"""How sure the calibration is: a covariance of the calibrated parameters (natural-log scale), stage by stage.

Each stage of :func:`lupuscart.calibrate.calibrate` fits its parameters to a different kind of target, so each
gets the approximation that fits it; the result is a block-diagonal covariance of ``log θ`` (stages are treated
as independent), stored in the packaged calibration record under ``uncertainty`` and drawn from by trials with
``--replicates`` (:mod:`lupuscart.trial._replicates`).

1. **Weighted least squares** (stage 1: renal resolution, effector CAR T death, and the marrow before stage 4):
   Laplace approximation at the optimum, ``Σ = (JᵀJ)⁻¹`` with ``J`` the Jacobian of the σ-scaled residuals in
   log parameters (central differences). With residuals scaled by their σ, ``½‖r‖²`` is the negative log
   likelihood, and ``JᵀJ`` its Gauss-Newton Hessian (Bates & Watts 1988).
2. **A rate observed in a small cohort** (stage 2: CRS any grade 3/5; stage 3: ICANS 0/5): the rate's posterior
   under a Jeffreys prior, Beta(k + ½, n − k + ½), has ``Var(logit p) = ψ₁(k + ½) + ψ₁(n − k + ½)`` (ψ₁ the
   trigamma function; Brown, Cai & DasGupta 2001 for the Jeffreys interval). The simulated rate's dependence on
   the parameter, ``logit p = a + b·log θ``, is fitted to the stage's own bisection history, and the delta method
   gives ``sd(log θ) = sd(logit p) / |b|``.
3. **A published mean** (stage 4: B-cell return 110 ± 32 days, n = 5, Mackensen 2022): the standard error of the
   mean, ``sd/√n``, carried to the parameter through the elasticity the stage itself assumes (the mean day scales
   as ``1/θ``): ``sd(log θ) = (sd/√n)/mean``. It replaces the stage-1 row of ``marrow_regrowth_per_day``.

References: Bates DM, Watts DG. Nonlinear Regression Analysis and Its Applications. Wiley 1988,
doi:10.1002/9780470316757. Brown LD, Cai TT, DasGupta A. Stat Sci 2001;16:101-33, doi:10.1214/ss/1009213286.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import polygamma

from .._typing import FloatArray
from ._fit import STAGE1_PARAMETERS, STAGE2, STAGE3, _typical_residuals
from ._targets import mackensen2022

#: Log-scale step of the central differences of the Laplace Jacobian.
JACOBIAN_STEP = 0.02


def laplace_log_covariance(
    residuals: Callable[[FloatArray], FloatArray], log_theta: Sequence[float], step: float = JACOBIAN_STEP
) -> tuple[FloatArray, FloatArray]:
    """Laplace covariance ``(JᵀJ)⁻¹`` of log parameters at a least-squares optimum, and the Jacobian ``J``.

    ``residuals`` must return σ-scaled residuals (so that ``½‖r‖²`` is the negative log likelihood). A direction
    the data do not inform makes ``JᵀJ`` singular; its variance is then infinite and the pseudo-inverse would hide
    it, so this raises instead.

    Examples
    --------
    A straight line ``y = θ₀ + θ₁x`` fitted to three points with σ = 0.5: the covariance is σ²(XᵀX)⁻¹.

    >>> x, y = np.array([0.0, 1.0, 2.0]), np.array([0.1, 1.1, 1.9])
    >>> cov, _ = laplace_log_covariance(lambda t: (t[0] + t[1] * x - y) / 0.5, [0.0, 1.0])
    >>> X = np.column_stack([np.ones(3), x])
    >>> bool(np.allclose(cov, 0.25 * np.linalg.inv(X.T @ X)))
    True
    """
    x0 = np.asarray(log_theta, dtype=float)
    cols = []
    for k in range(x0.size):
        e = np.zeros_like(x0)
        e[k] = step
        cols.append((np.asarray(residuals(x0 + e)) - np.asarray(residuals(x0 - e))) / (2 * step))
    jac = np.column_stack(cols)
    info = jac.T @ jac
    if np.linalg.matrix_rank(info) < x0.size:
        raise ValueError("the Jacobian is rank deficient: a parameter direction is not informed by the targets")
    cov: FloatArray = np.asarray(np.linalg.inv(info), dtype=float)
    return cov, jac


def rate_log_sd(history: Sequence[tuple[float, float]], events: int, n: int) -> tuple[float, float]:
    """sd(log θ) of a parameter fitted so that a simulated rate matches ``events``/``n``, and the fitted slope.

    ``history`` holds (θ, simulated rate) pairs (a bisection's path); points with a rate of 0 or 1 are skipped.

    >>> round(rate_log_sd([(1.0, 0.2), (math.e, 0.8)], 3, 5)[0], 3)  # sqrt(ψ₁(3.5) + ψ₁(2.5)) / (2 logit 0.8)
    0.327
    """
    pts = [(math.log(t), math.log(r / (1 - r))) for t, r in history if 0.0 < r < 1.0]
    if len({p[0] for p in pts}) < 2:
        raise ValueError("at least two distinct parameter values with a rate strictly between 0 and 1 are needed")
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    slope = float(np.polyfit(x, y, 1)[0])
    if slope == 0.0:
        raise ValueError("the simulated rate does not depend on the parameter")
    var_logit = float(polygamma(1, events + 0.5) + polygamma(1, n - events + 0.5))
    return math.sqrt(var_logit) / abs(slope), slope


def mean_log_sd(mean: float, sd: float, n: int) -> float:
    """sd(log θ) of a rate parameter fitted to a published mean time that scales as ``1/θ``: ``(sd/√n)/mean``.

    >>> round(mean_log_sd(110.0, 32.0, 5), 4)
    0.1301
    """
    return sd / math.sqrt(n) / mean


def calibration_uncertainty(
    record: dict[str, Any], residuals: Callable[[FloatArray], FloatArray] | None = None
) -> dict[str, Any]:
    """The ``uncertainty`` entry of a calibration record (see the module docstring for the method).

    Parameters
    ----------
    record:
        The calibration record (``calibrated_parameters.json``: ``typical`` and ``fit`` with its stages).
    residuals:
        Stage 1's σ-scaled residuals in log parameters (default: the calibration's own,
        :func:`lupuscart.calibrate._fit._typical_residuals`).

    Returns
    -------
    dict
        ``parameters`` (names), ``log_covariance`` (natural-log scale), ``log_sd`` by name, ``per_parameter``
        (method and target of each), ``method`` (a sentence).
    """
    fit = record["fit"]
    outcomes = mackensen2022()["outcomes"]
    stage1 = fit["stage1"]["values"]
    x1 = [math.log(stage1[k]) for k in STAGE1_PARAMETERS]
    cov1, _ = laplace_log_covariance(residuals or (lambda x: _typical_residuals(x, {})), x1)
    names = list(STAGE1_PARAMETERS)
    per: dict[str, dict[str, Any]] = {
        k: {"method": "laplace", "target": "stage 1 weighted least squares (time-course targets)"} for k in names
    }
    blocks: list[FloatArray] = [cov1]
    if "stage4" in fit and "marrow_regrowth_per_day" in names:
        b = outcomes["b_cell_reappearance_day"]
        n = int(mackensen2022()["cohort"]["patients"]["value"])
        k = names.index("marrow_regrowth_per_day")
        sd = mean_log_sd(float(b["mean"]), float(b["sd"]), n)
        cov1[k, :] = 0.0
        cov1[:, k] = 0.0
        cov1[k, k] = sd**2
        per["marrow_regrowth_per_day"] = {
            "method": "mean",
            "target": f"stage 4 population mean B-cell return {b['mean']} ± {b['sd']} days, n = {n}",
        }
    rate_stages = (("stage2", STAGE2, "crs_any"), ("stage3", STAGE3, "icans_any"))
    for stage, key, outcome in rate_stages:
        if stage not in fit:
            continue
        o = outcomes[outcome]
        rate_key = "crs_any" if outcome == "crs_any" else "icans"
        history = [(h[key], h[rate_key]) for h in fit[stage]["history"]]
        sd, slope = rate_log_sd(history, int(o["events"]), int(o["n"]))
        names.append(key)
        blocks.append(np.array([[sd**2]]))
        per[key] = {
            "method": "rate",
            "target": f"{stage}: {outcome} {o['events']}/{o['n']} (Jeffreys posterior of the logit rate)",
            "logit_slope_per_log_unit": slope,
        }
    size = sum(b.shape[0] for b in blocks)
    cov = np.zeros((size, size))
    at = 0
    for b in blocks:
        cov[at : at + b.shape[0], at : at + b.shape[0]] = b
        at += b.shape[0]
    sds = np.sqrt(np.diag(cov))
    for name, s in zip(names, sds, strict=True):
        per[name]["log_sd"] = float(s)
    return {
        "method": (
            "block-diagonal covariance of log parameters: Laplace (JᵀJ)⁻¹ for the least-squares stage, Jeffreys "
            "posterior of the logit rate carried through the simulated rate's slope for the rate stages, standard "
            "error of the published mean for the B-cell return stage (lupuscart.calibrate._uncertainty)"
        ),
        "parameters": names,
        "log_covariance": cov.tolist(),
        "log_sd": {n: float(s) for n, s in zip(names, sds, strict=True)},
        "per_parameter": per,
    }
