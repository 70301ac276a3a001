"""``lupuscart validate``: run the shipped scenario suite and compare it with published cohorts and directions."""

from __future__ import annotations

import json
import sys

import typer

from .._run_arguments import check_run_arguments

_HELP = (
    "Validate the model: run the shipped scenario suite (CD19 CAR T 1e6/kg after Erlangen lymphodepletion, "
    "lymphodepletion alone, low-intensity lymphodepletion, a dose ladder 1e5-2e7/kg, BCMA-CD19, prophylactic and "
    "no tocilizumab) on the same virtual patients, compare each arm with the published cohorts it can be compared "
    "with (number, citation, cohort size, role) and check the expected directions (e.g. remission with "
    "lymphodepletion alone below CAR T; CRS grade >= 2 non-decreasing with dose).",
    "--out DIR writes validation.md and validation.json; --json prints the report as one JSON object. The exit "
    "status is 1 when a comparison or a direction check fails, 2 for bad input.",
    "Example:\n\n  lupuscart validate --patients 200 --workers 2 --out validation",
)


def register(app: typer.Typer) -> None:
    """Attach ``validate`` to the root command."""
    app.command("validate", help="\n\n".join(_HELP))(validate)


def validate(
    patients: int | None = typer.Option(None, "--patients", "-n", help="Patients per arm (default: the suite's, 200)."),
    seed: int | None = typer.Option(None, "--seed", "-s", help="Seed of the suite (default: the suite's)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes (result does not depend on it)."),
    out: str | None = typer.Option(None, "--out", "-o", help="Directory for validation.md and validation.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object and nothing else."),
) -> None:
    """Run the validation suite (see the command's help)."""
    from ..validation import validate as run_validation
    from ..validation import write_report

    check_run_arguments(caller="cli", patients=patients, seed=seed, workers=workers, chunk_size=None)
    report = run_validation(patients=patients, seed=seed, workers=workers, progress=not as_json)
    if out is not None:
        path = write_report(report, out)
        if not as_json:
            typer.echo(f"wrote {path}")
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict()) + "\n")
    else:
        typer.echo(report.markdown())
    if not report.passed:
        raise typer.Exit(code=1)
