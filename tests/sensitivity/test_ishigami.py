"""Sobol and Morris indices of the Ishigami-Homma function, through the same path as the model (design → chunks →
chunk store → output registry → SALib), against the analytic indices.

Analytic values (Ishigami & Homma 1990; Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, §4.8): with
V = A²/8 + Bπ⁴/5 + B²π⁸/18 + 1/2, V1 = (1 + Bπ⁴/5)²/2, V2 = A²/8, V13 = 8B²π⁸/225, the first-order indices are
V1/V, V2/V, 0 and the total indices (V1 + V13)/V, V2/V, V13/V.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lupuscart.exceptions import InvalidInputError
from lupuscart.sensitivity import load_sensitivity_config, run_sensitivity

A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = 8 * B**2 * math.pi**8 / 225
V = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
S1 = {"x1": V1 / V, "x2": V2 / V, "x3": 0.0}
ST = {"x1": (V1 + V13) / V, "x2": V2 / V, "x3": V13 / V}


def _config(samples: int = 1024, method: str = "sobol") -> object:
    return load_sensitivity_config(
        {"model": "ishigami", "method": method, "sobol": {"samples": samples}, "morris": {"trajectories": 40}}
    )


def test_analytic_values_are_the_published_ones() -> None:
    assert [round(S1[k], 4) for k in ("x1", "x2", "x3")] == [0.3139, 0.4424, 0.0]
    assert [round(ST[k], 4) for k in ("x1", "x2", "x3")] == [0.5576, 0.4424, 0.2437]


def test_sobol_indices_match_the_analytic_values() -> None:
    r = run_sensitivity(_config(), chunk_size=500)  # type: ignore[arg-type]
    t = r.indices.set_index(["index", "factor"])
    for index, truth in (("S1", S1), ("ST", ST)):
        for factor, value in truth.items():
            row = t.loc[(index, factor)]
            assert abs(row["value"] - value) < 0.05, (index, factor, row["value"], value)
            assert row["ci_low"] - 0.01 <= value <= row["ci_high"] + 0.01, (index, factor)
    assert r.ranking("ishigami") == ["x1", "x2", "x3"]


def test_morris_ranks_the_ishigami_inputs() -> None:
    r = run_sensitivity(_config(method="morris"))  # type: ignore[arg-type]
    mu = r.indices[r.indices["index"] == "mu_star"].set_index("factor")["value"]
    # Campolongo 2007: mu* ranks like ST on this function; x3 acts only through its interaction with x1 (mu ~ 0).
    assert mu["x1"] > mu["x3"] > 0
    assert mu["x2"] > mu["x3"]
    sigma = r.indices[r.indices["index"] == "sigma"].set_index("factor")["value"]
    assert sigma["x3"] > 0.5 * mu["x3"]


def test_same_seed_same_indices_any_chunking_and_checkpoint_resume(tmp_path: Path) -> None:
    cfg = _config(samples=64)
    a = run_sensitivity(cfg, chunk_size=7)  # type: ignore[arg-type]
    b = run_sensitivity(cfg, chunk_size=64, checkpoint=tmp_path / "ck")  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a.indices, b.indices)
    # Drop one committed chunk: the rerun recomputes only that chunk and gives the same indices.
    records = sorted((tmp_path / "ck" / "sobol" / "chunks").glob("chunk-*.json"))
    records[1].unlink()
    c = run_sensitivity(cfg, checkpoint=tmp_path / "ck")  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a.indices, c.indices)
    other = load_sensitivity_config({"model": "ishigami", "method": "sobol", "sobol": {"samples": 32}})
    with pytest.raises(InvalidInputError, match=r"different sensitivity analysis.*sobol"):
        run_sensitivity(other, checkpoint=tmp_path / "ck")
