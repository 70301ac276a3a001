"""``lupuscart export sbml`` and ``export antimony``: run as users run them (installed script and CliRunner), bad
input exits 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lupuscart.cli import main

SCRIPT = str(Path(sys.executable).parent / "lupuscart")


@pytest.mark.parametrize(("kind", "start"), [("sbml", "<?xml"), ("antimony", "// Created by libAntimony")])
def test_export_writes_a_file(tmp_path: Path, kind: str, start: str) -> None:
    target = tmp_path / "model.txt"
    proc = subprocess.run([SCRIPT, "export", kind, str(target)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text().startswith(start)
    assert f"-> {target}" in proc.stderr
    assert "4 dose events" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(("kind", "marker"), [("sbml", "<sbml"), ("antimony", "model *lupuscart_cd19_car_t_sle()")])
def test_export_to_stdout(capsys: pytest.CaptureFixture[str], kind: str, marker: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", kind, "-"])
    assert exc.value.code == 0
    assert marker in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["export", "sbml", "/nonexistent-dir/model.xml"],
        ["export", "sbml", "model.xml", "--config", "/nonexistent.yaml"],
        ["export", "antimony", "/nonexistent-dir/model.ant"],
        ["export", "antimony", "model.ant", "--config", "/nonexistent.yaml"],
        ["export", "antimony", "model.ant", "--time-origin", "noon"],
        ["export", "petab", "out", "--config", "/nonexistent.yaml"],
    ],
)
def test_bad_input_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(("kind", "file"), [("sbml", "model.xml"), ("antimony", "model.ant")])
def test_help_shows_a_runnable_example(capsys: pytest.CaptureFixture[str], kind: str, file: str) -> None:
    with pytest.raises(SystemExit):
        main(["export", kind, "--help"])
    assert f"lupuscart export {kind} {file}" in capsys.readouterr().out


def test_export_time_origin_option(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lupuscart.cli._root import app

    out = tmp_path / "m.xml"
    result = CliRunner().invoke(app, ["export", "sbml", str(out), "--time-origin", "infusion"])
    assert result.exit_code == 0, result.output
    assert "SBML time is the day after CAR T infusion" in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["export", "sbml", str(out), "--time-origin", "noon"])
    assert exc.value.code == 2


def test_antimony_time_origin_option(tmp_path: Path) -> None:
    """--time-origin infusion puts the doses at their timecourse.csv days (the CAR T infusion at time 0)."""
    from typer.testing import CliRunner

    from lupuscart.cli._root import app

    out = tmp_path / "m.ant"
    result = CliRunner().invoke(app, ["export", "antimony", str(out), "--time-origin", "infusion"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "at time >= 0 day:" in text
    assert "journey_start_day = -42;" in text
