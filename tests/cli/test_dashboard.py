"""``lupuscart app`` (``cli/dashboard.py``): its help names the loopback address, a bad port exits 2.

The dashboard itself is tested in ``tests/app/`` (without and with a browser).
"""

from __future__ import annotations

from typer.testing import CliRunner


def test_cli_help_says_it_binds_loopback() -> None:
    from lupuscart.cli._root import app

    result = CliRunner().invoke(app, ["app", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output
    assert "lupuscart app --port 8050" in result.output


def test_cli_refuses_a_bad_port_with_status_2() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "from lupuscart.cli import main; main(['app', '--port', '70000'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "port must be between 1 and 65535" in proc.stderr
    assert "Traceback" not in proc.stderr
