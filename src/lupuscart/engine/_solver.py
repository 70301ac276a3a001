"""What every engine offers the journey: the :class:`Solver` protocol and the :class:`SolverStatus` of a solve.

An engine is constructed for one patient (``Solver(model, full_parameters, rtol=...)``) and advances the state
between event times (``advance``); the journey applies doses and management between calls. Batch engines report
failure per patient as a :class:`SolverStatus` instead of raising (style.md 8: in a million-patient trial a failed
patient is a value), and each status carries what to do about it.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Protocol

from .._typing import FloatArray
from ..model import CompiledModel


class SolverStatus(IntEnum):
    """Outcome of a solve; the integer values are the ones the compiled kernels return."""

    OK = 0
    MAX_STEPS_REACHED = 1
    STEP_SIZE_UNDERFLOW = 2
    CLOSED_FORM_FAILED = 3

    @property
    def message(self) -> str:
        """What happened and what to try."""
        return _MESSAGES[self]


_MESSAGES: dict[SolverStatus, str] = {
    SolverStatus.OK: "ok",
    SolverStatus.MAX_STEPS_REACHED: "max_steps_reached: try increasing `max_steps` or loosening `rtol`",
    SolverStatus.STEP_SIZE_UNDERFLOW: "step_size_underflow: the solution became non-finite or too stiff; check the "
    "sampled parameters",
    SolverStatus.CLOSED_FORM_FAILED: "closed_form_failed: the linear PK matrix is not diagonalisable with real "
    "eigenvalues; this is a bug, please report it",
}


class Solver(Protocol):
    """One patient's ODE solver: integrate between event times, the caller applies doses in between."""

    model: CompiledModel
    rtol: float

    def advance(self, y: FloatArray, t0: float, t1: float, t_eval: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Integrate from ``(t0, y)`` to ``t1``; return the states at ``t_eval`` (each in ``[t0, t1)``,
        ``states[i, k]`` is state ``i`` at ``t_eval[k]``) and the state at ``t1``. Raises
        :class:`~lupuscart.exceptions.SolverError` when the solve fails."""
        ...


class SolverFactory(Protocol):
    """An engine class: builds the :class:`Solver` of one patient."""

    def __call__(self, model: CompiledModel, full_parameters: FloatArray, rtol: float = ...) -> Solver: ...
