"""The endpoint table of a virtual trial: one row per endpoint, one column per arm, "estimate [95 % interval]".

Shared by the HTML report and the dashboard's Trial page, so both show the same numbers the same way.
"""

from __future__ import annotations

from typing import Any

#: (key in the ``trial --json`` object, label, kind): kind ``rate`` is shown in percent, ``value`` as is.
ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("doris_month3_rate", "DORIS remission, month 3", "rate"),
    ("doris_month6_rate", "DORIS remission, month 6", "rate"),
    ("drug_free_remission_month12_rate", "Drug-free remission, month 12", "rate"),
    ("drug_free_remission_month24_rate", "Drug-free remission, month 24", "rate"),
    ("sledai2k_baseline_median", "SLEDAI-2K baseline, median", "value"),
    ("sledai2k_month6_median", "SLEDAI-2K month 6, median", "value"),
    ("crs_any_rate", "CRS, any grade", "rate"),
    ("crs_grade2plus_rate", "CRS grade ≥ 2", "rate"),
    ("crs_grade3plus_rate", "CRS grade ≥ 3", "rate"),
    ("icans_any_rate", "ICANS, any grade", "rate"),
    ("licats_any_rate", "LICATS, any grade", "rate"),
    ("serious_infection_month12_rate", "Serious infection by month 12", "rate"),
    ("b_cell_recovery_day_mean", "B-cell recovery day, mean", "value"),
    ("car_t_peak_day_median", "CAR T peak day, median", "value"),
    ("manufacturing_failure_rate", "Manufacturing failure", "rate"),
)


def format_estimate(value: Any, interval: Any, kind: str) -> str:
    """``"62.5 % [30.6, 86.3]"`` for a rate, ``"113 [98, 140]"`` for a value; ``"—"`` when not estimable.

    Examples
    --------
    >>> format_estimate(0.625, [0.306, 0.863], "rate")
    '62.5 % [30.6, 86.3]'
    >>> format_estimate(113.0, [98.0, 140.5], "value")
    '113 [98, 140]'
    >>> format_estimate(None, [None, None], "rate")
    '—'
    """
    if value is None or value != value:  # None or NaN
        return "—"
    scale, unit, spec = (100.0, " %", ".1f") if kind == "rate" else (1.0, "", ".3g")
    text = f"{format(value * scale, spec)}{unit}"
    if isinstance(interval, list | tuple) and len(interval) == 2 and None not in interval:
        lo, hi = (format(float(x) * scale, spec) for x in interval)
        text += f" [{lo}, {hi}]"
    return text


def arms_of(endpoints: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The per-arm endpoint objects (a single unnamed arm when the object has no ``arms``)."""
    arms = endpoints.get("arms")
    if isinstance(arms, dict) and arms:
        return arms
    return {str(endpoints.get("arm", "trial")): endpoints}


def endpoint_rows(endpoints: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header (``Endpoint``, then one column per arm) and rows of formatted estimates with 95 % intervals.

    Examples
    --------
    >>> header, rows = endpoint_rows({"arms": {"a": {"crs_any_rate": 0.5, "crs_any_rate_ci": [0.2, 0.8]}}})
    >>> header, [r for r in rows if r[0] == "CRS, any grade"]
    (['Endpoint', 'a'], [['CRS, any grade', '50.0 % [20.0, 80.0]']])
    """
    arms = arms_of(endpoints)
    header = ["Endpoint", *arms]
    rows = [
        [label] + [format_estimate(a.get(key), a.get(f"{key}_ci"), kind) for a in arms.values()]
        for key, label, kind in ENDPOINTS
    ]
    patients = ["Patients (infused)"] + [f"{a.get('patients', '—')} ({a.get('infused', '—')})" for a in arms.values()]
    return header, [patients, *rows]
