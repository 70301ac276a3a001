"""Figures of a virtual trial (matplotlib, for the HTML report and ``trial --out DIR/figures``).

Kaplan–Meier curves, SLEDAI-2K over visits, toxicity by grade, the comparison of arms and the paired
differences; the swimmer plot and the observed-versus-simulated panels live in :mod:`._swimmer` and
:mod:`._vpc_figure`. Every label comes from the endpoint registry; every figure has a caption in
:data:`FIGURE_CAPTIONS`, which the report shows under it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..trial import RATE_KEYS, endpoint, km_curves
from ..trial._endpoints import PAIRED_MEANS
from ._km_drawing import km_drawing
from ._swimmer import swimmer_figure
from ._vpc_figure import vpc_figure

_GRADE_COLOURS = ("#d9d9d9", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")

#: Caption of each figure file, shown under it in the report.
FIGURE_CAPTIONS: dict[str, str] = {
    "km.png": (
        "Kaplan–Meier estimates per arm. B-cell recovery is read daily (steps with log(−log) Greenwood 95 % bands, "
        "| = censored at the end of follow-up). Drug-free remission and its loss are seen only at visits, so they "
        "are interval-censored: points with 95 % intervals at the visit days (the Turnbull estimate) and shaded "
        "boxes over the visit intervals in which events happened — where inside a box is not known. Numbers at "
        "risk under each panel."
    ),
    "sledai2k_visits.png": (
        "SLEDAI-2K at each visit by arm: box = quartiles, whiskers = 5th–95th percentiles, line = median. The first "
        "visit is screening, before washout."
    ),
    "toxicity.png": (
        "Toxicity by worst grade (share of infused patients): ASTCT CRS and ICANS, LICATS (Hagen 2025), CTCAE "
        "neutropenia; serious infections by month 12."
    ),
    "arms.png": "Every rate endpoint by arm with its Wilson 95 % interval (unpaired; see the paired differences).",
    "paired.png": (
        "Paired differences from the first arm: the same virtual patients are given every arm, so each arm is "
        "compared within patient. Rates: difference in percentage points with Tango's score 95 % interval; means: "
        "mean paired difference with a BCa bootstrap 95 % interval."
    ),
    "swimmer.png": (
        "Swimmer plot of the first arm (up to 40 infused patients, lowest patient numbers, sorted by remission "
        "onset): one lane per patient over its follow-up, with CRS (bar coloured by worst grade), ICANS (purple "
        "bar), LICATS onsets (▲), infections (✕), first DORIS remission (●), B-cell recovery (|) and lupus flare "
        "(▼). The first five weeks are stretched on a broken time axis."
    ),
    "vpc.png": (
        "Observed versus simulated (first arm) against the published cohort (Mackensen 2022, 5 patients): "
        "simulated median (line) and 5th–95th percentiles (band) at the published days, published values with "
        "their ranges (● read in the publication [R], □ approximations [A]); SLEDAI-2K by visit; B-cell "
        "reappearance day; and, for each published proportion, the probability of each count out of 5 in a "
        "5-patient trial drawn from the simulated rate (the observed count outlined)."
    ),
}


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


_KM_PANELS = {
    "b_cell_recovery": ("B-cell recovery", True, "cumulative incidence of recovery"),
    "drug_free_remission": ("Drug-free DORIS remission reached", True, "share in drug-free remission (ever)"),
    "drug_free_remission_duration": (
        "Drug-free remission maintained (from onset)",
        False,
        "probability still in remission",
    ),
}


def _km_figure(result: Any, path: Path) -> Path:
    plt = _plt()
    fig = build_km_figure(result)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def build_km_figure(result: Any) -> Any:
    """The Kaplan–Meier panels of every arm as a matplotlib Figure (see :data:`FIGURE_CAPTIONS` ``km.png``)."""
    from matplotlib.patches import Rectangle

    plt = _plt()
    arms = list(result.config.arms)
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.2 + 0.25 * len(arms)))
    risk_rows: dict[str, list[list[str]]] = {key: [] for key in _KM_PANELS}
    for k, arm in enumerate(arms):
        p = result.patients[result.patients["arm"] == arm]
        v = result.visits[result.visits["arm"] == arm] if not result.visits.empty else result.visits
        curves = km_curves(p, v)
        colour = f"C{k}"
        for ax, (key, (title, incidence, ylabel)) in zip(axes, _KM_PANELS.items(), strict=True):
            d = km_drawing(curves[key], incidence=incidence)
            label = f"{arm} (n={int((p['status'] == 'ok').sum())})"
            if d.band_x:
                ax.fill_between(d.band_x, d.band_low, d.band_high, color=colour, alpha=0.18, lw=0)
            for x0, x1, y0, y1 in d.boxes:
                ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color=colour, alpha=0.18, lw=0))
            ax.plot(d.line_x, d.line_y, color=colour, lw=2, label=None if d.points_x else label)
            if d.points_x:
                err = [np.subtract(d.points_y, d.points_low), np.subtract(d.points_high, d.points_y)]
                ax.errorbar(d.points_x, d.points_y, yerr=err, fmt="o", ms=4, color=colour, capsize=2, label=label)
            if d.censor_x and not d.points_x:
                ax.plot(d.censor_x, d.censor_y, "|", color=colour, ms=9, mew=1.2)
            ax.set_title(title, fontsize=11)
            ax.set_xlabel("days after infusion")
            ax.set_ylabel(ylabel)
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlim(0, max(ax.get_xlim()[1], d.end))
            risk_rows[key].append([arm, *(str(n) for _, n in d.at_risk)])
            risk_rows[key + "_times"] = [[f"{t:g}" for t, _ in d.at_risk]]
    for ax, key in zip(axes, _KM_PANELS, strict=True):
        times = risk_rows.get(key + "_times", [[]])[0]
        rows = risk_rows[key]
        if times and rows:
            table = ax.table(
                cellText=[[r[0][:18], *r[1:]] for r in rows],
                colLabels=["at risk, day", *times],
                loc="bottom",
                bbox=[0.0, -0.42 - 0.06 * len(rows), 1.0, 0.1 + 0.06 * len(rows)],
                edges="open",
            )
            table.auto_set_font_size(False)
            table.set_fontsize(7.5)
    axes[0].axvline(110, color="k", lw=0.8, ls=":", label="Mackensen 2022 mean (110 d)")
    for ax in axes:
        ax.legend(fontsize=8, loc="lower right" if ax is not axes[2] else "lower left")
    fig.suptitle("Kaplan–Meier estimates with 95 % intervals (log(−log) Greenwood)", fontsize=12)
    fig.tight_layout()
    return fig


def _sledai_figure(result: Any, path: Path) -> Path:
    plt = _plt()
    v = result.visits
    arms = list(result.config.arms)
    days = sorted(v["day"].unique()) if not v.empty else []
    fig, ax = plt.subplots(figsize=(12, 4.2))
    width = 0.8 / max(len(arms), 1)
    for k, arm in enumerate(arms):
        data = [v[(v["arm"] == arm) & (v["day"] == d)]["sledai2k"].to_numpy() for d in days]
        pos = np.arange(len(days)) + (k - (len(arms) - 1) / 2) * width
        bp = ax.boxplot(data, positions=pos, widths=width * 0.9, whis=(5, 95), showfliers=False, patch_artist=True)
        colour = f"C{k}"
        for box in bp["boxes"]:
            box.set(facecolor=colour, alpha=0.5)
        ax.plot([], [], color=colour, lw=6, alpha=0.5, label=arm)
    ax.set_xticks(np.arange(len(days)), [f"{d:g}" for d in days])
    ax.set_xlabel("visit (day after infusion; the first is screening, before washout)")
    ax.set_ylabel("SLEDAI-2K")
    ax.set_title("SLEDAI-2K over visits", fontsize=11)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _toxicity_figure(result: Any, path: Path) -> Path:
    plt = _plt()
    arms = list(result.config.arms)
    kinds = (
        ("crs_grade_distribution", "CRS (ASTCT)"),
        ("icans_grade_distribution", "ICANS (ASTCT)"),
        ("licats_grade_distribution", "LICATS"),
        ("neutropenia_grade_distribution", "Neutropenia (CTCAE)"),
    )
    fig, axes = plt.subplots(1, len(kinds) + 1, figsize=(16, 4), sharey=True)
    for ax, (key, label) in zip(axes, kinds, strict=False):
        bottom = np.zeros(len(arms))
        for g in range(1, 5):
            vals = np.array([float(result.endpoints["arms"][a].get(key, {}).get(str(g), 0.0)) for a in arms])
            ax.bar(arms, vals, bottom=bottom, color=_GRADE_COLOURS[g], label=f"grade {g}")
            bottom += vals
        ax.set_title(f"{label}, worst grade", fontsize=10)
        ax.tick_params(axis="x", rotation=30, labelsize=8)
    axes[0].set_ylabel("share of infused patients")
    axes[0].legend(fontsize=8)
    ax = axes[-1]
    infections = [result.endpoints["arms"][a]["serious_infection_month12_rate"] or 0.0 for a in arms]
    ax.bar(arms, infections, color=_GRADE_COLOURS[3])
    ax.set_title("Serious infection by month 12", fontsize=10)
    ax.tick_params(axis="x", rotation=30, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _arms_figure(result: Any, path: Path) -> Path:
    plt = _plt()
    arms = list(result.config.arms)
    fig, ax = plt.subplots(figsize=(9.5, 0.45 * len(RATE_KEYS) * max(1, len(arms)) ** 0.5 + 1.5))
    y = np.arange(len(RATE_KEYS))
    for k, arm in enumerate(arms):
        e = result.endpoints["arms"][arm]
        off = (k - (len(arms) - 1) / 2) * 0.8 / max(len(arms), 1)
        labelled = False  # the arm's first plotted rate carries its legend entry
        for j, key in enumerate(RATE_KEYS):
            r, ci = e[key], e[f"{key}_ci"]
            if r is None or None in ci:
                continue
            ax.errorbar(
                100 * r,
                y[j] + off,
                xerr=[[max(0.0, 100 * (r - ci[0]))], [max(0.0, 100 * (ci[1] - r))]],
                fmt="o",
                color=f"C{k}",
                ms=4,
                capsize=2,
                label=None if labelled else arm,
            )
            labelled = True
    ax.set_yticks(y, [endpoint(k).label for k in RATE_KEYS], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-2, 102)
    ax.set_xlabel("% of infused patients (manufacturing failure: of enrolled), Wilson 95 % interval")
    ax.set_title("Rate endpoints by arm", fontsize=11)
    if ax.get_legend_handles_labels()[0]:  # an arm whose every product failed has no rate to show
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _paired_figure(result: Any, path: Path) -> Path | None:
    paired = result.endpoints.get("paired_differences") or {}
    if not paired:
        return None
    plt = _plt()
    arms = list(paired)
    rate_keys = [k for k in next(iter(paired.values())) if k.endswith("_rate")]
    mean_keys = [k for k in PAIRED_MEANS if k in next(iter(paired.values()))]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(15, 0.5 * max(len(rate_keys), len(mean_keys)) * len(arms) ** 0.5 + 2.2),
        gridspec_kw={"width_ratios": [1.3, 1.0]},
    )  # fmt: skip
    for k, arm in enumerate(arms):
        off = (k - (len(arms) - 1) / 2) * 0.7 / max(len(arms), 1)
        for ax, keys, scale in ((left, rate_keys, 100.0), (right, mean_keys, 1.0)):
            for j, key in enumerate(keys):
                d = paired[arm][key]
                if d["estimate"] is None or None in d["ci"]:
                    continue
                est, lo, hi = (scale * x for x in (d["estimate"], *d["ci"]))
                ax.errorbar(est, j + off, xerr=[[est - lo], [hi - est]], fmt="o", color=f"C{k + 1}", ms=4,
                            capsize=2, label=f"{arm} − {paired[arm]['reference']}" if j == 0 else None)  # fmt: skip
    left.set_yticks(range(len(rate_keys)), [endpoint(k).label for k in rate_keys], fontsize=8)
    right.set_yticks(range(len(mean_keys)), [PAIRED_MEANS[k] for k in mean_keys], fontsize=8)
    for ax, xlabel in ((left, "difference, percentage points (Tango 95 % interval)"),
                       (right, "mean paired difference (days or points; bootstrap 95 % interval)")):  # fmt: skip
        ax.axvline(0, color="k", lw=0.8)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.legend(fontsize=8)
    left.set_title("Rates, within patient", fontsize=11)
    right.set_title("Continuous outcomes, within patient", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def trial_figures(result: Any, out_dir: str | Path) -> list[Path]:
    """Write the trial figures into ``out_dir`` and return their paths (captions: :data:`FIGURE_CAPTIONS`).

    ``swimmer.png`` (events per patient), ``km.png`` (B-cell recovery, drug-free remission onset and durability),
    ``vpc.png`` (observed versus simulated), ``arms.png`` (every rate with its Wilson interval, per arm),
    ``paired.png`` (within-patient differences from the first arm; with two arms or more),
    ``sledai2k_visits.png`` (SLEDAI-2K per visit and arm) and ``toxicity.png`` (grades).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    first = next(iter(result.config.arms))
    figures = [
        swimmer_figure(result.patients[result.patients["arm"] == first], out / "swimmer.png", arm=first),
        _km_figure(result, out / "km.png"),
        vpc_figure(result, out / "vpc.png"),
        _arms_figure(result, out / "arms.png"),
        _paired_figure(result, out / "paired.png"),
        _sledai_figure(result, out / "sledai2k_visits.png"),
        _toxicity_figure(result, out / "toxicity.png"),
    ]
    return [f for f in figures if f is not None]
