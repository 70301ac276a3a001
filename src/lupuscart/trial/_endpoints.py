"""Trial endpoints from the patient and visit tables: rates with Wilson 95 % intervals, summaries, KM curves.

Analysis sets: efficacy and safety are analysed in the *infused* patients (status ``ok``), as in the published
cohorts; ``manufacturing_failure_rate`` is over all enrolled patients whose simulation finished. Patients whose
solve failed even with the tighter tolerance (status ``solver_failed``, reason in ``failure_reason``) have no
outcome: they are excluded from every rate, median and curve and counted in ``solver_failures``; ``errors`` counts
patients that hit a bug. Definitions:

* ``doris_month3_rate`` / ``doris_month6_rate``: DORIS 2021 remission at the day-90 / day-180 visit;
* ``drug_free_remission_month12_rate`` / ``..._month24_rate``: DORIS with prednisone 0 mg/day and no flare
  before the day-365 / day-730 visit;
* ``crs_*``, ``icans_any_rate``, ``licats_any_rate``: worst ASTCT / LICATS grade ≥ 1, ≥ 2, ≥ 3;
* ``serious_infection_month12_rate``: at least one serious infection by day 365;
* ``b_cell_recovery_day_mean``/``_sd``: among patients whose B cells returned during follow-up (the KM curve
  ``b_cell_recovery`` includes those censored at the end of follow-up);
* ``nonresponse_month3_rate``, ``relapse_by_month24_rate``, ``anti_dsdna_negative_month3_rate``, the IgG,
  LICATS and IL-6 endpoints: as defined in the endpoint registry (``_endpoint_registry``);
* ``drug_free_remission_reached_by_month12`` and ``drug_free_remission_maintained_2y_after_onset``: Kaplan–Meier
  estimates of events seen only at visits, i.e. interval-censored: on the common visit schedule this is the
  Turnbull NPMLE at the visit days (see :mod:`._statistics`).

Arms are also compared *within patient* (:func:`paired_differences`): the same virtual patients are simulated
under every arm, so each arm's difference from the first arm has a paired interval (:mod:`._paired`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..model import MODEL_VERSION, default_model
from ._analysis import TrialAnalysis, percentiles_from_counts, visit_fields_of_table
from ._config import TrialConfig
from ._endpoint_registry import RATE_KEYS
from ._paired import paired_mean_difference, paired_rate_difference
from ._resample import small_trial_table
from ._statistics import KaplanMeier, kaplan_meier, mean_interval, median_interval, wilson_interval


def _rate(flags: pd.Series) -> tuple[float | None, list[float | None], int]:
    x = flags.dropna().astype(bool)
    n, k = int(x.size), int(x.sum())
    if n == 0:
        return None, [None, None], 0
    lo, hi = wilson_interval(k, n)
    return k / n, [lo, hi], n


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _grade_distribution(grades: pd.Series) -> dict[str, float]:
    g = grades.fillna(0).astype(int)
    return {str(k): float(np.mean(g == k)) for k in range(0, 5)} if g.size else {}


def km_curves(
    patients: pd.DataFrame, visits: pd.DataFrame | None = None, *, visit_grid: npt.ArrayLike | None = None
) -> dict[str, KaplanMeier]:
    """Kaplan–Meier curves of one arm's infused patients.

    * ``b_cell_recovery``: time from infusion to B-cell recovery (event; the simulator reads B cells daily, so
      the day is exact to one day), censored at the end of follow-up; plotted as the cumulative incidence 1 − S(t).
    * ``drug_free_remission``: time from infusion to the first visit in drug-free DORIS remission (event),
      censored at the last visit; plotted as 1 − S(t), the share that has reached drug-free remission. Seen only
      at visits: interval-censored, estimated on the visit grid (Turnbull NPMLE at visit days).
    * ``drug_free_remission_duration``: among those who reached it, time from that visit to the first visit out
      of drug-free remission (flare or activity; event), censored at the last visit; interval-censored at both
      ends, measured between the visits that saw onset and loss.

    The remission times are the patient rows' visit fields (:func:`~lupuscart.trial._analysis.visit_fields`);
    for tables written without them, ``visits`` (the visit rows) supplies them. ``visit_grid`` is the visit days
    after treatment (default: those of ``visits``, or the patients' onset and last-visit days).
    """
    ok = patients[patients["status"] == "ok"]
    if "dfr_onset_day" not in ok and visits is not None and len(visits):
        fields = visit_fields_of_table(visits[visits["arm"].isin(ok["arm"].unique())])
        ok = ok.merge(fields, on=["arm", "patient_id"], how="left")
    if visit_grid is None:
        days = (
            visits.loc[visits["patient_id"].isin(ok["patient_id"]), "day"]
            if visits is not None and len(visits)
            else ok.get("last_visit_day", pd.Series(dtype=float))
        )
        visit_grid = np.unique(
            np.concatenate([[0.0], np.asarray(days, dtype=float)[np.asarray(days, dtype=float) > 0]])
        )
    end = ok["end_of_followup_day"].astype(float)
    rec = ok["b_cell_recovery_day"].astype(float)
    t_rec = np.where(rec.notna(), rec, end)
    e_rec = rec.notna().to_numpy(dtype=float)
    seen = ok[ok["last_visit_day"].notna()] if "last_visit_day" in ok else ok.iloc[:0]
    onset = seen["dfr_onset_day"].astype(float).to_numpy()
    lost = seen["dfr_lost_day"].astype(float).to_numpy()
    last_visit = seen["last_visit_day"].astype(float).to_numpy()
    reached = ~np.isnan(onset)
    onset_t = np.where(reached, onset, last_visit)
    dur_t = (np.where(np.isnan(lost), last_visit, lost) - onset)[reached]
    dur_e = (~np.isnan(lost))[reached].astype(float)
    last = float(end.max()) if len(end) else None
    first_onset = float(onset[reached].min()) if reached.any() else 0.0
    durations = np.unique(np.concatenate([[0.0], dur_t]))
    return {
        "b_cell_recovery": kaplan_meier(np.asarray(t_rec, dtype=float), e_rec, follow_up_end=last),
        "drug_free_remission": kaplan_meier(
            onset_t, reached.astype(float), inspection_times=np.asarray(visit_grid, dtype=float), follow_up_end=last
        ),
        "drug_free_remission_duration": kaplan_meier(
            dur_t, dur_e, inspection_times=durations, follow_up_end=None if last is None else last - first_onset
        ),
    }


def arm_endpoints(
    patients: pd.DataFrame,
    sledai2k_counts: Mapping[float, Mapping[int, int]],
    visit_grid: npt.ArrayLike,
    seed: int,
) -> dict[str, Any]:
    """The ``trial --json`` endpoints of one arm (see the module docstring for the definitions), from its analysis
    set: the patients' compact columns, the counts of SLEDAI-2K values per visit day and the visit days."""
    ok = patients[patients["status"] == "ok"]
    enrolled = patients[patients["status"] != "solver_failed"]
    crs = ok["crs_max_grade"].fillna(0).astype(int) if len(ok) else pd.Series(dtype=int)
    out: dict[str, Any] = {"patients": len(patients), "infused": len(ok), "seed": seed}
    flags = {
        "doris_month3_rate": ok.get("doris_day90", pd.Series(dtype=object)),
        "doris_month6_rate": _column(ok, "doris_day180").astype(bool),
        "drug_free_remission_month12_rate": ok.get("drug_free_remission_day365", pd.Series(dtype=object)),
        "drug_free_remission_month24_rate": ok.get("drug_free_remission_day730", pd.Series(dtype=object)),
        "crs_any_rate": crs >= 1,
        "crs_grade2plus_rate": crs >= 2,
        "crs_grade3plus_rate": crs >= 3,
        "icans_any_rate": ok.get("icans_max_grade", pd.Series(dtype=float)).fillna(0) >= 1,
        "licats_any_rate": ok.get("licats_max_grade", pd.Series(dtype=float)).fillna(0) >= 1,
        "licats_grade3plus_rate": ok.get("licats_max_grade", pd.Series(dtype=float)).fillna(0) >= 3,
        "nonresponse_month3_rate": _nonresponse(ok),
        "relapse_by_month24_rate": _relapse_by(ok, 730.0),
        "anti_dsdna_negative_month3_rate": ok.get("anti_dsdna_negative_day90", pd.Series(dtype=object)),
        "igg_replacement_rate": ok.get("immunoglobulin_doses", pd.Series(dtype=float)).fillna(0) > 0,
        "serious_infection_month12_rate": ok.get("serious_infection_month12", pd.Series(dtype=object)),
        "manufacturing_failure_rate": enrolled["status"] == "manufacturing_failed",
    }
    for key in RATE_KEYS:
        rate, ci, n = _rate(flags[key])
        out[key] = rate
        out[f"{key}_ci"] = ci
        out[f"{key}_n"] = n
    sl0 = ok["sledai2k_baseline"].dropna().astype(float) if len(ok) else pd.Series(dtype=float)
    sl6 = _column(ok, "sledai2k_day180")
    sl3 = ok["sledai2k_day90"].dropna().astype(float) if len(ok) else pd.Series(dtype=float)
    for key, x in (("sledai2k_baseline_median", sl0), ("sledai2k_month3_median", sl3), ("sledai2k_month6_median", sl6)):
        out[key] = _num(float(np.median(x))) if len(x) else None
        out[f"{key}_ci"] = [_num(v) for v in median_interval(x.to_numpy())] if len(x) else [None, None]
    rec = ok["b_cell_recovery_day"].dropna().astype(float) if len(ok) else pd.Series(dtype=float)
    out["b_cell_recovery_day_mean"] = _num(float(rec.mean())) if len(rec) else None
    out["b_cell_recovery_day_mean_ci"] = [_num(v) for v in mean_interval(rec.to_numpy())]
    out["b_cell_recovery_day_sd"] = _num(float(rec.std(ddof=1))) if len(rec) > 1 else None
    out["b_cell_recovery_n"] = len(rec)
    for key, column in (
        ("crs_il6_peak_pg_ml_median", "il6_peak_pg_ml"),
        ("licats_onset_day_median", "licats_first_onset_day"),
        ("igg_nadir_g_l_median", "igg_nadir_g_l"),
        ("igg_recovery_day_median", "igg_recovery_day"),
    ):
        x = _column(ok, column)
        out[key] = _num(float(np.median(x))) if len(x) else None
        out[f"{key}_ci"] = [_num(v) for v in median_interval(x.to_numpy())] if len(x) else [None, None]
    events = _column(ok, "licats_events")
    out["licats_events_per_patient_mean"] = _num(float(events.mean())) if len(events) else None
    out["licats_events_per_patient_mean_ci"] = [_num(v) for v in mean_interval(events.to_numpy())]
    peak = ok["car_t_peak_day"].dropna().astype(float) if len(ok) else pd.Series(dtype=float)
    out["car_t_peak_day_median"] = _num(float(peak.median())) if len(peak) else None
    out["car_t_peak_day_median_ci"] = [_num(v) for v in median_interval(peak.to_numpy())]
    if len(ok):
        out["crs_grade_distribution"] = _grade_distribution(ok["crs_max_grade"])
        out["icans_grade_distribution"] = _grade_distribution(ok["icans_max_grade"])
        out["licats_grade_distribution"] = _grade_distribution(ok["licats_max_grade"])
        out["neutropenia_grade_distribution"] = _grade_distribution(ok["neutropenia_max_grade"])
        out["tocilizumab_any_rate"] = float(np.mean(ok["tocilizumab_doses"] > 0))
        out["sledai2k_by_visit"] = {
            f"{day:g}": percentiles_from_counts(counts, [5, 25, 50, 75, 95])
            for day, counts in sorted(sledai2k_counts.items())
        }
        km = km_curves(ok, visit_grid=visit_grid)
        out["b_cell_recovery_km_median_day"] = km["b_cell_recovery"].median()
        out["b_cell_recovery_km_median_day_ci"] = list(km["b_cell_recovery"].median_interval())
        reached = km["drug_free_remission"]
        lo, hi = reached.interval_at(365.0)
        out["drug_free_remission_reached_by_month12"] = _num(1.0 - reached.at(365.0))
        out["drug_free_remission_reached_by_month12_ci"] = [_num(1.0 - hi), _num(1.0 - lo)]
        kept = km["drug_free_remission_duration"]
        out["drug_free_remission_maintained_2y_after_onset"] = _num(kept.at(730.0))
        out["drug_free_remission_maintained_2y_after_onset_ci"] = [_num(x) for x in kept.interval_at(730.0)]
    errors = patients["status"].astype(str).str.startswith("error")
    out["errors"] = int(errors.sum())
    out["solver_failures"] = int((patients["status"] == "solver_failed").sum())
    return out


def _column(ok: pd.DataFrame, column: str) -> pd.Series:
    """The non-missing values of one summary column among infused patients, as floats."""
    if not len(ok) or column not in ok:
        return pd.Series(dtype=float)
    return ok[column].dropna().astype(float)


def _nonresponse(ok: pd.DataFrame) -> pd.Series:
    """Neither DORIS nor LLDAS at day 90 (missing where the day-90 visit is missing)."""
    if not len(ok) or "lldas_day90" not in ok:
        return pd.Series(dtype=object)
    known = ok["doris_day90"].notna() & ok["lldas_day90"].notna()
    flags = ~(ok["doris_day90"].astype(bool) | ok["lldas_day90"].astype(bool))
    return flags[known]


def _relapse_by(ok: pd.DataFrame, day: float) -> pd.Series:
    """A flare by ``day`` among patients in remission by day 180 and followed to ``day``."""
    if not len(ok) or "first_remission_day" not in ok:
        return pd.Series(dtype=object)
    remission = ok["first_remission_day"].notna() & (ok["first_remission_day"].astype(float) <= 180.0)
    followed = ok["end_of_followup_day"].astype(float) >= day if "end_of_followup_day" in ok else remission
    at_risk = ok[remission & followed]
    flare = at_risk["flare_day"].astype(float)
    return (flare.notna() & (flare <= day)) & (flare > at_risk["first_remission_day"].astype(float))


def compute_endpoints(config: TrialConfig, analysis: TrialAnalysis) -> dict[str, Any]:
    """The ``trial --json`` object from the trial's analysis set: first arm's endpoints at the top level, all arms
    under ``arms``, and the paired differences between arms."""
    arms: dict[str, Any] = {}
    for arm in config.arms:
        p = analysis.arm(arm)
        arms[arm] = arm_endpoints(p, analysis.sledai2k_counts.get(arm, {}), analysis.visit_grid(arm), config.seed)
        arms[arm]["small_trial"] = small_trial_table(p, config.small_trial.sizes, config.small_trial.draws, config.seed)
    first = next(iter(config.arms))
    return {
        "arm": first,
        **arms[first],
        "model_version": MODEL_VERSION,
        "model_fingerprint": default_model().definition.fingerprint,
        "arms": arms,
        "paired_differences": paired_differences(analysis.patients, list(config.arms), config.seed),
    }


#: Endpoints compared within patient between arms: key -> (patient column or visit day, kind).
PAIRED_RATES: dict[str, str] = {
    "doris_month3_rate": "doris_day90",
    "drug_free_remission_month12_rate": "drug_free_remission_day365",
    "crs_any_rate": "crs_max_grade>=1",
    "crs_grade2plus_rate": "crs_max_grade>=2",
    "icans_any_rate": "icans_max_grade>=1",
    "licats_any_rate": "licats_max_grade>=1",
    "serious_infection_month12_rate": "serious_infection_month12",
}
PAIRED_MEANS: dict[str, str] = {
    "sledai2k_month6_mean": "SLEDAI-2K at the day-180 visit",
    "b_cell_recovery_day_mean": "B-cell recovery day (patients who recovered under both arms)",
    "car_t_peak_day_mean": "CAR T peak day",
}


def _paired_column(ok: pd.DataFrame, column: str) -> pd.Series:
    name, _, threshold = column.partition(">=")
    x = ok[name]
    if threshold:
        return (x.fillna(0).astype(float) >= float(threshold)).astype(float)
    return x.map(lambda v: np.nan if v is None or v != v else float(bool(v)))


def paired_differences(patients: pd.DataFrame, arms: list[str], seed: int) -> dict[str, dict[str, Any]]:
    """Each arm minus the first arm, within patient: rates with Tango's score interval, means with a paired
    bootstrap interval, over the patients infused under both arms (``{arm: {endpoint: {estimate, ci, pairs,
    method}}}``; empty with a single arm)."""
    if len(arms) < 2 or patients.empty:
        return {}
    ok = patients[patients["status"] == "ok"].set_index(["arm", "patient_id"])
    reference = arms[0]
    out: dict[str, dict[str, Any]] = {}
    for arm in arms[1:]:
        ids = sorted(set(ok.loc[arm].index) & set(ok.loc[reference].index)) if arm in ok.index else []
        a = cast(pd.DataFrame, ok.loc[arm].loc[ids])
        r = cast(pd.DataFrame, ok.loc[reference].loc[ids])
        result: dict[str, Any] = {}
        for key, column in PAIRED_RATES.items():
            result[key] = paired_rate_difference(_paired_column(a, column), _paired_column(r, column)).as_dict()
        for key, column in (
            ("sledai2k_month6_mean", "sledai2k_day180"),
            ("b_cell_recovery_day_mean", "b_cell_recovery_day"),
            ("car_t_peak_day_mean", "car_t_peak_day"),
        ):
            result[key] = paired_mean_difference(
                a[column].astype(float).to_numpy(), r[column].astype(float).to_numpy(), seed=seed
            ).as_dict()
        out[arm] = {"reference": reference, **result}
    return out
