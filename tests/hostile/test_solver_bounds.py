"""Model parameter overrides (issue 12, defect 8): every value inside a parameter's declared bounds solves, values
outside are refused before any work, and a solve that goes wrong stops within its work budget.

The bounds were set from ``benchmarks/parameter_bounds.py`` (each parameter at 10⁻⁶…10⁶ times its value, both
engines): [value/100, value×100] for the parameters that had none, narrower where that table showed failures.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest

from lupuscart.engine import FastSolver, ReferenceSolver
from lupuscart.exceptions import InvalidConfigError, SolverError
from lupuscart.journey import load_config, simulate_patient
from lupuscart.journey._plan import PATIENT_PARAMETERS
from lupuscart.model import default_model

from ._cli import assert_refused, lupuscart

PARAMETERS = {p.name: p for p in default_model().definition.parameters}
#: Set through the patient or product section instead (refused as model_parameters, with that advice).
PATIENT_LEVEL = {*PATIENT_PARAMETERS.values(), "bsa_m2", "product_bcma_activity", "t_capacity_cells"}
PATIENT_LEVEL |= {"b_precursor_input_cells_day"}
#: Parameters whose range the sweep narrowed below [value/100, value×100] (or set absolutely), with why.
NARROWED = {
    "cy_cl_l_h": "clearance below a tenth: cyclophosphamide lingers, the solution becomes non-finite",
    "flu_kill_l_per_mg_day": "above ten times: a math domain error downstream of the solve",
    "cy_kill_l_per_mg_day": "above ten times: a math domain error downstream of the solve",
    "car_growth_per_day": "above ten times: unbounded expansion, the solve fails",
    "car_effector_death_per_day": "below a tenth: CAR T never contract, Poisson draws overflow",
    "flu_myelotox_l_per_mg": "above ten times: the neutrophil chain fails to solve",
    "cy_myelotox_l_per_mg": "above ten times: the neutrophil chain fails to solve",
    "neutrophil_feedback": "above 0.7: rebound neutrophilia beyond any lab range (WBC > 500)",
}


def _solve(name: str, value: float, engine: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = simulate_patient(load_config({"model_parameters": {name: value}}), engine=engine)
    except SolverError as exc:
        return f"SolverError: {exc}"
    except InvalidConfigError as exc:  # a rule spanning fields (e.g. C3 below its normal): a clean refusal
        return "refused" if "model_parameters" not in str(exc) else f"refused the value itself: {exc}"
    return str(result.status)


def test_every_parameter_has_finite_bounds_around_its_value() -> None:
    for p in PARAMETERS.values():
        assert math.isfinite(p.lower), p.name
        assert math.isfinite(p.upper), p.name
        assert p.lower <= p.value <= p.upper, p.name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(PARAMETERS) - PATIENT_LEVEL))
def test_every_override_at_its_bounds_solves_on_the_fast_engine(name: str) -> None:
    p = PARAMETERS[name]
    for value in (p.lower, p.upper):
        assert _solve(name, value, "fast") in {"ok", "manufacturing_failed", "refused"}, (name, value)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NARROWED))
def test_narrowed_bounds_solve_on_the_reference_engine(name: str) -> None:
    p = PARAMETERS[name]
    for value in (p.lower, p.upper):
        assert _solve(name, value, "reference") in {"ok", "manufacturing_failed", "refused"}, (name, value)


@pytest.mark.parametrize("value", ["1e300", "1e30", "-1", ".inf", ".nan"])
def test_the_reported_overrides_are_refused_before_any_work(tmp_path: object, value: str) -> None:
    from pathlib import Path

    cfg = Path(str(tmp_path)) / "c.yaml"
    cfg.write_text(f"model_parameters: {{car_kill_per_cell_day: {value}}}\n")
    start = time.monotonic()
    result = lupuscart("simulate", "--config", cfg, "--json")
    assert time.monotonic() - start < 30  # was > 300 s for 1e300, a traceback for 1e30
    assert_refused(result, "model_parameters.car_kill_per_cell_day", "[0.03, 300")


def test_a_zero_in_a_denominator_is_outside_the_bounds() -> None:
    for name in ("flu_v1_l", "toc_ec50_mg_l", "dex_half_life_h", "igg_clearance_per_day"):
        with pytest.raises(InvalidConfigError, match=f"model_parameters.{name}: must be in"):
            load_config({"model_parameters": {name: 0.0}})


def test_the_reference_solver_stops_at_its_budget() -> None:
    m = default_model()
    full = m.derive(m.base_vector())
    solver = ReferenceSolver(m, full, max_rhs_evaluations=200)
    y = m.initial_state(full)
    y[m.definition.state_index["car_t_effector"]] += 1e8  # an infusion: the solve has work to do
    start = time.monotonic()
    with pytest.raises(SolverError, match="budget of 200 right-hand-side evaluations"):
        solver.advance(y, 0.0, 1000.0, np.array([10.0]))
    assert time.monotonic() - start < 10


def test_the_fast_solver_stops_at_its_budget_over_all_calls() -> None:
    m = default_model()
    full = m.derive(m.base_vector())
    solver = FastSolver(m, full, max_total_steps=30)
    y = m.initial_state(full)
    y[m.definition.state_index["car_t_effector"]] += 1e8

    def journey() -> None:
        state = y
        for day in range(0, 100, 5):
            _, state = solver.advance(state, float(day), day + 5.0, np.array([]))

    with pytest.raises(SolverError, match="budget of 30 steps"):
        journey()


def test_a_solve_that_is_too_stiff_ends_in_seconds_not_minutes() -> None:
    """What hung for minutes (killing at 1e300 per cell and day) now stops at the budget, via the engine API."""
    from lupuscart.journey import plan_patient

    m = default_model()
    plan = plan_patient(load_config(), m)
    p = plan.full_parameters.copy()
    p[list(m.full_names).index("car_kill_per_cell_day")] = 1e300
    solver = ReferenceSolver(m, p)
    y = m.initial_state(p)
    y[m.definition.state_index["car_t_effector"]] += 1e8
    start = time.monotonic()
    with pytest.raises(SolverError):
        solver.advance(y, 0.0, 30.0, np.array([10.0]))
    assert time.monotonic() - start < 60
