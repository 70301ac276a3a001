"""Stochastic events drawn per patient from hazards with seeded generators (model.md B7).

Each process has its own random stream spawned from the patient's seed, so changing one process (or the
management policy) never shifts the draws of another, and a trial is reproducible patient by patient. LICATS and
infections are non-homogeneous Poisson processes on the daily grid of the simulated state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ..clinical import licats_grade, licats_timing
from ._hazards import value

#: Share of LICATS events by organ (Hagen 2025: skin 35 %, kidney 22 %, ...), used among the involved organs.
LICATS_ORGAN_WEIGHTS: dict[str, float] = {
    "mucocutaneous": 0.35,
    "renal": 0.22,
    "musculoskeletal": 0.2,
    "serosal": 0.13,
    "haematological": 0.05,
    "constitutional": 0.05,
}
STREAMS = ("manufacturing", "icans", "licats", "infections")


def patient_streams(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """Independent generators for each stochastic process of one patient."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, ss.spawn(len(STREAMS)), strict=True)}


@dataclass(frozen=True)
class LicatsEvent:
    onset_day: float
    duration_days: float
    organ: str
    grade: int
    timing: str


@dataclass(frozen=True)
class Infection:
    day: float
    serious: bool


def draw_licats(
    rng: np.random.Generator,
    days: FloatArray,
    car_t_per_ul: FloatArray,
    in_aplasia: FloatArray,
    organs: tuple[str, ...],
) -> list[LicatsEvent]:
    """LICATS events: hazard ∝ CAR T in blood × involved organs, during B-cell aplasia (Hagen 2025)."""
    hazard = value("licats_hazard_per_car_t_organ") * car_t_per_ul * len(organs) * in_aplasia
    counts = rng.poisson(np.clip(hazard, 0.0, None))
    events: list[LicatsEvent] = []
    if not organs:
        return events
    weights = np.array([LICATS_ORGAN_WEIGHTS.get(o, 0.05) for o in organs])
    for day, n in zip(days, counts, strict=True):
        for _ in range(int(n)):
            onset = float(day + rng.random())
            organ = organs[int(rng.choice(len(organs), p=weights / weights.sum()))]
            u = rng.random()
            g3, g2 = value("licats_grade3_probability"), value("licats_grade2_probability")
            severity = 3 if u < g3 else 2 if u < g3 + g2 else 1
            grade = licats_grade(
                resolved_spontaneously=severity == 1,
                glucocorticoids=severity >= 2,
                hospitalized=severity >= 3,
                icu=False,
            )
            duration = value("licats_median_duration_days") * float(np.exp(0.6 * rng.standard_normal()))
            events.append(LicatsEvent(onset, duration, organ, grade, licats_timing(onset)))
    return events


def draw_infections(
    rng: np.random.Generator,
    days: FloatArray,
    anc_10e9_l: FloatArray,
    igg_g_l: FloatArray,
    on_steroids: FloatArray,
    start_day: float,
) -> list[Infection]:
    """Infections: h = h0·exp(β_N·[ANC < 0.5] + β_G·[IgG < 6 g/L] + β_S·[steroids]) (model.md B5), from
    ``start_day`` (lymphodepletion) on."""
    hr = (
        np.where(anc_10e9_l < 0.5, value("infection_hr_neutropenia"), 1.0)
        * np.where(igg_g_l < 6.0, value("infection_hr_hypogammaglobulinaemia"), 1.0)
        * np.where(on_steroids > 0, value("infection_hr_steroids"), 1.0)
    )
    hazard = value("infection_rate_per_year") / 365.25 * hr * (days >= start_day)
    counts = rng.poisson(hazard)
    serious = value("serious_infection_probability")
    out = []
    for k in np.flatnonzero(counts):  # the same draws, in the same order, as a loop over every day
        for _ in range(int(counts[k])):
            out.append(Infection(float(days[k] + rng.random()), bool(rng.random() < serious)))
    return out
