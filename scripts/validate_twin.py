"""Validate the digital twin on synthetic patients: fit early data (to day 28 and to day 60), score later predictions.

Usage (about 7 minutes for 100 patients and both cut-offs on 2 cores)::

    .venv/bin/python scripts/validate_twin.py [--patients 100] [--until 28 60] [--draws 100] [--workers 2] [--seed 2025]

For each synthetic patient of the calibrated population (known η, see ``lupuscart.twin._validation``) the twin is
fitted to the measurements up to the cut-off and predicts the B-cell return day, B cells and IgG at months 6 and
12, DORIS remission at month 3, relapse and drug-free remission by month 24; the same is predicted by the
population prior for the same patient. Writes ``docs/twin_validation.json`` (per-cut-off summaries, the command
and its wall time), ``docs/figures/twin_validation.png``, with ``--rows`` every patient's scores, and prints a
markdown table for ``docs/uncertainty.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _one(args: tuple[int, int, float, int]) -> dict[str, Any]:
    from lupuscart.twin._validation import validate_patient

    return validate_patient(*args)


def run(patients: int, seed: int, until: float, draws: int, workers: int) -> pd.DataFrame:
    """Validate ``patients`` synthetic patients at one cut-off (in a process pool of ``workers``)."""
    jobs = [(i, seed, until, draws) for i in range(patients)]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(_one, jobs, chunksize=2))
    else:
        rows = [_one(j) for j in jobs]
    return pd.DataFrame(rows)


def table(summaries: dict[str, dict[str, Any]]) -> str:
    """A markdown table: twin vs population for every cut-off."""
    lines = [
        "| Fitted to | Predictor | B-cell return in 90 % interval | in 50 % interval | 90 % width (d) "
        "| median abs. error (d) | B cells d180 / d365 in 90 % band | IgG d180 / d365 in 90 % band "
        "| Brier DORIS m3 / relapse m24 / drug-free remission m24 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for until, s in summaries.items():
        for who in ("twin", "population"):
            r = s[who]

            def pct(key: str, r: dict[str, Any] = r) -> str:
                v = r.get(key)
                return "-" if v is None else f"{100 * v:.0f} %"

            def num(key: str, r: dict[str, Any] = r, fmt: str = ".0f") -> str:
                v = r.get(key)
                return "-" if v is None else format(v, fmt)

            lines.append(
                f"| day {until} | {who} | {pct('return_in90_coverage')} | {pct('return_in50_coverage')} | "
                f"{num('return_90_width_median_days')} | {num('return_median_abs_error_days')} | "
                f"{pct('b_cells_day180_in90_coverage')} / {pct('b_cells_day365_in90_coverage')} | "
                f"{pct('igg_day180_in90_coverage')} / {pct('igg_day365_in90_coverage')} | "
                f"{num('doris_month3_brier', fmt='.3f')} / {num('relapse_month24_brier', fmt='.3f')} / "
                f"{num('drug_free_remission_month24_brier', fmt='.3f')} |"
            )
    for until, s in summaries.items():
        rates = ", ".join(f"{k} {100 * v:.0f} %" for k, v in s["observed_rates"].items() if v is not None)
        lines.append(f"\nObserved (cut-off day {until}): {rates}.")
    return "\n".join(lines)


def figure(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """Predicted 90 % intervals of the B-cell return day against the truth, patients sorted by the truth."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(frames), figsize=(6.5 * len(frames), 4.2), squeeze=False)
    for ax, (until, rows) in zip(axes[0], frames.items(), strict=True):
        r = rows.dropna(subset=["truth_b_cell_return_day", "twin_return_p05"]).sort_values("truth_b_cell_return_day")
        x = range(len(r))
        ax.fill_between(
            x, r["population_return_p05"], r["population_return_p95"], color="#dee2e6", label="population 90 %"
        )
        ax.vlines(x, r["twin_return_p05"], r["twin_return_p95"], color="#457b9d", lw=1.5, label="twin 90 %")
        ax.plot(x, r["truth_b_cell_return_day"], "o", color="#e63946", ms=3, label="truth")
        cov = r["twin_return_in90"].mean()
        ax.set_title(f"fitted to day {until}: truth inside the twin's 90 % interval in {100 * cov:.0f} %", fontsize=10)
        ax.set_xlabel("synthetic patients (sorted by their true B-cell return day)")
        ax.set_ylabel("B-cell return day")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", type=int, default=100)
    ap.add_argument("--until", type=float, nargs="+", default=[28.0, 60.0])
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--out", default=str(ROOT / "docs" / "twin_validation.json"))
    ap.add_argument("--figure", default=str(ROOT / "docs" / "figures" / "twin_validation.png"))
    ap.add_argument("--rows", help="also write every patient's scores (one row per patient and cut-off) to this CSV")
    args = ap.parse_args()
    from lupuscart.twin._validation import summarise

    t0 = time.perf_counter()
    frames, summaries = {}, {}
    for until in args.until:
        rows = run(args.patients, args.seed, until, args.draws, args.workers)
        frames[f"{until:g}"] = rows
        summaries[f"{until:g}"] = summarise(rows)
        print(f"day {until:g}: {json.dumps(summaries[f'{until:g}'])}", file=sys.stderr)
    wall = time.perf_counter() - t0
    body = {
        "command": "python scripts/validate_twin.py " + " ".join(sys.argv[1:]),
        "patients": args.patients,
        "seed": args.seed,
        "draws": args.draws,
        "workers": args.workers,
        "wall_seconds": round(wall, 1),
        "summaries": summaries,
    }
    Path(args.out).write_text(json.dumps(body, indent=2) + "\n")
    figure(frames, Path(args.figure))
    if args.rows:
        pd.concat(frames.values(), ignore_index=True).to_csv(args.rows, index=False)
    print(table(summaries))
    print(f"\n{args.patients} patients x {len(args.until)} cut-offs in {wall / 60:.1f} min")
    print(f"wrote {args.out}, {args.figure}")


if __name__ == "__main__":
    main()
