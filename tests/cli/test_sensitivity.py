"""``lupuscart sensitivity`` as users run it: a tiny Morris design to JSON, a bad sample size exits 2.

The analysis itself (factor ranges, indices, reproducibility) is tested in ``tests/sensitivity/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

#: The tiny design the sensitivity tests share (two parameters, one covariate).
TINY = yaml.safe_load((Path(__file__).parents[1] / "sensitivity" / "tiny_design.yaml").read_text(encoding="utf-8"))


def test_cli_json_and_bad_input(tmp_path: Path) -> None:
    cfg = tmp_path / "sa.yaml"
    cfg.write_text(yaml.safe_dump({**TINY, "method": "morris", "outputs": ["b_cell_return_day"]}))
    cmd = [sys.executable, "-c", "from lupuscart.cli import main; main()", "sensitivity"]
    out = subprocess.run([*cmd, "--config", str(cfg), "--json"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["method"] == "morris"
    assert list(body["outputs"]) == ["b_cell_return_day"]
    bad = subprocess.run([*cmd, "--samples", "100"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "power of 2" in bad.stderr
    assert "Traceback" not in bad.stderr
