"""lupuscart: in silico CD19 CAR T cell therapy for systemic lupus erythematosus.

The public API is curated here; implementation modules are private. Heavy modules (scipy, numba, plotting) are
imported lazily so that ``import lupuscart`` and ``lupuscart --version`` stay fast.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._notebook import Simulation as Simulation
    from ._notebook import Trial as Trial
    from ._notebook import simulate as simulate
    from ._notebook import trial as trial

try:
    __version__ = version("lupuscart")
except PackageNotFoundError:  # pragma: no cover - only when running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["Simulation", "Trial", "__version__", "simulate", "trial"]

_LAZY = {"simulate", "trial", "Simulation", "Trial"}


def __getattr__(name: str) -> Any:
    """The notebook API, imported on first use so that ``import lupuscart`` stays fast."""
    if name == "trial":  # the subpackage, callable as the notebook function (see lupuscart.trial)
        import importlib

        return importlib.import_module(".trial", __name__)
    if name in _LAZY:
        from . import _notebook

        return getattr(_notebook, name)
    raise AttributeError(f"module 'lupuscart' has no attribute {name!r}")
