"""``lupuscart demo`` and the root command as users meet them: shell completion offered, the demo's seed.

The demo's body is ``lupuscart trial``'s (``cli/trial.py``), tested in ``test_trial.py``.
"""

from __future__ import annotations


def test_shell_completion_and_demo_seed_are_offered() -> None:
    from typer.testing import CliRunner

    from lupuscart.cli._root import app

    runner = CliRunner()
    root = runner.invoke(app, ["--help"])
    assert "--install-completion" in root.output
    assert "--show-completion" in root.output
    demo = runner.invoke(app, ["demo", "--help"])
    assert "--seed" in demo.output
