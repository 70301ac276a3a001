"""The fast engine: compiled Rodas4 on generated kernels, patients spread over cores by numba threads.

Two entry points with the reference solver's conventions (states in the model's order, times in days, the state
reported at a dose time is the one just after the dose):

* :class:`FastSolver` has the :class:`~lupuscart.engine.ReferenceSolver` interface (``advance(y, t0, t1,
  t_eval)``), so the journey runner can swap engines, e.g. for state-dependent management between calls;
* :func:`solve_batch` runs many patients through a dose schedule in one parallel call, and :func:`iter_batches`
  streams fixed-size chunks of patients so memory stays flat for 10⁵ patients.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._typing import FloatArray, IntArray
from ..exceptions import InvalidInputError, SolverError
from ..model import CompiledModel
from ._fast_codegen import load_kernels
from ._schedule import Dose
from ._solver import SolverStatus

#: Steps (accepted and rejected) one :class:`FastSolver` (one patient's journey) may take over all its
#: ``advance`` calls: about 35 times what the most demanding sampled patient needs at rtol 1e-8 (≈ 2,900).
MAX_STEPS_PER_SOLVER = 100_000


class FastSolver:
    """Advance one patient's state with the compiled Rodas4 engine (the reference solver's interface).

    Parameters
    ----------
    model:
        The compiled model.
    full_parameters:
        Full parameter vector from :meth:`CompiledModel.derive`.
    rtol:
        Relative tolerance (default 1e-6).
    atol_scale:
        Absolute tolerance per unit of each state's ``scale`` (default ``rtol × 1e-3``, as the reference).
    max_steps:
        Steps allowed per ``advance`` call before :class:`~lupuscart.exceptions.SolverError`.
    max_total_steps:
        Steps allowed over all ``advance`` calls (one patient's journey; see :data:`MAX_STEPS_PER_SOLVER`).

    Examples
    --------
    >>> from lupuscart.model import default_model
    >>> m = default_model()
    >>> full = m.derive(m.base_vector())
    >>> solver = FastSolver(m, full)
    >>> ys, y_end = solver.advance(m.initial_state(full), 0.0, 10.0, np.array([5.0]))
    >>> bool(np.allclose(y_end, m.initial_state(full), rtol=1e-6))  # untreated: stays at its steady state
    True
    """

    def __init__(
        self,
        model: CompiledModel,
        full_parameters: FloatArray,
        rtol: float = 1e-6,
        atol_scale: float | None = None,
        max_steps: int = 200_000,
        max_total_steps: int | None = None,
    ) -> None:
        self.model = model
        self.p = np.ascontiguousarray(full_parameters, dtype=float)
        self.max_total_steps = MAX_STEPS_PER_SOLVER if max_total_steps is None else int(max_total_steps)
        self.rtol = float(rtol)
        self.atol = model.absolute_tolerance(rtol, atol_scale)
        self.max_steps = int(max_steps)
        self._k, free, pk = load_kernels(model)
        self._problem, ok = self._k.make_problem(
            self.p, np.array(free, dtype=np.int64), np.array(pk, dtype=np.int64), self.atol, self.rtol, self.max_steps
        )
        if not ok:
            raise SolverError(SolverStatus.CLOSED_FORM_FAILED.message)
        #: accepted and rejected steps so far
        self.steps = np.zeros(2, dtype=np.int64)

    def advance(self, y: FloatArray, t0: float, t1: float, t_eval: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Integrate from ``(t0, y)`` to ``t1``; return states at ``t_eval`` (within ``[t0, t1)``) and at ``t1``."""
        t_eval = np.ascontiguousarray(t_eval, dtype=float)
        y_end = np.array(y, dtype=float)
        out = np.empty((self.model.n_states, t_eval.size))
        if t1 <= t0:
            out[:] = y_end[:, None]
            return out, y_end
        order = np.argsort(t_eval, kind="stable")
        sorted_eval = t_eval[order]
        sorted_out = np.empty((t_eval.size, self.model.n_states))
        allowed = max(0, min(self.max_steps, self.max_total_steps - int(self.steps.sum())))
        problem = self._problem if allowed == self.max_steps else self._problem._replace(max_steps=allowed)
        status = self._k.advance(
            problem, y_end, float(t0), float(t1), sorted_eval, 0, sorted_eval.size, sorted_out, self.steps
        )
        if status == SolverStatus.MAX_STEPS_REACHED and allowed < self.max_steps:
            raise SolverError(
                f"fast engine stopped between day {t0:g} and {t1:g}: it spent its budget of {self.max_total_steps} "
                "steps for the journey (a normal patient needs about a thousand); the parameters make the problem "
                "too stiff: check model_parameters."
            )
        if status != 0:
            raise SolverError(f"fast engine failed between day {t0:g} and {t1:g}: {SolverStatus(int(status)).message}")
        out[:, order] = sorted_out.T
        return out, y_end


@dataclass(frozen=True)
class BatchResult:
    """States of a batch: ``states[i, s, k]`` is state ``s`` of patient ``i`` at ``times[k]``.

    ``status[i]`` is 0 when patient ``i`` solved (else a :class:`~lupuscart.engine.SolverStatus` code, whose
    message says what to do); ``steps[i]`` holds the accepted and rejected steps; ``first`` is the index of the
    batch's first patient in the whole cohort.
    """

    times: FloatArray
    states: FloatArray
    status: IntArray
    steps: IntArray
    first: int = 0

    def observables(self, model: CompiledModel, full_parameters: FloatArray) -> dict[str, FloatArray]:
        """Observables of shape (n_patients, n_times), vectorised over patients and times."""
        p = np.asarray(full_parameters, dtype=float).T[:, :, None]
        states = np.moveaxis(self.states, 1, 0)
        return {k: np.asarray(v) for k, v in model.observables(states, p).items()}


def _schedule(model: CompiledModel, doses: Sequence[Dose]) -> tuple[FloatArray, IntArray, FloatArray]:
    index = model.definition.state_index
    unknown = sorted({d.state for d in doses} - index.keys())
    if unknown:
        raise InvalidInputError(f"The doses must target model states. Got unknown states {unknown} instead.")
    ordered = sorted(doses)
    return (
        np.array([d.time_day for d in ordered], dtype=float),
        np.array([index[d.state] for d in ordered], dtype=np.int64),
        np.array([d.amount for d in ordered], dtype=float),
    )


def solve_batch(
    model: CompiledModel,
    full_parameters: FloatArray,
    doses: Sequence[Dose],
    t_start: float,
    t_end: float,
    t_eval: FloatArray,
    rtol: float = 1e-6,
    dose_amounts: FloatArray | None = None,
    atol_scale: float | None = None,
    max_steps: int = 200_000,
    first: int = 0,
) -> BatchResult:
    """Solve many patients from their pre-treatment steady state through one dose schedule, in parallel.

    Parameters
    ----------
    model:
        The compiled model.
    full_parameters:
        Matrix (n_patients × n_full) of full parameter vectors (:meth:`CompiledModel.derive` per patient).
    doses:
        The shared schedule (times and dosed states). Patients may differ in amounts, see ``dose_amounts``.
    t_start, t_end:
        Journey start and end (days, day 0 = infusion).
    t_eval:
        Output days, sorted, within ``[t_start, t_end]``.
    rtol:
        Relative tolerance (absolute: ``State.scale × rtol × 1e-3`` unless ``atol_scale`` is given).
    dose_amounts:
        Optional matrix (n_patients × n_doses) of amounts, in the order of ``sorted(doses)``.
    max_steps:
        Step limit per dosing interval; a patient reaching it gets status 1 (the batch continues).

    Returns
    -------
    BatchResult
        States at ``t_eval`` with a status per patient. Parallel over numba's threads
        (``numba.set_num_threads``; default: all cores).
    """
    kernels, free, pk = load_kernels(model)
    P = np.ascontiguousarray(np.atleast_2d(np.asarray(full_parameters, dtype=float)))
    if P.shape[1] != len(model.full_names):
        raise InvalidInputError(
            f"The 'full_parameters' matrix must have {len(model.full_names)} columns (CompiledModel.full_names). "
            f"Got shape {P.shape} instead."
        )
    t_eval = np.ascontiguousarray(t_eval, dtype=float)
    if t_eval.size and (np.any(np.diff(t_eval) < 0) or t_eval[0] < t_start or t_eval[-1] > t_end):
        raise InvalidInputError(f"The 't_eval' days must be sorted within [{t_start:g}, {t_end:g}].")
    times, states_idx, amounts = _schedule(model, doses)
    n_pat = P.shape[0]
    if dose_amounts is None:
        per_patient = np.ascontiguousarray(np.broadcast_to(amounts, (n_pat, amounts.size)))
    else:
        per_patient = np.ascontiguousarray(dose_amounts, dtype=float)
        if per_patient.shape != (n_pat, amounts.size):
            raise InvalidInputError(
                f"The 'dose_amounts' matrix must have shape {(n_pat, amounts.size)}. Got {per_patient.shape}."
            )
    inner = sorted({float(t) for t in times if t_start <= t < t_end} - {float(t_start)})
    bounds = np.array([t_start, *inner, t_end], dtype=float)
    # A dose exactly at t_start is applied before integration starts.
    out = np.empty((n_pat, t_eval.size, model.n_states))  # time-major for the kernel's writes
    status = np.zeros(n_pat, dtype=np.int64)
    steps = np.zeros((n_pat, 2), dtype=np.int64)
    if np.any(times == t_start):
        raise InvalidInputError("Doses at the journey's first day are not supported by the fast engine yet.")
    atol = model.absolute_tolerance(rtol, atol_scale)
    kernels.solve_batch(
        P, bounds, times, states_idx, per_patient, float(t_end), t_eval, float(rtol), atol,
        np.array(free, dtype=np.int64), np.array(pk, dtype=np.int64), int(max_steps), out, status, steps,
    )  # fmt: skip
    return BatchResult(times=t_eval, states=np.moveaxis(out, 2, 1), status=status, steps=steps, first=first)


def iter_batches(
    model: CompiledModel,
    full_parameters: FloatArray,
    doses: Sequence[Dose],
    t_start: float,
    t_end: float,
    t_eval: FloatArray,
    rtol: float = 1e-6,
    chunk: int = 256,
    **options: Any,
) -> Iterator[BatchResult]:
    """:func:`solve_batch` over consecutive chunks of ``chunk`` patients, yielded one at a time.

    Memory holds one chunk's states (chunk × n_states × n_times floats), whatever the cohort size.
    """
    P = np.atleast_2d(np.asarray(full_parameters, dtype=float))
    amounts = options.pop("dose_amounts", None)
    for first in range(0, P.shape[0], chunk):
        part = None if amounts is None else np.asarray(amounts)[first : first + chunk]
        yield solve_batch(
            model, P[first : first + chunk], doses, t_start, t_end, t_eval, rtol, dose_amounts=part, first=first,
            **options,
        )  # fmt: skip
