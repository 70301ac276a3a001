"""The trial swimmer plot: one lane per patient, its follow-up and the clinical events that happened in it.

Reads the per-patient event days of the trial's patient table (:func:`lupuscart.trial.swimmer_fields` and the
summary columns): CRS and ICANS episodes, LICATS onsets, infections, the first visit in DORIS remission, B-cell
recovery and lupus flares. The first five weeks (CRS, ICANS, LICATS) are stretched on a broken time axis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._patient_figure import GRADE_COLOURS
from ._time_axis import SPLIT_DAY, broken_axes

#: Most lanes drawn (the lowest patient numbers).
MAX_LANES = 40
ICANS_COLOUR = "#5e60ce"
#: Marker of each point event: column -> (label, marker, colour).
POINT_EVENTS = {
    "remission_onset_day": ("first DORIS remission", "o", "#2a9d8f"),
    "b_cell_recovery_day": ("B-cell recovery", "|", "#264653"),
    "flare_day": ("lupus flare", "v", "#000000"),
}


def _days(cell: Any) -> list[float]:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell == "":
        return []
    return [float(x) for x in str(cell).split(";") if x]


def _num(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def swimmer_lanes(patients: pd.DataFrame) -> pd.DataFrame:
    """The infused patients drawn, in lane order (sorted by remission onset, then patient number)."""
    ok = patients[patients["status"] == "ok"].sort_values("patient_id").head(MAX_LANES)
    onset = ok["remission_onset_day"].astype(float).fillna(np.inf) if "remission_onset_day" in ok else 0.0
    return ok.assign(_onset=onset).sort_values(["_onset", "patient_id"]).drop(columns="_onset")


def build_swimmer(patients: pd.DataFrame, *, arm: str = "") -> Any:
    """The swimmer plot as a matplotlib Figure (lanes from :func:`swimmer_lanes`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    lanes = swimmer_lanes(patients)
    end = float(lanes["end_of_followup_day"].max()) if len(lanes) else 365.0
    fig = plt.figure(figsize=(14, 1.6 + 0.22 * max(len(lanes), 5)))
    left, right = broken_axes(fig, fig.add_gridspec(1, 1)[0], start=-1.0, split=SPLIT_DAY, end=end, ratio=0.9)
    for ax in (left, right):
        for y, (_, p) in enumerate(lanes.iterrows()):
            ax.barh(y, float(p["end_of_followup_day"]), left=0.0, height=0.5, color="#e9ecef", lw=0)
            crs0, crs1 = _num(p.get("crs_onset_day")), _num(p.get("crs_end_day"))
            if crs0 is not None and crs1 is not None:
                grade = int(p.get("crs_max_grade") or 1)
                ax.barh(y, crs1 - crs0, left=crs0, height=0.5, color=GRADE_COLOURS[min(max(grade, 1), 4)], lw=0)
            ic0, ic1 = _num(p.get("icans_onset_day")), _num(p.get("icans_end_day"))
            if ic0 is not None and ic1 is not None:
                ax.barh(y - 0.3, ic1 - ic0, left=ic0, height=0.18, color=ICANS_COLOUR, lw=0)
            for d in _days(p.get("licats_onset_days")):
                ax.plot(d, y, "^", color="#e76f51", ms=6)
            for d in _days(p.get("infection_days")):
                ax.plot(d, y, "x", color="#d62828", ms=6, mew=1.5)
            for column, (_, marker, colour) in POINT_EVENTS.items():
                d0 = _num(p.get(column))
                if d0 is not None:
                    ax.plot(d0, y, marker, color=colour, ms=7 if marker != "|" else 11, mew=1.8)
        ax.grid(axis="x", alpha=0.3)
    left.set_yticks(range(len(lanes)), [f"#{int(i)}" for i in lanes["patient_id"]], fontsize=7)
    left.set_ylim(len(lanes) - 0.4, -0.6)
    left.set_ylabel("virtual patient")
    left.set_xlabel("days after infusion (first 5 weeks)")
    right.set_xlabel("days after infusion")
    handles = [
        Patch(color="#e9ecef", label="follow-up"),
        *(Patch(color=GRADE_COLOURS[g], label=f"CRS grade {g}") for g in (1, 2, 3)),
        Patch(color=ICANS_COLOUR, label="ICANS"),
        Line2D([], [], ls="none", marker="^", color="#e76f51", label="LICATS onset"),
        Line2D([], [], ls="none", marker="x", color="#d62828", mew=1.5, label="infection"),
        *(Line2D([], [], ls="none", marker=m, color=c, label=lab, mew=1.8) for lab, m, c in POINT_EVENTS.values()),
    ]
    right.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    title = f"Swimmer plot{f' — {arm}' if arm else ''}: {len(lanes)} infused patients"
    fig.suptitle(title, fontsize=12)
    fig.subplots_adjust(left=0.06, right=0.84, bottom=0.1, top=0.93)
    return fig


def swimmer_figure(patients: pd.DataFrame, path: str | Path, *, arm: str = "") -> Path:
    """Write :func:`build_swimmer` to ``path`` (PNG) and return it."""
    import matplotlib.pyplot as plt

    fig = build_swimmer(patients, arm=arm)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
