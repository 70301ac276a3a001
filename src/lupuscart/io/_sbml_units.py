"""SBML unit definitions for the model's declared units (``cells/uL``, ``pg/mL``, ``1e9 cells/L``, ``1/d``, ...).

Every distinct unit string of the model becomes one ``<unitDefinition>``, derived from the model's own unit parser
(:func:`lupuscart.model.parse_unit_si`, sympy's SI system): the unit's size in coherent units and its dimension are
written in SBML's base units.

=====================================  ===================================================================
model dimension                        SBML unit kind
=====================================  ===================================================================
length, exponent a multiple of 3       ``litre`` (1 m³ = 1000 L): ``cells/uL`` is ``item`` per 1e-6 ``litre``
length, otherwise (m² of body surface) ``metre``
mass                                   ``gram``
time                                   ``second``: a day is 86400 s (the model's time unit ``day``)
temperature                            ``kelvin``
cells (also RBC, WBC), joints          ``item`` (things counted)
IU, hpf, score points                  ``dimensionless``: SBML has no base unit for an assay's international
                                       unit, a microscope field or a score point
=====================================  ===================================================================

Each unit keeps its own size as its multiplier (``mL/min``: litre × 0.001, second × 60; ``scale`` stays 0); a
pure number goes to the first unit (``1e9 cells/L``: item × 1e9). The unit string ``1`` is SBML's base unit
``dimensionless``. SBML Level 3 has no offset units: ``degC`` values are degrees Celsius written with the
dimension of kelvin. libsbml's unit check, like the model's own (``lupuscart.model._units``), compares dimensions
(kinds and exponents), not multipliers, so the ``24`` in ``24*flu_q2_l_h`` (hours per day) is not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..model import parse_unit_si

#: SBML base unit kind of each base dimension of the model's unit parser (``None``: dimensionless in SBML).
SBML_KINDS: dict[str, str | None] = {
    "length": "metre",
    "mass": "gram",
    "time": "second",
    "temperature": "kelvin",
    "cell": "item",
    "joint": "item",
    "assay_unit": None,
    "microscope_field": None,
    "score_point": None,
}

#: Words of unit ids: time units spelt out, counted things in the singular (``cells/d`` -> ``cell_per_day``), as
#: Antimony reads a unit id ``cells`` as the plural of ``cell`` and would merge two definitions into one name.
_WORDS = {"d": "day", "h": "hour", "y": "year", "min": "minute", "cells": "cell", "joints": "joint", "points": "point"}


@dataclass(frozen=True)
class SbmlUnit:
    """One SBML unit: its id, the model's unit string, and its ``(kind, exponent, multiplier)`` factors (empty for
    SBML's base unit ``dimensionless``, which needs no definition)."""

    id: str
    name: str
    factors: tuple[tuple[str, float, float], ...]


def unit_id(text: str) -> str:
    """The SBML id (UnitSId) of a model unit string. Two strings get one id only if they mean the same unit (``cells/d``
    and ``cell/d``, ``cells d`` and ``cells*d``): the unit grammar has no other way to spell a word or an operator.

    >>> [unit_id(u) for u in ("1e9 cells/L/d", "1/d", "m^2", "IU/mL", "d", "1")]
    ['u1e9_cell_per_L_per_day', 'per_day', 'm2', 'IU_per_mL', 'day', 'dimensionless']
    """
    compact = re.sub(r"\s*([/*^])\s*", r"\1", text.strip())
    if compact == "1":
        return "dimensionless"
    compact = re.sub(r"^1/", "per_", compact)
    compact = re.sub(r"[A-Za-z]+", lambda word: _WORDS.get(word[0], word[0]), compact)
    compact = compact.replace("/", "_per_").replace("^", "").replace("*", "_").replace(" ", "_")
    compact = re.sub(r"\W", "_", compact.replace(".", "p").replace("-", "m"))
    return f"u{compact}" if compact[0].isdigit() else compact


def sbml_unit(text: str) -> SbmlUnit:
    """The SBML unit of a model unit string.

    >>> sbml_unit("cells/uL").factors
    (('item', 1.0, 1.0), ('litre', -1.0, 1e-06))
    >>> sbml_unit("1e9 cells/L/d").factors
    (('item', 1.0, 1000000000.0), ('litre', -1.0, 1.0), ('second', -1.0, 86400.0))
    >>> sbml_unit("IU/mL").factors
    (('litre', -1.0, 0.001),)
    """
    uid = unit_id(text)
    if uid == "dimensionless":
        return SbmlUnit(uid, text, ())
    si = parse_unit_si(text)
    number, kinds = si.number, dict[str, tuple[Fraction, Fraction]]()
    for base, size, exponent in si.parts:
        kind = SBML_KINDS[base]
        if kind == "metre" and exponent.denominator == 1 and exponent.numerator % 3 == 0:
            kind, exponent = "litre", exponent / 3
            size *= Fraction(1000) ** exponent.numerator  # 1 m³ = 1000 L
        if kind is None:
            number *= size
            continue
        size0, exponent0 = kinds.get(kind, (Fraction(1), Fraction(0)))
        kinds[kind] = (size0 * size, exponent0 + exponent)
    for kind, (size, exponent) in list(kinds.items()):
        if exponent == 0:  # cells per joint: item^0, its size is a number
            number *= size
            del kinds[kind]
    factors = [(kind, size, exponent) for kind, (size, exponent) in kinds.items()]
    factors.sort(key=lambda f: (f[2] < 0, f[0]))  # positive exponents first: the number goes there (1e9 item)
    if not factors:
        return SbmlUnit(uid, text, (("dimensionless", 1.0, float(number)),))
    kind, size, exponent = factors[0]
    factors[0] = (kind, size * number, exponent)
    return SbmlUnit(uid, text, tuple((k, float(e), _root(size, e)) for k, size, e in factors))


def _root(size: Fraction, exponent: Fraction) -> float:
    """The multiplier m with (m × unit)^exponent = size × unit^exponent."""
    return float(size ** int(exponent)) if abs(exponent) == 1 else float(size) ** (1 / float(exponent))
