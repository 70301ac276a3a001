"""How sure the calibration is (``calibrate/_uncertainty.py``), each approximation against an independent one.

- Laplace covariance of log parameters: scipy's ``curve_fit`` covariance (``absolute_sigma=True``, analytic
  Jacobian) of the same weighted least-squares fit, carried to log parameters by the delta method.
- Rate stages: the variance of logit p under the Jeffreys posterior Beta(k + ½, n − k + ½), integrated numerically
  (``scipy.integrate.quad`` over x = logit p) instead of by the trigamma identity; the slope of a history on an
  exact logistic.
- Assembly: a record with linear stage-1 residuals (covariance σ²(XᵀX)⁻¹ exactly) and the cohort's numbers read
  from the packaged JSON gives the block-diagonal covariance written out by hand.
"""

from __future__ import annotations

import json
import math
from importlib import resources

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import curve_fit
from scipy.special import betaln, expit, log_expit

from lupuscart.calibrate import STAGE1_PARAMETERS, calibration_uncertainty
from lupuscart.calibrate._uncertainty import laplace_log_covariance, rate_log_sd
from lupuscart.model import calibration_record

STAGE2, STAGE3 = "myeloid_half_activated_cells", "icans_hazard_per_activation_day"


def _jeffreys_logit_variance(events: int, n: int) -> float:
    """Var(logit p) for p ~ Beta(k + ½, n − k + ½), integrated over x = logit p (smooth, light tails)."""
    a, b = events + 0.5, n - events + 0.5

    def density(x: float) -> float:  # Beta density of p = expit(x) times dp/dx = p(1 − p)
        return float(np.exp(a * log_expit(x) + b * log_expit(-x) - betaln(a, b)))

    mean = quad(lambda x: x * density(x), -np.inf, np.inf)[0]
    return float(quad(lambda x: (x - mean) ** 2 * density(x), -np.inf, np.inf)[0])


def test_laplace_covariance_is_curve_fits_covariance_in_log_parameters() -> None:
    """y = A·exp(−k t) with σ = 0.05: the covariance of (log A, log k) is diag(1/θ) · pcov · diag(1/θ)."""
    t = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 5.0])
    y = np.array([2.02, 1.49, 1.12, 0.60, 0.35, 0.11])
    sigma = 0.05

    def f(t: np.ndarray, a: float, k: float) -> np.ndarray:
        return a * np.exp(-k * t)

    def jac(t: np.ndarray, a: float, k: float) -> np.ndarray:
        return np.column_stack([np.exp(-k * t), -a * t * np.exp(-k * t)])

    popt, pcov = curve_fit(f, t, y, p0=[2.0, 0.6], sigma=np.full(t.size, sigma), absolute_sigma=True, jac=jac)
    cov, _ = laplace_log_covariance(lambda x: (f(t, *np.exp(x)) - y) / sigma, np.log(popt))
    expected = pcov / np.outer(popt, popt)
    np.testing.assert_allclose(cov, expected, rtol=1e-3)


@pytest.mark.parametrize(("events", "n"), [(3, 5), (0, 5), (5, 5), (2, 12)])
def test_rate_stage_sd_is_the_jeffreys_logit_sd_over_the_slope(events: int, n: int) -> None:
    intercept, slope = -1.0, 1.7
    thetas = np.exp(np.linspace(-2.0, 2.0, 7))
    history = [(float(th), float(expit(intercept + slope * math.log(th)))) for th in thetas]
    history += [(10.0, 1.0), (0.01, 0.0)]  # a bisection can end at a rate of 0 or 1: skipped
    sd, fitted_slope = rate_log_sd(history, events, n)
    assert fitted_slope == pytest.approx(slope, rel=1e-9)
    assert sd == pytest.approx(math.sqrt(_jeffreys_logit_variance(events, n)) / slope, rel=1e-6)


def test_record_assembles_into_the_block_diagonal_covariance() -> None:
    cohort = json.loads((resources.files("lupuscart") / "data" / "mackensen2022.json").read_text())
    outcomes, n = cohort["outcomes"], cohort["cohort"]["patients"]["value"]
    x_design = np.array([[1.0, 0.0, 0.5], [0.3, 1.0, 0.0], [0.0, 0.2, 1.0], [1.0, 1.0, 1.0]])
    sigma = 0.1
    stage1 = dict(zip(STAGE1_PARAMETERS, (0.1, 0.05, 0.12), strict=True))

    def residuals(x: np.ndarray) -> np.ndarray:
        return np.asarray((x_design @ x - 1.0) / sigma)

    def history(slope: float) -> list[dict[str, float]]:
        return [
            {"theta": th, "crs_any": expit(0.2 + slope * math.log(th)), "icans": expit(-3.0 + slope * math.log(th))}
            for th in (0.5, 1.0, 2.0)
        ]

    h2 = [{STAGE2: h["theta"], "crs_any": h["crs_any"]} for h in history(-1.2)]
    h3 = [{STAGE3: h["theta"], "icans": h["icans"]} for h in history(0.8)]
    record = {
        "typical": {},
        "fit": {"stage1": {"values": stage1}, "stage2": {"history": h2}, "stage3": {"history": h3}, "stage4": {}},
    }
    u = calibration_uncertainty(record, residuals)

    block1 = sigma**2 * np.linalg.inv(x_design.T @ x_design)
    marrow = STAGE1_PARAMETERS.index("marrow_regrowth_per_day")
    block1[marrow, :] = block1[:, marrow] = 0.0
    b = outcomes["b_cell_reappearance_day"]
    block1[marrow, marrow] = (b["sd"] / math.sqrt(n) / b["mean"]) ** 2
    crs, icans = outcomes["crs_any"], outcomes["icans_any"]
    var2 = _jeffreys_logit_variance(crs["events"], crs["n"]) / 1.2**2
    var3 = _jeffreys_logit_variance(icans["events"], icans["n"]) / 0.8**2
    expected = np.zeros((5, 5))
    expected[:3, :3] = block1
    expected[3, 3], expected[4, 4] = var2, var3
    assert u["parameters"] == [*STAGE1_PARAMETERS, STAGE2, STAGE3]
    np.testing.assert_allclose(np.asarray(u["log_covariance"]), expected, rtol=1e-6, atol=1e-15)
    assert [u["per_parameter"][p]["method"] for p in u["parameters"]] == ["laplace", "mean", "laplace", "rate", "rate"]


def test_packaged_uncertainty_is_what_the_method_gives_for_the_packaged_fit() -> None:
    """A stale record (the model changed, the calibration was not rerun) fails here: rerun
    ``scripts/calibrate.py --uncertainty-only`` (or the whole calibration)."""
    record = calibration_record()
    again = calibration_uncertainty(record)
    assert again["parameters"] == record["uncertainty"]["parameters"]
    for name, sd in record["uncertainty"]["log_sd"].items():
        assert again["log_sd"][name] == pytest.approx(sd, rel=1e-2), name
