"""Plotly figures of a virtual trial for the dashboard: Kaplan–Meier curves per arm and a forest plot of arms.

They take the trial's tables (``patients``, ``visits``) and endpoint object, so a trial run in the dashboard and
one loaded from a ``lupuscart trial --out`` folder are drawn the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..report import arms_of
from ..trial import ENDPOINTS

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

_COLOURS = ("#1d3557", "#e76f51", "#2a9d8f", "#6a4c93", "#e9c46a", "#457b9d")
#: KM curve key -> (title, drawn as cumulative incidence 1 - S).
_KM_TITLES = {
    "b_cell_recovery": ("B-cell recovery (cumulative incidence)", True),
    "drug_free_remission": ("Drug-free DORIS remission", True),
    "drug_free_remission_duration": ("Drug-free remission maintained", False),
}
#: Rates compared between arms in the forest plot.
FOREST_KEYS = (
    "doris_month3_rate",
    "doris_month6_rate",
    "drug_free_remission_month12_rate",
    "crs_any_rate",
    "crs_grade2plus_rate",
    "icans_any_rate",
    "licats_any_rate",
    "serious_infection_month12_rate",
)


def km_figure(patients: pd.DataFrame, visits: pd.DataFrame, arms: list[str]) -> go.Figure:
    """Kaplan–Meier curves (step lines with 95 % Greenwood bands), one panel per curve, one colour per arm."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..trial import km_curves

    per_arm = {}
    for arm in arms:
        p = patients[patients["arm"] == arm]
        v = visits[visits["arm"] == arm] if not visits.empty else visits
        per_arm[arm] = km_curves(p, v) if len(p) else {}
    keys = list(dict.fromkeys(k for curves in per_arm.values() for k in curves))
    titles = [_KM_TITLES.get(k, (k.replace("_", " "), False))[0] for k in keys]
    fig = make_subplots(rows=1, cols=max(len(keys), 1), subplot_titles=titles or ["no infused patients"])
    for i, arm in enumerate(arms):
        colour = _COLOURS[i % len(_COLOURS)]
        for col, key in enumerate(keys, start=1):
            km = per_arm[arm].get(key)
            if km is None:
                continue
            incidence = _KM_TITLES.get(key, ("", False))[1]
            y, lo, hi = (
                (1 - km.survival, 1 - km.upper, 1 - km.lower) if incidence else (km.survival, km.lower, km.upper)
            )
            x = km.time.tolist()
            fig.add_trace(
                go.Scatter(x=x + x[::-1], y=list(hi) + list(lo)[::-1], fill="toself", fillcolor=colour, opacity=0.15,
                           line={"width": 0, "shape": "hv"}, hoverinfo="skip", showlegend=False),
                row=1, col=col,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(x=x, y=list(y), mode="lines", line={"shape": "hv", "color": colour, "width": 2}, name=arm,
                           legendgroup=arm, showlegend=col == 1),
                row=1, col=col,
            )  # fmt: skip
            fig.update_xaxes(title_text="days after infusion", row=1, col=col)
            fig.update_yaxes(range=[0, 1.02], row=1, col=col)
    fig.update_layout(height=340, template="plotly_white", margin={"l": 50, "r": 20, "t": 50, "b": 40})
    return fig


def forest_figure(endpoints: dict[str, Any]) -> go.Figure:
    """Rates with 95 % intervals, one row per endpoint, one marker colour per arm (the comparison of arms)."""
    import plotly.graph_objects as go

    labels = {e.key: e.label for e in ENDPOINTS}
    fig = go.Figure()
    for i, (arm, values) in enumerate(arms_of(endpoints).items()):
        xs, ys, lo, hi = [], [], [], []
        for key in FOREST_KEYS:
            rate, ci = values.get(key), values.get(f"{key}_ci") or [None, None]
            if rate is None or None in ci:
                continue
            xs.append(100 * rate)
            ys.append(labels[key])
            lo.append(max(0.0, 100 * (rate - ci[0])))
            hi.append(max(0.0, 100 * (ci[1] - rate)))
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="markers", name=arm, marker={"size": 10, "color": _COLOURS[i % len(_COLOURS)]},
                error_x={"type": "data", "symmetric": False, "array": hi, "arrayminus": lo},
                offsetgroup=str(i),
            )
        )  # fmt: skip
    fig.update_layout(
        title={"text": "Comparison of arms: rates with 95 % intervals", "x": 0.01},
        height=60 + 42 * len(FOREST_KEYS),
        template="plotly_white",
        scattermode="group",
        margin={"l": 220, "r": 20, "t": 40, "b": 40},
    )
    fig.update_xaxes(title_text="% of infused patients", range=[-2, 102])
    fig.update_yaxes(autorange="reversed")
    return fig
