"""lupuscart's fast engine against libRoadRunner on the same virtual patients, in one process.

Both engines simulate N patients (default 2000) over the default journey (day −42 to day 1095, three years after
infusion) with the scheduled-dose protocol (fludarabine ×3, cyclophosphamide, CAR T), daily output of every
observable and rtol 1e-6 (absolute: ``State.scale × 1e-9`` per state for lupuscart, a scalar 1e-10 for
libRoadRunner, see :class:`RoadRunnerLoop`). Patients differ by 20 % log-normal variability on a handful of
kinetic parameters. libRoadRunner runs the exported SBML in a loop (``reset()``, parameters and initial state set,
``simulate``); the fast engine runs chunks of patients over numba threads.
Results are streamed chunk by chunk (compared, summarised, dropped), so memory stays flat.

Prints ONE JSON object: ``lupuscart_ms_per_patient`` (wall time over all cores), ``roadrunner_ms_per_patient``,
``ratio`` (roadrunner / lupuscart), ``cores``, ``max_rel_diff`` (fast vs roadrunner, every observable and day,
floor 1e-6 of each series' peak), plus single-thread cost, steps per patient, compile/load times and peak RSS.
``--scaling`` adds the cost for 10², 10³, 10⁴ and 10⁵ patients (libRoadRunner measured on a subsample).

``--work-precision`` measures accuracy at matched work instead: both engines at rtol 1e-4 … 1e-9 on the same
patients, each against a reference solution (scipy LSODA at rtol 1e-10), reporting CPU ms per patient (one
thread) and the largest and 99th-percentile relative error over every observable and day; plus the difference
between the two engines where both are converged (rtol 1e-9).

Usage::

    .venv/bin/python benchmarks/engine_vs_roadrunner.py                 # N = 2000
    .venv/bin/python benchmarks/engine_vs_roadrunner.py --patients 200 --scaling
    .venv/bin/python benchmarks/engine_vs_roadrunner.py --work-precision --patients 30
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from lupuscart.engine import iter_batches, relative_difference, solve_batch
from lupuscart.io import to_sbml
from lupuscart.journey import load_config, plan_patient
from lupuscart.model import default_model

VARIED = (
    "car_growth_per_day",
    "car_effector_death_per_day",
    "b_naive_loss_per_day",
    "flu_cl_nonrenal_l_h",
    "cy_cl_l_h",
    "il6_turnover_per_day",
    "weight_kg",
)


@contextlib.contextmanager
def c_stdout_silenced() -> Iterator[None]:
    """CVODE (SUNDIALS' logger) prints warnings to the process's stdout, past Python and libRoadRunner's logger;
    they would break the one-JSON-object output, so file descriptor 1 points at /dev/null meanwhile."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cohort(n: int, seed: int) -> np.ndarray:
    """Full parameter vectors (n × n_full) of n patients, 20 % log-normal variability on ``VARIED``."""
    model = default_model()
    plan = plan_patient(load_config(None))
    base = plan.full_parameters[: len(model.definition.parameters)]
    rng = np.random.default_rng(seed)
    factors = np.exp(0.2 * rng.standard_normal((n, len(VARIED))))
    idx = [model.full_index[v] for v in VARIED]
    varied = base[idx] * factors
    full = np.empty((n, len(model.full_names)))
    for i in range(n):
        b = base.copy()
        b[idx] = varied[i]
        full[i] = model.derive(b)
    return full


class RoadRunnerLoop:
    """libRoadRunner on the exported SBML; one instance reused for every patient.

    Each patient: ``reset()``, then the full parameter vector (base and derived values) and the pre-treatment
    state are written with ``setGlobalParameterValues``/``setValue``, then ``simulate``. Setting ``init(...)``
    values instead would make libRoadRunner 2.10 regenerate the model (≈ 0.4 s per patient, and it drops the
    time-course selections). The absolute tolerance is a scalar 1e-10: the per-state vector (``State.scale``
    × 1e-9, as the fast engine uses) made CVODE fail with CV_CONV_FAILURE at the CAR T dose after ``reset()``.
    """

    def __init__(self, rtol: float, atol: float = 1e-10) -> None:
        import roadrunner

        roadrunner.Logger.disableLogging()
        self.model = default_model()
        self.plan = plan_patient(load_config(None))
        t0 = time.perf_counter()
        self.rr = roadrunner.RoadRunner(to_sbml(self.plan))
        self.load_s = time.perf_counter() - t0
        self.rr.integrator.relative_tolerance = rtol
        self.rr.integrator.absolute_tolerance = atol
        self.rr.integrator.setValue("maximum_num_steps", 100_000)
        self.rr.timeCourseSelections = ["time", *self.model.observable_names]
        ids = list(self.rr.model.getGlobalParameterIds())
        self.parameter_index = np.array([ids.index(n) for n in self.model.full_names], dtype=np.int32)
        self.days = int(self.plan.t_end - self.plan.t_start)

    def simulate(self, full: np.ndarray) -> np.ndarray:
        """Observables (n_times × n_observables) for one patient's full parameter vector."""
        self.rr.reset()
        self.rr.model.setGlobalParameterValues(self.parameter_index, full)
        for name, value in zip(self.model.state_names, self.model.initial_state(full), strict=True):
            self.rr.setValue(name, float(value))
        return np.asarray(self.rr.simulate(0.0, float(self.days), self.days + 1))[:, 1:]

    def try_simulate(self, full: np.ndarray) -> np.ndarray | None:
        """:meth:`simulate`, or ``None`` when CVODE gives up (``CV_TOO_MUCH_WORK`` at 100 000 steps, seen right
        after the first fludarabine dose for some patients; scipy's LSODA and the fast engine solve them)."""
        try:
            return self.simulate(full)
        except RuntimeError:
            return None


def compare(n: int, chunk: int, rtol: float, seed: int, rr: RoadRunnerLoop, rr_every: int = 1) -> dict[str, Any]:
    """Fast engine on n patients (streamed), libRoadRunner on every ``rr_every``-th of them; times and agreement."""
    model = default_model()
    plan = rr.plan
    days = np.arange(plan.t_start, plan.t_end + 1.0)
    full = cohort(n, seed)
    names = model.observable_names
    fast_s = rr_s = 0.0
    rr_n = 0
    worst = 0.0
    steps = 0
    failures = rr_failures = 0
    aplasia_days: list[float] = []
    start = time.perf_counter()
    for part in iter_batches(model, full, plan.doses, plan.t_start, plan.t_end, days, rtol=rtol, chunk=chunk):
        fast_s += time.perf_counter() - start
        obs = part.observables(model, full[part.first : part.first + part.states.shape[0]])
        failures += int((part.status != 0).sum())
        steps += int(part.steps[:, 0].sum())
        b = obs["b_cells_per_ul"]
        after = days >= 0
        aplasia_days += [float(days[after][np.argmax(row[after] < 1.0)]) for row in b]  # summary kept, states dropped
        for i in range(0, part.states.shape[0]):
            g = part.first + i
            if g % rr_every:
                continue
            t0 = time.perf_counter()
            res = rr.try_simulate(full[g])
            if res is None:
                rr_failures += 1
                continue
            rr_s += time.perf_counter() - t0
            rr_n += 1
            for j, name in enumerate(names):
                worst = max(worst, float(relative_difference(obs[name][i], res[:, j]).max()))
        start = time.perf_counter()
    return {
        "patients": n,
        "lupuscart_ms_per_patient": 1e3 * fast_s / n,
        "roadrunner_ms_per_patient": 1e3 * rr_s / max(rr_n, 1),
        "roadrunner_patients": rr_n,
        "roadrunner_failures": rr_failures,
        "max_rel_diff": worst,
        "failures": failures,
        "steps_per_patient": steps / n,
        "mean_aplasia_day": float(np.mean(aplasia_days)),
        "peak_rss_mb": peak_rss_mb(),
    }


def work_precision(n: int, seed: int, rtols: tuple[float, ...]) -> dict[str, Any]:
    """Error against a tight reference (LSODA, rtol 1e-10) and CPU cost per patient, per engine and tolerance."""
    from lupuscart.engine import solve_schedule

    model = default_model()
    plan = plan_patient(load_config(None))
    days = np.arange(plan.t_start, plan.t_end + 1.0)
    full = cohort(n, seed)
    names = model.observable_names
    reference = [
        model.observables(solve_schedule(model, p, plan.t_start, plan.t_end, plan.doses, days, rtol=1e-10).states, p)
        for p in full
    ]

    def errors(observed: list[dict[str, np.ndarray] | None]) -> np.ndarray:
        """Each finished patient's largest relative error over every observable and day."""
        worst = [
            max(float(relative_difference(np.asarray(o[name]), np.asarray(r[name])).max()) for name in names)
            for o, r in zip(observed, reference, strict=True)
            if o is not None
        ]
        return np.asarray(worst)

    solve_batch(model, full, plan.doses, plan.t_start, plan.t_end, days, rtol=rtols[0])  # compile/load first
    rows = []
    fast_at: dict[float, list[dict[str, np.ndarray] | None]] = {}
    rr_at: dict[float, list[dict[str, np.ndarray] | None]] = {}
    for rtol in rtols:
        cpu0 = time.process_time()
        batch = solve_batch(model, full, plan.doses, plan.t_start, plan.t_end, days, rtol=rtol)
        fast_ms = 1e3 * (time.process_time() - cpu0) / n
        obs = batch.observables(model, full)
        fast_at[rtol] = [{k: v[i] for k, v in obs.items()} if batch.status[i] == 0 else None for i in range(n)]
        rr = RoadRunnerLoop(rtol)
        rr_cpu, sims = 0.0, []
        for p in full:  # time only the patients CVODE finishes; the others are counted as failures
            cpu0 = time.process_time()
            sim = rr.try_simulate(p)
            if sim is not None:
                rr_cpu += time.process_time() - cpu0
            sims.append(sim)
        finished = sum(sim is not None for sim in sims)
        rr_ms = 1e3 * rr_cpu / max(finished, 1)
        rr_at[rtol] = [None if sim is None else {name: sim[:, j] for j, name in enumerate(names)} for sim in sims]
        for engine, ms, observed in (("lupuscart", fast_ms, fast_at[rtol]), ("roadrunner", rr_ms, rr_at[rtol])):
            err = errors(observed)
            rows.append(
                {
                    "engine": engine,
                    "rtol": rtol,
                    "cpu_ms_per_patient": round(ms, 3),
                    "max_rel_error": float(err.max()) if err.size else None,
                    "p99_rel_error": float(np.percentile(err, 99)) if err.size else None,
                    "failures": sum(o is None for o in observed),
                }
            )
    tight = min(rtols)
    between = max(
        (
            float(relative_difference(np.asarray(f[name]), np.asarray(r[name])).max())
            for f, r in zip(fast_at[tight], rr_at[tight], strict=True)
            if f is not None and r is not None
            for name in names
        ),
        default=float("nan"),
    )
    return {"patients": n, "reference_rtol": 1e-10, "work_precision": rows, "max_rel_diff_converged": between,
            "converged_rtol": tight}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--rtol", type=float, default=1e-6)
    parser.add_argument("--chunk", type=int, default=256, help="patients per streamed chunk")
    parser.add_argument("--threads", type=int, default=0, help="numba threads (default: all cores)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--scaling", action="store_true", help="also measure 1e2..1e5 patients")
    parser.add_argument("--scaling-max", type=int, default=100_000)
    parser.add_argument("--rr-sample", type=int, default=500, help="roadrunner patients per scaling point")
    parser.add_argument("--work-precision", action="store_true", help="error vs work at several tolerances")
    args = parser.parse_args(argv)
    with c_stdout_silenced():
        out = _measure(args)
    print(json.dumps(out))


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    import numba

    if args.work_precision:
        numba.set_num_threads(1)
        return work_precision(args.patients, args.seed, (1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9))
    if args.threads:
        numba.set_num_threads(args.threads)
    cores = numba.get_num_threads()
    model = default_model()
    plan = plan_patient(load_config(None))
    t0 = time.perf_counter()
    solve_batch(model, plan.full_parameters[None], plan.doses, plan.t_start, plan.t_end, np.array([0.0]))
    load_s = time.perf_counter() - t0
    rr = RoadRunnerLoop(args.rtol)
    rss_before = peak_rss_mb()

    main_run = compare(args.patients, args.chunk, args.rtol, args.seed, rr)
    # Single-thread cost on a subsample: speed-up with cores = single / all-cores.
    numba.set_num_threads(1)
    single = compare(min(args.patients, 200), args.chunk, args.rtol, args.seed + 1, rr, rr_every=10**9)
    numba.set_num_threads(cores)
    out: dict[str, Any] = {
        "lupuscart_ms_per_patient": round(main_run["lupuscart_ms_per_patient"], 4),
        "roadrunner_ms_per_patient": round(main_run["roadrunner_ms_per_patient"], 4),
        "ratio": round(main_run["roadrunner_ms_per_patient"] / main_run["lupuscart_ms_per_patient"], 3),
        "cores": cores,
        "max_rel_diff": main_run["max_rel_diff"],
        "patients": args.patients,
        "rtol": args.rtol,
        "days": int(plan.t_end - plan.t_start) + 1,
        "failures": main_run["failures"],
        "roadrunner_failures": main_run["roadrunner_failures"],
        "lupuscart_ms_per_patient_1_thread": round(single["lupuscart_ms_per_patient"], 4),
        "speedup_with_cores": round(single["lupuscart_ms_per_patient"] / main_run["lupuscart_ms_per_patient"], 3),
        "steps_per_patient": round(main_run["steps_per_patient"], 1),
        "lupuscart_load_s": round(load_s, 3),
        "roadrunner_load_s": round(rr.load_s, 3),
        "peak_rss_mb_before_run": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "python": sys.version.split()[0],
        "numba": numba.__version__,
    }
    if args.scaling:
        points = []
        n = 100
        while n <= args.scaling_max:
            every = max(1, n // args.rr_sample)
            r = compare(n, args.chunk, args.rtol, args.seed + n, rr, rr_every=every)
            points.append(
                {
                    k: (round(v, 4) if isinstance(v, float) else v)
                    for k, v in r.items()
                    if k
                    in (
                        "patients",
                        "lupuscart_ms_per_patient",
                        "roadrunner_ms_per_patient",
                        "roadrunner_patients",
                        "max_rel_diff",
                        "peak_rss_mb",
                    )
                }
            )
            n *= 10
        out["scaling"] = points
    return out


if __name__ == "__main__":
    main()
