"""The engines behind one interface (``Solver(model, full_parameters, rtol).advance(y, t0, t1, t_eval)``).

Adding an engine means one line here; the engine tests sweep this registry.
"""

from __future__ import annotations

from ._fast import FastSolver
from ._reference import ReferenceSolver
from ._solver import SolverFactory

#: Engines by name: ``reference`` (scipy LSODA, the trusted path) and ``fast`` (compiled Rodas4).
ENGINES: dict[str, SolverFactory] = {"reference": ReferenceSolver, "fast": FastSolver}
