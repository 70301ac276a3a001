"""``lupuscart export sbml``: run as users run it (installed script and CliRunner), bad input exits 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lupuscart.cli import main

SCRIPT = str(Path(sys.executable).parent / "lupuscart")


def test_export_sbml_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "model.xml"
    proc = subprocess.run([SCRIPT, "export", "sbml", str(target)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text().startswith("<?xml")
    assert "-> " in proc.stderr
    assert proc.stdout == ""


def test_export_sbml_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "sbml", "-"])
    assert exc.value.code == 0
    assert "<sbml" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["export", "sbml", "/nonexistent-dir/model.xml"],
        ["export", "sbml", "model.xml", "--config", "/nonexistent.yaml"],
    ],
)
def test_bad_input_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_shows_a_runnable_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "sbml", "--help"])
    assert "lupuscart export sbml model.xml" in capsys.readouterr().out


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
