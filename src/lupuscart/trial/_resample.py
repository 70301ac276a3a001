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
    idx = np.argsort(rng.random((draws, x.size)), axis=1)[:, :n]
    k = x[idx].sum(axis=1)
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
