"""``lupuscart validate`` as users run it: the JSON report with its exit status, a bad patient count exits 2.

The comparisons and direction checks themselves are tested in ``tests/validation/test_validate.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def test_cli_validate_json_and_exit_status(tmp_path: Any) -> None:
    exe = str(Path(sys.executable).with_name("lupuscart"))
    cmd = [exe, "validate", "--patients", "6", "--seed", "3", "--json"]
    proc = subprocess.run([*cmd, "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["passed"] == (proc.returncode == 0)
    assert (tmp_path / "validation.md").is_file()
    bad = subprocess.run([exe, "validate", "--patients", "0"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "patients" in bad.stderr
