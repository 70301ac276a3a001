"""Calibration figure: simulated median and 90 % band of a virtual population against the published points."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._typing import FloatArray
from ..calibrate import mackensen2022, time_targets

_TITLES = {
    "car_t_fraction": "CAR T (fraction of own peak)",
    "b_cells_fraction": "B cells (fraction of baseline)",
    "anti_dsdna_fraction": "anti-dsDNA (fraction of baseline)",
    "c3_fraction_lln": "C3 (fraction of lower limit)",
    "proteinuria_fraction": "proteinuria (fraction of baseline)",
    "sledai2k": "SLEDAI-2K (visits)",
}


def calibration_figure(days: FloatArray, fractions: dict[str, FloatArray], path: str | Path) -> Path:
    """Plot median and 5-95 % band of each observable with the Mackensen 2022 targets ([R] filled, [A] open)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(14, 7.5))
    targets = time_targets()
    for ax, (name, title) in zip(axes.flat, _TITLES.items(), strict=True):
        x = fractions[name]
        if name == "sledai2k":
            cols = np.flatnonzero(np.any(np.isfinite(x), axis=0))
            d, xs = days[cols], x[:, cols]
            q = np.nanpercentile(xs, [5, 50, 95], axis=0)
            ax.fill_between(d, q[0], q[2], color="C0", alpha=0.25, step=None, label="simulated 90 % band")
            ax.plot(d, q[1], "o-", color="C0", label="simulated median")
        else:
            if name == "b_cells_fraction":
                x = np.clip(x, 1e-3, None)  # log axis: below 0.1 % of baseline drawn at 0.1 %
            q = np.nanpercentile(x, [5, 50, 95], axis=0)
            ax.fill_between(days, q[0], q[2], color="C0", alpha=0.25, label="simulated 90 % band")
            ax.plot(days, q[1], color="C0", label="simulated median")
        obs = "anti_dsdna_fraction" if name == "anti_dsdna_fraction" else name
        for t in targets:
            if t.observable != obs:
                continue
            filled = t.tag.startswith("R")
            ax.errorbar(
                t.day,
                t.value,
                yerr=[[t.value - t.low], [t.high - t.value]],
                fmt="o" if filled else "s",
                mfc="k" if filled else "white",
                mec="k",
                ecolor="k",
                capsize=3,
                ms=6,
            )
        if name == "b_cells_fraction":
            ax.axvline(110, color="k", ls=":", lw=1)
            ax.axvspan(110 - 32, 110 + 32, color="k", alpha=0.06)
            ax.set_yscale("log")
            ax.set_ylim(5e-4, 3)
        if name == "car_t_fraction":
            ax.set_xlim(-2, 120)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("days after infusion")
    axes.flat[0].plot([], [], "ko", label="[R] published")
    axes.flat[0].plot([], [], "ks", mfc="white", label="[A] soft prior")
    axes.flat[0].legend(fontsize=8)
    ref = mackensen2022()
    fig.suptitle(
        f"Calibrated virtual population vs Mackensen et al. 2022 "
        f"(doi:{ref['doi']}); B cells: mean ± SD reappearance 110 ± 32 d",
        fontsize=10,
    )
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
