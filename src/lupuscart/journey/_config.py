"""The simulation configuration: patient, protocol and follow-up, validated strictly.

Every field has a unit in its name, a default (the embedded Erlangen-like protocol and a typical patient of the
Mackensen 2022 cohort) and a range. Unknown keys are refused with their dotted path; cross-field rules (follow-up
long enough, C3 below normal, chronic proteinuria not above baseline) are checked explicitly. Errors surface as
:class:`~lupuscart.exceptions.InvalidConfigError` naming the field, what is allowed and what came in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._config_io import read_mapping, validation_message
from ..exceptions import InvalidConfigError
from ..model import default_model
from ._regimens import PRODUCTS, REGIMENS

_STRICT = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class ManifestationProfile(BaseModel):
    """Baseline lupus manifestations (which organs are involved, how severely). Defaults: lupus nephritis with
    arthritis and active serology, SLEDAI-2K 16 (the cohort median, Mackensen 2022)."""

    model_config = _STRICT
    proteinuria_g_24h: float = Field(1.5, ge=0, le=20)
    proteinuria_chronic_g_24h: float = Field(0.15, ge=0, le=20)
    hematuria_rbc_per_hpf: float = Field(12.0, ge=0, le=500)
    pyuria_wbc_per_hpf: float = Field(2.0, ge=0, le=500)
    urinary_casts: float = Field(0.0, ge=0, le=1, description="severity 0-1 (present above 0.5)")
    arthritis_joints: float = Field(4.0, ge=0, le=68)
    rash: float = Field(0.0, ge=0, le=1)
    alopecia: float = Field(0.0, ge=0, le=1)
    mucosal_ulcers: float = Field(0.0, ge=0, le=1)
    pleurisy: float = Field(0.0, ge=0, le=1)
    pericarditis: float = Field(0.0, ge=0, le=1)
    platelets_10e9_l: float = Field(250.0, gt=0, le=1000)
    fever_c: float = Field(0.0, ge=0, le=4, description="lupus fever above 37 degC")

    @model_validator(mode="after")
    def _chronic_below_baseline(self) -> ManifestationProfile:
        if self.proteinuria_chronic_g_24h > self.proteinuria_g_24h:
            raise ValueError(
                f"proteinuria_chronic_g_24h ({self.proteinuria_chronic_g_24h}) must not exceed proteinuria_g_24h "
                f"({self.proteinuria_g_24h})"
            )
        return self


class PatientConfig(BaseModel):
    """The patient: body size, renal function, baseline labs and manifestations."""

    model_config = _STRICT
    weight_kg: float = Field(70.0, ge=25, le=250)
    height_cm: float = Field(170.0, ge=100, le=230)
    age_years: float = Field(22.0, ge=12, le=100)
    sex: Literal["female", "male"] = "female"
    egfr_ml_min: float = Field(100.0, ge=5, le=200)
    anc_10e9_l: float = Field(3.5, gt=0, le=30)
    anti_dsdna_iu_ml: float = Field(200.0, gt=0, le=1e5)
    c3_g_l: float = Field(0.6, gt=0, le=3)
    igg_g_l: float = Field(12.0, gt=0, le=60)
    t_cells_per_ul: float = Field(1000.0, ge=50, le=5000, description="T cells in blood before treatment")
    b_cells_per_ul: float | None = Field(
        None, ge=1, le=2000, description="CD19+ B cells in blood before treatment (None: the model's 64/uL)"
    )
    prednisone_mg_per_day: float = Field(10.0, ge=0, le=100, description="at screening, tapered in washout")
    pga: float = Field(2.0, ge=0, le=3, description="physician global assessment at screening (0-3)")
    manifestations: ManifestationProfile = ManifestationProfile()


class LabConfig(BaseModel):
    """Laboratory reference limits used when scoring serology (assay-dependent; the defaults are common ones)."""

    model_config = _STRICT
    c3_lln_g_l: float = Field(0.9, gt=0, le=3)
    anti_dsdna_uln_iu_ml: float = Field(30.0, gt=0, le=1e4)
    igg_lln_g_l: float = Field(7.0, gt=0, le=30, description="lower limit of normal of serum IgG")


class WashoutConfig(BaseModel):
    """Stopping background immunosuppressants before apheresis; prednisone tapered to zero by infusion."""

    model_config = _STRICT
    days: int = Field(14, ge=0, le=180, description="immunosuppressants stopped this many days before apheresis")


class ApheresisConfig(BaseModel):
    """Leukapheresis: the T-cell yield depends on the blood T-cell count (model.md B2)."""

    model_config = _STRICT
    processed_blood_l: float = Field(12.0, gt=0, le=40, description="blood volume processed (2-3 blood volumes)")
    collection_efficiency: float = Field(0.5, gt=0, le=1, description="share of passing T cells collected")
    minimum_t_cells: float = Field(
        1e9, gt=0, le=1e11, description="T cells below which manufacturing is likely to fail"
    )


class ManufacturingConfig(BaseModel):
    """Autologous manufacturing after apheresis (2-4 weeks; may fail)."""

    model_config = _STRICT
    days: int = Field(21, ge=1, le=120)
    failure_probability: float = Field(0.03, ge=0, le=1)


class ProductConfig(BaseModel):
    """The CAR T product and its dose."""

    model_config = _STRICT
    name: str = "cd19"
    dose_per_kg: float = Field(1e6, gt=0, le=1e9, description="CAR T cells per kg")

    @field_validator("name")
    @classmethod
    def _known_product(cls, v: str) -> str:
        if v not in PRODUCTS:
            raise ValueError(f"unknown product {v!r}; allowed: {sorted(PRODUCTS)}")
        return v


class LymphodepletionConfig(BaseModel):
    """The lymphodepletion regimen, by name."""

    model_config = _STRICT
    regimen: str = "erlangen"

    @field_validator("regimen")
    @classmethod
    def _known_regimen(cls, v: str) -> str:
        if v not in REGIMENS:
            raise ValueError(f"unknown regimen {v!r}; allowed: {sorted(REGIMENS)}")
        return v


class MonitoringConfig(BaseModel):
    """Inpatient monitoring after infusion and the window in which CRS/ICANS are assessed and managed."""

    model_config = _STRICT
    inpatient_days: int = Field(10, ge=0, le=60)
    assessment_interval_hours: float = Field(6.0, ge=1, le=24)
    assessment_window_days: int = Field(28, ge=1, le=90)


class IggReplacementConfig(BaseModel):
    """IgG replacement: every ``check_every_days`` after infusion, give ``dose_g_per_kg`` of immunoglobulin when
    serum IgG is below ``threshold_g_l`` (``policy: none`` switches it off)."""

    model_config = _STRICT
    policy: Literal["threshold", "none"] = "threshold"
    threshold_g_l: float = Field(4.0, gt=0, le=20, description="serum IgG below which immunoglobulin is given")
    dose_g_per_kg: float = Field(0.4, gt=0, le=2, description="immunoglobulin dose per infusion")
    check_every_days: int = Field(28, ge=7, le=365, description="interval between IgG checks after infusion")


class ManagementConfig(BaseModel):
    """Toxicity management policies (ASCO 2021, clinical-instruments.md D7.1-D7.2) and IgG replacement."""

    model_config = _STRICT
    tocilizumab: Literal["asco", "prophylactic", "none"] = "asco"
    steroids: Literal["asco", "none"] = "asco"
    igg_replacement: IggReplacementConfig = IggReplacementConfig()


#: The standard visit schedule (days after infusion), cut to the follow-up when none is given.
STANDARD_VISIT_DAYS: tuple[int, ...] = (7, 14, 28, 60, 90, 180, 270, 365, 540, 730, 900, 1095)


class FollowupConfig(BaseModel):
    """Follow-up after infusion and the visit schedule (days after infusion).

    Without ``visit_days`` the standard schedule (:data:`STANDARD_VISIT_DAYS`) is used up to the end of
    follow-up; visit days given explicitly must all fall within it (none is dropped silently).
    """

    model_config = _STRICT
    days: int = Field(1095, ge=30, le=3650)
    visit_days: tuple[int, ...] = Field(
        STANDARD_VISIT_DAYS, description="visit days after infusion (default: the standard schedule up to `days`)"
    )

    @field_validator("visit_days")
    @classmethod
    def _positive_sorted(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(d <= 0 for d in v):
            raise ValueError("visit days must be positive (days after infusion)")
        return tuple(sorted(set(v)))

    @model_validator(mode="after")
    def _within_followup(self) -> FollowupConfig:
        late = [d for d in self.visit_days if d > self.days]
        if late and "visit_days" in self.model_fields_set:
            raise ValueError(
                f"visit_days: {late[:5]}{' ...' if len(late) > 5 else ''} fall after the end of follow-up "
                f"(followup.days {self.days}); remove them or lengthen followup.days"
            )
        if late:  # the standard schedule, cut to this follow-up (still "not given": a later --days re-extends it)
            object.__setattr__(self, "visit_days", tuple(d for d in self.visit_days if d <= self.days))
        return self


class SimulationConfig(BaseModel):
    """One patient's simulation: who, which protocol, how long. All sections optional (defaults)."""

    model_config = _STRICT
    patient: PatientConfig = PatientConfig()
    labs: LabConfig = LabConfig()
    washout: WashoutConfig = WashoutConfig()
    apheresis: ApheresisConfig = ApheresisConfig()
    manufacturing: ManufacturingConfig = ManufacturingConfig()
    product: ProductConfig = ProductConfig()
    lymphodepletion: LymphodepletionConfig = LymphodepletionConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    management: ManagementConfig = ManagementConfig()
    followup: FollowupConfig = FollowupConfig()
    parameter_set: Literal["calibrated", "starting"] = Field(
        "calibrated",
        description="calibrated: model.md values with the packaged calibration (tag C) on top; starting: model.md",
    )
    model_parameters: dict[str, float] = Field(
        default_factory=dict, description="expert overrides of model parameters by name (see the model tables)"
    )

    @model_validator(mode="after")
    def _known_model_parameters(self) -> SimulationConfig:
        """Every override names a model parameter and stays within its bounds (checked wherever a configuration
        is built: files, trial arms, sampled virtual patients)."""
        params = {p.name: p for p in default_model().definition.parameters}
        for name, value in self.model_parameters.items():
            if name not in params:
                raise ValueError(f"model_parameters.{name}: unknown model parameter")
            p = params[name]
            if not p.lower <= value <= p.upper:
                raise ValueError(f"model_parameters.{name}: must be in [{p.lower}, {p.upper}] ({p.unit}); got {value}")
        return self

    @model_validator(mode="after")
    def _cross_field(self) -> SimulationConfig:
        if self.followup.days < self.monitoring.assessment_window_days:
            raise ValueError(
                f"followup.days ({self.followup.days}) must be at least monitoring.assessment_window_days "
                f"({self.monitoring.assessment_window_days})"
            )
        return self


def with_followup_days(config: SimulationConfig, days: int) -> SimulationConfig:
    """``config`` with ``followup.days`` replaced (``simulate --days``); a standard visit schedule follows the new
    follow-up, explicit visit days must still fall within it.

    >>> with_followup_days(load_config({"followup": {"days": 400}}), 120).followup.visit_days
    (7, 14, 28, 60, 90)
    """
    data = config.model_dump(exclude_unset=True)
    data.setdefault("followup", {})["days"] = days
    return load_config(data)


def load_config(source: str | Path | dict[str, Any] | None = None) -> SimulationConfig:
    """Validate a configuration from a YAML file path, a mapping, or ``None`` (the embedded defaults).

    Raises
    ------
    InvalidConfigError
        Naming the dotted path of each bad field, what is allowed and what came in.

    Examples
    --------
    >>> load_config({"product": {"dose_per_kg": 1e5}}).product.dose_per_kg
    100000.0
    >>> load_config({"product": {"dose_per_kg": -1}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidConfigError: invalid configuration: product.dose_per_kg: Input should be greater ...
    """
    data, origin = read_mapping(source, "configuration")
    try:
        config = SimulationConfig.model_validate(data)
    except ValidationError as exc:
        raise InvalidConfigError(validation_message(exc, "configuration", origin)) from None
    return config
