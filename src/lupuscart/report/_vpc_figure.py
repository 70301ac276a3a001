"""Observed versus simulated: visual-predictive-check panels of a trial arm against the packaged published cohort.

Time courses: the simulated median and 5th–95th percentiles at each published day (:mod:`lupuscart.trial._vpc`)
with the published value and range. SLEDAI-2K: the simulated percentiles at each visit with the published median
and range. B-cell reappearance: the simulated distribution with the published mean ± SD. Proportions: for each
published count out of 5 (DORIS at month 3, CRS, ...), the probability of every count in a 5-patient trial drawn
from the simulated rate (binomial), with the observed count outlined — is what was seen plausible under the model?
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..calibrate import mackensen2022, time_targets
from ..trial._vpc import simulated_bands
from ._time_axis import plain_log_ticks

_TITLES = {
    "car_t_fraction": ("CAR T", "fraction of own peak", True),
    "b_cells_fraction": ("CD19⁺ B cells", "fraction of baseline", True),
    "anti_dsdna_fraction": ("anti-dsDNA", "fraction of baseline", False),
    "c3_fraction_lln": ("Complement C3", "fraction of lower limit of normal", False),
    "proteinuria_fraction": ("Proteinuria", "fraction of baseline", False),
}
#: Published proportion (mackensen2022.json outcome) -> (label, simulated source: endpoint key or patient column).
PROPORTIONS = {
    "doris_month3": ("DORIS remission, month 3", "doris_month3_rate"),
    "anti_dsdna_negative_month3": ("anti-dsDNA negative, month 3", "anti_dsdna_negative_day90"),
    "c3_normalised_month3": ("C3 normal, month 3", "c3_normal_day90"),
    "crs_any": ("CRS, any grade", "crs_any_rate"),
    "crs_grade2plus": ("CRS grade ≥ 2", "crs_grade2plus_rate"),
    "icans_any": ("ICANS, any grade", "icans_any_rate"),
}


def simulated_proportions(endpoints: dict[str, Any], patients: pd.DataFrame) -> dict[str, float | None]:
    """The simulated rate behind each published proportion (an endpoint, or the mean of a patient flag)."""
    ok = patients[patients["status"] == "ok"]
    out: dict[str, float | None] = {}
    for name, (_, source) in PROPORTIONS.items():
        if source in ok:
            flags = ok[source].dropna().astype(bool)
            out[name] = float(flags.mean()) if len(flags) else None
        else:
            value = endpoints.get(source)
            out[name] = None if value is None else float(value)
    return out


def build_vpc(result: Any, arm: str) -> Any:
    """The observed-versus-simulated panels of ``arm`` as a matplotlib Figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    patients = result.patients[result.patients["arm"] == arm]
    visits = result.visits[result.visits["arm"] == arm] if not result.visits.empty else result.visits
    endpoints = result.endpoints["arms"][arm] if "arms" in result.endpoints else result.endpoints
    published = mackensen2022()
    fig, axes = plt.subplots(2, 4, figsize=(18, 8.5))
    bands = simulated_bands(patients)
    targets = time_targets()
    for ax, (name, (title, ylabel, log)) in zip(axes.flat, _TITLES.items(), strict=False):
        rows = bands.get(name, [])
        if rows:
            d, p5, p50, p95 = (np.array(c) for c in zip(*rows, strict=True))
            ax.fill_between(d, p5, p95, color="C0", alpha=0.25, label="simulated 5th–95th percentile")
            ax.plot(d, p50, "o-", color="C0", ms=3, label="simulated median")
        for t in (t for t in targets if t.observable == name):
            filled = t.tag.startswith("R")
            ax.errorbar(t.day, t.value, yerr=[[t.value - t.low], [t.high - t.value]], fmt="o" if filled else "s",
                        mfc="k" if filled else "white", mec="k", ecolor="k", capsize=3, ms=6)  # fmt: skip
        if log:
            ax.set_yscale("log")
            ax.set_ylim(1e-4, 3)
            plain_log_ticks(ax)
        ax.set_title(title, fontsize=11)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("days after infusion")
    axes[0, 0].plot([], [], "ko", label="published [R]")
    axes[0, 0].plot([], [], "ks", mfc="white", label="published approximation [A]")
    axes[0, 0].legend(fontsize=7, loc="upper right")

    ax = axes[1, 1]
    if len(visits):
        first = visits["day"].min()
        by_day = visits.assign(day=np.where(visits["day"] == first, 0.0, visits["day"])).groupby("day")["sledai2k"]
        q = by_day.quantile([0.05, 0.5, 0.95]).unstack()
        q = q[q.index <= 365]
        ax.fill_between(q.index, q[0.05], q[0.95], color="C0", alpha=0.25, step=None)
        ax.plot(q.index, q[0.5], "o-", color="C0", ms=3)
    for t in (t for t in targets if t.observable == "sledai2k"):
        ax.errorbar(t.day, t.value, yerr=[[t.value - t.low], [t.high - t.value]], fmt="o", color="k", capsize=3)
    ax.set_title("SLEDAI-2K (baseline drawn at day 0)", fontsize=11)
    ax.set_ylabel("SLEDAI-2K")
    ax.set_xlabel("visit day after infusion")

    ax = axes[1, 2]
    rec = patients.loc[patients["status"] == "ok", "b_cell_recovery_day"].dropna().astype(float)
    if len(rec):
        ax.hist(rec, bins=np.arange(0, max(float(rec.max()), 300) + 15, 15), color="C0", alpha=0.5,
                density=True, label=f"simulated (mean {rec.mean():.0f}, SD {rec.std():.0f} d)")  # fmt: skip
    b = published["outcomes"]["b_cell_reappearance_day"]
    ax.errorbar(b["mean"], ax.get_ylim()[1] * 0.8 if len(rec) else 0.5, xerr=b["sd"], fmt="o", color="k", capsize=4,
                label=f"published mean ± SD ({b['mean']} ± {b['sd']} d)")  # fmt: skip
    ax.set_title("B-cell reappearance day", fontsize=11)
    ax.set_xlabel("days after infusion")
    ax.set_ylabel("density")
    ax.legend(fontsize=7)

    ax = axes[1, 3]
    rates = simulated_proportions(endpoints, patients)
    counts = np.arange(6)
    grid = np.full((len(PROPORTIONS), counts.size), np.nan)
    for i, name in enumerate(PROPORTIONS):
        p = rates.get(name)
        if p is not None:
            grid[i] = stats.binom.pmf(counts, 5, p)
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i, name in enumerate(PROPORTIONS):
        observed = published["outcomes"][name]["events"]
        for k in counts:
            if np.isfinite(grid[i, k]):
                ax.text(k, i, f"{grid[i, k]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if grid[i, k] > 0.6 else "black")  # fmt: skip
        ax.add_patch(Rectangle((observed - 0.5, i - 0.5), 1, 1, fill=False, ec="#d62828", lw=2))
    ax.set_yticks(range(len(PROPORTIONS)), [label for label, _ in PROPORTIONS.values()], fontsize=8)
    ax.set_xticks(counts, [f"{k}/5" for k in counts])
    ax.set_title("P(count in a 5-patient trial); red: published", fontsize=10)
    for ax in axes.flat:
        ax.grid(alpha=0.25)
    fig.suptitle(
        f"Observed vs simulated — {arm}, {int((patients['status'] == 'ok').sum())} infused virtual patients; "
        f"Mackensen et al. 2022 (doi:{published['doi']}), 5 patients",
        fontsize=12,
    )
    fig.tight_layout()
    return fig


def vpc_figure(result: Any, path: str | Path, arm: str | None = None) -> Path:
    """Write :func:`build_vpc` of ``arm`` (default: the first arm) to ``path`` (PNG) and return it."""
    import matplotlib.pyplot as plt

    fig = build_vpc(result, arm or next(iter(result.config.arms)))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
