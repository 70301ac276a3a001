"""Inter-individual variability (IIV) of the kinetic parameters: log-normal, with a correlation matrix.

Patient *i* has ``θ_i = θ_typical · exp(η_i)`` with ``η_i ~ N(0, Ω)``, ``Ω = diag(ω) · R · diag(ω)``, the usual
NONMEM exponential model. The typical values are the model defaults overridden by the calibrated values
(``lupuscart/data/calibrated_parameters.json``, written by ``scripts/calibrate.py``) and by an arm's
``model_parameters``. Individual values are clipped to each parameter's plausibility bounds.

ω and correlations are estimates (tag E) unless a source is given: the SLE cohorts are too small to estimate
them, so they are set from the oncology CAR T population PK literature (large variability of expansion, CV
60-100 %, Stein 2019) shrunk for the much smaller target burden in SLE, and from the spread of the B-cell
reappearance day (110 ± 32 days, Mackensen 2022: CV 0.29, of which covariates — baseline B cells, expansion — already
explain most, so ω = 0.15 is left for the marrow, tag C). The only correlation entered is between CAR T
expansion and myeloid responsiveness (CRS severity rises with expansion in every CAR T cohort; r = 0.5 with the
responsiveness, i.e. −0.5 with the half-activating CAR T count, tag E). Disease variables vary too: the share of
anti-dsDNA made by CD19⁻ long-lived plasma cells (what CD19 depletion cannot remove), the self-antigen drive of
autoreactive B (how close the loop is to relapsing on its own) and the autoimmune burden (autoreactive B in
lymphoid tissue, which also feeds CAR T stimulation and CRS); the burden also scales with the baseline anti-dsDNA
titre (``individual_parameters``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray


@dataclass(frozen=True)
class Variability:
    """Log-normal IIV of one model parameter: ``omega`` is the SD of log θ."""

    parameter: str
    omega: float
    source: str
    evidence: str
    note: str


DEFAULT_IIV: tuple[Variability, ...] = (
    Variability("car_lymphopenia_drive_per_day", 0.2, "Stein2019", "E", "expansion; oncology CV 60-100 % shrunk"),
    Variability("car_effector_death_per_day", 0.2, "Stein2019", "E", "contraction of effector CAR T"),
    Variability("car_kill_per_cell_day", 0.3, "expert", "E", "serial killing capacity"),
    Variability(
        "myeloid_half_activated_cells", 0.7, "calibrated", "C", "CRS: myeloid responsiveness, fitted with CRS any"
    ),
    Variability(
        "marrow_regrowth_per_day", 0.15, "Mackensen2022", "C", "B-cell return; CV 32/110 d minus covariate spread"
    ),
    Variability("renal_resolution_per_day", 0.2, "expert", "E", "glomerular healing"),
    Variability("musculoskeletal_resolution_per_day", 0.2, "expert", "E", "synovitis healing"),
    Variability("endothelial_car_t_half_per_ul", 0.3, "expert", "E", "endothelial susceptibility (ICANS)"),
    Variability("llpc_auto_share", 0.35, "expert", "E", "share of anti-dsDNA from CD19- long-lived plasma cells"),
    Variability("autoantigen_drive", 0.4, "expert", "E", "self-antigen load driving autoreactive B (relapse risk)"),
    Variability("auto_capacity_cells", 0.5, "expert", "E", "autoimmune burden: autoreactive B in lymphoid tissue"),
)

#: Correlations between the η of two parameters (unordered pairs); all others are 0.
DEFAULT_CORRELATIONS: dict[tuple[str, str], float] = {
    ("car_lymphopenia_drive_per_day", "myeloid_half_activated_cells"): -0.5,
}


def correlation_matrix(iiv: tuple[Variability, ...], correlations: dict[tuple[str, str], float]) -> FloatArray:
    """The correlation matrix R of the η vector, checked to be a valid (positive definite) correlation matrix.

    >>> r = correlation_matrix(DEFAULT_IIV, DEFAULT_CORRELATIONS)
    >>> r.shape, float(r[0, 3])
    ((11, 11), -0.5)
    """
    names = [v.parameter for v in iiv]
    r = np.eye(len(names))
    for (a, b), rho in correlations.items():
        if a not in names or b not in names:
            raise ValueError(f"correlation ({a}, {b}) names a parameter without IIV; IIV parameters: {names}")
        if not -1.0 < rho < 1.0:
            raise ValueError(f"correlation ({a}, {b}) must be in (-1, 1); got {rho}")
        i, j = names.index(a), names.index(b)
        r[i, j] = r[j, i] = rho
    if np.min(np.linalg.eigvalsh(r)) <= 0:
        raise ValueError("the correlation matrix is not positive definite")
    return r


def sample_eta(
    rng: np.random.Generator,
    iiv: tuple[Variability, ...],
    correlations: dict[tuple[str, str], float],
    *,
    cholesky: FloatArray | None = None,
) -> dict[str, float]:
    """Draw one patient's η (log-scale deviations) from N(0, Ω); ``cholesky`` is the Cholesky factor of the
    correlation matrix when already known (it is the same for every patient of a population).

    >>> eta = sample_eta(np.random.default_rng(0), DEFAULT_IIV, DEFAULT_CORRELATIONS)
    >>> sorted(eta) == sorted(v.parameter for v in DEFAULT_IIV)
    True
    """
    omega = np.array([v.omega for v in iiv])
    chol = np.linalg.cholesky(correlation_matrix(iiv, correlations)) if cholesky is None else cholesky
    z = rng.standard_normal(len(iiv))
    eta = omega * (chol @ z)
    return {v.parameter: float(e) for v, e in zip(iiv, eta, strict=True)}
