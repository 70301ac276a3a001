"""``lupuscart export``: write the model in exchange formats (SBML) and the calibration problem (PEtab)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .._atomic import atomic_file
from ..exceptions import InvalidInputError

export_app = typer.Typer(
    help="Export the model of a patient in exchange formats.\n\nExample:\n\n  lupuscart export sbml model.xml",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Attach the ``export`` command group to the root command."""
    app.add_typer(export_app, name="export")


_SBML_HELP = (
    "Write the patient's model (default patient and Erlangen-like protocol unless --config is given) as SBML "
    "Level 3 Version 2: states with rate rules, parameters with their values, observables as assignment rules "
    "named as the timecourse.csv columns (car_t_per_ul, b_cells_per_ul, ...), scheduled doses (fludarabine, "
    "cyclophosphamide, CAR T) as events.",
    "Time is in days; SBML time 0 is the journey's first day (day -42 for the default patient), or with "
    "--time-origin infusion the day after infusion as in timecourse.csv (simulate from the journey start). "
    "State-dependent "
    "management (tocilizumab, steroids) is not exported: compare with 'lupuscart simulate --no-management'.",
    "Example:",
    "  lupuscart export sbml model.xml",
    "prints 'wrote SBML (35 states, 31 observables, 4 dose events) -> model.xml' on standard error; the file "
    "loads in libRoadRunner: roadrunner.RoadRunner('model.xml').simulate(0, 407, 408).",
)


@export_app.command("sbml", help="\n\n".join(_SBML_HELP))
def sbml(
    file: str = typer.Argument(..., help="Output SBML file (.xml), or - for standard output."),
    config: str | None = typer.Option(None, "--config", "-c", help="Simulation configuration (YAML)."),
    time_origin: str = typer.Option(
        "journey",
        "--time-origin",
        help="journey: SBML time 0 = the journey's first day (simulate from 0); infusion: SBML time = day after "
        "infusion as in timecourse.csv (initial values at the journey start, parameter journey_start_day).",
    ),
) -> None:
    """Write the SBML export of a patient (see the command's help)."""
    from ..io import TIME_ORIGINS, to_sbml
    from ..journey import load_config, plan_patient
    from ..model import default_model

    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    if time_origin not in TIME_ORIGINS:
        raise InvalidInputError(
            f"The '--time-origin' option must be one of {', '.join(TIME_ORIGINS)}. Got {time_origin!r} instead."
        )
    if file == "-":
        sys.stdout.write(to_sbml(plan_patient(load_config(config)), time_origin=time_origin))
        return
    with atomic_file(file) as tmp:  # opened first: an unwritable FILE is reported before any work
        plan = plan_patient(load_config(config))
        tmp.write_text(to_sbml(plan, time_origin=time_origin), encoding="utf-8")
    n_events = len({d.time_day for d in plan.doses})
    d = default_model().definition
    typer.echo(
        f"wrote SBML ({len(d.states)} states, {len(d.observables)} observables, {n_events} dose events) -> {file}",
        err=True,
    )


_PETAB_HELP = (
    "Write the calibration problem as PEtab v1 into DIR (new or empty): model.xml (the default patient's SBML), "
    "conditions.tsv, observables.tsv (the published fractions as formulas of the model's observables, log-normal "
    "noise), measurements.tsv (the Mackensen 2022 time course packaged with lupuscart, noise SD by evidence tag), "
    "parameters.tsv (the calibrated parameters fitted to that time course, to estimate on log10 scale with bounds "
    "and normal priors; the others fixed) and problem.yaml. The problem is checked with the PEtab linter before "
    "the command reports success; any PEtab tool (pyPESTO, AMICI, COPASI) can then refit it.",
    "Example:",
    "  lupuscart export petab calibration-petab",
    "prints 'wrote PEtab problem (4 estimated parameters, 20 measurements) -> calibration-petab/problem.yaml'.",
)


@export_app.command("petab", help="\n\n".join(_PETAB_HELP))
def petab(
    directory: str = typer.Argument(..., help="Output directory (new or empty)."),
    config: str | None = typer.Option(None, "--config", "-c", help="Simulation configuration (YAML)."),
) -> None:
    """Write the PEtab export of the calibration problem (see the command's help)."""
    import pandas as pd

    from ..io import write_petab

    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    paths = write_petab(directory, config)
    parameters = pd.read_csv(Path(directory) / "parameters.tsv", sep="\t")
    measurements = pd.read_csv(Path(directory) / "measurements.tsv", sep="\t")
    typer.echo(
        f"wrote PEtab problem ({int(parameters['estimate'].sum())} estimated parameters, {len(measurements)} "
        f"measurements) -> {paths[0]}",
        err=True,
    )
