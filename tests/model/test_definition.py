"""The model definition: audit, steady state, generated code against independent references."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lupuscart.exceptions import ModelDefinitionError
from lupuscart.model import (
    Block,
    ModelDefinition,
    Parameter,
    State,
    build_model,
    compile_model,
    default_model,
)


def _tiny(**state_kw: str) -> ModelDefinition:
    rate = state_kw.get("rate", "-k*x")
    p = Parameter("k", 1.0, "1/d", "rate", "modelmd", "E")
    return ModelDefinition("tiny", (Block("b", "", parameters=(p,), states=(State("x", "1", "x", rate, "1", 1.0),)),))


def test_default_model_audits_and_every_parameter_is_documented() -> None:
    model = build_model()
    for p in model.parameters:
        assert p.unit, p.name
        assert p.source, p.name
        assert p.evidence in "RDLEC", p.name


def test_audit_reports_undeclared_names_and_missing_rates() -> None:
    with pytest.raises(ModelDefinitionError, match=r"undeclared names \['q'\]"):
        _tiny(rate="-q*x")
    with pytest.raises(ModelDefinitionError, match="missing: rate of state 'x'"):
        _tiny(rate=" ")
    with pytest.raises(ModelDefinitionError, match="unknown function"):
        _tiny(rate="-sin(k)*x")


def test_audit_reports_unknown_source_and_duplicate_names() -> None:
    bad = Parameter("k", 1.0, "1/d", "rate", "NoSuchPaper", "E")
    with pytest.raises(ModelDefinitionError, match="NoSuchPaper"):
        ModelDefinition("t", (Block("b", "", parameters=(bad,), states=(State("x", "1", "", "-k*x", "1", 1.0),)),))
    dup = State("k", "1", "", "-k", "1", 1.0)
    good = Parameter("k", 1.0, "1/d", "rate", "modelmd", "E")
    with pytest.raises(ModelDefinitionError, match="duplicate name 'k'"):
        ModelDefinition("t", (Block("b", "", parameters=(good,), states=(dup,)),))


def test_autoreactive_steady_state_is_the_root_of_the_full_equations() -> None:
    """model.md A.0 convention 6 with the tissue pool of issue 10: eliminate the circulating pool,
    A = (k_seed·N0 + e·A_T)/(δ_A + h), and solve the tissue balance for A_T with brentq (independent of the
    closed-form root the model derives)."""
    from scipy.optimize import brentq

    m = default_model()
    full = m.derive(m.base_vector())
    g = {n: float(full[i]) for n, i in m.full_index.items()}
    y0 = m.initial_state(full)
    drive = g["autoantigen_drive"] + (1 - g["autoantigen_drive"]) / (1 + g["ic_threshold"] ** g["ic_hill"])
    r, k, loss = g["auto_expansion_per_day"], g["auto_capacity_cells"], g["auto_loss_per_day"]
    e, h, seed = g["auto_tissue_egress_per_day"], g["auto_tissue_homing_per_day"], g["auto_seeding_per_day"]

    def circulating(a_t: float) -> float:
        return (seed * g["b_naive_0"] + e * a_t) / (loss + h)

    def tissue_balance(a_t: float) -> float:
        return r * drive * a_t * (1 - a_t / k) - (loss + e) * a_t + h * circulating(a_t)

    a_t = brentq(tissue_balance, 1.0, k, xtol=1e-3, rtol=1e-12)
    idx = m.definition.state_index
    assert y0[idx["b_autoreactive_tissue"]] == pytest.approx(a_t, rel=1e-9)
    assert y0[idx["b_autoreactive"]] == pytest.approx(circulating(a_t), rel=1e-9)


@pytest.mark.parametrize("draw", range(20))
def test_pre_treatment_state_is_a_true_steady_state_for_sampled_parameters(draw: int) -> None:
    m = default_model()
    rng = np.random.default_rng(draw)
    overrides = {}
    for p in m.definition.parameters:
        if p.value > 0 and np.isfinite(p.upper):
            value = p.value * float(np.exp(0.3 * rng.standard_normal()))
            overrides[p.name] = min(max(value, p.lower), p.upper)
    overrides["c3_baseline_g_l"] = min(overrides.get("c3_baseline_g_l", 0.6), 0.9 * overrides.get("c3_normal_g_l", 1.1))
    full = m.derive(m.base_vector(overrides))
    y0 = m.initial_state(full)
    dy = m.rhs(0.0, y0, full)
    # Relative to each state's own turnover scale: |dy| tiny compared with |y| (or its tolerance scale).
    scale = np.maximum(np.abs(y0), m.atol)
    assert np.max(np.abs(dy) / scale) < 1e-9
    assert np.all(y0 >= 0)


def test_fludarabine_exposure_matches_model_md() -> None:
    """model.md A.0 convention 2: F-ara-A AUC ≈ 17 mg·h/L for 3 × 45 mg at eGFR 100 mL/min."""
    m = default_model()
    full = m.derive(m.base_vector())
    auc_mg_h_l = 3 * 45.0 / full[m.full_index["flu_cl_l_day"]] * 24
    assert auc_mg_h_l == pytest.approx(17.1, abs=0.3)


def test_generated_rhs_agrees_with_an_independent_hand_written_core_equation() -> None:
    """dC_M/dt and dP_B/dt re-derived by hand from model.md A.3 at a random state (fluxes written once must
    assemble into the same laws)."""
    m = default_model()
    full = m.derive(m.base_vector())
    rng = np.random.default_rng(1)
    y = m.initial_state(full) * np.exp(0.2 * rng.standard_normal(m.n_states))
    y[m.definition.state_index["car_t_effector"]] = 3e8
    y[m.definition.state_index["car_t_memory"]] = 5e7
    y[m.definition.state_index["cy_mg"]] = 100.0
    dy = m.rhs(0.0, y, full)
    s, g = m.definition.state_index, {n: full[i] for n, i in m.full_index.items()}
    ce, cm = y[s["car_t_effector"]], y[s["car_t_memory"]]
    b_tgt = sum(
        y[s[k]]
        for k in ("b_precursors", "b_naive", "b_memory", "b_autoreactive", "plasmablasts_auto", "plasmablasts_other")
    )
    b_tgt += 0.05 * y[s["b_autoreactive_tissue"]]  # tissue-resident targets at their CAR T access (issue 10)
    k_r = 3.0 * (ce + cm) / (2e9 + b_tgt)
    kld = 0.108 * 100.0 / 46.5
    expected_pb = 2.8e8 * y[s["marrow_capacity"]] - (0.07 + 0.07 + k_r + 0.4 * kld) * y[s["b_precursors"]]
    expected_cm = 0.0012 * ce - 0.0032 * cm
    assert dy[s["b_precursors"]] == pytest.approx(expected_pb, rel=1e-10)
    assert dy[s["car_t_memory"]] == pytest.approx(expected_cm, rel=1e-10)
    assert g["per_ul_of_blood"] == pytest.approx(0.02 / 5e6)


def test_compile_model_accepts_a_modified_definition() -> None:
    base = build_model()
    blocks = tuple(
        dataclasses.replace(
            b, parameters=tuple(dataclasses.replace(p, value=0.2) if p.name == "k_dummy" else p for p in b.parameters)
        )
        for b in base.blocks
    )
    m = compile_model(ModelDefinition("copy", blocks))
    assert m.n_states == default_model().n_states
