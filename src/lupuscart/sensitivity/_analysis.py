"""Indices from the evaluated sample: Morris μ*, σ, μ and Sobol S1, ST (and S2) with bootstrap 95 % intervals.

SALib computes every index; this module only turns the patient rows into output vectors (through the output
registry), handles outputs that cannot be analysed, and shapes the results into one long table.

Missing values (a point whose solve failed at every tolerance, or whose output is undefined) break the sampling
structure both methods rely on. Up to :data:`MAX_MISSING_SHARE` of the points are filled with the output's mean
over the other points (a conservative choice: it shrinks the effects) and counted in ``missing``; above that the
output is reported as not analysable. An output that does not vary over the sample has no indices (``constant``).

References: Morris MD. Technometrics 1991;33:161-74, doi:10.1080/00401706.1991.10484804. Campolongo F, Cariboni J,
Saltelli A. Environ Model Softw 2007;22:1509-18, doi:10.1016/j.envsoft.2006.10.004. Saltelli A et al. Comput Phys
Commun 2010;181:259-70, doi:10.1016/j.cpc.2009.09.018. Herman J, Usher W. J Open Source Softw 2017;2:97,
doi:10.21105/joss.00097.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._typing import FloatArray
from ._design import SampleDesign
from ._outputs import Output

#: Largest share of sample points without a value that is filled in rather than refused.
MAX_MISSING_SHARE = 0.01
CONF_LEVEL = 0.95
INDEX_COLUMNS = ("method", "output", "factor", "kind", "index", "value", "ci_low", "ci_high")


def _vector(rows: pd.DataFrame, out: Output, n: int) -> tuple[FloatArray | None, dict[str, Any]]:
    """The output over the sample (rows sorted by evaluation index) and its summary; ``None`` if not analysable."""
    if len(rows) != n:
        raise RuntimeError(f"{len(rows)} rows for {n} sample points; this is a bug, please report it")
    values = [out.extract({str(k): v for k, v in r.items()}) for r in rows.to_dict("records")]
    y = np.array([np.nan if v is None else v for v in values], dtype=float)
    missing = int(np.isnan(y).sum())
    stats: dict[str, Any] = {"n": n, "missing": missing}
    if missing == n:
        stats["note"] = "no sample point has a value"
        return None, stats
    fill = float(np.nanmean(y))
    stats.update(mean=fill, variance=float(np.nanvar(y)))
    if missing > MAX_MISSING_SHARE * n:
        stats["note"] = f"not analysable: {missing} of {n} points without a value (more than {MAX_MISSING_SHARE:.0%})"
        return None, stats
    y = np.where(np.isnan(y), fill, y)
    if float(np.ptp(y)) == 0.0:
        stats["note"] = "constant over the sample: no indices"
        return None, stats
    return y, stats


def _ci(value: float, half: float) -> tuple[float | None, float | None]:
    if not np.isfinite(half):
        return None, None
    return float(value - half), float(value + half)


def morris_indices(
    design: SampleDesign, rows: pd.DataFrame, outputs: tuple[Output, ...], resamples: int, seed: int
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Morris μ* (with its bootstrap interval), σ and μ of every factor for every output."""
    from SALib.analyze import morris

    records: list[tuple[Any, ...]] = []
    stats: dict[str, dict[str, Any]] = {}
    x = design.matrix()
    for out in outputs:
        y, s = _vector(rows, out, design.evaluations)
        stats[out.key] = s
        if y is None:
            continue
        res = morris.analyze(
            design.problem(), x, y, num_resamples=resamples, conf_level=CONF_LEVEL, num_levels=design.levels, seed=seed
        )
        for k, f in enumerate(design.factors):
            lo, hi = _ci(float(res["mu_star"][k]), float(res["mu_star_conf"][k]))
            records.append(("morris", out.key, f.name, f.kind, "mu_star", float(res["mu_star"][k]), lo, hi))
            records.append(("morris", out.key, f.name, f.kind, "sigma", float(res["sigma"][k]), None, None))
            records.append(("morris", out.key, f.name, f.kind, "mu", float(res["mu"][k]), None, None))
    return pd.DataFrame.from_records(records, columns=list(INDEX_COLUMNS)), stats


def sobol_indices(
    design: SampleDesign, rows: pd.DataFrame, outputs: tuple[Output, ...], resamples: int, seed: int
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Sobol first-order (S1) and total (ST) indices, with bootstrap 95 % intervals, of every factor and output."""
    from SALib.analyze import sobol

    records: list[tuple[Any, ...]] = []
    stats: dict[str, dict[str, Any]] = {}
    for out in outputs:
        y, s = _vector(rows, out, design.evaluations)
        stats[out.key] = s
        if y is None:
            continue
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            # A rare binary output (CRS grade ≥ 2 at ~3 % of points) can be constant within part of the sample or
            # a bootstrap resample; SALib then warns and that estimate is NaN, which leaves its interval open
            # (``_ci`` returns no bounds) rather than wrong. The output's variance is checked above.
            warnings.filterwarnings("ignore", message="Constant values encountered", category=UserWarning)
            res = sobol.analyze(
                design.problem(),
                y,
                calc_second_order=design.second_order,
                num_resamples=resamples,
                conf_level=CONF_LEVEL,
                seed=seed,
            )
        for k, f in enumerate(design.factors):
            for index in ("S1", "ST"):
                lo, hi = _ci(float(res[index][k]), float(res[f"{index}_conf"][k]))
                records.append(("sobol", out.key, f.name, f.kind, index, float(res[index][k]), lo, hi))
        if design.second_order:
            for a in range(len(design.factors)):
                for b in range(a + 1, len(design.factors)):
                    pair = f"{design.factors[a].name}×{design.factors[b].name}"
                    lo, hi = _ci(float(res["S2"][a, b]), float(res["S2_conf"][a, b]))
                    records.append(("sobol", out.key, pair, "pair", "S2", float(res["S2"][a, b]), lo, hi))
    return pd.DataFrame.from_records(records, columns=list(INDEX_COLUMNS)), stats


def top_factors(morris: pd.DataFrame, k: int) -> list[str]:
    """``k`` factors for the Sobol stage: each output's most influential factors by Morris μ*, taken in turn.

    Round robin over the outputs (in table order): every output's first factor, then every output's second, and
    so on, skipping repeats and factors with μ* = 0, until ``k`` are chosen. So each analysable output keeps its
    leading factors, however the outputs' scales differ.

    >>> t = pd.DataFrame({"output": ["a", "a", "a", "b", "b", "b"], "factor": ["x", "y", "z"] * 2,
    ...                   "index": ["mu_star"] * 6, "value": [3.0, 2.0, 1.0, 0.0, 0.1, 0.2]})
    >>> top_factors(t, 1), top_factors(t, 2), top_factors(t, 3)
    (['x'], ['x', 'z'], ['x', 'z', 'y'])
    """
    mu = morris[(morris["index"] == "mu_star") & (morris["value"] > 0)]
    ranked = [
        [str(f) for f in g.sort_values(["value", "factor"], ascending=[False, True])["factor"]]
        for _, g in mu.groupby("output", sort=False)
    ]
    chosen: list[str] = []
    for rank in range(max((len(r) for r in ranked), default=0)):
        for factors in ranked:
            if len(chosen) == k:
                return chosen
            if rank < len(factors) and factors[rank] not in chosen:
                chosen.append(factors[rank])
    return chosen
