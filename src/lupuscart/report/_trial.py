"""Figures of a virtual trial: Kaplan–Meier curves, SLEDAI-2K over visits, toxicity by grade, arm comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

_GRADE_COLOURS = ("#d9d9d9", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _km_figure(result: Any, path: Path) -> Path:
    from ..trial import km_curves

    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    titles = {
        "b_cell_recovery": ("B-cell recovery (cumulative incidence)", True),
        "drug_free_remission": ("Drug-free DORIS remission reached", True),
        "drug_free_remission_duration": ("Drug-free remission maintained (from onset)", False),
    }
    for arm in result.config.arms:
        p = result.patients[result.patients["arm"] == arm]
        v = result.visits[result.visits["arm"] == arm] if not result.visits.empty else result.visits
        curves = km_curves(p, v)
        for ax, (key, (title, incidence)) in zip(axes, titles.items(), strict=True):
            km = curves[key]
            y, lo, hi = (
                (1 - km.survival, 1 - km.upper, 1 - km.lower) if incidence else (km.survival, km.lower, km.upper)
            )
            (line,) = ax.step(km.time, y, where="post", label=f"{arm} (n={len(p)})")
            ax.fill_between(km.time, lo, hi, step="post", alpha=0.2, color=line.get_color())
            ax.set_title(title, fontsize=10)
            ax.set_xlabel("days after infusion")
            ax.set_ylim(-0.02, 1.02)
    axes[0].axvline(110, color="k", lw=0.8, ls=":", label="Mackensen 2022 mean (110 d)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Kaplan–Meier estimates with Greenwood (log–log) 95 % bands", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


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
    ax.set_xlabel("visit (day; the first is screening, before washout)")
    ax.set_ylabel("SLEDAI-2K")
    ax.set_title("SLEDAI-2K over visits (box: quartiles, whiskers: 5th-95th percentile)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _toxicity_figure(result: Any, path: Path) -> Path:
    plt = _plt()
    arms = list(result.config.arms)
    kinds = (
        ("crs_grade_distribution", "CRS"),
        ("icans_grade_distribution", "ICANS"),
        ("licats_grade_distribution", "LICATS"),
        ("neutropenia_grade_distribution", "neutropenia"),
    )
    fig, axes = plt.subplots(1, len(kinds) + 1, figsize=(16, 4), sharey=True)
    for ax, (key, label) in zip(axes, kinds, strict=False):
        bottom = np.zeros(len(arms))
        for g in range(1, 5):
            vals = np.array([float(result.endpoints["arms"][a].get(key, {}).get(str(g), 0.0)) for a in arms])
            ax.bar(arms, vals, bottom=bottom, color=_GRADE_COLOURS[g], label=f"grade {g}")
            bottom += vals
        ax.set_title(f"{label} (worst grade)", fontsize=10)
        ax.tick_params(axis="x", rotation=30, labelsize=8)
    axes[0].set_ylabel("share of infused patients")
    axes[0].legend(fontsize=8)
    ax = axes[-1]
    infections = [result.endpoints["arms"][a]["serious_infection_month12_rate"] or 0.0 for a in arms]
    ax.bar(arms, infections, color=_GRADE_COLOURS[3])
    ax.set_title("serious infection by month 12", fontsize=10)
    ax.tick_params(axis="x", rotation=30, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _arms_figure(result: Any, path: Path) -> Path:
    from ..trial import RATE_KEYS

    plt = _plt()
    arms = list(result.config.arms)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(RATE_KEYS) * max(1, len(arms)) ** 0.5 + 1.5))
    y = np.arange(len(RATE_KEYS))
    for k, arm in enumerate(arms):
        e = result.endpoints["arms"][arm]
        off = (k - (len(arms) - 1) / 2) * 0.8 / max(len(arms), 1)
        for j, key in enumerate(RATE_KEYS):
            r, ci = e[key], e[f"{key}_ci"]
            if r is None:
                continue
            ax.errorbar(
                r,
                y[j] + off,
                xerr=[[max(0.0, r - ci[0])], [max(0.0, ci[1] - r)]],
                fmt="o",
                color=f"C{k}",
                ms=4,
                capsize=2,
                label=arm if j == 0 else None,
            )
    ax.set_yticks(y, [k.removesuffix("_rate").replace("_", " ") for k in RATE_KEYS], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("rate (Wilson 95 % interval)")
    ax.set_title("Endpoints by arm", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def trial_figures(result: Any, out_dir: str | Path) -> list[Path]:
    """Write the trial figures into ``out_dir`` and return their paths.

    ``km.png`` (B-cell recovery, drug-free remission onset and durability, with Greenwood bands),
    ``sledai2k_visits.png`` (distribution of SLEDAI-2K per visit and arm), ``toxicity.png`` (CRS, ICANS,
    LICATS, neutropenia by worst grade; serious infections), ``arms.png`` (every rate endpoint with its
    Wilson interval, per arm).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [
        _km_figure(result, out / "km.png"),
        _sledai_figure(result, out / "sledai2k_visits.png"),
        _toxicity_figure(result, out / "toxicity.png"),
        _arms_figure(result, out / "arms.png"),
    ]
