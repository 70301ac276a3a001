"""Writing outputs so that a failure never leaves a partial result or destroys an earlier one.

Every writer of the command line goes through here: single files (``score --out``, ``export sbml``,
``export antimony``) with :func:`atomic_file`, output folders (``simulate --out``, ``trial --out``) with
:func:`atomic_directory`. Both write into a temporary sibling of the target first (same file system, so the final
step is a rename, which needs no space and cannot be cut in half), and move it into place only when everything was
written. A failure (disk full, permissions, an error while computing, Ctrl+C, SIGTERM) removes the temporary
sibling and leaves the target exactly as it was; the :class:`OSError` becomes an
:class:`~lupuscart.exceptions.OutputError` naming the target.

The temporary sibling is created *before* the work starts (the command line opens the output first), so an
unwritable target is reported at once, not after an hour of simulation.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .exceptions import OutputError, shorten


def _nearest_existing_directory(path: Path) -> Path:
    """The deepest existing ancestor of ``path`` (where a temporary sibling can be created)."""
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(
            f"cannot write {shorten(str(path), 200)}: {shorten(str(parent), 200)} is a file, not a directory"
        )
    return parent


def _fail(target: Path, exc: OSError, nothing: str) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    culprit = f" ({shorten(str(exc.filename), 200)})" if exc.filename and Path(exc.filename) != target else ""
    return OutputError(f"cannot write {shorten(str(target), 200)}: {reason}{culprit}; {nothing}")


def _ours(exc: OSError, temporary: Path, target: Path) -> bool:
    """Whether ``exc`` is about writing the output: it names the temporary sibling, the target or their folders
    (or a path inside them), or nothing (a write to an open file, e.g. a full disk); an error about another
    path (an input file) is not."""
    if not exc.filename:
        return True
    path = Path(str(exc.filename)).absolute()
    near = [temporary.absolute(), target.absolute()]
    return any(path == p or p in path.parents or path in p.parents for p in near)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` (flushed to disk first).

    Raises
    ------
    OutputError
        ``target`` is a directory, its folder does not exist, or it cannot be written (the message names it; an
        earlier ``target`` is kept).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_file(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"cannot write {shorten(str(target), 200)}: it is a directory; give a file name")
    if not target.absolute().parent.is_dir():
        raise OutputError(
            f"cannot write {shorten(str(target), 200)}: the folder {shorten(str(target.parent), 200)} does not exist"
        )
    kept = "the earlier file is unchanged" if target.exists() else "nothing was written"
    try:
        fd, name = tempfile.mkstemp(dir=target.absolute().parent, prefix=f".{target.name[:100]}.", suffix=".partial")
        os.fchmod(fd, 0o666 & ~_umask())  # as a plainly created file (mkstemp makes it private)
        os.close(fd)
    except OSError as exc:
        raise _fail(target, exc, kept) from None
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_directory(target.parent)
    except OSError as exc:
        if not _ours(exc, tmp, target):
            raise
        raise _fail(target, exc, kept) from None
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty temporary directory; on success its files move into ``target`` (created if missing).

    A new ``target`` appears in one rename. An existing ``target`` keeps the files this run does not write
    (e.g. a user's notes) and gets each written file by a rename (``os.replace``); renames need no disk space,
    so the step after all the writing cannot fail for a full disk.

    Raises
    ------
    OutputError
        ``target`` is a file, or cannot be written (the message names it; an earlier ``target`` is kept).
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {shorten(str(target), 200)}: it is a file; give a directory")
    kept = "the earlier outputs are unchanged" if target.exists() else "nothing was written"
    try:
        stage = Path(tempfile.mkdtemp(dir=_nearest_existing_directory(target), prefix=f".{target.name[:100]}."))
        stage.chmod(0o777 & ~_umask())  # as a plainly created folder (mkdtemp makes it private)
    except OSError as exc:
        raise _fail(target, exc, kept) from None
    try:
        yield stage
        files = [path for path in sorted(stage.rglob("*")) if not path.is_dir()]
        for path in files:  # on disk before the renames make them visible
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(stage, target)
            _fsync_directory(target.parent)
            return
        for path in files:
            final = target / path.relative_to(stage)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
        _fsync_directory(target)
    except OSError as exc:
        if not _ours(exc, stage, target):
            raise
        raise _fail(target, exc, kept) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
