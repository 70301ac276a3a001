"""The journey-level numbers of one patient (vitals, ICANS, LICATS, infections), read from the model definition.

They are parameters of the model's ``journey`` block (``lupuscart/model/_journey.py``), so they carry a unit, a
source and an evidence tag, enter the model fingerprint and follow ``model_parameters`` overrides like every
other parameter; the journey reads each patient's values from the plan's full parameter vector.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._typing import FloatArray
from ..model import CompiledModel, default_model

JourneyValues = Mapping[str, float]


def journey_values(model: CompiledModel, full: FloatArray) -> dict[str, float]:
    """The journey block's parameter values in one patient's full parameter vector.

    >>> m = default_model()
    >>> journey_values(m, m.derive(m.base_vector({"licats_median_duration_days": 9.0})))["licats_median_duration_days"]
    9.0
    """
    block = next(b for b in model.definition.blocks if b.name == "journey")
    return {p.name: float(full[model.full_index[p.name]]) for p in block.parameters}


def default_journey_values() -> dict[str, float]:
    """The journey values of the default model's defaults (for examples and tests)."""
    m = default_model()
    return journey_values(m, m.derive(m.base_vector()))


def hill(x: float, half: float, n: float = 2.0) -> float:
    """Saturating Hill function x^n / (x^n + half^n)."""
    if x <= 0:
        return 0.0
    return float(x**n / (x**n + half**n))
