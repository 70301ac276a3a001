"""Root of the ``lupuscart`` command: wires the command modules and maps user errors to exit status 2.

Imports point one way: this module imports each command module and calls its ``register(app)``; no command module
imports this one. Each command module imports its heavy dependencies inside the command body, so
``lupuscart --version`` and ``--help`` stay fast (``tests/test_architecture.py`` checks that importing this
package loads none of them).
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from . import dashboard, demo, export, fit, score, sensitivity, simulate, trial, validate
from ._errors import describe, one_paragraph, sigterm_unwinds

app = typer.Typer(
    name="lupuscart",
    help=(
        "In silico CD19 CAR T cell therapy for systemic lupus erythematosus: simulate a patient, run a virtual "
        "trial, score real visit data, export the model.\n\n"
        "Examples:\n\n"
        "  lupuscart simulate --json\n\n"
        "  lupuscart score visits.csv --out scored.csv"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"lupuscart {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """In silico CD19 CAR T cell therapy for SLE."""


#: The command modules, in the order ``lupuscart --help`` lists them; adding a command group is one entry here.
COMMAND_MODULES = (simulate, trial, validate, demo, score, sensitivity, fit, export, dashboard)
for _module in COMMAND_MODULES:
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; user and operating-system errors exit with status 2 and a one-paragraph message, no
    traceback (see :mod:`._errors`); SIGTERM unwinds like Ctrl+C so partial outputs are removed."""
    try:
        # Standalone mode: typer/click report usage errors (unknown option, missing argument) themselves, with
        # exit status 2, whichever copy of click typer uses; errors of ours propagate to the handler below.
        with sigterm_unwinds():
            app(args=argv, standalone_mode=True)
    except BaseException as exc:  # SystemExit passes through; bugs are re-raised
        if isinstance(exc, SystemExit):
            raise
        known = describe(exc)
        if known is None:
            raise
        status, message = known
        sys.stderr.write(f"error: {one_paragraph(message)}\n")
        sys.exit(status)
