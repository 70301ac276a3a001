"""Small-trial realism: what would a trial of 5 or 15 patients see, if the virtual population were the truth?

Virtual trials of size ``n`` are drawn without replacement from the simulated (infused) patients of an arm, many
times; for each endpoint the table gives the probability that such a trial sees *all* patients respond (e.g.
100 % DORIS at month 3, as Mackensen 2022 saw in 5 of 5) or *at least one* event (e.g. a grade ≥ 2 CRS), and the
5th–95th percentile of the observed rate. With finite-population draws the answer approaches the binomial one
(p^n) as the simulated population grows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Random keys drawn at once (memory ≈ 8 bytes each): 4 M keys, 32 MB.
_BLOCK_VALUES = 4_000_000
#: Most keys drawn for one table entry (draws × simulated patients, ≈ 4 s); above, successes are drawn directly.
MAX_KEYS = 500_000_000
#: Endpoint -> (patient column, predicate on the column, question asked of each small trial).
SMALL_TRIAL_ENDPOINTS: dict[str, tuple[str, str]] = {
    "doris_month3": ("doris_day90", "all"),
    "drug_free_remission_month12": ("drug_free_remission_day365", "all"),
    "crs_any": ("crs_max_grade", "any"),
    "crs_grade2plus": ("crs_max_grade>=2", "any"),
    "icans_any": ("icans_max_grade", "any"),
    "serious_infection_month12": ("serious_infection_month12", "any"),
}


def _flags(ok: pd.DataFrame, column: str) -> np.ndarray:
    if column.endswith(">=2"):
        return (ok[column[:-3]].fillna(0).astype(float) >= 2).to_numpy()
    s = ok[column]
    if s.dtype == object:
        s = s.fillna(False)
    return (s.astype(float) >= 1).to_numpy()


def small_trial_probabilities(flags: np.ndarray, size: int, draws: int, rng: np.random.Generator) -> dict[str, float]:
    """Resample ``draws`` trials of ``size`` from 0/1 ``flags``: P(all), P(any), and the 5/50/95 % rate.

    Memory stays flat and time bounded for any ``draws`` and population (see :data:`MAX_KEYS`).

    >>> r = small_trial_probabilities(np.ones(100, dtype=bool), 5, 200, np.random.default_rng(0))
    >>> r["p_all"], r["p_any"], r["rate_p50"]
    (1.0, 1.0, 1.0)
    """
    x = np.asarray(flags, dtype=bool)
    if x.size == 0:
        return {
            "p_all": float("nan"),
            "p_any": float("nan"),
            "rate_p5": float("nan"),
            "rate_p50": float("nan"),
            "rate_p95": float("nan"),
        }
    n = min(size, x.size)
    if draws * x.size > MAX_KEYS:
        # As many keys would take minutes: draw the number of successes itself, whose distribution (sampling
        # n of N without replacement, K successes) is hypergeometric. Same distribution, other random numbers.
        good = int(x.sum())
        k = rng.hypergeometric(good, x.size - good, n, size=draws).astype(np.int64)
        return _summary(k, n)
    # Each draw ranks N uniform keys and keeps the n smallest (a uniform sample without replacement); draws are
    # made in blocks of at most _BLOCK_VALUES keys, so memory stays flat whatever draws × N is. The generator
    # fills blocks in the same order as one big array, and argpartition keeps the same n indices as a full sort,
    # so the answer is the same as drawing all at once.
    k = np.empty(draws, dtype=np.int64)
    block = max(1, _BLOCK_VALUES // x.size)
    for start in range(0, draws, block):
        keys = rng.random((min(block, draws - start), x.size))
        idx = np.argpartition(keys, n - 1, axis=1)[:, :n] if n < x.size else np.arange(x.size)[None, :]
        k[start : start + len(keys)] = x[idx].sum(axis=1)
    return _summary(k, n)


def _summary(k: np.ndarray, n: int) -> dict[str, float]:
    rate = k / n
    return {
        "p_all": float(np.mean(k == n)),
        "p_any": float(np.mean(k > 0)),
        "rate_p5": float(np.percentile(rate, 5)),
        "rate_p50": float(np.percentile(rate, 50)),
        "rate_p95": float(np.percentile(rate, 95)),
    }


def small_trial_table(
    patients: pd.DataFrame, sizes: tuple[int, ...], draws: int, seed: int
) -> dict[str, dict[str, Any]]:
    """For each trial size and endpoint, the resampled answers (see :func:`small_trial_probabilities`).

    Keys: ``"<size>"`` → endpoint → ``{question, p, rate_p5, rate_p50, rate_p95}``, where ``p`` answers the
    endpoint's question ("all" responders or "any" event).
    """
    ok = patients[patients["status"] == "ok"]
    out: dict[str, dict[str, Any]] = {}
    if ok.empty:
        return out
    for size in sizes:
        table: dict[str, Any] = {}
        for name, (column, question) in SMALL_TRIAL_ENDPOINTS.items():
            base = column.removesuffix(">=2")
            if base not in ok:
                continue
            rng = np.random.default_rng([seed, size, sum(map(ord, name))])
            r = small_trial_probabilities(_flags(ok, column), size, draws, rng)
            table[name] = {
                "question": question,
                "p": r["p_all"] if question == "all" else r["p_any"],
                "rate_p5": r["rate_p5"],
                "rate_p50": r["rate_p50"],
                "rate_p95": r["rate_p95"],
            }
        out[str(size)] = table
    return out
