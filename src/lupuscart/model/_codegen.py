"""Generate executable code from the one model definition.

The formulas are Python expressions, so the generator writes plain Python functions that unpack the state and
parameter vectors into named locals, evaluate the expressions in dependency order and write the rates. The same
source is executed in a ``math`` namespace (scalar right-hand side for the reference solver), a ``numpy`` namespace
(vectorised observables over time points or patients) and can be compiled by numba (the fast engine). No second
hand-written copy of an equation exists anywhere.

The parameter vector passed to the right-hand side is the *full* vector: base parameters followed by the
assignments (derived parameters and initial values), as computed by :meth:`CompiledModel.derive`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .._typing import FloatArray
from ._definition import ModelDefinition, formula_names


def _unpack(names: list[str], vector: str, index: dict[str, int], indent: str = "    ") -> list[str]:
    return [f"{indent}{n} = {vector}[{index[n]}]" for n in names]


@dataclass(frozen=True)
class GeneratedSource:
    """Python source of the generated functions (kept for inspection and for other compilers)."""

    derive: str
    initial: str
    rhs: str
    observables: str
    observables_into: str


class CompiledModel:
    """Executable form of a :class:`ModelDefinition`.

    Attributes
    ----------
    full_names:
        Names of the full parameter vector: base parameters then assignments.
    """

    def __init__(self, definition: ModelDefinition) -> None:
        self.definition = definition
        self.full_names: list[str] = [p.name for p in definition.parameters] + [a.name for a in definition.assignments]
        self.full_index = {n: i for i, n in enumerate(self.full_names)}
        self.state_names = [s.name for s in definition.states]
        self.observable_names = [o.name for o in definition.observables]
        self.n_states = len(self.state_names)
        ns: dict[str, Any] = {"log": math.log, "exp": math.exp, "sqrt": math.sqrt, "np": np}
        exec(compile(self.source.derive, "<lupuscart.derive>", "exec"), ns)
        exec(compile(self.source.initial, "<lupuscart.initial>", "exec"), ns)
        exec(compile(self.source.rhs, "<lupuscart.rhs>", "exec"), ns)
        exec(compile(self.source.observables, "<lupuscart.observables>", "exec"), ns)
        vns: dict[str, Any] = {"log": np.log, "exp": np.exp, "sqrt": np.sqrt, "np": np}
        exec(compile(self.source.observables, "<lupuscart.observables>", "exec"), vns)
        self._derive: Callable[[FloatArray], FloatArray] = ns["derive"]
        self._initial: Callable[[FloatArray], FloatArray] = ns["initial"]
        self.rhs_into: Callable[[float, FloatArray, FloatArray, FloatArray], None] = ns["rhs"]
        self._observables: Callable[[FloatArray, FloatArray], dict[str, FloatArray]] = vns["observables"]
        self._observables_at: Callable[[FloatArray, FloatArray], dict[str, Any]] = ns["observables"]

    @cached_property
    def source(self) -> GeneratedSource:
        d = self.definition
        pidx = {p.name: i for i, p in enumerate(d.parameters)}
        # derive: base vector -> full vector
        lines = [
            "def derive(base):",
            f"    full = np.empty({len(self.full_names)})",
            f"    full[:{len(d.parameters)}] = base",
        ]
        lines += _unpack(
            sorted({n for a in d.assignments for n in formula_names(a.formula)} & pidx.keys()), "base", pidx
        )
        for a in d.assignments:
            lines.append(f"    {a.name} = {a.formula}")
            lines.append(f"    full[{self.full_index[a.name]}] = {a.name}")
        lines.append("    return full")
        derive = "\n".join(lines) + "\n"

        used = sorted({n for s in d.states for n in formula_names(s.initial)})
        lines = ["def initial(p):", f"    y = np.empty({len(d.states)})"]
        lines += _unpack(used, "p", self.full_index)
        lines += [f"    y[{i}] = {s.initial}" for i, s in enumerate(d.states)]
        lines.append("    return y")
        initial = "\n".join(lines) + "\n"

        rhs = self._body(
            "def rhs(t, y, p, dy):",
            [f"    dy[{i}] = {d.rate_laws[s.name]}" for i, s in enumerate(d.states)],
            list(d.rate_laws.values()),
        )
        obs_lines = ["    out = {}"] + [f"    out[{o.name!r}] = {o.formula} + 0.0*y[0]" for o in d.observables]
        obs_lines.append("    return out")
        observables = self._body("def observables(y, p):", obs_lines, [o.formula for o in d.observables])
        observables_into = self._body(
            "def observables_into(y, p, out):",
            [f"    out[{k}] = {o.formula}" for k, o in enumerate(d.observables)],
            [o.formula for o in d.observables],
        )
        return GeneratedSource(derive, initial, rhs, observables, observables_into)

    def _body(self, header: str, tail: list[str], formulas: list[str]) -> str:
        """Unpack what ``formulas`` need (through the expressions they use) and evaluate those expressions."""
        d = self.definition
        needed: set[str] = set()
        for f in formulas:
            needed |= formula_names(f)
        exprs = []
        expr_names = {e.name for e in d.expressions}
        for e in reversed(d.expressions):
            if e.name in needed:
                needed |= formula_names(e.formula)
                exprs.append(e)
        exprs.reverse()
        sidx = {n: i for i, n in enumerate(self.state_names)}
        lines = [header]
        lines += _unpack(sorted(needed & sidx.keys()), "y", sidx)
        lines += _unpack(sorted(needed & self.full_index.keys()), "p", self.full_index)
        lines += [f"    {e.name} = {e.formula}" for e in exprs]
        assert not (needed - sidx.keys() - self.full_index.keys() - expr_names - {"t"})
        return "\n".join(lines + tail) + "\n"

    # -- numeric API -------------------------------------------------------------------------------------------
    def base_vector(self, overrides: dict[str, float] | None = None) -> FloatArray:
        """Default base parameter vector with ``overrides`` applied (names checked)."""
        values = dict(self.definition.default_values)
        for k, v in (overrides or {}).items():
            if k not in values:
                raise KeyError(f"unknown model parameter {k!r}")
            values[k] = float(v)
        return np.array([values[p.name] for p in self.definition.parameters], dtype=float)

    def derive(self, base: FloatArray) -> FloatArray:
        """Full parameter vector (base parameters, then derived parameters and initial values)."""
        return self._derive(np.asarray(base, dtype=float))

    def initial_state(self, full: FloatArray) -> FloatArray:
        """Pre-treatment steady state (no drugs, no CAR T) for the full parameter vector."""
        return self._initial(full)

    def rhs(self, t: float, y: FloatArray, full: FloatArray) -> FloatArray:
        """dy/dt at (t, y)."""
        dy = np.empty(self.n_states)
        self.rhs_into(t, y, full, dy)
        return dy

    def observables(self, states: FloatArray, full: FloatArray) -> dict[str, FloatArray]:
        """Observables for states of shape (n_states, n_times)."""
        return self._observables(states, full)

    def observables_at(self, y: FloatArray, full: FloatArray) -> dict[str, float]:
        """Observables of one state vector, as floats (the same generated source run with scalar ``math``)."""
        return {k: float(v) for k, v in self._observables_at(y, full).items()}

    @cached_property
    def atol(self) -> FloatArray:
        """Absolute tolerance scale of each state (``State.scale``)."""
        return np.array([s.scale for s in self.definition.states], dtype=float)

    def absolute_tolerance(self, rtol: float, atol_scale: float | None = None) -> FloatArray:
        """Per-state absolute tolerance of every engine: ``atol_scale × State.scale`` (default ``rtol × 1e-3``).

        >>> from lupuscart.model import default_model
        >>> m = default_model()
        >>> float(m.absolute_tolerance(1e-6)[m.definition.state_index["t_cells"]])  # scale 1e10 cells × 1e-9
        10.0
        """
        scale = rtol * 1e-3 if atol_scale is None else atol_scale
        return np.ascontiguousarray(self.atol * scale)


def compile_model(definition: ModelDefinition) -> CompiledModel:
    """Generate and compile the executable form of ``definition``."""
    return CompiledModel(definition)
