"""The one place that turns an exception into what the command line says and its exit status.

User errors (:class:`~lupuscart.exceptions.InvalidInputError`), outputs that cannot be written
(:class:`~lupuscart.exceptions.OutputError`), failed solves (:class:`~lupuscart.exceptions.SolverError`) and the
operating system's refusals (permissions, a directory where a file was expected, a full disk, a binary file,
nesting too deep, memory) all exit with status 2 and one short paragraph, never a traceback. Ctrl+C and SIGTERM
exit with 130 and 143 after the clean-up that ``finally`` blocks do (partial outputs and scratch folders removed,
checkpoint lock released).
"""

from __future__ import annotations

import contextlib
import errno
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from ..exceptions import InvalidInputError, OutputError, SolverError, shorten

#: Exit status of bad input and of anything the user can act on.
USAGE = 2
#: Longest message printed (characters); longer ones are cut, so no input can flood the terminal.
MAX_MESSAGE = 4000

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives, so that clean-up runs as for Ctrl+C."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While inside, SIGTERM unwinds the stack (``finally`` blocks run) instead of killing the process outright;
    the previous handler is restored afterwards. Only the main thread can handle signals; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _name(filename: object) -> str:
    return shorten(str(filename), 200) if filename else "a file"


def _os_message(exc: OSError) -> str:
    where = _name(exc.filename)
    if isinstance(exc, FileNotFoundError):
        return f"file or folder not found: {where}"
    if isinstance(exc, IsADirectoryError):
        return f"{where} is a folder; a file was expected"
    if isinstance(exc, NotADirectoryError):
        return f"{where}: part of this path is a file, not a folder"
    if isinstance(exc, PermissionError):
        return f"permission denied: {where}"
    if isinstance(exc, FileExistsError):
        return f"{where} already exists"
    if exc.errno in _FULL:
        return f"cannot write {where}: {exc.strerror} (disk full or file size limit)"
    return f"{where}: {exc.strerror or exc}"


def describe(exc: BaseException) -> tuple[int, str] | None:
    """``(exit status, message)`` for an exception the command line reports itself, ``None`` for a bug.

    Examples
    --------
    >>> describe(PermissionError(13, "Permission denied", "/root/x"))
    (2, 'permission denied: /root/x')
    >>> describe(KeyError("x")) is None
    True
    """
    if isinstance(exc, InvalidInputError | OutputError):
        return USAGE, str(exc)
    if isinstance(exc, SolverError):
        return USAGE, f"the simulation could not be solved: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return USAGE, f"the input is not UTF-8 text ({exc.reason} at byte {exc.start})"
    if isinstance(exc, OSError):
        return USAGE, _os_message(exc)
    if isinstance(exc, RecursionError):
        return USAGE, "the input is nested too deeply to be read"
    if isinstance(exc, MemoryError):
        return USAGE, "out of memory: the run is too large for this machine; make it smaller"
    if isinstance(exc, KeyboardInterrupt):
        return 130, "interrupted (Ctrl+C); partial outputs were removed"
    if isinstance(exc, Terminated):
        return 128 + signal.SIGTERM, "terminated (SIGTERM); partial outputs were removed"
    return None


def one_paragraph(message: str) -> str:
    """``message`` cut to :data:`MAX_MESSAGE` characters."""
    return shorten(message, MAX_MESSAGE)
