"""Sampling a virtual population reproducibly and turning a sampled patient into a simulation configuration.

Patient ``i`` of a population with seed ``s`` draws everything from ``np.random.SeedSequence([s, i])``: one child
stream for the covariates (and eligibility re-draws), one for the IIV, and a third that seeds the patient's
journey (manufacturing, ICANS, LICATS, infections). A patient therefore does not depend on how many patients are
sampled, in which order, in which process or chunk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator
from scipy.special import ndtr, ndtri

from .._typing import FloatArray
from ..exceptions import InvalidConfigError
from ..journey import SimulationConfig, mosteller_bsa_m2
from ..model import Parameter, calibration_record, default_model
from ._covariates import Continuous, CovariateSpec
from ._eligibility import Eligibility, is_eligible, screening_sledai2k_many
from ._variability import DEFAULT_CORRELATIONS, DEFAULT_IIV, Variability, correlation_matrix, sample_eta


class PopulationSpec(BaseModel):
    """Covariates, eligibility and variability of a virtual population (all sections optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    covariates: CovariateSpec = CovariateSpec()
    eligibility: Eligibility = Eligibility()
    iiv_omega: dict[str, float] = Field(
        default_factory=dict, description="override ω (SD of log θ) of a parameter with IIV; 0 switches it off"
    )
    calibrated: bool = Field(True, description="start from the packaged calibrated typical values")

    @field_validator("iiv_omega")
    @classmethod
    def _known(cls, v: dict[str, float]) -> dict[str, float]:
        names = {x.parameter for x in DEFAULT_IIV}
        for k, w in v.items():
            if k not in names:
                raise ValueError(f"{k!r} has no IIV; allowed: {sorted(names)}")
            if not 0 <= w <= 2:
                raise ValueError(f"omega of {k} must be in [0, 2]; got {w}")
        return v

    def iiv(self) -> tuple[Variability, ...]:
        """The IIV table with this spec's ω overrides."""
        return tuple(
            Variability(v.parameter, self.iiv_omega.get(v.parameter, v.omega), v.source, v.evidence, v.note)
            for v in DEFAULT_IIV
        )


def calibrated_parameters() -> dict[str, Any]:
    """The packaged calibration result (``lupuscart/data/calibrated_parameters.json``; empty if absent).

    Keys: ``typical`` (model parameter → fitted typical value), ``targets``, ``fit`` (how it was obtained).
    Read through :func:`lupuscart.model.calibration_record`, which the journey uses as its default parameter set.
    """
    return calibration_record()


def _draw(rng: np.random.Generator, c: Continuous) -> float:
    """Inverse-transform draw of a truncated normal / log-normal covariate (one uniform per draw)."""
    if c.spread == 0 or c.min == c.max:
        return float(min(max(c.center, c.min), c.max))
    if c.distribution == "lognormal":
        mu, lo, hi = math.log(c.center), math.log(c.min), math.log(c.max)
    else:
        mu, lo, hi = c.center, c.min, c.max
    a, b = ndtr((lo - mu) / c.spread), ndtr((hi - mu) / c.spread)
    x = mu + c.spread * float(ndtri(a + (b - a) * rng.random()))
    x = min(max(x, lo), hi)
    return math.exp(x) if c.distribution == "lognormal" else x


def _categorical(rng: np.random.Generator, shares: tuple[float, ...]) -> int:
    """One draw of a category with probabilities ``shares``: the same single uniform, and the same result, as
    ``rng.choice(len(shares), p=shares)`` (inverse of the cumulative shares), without its per-call overhead."""
    cdf = np.cumsum(shares)
    return int(np.searchsorted(cdf / cdf[-1], rng.random(), side="right"))


def _candidate(rng: np.random.Generator, s: CovariateSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """One candidate patient: (patient config section, extra covariates)."""
    female = bool(rng.random() < s.female_probability)
    weight = _draw(rng, s.weight_kg) * (1.0 if female else s.male_weight_factor)
    height = _draw(rng, s.height_cm) + (0.0 if female else s.male_height_offset_cm)
    cls = ("III", "IV", "III/V")[
        _categorical(rng, (s.nephritis.class_iii, s.nephritis.class_iv, s.nephritis.class_iii_v))
    ]
    lo, hi = s.proteinuria_range_g_24h
    prot = _draw(
        rng,
        Continuous(
            distribution="lognormal",
            center=float(np.clip(s.nephritis.proteinuria_median_g_24h[cls], lo, hi)),
            spread=s.proteinuria_spread,
            min=lo,
            max=hi,
        ),
    )
    chronic = prot * _draw(rng, s.proteinuria_chronic_fraction) * (1.5 if cls == "III/V" else 1.0)

    def present(p: float) -> bool:
        return bool(rng.random() < p)

    lymphocytes = _draw(rng, s.lymphocytes_10e9_l)
    b_cells = min(_draw(rng, s.b_cells_per_ul), 0.5 * lymphocytes * 1000.0)
    manifestations = {
        "proteinuria_g_24h": prot,
        "proteinuria_chronic_g_24h": min(chronic, prot, s.proteinuria_chronic_max_g_24h),
        "hematuria_rbc_per_hpf": _draw(rng, s.hematuria_rbc_per_hpf) if present(s.hematuria_probability) else 2.0,
        "pyuria_wbc_per_hpf": _draw(rng, s.pyuria_wbc_per_hpf) if present(s.pyuria_probability) else 2.0,
        "urinary_casts": 1.0 if present(s.casts_probability) else 0.0,
        "arthritis_joints": float(round(_draw(rng, s.arthritis_joints))) if present(s.arthritis_probability) else 0.0,
        "rash": 1.0 if present(s.rash_probability) else 0.0,
        "alopecia": 1.0 if present(s.alopecia_probability) else 0.0,
        "mucosal_ulcers": 1.0 if present(s.mucosal_ulcers_probability) else 0.0,
        "pleurisy": 1.0 if present(s.pleurisy_probability) else 0.0,
        "pericarditis": 1.0 if present(s.pericarditis_probability) else 0.0,
        "platelets_10e9_l": 70.0 if present(s.thrombocytopenia_probability) else 250.0,
        "fever_c": 1.5 if present(s.fever_probability) else 0.0,
    }
    patient = {
        "weight_kg": float(np.clip(weight, 25.0, 250.0)),
        "height_cm": float(np.clip(height, 100.0, 230.0)),
        "age_years": _draw(rng, s.age_years),
        "sex": "female" if female else "male",
        "egfr_ml_min": _draw(rng, s.egfr_ml_min),
        "anc_10e9_l": _draw(rng, s.anc_10e9_l),
        "anti_dsdna_iu_ml": _draw(rng, s.anti_dsdna_iu_ml),
        "c3_g_l": _draw(rng, s.c3_g_l),
        "igg_g_l": _draw(rng, s.igg_g_l),
        "prednisone_mg_per_day": _draw(rng, s.prednisone_mg_per_day),
        "b_cells_per_ul": b_cells,
        "t_cells_per_ul": max(50.0, lymphocytes * 1000.0 - b_cells),
        "pga": _draw(rng, s.pga),
        "manifestations": manifestations,
    }
    extra = {"nephritis_class": cls, "lymphocytes_10e9_l": lymphocytes}
    return patient, extra


@dataclass(frozen=True)
class VirtualPatient:
    """One sampled patient: the ``patient`` section, IIV η, the scaled typical values, and the journey seed."""

    index: int
    journey_seed: int
    patient: dict[str, Any]
    covariates: dict[str, Any]
    eta: dict[str, float]

    def row(self) -> dict[str, Any]:
        """Flat covariate row (for the trial's patients table)."""
        m = self.patient["manifestations"]
        out = {k: v for k, v in self.patient.items() if k != "manifestations"}
        out.update({f"baseline_{k}": v for k, v in m.items()})
        out.update(self.covariates)
        out.update({f"eta_{k}": v for k, v in self.eta.items()})
        return out


def sample_patient(index: int, seed: int, spec: PopulationSpec | None = None) -> VirtualPatient:
    """Sample patient ``index`` of the population with ``seed`` (independent of all other patients).

    Examples
    --------
    >>> a = sample_patient(3, seed=42)
    >>> b = sample_patient(3, seed=42)
    >>> a == b, a.covariates["screening_sledai2k"] >= 8
    (True, True)
    """
    return sample_patients([index], seed, spec)[0]


def sample_patients(indices: Sequence[int], seed: int, spec: PopulationSpec | None = None) -> list[VirtualPatient]:
    """Sample the patients ``indices`` of the population with ``seed``; each is what :func:`sample_patient` gives.

    Candidates are drawn from each patient's own stream until one is eligible, as for one patient; only the
    screening SLEDAI-2K of each round of candidates is scored in one vectorised call.
    """
    spec = spec or PopulationSpec()
    bad = [i for i in indices if i < 0]
    if bad:
        raise InvalidConfigError(f"patient index must be non-negative; got {bad[0]}")
    streams = [np.random.SeedSequence([seed, i]).spawn(3) for i in indices]
    rngs = [np.random.default_rng(cov) for cov, _, _ in streams]
    chosen: dict[int, tuple[dict[str, Any], dict[str, Any], int]] = {}
    pending = list(range(len(indices)))
    for _ in range(spec.eligibility.max_tries):
        if not pending:
            break
        candidates = [_candidate(rngs[k], spec.covariates) for k in pending]
        scores = screening_sledai2k_many([patient for patient, _ in candidates])
        still = []
        for k, (patient, extra), score in zip(pending, candidates, scores, strict=True):
            if is_eligible(patient, spec.eligibility, sledai2k=int(score)):
                chosen[k] = (patient, extra, int(score))
            else:
                still.append(k)
        pending = still
    if pending:
        raise InvalidConfigError(
            f"invalid configuration: population: no eligible patient in {spec.eligibility.max_tries} candidates; "
            "the covariate ranges and population.eligibility criteria (min_sledai2k, require_nephritis, "
            "require_anti_dsdna, min_egfr_ml_min) exclude (nearly) everyone"
        )
    iiv = spec.iiv()
    chol = _cholesky(iiv)
    out = []
    for k, index in enumerate(indices):
        patient, extra, score = chosen[k]
        extra["bsa_m2"] = mosteller_bsa_m2(patient["weight_kg"], patient["height_cm"])
        extra["screening_sledai2k"] = score
        eta = sample_eta(np.random.default_rng(streams[k][1]), iiv, DEFAULT_CORRELATIONS, cholesky=chol)
        journey_seed = int(streams[k][2].generate_state(1, dtype=np.uint32)[0])
        out.append(VirtualPatient(index, journey_seed, patient, extra, eta))
    return out


def _cholesky(iiv: tuple[Variability, ...]) -> FloatArray:
    return np.asarray(np.linalg.cholesky(correlation_matrix(iiv, DEFAULT_CORRELATIONS)), dtype=float)


def sample_population(n: int, seed: int, spec: PopulationSpec | None = None) -> list[VirtualPatient]:
    """Sample ``n`` eligible virtual patients reproducibly from ``seed``.

    Raises
    ------
    InvalidConfigError
        If ``n`` is not positive, or the criteria exclude (nearly) every candidate.

    Examples
    --------
    >>> pop = sample_population(20, seed=1)
    >>> len(pop), all(18 <= p.patient["age_years"] <= 60 for p in pop)
    (20, True)
    """
    if n <= 0:
        raise InvalidConfigError(f"the number of patients must be positive; got {n}")
    spec = spec or PopulationSpec()
    return sample_patients(range(n), seed, spec)


#: Covariate effects on typical values (power model θ·(x/x_ref)^β, tag E): parameter -> (patient field, x_ref, β).
#: A higher anti-dsDNA titre means more autoreactive B in lymphoid tissue (a larger autoimmune burden).
COVARIATE_EFFECTS: dict[str, tuple[str, float, float]] = {
    "auto_capacity_cells": ("anti_dsdna_iu_ml", 200.0, 0.5),
}


def individual_parameters(
    vp: VirtualPatient, typical_overrides: dict[str, float] | None = None, calibrated: bool = True
) -> dict[str, float]:
    """Model-parameter overrides of one patient: typical values × exp(η), plus the covariate scalings.

    Typical values: model default < packaged calibration (if ``calibrated``) < ``typical_overrides`` (an arm's
    ``model_parameters``); then × exp(η) and the covariate effects (``COVARIATE_EFFECTS``). Values are clipped
    to the parameters' bounds. (Baseline B and T cells enter through
    the ``patient`` section, which scales the marrow precursor input and the T-cell capacity.)
    """
    defs = _parameters()
    typical: dict[str, float] = {}
    if calibrated:
        typical.update({k: float(v) for k, v in calibrated_parameters().get("typical", {}).items()})
    typical.update(typical_overrides or {})
    out = dict(typical)
    for name, e in vp.eta.items():
        out[name] = typical.get(name, defs[name].value) * math.exp(e)
    for name, (field, reference, exponent) in COVARIATE_EFFECTS.items():
        if field in vp.patient:  # a patient section without the covariate (a digital twin's) keeps the typical value
            out[name] = out.get(name, defs[name].value) * (float(vp.patient[field]) / reference) ** exponent
    return {k: float(min(max(v, defs[k].lower), defs[k].upper)) for k, v in out.items()}


@cache
def _parameters() -> dict[str, Parameter]:
    """The default model's parameter declarations by name (looked up for every sampled patient)."""
    return {p.name: p for p in default_model().definition.parameters}


def to_config(vp: VirtualPatient, base: dict[str, Any] | None = None, calibrated: bool = True) -> SimulationConfig:
    """The simulation configuration of a sampled patient under a protocol ``base`` (sections except ``patient``).

    >>> cfg = to_config(sample_patient(0, seed=7), {"product": {"dose_per_kg": 1e5}})
    >>> cfg.product.dose_per_kg, cfg.patient == to_config(sample_patient(0, seed=7)).patient
    (100000.0, True)
    """
    data = dict(base or {})
    typical = dict(data.pop("model_parameters", {}) or {})
    data["patient"] = vp.patient
    data["model_parameters"] = individual_parameters(vp, typical, calibrated)
    if not calibrated:
        data["parameter_set"] = "starting"
    return SimulationConfig.model_validate(data)
