"""Reference solver: scipy's stiff LSODA on the generated right-hand side, segmented at dose times.

This is the trusted path the tests compare everything else with (the fast engine, the SBML export in
libRoadRunner). Absolute tolerances are per state, ``atol_scale × State.scale``, because states span fifteen orders
of magnitude (cells ~10¹¹, drug amounts ~mg, activity indices ~1).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.integrate import solve_ivp

from .._typing import FloatArray
from ..exceptions import SolverError
from ..model import CompiledModel
from ._schedule import Dose, dose_times

#: Right-hand-side evaluations one solver (one patient's journey) may spend: about 15 times what the most
#: demanding sampled patient needs at rtol 1e-8 (≈ 7,000), a few seconds. Parameters that make the problem
#: stiffer than that (e.g. an extreme model_parameters override) end in a :class:`SolverError`, not a hang.
MAX_RHS_EVALUATIONS = 100_000


class _BudgetSpent(Exception):
    """Raised inside the right-hand side when the work budget is spent (stops LSODA at once)."""


@dataclass(frozen=True)
class Trajectory:
    """States at requested times: ``states[i, k]`` is state ``i`` at ``times[k]``."""

    times: FloatArray
    states: FloatArray


class ReferenceSolver:
    """Advance one patient's state with scipy LSODA between event times.

    Parameters
    ----------
    model:
        The compiled model.
    full_parameters:
        Full parameter vector from :meth:`CompiledModel.derive`.
    rtol:
        Relative tolerance (default 1e-6; the tests use 1e-8 for reference solves).
    atol_scale:
        Absolute tolerance per unit of each state's ``scale`` (default ``rtol × 1e-3``).
    max_rhs_evaluations:
        Work budget of this solver over all its ``advance`` calls (see :data:`MAX_RHS_EVALUATIONS`).
    """

    def __init__(
        self,
        model: CompiledModel,
        full_parameters: FloatArray,
        rtol: float = 1e-6,
        atol_scale: float | None = None,
        method: Literal["LSODA", "BDF", "Radau"] = "LSODA",
        max_rhs_evaluations: int = MAX_RHS_EVALUATIONS,
    ) -> None:
        self.model = model
        self.p = np.asarray(full_parameters, dtype=float)
        self.rtol = rtol
        self.atol = model.absolute_tolerance(rtol, atol_scale)
        self.method = method
        self.n_rhs = 0
        self.max_rhs_evaluations = int(max_rhs_evaluations)
        self._calls = 0

    def _f(self, t: float, y: FloatArray) -> FloatArray:
        self._calls += 1
        if self._calls > self.max_rhs_evaluations:
            raise _BudgetSpent
        dy = np.empty(self.model.n_states)
        self.model.rhs_into(t, y, self.p, dy)
        return dy

    def advance(self, y: FloatArray, t0: float, t1: float, t_eval: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Integrate from ``(t0, y)`` to ``t1``; return states at ``t_eval`` (within ``[t0, t1]``) and at ``t1``."""
        t_eval = np.asarray(t_eval, dtype=float)
        if t1 <= t0:
            return np.repeat(y[:, None], t_eval.size, axis=1), y.copy()
        try:
            # Overflow in the right-hand side and LSODA's convergence warnings are symptoms of the failure that is
            # reported below (as a SolverError naming the days), not messages for the user.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                sol = solve_ivp(
                    self._f, (t0, t1), y, method=self.method, t_eval=np.append(t_eval, t1), rtol=self.rtol,
                    atol=self.atol,
                )  # fmt: skip
        except _BudgetSpent:
            raise SolverError(
                f"reference solve stopped between day {t0:g} and {t1:g}: it spent its budget of "
                f"{self.max_rhs_evaluations} right-hand-side evaluations (a normal patient needs a few thousand); "
                "the parameters make the problem too stiff: check model_parameters, or try the fast engine."
            ) from None
        if sol.success and not np.all(np.isfinite(sol.y)):
            raise SolverError(
                f"reference solve failed between day {t0:g} and {t1:g}: the solution became non-finite; check the "
                "sampled parameters (model_parameters)."
            )
        if not sol.success:
            raise SolverError(
                f"reference solve failed between day {t0:g} and {t1:g}: {sol.message}. "
                "Try a looser rtol or check the sampled parameters."
            )
        self.n_rhs += int(sol.nfev)
        return sol.y[:, :-1], sol.y[:, -1].copy()


def solve_schedule(
    model: CompiledModel,
    full_parameters: FloatArray,
    t_start: float,
    t_end: float,
    doses: Sequence[Dose],
    t_eval: FloatArray,
    rtol: float = 1e-6,
    y0: FloatArray | None = None,
) -> Trajectory:
    """Solve from the pre-treatment steady state with scheduled boluses (no state-dependent management).

    At a dose time the reported state is the one just after the dose.
    """
    solver = ReferenceSolver(model, full_parameters, rtol=rtol)
    y = model.initial_state(solver.p) if y0 is None else np.array(y0, dtype=float)
    t_eval = np.asarray(t_eval, dtype=float)
    out = np.empty((model.n_states, t_eval.size))
    boundaries = [t for t in dose_times(doses) if t_start <= t < t_end] + [t_end]
    t = t_start
    for boundary in boundaries:
        mask = (t_eval >= t) & (t_eval < boundary)
        ys, y = solver.advance(y, t, boundary, t_eval[mask])
        out[:, mask] = ys
        for d in doses:
            if d.time_day == boundary and boundary < t_end:
                y[model.definition.state_index[d.state]] += d.amount
        out[:, t_eval == boundary] = y[:, None]
        t = boundary
    return Trajectory(times=t_eval, states=out)
