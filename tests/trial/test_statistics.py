"""Trial statistics against hand-computed examples."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from lupuscart.trial import kaplan_meier, mean_interval, median_interval, wilson_interval


def _wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return c - h, c + h


@pytest.mark.parametrize(("k", "n"), [(0, 5), (3, 5), (5, 5), (10, 15), (1, 1000)])
def test_wilson(k: int, n: int) -> None:
    lo, hi = wilson_interval(k, n)
    elo, ehi = _wilson_by_hand(k, n)
    assert lo == pytest.approx(max(0, elo), abs=1e-12)
    assert hi == pytest.approx(min(1, ehi), abs=1e-12)
    assert 0 <= lo <= k / n <= hi <= 1


def test_wilson_published_values() -> None:
    # Brown, Cai & DasGupta 2001 / Newcombe 1998 table: 0/10 -> (0, 0.2775); 10/10 -> (0.7225, 1).
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[0] == pytest.approx(0.7225, abs=1e-4)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(6, 5)


def test_kaplan_meier_hand_example() -> None:
    # times 1, 2, 2+, 3, 4+ : S = 4/5; 0.8*3/4; 0.6*1/2
    km = kaplan_meier(np.array([1.0, 2, 2, 3, 4]), np.array([1.0, 1, 0, 1, 0]))
    np.testing.assert_allclose(km.survival, [1.0, 0.8, 0.6, 0.3])
    np.testing.assert_allclose(km.at_risk, [5, 5, 4, 2])
    # Greenwood: sum d/(n(n-d)) at t=1 is 1/20; log-log band by hand.
    s, v = 0.8, 1 / 20
    sigma = math.sqrt(v) / abs(math.log(s))
    assert km.lower[1] == pytest.approx(s ** math.exp(1.959963984540054 * sigma))
    assert km.upper[1] == pytest.approx(s ** math.exp(-1.959963984540054 * sigma))
    v3 = 1 / 20 + 1 / (4 * 3) + 1 / (2 * 1)
    sigma3 = math.sqrt(v3) / abs(math.log(0.3))
    assert km.lower[3] == pytest.approx(0.3 ** math.exp(1.959963984540054 * sigma3))
    assert km.at(2.5) == pytest.approx(0.6)
    assert km.median() == 3.0
    assert all(0 <= lo <= s <= hi <= 1 for lo, s, hi in zip(km.lower, km.survival, km.upper, strict=True))


def test_kaplan_meier_no_censoring_is_empirical_survival() -> None:
    t = np.array([5.0, 1, 3, 3, 8, 2])
    km = kaplan_meier(t, np.ones(6))
    for u in (0.5, 1, 2.5, 3, 7, 8):
        assert km.at(u) == pytest.approx(np.mean(t > u))
    assert km.survival[-1] == 0.0
    assert km.lower[-1] == 0.0


def test_kaplan_meier_all_censored_and_bad_input() -> None:
    km = kaplan_meier(np.array([4.0, 5]), np.zeros(2))
    assert km.survival.tolist() == [1.0]
    assert km.median() is None
    with pytest.raises(ValueError, match="non-negative"):
        kaplan_meier(np.array([-1.0]), np.ones(1))


def test_median_and_mean_intervals() -> None:
    assert median_interval(np.arange(1.0, 21.0)) == (6.0, 15.0)
    lo, hi = mean_interval(np.array([1.0, 2, 3, 4, 5]))
    assert (lo + hi) / 2 == pytest.approx(3.0)
    assert hi - 3 == pytest.approx(2.776445105 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)


def test_kaplan_meier_extends_to_the_end_of_follow_up_with_censor_marks() -> None:
    km = kaplan_meier(np.array([1.0, 2, 2, 3, 4, 9]), np.array([1.0, 1, 0, 1, 0, 0]))
    assert km.end == 9.0  # the last censoring, not the last event (3)
    assert km.at(8.5) == pytest.approx(5 / 6 * 4 / 5 * 2 / 3)  # at risk 6, 5, 3 at t = 1, 2, 3
    assert np.isnan(km.at(9.5))
    assert km.censored.tolist() == [2.0, 4.0, 9.0]
    assert km.number_at_risk([0, 2, 3.5, 9, 10]) == [6, 5, 2, 1, 0]


def _turnbull_by_em(left: np.ndarray, right: np.ndarray, grid: np.ndarray, iterations: int = 5000) -> np.ndarray:
    """Turnbull's self-consistency algorithm for interval-censored data (L, R], mass on the grid's intervals.

    Returns S at each grid point. An independent reference: it never sees the right-endpoint convention.
    """
    cells = [*list(itertools.pairwise(grid)), (grid[-1], np.inf)]
    alpha = np.array([[lo >= a and hi <= b for lo, hi in cells] for a, b in zip(left, right, strict=True)], float)
    p = np.full(len(cells), 1.0 / len(cells))
    for _ in range(iterations):
        weights = alpha * p
        p = (weights / weights.sum(axis=1, keepdims=True)).mean(axis=0)
    return np.array([1.0 - p[:k].sum() for k in range(len(grid))])


def test_events_seen_at_visits_give_the_turnbull_npmle_at_visit_days() -> None:
    """On a common visit grid, the Kaplan–Meier estimate with events at the visit where they were first seen
    equals the interval-censored NPMLE (Turnbull 1976) at every visit day."""
    rng = np.random.default_rng(7)
    visits = np.array([0.0, 30, 60, 90, 180, 270, 365])
    true_day = rng.exponential(150, 60)
    last_visit = rng.choice(visits[2:], 60)  # some patients leave early
    seen = np.array(
        [visits[np.searchsorted(visits, t)] if t <= v else np.nan for t, v in zip(true_day, last_visit, strict=True)]
    )
    event = ~np.isnan(seen)
    time = np.where(event, seen, last_visit)
    km = kaplan_meier(time, event.astype(float), inspection_times=visits)
    left = np.where(event, visits[np.maximum(np.searchsorted(visits, time) - 1, 0)], time)
    right = np.where(event, time, np.inf)
    npmle = _turnbull_by_em(left, right, visits)
    for v, s in zip(visits, npmle, strict=True):
        assert km.at(v) == pytest.approx(s, abs=1e-6)
    assert km.interval_censored
    assert km.inspection_times.tolist() == visits.tolist()


def test_kaplan_meier_interval_where_log_log_is_undefined_is_wilson() -> None:
    # Everyone had the event by day 90 and nobody was censored: S(365) = 0/8, the proportion, with Wilson's
    # interval instead of the degenerate [0, 0].
    km = kaplan_meier(np.array([60.0, 60, 90, 90, 90, 90, 90, 90]), np.ones(8))
    assert km.at(365) == 0.0
    assert km.interval_at(365) == pytest.approx(wilson_interval(0, 8))
    # With censoring before t the plain proportion is not S(t): the interval stays as the estimator gives it.
    censored = kaplan_meier(np.array([30.0, 60, 90]), np.array([0.0, 1, 1]))
    assert censored.interval_at(120) == (0.0, 0.0)
