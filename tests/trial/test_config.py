"""Trial configuration: strict validation with dotted paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from lupuscart.exceptions import InvalidConfigError
from lupuscart.trial import load_trial_config


def test_defaults_and_arms() -> None:
    cfg = load_trial_config(
        {
            "patients": 10,
            "protocol": {"manufacturing": {"days": 28}},
            "arms": {"high": {"product": {"dose_per_kg": 1e6}}, "low": {"product": {"dose_per_kg": 1e5}}},
        }
    )
    assert list(cfg.arms) == ["high", "low"]
    assert cfg.arm_config("low") == {"manufacturing": {"days": 28}, "product": {"dose_per_kg": 1e5}}
    assert len(load_trial_config(None).arms) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arms": {"low": {"product": {"dose": 1e5}}}}, "arms.low.product.dose: unknown key"),
        ({"arms": {"low": {"produkt": {}}}}, "arms.low.produkt: unknown key"),
        ({"arms": {"low": {"product": {"dose_per_kg": -1}}}}, "arms.low.product.dose_per_kg"),
        ({"arms": {"x": {"lymphodepletion": {"regimen": "strong"}}}}, "arms.x.lymphodepletion.regimen"),
        ({"arms": {"x": {"patient": {"weight_kg": 70}}}}, "arms.x.patient: patients come from the population"),
        ({"arms": {"x": {"model_parameters": {"nope": 1.0}}}}, "arms.x.model_parameters.nope: unknown"),
        ({"arms": {"x": {"model_parameters": {"ic_hill": 99.0}}}}, "arms.x.model_parameters.ic_hill: must be in"),
        ({"arms": {}}, "at least one arm"),
        ({"patients": -5}, "patients: Input should be greater than 0; got -5"),
        ({"patients": 0}, "patients"),
        ({"colour": "red"}, "colour: unknown key"),
        ({"protocol": {"followup": {"dayz": 3}}}, "protocol.followup.dayz: unknown key"),
        (
            {"population": {"covariates": {"weight_kg": {"center": 70, "spread": 5, "min": 120, "max": 50}}}},
            "population.covariates.weight_kg: min (120.0) must not exceed max (50.0)",
        ),
        (
            {"population": {"covariates": {"age_years": {"center": 30, "spread": 5, "min": 1, "max": 60}}}},
            "population.covariates.age_years: range [1.0, 60.0] is impossible",
        ),
        ({"population": {"iiv_omega": {"weight_kg": 0.1}}}, "population.iiv_omega"),
        ({"small_trial": {"sizes": [0]}}, "small_trial.sizes"),
    ],
)
def test_refused_with_dotted_path(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidConfigError, match="invalid trial configuration") as err:
        load_trial_config(data)
    assert message in str(err.value)


def test_yaml_file(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text("patients: 7\narms:\n  a: {}\n  b: {lymphodepletion: {regimen: low_intensity}}\n")
    assert load_trial_config(p).patients == 7
    p.write_text("- a\n")
    with pytest.raises(InvalidConfigError, match="mapping"):
        load_trial_config(p)
    with pytest.raises(InvalidConfigError, match="not found"):
        load_trial_config(tmp_path / "missing.yaml")
