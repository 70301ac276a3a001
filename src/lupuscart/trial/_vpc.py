"""Observed versus simulated: the quantities of the packaged published cohort, read from every simulated patient.

The Mackensen 2022 summary (``lupuscart/data/mackensen2022.json``) gives time-course points as fractions (CAR T of
the patient's own peak; B cells, anti-dsDNA and proteinuria of the journey-start baseline; C3 of the lower limit
of normal), with the same definitions the calibration uses (``lupuscart.calibrate``). Each trial patient row
carries those fractions at the published days (``vpc_<observable>_day<d>`` columns), so the report can draw
visual-predictive-check panels — the simulated median and 5th–95th percentiles at each published day against the
published point and range — without keeping whole trajectories.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..calibrate import time_targets

#: Time-course observables of the published summary that are fractions of a patient's own trajectory.
FRACTIONS = ("car_t_fraction", "b_cells_fraction", "anti_dsdna_fraction", "c3_fraction_lln", "proteinuria_fraction")


def published_days() -> dict[str, tuple[float, ...]]:
    """The published days of each fraction observable (from the packaged summary).

    >>> published_days()["proteinuria_fraction"]
    (7.0, 28.0, 90.0, 180.0, 365.0)
    """
    days: dict[str, set[float]] = {name: set() for name in FRACTIONS}
    for t in time_targets():
        if t.observable in days:
            days[t.observable].add(float(t.day))
    return {name: tuple(sorted(d)) for name, d in days.items()}


def column(observable: str, day: float) -> str:
    """The patient-table column of ``observable`` at ``day``.

    >>> column("c3_fraction_lln", 28.0)
    'vpc_c3_fraction_lln_day28'
    """
    return f"vpc_{observable}_day{day:g}"


def published_fractions(result: Any) -> dict[str, float | None]:
    """One simulated patient's fractions at the published days (``None`` after the end of follow-up or when the
    patient was not infused)."""
    days, obs = result.days, result.observables
    labs = result.plan.config.labs
    last = float(days[-1])
    first_year = (days >= 0) & (days <= 365)
    car_peak = float(np.max(obs["car_t_per_ul"][first_year])) if np.any(first_year) else 0.0
    series = {
        "car_t_fraction": obs["car_t_per_ul"] / max(car_peak, 1e-12),
        "b_cells_fraction": obs["b_cells_per_ul"] / obs["b_cells_per_ul"][0],
        "anti_dsdna_fraction": obs["anti_dsdna_iu_ml"] / obs["anti_dsdna_iu_ml"][0],
        "c3_fraction_lln": obs["c3_g_l"] / labs.c3_lln_g_l,
        "proteinuria_fraction": obs["proteinuria_g_24h"] / obs["proteinuria_g_24h"][0],
    }
    out: dict[str, float | None] = {}
    for name, wanted in published_days().items():
        for day in wanted:
            ok = result.status == "ok" and day <= last
            out[column(name, day)] = float(series[name][int(np.searchsorted(days, day))]) if ok else None
    k90 = int(np.searchsorted(days, 90.0))
    out["anti_dsdna_negative_day90"] = (
        bool(obs["anti_dsdna_iu_ml"][k90] < labs.anti_dsdna_uln_iu_ml) if result.status == "ok" and last >= 90 else None
    )
    out["c3_normal_day90"] = (
        bool(obs["c3_g_l"][k90] >= labs.c3_lln_g_l) if result.status == "ok" and last >= 90 else None
    )
    return out


def simulated_bands(patients: pd.DataFrame) -> dict[str, list[tuple[float, float, float, float]]]:
    """Per fraction observable: ``(day, 5th, 50th, 95th percentile)`` over the infused patients of ``patients``."""
    ok = patients[patients["status"] == "ok"]
    out: dict[str, list[tuple[float, float, float, float]]] = {}
    for name, days in published_days().items():
        rows = []
        for day in days:
            col = column(name, day)
            x = ok[col].dropna().astype(float).to_numpy() if col in ok else np.zeros(0)
            if x.size:
                p5, p50, p95 = np.percentile(x, [5, 50, 95])
                rows.append((day, float(p5), float(p50), float(p95)))
        out[name] = rows
    return out
