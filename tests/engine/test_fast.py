"""The fast engine against the scipy reference: accuracy on every observable, closed-form PK, interface parity.

Accuracy criterion: relative difference ≤ 1e-4 at rtol 1e-8 on every observable on every day of the journey,
measured by :func:`lupuscart.engine.relative_difference` with its absolute floor of 1e-6 × the observable's peak
over the journey (e.g. 3e-4 cells/uL for B cells, whose aplasia values near 1e-5 cells/uL are below what either
solver resolves relatively at that tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from lupuscart.engine import (
    ENGINES,
    FastSolver,
    ReferenceSolver,
    SolverStatus,
    iter_batches,
    relative_difference,
    solve_batch,
    solve_schedule,
)
from lupuscart.engine._fast_codegen import free_and_closed_form, load_kernels
from lupuscart.journey import load_config, plan_patient
from lupuscart.model import default_model

TOLERANCE = 1e-4
#: Kinetic parameters given 20 % log-normal variability (as in the benchmark).
VARIED = (
    "car_growth_per_day",
    "car_effector_death_per_day",
    "b_naive_loss_per_day",
    "flu_cl_nonrenal_l_h",
    "cy_cl_l_h",
    "il6_turnover_per_day",
    "weight_kg",
)


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return plan_patient(load_config(None))


@pytest.fixture(scope="module")
def days(plan) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.arange(plan.t_start, plan.t_end + 1.0)


def _cohort(plan, n: int, seed: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    model = default_model()
    rng = np.random.default_rng(seed)
    base = plan.full_parameters[: len(model.definition.parameters)]
    rows = []
    for _ in range(n):
        b = base.copy()
        for name in VARIED:
            b[model.full_index[name]] *= np.exp(0.2 * rng.standard_normal())
        rows.append(model.derive(b))
    return np.array(rows)


def _worst(fast: dict[str, np.ndarray], ref: dict[str, np.ndarray]) -> dict[str, float]:
    return {k: float(relative_difference(fast[k], ref[k]).max()) for k in ref}


def test_default_patient_matches_reference(plan, days) -> None:  # type: ignore[no-untyped-def]
    model = default_model()
    result = solve_batch(model, plan.full_parameters[None], plan.doses, plan.t_start, plan.t_end, days, rtol=1e-8)
    assert result.status.tolist() == [0]
    ref = solve_schedule(model, plan.full_parameters, plan.t_start, plan.t_end, plan.doses, days, rtol=1e-8)
    fast = {k: v[0] for k, v in result.observables(model, plan.full_parameters[None]).items()}
    worst = _worst(fast, model.observables(ref.states, plan.full_parameters))
    assert max(worst.values()) <= TOLERANCE, {k: v for k, v in worst.items() if v > TOLERANCE}


def test_perturbed_patients_match_reference(plan, days) -> None:  # type: ignore[no-untyped-def]
    model = default_model()
    cohort = _cohort(plan, 10, seed=7)
    result = solve_batch(model, cohort, plan.doses, plan.t_start, plan.t_end, days, rtol=1e-8)
    assert (result.status == 0).all()
    fast = result.observables(model, cohort)
    for i, full in enumerate(cohort):
        ref = solve_schedule(model, full, plan.t_start, plan.t_end, plan.doses, days, rtol=1e-8)
        worst = _worst({k: v[i] for k, v in fast.items()}, model.observables(ref.states, full))
        assert max(worst.values()) <= TOLERANCE, (i, {k: v for k, v in worst.items() if v > TOLERANCE})


def test_closed_form_states_are_the_linear_pk() -> None:
    _, closed = free_and_closed_form(default_model())
    assert closed == ["flu_central_mg", "flu_peripheral1_mg", "flu_peripheral2_mg", "cy_mg", "dex_mg"]


def test_closed_form_pk_equals_matrix_exponential_and_ode(plan) -> None:  # type: ignore[no-untyped-def]
    """Fludarabine after a bolus: closed form == expm(A t) x0 == the reference ODE solution of the PK states."""
    model = default_model()
    kernels, _, pk = load_kernels(model)
    full = plan.full_parameters
    A = np.zeros((len(pk), len(pk)))
    kernels.pk_matrix(full, A)
    y0 = model.initial_state(full)
    y0[model.definition.state_index["flu_central_mg"]] += 45.0
    y0[model.definition.state_index["cy_mg"]] += 1800.0
    t_eval = np.array([0.01, 0.1, 0.5, 1.0, 3.0])
    fast, _ = FastSolver(model, full, rtol=1e-10).advance(y0, 0.0, 5.0, t_eval)
    ref, _ = ReferenceSolver(model, full, rtol=1e-10).advance(y0, 0.0, 5.0, t_eval)
    exact = np.stack([expm(A * t) @ y0[list(pk)] for t in t_eval], axis=1)
    np.testing.assert_allclose(fast[list(pk)], exact, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref[list(pk)], exact, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_engines_share_the_advance_interface(name: str, plan) -> None:  # type: ignore[no-untyped-def]
    model = default_model()
    solver = ENGINES[name](model, plan.full_parameters, rtol=1e-8)
    y0 = model.initial_state(plan.full_parameters)
    y0[model.definition.state_index["car_t_effector"]] += 7e7
    t_eval = np.array([0.0, 3.0, 10.0, 20.0])
    states, y_end = solver.advance(y0, 0.0, 30.0, t_eval)
    assert states.shape == (model.n_states, 4)
    ref_states, ref_end = ReferenceSolver(model, plan.full_parameters, rtol=1e-10).advance(y0, 0.0, 30.0, t_eval)
    assert relative_difference(states, ref_states, peak=np.abs(ref_states).max(axis=1, keepdims=True)).max() < 1e-5
    np.testing.assert_allclose(y_end, ref_end, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(states[:, 0], y0, rtol=1e-12)


def test_batch_failure_is_a_value(plan, days) -> None:  # type: ignore[no-untyped-def]
    model = default_model()
    result = solve_batch(
        model, plan.full_parameters[None], plan.doses, plan.t_start, plan.t_end, days, rtol=1e-6, max_steps=5
    )
    assert result.status.tolist() == [1]
    assert "max_steps" in SolverStatus(1).message


def test_streamed_chunks_equal_one_batch(plan) -> None:  # type: ignore[no-untyped-def]
    model = default_model()
    cohort = _cohort(plan, 5, seed=3)
    t_eval = np.array([7.0, 90.0, 365.0])
    whole = solve_batch(model, cohort, plan.doses, plan.t_start, plan.t_end, t_eval)
    parts = list(iter_batches(model, cohort, plan.doses, plan.t_start, plan.t_end, t_eval, chunk=2))
    assert [p.first for p in parts] == [0, 2, 4]
    np.testing.assert_array_equal(np.concatenate([p.states for p in parts]), whole.states)
