"""Trial statistics from scipy: Wilson intervals for rates, t intervals for means, distribution-free intervals for
medians, and Kaplan–Meier curves with log(−log) Greenwood intervals.

Every estimate is a small function of plain arrays (so it can be fed from streamed aggregates as well as from a
table), and every number comes from :mod:`scipy.stats`: ``binomtest(...).proportion_ci("wilson")``,
``ttest_1samp(...).confidence_interval()``, ``quantile_test(...).confidence_interval()`` and ``ecdf`` on
:class:`scipy.stats.CensoredData` with ``confidence_interval(method="log-log")``. The hand-computed expectations
in ``tests/trial/test_statistics.py`` check them independently.

Events that are only seen at visits (DORIS remission, loss of remission) are interval-censored: the event
happened somewhere between the last visit without it and the first visit with it. Because every patient of a
trial is assessed on the same visit schedule, the nonparametric maximum-likelihood (Turnbull 1976) estimate of
the survival function is identified only at the visit days, and there it equals the Kaplan–Meier estimate with
each event placed at the visit where it was first seen (and each censoring at the last visit attended): the
intervals between consecutive visits are the Turnbull intervals, and the grouped-data likelihood is the
Kaplan–Meier product. Between visits the estimate is not identified; :class:`KaplanMeier` records the visit grid
(``inspection_times``) so that figures can show the intervals within which each drop happened instead of drawing
the drop at an exact day.

References
----------
Wilson EB. J Am Stat Assoc 1927;22:209-12. doi:10.1080/01621459.1927.10502953.
Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-81. doi:10.1080/01621459.1958.10501452.
Turnbull BW. J R Stat Soc B 1976;38:290-5. doi:10.1111/j.2517-6161.1976.tb01597.x.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from scipy import stats

from .._typing import FloatArray

#: Confidence level of every interval in lupuscart's trial tables.
CONFIDENCE = 0.95


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """Wilson score 95 % interval of a binomial proportion (``scipy.stats.binomtest(...).proportion_ci``).

    Chosen over Clopper–Pearson because its coverage is close to nominal without being conservative, and over
    the Wald interval because it stays inside [0, 1] and is sensible at 0/n and n/n — the usual case in small
    CAR T cohorts (5/5 DORIS). ``n = 0`` gives ``(nan, nan)``.

    References
    ----------
    Wilson EB. J Am Stat Assoc 1927;22:209-12. doi:10.1080/01621459.1927.10502953. Brown LD, Cai TT, DasGupta A.
    Stat Sci 2001;16:101-33. doi:10.1214/ss/1009213286.

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
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return (float(ci.low), float(ci.high))


def mean_interval(values: npt.ArrayLike) -> tuple[float, float]:
    """Student-t 95 % interval of a mean (``scipy.stats.ttest_1samp``); ``nan`` with fewer than two values.

    >>> [round(x, 3) for x in mean_interval([1.0, 2, 3, 4, 5])]
    [1.037, 4.963]
    """
    x = np.asarray(values, dtype=float)
    if x.size < 2:
        return (math.nan, math.nan)
    if np.all(x == x[0]):
        return (float(x[0]), float(x[0]))
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(CONFIDENCE)
    return (float(ci.low), float(ci.high))


def median_interval(values: npt.ArrayLike) -> tuple[float, float]:
    """Distribution-free 95 % interval of a median from order statistics (``scipy.stats.quantile_test``).

    With five values or fewer no pair of order statistics covers the median with 95 % confidence, and the
    interval is ``(nan, nan)`` (shown as "not estimable") rather than a narrower one with less coverage.

    References
    ----------
    Conover WJ. Practical Nonparametric Statistics, 3rd ed. Wiley 1999, §3.2.

    >>> median_interval(np.arange(1.0, 21.0))
    (6.0, 15.0)
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return (math.nan, math.nan)
    ci = cast(Any, stats.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(CONFIDENCE))
    return (float(ci.low), float(ci.high))


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier survival curve at its distinct event times (with ``time = 0, S = 1`` first).

    ``end`` is the end of follow-up (the largest observed time, event or censoring): the step function is
    defined up to there, not only to the last event. ``censored`` holds the censoring times (for censor marks);
    ``observed_time``/``observed_event`` the data (for numbers at risk). ``inspection_times`` is the visit grid
    when the events are only seen at visits (interval-censored; see the module docstring), else empty.
    """

    time: FloatArray
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray
    at_risk: FloatArray
    events: FloatArray
    end: float = 0.0
    censored: FloatArray = field(default_factory=lambda: np.zeros(0))
    observed_time: FloatArray = field(default_factory=lambda: np.zeros(0))
    observed_event: FloatArray = field(default_factory=lambda: np.zeros(0))
    inspection_times: FloatArray = field(default_factory=lambda: np.zeros(0))

    def at(self, t: float) -> float:
        """S(t), right-continuous step function (``nan`` after the end of follow-up unless S already reached 0)."""
        if t > self.end and self.survival[-1] > 0:
            return math.nan
        k = int(np.searchsorted(self.time, t, side="right")) - 1
        return float(self.survival[max(k, 0)])

    def interval_at(self, t: float) -> tuple[float, float]:
        """The 95 % interval of S(t) (``nan`` after the end of follow-up unless S already reached 0).

        Where the log(−log) interval is undefined (S = 0 or 1) and nobody was censored by ``t``, S(t) is the
        plain proportion event-free out of everyone, and its Wilson interval is returned instead of a
        zero-width one.
        """
        if t > self.end and self.survival[-1] > 0:
            return (math.nan, math.nan)
        k = max(int(np.searchsorted(self.time, t, side="right")) - 1, 0)
        lo, hi, s = float(self.lower[k]), float(self.upper[k]), float(self.survival[k])
        censored_by_t = bool(np.any(self.censored <= t)) if self.censored.size else False
        if lo == hi == s and not censored_by_t and self.observed_time.size:
            n = int(self.observed_time.size)
            return wilson_interval(n - int(np.sum((self.observed_time <= t) & (self.observed_event > 0))), n)
        return (lo, hi)

    def median(self) -> float | None:
        """Smallest time with S(t) ≤ 0.5, or ``None`` if the curve stays above."""
        below = np.flatnonzero(self.survival <= 0.5)
        return float(self.time[below[0]]) if below.size else None

    def median_interval(self) -> tuple[float | None, float | None]:
        """95 % interval of the median: the first times at which the lower and the upper band reach one half
        (Brookmeyer & Crowley 1982 with the log(−log) band); ``None`` where a band stays above."""
        lo = np.flatnonzero(self.lower <= 0.5)
        hi = np.flatnonzero(self.upper <= 0.5)
        return (float(self.time[lo[0]]) if lo.size else None, float(self.time[hi[0]]) if hi.size else None)

    def number_at_risk(self, times: npt.ArrayLike) -> list[int]:
        """Patients still under observation and event-free at each of ``times`` (observed time ≥ t)."""
        t = np.asarray(times, dtype=float)
        return [int(np.sum(self.observed_time >= u)) for u in t]

    @property
    def interval_censored(self) -> bool:
        """Whether the events are only seen at visits (see the module docstring)."""
        return self.inspection_times.size > 0


def kaplan_meier(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    *,
    inspection_times: npt.ArrayLike | None = None,
    follow_up_end: float | None = None,
) -> KaplanMeier:
    """Kaplan–Meier estimate (``scipy.stats.ecdf``) with log(−log) Greenwood 95 % intervals.

    ``event`` is 1 for an observed event and 0 for censoring at ``time``; censoring at a tied event time counts
    the censored subject as at risk (the usual convention). The interval is ``S^exp(±z·σ/ log S)`` with
    ``σ² = Σ d/(n(n−d)) / (log S)²`` (Kalbfleisch & Prentice 2002), which stays in [0, 1]; where it is undefined
    (S = 1 or 0) it collapses to S.

    ``inspection_times`` marks interval-censored data seen at a common visit grid: ``time`` is then the visit at
    which the event was first seen (or the last visit attended), and the estimate at the visit days is the
    Turnbull NPMLE (module docstring). ``follow_up_end`` extends the curve to the end of the study's follow-up
    when every observed time is earlier (e.g. everyone had the event by day 90 of a 3-year follow-up).

    References
    ----------
    Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-81. doi:10.1080/01621459.1958.10501452. Greenwood M. Reports on
    Public Health and Medical Subjects 1926;33.

    Examples
    --------
    >>> km = kaplan_meier(np.array([1.0, 2, 2, 3, 4]), np.array([1.0, 1, 0, 1, 0]))
    >>> km.time.tolist(), km.survival.round(4).tolist(), km.end
    ([0.0, 1.0, 2.0, 3.0], [1.0, 0.8, 0.6, 0.3], 4.0)
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    if t.shape != e.shape:
        raise ValueError("time and event must have the same shape")
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and non-negative")
    grid = np.zeros(0) if inspection_times is None else np.unique(np.asarray(inspection_times, dtype=float))
    uniq = np.unique(t[e > 0])
    end = max(float(t.max()) if t.size else 0.0, follow_up_end or 0.0)
    n_at_risk = np.array([np.sum(t >= u) for u in uniq], dtype=float)
    d = np.array([np.sum((t == u) & (e > 0)) for u in uniq], dtype=float)
    s, lower, upper = _ecdf_survival(t, e, uniq)
    return KaplanMeier(
        time=np.concatenate([[0.0], uniq]),
        survival=np.concatenate([[1.0], s]),
        lower=np.concatenate([[1.0], lower]),
        upper=np.concatenate([[1.0], upper]),
        at_risk=np.concatenate([[float(t.size)], n_at_risk]),
        events=np.concatenate([[0.0], d]),
        end=end,
        censored=np.sort(t[e <= 0]),
        observed_time=t,
        observed_event=e,
        inspection_times=grid,
    )


def _ecdf_survival(t: FloatArray, e: FloatArray, at: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """S and its log(−log) interval at the event times ``at``, from ``scipy.stats.ecdf``."""
    if at.size == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    data = stats.CensoredData(uncensored=t[e > 0], right=t[e <= 0])
    sf = stats.ecdf(data).sf
    s = sf.evaluate(at)
    with warnings.catch_warnings():
        # scipy warns where the log-log interval is undefined (S = 0 or 1); there the interval collapses to S.
        warnings.filterwarnings("ignore", message="The confidence interval is undefined", category=RuntimeWarning)
        ci = cast(Any, sf.confidence_interval(CONFIDENCE, method="log-log"))
        lo, hi = ci.low.evaluate(at), ci.high.evaluate(at)
    ok = np.isfinite(lo) & np.isfinite(hi) & (s > 0) & (s < 1)
    return s, np.where(ok, lo, s), np.where(ok, hi, s)
