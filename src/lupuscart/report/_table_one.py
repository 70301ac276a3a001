"""Table 1: baseline characteristics of a virtual population, next to the published cohort (Mackensen 2022).

Computed over every enrolled virtual patient once (the same patients are given every arm, so one column covers
all arms): continuous characteristics as median [interquartile range], categorical ones as n (%).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..calibrate import mackensen2022

#: Continuous rows: (patient-table column, label with unit, published key in mackensen2022.json or None).
CONTINUOUS: tuple[tuple[str, str, str | None], ...] = (
    ("age_years", "Age, years", "age_years"),
    ("weight_kg", "Weight, kg", None),
    ("bsa_m2", "Body surface area, m²", None),
    ("egfr_ml_min", "eGFR, mL/min", None),
    ("sledai2k_baseline", "SLEDAI-2K at screening", "sledai2k_baseline"),
    ("baseline_proteinuria_g_24h", "Proteinuria, g/24 h", None),
    ("anti_dsdna_iu_ml", "anti-dsDNA, IU/mL", None),
    ("c3_g_l", "C3, g/L", None),
    ("igg_g_l", "IgG, g/L", None),
    ("b_cells_per_ul", "CD19⁺ B cells, /µL", None),
    ("t_cells_per_ul", "T cells, /µL", None),
    ("prednisone_mg_per_day", "Prednisone at screening, mg/day", None),
    ("pga", "Physician global assessment (0–3)", None),
)


def _median_iqr(x: pd.Series) -> str:
    v = x.dropna().astype(float)
    if v.empty:
        return "—"
    q1, q2, q3 = np.percentile(v, [25, 50, 75])
    return f"{q2:.3g} [{q1:.3g}–{q3:.3g}]"


def _published(key: str | None, cohort: dict[str, Any], outcomes: dict[str, Any]) -> str:
    entry = cohort.get(key or "") or outcomes.get(key or "")
    if not entry:
        return ""
    return f"{entry['median']:g} ({entry['min']:g}–{entry['max']:g}) [{entry['tag']}]"


def table_one(patients: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows of Table 1 for the trial's patient table (one arm's rows are used: all arms share them).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"arm": ["a", "a"], "patient_id": [0, 1], "age_years": [20.0, 30.0],
    ...                    "sex": ["female", "male"]})
    >>> header, rows = table_one(df)
    >>> header[1]
    'Virtual population (n=2)'
    >>> [r for r in rows if r[0] in ("Age, years", "Female")]
    [['Female', '1 (50 %)', '4/5 [R]'], ['Age, years', '25 [22.5–27.5]', '22 (18–24) [R]']]
    """
    first = patients["arm"].iloc[0] if "arm" in patients and len(patients) else None
    p = patients[patients["arm"] == first] if first is not None else patients
    published = mackensen2022()
    cohort, outcomes = published["cohort"], published["outcomes"]
    n = len(p)
    header = [
        "Characteristic",
        f"Virtual population (n={n})",
        f"Mackensen 2022 (n={cohort['patients']['value']}), median (range)",
    ]
    rows: list[list[str]] = []
    if "sex" in p:
        female = int((p["sex"] == "female").sum())
        rows.append(["Female", f"{female} ({100 * female / max(n, 1):.0f} %)", f"{cohort['female']['value']}/5 [R]"])
    if "nephritis_class" in p:
        counts = p["nephritis_class"].astype(str).value_counts().sort_index()
        shown = ", ".join(f"{k}: {v}" for k, v in counts.items())
        rows.append(["Lupus nephritis class, n", shown, "III, IV, III/V (all 5) [R]"])
    for column, label, key in CONTINUOUS:
        if column in p:
            rows.append([label, _median_iqr(p[column]), _published(key, cohort, outcomes)])
    return header, rows
