"""Visits: turn the simulated organ readouts and serology into SLEDAI-2K, PGA, DORIS remission and flares.

The simulator scores with :mod:`lupuscart.clinical`, the same declarations that score real patients (the
vectorised :func:`~lupuscart.clinical.sledai2k_table`, so many patients' visits are scored in one call).
Conventions (lupuscart's, tag E):

* binary manifestations are present when severity × organ activity exceeds 0.5; active joints are rounded;
* cytopenias within 90 days of the first lymphodepletion dose are attributed to the chemotherapy
  (clinical-instruments.md D1.3) and never score; CRS fever is not lupus fever (the visit reads the lupus part of
  the temperature only);
* the physician global assessment (0-3) is the screening PGA times the highest activity among involved organs;
* prednisone is tapered linearly from the screening dose to zero at infusion (washout), then given only for
  grade-2 LICATS courses or after a flare (:func:`lupuscart.clinical.first_flare`), when immunosuppression is
  restarted (prednisone :data:`FLARE_PREDNISONE_MG_PER_DAY`) and drug-free remission ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ..clinical import Sledai2kScore, doris_remission_2021_array, sledai2k_table
from ._config import SimulationConfig

DRUG_CYTOPENIA_WINDOW_DAYS = 90.0
FLARE_PREDNISONE_MG_PER_DAY = 10.0
#: Observables that score as a binary SLEDAI-2K descriptor when above 0.5 (descriptor name, observable).
_BINARY_READOUTS = (
    ("urinary_casts", "urinary_casts_score"),
    ("rash", "rash_score"),
    ("alopecia", "alopecia_score"),
    ("mucosal_ulcers", "mucosal_ulcers_score"),
    ("pleurisy", "pleurisy_score"),
    ("pericarditis", "pericarditis_score"),
)

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

    @property
    def score(self) -> Sledai2kScore:
        """The visit's SLEDAI-2K as :mod:`lupuscart.clinical` returns it (scored with the 10-day window)."""
        return Sledai2kScore(self.sledai2k, self.clinical_sledai2k, self.items, window_days=10)


@dataclass(frozen=True)
class VisitReadouts:
    """What one patient's visits read: the observables on the visit days and the patient's constants."""

    config: SimulationConfig
    days: FloatArray
    observables: Mapping[str, FloatArray]
    prednisone_mg_per_day: FloatArray
    first_lymphodepletion_day: float


def visit_table_values(patients: Sequence[VisitReadouts]) -> dict[str, FloatArray]:
    """What is recorded at every visit of ``patients`` (rows concatenated in order), in the vocabulary of
    :func:`lupuscart.clinical.sledai2k` and ``lupuscart score`` (``proteinuria_g_per_24h``, ``c3_g_per_l``,
    ``<descriptor>_not_due_to_sle``, booleans as 0/1).

    The simulator scores exactly these values, and ``simulate --out`` writes them to ``visits.csv``
    (:func:`lupuscart.journey.visits_frame`), so scoring that file with ``lupuscart score`` reproduces the
    simulator's SLEDAI-2K.
    """
    sizes = [p.days.size for p in patients]
    cat = {name: np.concatenate([p.observables[name] for p in patients]) for name in patients[0].observables}
    days = np.concatenate([p.days for p in patients])
    per_row = np.repeat(np.arange(len(patients)), sizes)
    first_ld = np.array([p.first_lymphodepletion_day for p in patients])[per_row]
    drug_cytopenia = ((first_ld <= days) & (days <= first_ld + DRUG_CYTOPENIA_WINDOW_DAYS)).astype(float)
    c3_lln = np.array([p.config.labs.c3_lln_g_l for p in patients])[per_row]
    dsdna_uln = np.array([p.config.labs.anti_dsdna_uln_iu_ml for p in patients])[per_row]
    values: dict[str, FloatArray] = {
        "proteinuria_g_per_24h": cat["proteinuria_g_24h"],
        "hematuria_rbc_per_hpf": cat["hematuria_rbc_per_hpf"],
        "pyuria_wbc_per_hpf": cat["pyuria_wbc_per_hpf"],
        "arthritis_joints": np.round(cat["arthritis_joints"]),
        "temperature_c": cat["sle_temperature_c"],
        "platelets_10e9_per_l": cat["platelets_10e9_l"],
        "wbc_10e9_per_l": cat["anc_10e9_l"] + cat["lymphocytes_10e9_l"] + 0.5,
        "c3_g_per_l": cat["c3_g_l"],
        "c3_lln_g_per_l": c3_lln,
        "anti_dsdna": cat["anti_dsdna_iu_ml"],
        "anti_dsdna_uln": dsdna_uln,
        "thrombocytopenia_not_due_to_sle": drug_cytopenia,
        "leukopenia_not_due_to_sle": drug_cytopenia,
    }
    for descriptor, readout in _BINARY_READOUTS:
        values[descriptor] = (cat[readout] > 0.5).astype(float)
    return values


def score_visits_of(patients: Sequence[VisitReadouts]) -> list[list[VisitScore]]:
    """Score every patient's visits in one vectorised call (flares are applied afterwards, per patient)."""
    n = int(sum(p.days.size for p in patients))
    if n == 0:
        return [[] for _ in patients]
    values = visit_table_values(patients)
    table = sledai2k_table(values, n)
    pga = np.concatenate([_pga(p) for p in patients])
    prednisone = np.concatenate([p.prednisone_mg_per_day for p in patients])
    doris = doris_remission_2021_array(table.clinical, pga, prednisone)
    out: list[list[VisitScore]] = []
    row = 0
    for p in patients:
        scores = []
        for k in range(p.days.size):
            scores.append(
                VisitScore(
                    float(p.days[k]),
                    int(table.total[row]),
                    int(table.clinical[row]),
                    table.items(row),
                    float(pga[row]),
                    float(prednisone[row]),
                    bool(doris[row]),
                )
            )
            row += 1
        out.append(scores)
    return out


def _pga(p: VisitReadouts) -> FloatArray:
    """Physician global assessment: screening PGA × the highest activity among the involved organs."""
    organs = involved_organs(p.config) or ("renal",)
    activity = np.max(np.vstack([p.observables[f"{o}_activity"] for o in organs]), axis=0)
    return np.asarray(np.minimum(3.0, p.config.patient.pga * np.maximum(activity, 0.0)), dtype=float)


def after_flare(scores: Sequence[VisitScore], flare: int | None) -> list[VisitScore]:
    """The visits once a flare at visit index ``flare`` restarted immunosuppression: every later visit is on
    prednisone ≥ :data:`FLARE_PREDNISONE_MG_PER_DAY`, so DORIS (≤ 5 mg/day) no longer holds there."""
    if flare is None:
        return list(scores)
    out = list(scores[: flare + 1])
    for v in scores[flare + 1 :]:
        pred = max(v.prednisone_mg_per_day, FLARE_PREDNISONE_MG_PER_DAY)
        doris = bool(doris_remission_2021_array(v.clinical_sledai2k, v.pga, pred))
        out.append(VisitScore(v.day, v.sledai2k, v.clinical_sledai2k, v.items, v.pga, pred, doris))
    return out
