"""The one-patient figure panel: CAR T, B cells (naive share), anti-dsDNA, C3, IgG, IL-6 with CRS/ICANS grades,
SLEDAI-2K at visits, neutrophils, with the journey's milestones marked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..journey import PatientResult

#: Colour of each toxicity grade in the patient figures (report and dashboard alike).
GRADE_COLOURS = {1: "#f4d35e", 2: "#ee964b", 3: "#f95738", 4: "#7b0828"}


def patient_figure(result: PatientResult, path: Path, *, last_day: float = 400.0) -> Path:
    """Write the panel to ``path`` (PNG) and return it. Time axis: symlog days around infusion."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    obs, days = result.observables, result.days
    keep = days <= last_day
    d = days[keep]
    fig, axes = plt.subplots(4, 2, figsize=(12, 12), sharex=True, constrained_layout=True)
    ax = axes.ravel()

    def line(a: int, key: str, label: str, colour: str, log: bool = False) -> None:
        ax[a].plot(d, obs[key][keep], color=colour, lw=2)
        ax[a].set_ylabel(label)
        if log:
            ax[a].set_yscale("log")

    line(0, "car_t_per_ul", "CAR T cells / µL", "#2a9d8f", log=True)
    ax[0].set_ylim(1e-3, None)
    line(1, "b_cells_per_ul", "B cells / µL", "#264653", log=True)
    ax[1].axhline(1.0, color="grey", ls=":", lw=1)
    ax[1].set_ylim(1e-3, None)
    twin = ax[1].twinx()
    naive = np.where(obs["b_cells_per_ul"][keep] > 1e-2, obs["naive_b_fraction"][keep], np.nan)
    twin.plot(d, 100 * naive, color="#e9c46a", lw=1.5, ls="--")
    twin.set_ylabel("% naive (dashed)")
    twin.set_ylim(0, 105)
    line(2, "anti_dsdna_iu_ml", "anti-dsDNA (IU/mL)", "#e76f51")
    ax[2].axhline(result.plan.config.labs.anti_dsdna_uln_iu_ml, color="grey", ls=":", lw=1)
    line(3, "c3_g_l", "C3 (g/L)", "#6a4c93")
    ax[3].axhline(result.plan.config.labs.c3_lln_g_l, color="grey", ls=":", lw=1)
    line(4, "igg_g_l", "IgG (g/L); dashed: vaccine-specific share", "#1d3557")
    ax[4].plot(d, obs["vaccine_igg_fraction"][keep] * obs["igg_g_l"][0], color="#457b9d", lw=1, ls="--")
    line(5, "il6_pg_ml", "IL-6 (pg/mL)", "#d62828", log=True)
    ax[5].plot(d, np.maximum(obs["il6_signalling_pg_ml"][keep], 1e-3), color="#d62828", lw=1, ls="--")
    for day, grade in result.crs_grade_by_day.items():
        if grade > 0 and day <= last_day:
            ax[5].axvspan(day, day + 1, color=GRADE_COLOURS[grade], alpha=0.5, lw=0)
    for day, grade in result.icans_grade_by_day.items():
        if grade > 0 and day <= last_day:
            ax[5].axvspan(day, day + 1, ymax=0.15, color="#5e60ce", alpha=0.7, lw=0)
    ax[5].set_title("shaded: CRS grade (yellow 1 → red 3+); blue strip: ICANS; dashed: signalling IL-6", fontsize=8)
    vd = [v.day for v in result.visits if v.day <= last_day]
    ax[6].step(vd, [v.sledai2k for v in result.visits if v.day <= last_day], where="post", color="#333333")
    ax[6].scatter(
        vd,
        [v.sledai2k for v in result.visits if v.day <= last_day],
        c=["#2a9d8f" if v.doris else "#e76f51" for v in result.visits if v.day <= last_day],
        zorder=3,
    )
    ax[6].set_ylabel("SLEDAI-2K (green: DORIS)")
    line(7, "anc_10e9_l", "ANC (10⁹/L)", "#588157")
    ax[7].axhline(0.5, color="grey", ls=":", lw=1)
    for a in ax:
        a.set_xscale("symlog", linthresh=30)
        for e in result.plan.timeline:
            if e.kind in {"apheresis", "infusion"} and e.day <= last_day:
                a.axvline(e.day, color="black", lw=0.6, alpha=0.4)
        a.grid(alpha=0.25)
    for a in axes[-1]:
        a.set_xlabel("day (0 = CAR T infusion; symlog beyond ±30)")
    s = result.summary
    fig.suptitle(
        f"lupuscart patient (seed {result.seed}): CAR T peak {s.car_t_peak_per_ul:.1f}/µL at day "
        f"{s.car_t_peak_day}, B-cell recovery day {s.b_cell_recovery_day}, SLEDAI-2K "
        f"{s.sledai2k_baseline} → {s.sledai2k_day90} at day 90"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
