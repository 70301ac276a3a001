"""The endpoint table of a virtual trial: one row per endpoint, one column per arm, "estimate [95 % interval]".

Shared by the HTML report and the dashboard's Trial page, so both show the same numbers the same way.
"""

from __future__ import annotations

from typing import Any

from ..trial import ENDPOINTS, PERCENT_KINDS


def format_estimate(value: Any, interval: Any, kind: str) -> str:
    """``"62.5 % [30.6, 86.3]"`` for a rate (or a Kaplan–Meier proportion), ``"113 [98, 140]"`` for any other
    kind; ``"—"`` when not estimable.

    Examples
    --------
    >>> format_estimate(0.625, [0.306, 0.863], "rate")
    '62.5 % [30.6, 86.3]'
    >>> format_estimate(113.0, [98.0, 140.5], "mean")
    '113 [98, 140]'
    >>> format_estimate(None, [None, None], "rate")
    '—'
    """
    if value is None or value != value:  # None or NaN
        return "—"
    scale, unit, spec = (100.0, " %", ".1f") if kind in PERCENT_KINDS else (1.0, "", ".3g")
    text = f"{format(value * scale, spec)}{unit}"
    if isinstance(interval, list | tuple) and len(interval) == 2 and None not in interval:
        lo, hi = (format(float(x) * scale, spec) for x in interval)
        text += f" [{lo}, {hi}]"
    return text


def _prediction(arm: dict[str, Any], key: str, kind: str) -> str:
    """``" PI [lo, hi]"`` when the trial ran replicates with parameter uncertainty (``<key>_pi``), else ``""``."""
    pi = arm.get(f"{key}_pi")
    if not isinstance(pi, list | tuple) or len(pi) != 2 or None in pi:
        return ""
    scale, spec = (100.0, ".1f") if kind == "rate" else (1.0, ".3g")
    return f" PI [{format(pi[0] * scale, spec)}, {format(pi[1] * scale, spec)}]"


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
        [e.label]
        + [
            format_estimate(a.get(e.key), a.get(f"{e.key}_ci"), e.kind) + _prediction(a, e.key, e.kind)
            for a in arms.values()
        ]
        for e in ENDPOINTS
    ]
    patients = ["Patients (infused)"] + [f"{a.get('patients', '—')} ({a.get('infused', '—')})" for a in arms.values()]
    return header, [patients, *rows]
