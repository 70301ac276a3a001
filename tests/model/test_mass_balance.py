"""Mass balance of the drug compartments and positivity of every state over a full course."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import trapezoid

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
