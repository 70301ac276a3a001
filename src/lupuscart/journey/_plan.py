"""From a configuration to a patient's plan: model parameters, the scheduled doses and the journey timeline.

Day 0 is the CAR T infusion. Working backwards: lymphodepletion on the regimen's days; the product is released two
days before lymphodepletion starts; apheresis is ``manufacturing.days`` before release; background
immunosuppressants are stopped ``washout.days`` before apheresis, which is the journey's first day (the first row
of ``timecourse.csv`` and SBML time 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .._typing import FloatArray
from ..engine import Dose
from ..exceptions import InvalidConfigError
from ..model import CompiledModel, calibrated_values, default_model
from ._config import SimulationConfig
from ._hazards import journey_values
from ._regimens import PRODUCTS, REGIMENS

#: Days between product release and the first lymphodepletion dose (logistics; an assumption).
RELEASE_TO_LYMPHODEPLETION_DAYS = 2
#: First lymphodepletion day used for scheduling when the regimen has no chemotherapy.
DEFAULT_FIRST_LD_DAY = -5

#: Configuration fields that set model parameters (patient field path -> model parameter).
PATIENT_PARAMETERS: dict[str, str] = {
    "patient.weight_kg": "weight_kg",
    "patient.egfr_ml_min": "egfr_ml_min",
    "patient.anc_10e9_l": "anc_baseline_10e9_l",
    "patient.anti_dsdna_iu_ml": "anti_dsdna_baseline_iu_ml",
    "patient.c3_g_l": "c3_baseline_g_l",
    "patient.igg_g_l": "igg_baseline_g_l",
    "patient.manifestations.proteinuria_g_24h": "proteinuria_baseline_g_24h",
    "patient.manifestations.proteinuria_chronic_g_24h": "proteinuria_chronic_g_24h",
    "patient.manifestations.hematuria_rbc_per_hpf": "hematuria_baseline_rbc_hpf",
    "patient.manifestations.pyuria_wbc_per_hpf": "pyuria_baseline_wbc_hpf",
    "patient.manifestations.urinary_casts": "urinary_casts_severity",
    "patient.manifestations.arthritis_joints": "arthritis_baseline_joints",
    "patient.manifestations.rash": "rash_severity",
    "patient.manifestations.alopecia": "alopecia_severity",
    "patient.manifestations.mucosal_ulcers": "mucosal_ulcers_severity",
    "patient.manifestations.pleurisy": "pleurisy_severity",
    "patient.manifestations.pericarditis": "pericarditis_severity",
    "patient.manifestations.platelets_10e9_l": "platelets_baseline_10e9_l",
    "patient.manifestations.fever_c": "sle_fever_baseline_c",
}


def mosteller_bsa_m2(weight_kg: float, height_cm: float) -> float:
    """Body surface area by Mosteller (1987): sqrt(height_cm × weight_kg / 3600).

    >>> round(mosteller_bsa_m2(70, 170), 3)
    1.818
    """
    return math.sqrt(height_cm * weight_kg / 3600.0)


@dataclass(frozen=True)
class JourneyEvent:
    """A step of the patient journey (day relative to infusion)."""

    day: float
    kind: str
    detail: str


@dataclass(frozen=True)
class PatientPlan:
    """Everything needed to simulate one configured patient before anything random happens."""

    config: SimulationConfig
    parameters: dict[str, float]
    full_parameters: FloatArray
    doses: tuple[Dose, ...]
    timeline: tuple[JourneyEvent, ...]
    t_start: float
    t_end: float
    bsa_m2: float
    car_t_dose_cells: float
    model_fingerprint: str
    journey_values: dict[str, float]

    @property
    def visit_days(self) -> tuple[int, ...]:
        return tuple(d for d in self.config.followup.visit_days if d <= self.t_end)


@lru_cache(maxsize=4)
def _default_b_cells_per_ul(model: CompiledModel) -> tuple[float, float]:
    """Blood B cells at the default steady state, and the autoreactive part of them.

    Naive and memory B scale linearly with the precursor input; the autoreactive pool sits near its niche
    capacity and barely moves, so the input is scaled on the non-autoreactive part only.
    """
    full = model.derive(model.base_vector())
    y0 = model.initial_state(full)
    total = float(model.observables(y0[:, None], full)["b_cells_per_ul"][0])
    per_ul = float(full[model.full_index["per_ul_of_blood"]])
    return total, float(y0[model.definition.state_index["b_autoreactive"]]) * per_ul


def apheresis_t_cells(config: SimulationConfig) -> float:
    """T cells collected at leukapheresis: blood count × processed volume × collection efficiency.

    >>> from lupuscart.journey import load_config
    >>> f"{apheresis_t_cells(load_config()):.2g}"
    '6e+09'
    """
    a = config.apheresis
    return config.patient.t_cells_per_ul * 1e6 * a.processed_blood_l * a.collection_efficiency


def manufacturing_failure_probability(config: SimulationConfig) -> float:
    """Failure probability: the configured base rate, rising linearly to 1 as the apheresis yield falls below
    ``apheresis.minimum_t_cells`` (an assumption, tag E; low yields after lymphotoxic therapy fail more often).

    >>> from lupuscart.journey import load_config
    >>> manufacturing_failure_probability(load_config())
    0.03
    """
    base = config.manufacturing.failure_probability
    shortfall = max(0.0, 1.0 - apheresis_t_cells(config) / config.apheresis.minimum_t_cells)
    return base + (1.0 - base) * shortfall


def _get(config: SimulationConfig, path: str) -> float:
    obj: object = config
    for part in path.split("."):
        obj = getattr(obj, part)
    assert isinstance(obj, float | int)
    return float(obj)


def _dose_event(d: Dose) -> JourneyEvent:
    """A dose from an event table as a journey event, named by what it is (infusion, lymphodepletion, drug)."""
    label = d.label or d.state
    if d.state.startswith("car_t"):
        return JourneyEvent(d.time_day, "infusion", f"{d.amount:.3g} CAR T cells ({label})")
    if d.state in {"flu_central_mg", "cy_mg"}:
        return JourneyEvent(d.time_day, "lymphodepletion", f"{label} {d.amount:.4g} mg")
    kind = {"toc_central_mg": "tocilizumab", "dex_mg": "dexamethasone"}.get(d.state, "dose")
    return JourneyEvent(d.time_day, kind, f"scheduled {label} {d.amount:.4g} mg")


def plan_patient(
    config: SimulationConfig, model: CompiledModel | None = None, *, doses: tuple[Dose, ...] | None = None
) -> PatientPlan:
    """Turn a validated configuration into model parameters, scheduled doses and the journey timeline.

    ``doses`` (e.g. read from an event table, :func:`lupuscart.io.read_event_table`) replace the protocol's
    lymphodepletion and CAR T doses — re-infusions, split doses, other lymphodepletion doses; the journey's
    logistics (washout, apheresis, manufacturing) still follow the configuration, and the timeline lists the
    given doses.
    """
    model = model or default_model()
    bsa = mosteller_bsa_m2(config.patient.weight_kg, config.patient.height_cm)
    overrides = calibrated_values() if config.parameter_set == "calibrated" else {}
    overrides.update({param: _get(config, path) for path, param in PATIENT_PARAMETERS.items()})
    overrides["bsa_m2"] = bsa
    defaults = model.definition.default_values
    per_ul = defaults["blood_fraction"] / defaults["blood_volume_ul"]
    overrides["t_capacity_cells"] = config.patient.t_cells_per_ul / per_ul
    if config.patient.b_cells_per_ul is not None:
        total, autoreactive = _default_b_cells_per_ul(model)
        overrides["b_precursor_input_cells_day"] = (
            defaults["b_precursor_input_cells_day"]
            * (config.patient.b_cells_per_ul - autoreactive)
            / (total - autoreactive)
        )
    overrides["product_bcma_activity"] = PRODUCTS[config.product.name].bcma_activity
    config_owned = {
        *PATIENT_PARAMETERS.values(),
        "bsa_m2",
        "product_bcma_activity",
        "t_capacity_cells",
        "b_precursor_input_cells_day",
    }
    for name in config.model_parameters:
        if name in config_owned:
            field = next((k for k, v in PATIENT_PARAMETERS.items() if v == name), "the product or patient section")
            raise InvalidConfigError(f"invalid configuration: model_parameters.{name}: set {field} instead")
    overrides.update(config.model_parameters)
    c3_normal = overrides.get("c3_normal_g_l", model.definition.default_values["c3_normal_g_l"])
    if overrides["c3_baseline_g_l"] >= c3_normal:
        raise InvalidConfigError(
            f"invalid configuration: patient.c3_g_l must be below the model's c3_normal_g_l ({c3_normal} g/L), "
            f"since complement consumption is derived from the difference (active disease); got "
            f"{overrides['c3_baseline_g_l']}"
        )
    full = model.derive(model.base_vector(overrides))

    regimen = REGIMENS[config.lymphodepletion.regimen]
    ld_days = sorted(set(regimen.fludarabine_days) | set(regimen.cyclophosphamide_days))
    first_ld = ld_days[0] if ld_days else DEFAULT_FIRST_LD_DAY
    release = first_ld - RELEASE_TO_LYMPHODEPLETION_DAYS
    apheresis = release - config.manufacturing.days
    washout = apheresis - config.washout.days
    car_t_cells = config.product.dose_per_kg * config.patient.weight_kg

    scheduled = [
        Dose(float(d), "flu_central_mg", regimen.fludarabine_mg_per_m2 * bsa, "fludarabine")
        for d in regimen.fludarabine_days
    ]
    scheduled += [
        Dose(float(d), "cy_mg", regimen.cyclophosphamide_mg_per_m2 * bsa, "cyclophosphamide")
        for d in regimen.cyclophosphamide_days
    ]
    scheduled.append(Dose(0.0, "car_t_effector", car_t_cells, f"CAR T infusion ({config.product.name})"))
    chosen = sorted(scheduled if doses is None else doses)

    timeline = [
        JourneyEvent(
            washout,
            "washout",
            f"background immunosuppressants stopped; prednisone "
            f"{config.patient.prednisone_mg_per_day:g} mg/day tapered to 0 by infusion",
        ),
        JourneyEvent(
            apheresis,
            "apheresis",
            f"leukapheresis: {apheresis_t_cells(config):.2g} T cells collected; manufacturing starts",
        ),
        JourneyEvent(release, "product_release", f"product released after {config.manufacturing.days} days"),
    ]
    if doses is None:
        timeline += [
            JourneyEvent(d.time_day, "lymphodepletion", f"{d.label} {d.amount:.0f} mg") for d in scheduled[:-1]
        ]
        timeline.append(
            JourneyEvent(0.0, "infusion", f"{car_t_cells:.3g} CAR T cells ({config.product.dose_per_kg:g}/kg)")
        )
    else:
        timeline += [_dose_event(d) for d in chosen]
    timeline.append(JourneyEvent(float(config.monitoring.inpatient_days), "discharge", "end of inpatient monitoring"))
    timeline += [
        JourneyEvent(float(d), "visit", f"follow-up visit day {d}")
        for d in config.followup.visit_days
        if d <= config.followup.days
    ]
    return PatientPlan(
        config=config,
        parameters=overrides,
        full_parameters=full,
        doses=tuple(chosen),
        timeline=tuple(sorted(timeline, key=lambda e: e.day)),
        t_start=float(washout),
        t_end=float(config.followup.days),
        bsa_m2=bsa,
        car_t_dose_cells=car_t_cells,
        model_fingerprint=model.definition.fingerprint,
        journey_values=journey_values(model, full),
    )
