"""The journey-level numbers of one patient (vitals, ICANS, LICATS, infections), read from the model definition.

They are parameters of the model's ``crs_vitals`` and ``journey`` blocks (``lupuscart/model/``), so they carry a unit, a
source and an evidence tag, enter the model fingerprint and follow ``model_parameters`` overrides like every
other parameter; the journey reads each patient's values from the plan's full parameter vector.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._typing import FloatArray
from ..model import CompiledModel, default_model

JourneyValues = Mapping[str, float]
#: Model blocks whose parameters the journey reads directly (thresholds, hazards, durations).
JOURNEY_BLOCKS = ("crs_vitals", "journey")


def journey_values(model: CompiledModel, full: FloatArray) -> dict[str, float]:
    """The journey's parameter values (blocks ``crs_vitals`` and ``journey``) in one patient's full parameter vector.

    >>> m = default_model()
    >>> journey_values(m, m.derive(m.base_vector({"licats_median_duration_days": 9.0})))["licats_median_duration_days"]
    9.0
    """
    return {
        p.name: float(full[model.full_index[p.name]])
        for b in model.definition.blocks
        if b.name in JOURNEY_BLOCKS
        for p in b.parameters
    }


def default_journey_values() -> dict[str, float]:
    """The journey values of the default model's defaults (for examples and tests)."""
    m = default_model()
    return journey_values(m, m.derive(m.base_vector()))
