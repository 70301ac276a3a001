"""Direction checks: how the arms of the validation suite must compare if the mechanisms behave as the therapy does.

Each check reads the arms' endpoints (``trial --json`` keys) and is true or false. They encode published
directions rather than numbers: lymphodepletion alone does not give lasting remission (refractory patients have
already failed cyclophosphamide); CRS rises with the CAR T dose (Hay 2017); prophylactic tocilizumab lowers the
severity of CRS, not its occurrence (Caimi 2021); a BCMA-directed product removes the CD19⁻ plasma cells behind
the autoantibody floor and the protective IgG, which then regenerates (Feng 2025, Wang 2021).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Arms = Mapping[str, Mapping[str, Any]]
DOSE_LADDER = ("cd19_1e5", "cd19_1e6_erlangen", "cd19_5e6", "cd19_2e7")


def _value(arms: Arms, arm: str, key: str) -> float:
    v = arms[arm][key]
    return float("nan") if v is None else float(v)


def _non_decreasing(arms: Arms, key: str, ladder: tuple[str, ...] = DOSE_LADDER) -> bool:
    values = [_value(arms, a, key) for a in ladder]
    return all(a <= b for a, b in itertools.pairwise(values))


@dataclass(frozen=True)
class Direction:
    """A named comparison between arms, with the source of the expectation."""

    key: str
    statement: str
    source: str
    holds: Callable[[Arms], bool]
    shows: tuple[tuple[str, str], ...]


D = Direction
DIRECTIONS: tuple[Direction, ...] = (
    D(
        "ld_alone_no_lasting_remission",
        "drug-free remission at month 24: lymphodepletion alone < CD19 CAR T (Erlangen and low-intensity LD)",
        "Mackensen2022",
        lambda a: (
            _value(a, "ld_only_erlangen", "drug_free_remission_month24_rate")
            < _value(a, "cd19_1e6_erlangen", "drug_free_remission_month24_rate")
            and _value(a, "ld_only_low_intensity", "drug_free_remission_month24_rate")
            < _value(a, "cd19_1e6_low_intensity", "drug_free_remission_month24_rate")
        ),
        (
            ("ld_only_erlangen", "drug_free_remission_month24_rate"),
            ("cd19_1e6_erlangen", "drug_free_remission_month24_rate"),
            ("ld_only_low_intensity", "drug_free_remission_month24_rate"),
            ("cd19_1e6_low_intensity", "drug_free_remission_month24_rate"),
        ),
    ),
    D(
        "ld_alone_no_doris",
        "DORIS at month 3: lymphodepletion alone < CD19 CAR T",
        "Mackensen2022",
        lambda a: (
            _value(a, "ld_only_erlangen", "doris_month3_rate") < _value(a, "cd19_1e6_erlangen", "doris_month3_rate")
        ),
        (("ld_only_erlangen", "doris_month3_rate"), ("cd19_1e6_erlangen", "doris_month3_rate")),
    ),
    D(
        "crs_rises_with_dose",
        "CRS grade ≥ 2 rate and median IL-6 peak non-decreasing along the dose ladder 1e5 → 2e7 cells/kg",
        "Hay2017",
        lambda a: _non_decreasing(a, "crs_grade2plus_rate") and _non_decreasing(a, "crs_il6_peak_pg_ml_median"),
        tuple((arm, "crs_grade2plus_rate") for arm in DOSE_LADDER)
        + tuple((arm, "crs_il6_peak_pg_ml_median") for arm in DOSE_LADDER),
    ),
    D(
        "remission_rises_with_dose",
        "drug-free remission at month 24 non-decreasing along the dose ladder (deeper, longer depletion)",
        "Mackensen2022",
        lambda a: _non_decreasing(a, "drug_free_remission_month24_rate"),
        tuple((arm, "drug_free_remission_month24_rate") for arm in DOSE_LADDER),
    ),
    D(
        "prophylaxis_shifts_severity",
        "prophylactic tocilizumab: CRS grade ≥ 2 no higher than with ASCO management, CRS any grade still ≥ half",
        "Caimi2021",
        lambda a: (
            _value(a, "tocilizumab_prophylactic", "crs_grade2plus_rate")
            <= _value(a, "cd19_1e6_erlangen", "crs_grade2plus_rate")
            and _value(a, "tocilizumab_prophylactic", "crs_any_rate")
            >= 0.5 * _value(a, "cd19_1e6_erlangen", "crs_any_rate")
            > 0
        ),
        (
            ("tocilizumab_prophylactic", "crs_grade2plus_rate"),
            ("cd19_1e6_erlangen", "crs_grade2plus_rate"),
            ("tocilizumab_prophylactic", "crs_any_rate"),
            ("cd19_1e6_erlangen", "crs_any_rate"),
        ),
    ),
    D(
        "bcma_deeper_serology",
        "BCMA-CD19: anti-dsDNA negative at month 3 at least as often, lower IgG nadir, more IgG replacement",
        "Feng2025",
        lambda a: (
            _value(a, "bcma_cd19_1e6", "anti_dsdna_negative_month3_rate")
            >= _value(a, "cd19_1e6_erlangen", "anti_dsdna_negative_month3_rate")
            and _value(a, "bcma_cd19_1e6", "igg_nadir_g_l_median")
            < _value(a, "cd19_1e6_erlangen", "igg_nadir_g_l_median")
            and _value(a, "bcma_cd19_1e6", "igg_replacement_rate")
            > _value(a, "cd19_1e6_erlangen", "igg_replacement_rate")
        ),
        (
            ("bcma_cd19_1e6", "anti_dsdna_negative_month3_rate"),
            ("cd19_1e6_erlangen", "anti_dsdna_negative_month3_rate"),
            ("bcma_cd19_1e6", "igg_nadir_g_l_median"),
            ("cd19_1e6_erlangen", "igg_nadir_g_l_median"),
            ("bcma_cd19_1e6", "igg_replacement_rate"),
        ),
    ),
    D(
        "bcma_igg_recovers",
        "BCMA-CD19: IgG recovers within follow-up (plasma cells regenerate from the returning B cells)",
        "Wang2021",
        lambda a: a["bcma_cd19_1e6"]["igg_recovery_day_median"] is not None,
        (("bcma_cd19_1e6", "igg_recovery_day_median"),),
    ),
    D(
        "relapse_possible",
        "relapse by month 24 is possible after CAR T (a non-zero rate in at least one CAR T arm)",
        "Muller2025",
        lambda a: (
            max(
                _value(a, arm, "relapse_by_month24_rate")
                for arm in (*DOSE_LADDER, "cd19_1e6_low_intensity")
                if a[arm]["relapse_by_month24_rate"] is not None
            )
            > 0
        ),
        tuple((arm, "relapse_by_month24_rate") for arm in ("cd19_1e5", "cd19_1e6_erlangen", "cd19_1e6_low_intensity")),
    ),
)
