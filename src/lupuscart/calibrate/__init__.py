"""Fitting the default model and population to published data (Mackensen 2022).

Run ``python scripts/calibrate.py`` to refit; the result is ``lupuscart/data/calibrated_parameters.json``.
"""

from ._fit import STAGE1_PARAMETERS as STAGE1_PARAMETERS
from ._fit import calibrate as calibrate
from ._fit import fit_crs as fit_crs
from ._fit import fit_typical as fit_typical
from ._targets import SIGMA as SIGMA
from ._targets import TimeTarget as TimeTarget
from ._targets import mackensen2022 as mackensen2022
from ._targets import time_targets as time_targets
from ._uncertainty import calibration_uncertainty as calibration_uncertainty

__all__ = [
    "SIGMA",
    "STAGE1_PARAMETERS",
    "TimeTarget",
    "calibrate",
    "calibration_uncertainty",
    "fit_crs",
    "fit_typical",
    "mackensen2022",
    "time_targets",
]
