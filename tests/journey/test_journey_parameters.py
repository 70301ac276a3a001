"""The journey's numbers (vitals, ICANS, LICATS, infections) live in the model definition: documented, in the
fingerprint, overridable through model_parameters within bounds."""

from __future__ import annotations

import dataclasses

import pytest

from lupuscart.exceptions import InvalidConfigError
from lupuscart.journey import load_config, simulate_patient
from lupuscart.journey._hazards import JOURNEY_BLOCKS, default_journey_values
from lupuscart.model import ModelDefinition, build_model


def _journey_block(d: ModelDefinition):  # type: ignore[no-untyped-def]
    return next(b for b in d.blocks if b.name == "journey")


def test_journey_parameters_are_model_parameters_with_unit_source_and_evidence() -> None:
    d = build_model()
    values = default_journey_values()
    assert {"licats_hazard_per_car_t_organ", "infection_rate_per_year", "hypotension_il6_pg_ml"} <= set(values)
    assert len(values) >= 22
    params = {p.name: p for p in d.parameters}
    assert all(params[n].unit and params[n].source and params[n].evidence for n in values)
    assert {b.name for b in d.blocks} >= set(JOURNEY_BLOCKS)


def test_changing_a_journey_parameter_changes_the_model_fingerprint() -> None:
    d = build_model()
    block = _journey_block(d)
    changed = dataclasses.replace(
        block, parameters=(dataclasses.replace(block.parameters[0], value=12.0), *block.parameters[1:])
    )
    other = ModelDefinition(d.name, tuple(changed if b is block else b for b in d.blocks))
    assert other.fingerprint != d.fingerprint


def test_model_parameters_override_reaches_the_journey() -> None:
    never = simulate_patient(load_config({"model_parameters": {"licats_hazard_per_car_t_organ": 0.0}}), seed=3)
    often = simulate_patient(load_config({"model_parameters": {"licats_hazard_per_car_t_organ": 0.1}}), seed=3)
    assert never.summary.licats_events == 0
    assert often.summary.licats_events >= 2
    once = {"licats_hazard_per_car_t_organ": 0.1, "licats_max_events_per_organ": 1.0}
    assert simulate_patient(load_config({"model_parameters": once}), seed=3).summary.licats_events == 2  # 2 organs
    no_infections = simulate_patient(load_config({"model_parameters": {"infection_rate_per_year": 0.0}}), seed=3)
    assert no_infections.summary.infections == 0


def test_journey_parameter_bounds_are_checked() -> None:
    with pytest.raises(
        InvalidConfigError, match=r"model_parameters\.licats_grade2_probability: must be in \[0.0, 1.0\]"
    ):
        load_config({"model_parameters": {"licats_grade2_probability": 1.5}})
