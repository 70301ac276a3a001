"""The model definition assembled from its blocks, with a load-time audit.

The audit (mrgsolve's habit) checks that names are unique, every state has a rate law and an initial value,
every name used in a formula is declared, each block declares what it takes from other blocks (and uses what it
declares), fluxes join two states of one unit, assignments only use parameters and earlier assignments,
expressions form no cycle, and every parameter has a unit, a known source and an evidence tag. A failure is a bug
in the model and raises :class:`~lupuscart.exceptions.ModelDefinitionError` naming what is missing.
:meth:`ModelDefinition.check_units` adds the dimensional analysis of every formula (``_units``).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..exceptions import ModelDefinitionError
from . import (
    _autoimmunity,
    _b_lineage,
    _blood,
    _car_t_kinetics,
    _crs_vitals,
    _cytokines,
    _endothelium,
    _journey,
    _lymphodepletion,
    _marrow_t_cells,
    _neutrophils,
    _observables,
    _organ_activity,
    _plasma_cells,
    _serology,
)
from ._references import REFERENCES
from ._spec import EVIDENCE_TAGS, Assignment, Block, Expression, Flux, Observable, Parameter, State
from ._units import unit_problems

#: Functions a formula may call (Python syntax; ``log`` is the natural logarithm).
FUNCTIONS = frozenset({"log", "exp", "sqrt"})


def formula_names(formula: str) -> set[str]:
    """Names a formula refers to, functions excluded.

    >>> sorted(formula_names("a*log(b/c) + exp(d)**2"))
    ['a', 'b', 'c', 'd']
    """
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise ModelDefinitionError(f"formula {formula!r} is not valid: {exc.msg}") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
                raise ModelDefinitionError(
                    f"formula {formula!r} calls an unknown function; allowed: {sorted(FUNCTIONS)}"
                )
        elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
            names.add(node.id)
    return names


def _topological(expressions: Sequence[Expression]) -> tuple[Expression, ...]:
    by_name = {e.name: e for e in expressions}
    ordered: list[Expression] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(e: Expression, path: tuple[str, ...]) -> None:
        mark = state.get(e.name)
        if mark == 2:
            return
        if mark == 1:
            raise ModelDefinitionError(f"expressions form a cycle: {' -> '.join((*path, e.name))}")
        state[e.name] = 1
        for dep in sorted(formula_names(e.formula) & by_name.keys()):
            visit(by_name[dep], (*path, e.name))
        state[e.name] = 2
        ordered.append(e)

    for e in expressions:
        visit(e, ())
    return tuple(ordered)


@dataclass(frozen=True)
class ModelDefinition:
    """The whole mechanistic model: blocks flattened into parameters, assignments, expressions, states, observables.

    Build it with :func:`build_model`; the constructor audits it.
    """

    name: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        self.audit()

    @cached_property
    def parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for b in self.blocks for p in b.parameters)

    @cached_property
    def assignments(self) -> tuple[Assignment, ...]:
        return tuple(a for b in self.blocks for a in b.assignments)

    @cached_property
    def fluxes(self) -> tuple[Flux, ...]:
        return tuple(f for b in self.blocks for f in b.fluxes)

    @cached_property
    def expressions(self) -> tuple[Expression, ...]:
        """Intermediate quantities and fluxes (as named expressions), ordered so that each only uses earlier ones."""
        fluxes = [Expression(f.name, f.rate, f.unit, f.description) for f in self.fluxes]
        return _topological([e for b in self.blocks for e in b.expressions] + fluxes)

    @cached_property
    def rate_laws(self) -> dict[str, str]:
        """The full right-hand side of every state: its own ``rate``, minus the fluxes out, plus the fluxes in.

        >>> d = build_model()
        >>> d.rate_laws["car_t_memory"]
        '-car_memory_loss_per_day*car_t_memory + car_t_memory_formation_flux - car_t_reactivation_flux'
        """
        laws: dict[str, str] = {}
        for s in self.states:
            law = s.rate.strip()
            for f in self.fluxes:
                if f.target == s.name:
                    law = f"{law} + {f.name}" if law else f.name
            for f in self.fluxes:
                if f.source == s.name:
                    law = f"{law} - {f.name}" if law else f"-{f.name}"
            laws[s.name] = law
        return laws

    @cached_property
    def states(self) -> tuple[State, ...]:
        return tuple(s for b in self.blocks for s in b.states)

    @cached_property
    def observables(self) -> tuple[Observable, ...]:
        return tuple(o for b in self.blocks for o in b.observables)

    @cached_property
    def parameter_index(self) -> dict[str, int]:
        """Position of each parameter in the base parameter vector."""
        return {p.name: i for i, p in enumerate(self.parameters)}

    @cached_property
    def state_index(self) -> dict[str, int]:
        """Position of each state in the state vector."""
        return {s.name: i for i, s in enumerate(self.states)}

    @cached_property
    def default_values(self) -> dict[str, float]:
        return {p.name: p.value for p in self.parameters}

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every formula and default value; changes whenever the model does (used by caches)."""
        h = hashlib.sha256()
        for b in self.blocks:
            for p in b.parameters:
                h.update(f"P {p.name}={p.value!r}\n".encode())
            for a in b.assignments:
                h.update(f"A {a.name}={a.formula}\n".encode())
            for e in b.expressions:
                h.update(f"E {e.name}={e.formula}\n".encode())
            for s in b.states:
                h.update(f"S {s.name}'={s.rate};{s.initial};{s.scale!r}\n".encode())
            for f in b.fluxes:
                h.update(f"F {f.name}:{f.source}->{f.target}={f.rate}\n".encode())
            for o in b.observables:
                h.update(f"O {o.name}={o.formula}\n".encode())
        return h.hexdigest()[:16]

    def audit(self) -> None:
        """Check the definition; raise :class:`ModelDefinitionError` listing every problem found."""
        problems: list[str] = []
        kinds: dict[str, str] = {}
        for kind, items in (
            ("parameter", self.parameters),
            ("assignment", self.assignments),
            ("expression", [e for b in self.blocks for e in b.expressions]),
            ("flux", self.fluxes),
            ("state", self.states),
            ("observable", self.observables),
        ):
            for item in items:
                if item.name in kinds:
                    problems.append(f"duplicate name {item.name!r} ({kinds[item.name]} and {kind})")
                if not item.name.isidentifier() or item.name in FUNCTIONS or item.name == "t":
                    problems.append(f"invalid name {item.name!r}")
                kinds[item.name] = kind
        for p in self.parameters:
            if not p.unit:
                problems.append(f"missing: unit of parameter {p.name!r}")
            if p.source not in REFERENCES:
                problems.append(f"missing: source {p.source!r} of parameter {p.name!r} is not in REFERENCES")
            if p.evidence not in EVIDENCE_TAGS:
                problems.append(f"missing: evidence tag of parameter {p.name!r} (one of {sorted(EVIDENCE_TAGS)})")
            if not p.lower <= p.value <= p.upper:
                problems.append(f"default of {p.name!r} ({p.value}) is outside [{p.lower}, {p.upper}]")
        known = {p.name for p in self.parameters}
        for a in self.assignments:
            self._check_names(a.formula, known, f"assignment {a.name!r}", problems)
            known.add(a.name)
        for s in self.states:
            self._check_names(s.initial, known, f"initial value of state {s.name!r}", problems)
            if s.scale <= 0:
                problems.append(f"state {s.name!r} needs a positive tolerance scale")
        dynamic = (
            known
            | {s.name for s in self.states}
            | {e.name for b in self.blocks for e in b.expressions}
            | {f.name for f in self.fluxes}
        )
        states = {s.name: s for s in self.states}
        for b in self.blocks:
            for e in b.expressions:
                self._check_names(e.formula, dynamic, f"expression {e.name!r}", problems)
            for f in b.fluxes:
                self._check_names(f.rate, dynamic, f"flux {f.name!r}", problems)
                source, target = states.get(f.source), states.get(f.target)
                if source is None:
                    problems.append(f"flux {f.name!r}: source {f.source!r} is not a state")
                if target is None:
                    problems.append(f"flux {f.name!r}: target {f.target!r} is not a state")
                if f.source == f.target:
                    problems.append(f"flux {f.name!r} goes from {f.source!r} to itself")
                if source is not None and target is not None and source.unit != target.unit:
                    problems.append(
                        f"flux {f.name!r} joins states of different units: {f.source!r} ({source.unit}) and "
                        f"{f.target!r} ({target.unit})"
                    )
            for s in b.states:
                if not s.rate.strip() and not any(s.name in (f.source, f.target) for f in self.fluxes):
                    problems.append(f"missing: rate of state {s.name!r} (d{s.name}/dt)")
                if s.rate.strip():
                    self._check_names(s.rate, dynamic, f"rate of state {s.name!r}", problems)
            for o in b.observables:
                self._check_names(o.formula, dynamic, f"observable {o.name!r}", problems)
        problems += self._undeclared_inputs()
        if problems:
            raise ModelDefinitionError(f"model {self.name!r} failed its audit:\n  - " + "\n  - ".join(problems))
        self.expressions  # noqa: B018  (detects cycles)

    def _undeclared_inputs(self) -> list[str]:
        """Each block's uses of other blocks' names against its ``inputs``, both ways."""
        owner = {name: b.name for b in self.blocks for name in _defined(b)}
        problems = []
        for b in self.blocks:
            used = _used(b) - _defined(b) - {"t"}
            for name in sorted(used - set(b.inputs)):
                if name in owner:
                    problems.append(
                        f"block {b.name!r} uses {name!r} (from block {owner[name]!r}) without declaring it in inputs"
                    )
            for name in sorted(set(b.inputs) - used):
                where = f"defined in block {owner[name]!r}" if name in owner else "defined by no block"
                problems.append(f"block {b.name!r} declares input {name!r} ({where}) but does not use it")
            for name in sorted(set(b.inputs) & used):
                if name not in owner:
                    problems.append(f"block {b.name!r} declares input {name!r} that no block defines")
        return problems

    def check_units(self) -> None:
        """Parse every unit and check the dimension of every formula; raise ``ModelDefinitionError`` listing each
        inconsistency (see ``_units``; kept out of the load-time audit because sympy's unit system takes ~0.9 s to
        import, which every process would pay for a property of the code that tests already guarantee)."""
        problems = unit_problems(self)
        if problems:
            raise ModelDefinitionError(f"model {self.name!r} failed its unit check:\n  - " + "\n  - ".join(problems))

    @staticmethod
    def _check_names(formula: str, known: Iterable[str], where: str, problems: list[str]) -> None:
        try:
            unknown = formula_names(formula) - set(known)
        except ModelDefinitionError as exc:
            problems.append(f"{where}: {exc}")
            return
        if unknown:
            problems.append(f"{where} uses undeclared names {sorted(unknown)}")


def _defined(block: Block) -> set[str]:
    items: tuple[tuple[Parameter | Assignment | Expression | Flux | State | Observable, ...], ...] = (
        block.parameters,
        block.assignments,
        block.expressions,
        block.fluxes,
        block.states,
        block.observables,
    )
    return {item.name for group in items for item in group}


def _used(block: Block) -> set[str]:
    formulas = [a.formula for a in block.assignments] + [e.formula for e in block.expressions]
    formulas += [f.rate for f in block.fluxes] + [o.formula for o in block.observables]
    formulas += [s.rate for s in block.states if s.rate.strip()] + [s.initial for s in block.states]
    names = {f.source for f in block.fluxes} | {f.target for f in block.fluxes}
    for formula in formulas:
        try:
            names |= formula_names(formula)
        except ModelDefinitionError:
            continue  # reported by the formula checks
    return names


def build_model() -> ModelDefinition:
    """The default lupuscart model: CD19 CAR T therapy in SLE (model.md sections A and B)."""
    blocks = (
        _lymphodepletion.BLOCK,
        _blood.BLOCK,
        _marrow_t_cells.BLOCK,
        _car_t_kinetics.BLOCK,
        _b_lineage.BLOCK,
        _autoimmunity.BLOCK,
        _serology.BLOCK,
        _plasma_cells.BLOCK,
        _cytokines.BLOCK,
        _neutrophils.BLOCK,
        _endothelium.BLOCK,
        _crs_vitals.BLOCK,
        _organ_activity.BLOCK,
        _observables.BLOCK,
        _journey.BLOCK,
    )
    return ModelDefinition(name="lupuscart_cd19_car_t_sle", blocks=blocks)
