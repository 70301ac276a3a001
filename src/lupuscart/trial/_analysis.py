"""The analysis set of a trial, gathered from the chunk store one chunk at a time: memory does not hold the rows.

Endpoints need, per patient and arm, a few dozen numbers (outcome flags, event days, grades) and, per visit day,
the distribution of SLEDAI-2K. :func:`collect` reads each finished chunk's Parquet files with only the columns the
endpoints use, keeps those as typed columns (about 0.25 kB per patient-arm instead of the ≈ 2 kB of a patient
row and its thirteen visit rows) and folds the visits into exact counts of SLEDAI-2K per arm and visit
day. Quantities that were read from the visit table (DORIS and SLEDAI-2K at day 180, drug-free remission onset
and loss for the Kaplan–Meier curves) are per-patient fields of the patient row (:func:`visit_fields`), written
when the patient is simulated. Every endpoint computed from this is exact (no sketch, no binning): medians and
percentiles come from the full compact columns or from exact counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: The patient columns the endpoints, the Kaplan–Meier curves, the paired differences and the small-trial
#: resampling read (``lupuscart.trial._endpoints``).
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "arm",
    "patient_id",
    "status",
    "doris_day90",
    "doris_day180",
    "lldas_day90",
    "drug_free_remission_day365",
    "drug_free_remission_day730",
    "crs_max_grade",
    "icans_max_grade",
    "licats_max_grade",
    "neutropenia_max_grade",
    "first_remission_day",
    "end_of_followup_day",
    "flare_day",
    "anti_dsdna_negative_day90",
    "immunoglobulin_doses",
    "tocilizumab_doses",
    "serious_infection_month12",
    "sledai2k_baseline",
    "sledai2k_day90",
    "sledai2k_day180",
    "b_cell_recovery_day",
    "il6_peak_pg_ml",
    "licats_first_onset_day",
    "licats_events",
    "igg_nadir_g_l",
    "igg_recovery_day",
    "car_t_peak_day",
    "dfr_onset_day",
    "dfr_lost_day",
    "last_visit_day",
)


def visit_fields(
    days: Iterable[float], doris: Iterable[bool], sledai2k: Iterable[int], drug_free: Iterable[bool]
) -> dict[str, Any]:
    """Per-patient quantities of a patient's visits (days increasing) that the endpoints read.

    ``doris_day180``/``sledai2k_day180``: the day-180 visit (``None`` without one); ``last_visit_day``: the last
    visit after treatment; ``dfr_onset_day``: the first visit after treatment in drug-free remission;
    ``dfr_lost_day``: the first visit after that onset that is no longer in drug-free remission.

    >>> visit_fields([-40, 90, 180, 365], [False, True, True, False], [16, 0, 0, 4], [False, True, True, False])
    {'doris_day180': True, 'sledai2k_day180': 0, 'last_visit_day': 365.0, 'dfr_onset_day': 90.0, 'dfr_lost_day': 365.0}
    """
    out: dict[str, Any] = {"doris_day180": None, "sledai2k_day180": None, "last_visit_day": None}
    out.update(dfr_onset_day=None, dfr_lost_day=None)
    for day, d, s, free in zip(days, doris, sledai2k, drug_free, strict=True):
        if day == 180.0:
            out["doris_day180"], out["sledai2k_day180"] = bool(d), int(s)
        if day <= 0:
            continue
        out["last_visit_day"] = float(day)
        if out["dfr_onset_day"] is None:
            if free:
                out["dfr_onset_day"] = float(day)
        elif out["dfr_lost_day"] is None and not free:
            out["dfr_lost_day"] = float(day)
    return out


def visit_fields_of_table(visits: pd.DataFrame) -> pd.DataFrame:
    """:func:`visit_fields` for every (arm, patient) of a visit table (for tables written before those fields)."""
    rows = []
    for (arm, pid), grp in visits.sort_values("day").groupby(["arm", "patient_id"], sort=False):
        fields = visit_fields(
            grp["day"].to_numpy(dtype=float),
            grp["doris_2021"].to_numpy(dtype=bool),
            grp["sledai2k"].to_numpy(dtype=int),
            grp["drug_free_remission"].to_numpy(dtype=bool),
        )
        rows.append({"arm": arm, "patient_id": pid, **fields})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class TrialAnalysis:
    """The analysis set: compact patient columns (all arms, sorted by arm then patient) and, per arm, the exact
    counts of SLEDAI-2K values at each visit day among infused patients."""

    patients: pd.DataFrame
    sledai2k_counts: Mapping[str, Mapping[float, Counter[int]]]

    def arm(self, arm: str) -> pd.DataFrame:
        """One arm's compact patient columns."""
        return self.patients[self.patients["arm"] == arm]

    def visit_grid(self, arm: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The visit days after treatment of one arm's infused patients, with day 0 first."""
        days = [d for d in self.sledai2k_counts.get(arm, {}) if d > 0]
        return np.array(sorted({0.0, *days}), dtype=float)


def collect(
    patient_chunks: Iterable[pd.DataFrame], visit_chunks: Iterable[pd.DataFrame], arms: Sequence[str]
) -> TrialAnalysis:
    """Fold chunk tables (one chunk's patients and visits at a time) into a :class:`TrialAnalysis`.

    ``visit_chunks`` must yield the visits of the same chunks in the same order as ``patient_chunks`` (a visit is
    counted when its patient is infused, status ``ok``).
    """
    compact: list[pd.DataFrame] = []
    counts: dict[str, dict[float, Counter[int]]] = {a: {} for a in arms}
    for patients, visits in zip(patient_chunks, visit_chunks, strict=True):
        compact.append(_compact(patients))
        if visits is None or visits.empty:
            continue
        ok = patients.loc[patients["status"] == "ok", ["arm", "patient_id"]]
        seen = visits.merge(ok, on=["arm", "patient_id"], how="inner")
        for (arm, day), values in seen.groupby(["arm", "day"], sort=False)["sledai2k"]:
            by_day = counts.setdefault(str(arm), {})
            by_day.setdefault(float(str(day)), Counter()).update(values.astype(int).tolist())
    table = pd.concat(compact, ignore_index=True) if compact else pd.DataFrame(columns=list(ANALYSIS_COLUMNS))
    order = {a: k for k, a in enumerate(arms)}
    table = table.sort_values(
        ["arm", "patient_id"], key=lambda s: s.map(order) if s.name == "arm" else s, kind="stable"
    )
    return TrialAnalysis(table.reset_index(drop=True), counts)


def _compact(patients: pd.DataFrame) -> pd.DataFrame:
    """The :data:`ANALYSIS_COLUMNS` of a chunk's patient rows, typed: categories for arm and status, the patient id
    as an integer, every other value as a float (flags as 1/0, missing or absent as NaN), so nothing is rounded."""
    columns: dict[str, Any] = {}
    for column in ANALYSIS_COLUMNS:
        values = patients[column] if column in patients else pd.Series(np.nan, index=patients.index)
        if column in ("arm", "status"):
            columns[column] = values.astype("category")
        elif column == "patient_id":
            columns[column] = values.astype(np.int64)
        else:
            columns[column] = pd.to_numeric(values.map(_number), errors="coerce").astype(np.float64)
    return pd.DataFrame(columns, index=patients.index)


def _number(value: Any) -> float:
    if value is None:
        return np.nan
    if isinstance(value, bool | np.bool_):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def percentiles_from_counts(counts: Mapping[int, int], q: Sequence[float]) -> list[float]:
    """``numpy.percentile(values, q)`` (linear interpolation) of the values that ``counts`` tallies, exactly.

    >>> percentiles_from_counts({0: 3, 2: 1, 10: 1}, [0, 50, 75, 100])
    [0.0, 0.0, 2.0, 10.0]
    """
    values = np.array(sorted(counts), dtype=float)
    cumulative = np.cumsum([counts[int(v)] for v in values])
    n = int(cumulative[-1])

    def order_statistic(k: int) -> float:
        return float(values[int(np.searchsorted(cumulative, k + 1))])

    out = []
    for p in q:
        h = (n - 1) * p / 100.0
        lo = int(np.floor(h))
        hi = min(lo + 1, n - 1)
        out.append(order_statistic(lo) + (h - lo) * (order_statistic(hi) - order_statistic(lo)))
    return out
