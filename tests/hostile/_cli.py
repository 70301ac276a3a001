"""Running the installed ``lupuscart`` script as a user would, and the bar every refusal must meet."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

#: The console script installed into the virtual environment (``[project.scripts]``).
SCRIPT = Path(sys.executable).parent / "lupuscart"
#: A refusal is one short paragraph: at most this many characters.
SHORT = 1500


def lupuscart(
    *args: str | Path,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 120,
    file_size_limit: int | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``lupuscart ARGS`` through the installed script; ``file_size_limit`` (bytes) makes writes beyond it
    fail as on a full disk (``RLIMIT_FSIZE``: EFBIG, which Python raises as :class:`OSError`)."""
    preexec: Callable[[], None] | None = None
    if file_size_limit is not None:
        limit = file_size_limit

        def preexec() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=preexec,
        env=dict(os.environ, COLUMNS="200", **(env or {})),
    )


def spawn(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``lupuscart ARGS`` through the installed script without waiting (to kill or race it)."""
    return subprocess.Popen(
        [str(SCRIPT), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, COLUMNS="200", **(env or {})),
    )


def assert_refused(result: subprocess.CompletedProcess[str], *names: str, status: int = 2) -> str:
    """Exit ``status`` (2: bad input), nothing on standard output, and on standard error (after any progress
    bar) one short paragraph that names each of ``names`` and shows no traceback. Returns the message."""
    err = result.stderr
    assert result.returncode == status, (result.returncode, err[-2000:])
    assert result.stdout == "", result.stdout[:500]
    assert "Traceback" not in err, err[-2000:]
    assert err.count("error: ") == 1, err[-2000:]
    message = err[err.index("error: ") :].strip()
    assert all(line.startswith("virtual trial") for line in err[: err.index("error: ")].splitlines() if line.strip())
    assert len(message) <= SHORT, f"{len(message)} characters: {message[:300]}..."
    assert "\n\n" not in message
    for name in names:
        assert name in message, (name, message)
    return message


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → content), to check that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path, names: Sequence[str] = ()) -> list[str]:
    """Temporary or partial files left in ``folder`` (hidden siblings of outputs), besides ``names``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name not in names)
