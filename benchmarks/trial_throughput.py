"""The whole patient journey at engine speed: trial cost per patient-core, next to the bare engine and libRoadRunner.

In one run (this process plus one child process per trial size, so each size's peak memory is its own):

* ``journey_ms_per_patient_core``: the default virtual trial (``engine: fast``, one arm) of 10³, 10⁴ and 10⁵
  patients through ``run_trial`` — sampling, planning, the compiled journey with bedside management, LICATS,
  infections, scored visits, rows to the Parquet chunk store, endpoints — as CPU seconds of the process (all
  threads) per patient, in ms;
* ``bare_ms_per_patient_core``: the fast engine alone on the same patients' parameter vectors, scheduled doses
  only (no management), daily output, in CPU ms per patient;
* ``roadrunner_ms_per_patient``: libRoadRunner looping over the exported SBML on the same patients (scheduled
  doses only, daily output of every observable, rtol 1e-6), in CPU ms per patient it finished (it is
  single-threaded); ``roadrunner_failures``: patients its CVODE gave up on (left out of the time);
* ``journey_vs_roadrunner`` = roadrunner ÷ journey (at the largest size): above 1, a full managed journey costs
  less than libRoadRunner's bare scheduled-dose course;
* ``peak_rss_mb_by_patients``: peak resident memory of each trial size's process;
* ``max_rel_diff_vs_reference``: the compiled journey against the readable reference journey on scipy's LSODA
  (both at rtol 1e-8) on trial patients, every observable and day (floor 1e-6 of each series' peak).

Prints ONE JSON object. CPU time, not wall time, is the cost measure: it does not depend on how busy the machine
is, and "per patient-core" is what a cluster pays. ``--sizes`` chooses the trial sizes.

Usage::

    .venv/bin/python benchmarks/trial_throughput.py                       # 10³, 10⁴, 10⁵ patients
    .venv/bin/python benchmarks/trial_throughput.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SEED = 2024


def _trial_child(n: int) -> dict[str, Any]:
    """Run the default fast trial of ``n`` patients in this (child) process; CPU time, wall time, peak RSS."""
    from lupuscart.trial import load_trial_config, run_trial

    config = load_trial_config({"engine": "fast"})
    run_trial(config, patients=20, seed=SEED + 1)  # compile/load the kernels outside the measurement
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = run_trial(config, patients=n, seed=SEED, chunk_size=256)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "patients": n,
        "cpu_s": cpu,
        "wall_s": wall,
        "ms_per_patient_core": 1e3 * cpu / n,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "doris_month3_rate": result.endpoints["doris_month3_rate"],
        "solver_failures": result.endpoints["solver_failures"],
    }


def _patients(n: int) -> tuple[list[Any], np.ndarray]:
    """Plans and full parameter vectors of the first ``n`` patients of the default trial."""
    from lupuscart.journey import plan_patient
    from lupuscart.population import sample_patients, to_config
    from lupuscart.trial import load_trial_config

    config = load_trial_config({"engine": "fast"})
    arm = next(iter(config.arms))
    plans = [
        plan_patient(to_config(vp, config.arm_config(arm), config.population.calibrated))
        for vp in sample_patients(range(n), SEED, config.population)
    ]
    return plans, np.vstack([p.full_parameters for p in plans])


def bare_engine(n: int) -> float:
    """CPU ms per patient of the fast engine alone: scheduled doses, daily output of every state."""
    from lupuscart.engine import solve_batch
    from lupuscart.model import default_model

    model = default_model()
    plans, full = _patients(n)
    plan = plans[0]
    days = np.arange(plan.t_start, plan.t_end + 1.0)
    amounts = np.array([[d.amount for d in sorted(p.doses)] for p in plans])
    solve_batch(model, full[:2], plan.doses, plan.t_start, plan.t_end, days, dose_amounts=amounts[:2])
    cpu0 = time.process_time()
    for first in range(0, n, 256):
        solve_batch(
            model, full[first : first + 256], plan.doses, plan.t_start, plan.t_end, days,
            dose_amounts=amounts[first : first + 256],
        )  # fmt: skip
    return 1e3 * (time.process_time() - cpu0) / n


def roadrunner(n: int) -> tuple[float, int]:
    """CPU ms per patient of libRoadRunner on the exported SBML (scheduled doses, daily output), over the patients
    it finished, and how many it could not (CVODE's ``CV_TOO_MUCH_WORK`` at its 100 000-step limit; their time,
    up to seconds each, is left out so the failures do not flatter the ratio)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from engine_vs_roadrunner import RoadRunnerLoop

    rr = RoadRunnerLoop(1e-6)
    plans, full = _patients(n)
    dose_ids = _dose_parameter_ids(rr)
    _set_doses(rr, plans[0], dose_ids)
    rr.simulate(rr.plan.full_parameters)  # the default patient: loads the compiled model outside the measurement
    cpu_s, finished, failures = 0.0, 0, 0
    for plan, p in zip(plans, full, strict=True):
        _set_doses(rr, plan, dose_ids)
        cpu0 = time.process_time()
        try:
            rr.simulate(p)
        except RuntimeError:  # CVODE gave up on this patient
            failures += 1
            continue
        cpu_s += time.process_time() - cpu0
        finished += 1
    return 1e3 * cpu_s / max(finished, 1), failures


def _dose_parameter_ids(rr: Any) -> list[str]:
    """The SBML parameters ``dose_<k>_<label>`` holding the amounts of the sorted doses, in dose order."""
    ids = [i for i in rr.rr.model.getGlobalParameterIds() if i.startswith("dose_")]
    return sorted(ids, key=lambda i: int(i.split("_")[1]))


def _set_doses(rr: Any, plan: Any, dose_ids: list[str]) -> None:
    """Each patient's dose amounts (BSA- and weight-based) into the SBML events' amount parameters."""
    for name, dose in zip(dose_ids, sorted(plan.doses), strict=True):
        rr.rr.setValue(name, dose.amount)


def max_rel_diff_vs_reference(n: int) -> float:
    """Compiled journey vs the reference journey on LSODA, both at rtol 1e-8, on the first ``n`` trial patients."""
    from lupuscart.engine import relative_difference
    from lupuscart.journey import simulate_patient, simulate_patients
    from lupuscart.population import sample_patients, to_config
    from lupuscart.trial import load_trial_config

    config = load_trial_config({"engine": "fast"})
    arm = next(iter(config.arms))
    vps = sample_patients(range(n), SEED, config.population)
    configs = [to_config(vp, config.arm_config(arm), config.population.calibrated) for vp in vps]
    fast = simulate_patients(configs, [vp.journey_seed for vp in vps], rtol=1e-8, engine="fast")
    worst = 0.0
    for cfg, vp, f in zip(configs, vps, fast, strict=True):
        ref = simulate_patient(cfg, seed=vp.journey_seed, rtol=1e-8, engine="reference")
        assert not isinstance(f, int)
        for name, values in ref.observables.items():
            worst = max(worst, float(relative_difference(f.observables[name], values).max()))
    return worst


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--engine-patients", type=int, default=2000, help="patients for the bare engine")
    parser.add_argument("--roadrunner-patients", type=int, default=300)
    parser.add_argument("--reference-patients", type=int, default=10)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(_trial_child(args.child)) + "\n")
        return

    trials = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True)
        trials.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    bare = bare_engine(args.engine_patients)
    sys.path.insert(0, str(Path(__file__).parent))
    from engine_vs_roadrunner import c_stdout_silenced

    with c_stdout_silenced():
        rr, rr_failures = roadrunner(args.roadrunner_patients)
    journey = trials[-1]["ms_per_patient_core"]
    import numba

    out = {
        "journey_ms_per_patient_core": {str(t["patients"]): round(t["ms_per_patient_core"], 3) for t in trials},
        "bare_ms_per_patient_core": round(bare, 3),
        "roadrunner_ms_per_patient": round(rr, 3),
        "roadrunner_failures": rr_failures,
        "journey_vs_roadrunner": round(rr / journey, 3),
        "peak_rss_mb_by_patients": {str(t["patients"]): round(t["peak_rss_mb"], 1) for t in trials},
        "max_rel_diff_vs_reference": max_rel_diff_vs_reference(args.reference_patients),
        "trial_wall_s_by_patients": {str(t["patients"]): round(t["wall_s"], 1) for t in trials},
        "doris_month3_rate_by_patients": {str(t["patients"]): t["doris_month3_rate"] for t in trials},
        "solver_failures_by_patients": {str(t["patients"]): t["solver_failures"] for t in trials},
        "numba_threads": numba.get_num_threads(),
        "python": sys.version.split()[0],
        "numba": numba.__version__,
    }
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
