"""Trial statistics: Wilson intervals for rates, Kaplan–Meier with Greenwood intervals, intervals for a median.

lifelines is not a dependency, so the Kaplan–Meier estimator is implemented here in a few lines of numpy and
tested against hand-computed examples (tests/trial/test_statistics.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from .._typing import FloatArray

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score 95 % interval of a binomial proportion (Wilson 1927).

    Chosen over Clopper–Pearson because its coverage is close to nominal without being conservative, and over
    the Wald interval because it stays inside [0, 1] and is sensible at 0/n and n/n — the usual case in small
    CAR T cohorts (5/5 DORIS). ``n = 0`` gives ``(nan, nan)``.

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat Assoc
    1927;22:209-12. doi:10.1080/01621459.1927.10502953. Brown LD, Cai TT, DasGupta A. Interval estimation for a
    binomial proportion. Stat Sci 2001;16:101-33. doi:10.1214/ss/1009213286.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(5, 5)]
    [0.5655, 1.0]
    >>> [round(x, 4) for x in wilson_interval(3, 5)]
    [0.2307, 0.8824]
    """
    if n <= 0:
        return (math.nan, math.nan)
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be in [0, n]; got {successes} of {n}")
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: npt.ArrayLike) -> tuple[float, float]:
    """Student-t 95 % interval of a mean (``nan`` with fewer than two values)."""
    x = np.asarray(values, dtype=float)
    if x.size < 2:
        return (math.nan, math.nan)
    half = float(stats.t.ppf(0.975, x.size - 1)) * float(np.std(x, ddof=1)) / math.sqrt(x.size)
    return (float(np.mean(x)) - half, float(np.mean(x)) + half)


def median_interval(values: npt.ArrayLike) -> tuple[float, float]:
    """Distribution-free 95 % interval of a median from binomial order statistics (Conover 1999, §3.2).

    >>> median_interval(np.arange(1.0, 21.0))
    (6.0, 15.0)
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n == 0:
        return (math.nan, math.nan)
    lo = int(stats.binom.ppf(0.025, n, 0.5))
    hi = int(n - lo)
    return (float(x[max(lo - 1, 0)]), float(x[min(hi, n - 1)]))


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier survival curve at its distinct event times (with ``time = 0, S = 1`` first)."""

    time: FloatArray
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray
    at_risk: FloatArray
    events: FloatArray

    def at(self, t: float) -> float:
        """S(t), right-continuous step function."""
        k = int(np.searchsorted(self.time, t, side="right")) - 1
        return float(self.survival[max(k, 0)])

    def median(self) -> float | None:
        """Smallest time with S(t) ≤ 0.5, or ``None`` if the curve stays above."""
        below = np.flatnonzero(self.survival <= 0.5)
        return float(self.time[below[0]]) if below.size else None


def kaplan_meier(time: npt.ArrayLike, event: npt.ArrayLike, z: float = Z95) -> KaplanMeier:
    """Kaplan–Meier estimate with Greenwood variance and log(−log) 95 % intervals.

    ``event`` is 1 for an observed event and 0 for censoring at ``time``; censoring at a tied event time counts
    the censored subject as at risk (the usual convention). The interval is
    ``S^exp(±z·σ/ log S)`` with ``σ² = Σ d/(n(n−d)) / (log S)²`` (Kalbfleisch & Prentice 2002), which stays in
    [0, 1]; it is undefined where S = 1 or 0 and then collapses to S.

    References
    ----------
    Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-81. doi:10.1080/01621459.1958.10501452. Greenwood M. Reports on
    Public Health and Medical Subjects 1926;33.

    Examples
    --------
    >>> km = kaplan_meier(np.array([1.0, 2, 2, 3, 4]), np.array([1.0, 1, 0, 1, 0]))
    >>> km.time.tolist(), km.survival.round(4).tolist()
    ([0.0, 1.0, 2.0, 3.0], [1.0, 0.8, 0.6, 0.3])
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    if t.shape != e.shape:
        raise ValueError("time and event must have the same shape")
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and non-negative")
    uniq = np.unique(t[e > 0])
    n_at_risk = np.array([np.sum(t >= u) for u in uniq], dtype=float)
    d = np.array([np.sum((t == u) & (e > 0)) for u in uniq], dtype=float)
    s = np.cumprod(1.0 - d / n_at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.cumsum(d / (n_at_risk * (n_at_risk - d)))
        log_s = np.log(s)
        sigma = np.sqrt(gw) / np.abs(log_s)
        lower = s ** np.exp(z * sigma)
        upper = s ** np.exp(-z * sigma)
    ok = np.isfinite(sigma) & (s > 0) & (s < 1)
    lower = np.where(ok, lower, s)
    upper = np.where(ok, upper, s)
    return KaplanMeier(
        time=np.concatenate([[0.0], uniq]),
        survival=np.concatenate([[1.0], s]),
        lower=np.concatenate([[1.0], lower]),
        upper=np.concatenate([[1.0], upper]),
        at_risk=np.concatenate([[float(t.size)], n_at_risk]),
        events=np.concatenate([[0.0], d]),
    )
