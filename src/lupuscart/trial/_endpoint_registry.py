"""The endpoints of a virtual trial, declared once: key, label, kind, definition and interval.

Every view of a trial reads this one table — the terminal summary of ``lupuscart trial``, the HTML report and the
dashboard's Trial page — and :mod:`._endpoints` computes one value (and interval) per entry, so a new endpoint is
one line here plus its computation. Keys are the ``trial --json`` keys (architecture.md); the interval of each
estimate is under ``<key>_ci``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EndpointKind = Literal["rate", "median", "mean", "sd", "count", "km_rate", "km_median"]

#: How the 95 % interval of each kind of estimate is computed (shown in the tables' captions).
INTERVALS: dict[EndpointKind, str] = {
    "rate": "Wilson score 95 % interval",
    "median": "distribution-free 95 % interval (binomial order statistics)",
    "mean": "Student-t 95 % interval",
    "sd": "no interval",
    "count": "no interval",
    "km_rate": "Kaplan–Meier estimate with log(−log) Greenwood 95 % interval",
    "km_median": "Kaplan–Meier median; 95 % interval where the log(−log) band crosses one half",
}
#: How the 95 % prediction interval (``<key>_pi``) is computed, for trials run with replicates (``--replicates``).
PREDICTION_INTERVAL = (
    "95 % prediction interval: 2.5th-97.5th percentile of the endpoint over replicate trials of the same size, each "
    "with the calibrated parameters drawn from their uncertainty and a fresh population (parameter uncertainty and "
    "sampling)"
)


@dataclass(frozen=True)
class Endpoint:
    """One trial endpoint: its ``trial --json`` key, a label for tables and figures, its kind and definition."""

    key: str
    label: str
    kind: EndpointKind
    definition: str

    @property
    def interval(self) -> str:
        """How the 95 % interval (``<key>_ci``) is computed."""
        return INTERVALS[self.kind]

    @property
    def prediction_interval(self) -> str | None:
        """How the 95 % prediction interval (``<key>_pi``, trials with replicates) is computed; ``None`` for counts."""
        return None if self.kind == "count" else PREDICTION_INTERVAL


E = Endpoint
#: The endpoints in the order tables show them.
ENDPOINTS: tuple[Endpoint, ...] = (
    E("doris_month3_rate", "DORIS remission, month 3", "rate", "DORIS 2021 remission at the day-90 visit"),
    E("doris_month6_rate", "DORIS remission, month 6", "rate", "DORIS 2021 remission at the day-180 visit"),
    E(
        "drug_free_remission_month12_rate",
        "Drug-free remission, month 12",
        "rate",
        "DORIS remission with prednisone 0 mg/day and no flare before the day-365 visit",
    ),
    E(
        "drug_free_remission_month24_rate",
        "Drug-free remission, month 24",
        "rate",
        "DORIS remission with prednisone 0 mg/day and no flare before the day-730 visit",
    ),
    E(
        "nonresponse_month3_rate",
        "Non-response, month 3",
        "rate",
        "neither DORIS remission nor LLDAS at the day-90 visit",
    ),
    E(
        "relapse_by_month24_rate",
        "Relapse by month 24",
        "rate",
        "a flare by day 730, among patients in DORIS remission by the day-180 visit (followed to day 730)",
    ),
    E(
        "anti_dsdna_negative_month3_rate",
        "anti-dsDNA negative, month 3",
        "rate",
        "anti-dsDNA below the laboratory's upper limit of normal at day 90",
    ),
    E("sledai2k_baseline_median", "SLEDAI-2K baseline, median", "median", "SLEDAI-2K at screening"),
    E("sledai2k_month3_median", "SLEDAI-2K month 3, median", "median", "SLEDAI-2K at the day-90 visit"),
    E("sledai2k_month6_median", "SLEDAI-2K month 6, median", "median", "SLEDAI-2K at the day-180 visit"),
    E(
        "b_cell_recovery_day_mean",
        "B-cell recovery day, mean",
        "mean",
        "first day after aplasia with blood B cells ≥ 1/µL, among patients whose B cells returned",
    ),
    E("b_cell_recovery_day_sd", "B-cell recovery day, SD", "sd", "standard deviation of the B-cell recovery day"),
    E(
        "b_cell_recovery_km_median_day",
        "B-cell recovery day, Kaplan–Meier median",
        "km_median",
        "median time from infusion to B-cell recovery, censored at the end of follow-up",
    ),
    E(
        "drug_free_remission_reached_by_month12",
        "Drug-free remission reached by month 12 (Kaplan–Meier)",
        "km_rate",
        "share that reached drug-free DORIS remission at a visit by day 365; seen only at visits, so "
        "interval-censored (Turnbull estimate at visit days)",
    ),
    E(
        "drug_free_remission_maintained_2y_after_onset",
        "Drug-free remission maintained 2 years after onset (Kaplan–Meier)",
        "km_rate",
        "among those who reached it, share still in drug-free remission 730 days after the onset visit",
    ),
    E("car_t_peak_day_median", "CAR T peak day, median", "median", "day of the highest blood CAR T count"),
    E("crs_any_rate", "CRS, any grade", "rate", "worst ASTCT CRS grade ≥ 1"),
    E("crs_grade2plus_rate", "CRS grade ≥ 2", "rate", "worst ASTCT CRS grade ≥ 2"),
    E("crs_grade3plus_rate", "CRS grade ≥ 3", "rate", "worst ASTCT CRS grade ≥ 3"),
    E(
        "crs_il6_peak_pg_ml_median",
        "IL-6 peak (pg/mL), median",
        "median",
        "highest total serum IL-6 over the first month after infusion",
    ),
    E("icans_any_rate", "ICANS, any grade", "rate", "worst ASTCT ICANS grade ≥ 1"),
    E("licats_any_rate", "LICATS, any grade", "rate", "at least one LICATS event (Hagen 2025 grading)"),
    E("licats_grade3plus_rate", "LICATS grade ≥ 3", "rate", "at least one LICATS event needing hospitalisation"),
    E("licats_events_per_patient_mean", "LICATS events per patient", "mean", "LICATS events per infused patient"),
    E(
        "licats_onset_day_median",
        "LICATS onset day, median",
        "median",
        "onset day of each patient's first LICATS event, among patients with LICATS",
    ),
    E(
        "igg_nadir_g_l_median",
        "IgG nadir (g/L), median",
        "median",
        "lowest serum IgG after infusion (infused immunoglobulin included, as measured)",
    ),
    E(
        "igg_recovery_day_median",
        "IgG recovery day, median",
        "median",
        "first day after the nadir with endogenous IgG back at the lower limit of normal, among patients whose "
        "IgG fell below it and recovered; null when no patient's IgG fell below it",
    ),
    E(
        "igg_replacement_rate",
        "IgG replacement",
        "rate",
        "at least one immunoglobulin infusion by the IgG replacement rule",
    ),
    E(
        "serious_infection_month12_rate",
        "Serious infection by month 12",
        "rate",
        "at least one serious infection by day 365",
    ),
    E(
        "manufacturing_failure_rate",
        "Manufacturing failure",
        "rate",
        "product not manufactured, among enrolled patients whose simulation finished",
    ),
    E("solver_failures", "Solver failures (excluded)", "count", "patients whose solve failed at every tolerance"),
)

#: Endpoint kinds shown as percentages.
PERCENT_KINDS: frozenset[EndpointKind] = frozenset({"rate", "km_rate"})
#: Keys of the endpoints that are proportions (Wilson intervals, ``_n`` denominators).
RATE_KEYS: tuple[str, ...] = tuple(e.key for e in ENDPOINTS if e.kind == "rate")


def endpoint(key: str) -> Endpoint:
    """The registered endpoint ``key``.

    >>> endpoint("crs_any_rate").label
    'CRS, any grade'
    """
    for e in ENDPOINTS:
        if e.key == key:
            return e
    raise KeyError(f"unknown endpoint {key!r}; registered: {[e.key for e in ENDPOINTS]}")
