"""Tables of a simulated patient (``simulate --out``): the daily time course (wide, and tidy long for Parquet),
the event log, and the full parameter record."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import default_model
from ._result import PatientResult
from ._visits import VisitReadouts, visit_table_values

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
    "crs_temperature_c",
    "crs_vascular_signal_pg_ml",
    "myeloid_activation_index",
    "igg_endogenous_g_l",
    "plasma_cell_niche_fraction",
    "autoreactive_b_fraction",
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


def visits_frame(result: PatientResult) -> pd.DataFrame:
    """What was recorded at each visit, in the scorer's vocabulary (``visits.csv``): ``patient_id``, ``day``, the
    SLEDAI-2K fields (:func:`~lupuscart.journey._visits.visit_table_values`), ``pga`` and ``prednisone_mg_per_day``.

    ``lupuscart score visits.csv`` accepts it as it is and reproduces the simulator's scores.

    Examples
    --------
    >>> from lupuscart.clinical import score_visits
    >>> from lupuscart.journey import simulate_patient
    >>> r = simulate_patient()
    >>> score_visits(visits_frame(r))["sledai2k"].tolist() == [v.sledai2k for v in r.visits]
    True
    """
    failed = result.status == "manufacturing_failed"
    first_ld = np.inf if failed else min((d.time_day for d in result.plan.doses), default=0.0)
    days = np.array([v.day for v in result.visits], dtype=float)
    k = np.searchsorted(result.days, days)
    readouts = VisitReadouts(
        result.plan.config,
        days,
        {name: np.asarray(values)[k] for name, values in result.observables.items()},
        np.array([v.prednisone_mg_per_day for v in result.visits], dtype=float),
        float(first_ld),
    )
    values = visit_table_values([readouts])
    frame = pd.DataFrame({"patient_id": str(result.seed), "day": days})
    for name, column in values.items():
        is_flag = name.endswith("_not_due_to_sle") or (set(np.unique(column)) <= {0.0, 1.0} and name not in _COUNTS)
        frame[name] = column.astype(bool) if is_flag else column
    frame["pga"] = [v.pga for v in result.visits]
    frame["prednisone_mg_per_day"] = readouts.prednisone_mg_per_day
    return frame


#: Numeric visit fields that may happen to be 0/1 but are counts or measurements, not flags.
_COUNTS = frozenset({"arthritis_joints", "proteinuria_g_per_24h", "hematuria_rbc_per_hpf", "pyuria_wbc_per_hpf"})


def timecourse_long(result: PatientResult) -> pd.DataFrame:
    """The daily time course as a tidy long table: one row per (day, observable), with its unit.

    Columns ``patient_id``, ``day``, ``observable``, ``value``, ``unit``; every model observable (not only the
    columns of ``timecourse.csv``), so the table is what ``simulate --out`` writes as ``timecourse.parquet``.

    Examples
    --------
    >>> from lupuscart.journey import simulate_patient
    >>> long = timecourse_long(simulate_patient())
    >>> list(long.columns), long.loc[long["observable"] == "c3_g_l", "unit"].iloc[0]
    (['patient_id', 'day', 'observable', 'value', 'unit'], 'g/L')
    """
    units = {o.name: o.unit for o in default_model().definition.observables}
    names = [n for n in units if n in result.observables]
    days = result.days.astype(float)
    return pd.DataFrame(
        {
            "patient_id": str(result.seed),
            "day": np.tile(days, len(names)),
            "observable": np.repeat(names, days.size),
            "value": np.concatenate([np.asarray(result.observables[n], dtype=float) for n in names]),
            "unit": np.repeat([units[n] for n in names], days.size),
        }
    )


def parameter_record(result: PatientResult) -> dict[str, dict[str, object]]:
    """Every model parameter of the run: value, unit, source and evidence tag, and whether the configuration
    (patient, product, calibration, expert override) set it — the full vector, not only the overrides."""
    model = default_model()
    full = result.plan.full_parameters
    set_by_config = result.plan.parameters
    return {
        p.name: {
            "value": float(full[model.full_index[p.name]]),
            "unit": p.unit,
            "source": p.source,
            "evidence": p.evidence,
            "default": p.value,
            "configured": p.name in set_by_config,
        }
        for p in model.definition.parameters
    }


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
