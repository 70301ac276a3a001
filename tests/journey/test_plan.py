"""The patient plan: timeline, doses per m², patient-specific baselines, apheresis yield."""

from __future__ import annotations

import numpy as np
import pytest

from lupuscart.journey import (
    apheresis_t_cells,
    load_config,
    manufacturing_failure_probability,
    mosteller_bsa_m2,
    plan_patient,
)
from lupuscart.model import default_model


def test_erlangen_doses_scale_with_bsa_and_timeline_runs_backwards_from_infusion() -> None:
    cfg = load_config({"patient": {"weight_kg": 60, "height_cm": 160}, "manufacturing": {"days": 25}})
    plan = plan_patient(cfg)
    bsa = mosteller_bsa_m2(60, 160)
    flu = [d for d in plan.doses if d.state == "flu_central_mg"]
    cy = [d for d in plan.doses if d.state == "cy_mg"]
    assert [d.time_day for d in flu] == [-5, -4, -3]
    assert flu[0].amount == pytest.approx(25 * bsa)
    assert [(d.time_day, d.amount) for d in cy] == [(-3, pytest.approx(1000 * bsa))]
    car = [d for d in plan.doses if d.state == "car_t_effector"]
    assert car[0].amount == pytest.approx(1e6 * 60)
    kinds = {e.kind: e.day for e in plan.timeline}
    assert kinds["product_release"] == -7
    assert kinds["apheresis"] == -7 - 25
    assert plan.t_start == kinds["washout"] == -7 - 25 - 14


def test_low_intensity_and_no_lymphodepletion() -> None:
    low = plan_patient(load_config({"lymphodepletion": {"regimen": "low_intensity"}}))
    assert sum(d.amount for d in low.doses if d.state == "cy_mg") == pytest.approx(3 * 250 * low.bsa_m2)
    none = plan_patient(load_config({"lymphodepletion": {"regimen": "none"}}))
    assert [d.state for d in none.doses] == ["car_t_effector"]


def test_patient_blood_counts_set_the_steady_state() -> None:
    m = default_model()
    plan = plan_patient(load_config({"patient": {"t_cells_per_ul": 600, "b_cells_per_ul": 120}}))
    y0 = m.initial_state(plan.full_parameters)
    obs = m.observables(y0[:, None], plan.full_parameters)
    assert obs["t_cells_per_ul"][0] == pytest.approx(600)
    assert obs["b_cells_per_ul"][0] == pytest.approx(120, rel=1e-3)
    np.testing.assert_allclose(m.rhs(0.0, y0, plan.full_parameters), 0.0, atol=1e-3)


def test_apheresis_yield_drives_manufacturing_failure() -> None:
    normal = load_config()
    assert apheresis_t_cells(normal) == pytest.approx(1000 * 1e6 * 12 * 0.5)
    assert manufacturing_failure_probability(normal) == pytest.approx(0.03)
    lymphopenic = load_config({"patient": {"t_cells_per_ul": 100}, "apheresis": {"minimum_t_cells": 1.2e9}})
    # yield 6e8 = half the minimum -> half-way from the base rate to certain failure
    assert manufacturing_failure_probability(lymphopenic) == pytest.approx(0.03 + 0.97 * 0.5)
