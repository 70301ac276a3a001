"""``lupuscart export``: write the model in exchange formats (SBML for now)."""

from __future__ import annotations

from pathlib import Path

import typer

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
    import sys

    from .._atomic import atomic_file
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
