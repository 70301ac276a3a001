"""Covariate model of the virtual population: who the patients of a refractory lupus nephritis trial are.

Each continuous covariate is a truncated normal or log-normal distribution with a centre (mean, or median for
log-normal), a spread (SD, or SD of the log) and a range; each binary manifestation is present with a probability.
The defaults describe the calibration cohort (Mackensen 2022: 5 patients, 4 female, median age 22 (18-24), lupus
nephritis class III, IV or III/V in all, SLEDAI-2K median 16 (8-16)) widened to what such a trial would enrol.
Every default number is listed in :data:`COVARIATE_PARAMETERS` with unit, source and evidence tag (``R`` read,
``L`` textbook, ``E`` estimate), in the same form as the model's parameters.

A range that cannot be sampled (``min > max``, a centre outside the range, bounds beyond what the simulation
accepts, e.g. weight above 250 kg) is refused with the dotted path of the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..journey._config import ManifestationProfile, PatientConfig
from ..model import Parameter

_STRICT = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _field_bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The inclusive/exclusive bounds a journey configuration field accepts (read from its pydantic metadata)."""
    lo, hi = float("-inf"), float("inf")
    for m in model.model_fields[name].metadata:
        for attr in ("ge", "gt"):
            if hasattr(m, attr):
                lo = float(getattr(m, attr))
        for attr in ("le", "lt"):
            if hasattr(m, attr):
                hi = float(getattr(m, attr))
    return lo, hi


class Continuous(BaseModel):
    """A truncated normal (``center`` = mean, ``spread`` = SD) or log-normal (``center`` = median, ``spread`` = SD of
    the natural log) covariate, sampled within ``[min, max]`` by inverse transform."""

    model_config = _STRICT
    distribution: Literal["normal", "lognormal"] = "normal"
    center: float
    spread: float = Field(ge=0)
    min: float
    max: float

    @model_validator(mode="after")
    def _range(self) -> Continuous:
        if not self.min <= self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        if not self.min <= self.center <= self.max:
            raise ValueError(f"center ({self.center}) must lie within [min, max] = [{self.min}, {self.max}]")
        if self.distribution == "lognormal" and self.min <= 0:
            raise ValueError(f"a log-normal covariate needs min > 0; got min = {self.min}")
        return self


def _c(dist: Literal["normal", "lognormal"], center: float, spread: float, lo: float, hi: float) -> Continuous:
    return Continuous(distribution=dist, center=center, spread=spread, min=lo, max=hi)


class NephritisClass(BaseModel):
    """Share of ISN/RPS lupus nephritis classes and the proteinuria median (g/24 h) of each class."""

    model_config = _STRICT
    class_iii: float = Field(0.4, ge=0, le=1)
    class_iv: float = Field(0.4, ge=0, le=1)
    class_iii_v: float = Field(0.2, ge=0, le=1)
    proteinuria_median_g_24h: dict[str, float] = Field(default_factory=lambda: {"III": 1.2, "IV": 1.6, "III/V": 2.0})

    @model_validator(mode="after")
    def _sums_to_one(self) -> NephritisClass:
        total = self.class_iii + self.class_iv + self.class_iii_v
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"class shares must sum to 1; got {total:g}")
        if set(self.proteinuria_median_g_24h) != {"III", "IV", "III/V"}:
            raise ValueError("proteinuria_median_g_24h needs exactly the classes III, IV and III/V")
        if any(v <= 0 for v in self.proteinuria_median_g_24h.values()):
            raise ValueError("proteinuria medians must be positive")
        return self


class CovariateSpec(BaseModel):
    """Distributions of the patient covariates and the baseline manifestation profile (defaults: see module)."""

    model_config = _STRICT
    female_probability: float = Field(0.8, ge=0, le=1)
    age_years: Continuous = _c("normal", 26.0, 7.0, 18.0, 60.0)
    weight_kg: Continuous = _c("lognormal", 65.0, 0.18, 40.0, 130.0)
    male_weight_factor: float = Field(1.15, gt=0, le=3)
    height_cm: Continuous = _c("normal", 165.0, 7.0, 145.0, 200.0)
    male_height_offset_cm: float = Field(13.0, ge=-50, le=50)
    egfr_ml_min: Continuous = _c("normal", 95.0, 20.0, 40.0, 150.0)
    lymphocytes_10e9_l: Continuous = _c("lognormal", 1.0, 0.35, 0.3, 3.0)
    b_cells_per_ul: Continuous = _c("lognormal", 80.0, 0.45, 15.0, 400.0)
    anc_10e9_l: Continuous = _c("lognormal", 3.8, 0.3, 1.5, 12.0)
    anti_dsdna_iu_ml: Continuous = _c("lognormal", 200.0, 0.8, 31.0, 5000.0)
    c3_g_l: Continuous = _c("normal", 0.65, 0.15, 0.3, 1.05)
    igg_g_l: Continuous = _c("normal", 11.0, 3.0, 5.0, 25.0)
    prednisone_mg_per_day: Continuous = _c("normal", 10.0, 4.0, 0.0, 30.0)
    pga: Continuous = _c("normal", 2.0, 0.4, 1.0, 3.0)
    nephritis: NephritisClass = NephritisClass()
    proteinuria_spread: float = Field(0.4, ge=0, le=2, description="SD of log proteinuria around the class median")
    proteinuria_range_g_24h: tuple[float, float] = (0.6, 6.0)
    proteinuria_chronic_fraction: Continuous = _c("normal", 0.08, 0.04, 0.0, 0.2)
    proteinuria_chronic_max_g_24h: float = Field(
        0.4, ge=0, le=20, description="cap of residual (scar) proteinuria: above 0.5 g/24 h DORIS is unreachable"
    )
    hematuria_probability: float = Field(0.85, ge=0, le=1)
    hematuria_rbc_per_hpf: Continuous = _c("lognormal", 12.0, 0.5, 6.0, 100.0)
    pyuria_probability: float = Field(0.15, ge=0, le=1)
    pyuria_wbc_per_hpf: Continuous = _c("lognormal", 10.0, 0.4, 6.0, 60.0)
    casts_probability: float = Field(0.1, ge=0, le=1)
    arthritis_probability: float = Field(0.6, ge=0, le=1)
    arthritis_joints: Continuous = _c("lognormal", 4.0, 0.4, 2.0, 20.0)
    rash_probability: float = Field(0.25, ge=0, le=1)
    alopecia_probability: float = Field(0.15, ge=0, le=1)
    mucosal_ulcers_probability: float = Field(0.15, ge=0, le=1)
    pleurisy_probability: float = Field(0.1, ge=0, le=1)
    pericarditis_probability: float = Field(0.05, ge=0, le=1)
    thrombocytopenia_probability: float = Field(0.1, ge=0, le=1)
    fever_probability: float = Field(0.05, ge=0, le=1)

    @model_validator(mode="after")
    def _within_simulation_bounds(self) -> CovariateSpec:
        checks: dict[str, tuple[type[BaseModel], str]] = {
            "age_years": (PatientConfig, "age_years"),
            "weight_kg": (PatientConfig, "weight_kg"),
            "height_cm": (PatientConfig, "height_cm"),
            "egfr_ml_min": (PatientConfig, "egfr_ml_min"),
            "anc_10e9_l": (PatientConfig, "anc_10e9_l"),
            "anti_dsdna_iu_ml": (PatientConfig, "anti_dsdna_iu_ml"),
            "c3_g_l": (PatientConfig, "c3_g_l"),
            "igg_g_l": (PatientConfig, "igg_g_l"),
            "prednisone_mg_per_day": (PatientConfig, "prednisone_mg_per_day"),
            "pga": (PatientConfig, "pga"),
            "b_cells_per_ul": (PatientConfig, "b_cells_per_ul"),
            "hematuria_rbc_per_hpf": (ManifestationProfile, "hematuria_rbc_per_hpf"),
            "pyuria_wbc_per_hpf": (ManifestationProfile, "pyuria_wbc_per_hpf"),
            "arthritis_joints": (ManifestationProfile, "arthritis_joints"),
        }
        for name, (model, field) in checks.items():
            cov: Continuous = getattr(self, name)
            lo, hi = _field_bounds(model, field)
            if cov.min < lo or cov.max > hi:
                raise ValueError(
                    f"{name}: range [{cov.min}, {cov.max}] is impossible; the simulation accepts [{lo}, {hi}]"
                )
        plo, phi = self.proteinuria_range_g_24h
        if not 0 < plo <= phi <= 20:
            raise ValueError(f"proteinuria_range_g_24h must satisfy 0 < min <= max <= 20; got ({plo}, {phi})")
        return self


P = Parameter
#: Every default number of :class:`CovariateSpec`, documented like the model's parameters.
COVARIATE_PARAMETERS: tuple[Parameter, ...] = (
    P("female_probability", 0.8, "1", "share of women (4 of 5 in the cohort; about 90 % in SLE)", "Mackensen2022", "R"),
    P("age_median_years", 26.0, "y", "age mean; cohort median 22 (18-24), trials enrol 18-60", "Mackensen2022", "E"),
    P("weight_median_kg", 65.0, "kg", "body weight median of young women (x1.15 for men)", "textbook", "L"),
    P("height_mean_cm", 165.0, "cm", "height of young women (+13 cm for men)", "textbook", "L"),
    P("egfr_mean_ml_min", 95.0, "mL/min", "eGFR in active nephritis with preserved function", "expert", "E"),
    P(
        "lymphocytes_median_10e9_l",
        1.0,
        "1e9/L",
        "lymphocytes on immunosuppression (lymphopenia common)",
        "expert",
        "E",
    ),
    P(
        "b_cells_median_per_ul",
        80.0,
        "cells/uL",
        "CD19+ B cells on immunosuppression (prior 50-200)",
        "mackensen_md",
        "E",
    ),
    P("anti_dsdna_median_iu_ml", 200.0, "IU/mL", "anti-dsDNA at screening (all positive)", "Mackensen2022", "E"),
    P("c3_mean_g_l", 0.65, "g/L", "C3 in active nephritis (below the 0.9 g/L limit)", "expert", "E"),
    P("proteinuria_median_iv_g_24h", 1.6, "g/24h", "proteinuria median in class IV nephritis", "expert", "E"),
    P(
        "class_shares",
        0.4,
        "1",
        "shares III 0.4, IV 0.4, III/V 0.2 (cohort: III, IV or III/V in 5/5)",
        "Mackensen2022",
        "E",
    ),
    P(
        "proteinuria_chronic_max_g_24h",
        0.4,
        "g/24h",
        "residual proteinuria cap; 5/5 reached DORIS (clinical SLEDAI 0 needs <= 0.5 g/24h)",
        "Mackensen2022",
        "E",
    ),
    P("hematuria_probability", 0.85, "1", "active urinary sediment in proliferative nephritis", "expert", "E"),
    P("arthritis_probability", 0.6, "1", "arthritis at screening in refractory SLE", "expert", "E"),
    P("rash_probability", 0.25, "1", "inflammatory rash at screening", "expert", "E"),
)
