"""Figures of a sensitivity analysis: one tornado (horizontal bar) chart per output, and an overview grid.

Sobol: total index ST (light bar) and first-order index S1 (dark bar) with their bootstrap 95 % intervals, the
factors sorted by ST. Morris (when no Sobol stage ran for the output): μ* with its interval, sorted by μ*.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ._run import SensitivityResult

#: Factors shown per output (most influential first).
SHOWN = 15
_ST, _S1, _MU = "#a8c5e2", "#1d3557", "#457b9d"


def _panel(ax: Any, result: SensitivityResult, key: str, shown: int) -> bool:
    t = result.indices
    t = t[t["output"] == key] if not t.empty else t
    method = "sobol" if not t.empty and (t["method"] == "sobol").any() else "morris"
    t = t[t["method"] == method] if not t.empty else t
    if t.empty:
        note = result.summary["outputs"][key].get(method, {}).get("note", "no indices")
        ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes, fontsize=8, wrap=True)
        ax.set_axis_off()
        return False
    main = "ST" if method == "sobol" else "mu_star"
    order = result.ranking(key, method)[:shown]
    wide = t.pivot_table(index="factor", columns="index", values="value", aggfunc="first").reindex(order)
    lo = t.pivot_table(index="factor", columns="index", values="ci_low", aggfunc="first").reindex(order)
    hi = t.pivot_table(index="factor", columns="index", values="ci_high", aggfunc="first").reindex(order)
    y = list(range(len(order)))[::-1]

    def err(index: str) -> Any:
        v = wide[index]
        return [(v - lo[index]).clip(lower=0).fillna(0).to_numpy(), (hi[index] - v).clip(lower=0).fillna(0).to_numpy()]

    ax.barh(y, wide[main], color=_ST if method == "sobol" else _MU, xerr=err(main), capsize=2, label=main)
    if method == "sobol":
        ax.barh(y, wide["S1"], height=0.45, color=_S1, xerr=err("S1"), capsize=2, label="S1")
        ax.set_xlabel("Sobol index (bootstrap 95 % interval)")
    else:
        ax.set_xlabel("Morris μ* (bootstrap 95 % interval)")
    ax.set_yticks(y, [str(f) for f in order], fontsize=7)
    ax.axvline(0, color="black", lw=0.6)
    ax.legend(fontsize=7, loc="lower right")
    return True


def sensitivity_figures(result: SensitivityResult, out_dir: str | Path, shown: int = SHOWN) -> list[Path]:
    """Write ``<output>.png`` for every output and ``overview.png`` (top five factors of each) to ``out_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    outputs = result.config.output_objects()
    for o in outputs:
        fig, ax = plt.subplots(figsize=(7.0, 0.35 * shown + 1.2))
        _panel(ax, result, o.key, shown)
        ax.set_title(f"{o.label} ({o.unit}): what decides it", fontsize=10)
        fig.tight_layout()
        paths.append(out / f"{o.key}.png")
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)
    cols = min(4, len(outputs))
    rows = -(-len(outputs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.6 * rows), squeeze=False)
    for ax, o in zip(axes.flat, outputs, strict=False):
        _panel(ax, result, o.key, 5)
        ax.set_title(o.label, fontsize=9)
        ax.xaxis.label.set_size(7)
    for ax in list(axes.flat)[len(outputs) :]:
        ax.set_axis_off()
    fig.suptitle(
        f"Global sensitivity ({result.config.method}, seed {result.config.seed}): top five factors", fontsize=11
    )
    fig.tight_layout()
    paths.append(out / "overview.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


def top_table(result: SensitivityResult, key: str, k: int = 5) -> pd.DataFrame:
    """The ``k`` most influential factors of output ``key`` with their main index and interval."""
    method = "sobol" if "sobol" in result.config.method else "morris"
    main = "ST" if method == "sobol" else "mu_star"
    t = result.indices
    t = t[(t["method"] == method) & (t["output"] == key) & (t["index"] == main)]
    order = result.ranking(key, method)[:k]
    return t.set_index("factor").loc[order, ["index", "value", "ci_low", "ci_high"]].reset_index()
