"""Hostile configuration files (issue 12, defects 1, 6, 7 and 11): YAML 1.1 surprises, duplicate keys, alias
bombs, deep nesting, binary files, folders and huge values, through the installed ``lupuscart`` script."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from lupuscart._config_io import MAX_CONFIG_BYTES
from lupuscart._yaml import MAX_DEPTH, MAX_NODES, load_yaml
from lupuscart.exceptions import InvalidConfigError
from lupuscart.journey import load_config
from lupuscart.trial import load_trial_config

from ._cli import assert_refused, lupuscart

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &bomb [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- defect 1: numbers written as 1e6 / 2e0 are numbers everywhere (YAML 1.2 core schema) ------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2e0", 2.0),
        ("1e6", 1e6),
        ("1.5E+2", 150.0),
        ("-3", -3),
        ("010", 10),  # YAML 1.1: octal 8
        ("0o17", 15),
        ("0x1F", 31),
        (".inf", float("inf")),
        ("1:30", "1:30"),  # YAML 1.1: sexagesimal 90
        ("no", "no"),  # YAML 1.1: False
        ("2024-01-01", "2024-01-01"),  # YAML 1.1: a date
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("true", True),
        ("~", None),
    ],
)
def test_scalars_are_read_as_yaml_1_2(text: str, value: object) -> None:
    assert load_yaml(f"x: {text}", "test") == {"x": value}


def test_a_trial_arm_with_2e0_runs_with_the_number(tmp_path: Path) -> None:
    """The reproduction of defect 1: the override was a string and every patient errored, exit 0."""
    cfg = _write(
        tmp_path, "patients: 1\nprotocol:\n  followup: {days: 60}\n  model_parameters: {car_kill_per_cell_day: 2e0}\n"
    )
    loaded = load_trial_config(cfg)
    assert loaded.protocol["model_parameters"]["car_kill_per_cell_day"] == 2.0
    result = lupuscart("trial", "--config", cfg, "--json")
    assert result.returncode == 0, result.stderr
    endpoints = json.loads(result.stdout)
    assert endpoints["errors"] == 0
    assert endpoints["infused"] + round(endpoints["manufacturing_failure_rate"] * endpoints["patients"]) == 1


def test_simulate_reads_2e0_as_the_number_2(tmp_path: Path) -> None:
    written = _write(tmp_path, "followup: {days: 60}\nmodel_parameters: {car_kill_per_cell_day: 2e0}\n", "a.yaml")
    plain = _write(tmp_path, "followup: {days: 60}\nmodel_parameters: {car_kill_per_cell_day: 2.0}\n", "b.yaml")
    a = lupuscart("simulate", "--config", written, "--json")
    b = lupuscart("simulate", "--config", plain, "--json")
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_a_protocol_value_quoted_as_text_is_validated_and_used_as_a_number() -> None:
    cfg = load_trial_config({"protocol": {"model_parameters": {"car_kill_per_cell_day": "2e0"}}})
    assert cfg.protocol["model_parameters"]["car_kill_per_cell_day"] == 2.0
    assert isinstance(cfg.arm_config(next(iter(cfg.arms)))["model_parameters"]["car_kill_per_cell_day"], float)


# -- defect 11: duplicate keys are refused, never silently overwritten ---------------------------------------------


def test_duplicate_key_is_refused_naming_it_and_its_lines(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "patients: 5\nseed: 1\npatients: 5000000\n")
    message = assert_refused(lupuscart("trial", "--config", cfg), "duplicate key 'patients'", "line 3", "line 1")
    assert str(cfg) in message


def test_nested_duplicate_key_is_refused(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "product:\n  dose_per_kg: 1e6\n  dose_per_kg: 1e8\n")
    assert_refused(lupuscart("simulate", "--config", cfg), "duplicate key 'dose_per_kg'", "line 3")


def test_merge_keys_still_work_and_explicit_keys_override_them() -> None:
    data = load_yaml("base: &b {days: 400}\nfollowup:\n  <<: *b\n  days: 500\n", "test")
    assert data["followup"] == {"days": 500}


# -- defect 6: alias bombs, deep nesting, recursive aliases, huge values -------------------------------------------


@pytest.mark.parametrize("command", ["simulate", "trial"])
def test_billion_laughs_is_refused_quickly(tmp_path: Path, command: str) -> None:
    cfg = _write(tmp_path, BOMB + "name: *bomb\n" if command == "trial" else BOMB)
    start = time.monotonic()
    result = lupuscart(command, "--config", cfg)
    assert time.monotonic() - start < 60
    assert_refused(result, "alias", str(MAX_NODES))


def test_a_bomb_as_a_field_value_is_refused_before_validation(tmp_path: Path) -> None:
    cfg = _write(tmp_path, BOMB.replace("i: &bomb", "name: &bomb"))
    assert_refused(lupuscart("trial", "--config", cfg), "alias")


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_twenty_thousand_nesting_levels_are_refused(tmp_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    cfg = _write(tmp_path, "patient: " + opening * 20_000 + "1" + closing * 20_000 + "\n")
    assert_refused(lupuscart("simulate", "--config", cfg), f"nested more than {MAX_DEPTH} levels")


def test_nesting_through_aliases_is_bounded_too() -> None:
    levels = ["l0: &l0 [1]"] + [f"l{k}: &l{k} [*l{k - 1}]" for k in range(1, 25)] + ["deep: [*l24, *l24]"]
    levels += [f"m{k}: &m{k} [*l24, *m{k - 1}]" if k else "m0: &m0 [*l24]" for k in range(12)]
    with pytest.raises(InvalidConfigError, match="levels deep once its aliases are replaced"):
        load_yaml("\n".join(levels), "test")


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "name: &a [*a]\n")
    with pytest.raises(InvalidConfigError, match="recursive"):
        load_trial_config(cfg)
    assert_refused(lupuscart("trial", "--config", cfg), "recursive")


def test_a_huge_value_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "product:\n  name: " + "x" * 500_000 + "\n")
    message = assert_refused(lupuscart("simulate", "--config", cfg), "product.name")
    assert "xxxxx" in message


def test_a_huge_key_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "? " + "y" * 300_000 + "\n: 1\n")  # an explicit key: YAML caps implicit ones
    assert_refused(lupuscart("trial", "--config", cfg), "unknown key")


def test_many_bad_fields_give_one_short_paragraph(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "".join(f"unknown_{k}: {k}\n" for k in range(5000)))
    assert_refused(lupuscart("simulate", "--config", cfg), "unknown_0", "and 4990 more")


def test_a_file_larger_than_the_bound_is_refused_unread(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "# padding\n" * (MAX_CONFIG_BYTES // 10 + 10))
    assert_refused(lupuscart("simulate", "--config", cfg), "larger than", str(cfg))


# -- defect 7: files that are not YAML text -------------------------------------------------------------------------


def test_a_binary_config_is_refused_naming_the_file(tmp_path: Path) -> None:
    cfg = _write(tmp_path, bytes(range(256)) * 4)
    assert_refused(lupuscart("simulate", "--config", cfg), "UTF-8", str(cfg))


def test_a_config_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    cfg = _write(tmp_path, b"patients: 3\x00\n")
    assert_refused(lupuscart("trial", "--config", cfg), "NUL", str(cfg))


@pytest.mark.parametrize("command", ["simulate", "trial"])
def test_a_folder_given_as_config_is_refused(tmp_path: Path, command: str) -> None:
    assert_refused(lupuscart(command, "--config", tmp_path), "--config" if command == "trial" else str(tmp_path))


def test_a_config_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "- 1\n- 2\n")
    assert_refused(lupuscart("simulate", "--config", cfg), "mapping at the top level")


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 'open\n", "a: *undefined\n", "--- 1\n--- 2\n", "\tkey: 1\n"])
def test_malformed_yaml_names_the_line(tmp_path: Path, text: str) -> None:
    cfg = _write(tmp_path, text)
    assert_refused(lupuscart("simulate", "--config", cfg), "not valid YAML", str(cfg))


def test_the_loader_is_the_one_every_reader_uses(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "product: {dose_per_kg: 1e5}\nproduct: {dose_per_kg: 1e6}\n")
    for load in (load_config, load_trial_config):
        with pytest.raises(InvalidConfigError, match="duplicate key 'product'"):
            load(cfg)
