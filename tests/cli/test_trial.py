"""`lupuscart trial` / `lupuscart demo` as users run them: --json is one object; bad input exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lupuscart.cli import main

ARCH_KEYS = (
    "patients",
    "seed",
    "doris_month3_rate",
    "doris_month6_rate",
    "drug_free_remission_month12_rate",
    "drug_free_remission_month24_rate",
    "sledai2k_baseline_median",
    "sledai2k_month6_median",
    "crs_any_rate",
    "crs_grade2plus_rate",
    "crs_grade3plus_rate",
    "icans_any_rate",
    "licats_any_rate",
    "serious_infection_month12_rate",
    "b_cell_recovery_day_mean",
    "b_cell_recovery_day_sd",
    "car_t_peak_day_median",
    "manufacturing_failure_rate",
)
#: Issue 10: what-if endpoints, per arm like the others.
WHAT_IF_KEYS = (
    "relapse_by_month24_rate",
    "nonresponse_month3_rate",
    "anti_dsdna_negative_month3_rate",
    "igg_nadir_g_l_median",
    "igg_recovery_day_median",
    "igg_replacement_rate",
    "licats_events_per_patient_mean",
    "licats_onset_day_median",
    "licats_grade3plus_rate",
    "crs_il6_peak_pg_ml_median",
)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from lupuscart.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_json_is_one_object_with_contract_keys() -> None:
    p = _run(["trial", "--patients", "2", "--seed", "4", "--json"])
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    for key in ARCH_KEYS:
        assert key in data
        if key.endswith("_rate"):
            assert f"{key}_ci" in data
    assert data["patients"] == 2
    assert data["seed"] == 4
    assert p.stdout.count("\n") == 1
    for arm in data["arms"].values():
        for key in WHAT_IF_KEYS:
            assert key in arm
            assert f"{key}_ci" in arm


def test_engine_option_runs_the_compiled_engine_with_the_same_endpoints() -> None:
    fast = _run(["trial", "--patients", "2", "--seed", "4", "--json", "--engine", "fast"])
    reference = _run(["trial", "--patients", "2", "--seed", "4", "--json", "--engine", "reference"])
    assert fast.returncode == 0, fast.stderr
    assert reference.returncode == 0, reference.stderr
    a, b = json.loads(fast.stdout), json.loads(reference.stdout)
    for key in ("doris_month3_rate", "crs_any_rate", "igg_nadir_g_l_median", "licats_events_per_patient_mean"):
        assert a[key] == pytest.approx(b[key], rel=1e-6), key


def test_table_and_out(tmp_path: Path) -> None:
    p = _run(["trial", "--patients", "2", "--out", str(tmp_path / "o")])
    assert p.returncode == 0, p.stderr
    assert "DORIS remission, month 3" in p.stdout
    assert "figures:" in p.stdout
    assert (tmp_path / "o" / "patients.parquet").is_file()
    assert (tmp_path / "o" / "figures" / "km.png").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trial", "--patients", "-3"], "--patients"),
        (["trial", "--patients", "0"], "--patients"),
        (["trial", "--workers", "0"], "--workers"),
        (["trial", "--chunk-size", "0"], "--chunk-size"),
        # Port 1 on loopback: nothing listens, the connection is refused until the connect timeout (a few s).
        (["trial", "--patients", "2", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
        (["trial", "--config", "missing.yaml"], "--config"),
        (["trial", "--patients", "2", "--engine", "turbo"], "--engine"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "trial.yaml"
    cfg.write_text("arms:\n  low: {product: {dose_per_kg: 1.0e5, speed: 3}}\n")
    with pytest.raises(SystemExit) as exc:
        main(["trial", "--config", str(cfg), "--json"])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert "arms.low.product.speed: unknown key" in captured.err
    assert captured.out == ""
