"""The packaged calibrated parameter values (tag C), applied on top of the model.md starting values.

``scripts/calibrate.py`` fits a few [E] parameters to Mackensen 2022 and writes
``lupuscart/data/calibrated_parameters.json``; its ``typical`` values are the default parameter set of every
simulation (``parameter_set: calibrated``). ``parameter_set: starting`` gives model.md's values unchanged.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def calibration_record() -> dict[str, Any]:
    """The whole packaged calibration result (``typical``, ``fit``, targets); ``{"typical": {}}`` if absent."""
    path = resources.files("lupuscart") / "data" / "calibrated_parameters.json"
    if not path.is_file():
        return {"typical": {}}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def calibrated_values() -> dict[str, float]:
    """Fitted typical values by parameter name.

    >>> sorted(calibrated_values())[:2]
    ['car_effector_death_per_day', 'icans_hazard_per_activation_day']
    """
    return {k: float(v) for k, v in calibration_record().get("typical", {}).items()}
