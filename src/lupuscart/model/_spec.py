"""The building blocks of the model definition: parameters, states, expressions and observables.

The model is written once, as data: every number is a :class:`Parameter` with value, unit, source and evidence
tag; every state carries its rate law as a formula string; intermediate quantities and observables are named
formulas too. Generators (``_codegen``, the SBML exporter) read this one definition. The layout of each block
follows an mrgsolve spec: header and sources, parameter table, states with units, derived quantities, one rate
line per state, observables.

A transfer of material from one state to another (precursor → naive B, effector → memory CAR T, drug between
compartments) is a :class:`Flux`, declared once: the code generator subtracts it from the source's rate law and adds
it to the target's (PySB's habit of writing each rule once). A block names the quantities it takes from other
blocks in ``inputs``; the audit refuses an undeclared use and an unused declaration.

Evidence tags (see ``shared/design/model.md``): ``R`` read in a source, ``D`` derived from sourced values,
``L`` textbook value, ``E`` estimate that calibration must revisit, ``C`` calibrated by lupuscart to the
Mackensen 2022 cohort (the fitting script says how).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Evidence = Literal["R", "D", "L", "E", "C"]
EVIDENCE_TAGS: dict[str, str] = {
    "R": "read in a source",
    "D": "derived from sourced values",
    "L": "textbook value",
    "E": "estimate that calibration must revisit",
    "C": "calibrated by lupuscart to Mackensen 2022",
}


@dataclass(frozen=True)
class Parameter:
    """A number of the model, with its unit, its source and how much to trust it.

    ``lower``/``upper`` bound the values a configuration or a sampled patient may take (inclusive); they are
    physical or plausibility bounds, not priors.
    """

    name: str
    value: float
    unit: str
    description: str
    source: str
    evidence: Evidence
    lower: float = 0.0
    upper: float = float("inf")


@dataclass(frozen=True)
class Assignment:
    """A quantity computed once from parameters before integration (a derived parameter or an initial value).

    mrgsolve's ``$MAIN``: e.g. the pre-treatment steady state ``b_naive_0 = k_pn * b_precursors_0 / (...)``.
    """

    name: str
    formula: str
    unit: str
    description: str


@dataclass(frozen=True)
class Expression:
    """A named intermediate quantity of the rate laws (depends on states; evaluated at every right-hand side)."""

    name: str
    formula: str
    unit: str
    description: str


@dataclass(frozen=True)
class State:
    """A state variable with its rate law ``d<name>/dt = rate`` and its pre-treatment initial value.

    ``rate`` holds the state's own production and loss; the :class:`Flux` terms that move material in or out are
    added by the generator (``ModelDefinition.rate_laws``), so ``rate`` may be empty for a state that only
    exchanges material (a transit compartment). ``scale`` is a typical magnitude used to set the absolute
    tolerance of the solvers (states that start at zero, such as drug amounts and CAR T cells, need one).
    ``dose_target`` marks states that receive bolus doses (drugs, CAR T product).
    """

    name: str
    unit: str
    description: str
    rate: str
    initial: str
    scale: float
    dose_target: bool = False


@dataclass(frozen=True)
class Flux:
    """A transfer from state ``source`` to state ``target`` at ``rate`` (amount of the source per day), written once.

    Both states share a unit (the audit checks it); the rate law of ``source`` loses ``rate`` and that of
    ``target`` gains it. ``name`` is usable in formulas like an :class:`Expression`.
    """

    name: str
    source: str
    target: str
    rate: str
    unit: str
    description: str


@dataclass(frozen=True)
class Observable:
    """A quantity reported to users (``timecourse.csv`` column, SBML assignment rule), in clinical units."""

    name: str
    formula: str
    unit: str
    description: str


@dataclass(frozen=True)
class Reference:
    """A publication a block draws on (key used in ``Parameter.source``)."""

    key: str
    citation: str
    doi: str = ""


@dataclass(frozen=True)
class Block:
    """One biological concept of the model (e.g. CAR T kinetics): its numbers, states and laws.

    ``inputs`` lists every name the block's formulas take from other blocks (mrgsolve's habit of reading a model
    top to bottom: what comes in is declared, not discovered).
    """

    name: str
    description: str
    inputs: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    expressions: tuple[Expression, ...] = ()
    states: tuple[State, ...] = ()
    fluxes: tuple[Flux, ...] = ()
    observables: tuple[Observable, ...] = ()
    references: tuple[Reference, ...] = field(default_factory=tuple)
