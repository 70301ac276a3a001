"""``lupuscart export``: write the model in exchange formats (SBML, Antimony) and the calibration problem (PEtab).

All three commands go through one writer path: :func:`_check_options` rejects a missing ``--config`` file or an
unknown ``--time-origin`` before any work, :func:`_write_model` writes a model export atomically (the output is
opened first, so an unwritable FILE is reported at once and never left half-written; ``-`` is standard output),
and :func:`_report` prints the one-line summary on standard error. ``export petab`` writes a directory, which
:func:`lupuscart.io.write_petab` fills and lints in a temporary sibling before moving it into place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .._atomic import atomic_file
from ..exceptions import InvalidInputError

if TYPE_CHECKING:
    from ..journey import PatientPlan

export_app = typer.Typer(
    help="Export the model of a patient in exchange formats.\n\nExample:\n\n  lupuscart export sbml model.xml",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Attach the ``export`` command group to the root command."""
    app.add_typer(export_app, name="export")


_CONFIG = typer.Option(None, "--config", "-c", help="Simulation configuration (YAML).")
_TIME_ORIGIN = typer.Option(
    "journey",
    "--time-origin",
    help="journey: model time 0 = the journey's first day (simulate from 0); infusion: model time = day after "
    "infusion as in timecourse.csv (initial values at the journey start, parameter journey_start_day).",
)
_TIME_HELP = (
    "Time is in days; time 0 is the journey's first day (day -42 for the default patient), or with --time-origin "
    "infusion the day after infusion as in timecourse.csv (simulate from the journey start). State-dependent "
    "management (tocilizumab, steroids) is not exported: compare with 'lupuscart simulate --no-management'."
)
_SBML_HELP = (
    "Write the patient's model (default patient and Erlangen-like protocol unless --config is given) as SBML "
    "Level 3 Version 2: states with rate rules, parameters with their values and units (a unit definition for "
    "each unit: cells/uL, pg/mL, 1/d, ...), observables as assignment rules named as the timecourse.csv columns "
    "(car_t_per_ul, b_cells_per_ul, ...), scheduled doses (fludarabine, cyclophosphamide, CAR T) as events.",
    _TIME_HELP,
    "Example:",
    "  lupuscart export sbml model.xml",
    "prints 'wrote SBML (41 states, 37 observables, 4 dose events) -> model.xml' on standard error; the file "
    "loads in libRoadRunner: roadrunner.RoadRunner('model.xml').simulate(0, 407, 408).",
)
_ANTIMONY_HELP = (
    "Write the patient's model as Antimony text, the human-readable form of SBML (Tellurium, libRoadRunner): "
    "libAntimony's translation of the SBML that 'lupuscart export sbml' writes, so the two are the same model.",
    _TIME_HELP,
    "Example:",
    "  lupuscart export antimony model.ant",
    "prints 'wrote Antimony (41 states, 37 observables, 4 dose events) -> model.ant' on standard error; the "
    "file loads in Tellurium: tellurium.loada(open('model.ant').read()).simulate(0, 407, 408).",
)


def _check_options(config: str | None, time_origin: str | None = None) -> None:
    """Reject a missing configuration file or an unknown time origin (exit 2) before any work."""
    from ..io import TIME_ORIGINS

    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    if time_origin is not None and time_origin not in TIME_ORIGINS:
        raise InvalidInputError(
            f"The '--time-origin' option must be one of {', '.join(TIME_ORIGINS)}. Got {time_origin!r} instead."
        )


def _write_model(noun: str, render: Callable[..., str], file: str, config: str | None, time_origin: str) -> None:
    """Write ``render(plan, time_origin=...)`` of the configured patient to FILE (``-``: standard output)."""
    from ..journey import load_config, plan_patient

    _check_options(config, time_origin)
    if file == "-":
        sys.stdout.write(render(plan_patient(load_config(config)), time_origin=time_origin))
        return
    with atomic_file(file) as tmp:  # opened first: an unwritable FILE is reported before any work
        plan = plan_patient(load_config(config))
        tmp.write_text(render(plan, time_origin=time_origin), encoding="utf-8")
    _report(noun, _model_summary(plan), file)


def _model_summary(plan: PatientPlan) -> str:
    from ..model import default_model

    d = default_model().definition
    n_events = len({dose.time_day for dose in plan.doses})
    return f"{len(d.states)} states, {len(d.observables)} observables, {n_events} dose events"


def _report(noun: str, summary: str, target: str | Path) -> None:
    typer.echo(f"wrote {noun} ({summary}) -> {target}", err=True)


@export_app.command("sbml", help="\n\n".join(_SBML_HELP))
def sbml(
    file: str = typer.Argument(..., help="Output SBML file (.xml), or - for standard output."),
    config: str | None = _CONFIG,
    time_origin: str = _TIME_ORIGIN,
) -> None:
    """Write the SBML export of a patient (see the command's help)."""
    from ..io import to_sbml

    _write_model("SBML", to_sbml, file, config, time_origin)


@export_app.command("antimony", help="\n\n".join(_ANTIMONY_HELP))
def antimony(
    file: str = typer.Argument(..., help="Output Antimony file (.ant), or - for standard output."),
    config: str | None = _CONFIG,
    time_origin: str = _TIME_ORIGIN,
) -> None:
    """Write the Antimony export of a patient (see the command's help)."""
    from ..io import to_antimony

    _write_model("Antimony", to_antimony, file, config, time_origin)


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
    config: str | None = _CONFIG,
) -> None:
    """Write the PEtab export of the calibration problem (see the command's help)."""
    import pandas as pd

    from ..io import write_petab

    _check_options(config)
    paths = write_petab(directory, config)
    parameters = pd.read_csv(Path(directory) / "parameters.tsv", sep="\t")
    measurements = pd.read_csv(Path(directory) / "measurements.tsv", sep="\t")
    summary = f"{int(parameters['estimate'].sum())} estimated parameters, {len(measurements)} measurements"
    _report("PEtab problem", summary, paths[0])
