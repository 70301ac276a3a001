"""Integration engines: the scipy reference solver, the compiled fast engine and scheduled-dose handling."""

from ._compare import relative_difference as relative_difference
from ._fast import BatchResult as BatchResult
from ._fast import FastSolver as FastSolver
from ._fast import iter_batches as iter_batches
from ._fast import solve_batch as solve_batch
from ._fast_codegen import fast_engine_ready as fast_engine_ready
from ._reference import ReferenceSolver as ReferenceSolver
from ._reference import Trajectory as Trajectory
from ._reference import solve_schedule as solve_schedule
from ._registry import ENGINES as ENGINES
from ._schedule import Dose as Dose
from ._schedule import dose_times as dose_times
from ._solver import Solver as Solver
from ._solver import SolverFactory as SolverFactory
from ._solver import SolverStatus as SolverStatus

__all__ = [
    "ENGINES",
    "BatchResult",
    "Dose",
    "FastSolver",
    "ReferenceSolver",
    "Solver",
    "SolverFactory",
    "SolverStatus",
    "Trajectory",
    "dose_times",
    "fast_engine_ready",
    "iter_batches",
    "relative_difference",
    "solve_batch",
    "solve_schedule",
]
