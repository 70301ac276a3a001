"""Virtual population: reproducibility, bounds, eligibility, IIV correlation, refused specifications."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from pydantic import ValidationError

from lupuscart.exceptions import InvalidConfigError
from lupuscart.population import (
    DEFAULT_CORRELATIONS,
    DEFAULT_IIV,
    CovariateSpec,
    PopulationSpec,
    individual_parameters,
    sample_eta,
    sample_patient,
    sample_population,
    screening_sledai2k,
    to_config,
)


def test_patient_independent_of_population_size_and_order() -> None:
    a = sample_population(8, seed=5)
    b = sample_population(3, seed=5)
    assert a[:3] == b
    assert sample_patient(6, seed=5) == a[6]
    assert sample_population(3, seed=6) != b


def test_covariates_within_bounds_and_eligible() -> None:
    spec = PopulationSpec()
    c = spec.covariates
    for vp in sample_population(150, seed=11):
        p, m = vp.patient, vp.patient["manifestations"]
        assert c.age_years.min <= p["age_years"] <= c.age_years.max
        assert 25 <= p["weight_kg"] <= 250
        assert c.height_cm.min <= p["height_cm"] <= 230
        assert m["proteinuria_g_24h"] > 0.5  # active nephritis
        assert m["proteinuria_chronic_g_24h"] <= min(m["proteinuria_g_24h"], c.proteinuria_chronic_max_g_24h)
        assert p["anti_dsdna_iu_ml"] > 30
        assert p["c3_g_l"] < 1.1
        assert vp.covariates["screening_sledai2k"] >= 8
        assert vp.covariates["screening_sledai2k"] == screening_sledai2k(p)
        assert vp.covariates["nephritis_class"] in {"III", "IV", "III/V"}
        to_config(vp)  # a valid simulation configuration


def test_population_resembles_cohort() -> None:
    pop = sample_population(300, seed=2)
    sledai = np.array([vp.covariates["screening_sledai2k"] for vp in pop])
    female = np.mean([vp.patient["sex"] == "female" for vp in pop])
    assert 14 <= np.median(sledai) <= 18  # Mackensen 2022: median 16
    assert 0.7 <= female <= 0.9


def test_iiv_correlation_and_spread() -> None:
    rng = np.random.default_rng(0)
    eta = [sample_eta(rng, DEFAULT_IIV, DEFAULT_CORRELATIONS) for _ in range(4000)]
    x = np.array([e["car_lymphopenia_drive_per_day"] for e in eta])
    y = np.array([e["myeloid_half_activated_cells"] for e in eta])
    assert np.corrcoef(x, y)[0, 1] == pytest.approx(-0.5, abs=0.05)  # more expansion, more responsive myeloid cells
    omega = {v.parameter: v.omega for v in DEFAULT_IIV}
    assert np.std(y) == pytest.approx(omega["myeloid_half_activated_cells"], rel=0.05)


def test_disease_variables_vary_between_patients() -> None:
    """Issue 10, point 4: the plasma-cell share of anti-dsDNA, the self-antigen drive and the autoimmune burden
    differ between virtual patients; the burden also follows the baseline anti-dsDNA titre (power 0.5)."""
    pop = sample_population(40, seed=8)
    params = [individual_parameters(vp) for vp in pop]
    for name in ("llpc_auto_share", "autoantigen_drive", "auto_capacity_cells"):
        values = np.array([p[name] for p in params])
        assert np.std(np.log(values)) > 0.2, name
    vp = pop[0]
    eta = vp.eta["auto_capacity_cells"]
    typical = individual_parameters(vp)["auto_capacity_cells"] / np.exp(eta)
    titre = vp.patient["anti_dsdna_iu_ml"]
    doubled = dataclasses.replace(vp, patient={**vp.patient, "anti_dsdna_iu_ml": 4 * titre})
    assert individual_parameters(doubled)["auto_capacity_cells"] / np.exp(eta) == pytest.approx(2 * typical)


def test_individual_parameters_within_model_bounds() -> None:
    from lupuscart.model import default_model

    defs = {p.name: p for p in default_model().definition.parameters}
    for vp in sample_population(50, seed=3):
        for name, value in to_config(vp).model_parameters.items():
            assert defs[name].lower <= value <= defs[name].upper


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight_kg", {"distribution": "lognormal", "center": 70, "spread": 0.2, "min": 90, "max": 50}, r"min \(90"),
        ("weight_kg", {"distribution": "normal", "center": 70, "spread": 5, "min": 40, "max": 300}, "impossible"),
        ("age_years", {"distribution": "normal", "center": 70, "spread": 5, "min": 18, "max": 60}, "center"),
        ("c3_g_l", {"distribution": "lognormal", "center": 0.6, "spread": 0.1, "min": 0, "max": 1}, "min > 0"),
    ],
)
def test_impossible_ranges_refused(field: str, value: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CovariateSpec.model_validate({field: value})


def test_eligibility_that_excludes_everyone() -> None:
    spec = PopulationSpec.model_validate({"eligibility": {"min_sledai2k": 100, "max_tries": 20}})
    with pytest.raises(InvalidConfigError, match="no eligible patient"):
        sample_patient(0, seed=0, spec=spec)


def test_non_positive_population_refused() -> None:
    with pytest.raises(InvalidConfigError, match="positive"):
        sample_population(0, seed=0)
