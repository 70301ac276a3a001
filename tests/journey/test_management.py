"""The bedside management loop: tocilizumab and dexamethasone given per ASCO and fed back into the ODEs."""

from __future__ import annotations

import numpy as np
import pytest

from lupuscart.journey import ManagementPolicy, load_config, simulate_patient
from lupuscart.journey._management import ManagementState, decide


@pytest.fixture(scope="module")
def severe_config() -> object:
    # A patient whose killing flux drives strong IL-6 induction (CRS grade >= 2 without management).
    return load_config({"model_parameters": {"il6_induction_max": 600.0}})


def test_severe_crs_gets_tocilizumab_which_blocks_signalling_and_raises_total_il6(severe_config: object) -> None:
    managed = simulate_patient(severe_config, seed=1)  # type: ignore[arg-type]
    plain = simulate_patient(severe_config, seed=1, management=False)  # type: ignore[arg-type]
    assert plain.summary.crs_max_grade >= 2
    assert plain.summary.tocilizumab_doses == 0
    assert 1 <= managed.summary.tocilizumab_doses <= 4
    first_10 = managed.days <= 10
    # Tocilizumab blocks signalling but raises total IL-6 (receptor-mediated clearance blocked; model.md A.3).
    assert (
        managed.observables["il6_signalling_pg_ml"][first_10].max()
        <= plain.observables["il6_signalling_pg_ml"][first_10].max()
    )
    assert managed.observables["il6_pg_ml"][first_10].max() > plain.observables["il6_pg_ml"][first_10].max()
    assert managed.summary.crs_max_grade <= plain.summary.crs_max_grade


def test_prophylactic_tocilizumab_is_given_at_infusion() -> None:
    r = simulate_patient(load_config({"management": {"tocilizumab": "prophylactic"}}))
    toc = [e for e in r.events if e.kind == "tocilizumab"]
    assert toc
    assert toc[0].day == 0.0
    assert r.observables["tocilizumab_mg_l"][r.days == 1][0] > 50


def _policy(weight_kg: float = 70.0, **management: str) -> ManagementPolicy:
    return ManagementPolicy.from_config(load_config({"management": management}).management, weight_kg)


def test_tocilizumab_limits_interval_and_total() -> None:
    policy = _policy()
    state = ManagementState(tocilizumab_days=[1.0])
    assert decide(policy, state, 1.2, crs=3, icans=0)[0].drug == "dexamethasone"
    assert [i.drug for i in decide(policy, state, 1.34, crs=2, icans=0)] == ["tocilizumab"]
    full = ManagementState(tocilizumab_days=[0.0, 0.5, 1.0, 1.5])
    assert all(i.drug != "tocilizumab" for i in decide(policy, full, 3.0, crs=3, icans=0))
    three_in_a_day = ManagementState(tocilizumab_days=[2.0, 2.34, 2.68])
    assert all(i.drug != "tocilizumab" for i in decide(policy, three_in_a_day, 2.99, crs=2, icans=0))
    assert decide(_policy(120.0), state, 5.0, crs=2, icans=0)[0].amount_mg == 800.0


def test_prophylaxis_is_one_dose_on_the_day_of_infusion_only() -> None:
    policy = _policy(tocilizumab="prophylactic")
    assert [(i.drug, i.reason) for i in decide(policy, ManagementState(), 0.0, crs=0, icans=0)] == [
        ("tocilizumab", "prophylaxis")
    ]
    assert decide(policy, ManagementState(tocilizumab_days=[0.0]), 0.25, crs=0, icans=0) == []
    assert decide(policy, ManagementState(), 1.0, crs=0, icans=0) == []


def test_icans_grade_two_gets_dexamethasone_not_tocilizumab() -> None:
    out = decide(_policy(), ManagementState(), 4.0, crs=0, icans=2)
    assert [i.drug for i in out] == ["dexamethasone"]


def test_no_management_policy_gives_nothing() -> None:
    assert decide(_policy(tocilizumab="none", steroids="none"), ManagementState(), 2.0, crs=4, icans=4) == []
    unmanaged = ManagementPolicy.from_config(load_config().management, 70.0, managed=False)
    assert decide(unmanaged, ManagementState(), 0.0, crs=4, icans=4) == []


def test_manufacturing_failure_means_no_infusion() -> None:
    r = simulate_patient(load_config({"manufacturing": {"failure_probability": 1.0}}))
    assert r.status == "manufacturing_failed"
    assert np.all(r.observables["car_t_per_ul"] == 0)
    assert r.summary.doris_day90 is False
