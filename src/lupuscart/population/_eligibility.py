"""Eligibility: refractory SLE with active lupus nephritis, as in the calibration cohort.

The Erlangen patients (Mackensen 2022) had refractory SLE (failure of glucocorticoids, hydroxychloroquine, MMF
and belimumab; tag R), class III, IV or III/V nephritis, SLEDAI-2K 8-16 and anti-dsDNA. Refractoriness is a
property of every virtual patient by construction (the disease model is the refractory, self-sustaining
autoimmune loop); the measurable criteria are checked on the sampled baseline with the project's SLEDAI-2K.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .._typing import FloatArray, IntArray
from ..clinical import sledai2k_table


class Eligibility(BaseModel):
    """Inclusion criteria checked on each sampled candidate (defaults: the Erlangen cohort)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min_sledai2k: int = Field(8, ge=0, le=105, description="SLEDAI-2K at screening, at least (cohort range 8-16)")
    require_nephritis: bool = Field(True, description="active lupus nephritis: proteinuria > 0.5 g/24 h")
    require_anti_dsdna: bool = Field(True, description="anti-dsDNA above the lab limit")
    min_egfr_ml_min: float = Field(30.0, ge=0, le=200, description="renal function, at least")
    max_tries: int = Field(200, ge=1, le=100_000, description="candidates drawn per patient before giving up")


def screening_sledai2k(patient: dict[str, Any], c3_lln_g_l: float = 0.9, anti_dsdna_uln: float = 30.0) -> int:
    """SLEDAI-2K of a sampled patient at screening (all organ activity at its baseline).

    ``patient`` holds the fields of :class:`lupuscart.journey._config.PatientConfig` (manifestations nested).

    >>> from lupuscart.journey import load_config
    >>> screening_sledai2k(load_config().patient.model_dump())
    16
    """
    return int(screening_sledai2k_many([patient], c3_lln_g_l, anti_dsdna_uln)[0])


def screening_sledai2k_many(
    patients: Sequence[dict[str, Any]], c3_lln_g_l: float = 0.9, anti_dsdna_uln: float = 30.0
) -> IntArray:
    """:func:`screening_sledai2k` of many sampled patients in one vectorised call."""
    m = [p["manifestations"] for p in patients]

    def col(key: str) -> FloatArray:
        return np.array([x[key] for x in m], dtype=float)

    n = len(patients)
    values = {
        "proteinuria_g_per_24h": col("proteinuria_g_24h"),
        "hematuria_rbc_per_hpf": col("hematuria_rbc_per_hpf"),
        "pyuria_wbc_per_hpf": col("pyuria_wbc_per_hpf"),
        "arthritis_joints": np.round(col("arthritis_joints")),
        "temperature_c": 37.0 + col("fever_c"),
        "platelets_10e9_per_l": col("platelets_10e9_l"),
        "c3_g_per_l": np.array([p["c3_g_l"] for p in patients], dtype=float),
        "c3_lln_g_per_l": np.full(n, c3_lln_g_l),
        "anti_dsdna": np.array([p["anti_dsdna_iu_ml"] for p in patients], dtype=float),
        "anti_dsdna_uln": np.full(n, anti_dsdna_uln),
    }
    for descriptor in ("urinary_casts", "rash", "alopecia", "mucosal_ulcers", "pleurisy", "pericarditis"):
        values[descriptor] = (col(descriptor) > 0.5).astype(float)
    return np.asarray(sledai2k_table(values, n).total, dtype=np.int64)


def is_eligible(
    patient: dict[str, Any], criteria: Eligibility, anti_dsdna_uln: float = 30.0, sledai2k: int | None = None
) -> bool:
    """Whether a sampled candidate meets the inclusion criteria (``sledai2k``: its screening SLEDAI-2K, computed
    here when not given)."""
    m = patient["manifestations"]
    if criteria.require_nephritis and m["proteinuria_g_24h"] <= 0.5:
        return False
    if criteria.require_anti_dsdna and patient["anti_dsdna_iu_ml"] <= anti_dsdna_uln:
        return False
    if patient["egfr_ml_min"] < criteria.min_egfr_ml_min:
        return False
    if sledai2k is None:
        sledai2k = screening_sledai2k(patient, anti_dsdna_uln=anti_dsdna_uln)
    return sledai2k >= criteria.min_sledai2k
