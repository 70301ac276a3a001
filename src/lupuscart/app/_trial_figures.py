"""Plotly figures of a virtual trial for the dashboard: Kaplan–Meier curves per arm and a forest plot of arms.

They take the trial's tables (``patients``, ``visits``) and endpoint object, so a trial run in the dashboard and
one loaded from a ``lupuscart trial --out`` folder are drawn the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..report import arms_of, km_drawing
from ..trial import ENDPOINTS, km_curves

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
    """Kaplan–Meier curves, one panel per curve, one colour per arm, drawn from :func:`~lupuscart.report.km_drawing`.

    Right-censored curves are steps with their 95 % band (explicit vertices, so the band follows its curve) and
    censor marks (+); curves of events seen only at visits show the estimate with its interval at each visit and
    a shaded box over each interval in which events happened. Numbers at risk are listed under each panel.
    Each trace's ``meta`` names the curve and arm, e.g. ``{"curve": "drug_free_remission", "arm": "a",
    "part": "estimate"}``, so tests can find what they check.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    per_arm = {}
    for arm in arms:
        p = patients[patients["arm"] == arm]
        v = visits[visits["arm"] == arm] if not visits.empty else visits
        per_arm[arm] = km_curves(p, v) if len(p) else {}
    keys = list(dict.fromkeys(k for curves in per_arm.values() for k in curves))
    titles = [_KM_TITLES.get(k, (k.replace("_", " "), False))[0] for k in keys]
    fig = make_subplots(rows=1, cols=max(len(keys), 1), subplot_titles=titles or ["no infused patients"])
    risk_lines: dict[int, list[str]] = {}
    for i, arm in enumerate(arms):
        colour = _COLOURS[i % len(_COLOURS)]
        for col, key in enumerate(keys, start=1):
            km = per_arm[arm].get(key)
            if km is None:
                continue
            incidence = _KM_TITLES.get(key, ("", False))[1]
            d = km_drawing(km, incidence=incidence)
            meta = {"curve": key, "arm": arm}
            if d.band_x:
                fig.add_trace(
                    go.Scatter(x=d.band_x, y=d.band_low, mode="lines", line={"width": 0}, hoverinfo="skip",
                               showlegend=False, legendgroup=arm, meta={**meta, "part": "band_low"}),
                    row=1, col=col,
                )  # fmt: skip
                fig.add_trace(
                    go.Scatter(x=d.band_x, y=d.band_high, mode="lines", line={"width": 0}, fill="tonexty",
                               fillcolor=_rgba(colour, 0.18), hoverinfo="skip", showlegend=False, legendgroup=arm,
                               meta={**meta, "part": "band_high"}),
                    row=1, col=col,
                )  # fmt: skip
            for x0, x1, y0, y1 in d.boxes:
                fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line={"width": 0},
                              fillcolor=_rgba(colour, 0.2), row=1, col=col)  # fmt: skip
            fig.add_trace(
                go.Scatter(x=d.line_x, y=d.line_y, mode="lines", line={"color": colour, "width": 2}, name=arm,
                           legendgroup=arm, showlegend=col == 1 and not d.points_x, connectgaps=False,
                           meta={**meta, "part": "estimate"},
                           hovertemplate=f"{arm}: %{{y:.3f}} at day %{{x:g}}<extra></extra>"),
                row=1, col=col,
            )  # fmt: skip
            if d.points_x:
                fig.add_trace(
                    go.Scatter(x=d.points_x, y=d.points_y, mode="markers", name=arm, legendgroup=arm,
                               showlegend=col == 1, marker={"color": colour, "size": 6},
                               error_y={"type": "data", "symmetric": False,
                                        "array": [h - y for h, y in zip(d.points_high, d.points_y, strict=True)],
                                        "arrayminus": [y - lo for lo, y in zip(d.points_low, d.points_y, strict=True)],
                                        "color": colour, "thickness": 1},
                               meta={**meta, "part": "visits"},
                               hovertemplate=f"{arm}: %{{y:.3f}} at the day-%{{x:g}} visit<extra></extra>"),
                    row=1, col=col,
                )  # fmt: skip
            if d.censor_x:
                fig.add_trace(
                    go.Scatter(x=d.censor_x, y=d.censor_y, mode="markers", showlegend=False, legendgroup=arm,
                               marker={"symbol": "line-ns-open", "size": 8, "color": colour},
                               meta={**meta, "part": "censored"}, hovertemplate="censored, day %{x:g}<extra></extra>"),
                    row=1, col=col,
                )  # fmt: skip
            risk_lines.setdefault(col, []).append(
                f"<span style='color:{colour}'>{arm}</span>: " + " · ".join(f"{t:g} d: {n}" for t, n in d.at_risk)
            )
            fig.update_xaxes(title_text="days after infusion", row=1, col=col)
            label = "cumulative incidence" if incidence else "probability still in remission"
            fig.update_yaxes(range=[0, 1.02], title_text=label, row=1, col=col)
    for col, lines in risk_lines.items():
        fig.add_annotation(
            text="at risk — " + "<br>".join(lines), xref=f"x{'' if col == 1 else col} domain", yref="paper",
            x=0, y=-0.32, xanchor="left", yanchor="top", showarrow=False, align="left", font={"size": 10},
        )  # fmt: skip
    fig.update_layout(height=420, template="plotly_white", margin={"l": 60, "r": 20, "t": 50, "b": 130})
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def forest_figure(endpoints: dict[str, Any]) -> go.Figure:
    """Rates with 95 % intervals, one row per endpoint, one marker colour per arm (the comparison of arms).

    Each arm's markers sit at their exact rate on the x axis; arms are separated *across* rows (a small offset on
    the categorical axis), never along the value axis. Each trace's ``customdata`` holds the endpoint keys.
    """
    import plotly.graph_objects as go

    labels = {e.key: e.label for e in ENDPOINTS}
    arms = arms_of(endpoints)
    step = 0.7 / max(len(arms), 1)
    fig = go.Figure()
    for i, (arm, values) in enumerate(arms.items()):
        xs, ys, lo, hi, keys = [], [], [], [], []
        for row, key in enumerate(FOREST_KEYS):
            rate, ci = values.get(key), values.get(f"{key}_ci") or [None, None]
            if rate is None or None in ci:
                continue
            xs.append(100 * rate)
            ys.append(row + (i - (len(arms) - 1) / 2) * step)
            lo.append(max(0.0, 100 * (rate - ci[0])))
            hi.append(max(0.0, 100 * (ci[1] - rate)))
            keys.append(key)
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="markers", name=arm, marker={"size": 10, "color": _COLOURS[i % len(_COLOURS)]},
                error_x={"type": "data", "symmetric": False, "array": hi, "arrayminus": lo},
                customdata=keys, meta={"arm": arm},
                hovertemplate=f"{arm}: %{{x:.1f}} %<extra></extra>",
            )
        )  # fmt: skip
    fig.update_layout(
        title={"text": "Comparison of arms: rates with 95 % intervals", "x": 0.01},
        height=80 + 42 * len(FOREST_KEYS),
        template="plotly_white",
        margin={"l": 240, "r": 20, "t": 40, "b": 40},
    )
    fig.update_xaxes(title_text="% of infused patients", range=[-2, 102])
    fig.update_yaxes(
        tickmode="array", tickvals=list(range(len(FOREST_KEYS))), ticktext=[labels[k] for k in FOREST_KEYS],
        autorange="reversed", zeroline=False,
    )  # fmt: skip
    return fig
