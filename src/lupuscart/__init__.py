"""lupuscart: in silico CD19 CAR T cell therapy for systemic lupus erythematosus.

The public API is curated here; implementation modules are private. Heavy modules (scipy, numba, plotting) are
imported where they are used, so that ``import lupuscart`` and ``lupuscart --version`` stay fast (the list and
its measured import times: docs/engine.md, "Package structure and import time").
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ._notebook import Simulation as Simulation
from ._notebook import Trial as Trial
from ._notebook import simulate as simulate

if TYPE_CHECKING:
    from ._notebook import trial as trial

try:
    __version__ = version("lupuscart")
except PackageNotFoundError:  # pragma: no cover - only when running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["Simulation", "Trial", "__version__", "simulate", "trial"]


def __getattr__(name: str) -> Any:
    """``lupuscart.trial``, imported on first use (it loads pandas and scipy): the subpackage, callable as the
    notebook function (see :mod:`lupuscart.trial`)."""
    if name == "trial":
        return importlib.import_module(".trial", __name__)
    raise AttributeError(f"module 'lupuscart' has no attribute {name!r}")
