"""``lupuscart simulate`` as users run it: JSON contract, outputs, exit status 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lupuscart.cli import main
from lupuscart.journey import TIMECOURSE_COLUMNS

JSON_KEYS = {
    "car_t_peak_day",
    "car_t_peak_per_ul",
    "b_cell_aplasia_day",
    "b_cell_recovery_day",
    "sledai2k_baseline",
    "sledai2k_day90",
    "doris_day90",
    "drug_free_remission_day365",
    "anti_dsdna_fraction_day90",
    "igg_nadir_fraction",
    "crs_max_grade",
    "icans_max_grade",
    "licats_max_grade",
    "serious_infections",
    "tocilizumab_doses",
}


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_json_is_one_object_with_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["simulate", "--json", "--days", "400"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary.keys() >= JSON_KEYS
    assert summary["seed"] == 0
    assert summary["model_version"]


def test_out_writes_timecourse_events_and_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(["simulate", "--no-management", "--days", "365", "--out", str(tmp_path)], capsys)
    assert code == 0
    tc = pd.read_csv(tmp_path / "timecourse.csv")
    assert list(tc.columns[: len(TIMECOURSE_COLUMNS)]) == list(TIMECOURSE_COLUMNS)
    assert tc["day"].iloc[0] < -30
    assert tc["day"].iloc[-1] == 365
    assert (tc["day"].diff().dropna() == 1).all()
    visits = tc.dropna(subset=["sledai2k"])
    assert set(visits["day"]) >= {7, 14, 28, 90, 180, 365}
    events = pd.read_csv(tmp_path / "events.csv")
    assert {"apheresis", "lymphodepletion", "infusion", "visit_score"} <= set(events["kind"])
    assert (tmp_path / "patient.png").stat().st_size > 10_000
    record = json.loads((tmp_path / "parameters.json").read_text())
    assert record["management"] is False
    assert record["seed"] == 0
    assert "weight_kg" in record["model_parameters"]


@pytest.mark.parametrize(
    ("yaml_text", "needle"),
    [
        ("product:\n  dose_per_kg: -5\n", "product.dose_per_kg"),
        ("manufacturing:\n  days: 0\n", "manufacturing.days"),
        ("lymphodepletion:\n  regimen: myeloablative\n", "lymphodepletion.regimen"),
        ("patient:\n  weight_kg: seventy\n", "patient.weight_kg"),
    ],
)
def test_bad_config_exits_2_naming_the_field_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_text: str, needle: str
) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml_text)
    out_dir = tmp_path / "out"
    code, out, err = _run(["simulate", "--config", str(cfg), "--out", str(out_dir), "--json"], capsys)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert out == ""
    assert not out_dir.exists()


def test_missing_config_file_and_bad_days_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["simulate", "--config", str(tmp_path / "none.yaml")], capsys)
    assert code == 2
    assert "not found" in err
    code, _, err = _run(["simulate", "--days", "5"], capsys)
    assert code == 2
    assert "--days" in err


def test_installed_script_json_and_version() -> None:
    exe = Path(sys.executable).with_name("lupuscart")
    proc = subprocess.run(
        [str(exe), "simulate", "--json", "--days", "120"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["doris_day90"] is True
    ver = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert ver.stdout.startswith("lupuscart ")


@pytest.mark.parametrize(
    "args",
    [["simulate", "--bogus"], ["no-such-command"], ["export", "sbml"], ["simulate", "--seed", "abc"]],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(args, capsys)
    assert code == 2
    assert "Traceback" not in err
