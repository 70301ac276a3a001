"""The twin's observed-vs-predicted figure: each measured variable over time with the predicted band."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._predict import COURSE_VARIABLES, TwinPrediction
from ._visits import variable

_LABELS = {
    "b_cells": "B cells (cells/µL)",
    "car_t": "CAR T (cells/µL)",
    "anti_dsdna": "anti-dsDNA (IU/mL)",
    "c3": "C3 (g/L)",
    "igg": "IgG (g/L)",
    "proteinuria": "proteinuria (g/24 h)",
}
_LOG = {"b_cells", "car_t", "anti_dsdna"}


def twin_figure(visits: pd.DataFrame, prediction: TwinPrediction, until: float, path: str | Path) -> Path:
    """Write a 2×3 panel figure: measurements (filled: used in the fit; open: after ``until``), the MAP course
    (line) and the 90 % predicted band (shaded) of each variable; a dashed line marks the end of the fitted data."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5), sharex=True)
    b = prediction.bands
    for ax, var in zip(axes.flat, COURSE_VARIABLES, strict=True):
        band = b[b["variable"] == var]
        ax.fill_between(band["day"], band["p05"], band["p95"], color="#a8c5e2", alpha=0.7, label="90 % band")
        ax.plot(band["day"], band["map"], color="#1d3557", lw=1.4, label="MAP course")
        obs = visits[(visits["variable"] == var) & (visits["day"] >= 0)]
        used = obs[obs["day"] <= until]
        later = obs[obs["day"] > until]
        ax.plot(used["day"], used["value"], "o", color="#e63946", ms=4, label="measured (fitted)")
        ax.plot(later["day"], later["value"], "o", mfc="none", color="#e63946", ms=5, label="measured (later)")
        ax.axvline(until, color="grey", ls="--", lw=0.8)
        if var in _LOG:
            ax.set_yscale("symlog", linthresh=1.0 if var != "car_t" else 0.1)
            ax.set_ylim(bottom=0.0)
        ax.set_title(_LABELS.get(var, f"{var} ({variable(var).unit})"), fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("days after infusion")
    axes[0, 0].legend(fontsize=7, loc="upper right")
    fig.suptitle(
        f"Digital twin: fitted to the measurements up to day {until:g}, predicted to day {prediction.horizon_days}"
    )
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
