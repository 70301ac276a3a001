"""``lupuscart demo``: the default virtual trial, a few hundred patients, in under two minutes."""

from __future__ import annotations

import typer

from .trial import run_and_report

DEMO_PATIENTS = 200
DEMO_SEED = 2022

_HELP = (
    f"Run the default virtual trial ({DEMO_PATIENTS} calibrated virtual patients with refractory lupus nephritis, "
    "CD19 CAR T 1e6/kg after Erlangen lymphodepletion, seed 2022 unless --seed) on 2 worker processes, print the "
    "endpoint table and the small-trial table, and write tables and figures to --out.",
    "Example:",
    "  lupuscart demo --out demo-output",
    "prints the endpoints (DORIS at month 3, B-cell recovery, CRS/ICANS rates ...) and 'figures: "
    "demo-output/figures/km.png, ...'.",
)


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to the root command."""
    app.command("demo", help="\n\n".join(_HELP))(demo)


def demo(
    out: str = typer.Option("demo-output", "--out", "-o", help="Directory for tables and figures."),
    workers: int = typer.Option(2, "--workers", "-w", help="Worker processes."),
    patients: int = typer.Option(DEMO_PATIENTS, "--patients", "-n", help="Patients."),
    seed: int = typer.Option(DEMO_SEED, "--seed", "-s", help="Seed of the virtual trial."),
) -> None:
    """Run the default virtual trial and print where the figures are."""
    run_and_report(None, patients, seed, workers, out, False, title="lupuscart demo")
