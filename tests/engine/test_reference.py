"""The reference solver (scipy LSODA, segmented at dose times) against answers known without it.

Closed-form decay and the matrix exponential of the linear drug PK after a bolus, mass balance of the drug
compartments (dose = amount in the body + amount eliminated), and positivity of every state over a full course.
The fast engine is checked against this solver in ``test_fast.py``; its work budget is in
``tests/hostile/test_solver_bounds.py`` (issue 12's regression corpus).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import trapezoid
from scipy.linalg import expm

from lupuscart.engine import Dose, solve_schedule
from lupuscart.journey import load_config, plan_patient
from lupuscart.model import default_model


@pytest.mark.parametrize(
    ("state", "amount", "eliminated"),
    [
        ("flu_central_mg", 45.0, lambda g, c: g["flu_cl_l_day"] * c["flu_central_mg"] / g["flu_v1_ind_l"]),
        ("cy_mg", 1800.0, lambda g, c: g["cy_k_per_day"] * c["cy_mg"]),
        (
            "toc_central_mg",
            560.0,
            lambda g, c: (
                g["toc_cl_l_day"] * c["toc_central_mg"] / g["toc_v1_l"]
                + g["toc_vmax_mg_day"]
                * (c["toc_central_mg"] / g["toc_v1_l"])
                / (g["toc_km_mg_l"] + c["toc_central_mg"] / g["toc_v1_l"])
            ),
        ),
    ],
)
def test_dose_equals_amount_in_body_plus_amount_eliminated(state: str, amount: float, eliminated: object) -> None:
    m = default_model()
    full = m.derive(m.base_vector())
    t = np.linspace(0.0, 20.0, 40001)
    tr = solve_schedule(m, full, -0.01, 20.0, [Dose(0.0, state, amount)], t, rtol=1e-10)
    s = m.definition.state_index
    g = {n: full[i] for n, i in m.full_index.items()}
    c = {n: tr.states[i] for n, i in s.items()}
    body = sum(c[n] for n in s if n.split("_")[0] == state.split("_")[0] and n.endswith("_mg"))
    out = trapezoid(eliminated(g, c), t)  # type: ignore[operator]
    assert body[-1] + out == pytest.approx(amount, rel=1e-5)


def test_every_state_stays_non_negative_over_three_years() -> None:
    m = default_model()
    plan = plan_patient(load_config())
    t = np.linspace(plan.t_start, 1095.0, 4000)
    tr = solve_schedule(m, plan.full_parameters, plan.t_start, 1095.0, plan.doses, t, rtol=1e-8)
    scale = m.atol[:, None]
    assert np.all(tr.states >= -1e-6 * scale), [
        n for n, row in zip(m.state_names, tr.states, strict=True) if row.min() < 0
    ]


def test_cyclophosphamide_matches_closed_form_exponential_decay() -> None:
    m = default_model()
    full = m.derive(m.base_vector())
    k = full[m.full_index["cy_k_per_day"]]
    t = np.array([0.1, 0.25, 0.5, 1.0])
    tr = solve_schedule(m, full, -0.001, 1.0, [Dose(0.0, "cy_mg", 1800.0)], t, rtol=1e-10)
    np.testing.assert_allclose(tr.states[m.definition.state_index["cy_mg"]], 1800.0 * np.exp(-k * t), rtol=1e-6)


def test_fludarabine_three_compartment_matches_matrix_exponential() -> None:
    """Independent reference: the linear PK solved as exp(A t) x0 with A built from the published parameters."""
    m = default_model()
    full = m.derive(m.base_vector())
    g = {n: full[i] for n, i in m.full_index.items()}
    v1, v2, v3 = g["flu_v1_ind_l"], g["flu_v2_ind_l"], g["flu_v3_ind_l"]
    cl, q2, q3 = g["flu_cl_l_day"], g["flu_q2_l_day"], g["flu_q3_l_day"]
    a = np.array([[-(cl + q2 + q3) / v1, q2 / v2, q3 / v3], [q2 / v1, -q2 / v2, 0.0], [q3 / v1, 0.0, -q3 / v3]])
    t = np.array([0.05, 0.5, 2.0])
    tr = solve_schedule(m, full, -0.001, 2.0, [Dose(0.0, "flu_central_mg", 45.0)], t, rtol=1e-10)
    idx = [m.definition.state_index[s] for s in ("flu_central_mg", "flu_peripheral1_mg", "flu_peripheral2_mg")]
    for k, tk in enumerate(t):
        np.testing.assert_allclose(tr.states[idx, k], expm(a * tk) @ np.array([45.0, 0, 0]), rtol=1e-6, atol=1e-9)
