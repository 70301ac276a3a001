"""Virtual trials: configuration with arms, execution, endpoints with 95 % intervals, small-trial resampling.

>>> from lupuscart.trial import load_trial_config, run_trial
>>> result = run_trial(load_trial_config({"patients": 2, "seed": 3}))
>>> sorted(result.endpoints["arms"]) == list(result.config.arms)
True
"""

import sys
import types
from typing import Any

from .._notebook import trial as notebook_trial
from .._run_arguments import RUN_ARGUMENTS as RUN_ARGUMENTS
from .._run_arguments import check_run_arguments as check_run_arguments
from ._config import SmallTrialSpec as SmallTrialSpec
from ._config import TrialConfig as TrialConfig
from ._config import load_trial_config as load_trial_config
from ._dask import dask_task_mapper as dask_task_mapper
from ._endpoint_registry import ENDPOINTS as ENDPOINTS
from ._endpoint_registry import PERCENT_KINDS as PERCENT_KINDS
from ._endpoint_registry import PREDICTION_INTERVAL as PREDICTION_INTERVAL
from ._endpoint_registry import RATE_KEYS as RATE_KEYS
from ._endpoint_registry import Endpoint as Endpoint
from ._endpoint_registry import endpoint as endpoint
from ._endpoints import arm_endpoints as arm_endpoints
from ._endpoints import compute_endpoints as compute_endpoints
from ._endpoints import km_curves as km_curves
from ._execute import JobMapper as JobMapper
from ._execute import Mapper as Mapper
from ._execute import TrialResult as TrialResult
from ._execute import dask_mapper as dask_mapper
from ._execute import make_chunks as make_chunks
from ._execute import process_mapper as process_mapper
from ._execute import run_chunk as run_chunk
from ._execute import run_trial as run_trial
from ._execute import serial_mapper as serial_mapper
from ._execute import serial_task_mapper as serial_task_mapper
from ._paired import PairedDifference as PairedDifference
from ._paired import paired_mean_difference as paired_mean_difference
from ._paired import paired_rate_difference as paired_rate_difference
from ._paired import tango_interval as tango_interval
from ._replicates import add_prediction_intervals as add_prediction_intervals
from ._replicates import draw_typical as draw_typical
from ._replicates import interval_definitions as interval_definitions
from ._resample import small_trial_probabilities as small_trial_probabilities
from ._resample import small_trial_table as small_trial_table
from ._statistics import KaplanMeier as KaplanMeier
from ._statistics import kaplan_meier as kaplan_meier
from ._statistics import mean_interval as mean_interval
from ._statistics import median_interval as median_interval
from ._statistics import wilson_interval as wilson_interval


class _CallableModule(types.ModuleType):
    """``lupuscart.trial`` is both this package and the notebook function: ``lupuscart.trial(patients=40)`` runs a
    trial (:func:`lupuscart._notebook.trial`) whether or not the package was imported before."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return notebook_trial(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = [
    "ENDPOINTS",
    "PERCENT_KINDS",
    "PREDICTION_INTERVAL",
    "RATE_KEYS",
    "RUN_ARGUMENTS",
    "Endpoint",
    "JobMapper",
    "KaplanMeier",
    "Mapper",
    "PairedDifference",
    "SmallTrialSpec",
    "TrialConfig",
    "TrialResult",
    "add_prediction_intervals",
    "arm_endpoints",
    "check_run_arguments",
    "compute_endpoints",
    "dask_mapper",
    "dask_task_mapper",
    "draw_typical",
    "endpoint",
    "interval_definitions",
    "kaplan_meier",
    "km_curves",
    "load_trial_config",
    "make_chunks",
    "mean_interval",
    "median_interval",
    "paired_mean_difference",
    "paired_rate_difference",
    "process_mapper",
    "run_chunk",
    "run_trial",
    "serial_mapper",
    "serial_task_mapper",
    "small_trial_probabilities",
    "small_trial_table",
    "tango_interval",
    "wilson_interval",
]
