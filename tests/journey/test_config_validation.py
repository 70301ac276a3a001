"""Bad configurations are refused with a message naming the field, what is allowed and what came in."""

from __future__ import annotations

from pathlib import Path

import pytest

from lupuscart.exceptions import InvalidConfigError
from lupuscart.journey import load_config


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"product": {"dose_per_kg": -1e6}}, r"product\.dose_per_kg: Input should be greater than 0; got -1000000"),
        ({"manufacturing": {"days": 0}}, r"manufacturing\.days: Input should be greater than or equal to 1; got 0"),
        ({"lymphodepletion": {"regimen": "heavy"}}, r"lymphodepletion\.regimen: unknown regimen 'heavy'; allowed"),
        ({"patient": {"weight_kg": "heavy"}}, r"patient\.weight_kg: Input should be a valid number"),
        ({"patient": {"wieght_kg": 70}}, r"patient\.wieght_kg: unknown key"),
        ({"product": {"name": "cd20"}}, r"product\.name: unknown product 'cd20'"),
        ({"model_parameters": {"nope": 1.0}}, r"model_parameters\.nope: unknown model parameter"),
        ({"model_parameters": {"ic_hill": 99.0}}, r"model_parameters\.ic_hill: must be in \[0\.5, 8\.0\]"),
        ({"model_parameters": {"weight_kg": 80.0}}, r"model_parameters\.weight_kg: set patient\.weight_kg instead"),
        ({"patient": {"c3_g_l": 1.5}}, r"patient\.c3_g_l must be below"),
        ({"followup": {"days": 20}}, r"followup\.days: Input should be greater than or equal to 30"),
        ({"patient": {"manifestations": {"proteinuria_g_24h": 0.1}}}, r"proteinuria_chronic_g_24h \(0\.15\)"),
    ],
)
def test_bad_values_name_the_field(data: dict[str, object], pattern: str) -> None:
    from lupuscart.journey import plan_patient

    with pytest.raises(InvalidConfigError, match=pattern):
        plan_patient(load_config(data))


def test_yaml_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InvalidConfigError, match="not found"):
        load_config(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("patient: [1, 2\n")
    with pytest.raises(InvalidConfigError, match="not valid YAML"):
        load_config(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("42\n")
    with pytest.raises(InvalidConfigError, match="mapping at the top level"):
        load_config(scalar)


def test_yaml_file_with_valid_overrides(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("product:\n  dose_per_kg: 1.0e5\nlymphodepletion:\n  regimen: low_intensity\n")
    cfg = load_config(f)
    assert cfg.product.dose_per_kg == 1e5
    assert cfg.lymphodepletion.regimen == "low_intensity"
