"""``lupuscart simulate``: one patient from washout to the end of follow-up."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .._atomic import atomic_directory
from .._run_arguments import MAX_SEED
from ..exceptions import InvalidInputError


def register(app: typer.Typer) -> None:
    """Attach ``simulate`` to the root command."""
    app.command("simulate")(simulate)


def simulate(
    config: Path | None = typer.Option(
        None, "--config", help="YAML configuration (defaults: embedded patient and Erlangen-like protocol)."
    ),
    days: int | None = typer.Option(
        None, "--days", help="Follow-up after infusion in days (overrides followup.days; 30-3650)."
    ),
    seed: int = typer.Option(0, "--seed", min=0, max=MAX_SEED, help="Seed of the patient's random events."),
    no_management: bool = typer.Option(
        False,
        "--no-management",
        help="Switch off tocilizumab/steroid "
        "management: a plain ODE problem with scheduled doses (as the SBML export).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Write timecourse.csv (wide) and timecourse.parquet (tidy long), events.csv (NONMEM-style with "
        "prose), visits.csv (ready for `lupuscart score`), visits_scored.csv, summary.json, parameters.json (every "
        "model parameter) and patient.png here.",
    ),
    events: Path | None = typer.Option(
        None,
        "--events",
        help="Event table (CSV, NONMEM/mrgsolve style: ID,TIME,EVID,AMT,CMT,RATE,ADDL,II; TIME in days, day 0 = "
        "infusion) whose doses replace the protocol's: re-infusions, split doses, other lymphodepletion doses. "
        "An events.csv written by --out is accepted as it is.",
    ),
    engine: str = typer.Option(
        "reference",
        "--engine",
        help="ODE engine: reference (scipy LSODA) or fast (compiled Rodas4; see docs/engine.md).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object and nothing else."),
) -> None:
    """Simulate one patient treated with CD19 CAR T cells.

    Examples:

      lupuscart simulate --json

      lupuscart simulate --config patient.yaml --days 730 --out run1

      lupuscart simulate --no-management --seed 3 --out plain

      lupuscart simulate --events reinfusion.csv --out reinfused
    """
    from ..journey import load_config, simulate_patient
    from ..journey._config import with_followup_days

    cfg = load_config(config)
    if days is not None:
        if not 30 <= days <= 3650:
            raise InvalidInputError(f"--days must be between 30 and 3650 (days after infusion); got {days}")
        cfg = with_followup_days(cfg, days)  # a standard visit schedule follows the new follow-up
    doses = None
    if events is not None:
        from ..io import read_event_table
        from ..journey import plan_patient

        plan = plan_patient(cfg)
        doses = read_event_table(events, t_start=plan.t_start, t_end=plan.t_end)
    if engine == "fast" and not as_json:
        from ..engine import fast_engine_ready

        if not fast_engine_ready():
            typer.echo("compiling the fast engine (first use on this machine, about a minute)...", err=True)
    if out is None:
        result = simulate_patient(cfg, seed=seed, management=not no_management, engine=engine, doses=doses)
    else:
        with atomic_directory(out) as stage:  # opened first: an unwritable --out is reported before any work
            result = simulate_patient(cfg, seed=seed, management=not no_management, engine=engine, doses=doses)
            _write_outputs(result, stage, seed, not no_management)
    if as_json:
        typer.echo(json.dumps(result.summary.as_dict()))
        return
    _print_summary(result.summary.as_dict(), out)


def _write_outputs(result: object, out: Path, seed: int, management: bool) -> None:
    from ..clinical import score_visits
    from ..io import event_table
    from ..journey import PatientResult, parameter_record, timecourse_frame, timecourse_long, visits_frame
    from ..report import patient_figure

    assert isinstance(result, PatientResult)
    timecourse_frame(result).to_csv(out / "timecourse.csv", index=False, float_format="%.6g")
    timecourse_long(result).to_parquet(out / "timecourse.parquet", index=False)
    event_table(result).to_csv(out / "events.csv", index=False)
    visits = visits_frame(result)
    visits.to_csv(out / "visits.csv", index=False)  # full precision: thresholds score as in the simulator
    scored = score_visits(visits)
    scored.to_csv(out / "visits_scored.csv", index=False)
    (out / "summary.json").write_text(json.dumps(result.summary.as_dict(), indent=2))
    record = {
        "seed": seed,
        "management": management,
        "model_version": result.summary.model_version,
        "model_fingerprint": result.summary.model_fingerprint,
        "config": result.plan.config.model_dump(mode="json"),
        "model_parameters": result.plan.parameters,
        "parameters": parameter_record(result),
        "doses": [
            {"day": d.time_day, "compartment": d.state, "amount": d.amount, "label": d.label} for d in result.plan.doses
        ],
    }
    (out / "parameters.json").write_text(json.dumps(record, indent=2))
    patient_figure(result, out / "patient.png")


def _print_summary(summary: dict[str, object], out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="lupuscart: one patient", show_header=True)
    table.add_column("endpoint")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key in {"serious_infection_days"}:
            continue
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        table.add_row(key, shown)
    console = Console()
    console.print(table)
    if out is not None:
        console.print(
            f"outputs written to {out}/ (timecourse.csv/.parquet, events.csv, visits.csv, visits_scored.csv, "
            "parameters.json, patient.png)"
        )
