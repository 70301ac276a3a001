"""How engines are compared: relative difference with an absolute floor tied to each series' own size.

Observables pass through zero or near it (B cells during aplasia, drug concentrations weeks after the last dose,
where solvers leave round-off noise of ~1e-19 mg/L). A pure relative difference would compare noise with noise, so
the denominator is floored at ``floor_fraction`` times the largest magnitude the series reaches.
"""

from __future__ import annotations

import numpy as np

from .._typing import FloatArray

#: Default floor: one millionth of the series' peak (e.g. 3e-4 cells/uL for B cells peaking at 300 cells/uL).
FLOOR_FRACTION = 1e-6
#: Smallest floor in the observable's own unit, for series that stay at zero (a manifestation the patient lacks).
ABSOLUTE_FLOOR = 1e-12


def relative_difference(
    value: FloatArray,
    reference: FloatArray,
    floor_fraction: float = FLOOR_FRACTION,
    axis: int = -1,
    peak: FloatArray | float | None = None,
) -> FloatArray:
    """``|value - reference| / max(|reference|, floor_fraction × peak, 1e-12)``, elementwise.

    Parameters
    ----------
    value, reference:
        Arrays of the same shape; ``axis`` is the time axis (the peak is taken along it).
    floor_fraction:
        Fraction of the series' peak below which differences are measured absolutely (default 1e-6).
    peak:
        Largest magnitude of the series over the whole journey (broadcast against ``reference``); default: the
        largest ``|reference|`` along ``axis``. Pass the journey peak when only a few days are compared, since a
        drug's concentration on those days may be far below its peak and within the solvers' absolute tolerance.

    Examples
    --------
    >>> relative_difference(np.array([1.0, 2e-9, 0.0]), np.array([1.0, 1e-9, 1e-20])).round(6).tolist()
    [0.0, 0.001, 0.0]
    >>> float(relative_difference(np.array([1e-20]), np.array([0.0]))[0])  # a series that stays at zero
    1e-08
    """
    v = np.asarray(value, dtype=float)
    r = np.asarray(reference, dtype=float)
    if peak is None:
        peak = np.max(np.abs(r), axis=axis, keepdims=True)
    floor = np.maximum(floor_fraction * np.asarray(peak), ABSOLUTE_FLOOR)
    out: FloatArray = np.abs(v - r) / np.maximum(np.abs(r), floor)
    return out
