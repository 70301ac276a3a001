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
from ._hazards import JourneyValues

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
    values: JourneyValues,
) -> list[LicatsEvent]:
    """LICATS events, organ by organ, during B-cell aplasia (Hagen 2025).

    Each involved organ has its own hazard ``h · CAR T/µL · w_organ · exp(−day/τ)``: local CAR T–target encounters
    in previously inflamed tissue, most frequent while CAR T cells expand and the tissue still holds targets, fading
    with time constant ``licats_hazard_fade_days`` (half of Hagen's events in the first 2 weeks, 20 % after 1
    month). ``w_organ`` is the organ's share of events relative to the mean share (skin 35 %, kidney 22 %, ...).
    An organ with an event is refractory until ``licats_refractory_days`` after the event ends, and has at most
    ``licats_max_events_per_organ`` events: the reaction is local and self-limited.
    """
    if not organs:
        return []
    fade = np.exp(-np.clip(days, 0.0, None) / values["licats_hazard_fade_days"])
    base = values["licats_hazard_per_car_t_organ"] * np.clip(car_t_per_ul, 0.0, None) * in_aplasia * fade
    mean_weight = float(np.mean(list(LICATS_ORGAN_WEIGHTS.values())))
    max_events = int(values["licats_max_events_per_organ"])
    events: list[LicatsEvent] = []
    for organ in organs:
        hazard = base * LICATS_ORGAN_WEIGHTS.get(organ, 0.05) / mean_weight
        u = rng.random(days.size)
        free_from = -np.inf
        count = 0
        for k in np.flatnonzero(u < 1.0 - np.exp(-hazard)):
            day = float(days[k])
            if day < free_from or count >= max_events:
                continue
            onset = day + float(rng.random())
            severity_draw = rng.random()
            g3, g2 = values["licats_grade3_probability"], values["licats_grade2_probability"]
            severity = 3 if severity_draw < g3 else 2 if severity_draw < g3 + g2 else 1
            grade = licats_grade(
                resolved_spontaneously=severity == 1,
                glucocorticoids=severity >= 2,
                hospitalized=severity >= 3,
                icu=False,
            )
            duration = values["licats_median_duration_days"] * float(np.exp(0.6 * rng.standard_normal()))
            events.append(LicatsEvent(onset, duration, organ, grade, licats_timing(onset)))
            count += 1
            free_from = onset + duration + values["licats_refractory_days"]
    return sorted(events, key=lambda e: e.onset_day)


def draw_infections(
    rng: np.random.Generator,
    days: FloatArray,
    anc_10e9_l: FloatArray,
    igg_g_l: FloatArray,
    on_steroids: FloatArray,
    start_day: float,
    values: JourneyValues,
) -> list[Infection]:
    """Infections: h = h0·exp(β_N·[ANC < 0.5] + β_G·[IgG < 6 g/L] + β_S·[steroids]) (model.md B5), from
    ``start_day`` (lymphodepletion) on."""
    hr = (
        np.where(anc_10e9_l < 0.5, values["infection_hr_neutropenia"], 1.0)
        * np.where(igg_g_l < 6.0, values["infection_hr_hypogammaglobulinaemia"], 1.0)
        * np.where(on_steroids > 0, values["infection_hr_steroids"], 1.0)
    )
    hazard = values["infection_rate_per_year"] / 365.25 * hr * (days >= start_day)
    counts = rng.poisson(hazard)
    serious = values["serious_infection_probability"]
    out = []
    for k in np.flatnonzero(counts):  # the same draws, in the same order, as a loop over every day
        for _ in range(int(counts[k])):
            out.append(Infection(float(days[k] + rng.random()), bool(rng.random() < serious)))
    return out
