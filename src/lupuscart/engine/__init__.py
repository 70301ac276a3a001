"""Integration engines: the scipy reference solver and scheduled-dose handling."""

from ._compare import relative_difference as relative_difference
from ._reference import ReferenceSolver as ReferenceSolver
from ._reference import Trajectory as Trajectory
from ._reference import solve_schedule as solve_schedule
from ._schedule import Dose as Dose
from ._schedule import dose_times as dose_times

__all__ = ["Dose", "ReferenceSolver", "Trajectory", "dose_times", "relative_difference", "solve_schedule"]
