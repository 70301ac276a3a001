"""Paired differences between arms: the same virtual patients are simulated under every arm.

Because each virtual patient appears in every arm, arms are compared *within patient*: the difference in a rate is
a difference of paired proportions, and the difference in a continuous outcome is the mean of per-patient
differences. Paired intervals are much narrower than unpaired ones when outcomes are correlated across arms (they
are: a patient who responds under one protocol usually responds under another).

* Rates: Tango's asymptotic score interval for the difference of paired proportions (Tango 1998), found by
  solving the score equation with :func:`scipy.optimize.brentq`. It stays inside [−1, 1], is defined when all
  pairs are concordant, and has close to nominal coverage in small samples (Fagerland, Lydersen & Laake 2014).
  Neither scipy nor statsmodels offers an interval for paired proportions, so the score equation is written
  here; ``tests/trial/test_paired.py`` checks it against the closed-form quartic of Yang, Sun & Hardin (2012).
* Continuous outcomes: the mean paired difference with a BCa bootstrap interval
  (``scipy.stats.bootstrap(..., paired=True)``), seeded so the interval is reproducible.

References
----------
Tango T. Equivalence test and confidence interval for the difference in proportions for the paired-sample
design. Stat Med 1998;17:891-908. doi:10.1002/(SICI)1097-0258(19980430)17:8<891::AID-SIM780>3.0.CO;2-B.
Yang Z, Sun X, Hardin JW. A non-iterative implementation of Tango's score confidence interval for a paired
difference of proportions. Stat Med 2013;32:1336-42. doi:10.1002/sim.5561.
Fagerland MW, Lydersen S, Laake P. Recommended tests and confidence intervals for paired binomial proportions.
Stat Med 2014;33:2850-75. doi:10.1002/sim.6148.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

from ._statistics import CONFIDENCE


@dataclass(frozen=True)
class PairedDifference:
    """A paired difference (arm − reference arm) with its 95 % interval, the number of pairs and the method."""

    estimate: float | None
    low: float | None
    high: float | None
    pairs: int
    method: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (``estimate``, ``ci``, ``pairs``, ``method``)."""
        return {"estimate": self.estimate, "ci": [self.low, self.high], "pairs": self.pairs, "method": self.method}


def _tango_score(b: int, c: int, n: int, delta: float) -> float:
    """Tango's score statistic for H0: p₁ − p₂ = delta (b: pairs with the event in arm 1 only, c: arm 2 only)."""
    w = -(b + c) + delta * (2 * n - b + c)
    p21 = (-w + math.sqrt(max(w * w + 8.0 * n * c * delta * (1.0 - delta), 0.0))) / (4.0 * n)
    variance = n * (2.0 * p21 + delta * (1.0 - delta))
    numerator = b - c - n * delta
    if variance <= 0.0:
        return math.copysign(math.inf, numerator) if numerator else 0.0
    return numerator / math.sqrt(variance)


def tango_interval(b: int, c: int, n: int) -> tuple[float, float]:
    """Tango's 95 % score interval of p₁ − p₂ from the discordant pair counts ``b`` (event in arm 1 only) and
    ``c`` (arm 2 only) among ``n`` pairs.

    Examples
    --------
    >>> [round(x, 4) for x in tango_interval(0, 0, 20)]
    [-0.1611, 0.1611]
    >>> lo, hi = tango_interval(1, 7, 21)
    >>> lo < (1 - 7) / 21 < hi < 0
    True
    """
    if n <= 0:
        return (math.nan, math.nan)
    if b < 0 or c < 0 or b + c > n:
        raise ValueError(f"discordant pairs must satisfy 0 <= b, c and b + c <= n; got b={b}, c={c}, n={n}")
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    estimate = (b - c) / n
    eps = 1e-12

    def root(target: float, lo: float, hi: float, bound: float) -> float:
        def f(d: float) -> float:
            return _tango_score(b, c, n, d) - target

        if f(bound) * f(estimate) > 0:  # the score never reaches the critical value inside [-1, 1]
            return bound
        return float(optimize.brentq(f, lo, hi, xtol=1e-12))

    low = root(z, -1.0 + eps, estimate, -1.0 + eps) if estimate > -1.0 + eps else -1.0
    high = root(-z, estimate, 1.0 - eps, 1.0 - eps) if estimate < 1.0 - eps else 1.0
    return (max(-1.0, low), min(1.0, high))


def paired_rate_difference(x: npt.ArrayLike, y: npt.ArrayLike) -> PairedDifference:
    """Difference of paired proportions mean(x) − mean(y) with Tango's score interval.

    ``x`` and ``y`` are 0/1 outcomes of the same patients under two arms (NaN pairs are dropped).

    >>> d = paired_rate_difference([1, 1, 1, 0, 1], [1, 0, 1, 0, 1])
    >>> d.estimate, d.pairs
    (0.2, 5)
    """
    a, r = _pairs(x, y)
    n = a.size
    if n == 0:
        return PairedDifference(None, None, None, 0, "Tango score")
    b = int(np.sum((a == 1) & (r == 0)))
    c = int(np.sum((a == 0) & (r == 1)))
    lo, hi = tango_interval(b, c, n)
    return PairedDifference((b - c) / n, lo, hi, n, "Tango score")


def paired_mean_difference(x: npt.ArrayLike, y: npt.ArrayLike, *, seed: int = 0) -> PairedDifference:
    """Mean paired difference mean(x − y) with a BCa bootstrap 95 % interval (``scipy.stats.bootstrap``).

    All-equal differences give the difference itself as both limits (no resampling variation).

    >>> d = paired_mean_difference([3.0, 5, 4, 6], [1.0, 2, 2, 3])
    >>> d.estimate, d.pairs, d.low <= d.estimate <= d.high
    (2.5, 4, True)
    """
    a, r = _pairs(x, y)
    if a.size == 0:
        return PairedDifference(None, None, None, 0, "paired bootstrap (BCa)")
    diff = a - r
    estimate = float(np.mean(diff))
    if a.size < 2 or np.all(diff == diff[0]):
        return PairedDifference(estimate, estimate, estimate, int(a.size), "paired bootstrap (BCa)")
    res = stats.bootstrap(
        (a, r),
        lambda u, v, axis: np.mean(u - v, axis=axis),
        paired=True,
        vectorized=True,
        n_resamples=4999,
        confidence_level=CONFIDENCE,
        method="BCa",
        rng=np.random.default_rng(seed),
    )
    ci = res.confidence_interval
    return PairedDifference(estimate, float(ci.low), float(ci.high), int(a.size), "paired bootstrap (BCa)")


def _pairs(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(x, dtype=float)
    r = np.asarray(y, dtype=float)
    if a.shape != r.shape:
        raise ValueError(f"paired outcomes must have the same length; got {a.size} and {r.size}")
    keep = np.isfinite(a) & np.isfinite(r)
    return a[keep], r[keep]
