"""Plotly figures of one simulated patient: the journey timeline and the time courses of the immune reset.

Pure functions of a :class:`~lupuscart.journey.PatientResult`, so that the dashboard's callbacks stay thin and
the figures can be tested without a browser. Time is in days relative to the CAR T infusion (day 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..report import GRADE_COLOURS

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..journey import PatientResult

#: The time-course panels: (key, title, observable, unit label, logarithmic axis).
PANELS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("car-t", "CAR T cells", "car_t_per_ul", "cells/µL", True),
    ("b-cells", "CD19⁺ B cells and naive share", "b_cells_per_ul", "cells/µL", True),
    ("anti-dsdna", "anti-dsDNA", "anti_dsdna_iu_ml", "IU/mL", False),
    ("c3", "Complement C3", "c3_g_l", "g/L", False),
    ("igg", "Total IgG", "igg_g_l", "g/L", False),
    ("il6", "IL-6 with CRS / ICANS grades", "il6_pg_ml", "pg/mL", True),
    ("proteinuria", "Proteinuria (lupus nephritis)", "proteinuria_g_24h", "g/24 h", False),
    ("anc", "Neutrophils (ANC)", "anc_10e9_l", "10⁹/L", False),
    ("sledai", "SLEDAI-2K at visits (holds until the next visit)", "", "score", False),
)
#: Marker of each clinical event kind on the journey timeline: kind -> (label, plotly symbol, colour).
EVENT_MARKERS: dict[str, tuple[str, str, str]] = {
    "apheresis": ("apheresis", "square", "#6c757d"),
    "infusion": ("CAR T infusion", "diamond", "#2a9d8f"),
    "manufacturing_failed": ("manufacturing failed", "x", "#9d0208"),
    "tocilizumab": ("tocilizumab", "triangle-down", "#1d3557"),
    "dexamethasone": ("dexamethasone", "triangle-down", "#6a4c93"),
    "infection": ("infection", "x", "#d62828"),
    "licats": ("LICATS", "triangle-up", "#e76f51"),
    "flare": ("lupus flare", "star", "#000000"),
}

#: Phases of the journey drawn as bars: (label, colour).
_PHASE_COLOURS = {
    "washout": "#adb5bd",
    "manufacturing": "#6c757d",
    "lymphodepletion": "#e9c46a",
    "monitoring": "#e76f51",
    "follow-up": "#2a9d8f",
}
_LINE = {"car-t": "#2a9d8f", "b-cells": "#264653", "anti-dsdna": "#e76f51", "c3": "#6a4c93", "igg": "#1d3557",
         "proteinuria": "#b5838d", "anc": "#588157"}  # fmt: skip
#: Lowest value drawn on a logarithmic panel; below it the curve has a gap (and the hover text says so).
LOG_FLOOR = 1e-3
#: Plotly figure config shared by every graph: no logo, no cloud links (nothing leaves the machine).
GRAPH_CONFIG: Any = {"displaylogo": False, "showLink": False, "showSendToCloud": False}


def _base(title: str, height: int = 260) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 14}},
        height=height,
        margin={"l": 60, "r": 20, "t": 36, "b": 36},
        template="plotly_white",
        showlegend=False,
        hovermode="x unified",
    )
    return fig


def journey_phases(result: PatientResult) -> list[tuple[str, float, float]]:
    """The journey's phases as ``(name, first day, last day)`` from the plan's timeline and the event log.

    Examples
    --------
    >>> from lupuscart.journey import simulate_patient
    >>> [p[0] for p in journey_phases(simulate_patient())]
    ['washout', 'manufacturing', 'lymphodepletion', 'monitoring', 'follow-up']
    """
    kinds: dict[str, list[float]] = {}
    for e in result.events:
        kinds.setdefault(e.kind, []).append(float(e.day))
    end = float(result.days[-1])
    phases: list[tuple[str, float, float]] = []
    if "washout" in kinds and "apheresis" in kinds:
        phases.append(("washout", min(kinds["washout"]), min(kinds["apheresis"])))
    if "apheresis" in kinds:
        stop = kinds.get("product_release", kinds.get("manufacturing_failed", [end]))
        phases.append(("manufacturing", min(kinds["apheresis"]), min(stop)))
    if "infusion" not in kinds:
        return phases
    infusion = min(kinds["infusion"])
    if "lymphodepletion" in kinds:
        phases.append(("lymphodepletion", min(kinds["lymphodepletion"]), infusion))
    discharge = min(kinds.get("discharge", [infusion]))
    phases.append(("monitoring", infusion, discharge))
    phases.append(("follow-up", discharge, end))
    return phases


def timeline_figure(result: PatientResult, *, last_day: float | None = None) -> go.Figure:
    """The patient journey as a Gantt-style bar: washout, apheresis and manufacturing, lymphodepletion,
    infusion, inpatient monitoring and follow-up, with the visits and clinical events marked.

    ``last_day`` crops the x axis like :func:`timecourse_figures` (the whole follow-up when ``None``)."""
    import plotly.graph_objects as go

    fig = _base("Patient journey (day 0 = CAR T infusion)", height=230)
    for name, start, stop in journey_phases(result):
        fig.add_trace(
            go.Bar(
                x=[max(stop - start, 0.5)],
                base=[start],
                y=["journey"],
                orientation="h",
                marker_color=_PHASE_COLOURS[name],
                name=name,
                text=[name],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"{name}: day {start:g} to {stop:g}<extra></extra>",
            )
        )
    for kind, (label, symbol, colour) in EVENT_MARKERS.items():
        marks = [e for e in result.events if e.kind == kind]
        if not marks:
            continue
        fig.add_trace(
            go.Scatter(
                x=[float(e.day) for e in marks],
                y=["events"] * len(marks),
                mode="markers",
                name=label,
                showlegend=True,
                marker={"size": 10, "symbol": symbol, "color": colour},
                text=[f"{label}: {e.detail}" for e in marks],
                hovertemplate="day %{x:g}: %{text}<extra></extra>",
            )
        )
    visits = [v for v in result.visits]
    fig.add_trace(
        go.Scatter(
            x=[float(v.day) for v in visits],
            y=["visits"] * len(visits),
            mode="markers",
            marker={"size": 8, "color": "#2a9d8f"},
            text=[f"SLEDAI-2K {v.sledai2k}, DORIS {'yes' if v.doris else 'no'}" for v in visits],
            hovertemplate="visit day %{x:g}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(barmode="overlay", hovermode="closest", bargap=0.35, showlegend=True,
                      legend={"orientation": "h", "y": -0.35, "font": {"size": 10}})  # fmt: skip
    for trace in fig.data:
        if isinstance(trace, go.Bar) or trace.name is None:
            trace.showlegend = False
    stop = float(result.days[-1]) if last_day is None else min(float(last_day), float(result.days[-1]))
    fig.update_xaxes(
        title_text="day",
        zeroline=True,
        zerolinecolor="#1d3557",
        zerolinewidth=2,
        range=[float(result.days[0]) - 1, stop],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=["visits", "events", "journey"])
    return fig


def timecourse_figures(result: PatientResult, *, last_day: float | None = None) -> dict[str, go.Figure]:
    """One figure per panel of :data:`PANELS`, keyed by the panel key, on a common day axis.

    ``last_day`` crops the x axis (the whole follow-up when ``None``).

    Examples
    --------
    >>> from lupuscart.journey import simulate_patient
    >>> sorted(timecourse_figures(simulate_patient(), last_day=90)) == sorted(p[0] for p in PANELS)
    True
    """
    import plotly.graph_objects as go

    days, obs = result.days, result.observables
    first = float(days[0])
    stop = float(days[-1]) if last_day is None else min(float(last_day), float(days[-1]))
    keep = days <= stop
    d = days[keep]
    figs: dict[str, go.Figure] = {}
    for key, title, name, unit, log in PANELS:
        fig = _base(title)
        if name:
            y = np.asarray(obs[name], dtype=float)[keep]
            if log:
                y = np.where(y > LOG_FLOOR, y, np.nan)  # below the floor: a gap, never a flat line at the floor
            fig.add_trace(go.Scatter(x=d, y=y, mode="lines", name=title, line={"color": _LINE.get(key, "#d62828")},
                                     connectgaps=False, meta={"observable": name}))  # fmt: skip
            if log and np.isnan(y).any():
                note = f"gaps: below {LOG_FLOOR:g} {unit}"
                fig.add_annotation(text=note, xref="paper", yref="paper", x=1, y=1.08, showarrow=False,
                                   font={"size": 10, "color": "#6c757d"}, xanchor="right")  # fmt: skip
        fig.update_yaxes(title_text=unit, type="log" if log else "linear")
        fig.update_xaxes(title_text="day", range=[first, stop])
        figs[key] = fig
    labs = result.plan.config.labs
    figs["anti-dsdna"].add_hline(y=labs.anti_dsdna_uln_iu_ml, line_dash="dot", line_color="grey")
    figs["c3"].add_hline(y=labs.c3_lln_g_l, line_dash="dot", line_color="grey")
    figs["b-cells"].add_hline(y=1.0, line_dash="dot", line_color="grey")
    figs["proteinuria"].add_hline(y=0.5, line_dash="dot", line_color="grey")
    figs["anc"].add_hline(y=0.5, line_dash="dot", line_color="grey")
    b = np.asarray(obs["b_cells_per_ul"])[keep]
    naive = np.where(b > 1e-2, 100.0 * np.asarray(obs["naive_b_fraction"])[keep], np.nan)
    figs["b-cells"].add_trace(
        go.Scatter(x=d, y=naive, mode="lines", name="% naive", yaxis="y2", line={"dash": "dash", "color": "#e9c46a"})
    )
    figs["b-cells"].update_layout(
        yaxis2={
            "title": "% naive (dashed)",
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 25,
            "showgrid": False,
        },
        margin={"r": 60},
    )
    _grades(figs["il6"], result, stop)
    visits = [v for v in result.visits if v.day <= stop]
    figs["sledai"].add_trace(
        go.Scatter(
            x=[float(v.day) for v in visits],
            y=[v.sledai2k for v in visits],
            mode="lines+markers",
            line={"shape": "hv", "color": "#333333"},
            marker={"size": 9, "color": ["#2a9d8f" if v.doris else "#264653" for v in visits]},
            text=["DORIS remission" if v.doris else "" for v in visits],
            hovertemplate="day %{x:g}: SLEDAI-2K %{y} %{text}<extra></extra>",
        )
    )
    figs["sledai"].update_yaxes(rangemode="tozero")
    return figs


def _grades(fig: go.Figure, result: PatientResult, stop: float) -> None:
    """Shade the days with CRS (by grade colour) and mark ICANS days in a strip at the bottom of the IL-6 panel."""
    for day, grade in sorted(result.crs_grade_by_day.items()):
        if grade > 0 and day <= stop:
            fig.add_vrect(x0=day, x1=day + 1, fillcolor=GRADE_COLOURS[min(grade, 4)], opacity=0.45, line_width=0)
    for day, grade in sorted(result.icans_grade_by_day.items()):
        if grade > 0 and day <= stop:
            fig.add_vrect(x0=day, x1=day + 1, y0=0, y1=0.15, fillcolor="#5e60ce", opacity=0.8, line_width=0)
    crs = max(result.crs_grade_by_day.values(), default=0)
    icans = max(result.icans_grade_by_day.values(), default=0)
    fig.update_layout(title_text=f"IL-6 · shaded: CRS (max grade {crs}) · blue strip: ICANS (max grade {icans})")
