"""``lupuscart score`` as users run it: through ``main()`` and through the installed script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lupuscart.cli import main

GOOD = "patient_id,day,arthritis_joints,rash,pga,prednisone_mg_per_day\np1,0,3,yes,0.4,5\np1,30,0,no,0.2,5\n"
BAD = "patient_id,day,arthritis_joints,rash\np1,0,-2,yes\np2,x,1,maybe\n"


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    code = info.value.code
    return code if isinstance(code, int) else 1


def test_scores_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "visits.csv", tmp_path / "scored.csv"
    src.write_text(GOOD)
    assert run(["score", str(src), "--out", str(dst)]) == 0
    lines = dst.read_text().splitlines()
    assert lines[0].endswith("sledai2k,clinical_sledai2k,doris_2021,lldas")
    assert lines[1] == "p1,0,3,yes,0.4,5,6,6,False,False"
    assert lines[2] == "p1,30,0,no,0.2,5,0,0,True,True"
    assert "scored 2 visits" in capsys.readouterr().err


def test_bad_file_exits_2_names_every_cell_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst = tmp_path / "visits.csv", tmp_path / "scored.csv"
    src.write_text(BAD)
    assert run(["score", str(src), "--out", str(dst)]) == 2
    err = capsys.readouterr().err
    assert "row 1 (line 2), column 'arthritis_joints'" in err
    assert "row 2 (line 3), column 'day'" in err
    assert "row 2 (line 3), column 'rash'" in err
    assert "Traceback" not in err
    assert not dst.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind


def test_existing_output_is_untouched_on_error(tmp_path: Path) -> None:
    src, dst = tmp_path / "visits.csv", tmp_path / "scored.csv"
    src.write_text("patient_id,unknown\n1,2\n")
    dst.write_text("previous content")
    assert run(["score", str(src), "--out", str(dst)]) == 2
    assert dst.read_text() == "previous content"


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_window_days_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "visits.csv"
    src.write_text(GOOD)
    assert run(["score", str(src), "--window-days", "7"]) == 2
    assert "window_days" in capsys.readouterr().err


def test_example_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", "--example"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("SLE-01,-5,")
    assert out.splitlines()[1].endswith(",20,16,False,False")


def test_help_has_a_runnable_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["score", "--help"]) == 0
    assert "lupuscart score --example --out scored.csv" in capsys.readouterr().out


def test_installed_script_reads_stdin_and_exits_2_on_bad_input(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "lupuscart"
    ok = subprocess.run([str(script), "score", "-"], input=GOOD, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[1] == "p1,0,3,yes,0.4,5,6,6,False,False"
    bad = subprocess.run(
        [str(script), "score", "-", "--out", str(tmp_path / "o.csv")],
        input=BAD,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "column 'arthritis_joints'" in bad.stderr
    assert not (tmp_path / "o.csv").exists()
