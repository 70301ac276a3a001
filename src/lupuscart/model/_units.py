"""Dimensional analysis of the model: every unit string parsed, every formula's dimension checked.

Units are parsed with ``sympy.physics.units`` (SI quantities and prefixes) extended by the counting units of
clinical medicine as base dimensions of their own: ``cells`` (also ``RBC``, ``WBC``), ``IU`` (international units
of an assay), ``hpf`` (high-power field), ``joints`` and ``points``. A unit string is a product of such units with
``*``, ``/``, ``^`` and numeric factors (``1e9 cells/L``, ``IU/mL/cell/d``, ``m^2``).

A formula's dimension is computed from its operands: every name has the dimension of its declared unit, numbers
are dimensionless (a formula that is just ``0`` has every dimension), terms of a sum must agree, ``exp`` and
``log`` take and give dimensionless values, ``sqrt`` halves exponents, and a power with a dimensioned base needs a
numeric exponent. The result must match the declared unit's dimension (a rate law: the state's unit per day).
Only dimensions are compared, not scale: ``L/h`` and ``L/d`` agree, and a literal such as the ``24`` in
``24*flu_q2_l_h`` (hours per day) is the formula's own business. A number that carries a unit in disguise (a
reference weight of 70 kg, a body temperature of 37 °C) fails the check and must become a parameter with that unit.

The scale is parsed too (:func:`parse_unit_si`: ``cells/uL`` is 1e9 cells per m³, ``d`` is 86400 s) for the SBML
export, which writes every declared unit as an SBML unit definition.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._definition import ModelDefinition

#: A dimension as base-dimension exponents, e.g. {"length": 3, "time": -1} for L/d; {} is dimensionless.
Dimension = dict[str, Fraction]

#: Counting units with base dimensions of their own (name -> dimension).
COUNT_UNITS: dict[str, str] = {
    "cells": "cell",
    "cell": "cell",
    "RBC": "cell",
    "WBC": "cell",
    "IU": "assay_unit",
    "hpf": "microscope_field",
    "joints": "joint",
    "points": "score_point",
}


@dataclass(frozen=True)
class SIUnit:
    """A unit in coherent units (metre, gram, second, kelvin: sympy's SI scale; one of each counting unit): a pure
    number times, per base dimension, a size to an exponent; the size of each part stays with its dimension.

    ``1e9 cells/L/d`` is ``number`` 1e9 and parts ``cell`` (1, 1), ``length`` (1000, -3) (1/L is 1000 m⁻³) and
    ``time`` (1/86400, -1). A dimension that cancels (``mg/kg``) leaves its size in the number.
    """

    number: Fraction
    parts: tuple[tuple[str, Fraction, Fraction], ...]  # (base dimension, size, exponent), sorted by base

    @property
    def dimension(self) -> Dimension:
        """The base-dimension exponents."""
        return {base: exponent for base, _, exponent in self.parts}

    @property
    def size(self) -> Fraction:
        """The unit's size in coherent units (``cells/uL``: 1e9 cells per m³)."""
        size = self.number
        for _, part, _ in self.parts:
            size *= part
        return size


@lru_cache(maxsize=1)
def _si_units() -> dict[str, SIUnit]:
    """The SI-derived units the model uses, each of one base dimension (built from sympy's unit system and
    prefixes)."""
    from sympy.physics import units as u
    from sympy.physics.units.systems.si import SI, dimsys_SI

    def si(quantity: Any, prefix: Any = None) -> SIUnit:
        deps = dimsys_SI.get_dimensional_dependencies(SI.get_quantity_dimension(quantity))
        [(base, exponent)] = [(str(getattr(k, "name", k)), Fraction(str(v))) for k, v in deps.items()]
        size = Fraction(str(SI.get_quantity_scale_factor(quantity)))
        if prefix is not None:
            size *= Fraction(str(prefix.scale_factor))
        return SIUnit(Fraction(1), ((base, size, exponent),))

    return {
        "d": si(u.day),
        "h": si(u.hour),
        "min": si(u.minute),
        "y": si(u.year),
        "L": si(u.liter),
        "mL": si(u.liter, u.milli),
        "uL": si(u.liter, u.micro),
        "kg": si(u.gram, u.kilo),
        "g": si(u.gram),
        "mg": si(u.gram, u.milli),
        "pg": si(u.gram, u.pico),
        "m": si(u.meter),
        "degC": si(u.kelvin),  # a temperature, not a difference of one: the offset of 273.15 K is not a scale
    }


def _combine(a: Dimension, b: Dimension, sign: int = 1) -> Dimension:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, Fraction(0)) + sign * v
    return {k: v for k, v in out.items() if v != 0}


def _scale(a: Dimension, factor: Fraction) -> Dimension:
    return {k: v * factor for k, v in a.items() if v * factor != 0}


def format_dimension(d: Dimension) -> str:
    """Readable form of a dimension, e.g. ``cell·time^-1``; ``1`` when dimensionless.

    >>> format_dimension(parse_unit("cells/d"))
    'cell·time^-1'
    """
    if not d:
        return "1"
    return "·".join(k if v == 1 else f"{k}^{v}" for k, v in sorted(d.items()))


def _si_unit(number: Fraction, parts: dict[str, tuple[Fraction, Fraction]]) -> SIUnit:
    for base, (size, exponent) in list(parts.items()):
        if exponent == 0:
            number *= size
            del parts[base]
    return SIUnit(number, tuple(sorted((base, size, exponent) for base, (size, exponent) in parts.items())))


def _power(x: Fraction, p: Fraction) -> Fraction:
    return x**p.numerator if p.denominator == 1 else Fraction(float(x) ** float(p))


def parse_unit(text: str) -> Dimension:
    """The dimension of a unit string.

    >>> format_dimension(parse_unit("IU/mL/cell/d"))
    'assay_unit·cell^-1·length^-3·time^-1'
    >>> parse_unit("cells/cell/d") == parse_unit("1/d")
    True
    >>> parse_unit("furlongs")
    Traceback (most recent call last):
    ...
    ValueError: unit 'furlongs' uses unknown unit 'furlongs'
    """
    return parse_unit_si(text).dimension


@lru_cache(maxsize=256)
def parse_unit_si(text: str) -> SIUnit:
    """A unit string in coherent units, with its scale (what the SBML export writes as unit definitions).

    >>> parse_unit_si("cells/uL").size, format_dimension(parse_unit_si("cells/uL").dimension)
    (Fraction(1000000000, 1), 'cell·length^-3')
    >>> parse_unit_si("pg/mL").size, parse_unit_si("1/d").size
    (Fraction(1, 1000000), Fraction(1, 86400))
    """
    try:
        tree = ast.parse(text.strip().replace("^", "**").replace(" ", "*"), mode="eval")
    except SyntaxError:
        raise ValueError(f"unit {text!r} does not parse") from None
    return _unit_si(tree.body, text.strip())


def _unit_si(node: ast.expr, text: str) -> SIUnit:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return SIUnit(Fraction(str(node.value)), ())
    if isinstance(node, ast.Name):
        if node.id in COUNT_UNITS:
            return SIUnit(Fraction(1), ((COUNT_UNITS[node.id], Fraction(1), Fraction(1)),))
        si = _si_units()
        if node.id in si:
            return si[node.id]
        raise ValueError(f"unit {text!r} uses unknown unit {node.id!r}")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
        sign = 1 if isinstance(node.op, ast.Mult) else -1
        left, right = _unit_si(node.left, text), _unit_si(node.right, text)
        parts = {base: (size, exponent) for base, size, exponent in left.parts}
        for base, size, exponent in right.parts:
            size0, exponent0 = parts.get(base, (Fraction(1), Fraction(0)))
            parts[base] = (size0 * size**sign, exponent0 + sign * exponent)
        return _si_unit(left.number * right.number**sign, parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant):
        value = node.right.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            base_unit, power = _unit_si(node.left, text), Fraction(str(value))
            return _si_unit(
                _power(base_unit.number, power),
                {base: (_power(size, power), e * power) for base, size, e in base_unit.parts},
            )
    raise ValueError(f"unit {text!r} is not a product of units and numbers")


class _FormulaDimension:
    """Walks one formula's syntax tree and computes its dimension, collecting what does not agree."""

    def __init__(self, dimensions: Mapping[str, Dimension], where: str) -> None:
        self.dimensions = dimensions
        self.where = where
        self.problems: list[str] = []

    def of(self, node: ast.expr) -> Dimension:
        if isinstance(node, ast.Constant):
            return {}
        if isinstance(node, ast.Name):
            return self.dimensions[node.id]
        if isinstance(node, ast.UnaryOp):
            return self.of(node.operand)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            arg = self.of(node.args[0])
            if node.func.id == "sqrt":
                return _scale(arg, Fraction(1, 2))
            if arg:
                self._fail(f"{node.func.id}() of {ast.unparse(node.args[0])!r} ({format_dimension(arg)})")
            return {}
        raise ValueError(f"{self.where}: cannot analyse {ast.unparse(node)!r}")

    def _binop(self, node: ast.BinOp) -> Dimension:
        left = self.of(node.left)
        if isinstance(node.op, ast.Pow):
            right = self.of(node.right)
            if right:
                self._fail(f"exponent {ast.unparse(node.right)!r} has dimension {format_dimension(right)}")
            if not left:
                return {}
            exponent = _numeric(node.right)
            if exponent is None:
                self._fail(f"power of dimensioned {ast.unparse(node.left)!r} by a non-numeric exponent")
                return {}
            return _scale(left, exponent)
        right = self.of(node.right)
        if isinstance(node.op, ast.Mult):
            return _combine(left, right)
        if isinstance(node.op, ast.Div):
            return _combine(left, right, -1)
        if left != right:
            self._fail(
                f"{ast.unparse(node.left)!r} ({format_dimension(left)}) and {ast.unparse(node.right)!r} "
                f"({format_dimension(right)}) are added or subtracted"
            )
        return left

    def _fail(self, what: str) -> None:
        self.problems.append(f"{self.where}: {what}")


def _numeric(node: ast.expr) -> Fraction | None:
    """The value of a literal numeric exponent (``2``, ``0.75``, ``-1``), or ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Fraction(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _numeric(node.operand)
        return None if inner is None else -inner
    return None


def unit_problems(definition: ModelDefinition) -> list[str]:
    """Every unit that does not parse and every formula whose dimension disagrees with its declaration."""
    problems: list[str] = []
    dimensions: dict[str, Dimension] = {"t": parse_unit("d")}
    declared = [
        *(("parameter", p.name, p.unit) for p in definition.parameters),
        *(("assignment", a.name, a.unit) for a in definition.assignments),
        *(("expression", e.name, e.unit) for b in definition.blocks for e in b.expressions),
        *(("flux", f.name, f.unit) for f in definition.fluxes),
        *(("state", s.name, s.unit) for s in definition.states),
        *(("observable", o.name, o.unit) for o in definition.observables),
    ]
    for kind, name, unit in declared:
        try:
            dimensions[name] = parse_unit(unit)
        except ValueError as exc:
            problems.append(f"{kind} {name!r}: {exc}")
    if problems:
        return problems
    per_day = parse_unit("1/d")
    checks: list[tuple[str, str, Dimension]] = [
        *((f"assignment {a.name!r}", a.formula, dimensions[a.name]) for a in definition.assignments),
        *((f"expression {e.name!r}", e.formula, dimensions[e.name]) for b in definition.blocks for e in b.expressions),
        *((f"flux {f.name!r}", f.rate, dimensions[f.name]) for f in definition.fluxes),
        *((f"initial value of state {s.name!r}", s.initial, dimensions[s.name]) for s in definition.states),
        *(
            (f"rate of state {s.name!r}", law, _combine(dimensions[s.name], per_day))
            for s in definition.states
            if (law := definition.rate_laws[s.name])
        ),
        *((f"observable {o.name!r}", o.formula, dimensions[o.name]) for o in definition.observables),
    ]
    states = {s.name: s for s in definition.states}
    for f in definition.fluxes:
        expected = _combine(dimensions[f.source], per_day) if f.source in states else None
        if expected is not None and dimensions[f.name] != expected:
            problems.append(
                f"flux {f.name!r}: unit {f.unit} is not the unit of {f.source!r} per day ({format_dimension(expected)})"
            )
    for where, formula, expected in checks:
        tree = ast.parse(formula, mode="eval").body
        if isinstance(tree, ast.Constant) and tree.value == 0:
            continue  # zero has every dimension
        walker = _FormulaDimension(dimensions, where)
        got = walker.of(tree)
        problems += walker.problems
        if not walker.problems and got != expected:
            problems.append(
                f"{where}: formula has dimension {format_dimension(got)}, declared {format_dimension(expected)}"
            )
    return problems
