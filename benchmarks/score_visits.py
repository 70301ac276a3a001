"""Benchmark: score 100,000 synthetic visits with the vectorised table scorer and the CLI, against a naive
per-row loop over the scalar ``sledai2k`` on a subsample. Prints one JSON object.

Run: ``.venv/bin/python benchmarks/score_visits.py [--visits 100000] [--loop-sample 2000]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lupuscart.clinical import score_visits, sledai2k


def synthetic_visits(n: int, seed: int = 0) -> pd.DataFrame:
    """Plausible visits with about 5 % missing cells per measurement."""
    rng = np.random.default_rng(seed)

    def gappy(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        x = x.astype(float)
        x[rng.random(n) < 0.05] = np.nan
        return x

    df = pd.DataFrame(
        {
            "patient_id": [f"P{i // 10:06d}" for i in range(n)],
            "day": np.tile(np.arange(10) * 30, n // 10 + 1)[:n],
            "arthritis_joints": gappy(rng.poisson(1.0, n)),
            "proteinuria_g_per_24h": gappy(rng.lognormal(-1.2, 1.0, n).clip(0, 40)),
            "hematuria_rbc_per_hpf": gappy(rng.poisson(3, n)),
            "pyuria_wbc_per_hpf": gappy(rng.poisson(3, n)),
            "temperature_c": gappy(rng.normal(37.0, 0.6, n).clip(34, 42)),
            "platelets_10e9_per_l": gappy(rng.normal(220, 60, n).clip(5, 900)),
            "wbc_10e9_per_l": gappy(rng.normal(5.5, 1.8, n).clip(0.2, 30)),
            "c3_g_per_l": rng.normal(0.9, 0.25, n).clip(0.05, 3),
            "c3_lln_g_per_l": np.full(n, 0.9),
            "anti_dsdna": rng.lognormal(4, 1, n).clip(0, 5000),
            "anti_dsdna_uln": np.full(n, 100.0),
            "rash": rng.random(n) < 0.2,
            "alopecia": rng.random(n) < 0.1,
            "mucosal_ulcers": rng.random(n) < 0.1,
            "pleurisy": rng.random(n) < 0.03,
            "fever_not_due_to_sle": rng.random(n) < 0.1,
            "pga": rng.uniform(0, 3, n).round(1),
            "prednisone_mg_per_day": rng.choice([0.0, 2.5, 5.0, 7.5, 10.0, 20.0], n),
        }
    )
    return df


def _scalar_loop(df: pd.DataFrame) -> list[int]:
    totals = []
    for row in df.to_dict("records"):
        visit = {
            k: (None if isinstance(v, float) and np.isnan(v) else v)
            for k, v in row.items()
            if k not in ("patient_id", "day", "pga", "prednisone_mg_per_day", "fever_not_due_to_sle")
        }
        visit["rash"], visit["alopecia"] = bool(visit["rash"]), bool(visit["alopecia"])
        visit["mucosal_ulcers"], visit["pleurisy"] = bool(visit["mucosal_ulcers"]), bool(visit["pleurisy"])
        if "arthritis_joints" in visit and visit["arthritis_joints"] is not None:
            visit["arthritis_joints"] = int(visit["arthritis_joints"])
        excluded = ["fever"] if row["fever_not_due_to_sle"] else []
        totals.append(sledai2k(visit, not_due_to_sle=excluded).total)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--loop-sample", type=int, default=2_000)
    args = parser.parse_args()

    df = synthetic_visits(args.visits)
    t0 = time.perf_counter()
    scored = score_visits(df)
    vector_s = time.perf_counter() - t0

    sample = df.iloc[: args.loop_sample]
    t0 = time.perf_counter()
    loop_totals = _scalar_loop(sample)
    loop_s = time.perf_counter() - t0
    agree = loop_totals == scored["sledai2k"].iloc[: args.loop_sample].tolist()
    loop_per_visit = loop_s / len(sample)

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "visits.csv", Path(tmp) / "scored.csv"
        df.to_csv(src, index=False)
        script = Path(sys.executable).parent / "lupuscart"
        t0 = time.perf_counter()
        subprocess.run([str(script), "score", str(src), "--out", str(dst)], check=True, capture_output=True)
        cli_s = time.perf_counter() - t0
        cli_rows = sum(1 for _ in dst.open()) - 1

    result = {
        "visits": args.visits,
        "score_visits_seconds": round(vector_s, 3),
        "visits_per_second": round(args.visits / vector_s),
        "cli_end_to_end_seconds": round(cli_s, 3),
        "cli_rows_written": cli_rows,
        "scalar_loop_sample": len(sample),
        "scalar_loop_seconds_per_visit": loop_per_visit,
        "scalar_loop_seconds_for_100k_extrapolated": round(loop_per_visit * 100_000, 1),
        "speedup_vectorised_over_loop": round(loop_per_visit * args.visits / vector_s, 1),
        "loop_and_vectorised_agree": agree,
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
