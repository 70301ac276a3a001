"""What a Kaplan–Meier figure draws, computed once for the report (matplotlib) and the dashboard (plotly).

Both renderers take explicit vertices from :func:`km_drawing`, so a step, its 95 % band, the censor marks and the
numbers at risk are the same numbers in every view, and a band can never lag its curve (the dashboard used to draw
bands with ``fill="toself"`` over an ``hv`` line shape, which steps the way back in the wrong order).

Events seen only at visits (interval-censored; :mod:`lupuscart.trial._statistics`) are drawn as what is known:
the estimate and its interval at each visit day (points with bars), horizontal segments where the curve is
identified (no event between two visits), and a shaded box over each visit interval in which events happened —
the curve passes through the box, but where inside it is not identified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..trial import KaplanMeier

#: Times at which numbers at risk are shown (days after infusion), cut at the end of follow-up.
RISK_TIMES = (0.0, 90.0, 180.0, 365.0, 540.0, 730.0, 900.0, 1095.0)


@dataclass(frozen=True)
class KMDrawing:
    """Vertices of one Kaplan–Meier curve, ready to plot (``nan`` separates line pieces)."""

    line_x: list[float]
    line_y: list[float]
    band_x: list[float]
    band_low: list[float]
    band_high: list[float]
    points_x: list[float]
    points_y: list[float]
    points_low: list[float]
    points_high: list[float]
    censor_x: list[float]
    censor_y: list[float]
    boxes: list[tuple[float, float, float, float]]
    at_risk: list[tuple[float, int]]
    end: float

    def value_at(self, t: float) -> float:
        """The drawn value at ``t`` (a visit day for interval-censored curves, else any time up to the end)."""
        for x, y in zip(self.points_x, self.points_y, strict=True):
            if x == t:
                return y
        xs, ys = np.asarray(self.line_x), np.asarray(self.line_y)
        right = np.flatnonzero((xs <= t) & np.isfinite(ys))
        return float(ys[right[-1]]) if right.size else math.nan


def _steps(times: np.ndarray, values: np.ndarray, end: float) -> tuple[list[float], list[float]]:
    """Vertices of a right-continuous step function from ``times[0]`` to ``end``."""
    x: list[float] = []
    y: list[float] = []
    for i, (t, v) in enumerate(zip(times, values, strict=True)):
        stop = float(times[i + 1]) if i + 1 < len(times) else end
        x += [float(t), stop]
        y += [float(v), float(v)]
    return x, y


def km_drawing(km: KaplanMeier, *, incidence: bool = False, risk_times: tuple[float, ...] = RISK_TIMES) -> KMDrawing:
    """The vertices of ``km`` as S(t), or as the cumulative incidence 1 − S(t) when ``incidence``.

    Examples
    --------
    >>> from lupuscart.trial import kaplan_meier
    >>> d = km_drawing(kaplan_meier(np.array([2.0, 3, 5]), np.array([1.0, 0, 1])))
    >>> d.line_x, [round(y, 3) for y in d.line_y]
    ([0.0, 2.0, 2.0, 5.0, 5.0, 5.0], [1.0, 1.0, 0.667, 0.667, 0.0, 0.0])
    >>> d.censor_x, d.at_risk[:2]
    ([3.0], [(0.0, 3)])
    """

    def tr(v: np.ndarray) -> np.ndarray:
        return 1.0 - v if incidence else v

    s, lo, hi = tr(km.survival), tr(km.upper if incidence else km.lower), tr(km.lower if incidence else km.upper)
    end = max(km.end, float(km.time[-1]))
    risk = [(t, n) for t, n in zip(risk_times, km.number_at_risk(risk_times), strict=True) if t <= end]
    censor_y = [1.0 - km.at(c) if incidence else km.at(c) for c in km.censored]
    if not km.interval_censored:
        line_x, line_y = _steps(km.time, s, end)
        band_x, band_low = _steps(km.time, lo, end)
        _, band_high = _steps(km.time, hi, end)
        return KMDrawing(
            line_x, line_y, band_x, band_low, band_high, [], [], [], [],
            km.censored.tolist(), censor_y, [], risk, end,
        )  # fmt: skip
    grid = km.inspection_times[km.inspection_times <= end]
    value = [1.0 - km.at(g) if incidence else km.at(g) for g in grid]
    bounds = [km.interval_at(g) for g in grid]
    p_low = [1.0 - b[1] if incidence else b[0] for b in bounds]
    p_high = [1.0 - b[0] if incidence else b[1] for b in bounds]
    line_x, line_y, boxes = [], [], []
    for j in range(len(grid) - 1):
        a, b = float(grid[j]), float(grid[j + 1])
        if value[j + 1] == value[j]:
            line_x += [a, b]
            line_y += [value[j], value[j]]
        else:
            line_x.append(math.nan)
            line_y.append(math.nan)
            boxes.append((a, b, min(value[j], value[j + 1]), max(value[j], value[j + 1])))
    return KMDrawing(
        line_x, line_y, [], [], [], [float(g) for g in grid], value, p_low, p_high,
        km.censored.tolist(), censor_y, boxes, risk, end,
    )  # fmt: skip
