"""One patient's outcome in numbers: the ``simulate --json`` object, typed (architecture.md contract keys and more).

The trial, the dashboard and the report read these fields by name, so they are declared once here with their
units; :meth:`PatientSummary.as_dict` is the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class PatientSummary:
    """Key outcomes of one simulated patient (days relative to infusion; ``None`` where not applicable, e.g. no
    recovery within follow-up, or no product when manufacturing failed)."""

    model_version: str
    model_fingerprint: str
    seed: int
    #: ``ok`` or ``manufacturing_failed``.
    status: str
    car_t_peak_day: float | None
    car_t_peak_per_ul: float
    #: First day after infusion with blood B cells < 1/µL.
    b_cell_aplasia_day: float | None
    #: First day after aplasia with blood B cells ≥ 1/µL.
    b_cell_recovery_day: float | None
    naive_b_fraction_at_recovery: float | None
    sledai2k_baseline: int
    sledai2k_day90: int | None
    doris_day90: bool | None
    #: Lupus Low Disease Activity State at the day-90 visit (Franklyn 2016, from the scored SLEDAI-2K items).
    lldas_day90: bool | None
    #: First visit day in DORIS remission.
    first_remission_day: float | None
    drug_free_remission_day365: bool | None
    anti_dsdna_fraction_day90: float | None
    #: anti-dsDNA below the laboratory's upper limit of normal at day 90.
    anti_dsdna_negative_day90: bool | None
    vaccine_igg_fraction_day365: float | None
    c3_day90_g_l: float | None
    #: Lowest total IgG after infusion relative to the journey start.
    igg_nadir_fraction: float
    #: Lowest serum IgG after infusion (g/L, as measured: infused immunoglobulin included).
    igg_nadir_g_l: float
    #: Endogenous IgG fell below the laboratory's lower limit of normal after infusion.
    igg_below_lln: bool
    #: First day after the nadir with endogenous IgG back at the lower limit of normal (None: never below, or not
    #: recovered within follow-up).
    igg_recovery_day: float | None
    #: Immunoglobulin infusions given by the IgG replacement rule.
    immunoglobulin_doses: int
    crs_max_grade: int
    icans_max_grade: int
    licats_max_grade: int
    licats_events: int
    #: Onset day of the first LICATS event.
    licats_first_onset_day: float | None
    #: Highest total serum IL-6 over the first month (pg/mL).
    il6_peak_pg_ml: float
    anc_nadir_10e9_l: float
    neutropenia_max_grade: int
    infections: int
    serious_infections: int
    serious_infection_days: tuple[float, ...]
    tocilizumab_doses: int
    dexamethasone_doses: int
    flare_day: float | None
    #: ``reference`` or ``fast``.
    engine: str
    rtol: float

    def as_dict(self) -> dict[str, Any]:
        """The ``simulate --json`` object (tuples as lists)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["serious_infection_days"] = list(self.serious_infection_days)
        return out
