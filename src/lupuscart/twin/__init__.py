"""A patient's digital twin: individual parameters from the patient's own measurements, and the predicted course.

>>> from lupuscart.twin import VARIABLES
>>> [v.name for v in VARIABLES][:3]
['b_cells', 'car_t', 'anti_dsdna']
"""

from ._fit import OBSERVATION_ERRORS as OBSERVATION_ERRORS
from ._fit import TwinFit as TwinFit
from ._fit import TwinProblem as TwinProblem
from ._fit import fit_map as fit_map
from ._fit import prepare as prepare
from ._fit import prior_fit as prior_fit
from ._predict import TwinPrediction as TwinPrediction
from ._predict import predict as predict
from ._visits import VARIABLES as VARIABLES
from ._visits import read_visits as read_visits

__all__ = [
    "OBSERVATION_ERRORS",
    "VARIABLES",
    "TwinFit",
    "TwinPrediction",
    "TwinProblem",
    "fit_map",
    "predict",
    "prepare",
    "prior_fit",
    "read_visits",
]
