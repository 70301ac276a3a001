"""Virtual-trial throughput on a local Dask cluster with 1 and 2 workers, and the parallel efficiency.

The same N-patient default trial (default N = 200, seed 2024, the default three-year journey) runs three times:
in this process (serial, no Dask), then on a ``LocalCluster`` of 1 and of 2 single-threaded worker processes on
127.0.0.1 (``lupuscart trial --workers W``). Wall times include starting and stopping the cluster and writing the
Parquet chunk store, as a user sees them. The endpoints of the three runs must be identical (checked).

Prints ONE JSON object: ``patients``, ``cores``, ``seconds`` and ``patients_per_second`` per run (``serial``,
``dask_1``, ``dask_2``), ``speedup`` (dask_2 over dask_1), ``parallel_efficiency`` (speedup / 2),
``cluster_start_seconds`` (an empty 2-worker cluster started and stopped) and ``endpoints_identical``.

Usage::

    .venv/bin/python benchmarks/trial_scaling.py                 # N = 200
    .venv/bin/python benchmarks/trial_scaling.py --patients 40   # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from lupuscart.trial import dask_mapper, load_trial_config, run_trial
from lupuscart.trial._execute import _json_default


def _cluster_start_seconds() -> float:
    import logging

    from distributed import LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    ):
        pass
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args(argv)
    cfg = load_trial_config()
    runs: dict[str, Any] = {"serial": None, "dask_1": dask_mapper(None, 1), "dask_2": dask_mapper(None, 2)}
    out: dict[str, Any] = {"patients": args.patients, "seed": args.seed, "cores": os.cpu_count()}
    endpoints: dict[str, str] = {}
    for name, mapper in runs.items():
        t0 = time.perf_counter()
        r = run_trial(cfg, patients=args.patients, seed=args.seed, mapper=mapper, chunk_size=25)
        dt = time.perf_counter() - t0
        out[f"{name}_seconds"] = round(dt, 2)
        out[f"{name}_patients_per_second"] = round(args.patients / dt, 2)
        endpoints[name] = json.dumps(r.endpoints, sort_keys=True, default=_json_default)
        print(f"{name}: {dt:.1f} s", file=sys.stderr)
    out["speedup"] = round(out["dask_2_patients_per_second"] / out["dask_1_patients_per_second"], 3)
    out["parallel_efficiency"] = round(out["speedup"] / 2, 3)
    out["cluster_start_seconds"] = round(_cluster_start_seconds(), 2)
    out["endpoints_identical"] = len(set(endpoints.values())) == 1
    print(json.dumps(out))
    return 0 if out["endpoints_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
