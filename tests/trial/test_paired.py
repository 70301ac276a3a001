"""Paired arm differences: Tango's score interval against an independent closed form and a published example."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.polynomial import Polynomial
from scipy import stats

from lupuscart.trial import paired_mean_difference, paired_rate_difference, tango_interval


def _tango_by_quartic(b: int, c: int, n: int) -> tuple[float, float]:
    """Tango's limits as roots of the quartic obtained by squaring the score equation (Yang, Sun & Hardin 2013).

    Squaring (b − c − nΔ)² = z² n (2 p₂₁ + Δ(1 − Δ)) gives p₂₁ as a polynomial in Δ; substituting it into the
    constrained-likelihood equation 2n p₂₁² + W p₂₁ − cΔ(1 − Δ) = 0 leaves a quartic whose admissible real roots
    (p₂₁ ≥ 0 and the larger root of that quadratic, 4n p₂₁ + W ≥ 0; one on each side of the estimate) are the
    limits.
    """
    g = stats.norm.ppf(0.975) ** 2
    d = Polynomial([0.0, 1.0])
    p21 = (((b - c) - n * d) ** 2 / (g * n) - d * (1 - d)) / 2
    w = -(b + c) + d * (2 * n - b + c)
    quartic = 2 * n * p21**2 + w * p21 - c * d * (1 - d)
    est = (b - c) / n
    real = [r.real for r in quartic.roots() if abs(r.imag) < 1e-9 and -1 <= r.real <= 1]
    roots = [r for r in real if p21(r) >= -1e-12 and 4 * n * p21(r) + w(r) >= -1e-9]
    below = [r for r in roots if r < est - 1e-12]
    above = [r for r in roots if r > est + 1e-12]
    return (max(below) if below else -1.0, min(above) if above else 1.0)


@pytest.mark.parametrize(("b", "c", "n"), [(1, 7, 21), (3, 1, 40), (10, 2, 12), (0, 0, 20), (2, 0, 5), (12, 30, 300)])
def test_tango_matches_the_closed_form_quartic(b: int, c: int, n: int) -> None:
    lo, hi = tango_interval(b, c, n)
    qlo, qhi = _tango_by_quartic(b, c, n)
    assert lo == pytest.approx(qlo, abs=1e-7)
    assert hi == pytest.approx(qhi, abs=1e-7)
    assert -1 <= lo <= (b - c) / n <= hi <= 1


def test_tango_published_example() -> None:
    # Fagerland, Lydersen & Laake 2014 (airway hyper-responsiveness before/after stem cell transplantation,
    # a=1, b=1, c=7, d=12): Tango asymptotic score interval -0.517 to -0.026.
    lo, hi = tango_interval(1, 7, 21)
    assert (round(lo, 3), round(hi, 3)) == (-0.517, -0.026)


def test_tango_all_concordant_pairs_by_hand() -> None:
    # b = c = 0: Z(Δ) = -sqrt(nΔ/(1 - Δ)), so the upper limit solves nΔ/(1-Δ) = z², i.e. Δ = z²/(n + z²).
    z2 = stats.norm.ppf(0.975) ** 2
    lo, hi = tango_interval(0, 0, 20)
    assert hi == pytest.approx(z2 / (20 + z2), rel=1e-9)
    assert lo == pytest.approx(-hi, rel=1e-9)


def test_tango_bad_counts() -> None:
    with pytest.raises(ValueError, match="discordant"):
        tango_interval(5, 6, 10)
    assert all(np.isnan(x) for x in tango_interval(0, 0, 0))


def test_paired_rate_difference_counts_discordant_pairs_and_drops_missing() -> None:
    x = [1, 1, 0, 1, np.nan, 0]
    y = [1, 0, 1, 0, 1, 0]
    d = paired_rate_difference(x, y)
    assert d.pairs == 5
    assert d.estimate == pytest.approx((2 - 1) / 5)
    assert (d.low, d.high) == pytest.approx(tango_interval(2, 1, 5))
    with pytest.raises(ValueError, match="same length"):
        paired_rate_difference([1, 0], [1])


def test_paired_mean_difference_is_reproducible_and_covers_the_mean() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(100, 30, 80)
    other = base + rng.normal(-10, 5, 80)  # strongly correlated with base: a paired interval is narrow
    d1 = paired_mean_difference(other, base, seed=3)
    d2 = paired_mean_difference(other, base, seed=3)
    assert d1 == d2
    assert d1.low < d1.estimate < d1.high
    assert d1.estimate == pytest.approx(float(np.mean(other - base)))
    unpaired = stats.ttest_ind(other, base).confidence_interval()
    assert d1.high - d1.low < 0.5 * (unpaired.high - unpaired.low)
    same = paired_mean_difference([2.0, 3.0], [1.0, 2.0])
    assert (same.estimate, same.low, same.high) == (1.0, 1.0, 1.0)
