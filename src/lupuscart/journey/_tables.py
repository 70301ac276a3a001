"""Tidy tables of a simulated patient: the daily time course and the event log (``simulate --out``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._result import PatientResult

#: Columns of ``timecourse.csv`` required by the architecture contract, in order; more follow.
TIMECOURSE_COLUMNS = (
    "day",
    "car_t_per_ul",
    "b_cells_per_ul",
    "naive_b_fraction",
    "anti_dsdna_iu_ml",
    "c3_g_l",
    "igg_g_l",
    "il6_pg_ml",
    "proteinuria_g_24h",
    "anc_10e9_l",
    "sledai2k",
)
_EXTRA = (
    "t_cells_per_ul",
    "vaccine_igg_fraction",
    "il6_signalling_pg_ml",
    "tocilizumab_mg_l",
    "dexamethasone_mg_l",
    "hematuria_rbc_per_hpf",
    "arthritis_joints",
    "platelets_10e9_l",
    "lymphocytes_10e9_l",
    "immune_complex_load",
    "endothelial_activation_index",
    "marrow_capacity_fraction",
)


def timecourse_frame(result: PatientResult) -> pd.DataFrame:
    """One row per day from the journey start to the end of follow-up.

    ``sledai2k``, ``clinical_sledai2k``, ``pga`` and ``doris`` are filled on visit days only; ``crs_grade`` and
    ``icans_grade`` on assessed days only (empty elsewhere, never zero-filled).
    """
    obs = result.observables
    days = result.days.astype(int)
    frame = pd.DataFrame({"day": days})
    for col in TIMECOURSE_COLUMNS[1:-1] + _EXTRA:
        frame[col] = obs[col]
    frame["naive_b_fraction"] = np.where(obs["b_cells_per_ul"] > 1e-3, obs["naive_b_fraction"], np.nan)
    visit = {int(v.day): v for v in result.visits}
    frame["sledai2k"] = pd.array([visit[d].sledai2k if d in visit else None for d in days], dtype="Int64")
    frame["clinical_sledai2k"] = pd.array(
        [visit[d].clinical_sledai2k if d in visit else None for d in days], dtype="Int64"
    )
    frame["pga"] = [visit[d].pga if d in visit else np.nan for d in days]
    frame["doris"] = pd.array([visit[d].doris if d in visit else None for d in days], dtype="boolean")
    frame["crs_grade"] = pd.array([result.crs_grade_by_day.get(d) for d in days], dtype="Int64")
    frame["icans_grade"] = pd.array([result.icans_grade_by_day.get(d) for d in days], dtype="Int64")
    frame["prednisone_mg_per_day"] = result.prednisone_by_day
    ordered = list(TIMECOURSE_COLUMNS)
    return frame[ordered + [c for c in frame.columns if c not in ordered]]


def events_frame(result: PatientResult) -> pd.DataFrame:
    """The journey and clinical event log, sorted by day."""
    return pd.DataFrame(
        {
            "day": [round(e.day, 3) for e in result.events],
            "kind": [e.kind for e in result.events],
            "grade": pd.array([e.grade for e in result.events], dtype="Int64"),
            "detail": [e.detail for e in result.events],
        }
    )
