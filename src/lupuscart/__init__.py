"""lupuscart: in silico CD19 CAR T cell therapy for systemic lupus erythematosus.

The public API is curated here; implementation modules are private. Heavy modules (scipy, numba, plotting) are
imported lazily so that ``import lupuscart`` and ``lupuscart --version`` stay fast.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lupuscart")
except PackageNotFoundError:  # pragma: no cover - only when running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
