"""Visits: turn the simulated organ readouts and serology into SLEDAI-2K, PGA, DORIS remission and flares.

The simulator scores with :mod:`lupuscart.clinical`, the same code that scores real patients. Conventions
(lupuscart's, tag E):

* binary manifestations are present when severity × organ activity exceeds 0.5; active joints are rounded;
* cytopenias within 90 days of the first lymphodepletion dose are attributed to the chemotherapy
  (clinical-instruments.md D1.3) and never score; CRS fever is not lupus fever (the visit reads the lupus part of
  the temperature only);
* the physician global assessment (0-3) is the screening PGA times the highest activity among involved organs;
* prednisone is tapered linearly from the screening dose to zero at infusion (washout), then given only for
  grade-2 LICATS courses or after a flare;
* a flare is a clinical SLEDAI-2K rise of at least 4 over the previous visit after day 90, or clinical SLEDAI-2K
  ≥ 4 after remission; immunosuppression is then restarted and drug-free remission ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..clinical import doris_remission, sledai2k
from ._config import SimulationConfig

DRUG_CYTOPENIA_WINDOW_DAYS = 90.0
FLARE_PREDNISONE_MG_PER_DAY = 10.0

_INVOLVEMENT: dict[str, Callable[[SimulationConfig], bool]] = {
    "renal": lambda c: (
        c.patient.manifestations.proteinuria_g_24h > 0.5
        or c.patient.manifestations.hematuria_rbc_per_hpf > 5
        or c.patient.manifestations.urinary_casts > 0.5
    ),
    "musculoskeletal": lambda c: c.patient.manifestations.arthritis_joints >= 2,
    "mucocutaneous": lambda c: (
        max(c.patient.manifestations.rash, c.patient.manifestations.alopecia, c.patient.manifestations.mucosal_ulcers)
        > 0.5
    ),
    "serosal": lambda c: max(c.patient.manifestations.pleurisy, c.patient.manifestations.pericarditis) > 0.5,
    "haematological": lambda c: c.patient.manifestations.platelets_10e9_l < 100,
    "constitutional": lambda c: c.patient.manifestations.fever_c > 1.0,
}


def involved_organs(config: SimulationConfig) -> tuple[str, ...]:
    """Organs involved at baseline (drives PGA and LICATS).

    >>> from lupuscart.journey import load_config
    >>> involved_organs(load_config())
    ('renal', 'musculoskeletal')
    """
    return tuple(name for name, rule in _INVOLVEMENT.items() if rule(config))


@dataclass(frozen=True)
class VisitScore:
    """One scored visit."""

    day: float
    sledai2k: int
    clinical_sledai2k: int
    items: tuple[str, ...]
    pga: float
    prednisone_mg_per_day: float
    doris: bool


def visit_inputs(day: float, obs: Mapping[str, float], config: SimulationConfig, first_ld_day: float) -> dict[str, Any]:
    """What is recorded at a visit, in the vocabulary of :func:`lupuscart.clinical.sledai2k` and
    ``lupuscart score`` (``proteinuria_g_per_24h``, ``c3_g_per_l``, ``<descriptor>_not_due_to_sle``, ...).

    The simulator scores exactly these values, and ``simulate --out`` writes them to ``visits.csv``, so scoring
    that file with ``lupuscart score`` reproduces the simulator's SLEDAI-2K.
    """
    drug_cytopenia = first_ld_day <= day <= first_ld_day + DRUG_CYTOPENIA_WINDOW_DAYS
    return {
        "proteinuria_g_per_24h": obs["proteinuria_g_24h"],
        "hematuria_rbc_per_hpf": obs["hematuria_rbc_per_hpf"],
        "pyuria_wbc_per_hpf": obs["pyuria_wbc_per_hpf"],
        "urinary_casts": bool(obs["urinary_casts_score"] > 0.5),
        "arthritis_joints": round(obs["arthritis_joints"]),
        "rash": bool(obs["rash_score"] > 0.5),
        "alopecia": bool(obs["alopecia_score"] > 0.5),
        "mucosal_ulcers": bool(obs["mucosal_ulcers_score"] > 0.5),
        "pleurisy": bool(obs["pleurisy_score"] > 0.5),
        "pericarditis": bool(obs["pericarditis_score"] > 0.5),
        "temperature_c": obs["sle_temperature_c"],
        "platelets_10e9_per_l": obs["platelets_10e9_l"],
        "wbc_10e9_per_l": obs["anc_10e9_l"] + obs["lymphocytes_10e9_l"] + 0.5,
        "c3_g_per_l": obs["c3_g_l"],
        "c3_lln_g_per_l": config.labs.c3_lln_g_l,
        "anti_dsdna": obs["anti_dsdna_iu_ml"],
        "anti_dsdna_uln": config.labs.anti_dsdna_uln_iu_ml,
        "thrombocytopenia_not_due_to_sle": drug_cytopenia,
        "leukopenia_not_due_to_sle": drug_cytopenia,
    }


def score_visit(
    day: float,
    obs: Mapping[str, float],
    config: SimulationConfig,
    prednisone_mg_per_day: float,
    first_ld_day: float,
) -> VisitScore:
    """Score a visit from the observables at that day (the inputs of :func:`visit_inputs`)."""
    inputs = visit_inputs(day, obs, config, first_ld_day)
    suffix = "_not_due_to_sle"
    attributed = tuple(k.removesuffix(suffix) for k, v in inputs.items() if k.endswith(suffix) and v)
    score = sledai2k({k: v for k, v in inputs.items() if not k.endswith(suffix)}, not_due_to_sle=attributed)
    organs = involved_organs(config)
    activity = max((obs[f"{o}_activity"] for o in organs), default=obs["renal_activity"])
    pga = min(3.0, config.patient.pga * max(activity, 0.0))
    doris = doris_remission(clinical_sledai=score.clinical, pga=pga, prednisone_mg_per_day=prednisone_mg_per_day)
    return VisitScore(day, score.total, score.clinical, tuple(score.items), pga, prednisone_mg_per_day, doris)
