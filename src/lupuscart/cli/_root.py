"""Root of the ``lupuscart`` command: wires the command modules and maps user errors to exit status 2.

Imports point one way: this module imports each command module and calls its ``register(app)``; no command module
imports this one. Each command module imports its heavy dependencies inside the command body, so
``lupuscart --version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..exceptions import InvalidInputError
from . import dashboard, demo, export, fit, score, sensitivity, simulate, trial, validate

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
    """Run the command line; user errors exit with status 2 and a one-paragraph message, no traceback."""
    try:
        # Standalone mode: typer/click report usage errors (unknown option, missing argument) themselves, with
        # exit status 2, whichever copy of click typer uses; errors of ours propagate to the handlers below.
        app(args=argv, standalone_mode=True)
    except InvalidInputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
    except FileNotFoundError as exc:
        sys.stderr.write(f"error: file not found: {exc.filename}\n")
        sys.exit(2)
