"""``lupuscart fit`` as users run it: the bundled example fitted to a JSON record and files, a bad file exits 2.

The twin's fit itself (recovery of known parameters) is tested in ``tests/twin/test_twin.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_cli_example_and_bad_file(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "from lupuscart.cli import main; main()", "fit"]
    out = subprocess.run(
        [
            *cmd,
            "--example",
            "--until",
            "28",
            "--draws",
            "10",
            "--horizon",
            "200",
            "--json",
            "--out",
            str(tmp_path / "t"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["patient_id"] == "example-1"
    assert body["until"] == 28
    assert body["measurements_fitted_by_variable"]["car_t"] == 7
    files = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert files == ["observed_vs_predicted.png", "outcomes.csv", "parameters.csv", "prediction.csv", "twin.json"]
    bad = tmp_path / "bad.csv"
    bad.write_text("patient_id,day,variable,value,unit\np,1,c3,1,furlongs\n")
    err = subprocess.run([*cmd, str(bad)], capture_output=True, text=True, check=False)
    assert err.returncode == 2
    assert "row 2, column 'unit'" in err.stderr
    assert "Traceback" not in err.stderr
