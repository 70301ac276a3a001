"""The twin's fit on synthetic patients with known parameters (a small version of scripts/validate_twin.py).

Independent reference: the synthetic patient's own η, drawn from the population the twin uses as its prior, and
its simulated truth. With data to day 28 the CAR T kinetics are observed, so their η must be recovered more
precisely than the prior knows them; the marrow's regrowth is not observed before B cells return (day ~100), so
its posterior must stay the prior.
"""

from __future__ import annotations

import numpy as np
import pytest

from lupuscart.twin import fit_map, predict, prepare, prior_fit
from lupuscart.twin._validation import summarise, synthetic_patient, validate_patient


@pytest.fixture(scope="module")
def fitted() -> tuple[object, object]:
    sp = synthetic_patient(3, 11)
    return sp, fit_map(prepare(sp.visits, sp.config, until=28.0))


def test_fit_recovers_what_the_early_data_inform(fitted: tuple[object, object]) -> None:
    sp, fit = fitted
    table = fit.table().set_index("parameter")  # type: ignore[attr-defined]
    assert fit.success  # type: ignore[attr-defined]
    expansion = table.loc["car_lymphopenia_drive_per_day"]
    # Observed: the posterior SD shrinks by more than half and the truth lies within 3 posterior SDs.
    assert expansion["eta_sd"] < 0.5 * expansion["prior_omega"]
    assert abs(expansion["eta"] - sp.eta["car_lymphopenia_drive_per_day"]) < 3 * expansion["eta_sd"]  # type: ignore[attr-defined]
    marrow = table.loc["marrow_regrowth_per_day"]
    assert marrow["eta_sd"] == pytest.approx(marrow["prior_omega"], rel=0.02)
    assert abs(marrow["eta"]) < 0.01


def test_prediction_bands_and_outcomes(fitted: tuple[object, object]) -> None:
    _, fit = fitted
    pred = predict(fit, draws=30, seed=1, horizon_days=400)  # type: ignore[arg-type]
    assert pred.failed == 0
    b = pred.bands
    assert set(b["variable"]) == {"b_cells", "car_t", "anti_dsdna", "c3", "igg", "proteinuria"}
    assert np.all(b["p05"] <= b["p50"] + 1e-12)
    assert np.all(b["p50"] <= b["p95"] + 1e-12)
    s = pred.summary()
    assert s["b_cell_return_day"]["p05"] <= s["b_cell_return_day"]["median"] <= s["b_cell_return_day"]["p95"]
    prior = predict(prior_fit(fit.problem), draws=30, seed=1, horizon_days=400)  # type: ignore[attr-defined]
    car_t = b[(b["variable"] == "car_t") & (b["day"] == 14)]
    car_t_prior = prior.bands[(prior.bands["variable"] == "car_t") & (prior.bands["day"] == 14)]
    width = float((car_t["p95"] - car_t["p05"]).iloc[0])
    assert width < float((car_t_prior["p95"] - car_t_prior["p05"]).iloc[0])


def test_small_validation_scores_coverage() -> None:
    import pandas as pd

    rows = pd.DataFrame([validate_patient(i, 5, 28.0, 20) for i in range(3)])
    s = summarise(rows)
    assert s["patients"] == 3
    for who in ("twin", "population"):
        assert 0.0 <= s[who]["return_in90_coverage"] <= 1.0
        assert s[who]["return_90_width_median_days"] > 0
    assert s["twin"]["return_90_width_median_days"] <= s["population"]["return_90_width_median_days"]


def test_the_twin_conditions_on_the_infusion(fitted: tuple[object, object]) -> None:
    """A patient with measurements after day 0 was infused: even a protocol whose product always fails is
    simulated with CAR T, and the synthetic patients of the validation all receive it (patient 6 of seed 2025
    draws a manufacturing failure under the default 3 % rate)."""
    import dataclasses

    from lupuscart.journey import simulate_patient
    from lupuscart.population import sample_patient, to_config
    from lupuscart.twin._fit import simulate

    _, fit = fitted
    problem = fit.problem  # type: ignore[attr-defined]
    failing = dataclasses.replace(problem, config={**problem.config, "manufacturing": {"failure_probability": 1.0}})
    r = simulate(failing, fit.eta, 40.0)  # type: ignore[attr-defined]
    assert r.summary.status == "ok"
    assert r.summary.car_t_peak_per_ul > 1.0
    vp = sample_patient(6, 2025)
    unconditioned = simulate_patient(to_config(vp, {"followup": {"days": 60}}), seed=vp.journey_seed, engine="fast")
    assert unconditioned.summary.status == "manufacturing_failed"
    assert synthetic_patient(6, 2025).truth["b_cell_returned"]
