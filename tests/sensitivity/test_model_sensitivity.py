"""Sensitivity of the real model on a tiny design: factor ranges, outputs, reproducibility across workers.

The command, ``lupuscart sensitivity``, is tested in ``tests/cli/test_sensitivity.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lupuscart.exceptions import InvalidConfigError
from lupuscart.sensitivity import (
    FOLD_BY_EVIDENCE,
    OUTPUT_KEYS,
    load_sensitivity_config,
    parameter_factors,
    run_sensitivity,
)
from lupuscart.sensitivity._factors import config_owned_parameters

#: Two parameters, one covariate, the smallest samples (shared with ``tests/cli/test_sensitivity.py``).
TINY = yaml.safe_load((Path(__file__).parent / "tiny_design.yaml").read_text(encoding="utf-8"))


def test_parameter_ranges_follow_the_evidence_rule() -> None:
    from lupuscart.model import default_model

    params = {p.name: p for p in default_model().definition.parameters}
    factors = {f.name: f for f in parameter_factors({"il6_induction_max": 10.0})}
    assert factors["il6_induction_max"].nominal == 10.0
    for f in factors.values():
        p = params[f.name]
        fold = FOLD_BY_EVIDENCE[p.evidence]
        assert f.low == pytest.approx(max(f.nominal / fold, p.lower))
        assert f.high == pytest.approx(min(f.nominal * fold, p.upper))
        assert p.lower <= f.low < f.nominal < f.high or f.high == f.nominal == p.upper
    owned = config_owned_parameters()
    assert not owned & set(factors)
    left_out = {n for n in params if n not in factors and n not in owned}
    assert all(params[n].value == 0 or (params[n].unit == "degC" and params[n].lower > 0) for n in left_out)
    # Absolute temperatures (interval scale) are left out, a temperature rise is a factor like any other.
    assert {"afebrile_temperature_c", "normal_body_temperature_c"} <= left_out
    assert "fever_max_rise_c" in factors
    included = parameter_factors({}, include=["afebrile_temperature_c"])
    t = params["afebrile_temperature_c"]
    assert [(f.low, f.high) for f in included] == [(t.lower, t.upper)]  # x/÷ 2 of 36.8, cut to its bounds


def test_config_owned_parameters_are_those_the_plan_refuses() -> None:
    """The exclusion list stays in step with the journey plan, which refuses these as model_parameters."""
    from lupuscart.journey import load_config, plan_patient
    from lupuscart.model import default_model

    for p in default_model().definition.parameters:
        owned = p.name in config_owned_parameters()
        value = min(max(p.value, p.lower), p.upper)
        try:
            plan_patient(load_config({"model_parameters": {p.name: value}}))
            refused = False
        except InvalidConfigError as exc:
            refused = "set" in str(exc) and "instead" in str(exc)
        assert refused == owned, p.name


def test_bad_configuration_names_the_field() -> None:
    with pytest.raises(InvalidConfigError, match="parameters: unknown model parameter 'nope'"):
        load_sensitivity_config({"parameters": {"include": ["nope"]}})
    with pytest.raises(InvalidConfigError, match="'weight_kg' is set by the patient"):
        load_sensitivity_config({"parameters": {"include": ["weight_kg"]}})
    with pytest.raises(InvalidConfigError, match="outputs: unknown output 'x'"):
        load_sensitivity_config({"outputs": ["x"]})
    with pytest.raises(InvalidConfigError, match=r"protocol\.product\.dose"):
        load_sensitivity_config({"protocol": {"product": {"dose": 1}}})


@pytest.fixture(scope="module")
def tiny_serial() -> object:
    return run_sensitivity(load_sensitivity_config(TINY), chunk_size=3)


def test_tiny_analysis_has_every_output(tiny_serial: object) -> None:
    r = tiny_serial
    assert list(r.summary["outputs"]) == list(OUTPUT_KEYS)  # type: ignore[attr-defined]
    b = r.summary["outputs"]["b_cell_return_day"]  # type: ignore[attr-defined]
    assert b["morris"]["evaluations"] == 2 * 4
    assert b["sobol"]["evaluations"] == 8 * 4
    assert b["morris"]["missing"] == 0
    # The marrow's regrowth decides when B cells return (it is the whole point of the parameter).
    assert r.ranking("b_cell_return_day", "morris")[0] == "marrow_regrowth_per_day"  # type: ignore[attr-defined]
    for rec in b["sobol"]["indices"]:
        assert math.isfinite(rec["ST"])
        assert rec["ST_ci"][0] <= rec["ST"] <= rec["ST_ci"][1]


@pytest.mark.cluster
@pytest.mark.xdist_group("cluster")
def test_same_indices_on_two_dask_workers(tiny_serial: object) -> None:
    r = run_sensitivity(load_sensitivity_config(TINY), workers=2)
    pd.testing.assert_frame_equal(tiny_serial.indices, r.indices)  # type: ignore[attr-defined]


def test_covariate_ranges_are_the_population_percentiles() -> None:
    """Independent reference: scipy.stats.truncnorm on the (log) scale of each covariate's distribution."""
    import numpy as np
    from scipy.stats import truncnorm

    from lupuscart.population import CovariateSpec
    from lupuscart.sensitivity import covariate_factors

    spec = CovariateSpec()
    for f in covariate_factors(spec, ["weight_kg", "c3_g_l", "anti_dsdna_iu_ml"]):
        c = getattr(spec, f.name)
        log = c.distribution == "lognormal"
        mu, lo, hi = np.log([c.center, c.min, c.max]) if log else (c.center, c.min, c.max)
        dist = truncnorm((lo - mu) / c.spread, (hi - mu) / c.spread, loc=mu, scale=c.spread)
        want = [float(np.exp(q) if log else q) for q in dist.ppf([0.05, 0.95])]
        assert [f.low, f.high] == pytest.approx(want, rel=1e-9)
        assert f.log == log
