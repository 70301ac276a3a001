"""``lupuscart trial``: run a virtual trial and report its endpoints (and ``lupuscart demo`` builds on it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .._atomic import atomic_directory
from .._run_arguments import check_run_arguments
from ..exceptions import InvalidInputError, shorten

if TYPE_CHECKING:
    from ..trial import Endpoint

#: Values of ``--engine`` (the engines a trial configuration accepts).
ENGINE_CHOICES = ("reference", "fast")

_HELP = (
    "Run a virtual trial: sample a population of refractory lupus nephritis patients, simulate each under every "
    "arm, and report endpoints with 95 % intervals (Wilson for rates), Kaplan-Meier curves, SLEDAI-2K over visits, "
    "toxicity by grade and manufacturing failures. Same seed, same endpoints, whatever the number of workers.",
    "--config is a trial YAML (population, protocol, arms, patients, seed; see lupuscart.trial.load_trial_config); "
    "without it the default trial runs (CD19 CAR T 1e6/kg after Erlangen lymphodepletion). --out DIR writes "
    "patients.parquet, patients.csv, visits.parquet, endpoints.json, trial.json and figures. --json prints the "
    "endpoints as one JSON object and nothing else.",
    "--workers W (W > 1) starts a local Dask cluster of W worker processes on 127.0.0.1; --scheduler ADDRESS runs "
    "on an existing Dask cluster instead (started with 'dask scheduler' and 'dask worker ADDRESS'; --workers is "
    "then ignored). --checkpoint DIR streams each finished chunk of patients to Parquet files in DIR: a run that is "
    "killed and started again with the same arguments resumes from the finished chunks and gives the same result; "
    "a checkpoint of other arguments or another model version, or a corrupted chunk file, is refused (exit 2). "
    "A patient whose solve fails is retried with a tighter tolerance, then counted in solver_failures.",
    "--replicates R adds parameter uncertainty: R replicate trials of the same size, each with the calibrated "
    "parameters drawn from the calibration's covariance and a fresh population (as rxode2's nStud); every endpoint "
    "then also gets a 95 % prediction interval <key>_pi (shown as 'PI' in the table) next to its sampling interval "
    "<key>_ci.",
    "Example:",
    "  lupuscart trial --patients 40 --seed 1 --workers 2 --out trial-output",
    "prints a table of endpoints (e.g. 'DORIS month 3 ... (95 % CI)') and writes trial-output/.",
)


def _cell(e: dict[str, Any], endpoint: Endpoint, percent: bool) -> str:
    key = endpoint.key
    v = e.get(key)
    if v is None:
        return "-"
    ci = e.get(f"{key}_ci")
    if percent:
        s = f"{100 * v:.1f} %"
        if ci and None not in ci:
            s += f" ({100 * ci[0]:.1f}-{100 * ci[1]:.1f})"
        return s + _prediction(e, endpoint)
    s = f"{v:.3g}"
    if ci and None not in ci:
        s += f" ({ci[0]:.3g}-{ci[1]:.3g})"
    return s + _prediction(e, endpoint)


def _prediction(e: dict[str, Any], endpoint: Endpoint) -> str:
    pi = e.get(f"{endpoint.key}_pi")
    if not pi or None in pi:
        return ""
    scale = 100.0 if endpoint.kind == "rate" else 1.0
    return f"\nPI {scale * pi[0]:.3g}-{scale * pi[1]:.3g}"


def print_summary(endpoints: dict[str, Any], title: str) -> None:
    """Print the endpoint table (one column per arm) and the small-trial table with rich on standard output."""
    from rich.console import Console
    from rich.table import Table

    from ..trial import ENDPOINTS, PERCENT_KINDS

    arms = endpoints["arms"]
    caption = "rates: Wilson 95 % CI; medians: order-statistic CI; mean: t CI"
    if "parameter_uncertainty" in endpoints:
        caption += "; PI: 95 % prediction interval over replicate trials with the parameters' uncertainty"
    table = Table(title=title, caption=caption)
    table.add_column("Endpoint")
    for arm, e in arms.items():
        table.add_column(f"{arm}\n(n={e['patients']}, infused {e['infused']})", justify="right")
    for endpoint in ENDPOINTS:
        percent = endpoint.kind in PERCENT_KINDS
        table.add_row(endpoint.label, *(_cell(e, endpoint, percent) for e in arms.values()))
    console = Console()
    console.print(table)
    first = next(iter(arms.values()))
    if first.get("small_trial"):
        st = Table(title="Small-trial realism (first arm): probability that a trial of n patients sees ...")
        st.add_column("n", justify="right")
        st.add_column("100 % DORIS at month 3", justify="right")
        st.add_column(">= 1 CRS grade >= 2", justify="right")
        st.add_column(">= 1 ICANS", justify="right")
        st.add_column("observed DORIS rate, 90 % range", justify="right")
        for size, t in first["small_trial"].items():
            d = t.get("doris_month3", {})
            st.add_row(
                size,
                f"{100 * d.get('p', float('nan')):.0f} %",
                f"{100 * t.get('crs_grade2plus', {}).get('p', float('nan')):.0f} %",
                f"{100 * t.get('icans_any', {}).get('p', float('nan')):.0f} %",
                f"{100 * d.get('rate_p5', float('nan')):.0f}-{100 * d.get('rate_p95', float('nan')):.0f} %",
            )
        console.print(st)


def run_and_report(
    config: str | None,
    patients: int | None,
    seed: int | None,
    workers: int,
    out: str | None,
    as_json: bool,
    title: str = "Virtual trial",
    scheduler: str | None = None,
    checkpoint: str | None = None,
    chunk_size: int | None = None,
    replicates: int = 0,
    engine: str | None = None,
) -> list[Path]:
    """Shared body of ``trial`` and ``demo``: validate, open the outputs, run, write, print. Returns the figure
    paths. Everything the user gave is checked, and ``--out`` opened, before the first patient is simulated."""
    from ..trial import add_prediction_intervals, load_trial_config, run_trial

    check_run_arguments(
        caller="cli",
        patients=patients,
        seed=seed,
        workers=workers,
        chunk_size=chunk_size,
        replicates=replicates,
        scheduler=scheduler,
    )
    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    if checkpoint is not None and Path(checkpoint).exists() and not Path(checkpoint).is_dir():
        raise InvalidInputError(f"The '--checkpoint' option must be a directory. Got {checkpoint!r}, a file, instead.")
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InvalidInputError(f"The '--out' option must be a directory. Got {out!r}, an existing file, instead.")
    cfg = load_trial_config(config)
    if engine is not None:
        if engine not in ENGINE_CHOICES:
            raise InvalidInputError(f"The '--engine' option must be one of {list(ENGINE_CHOICES)}. Got {engine!r}.")
        cfg = cfg.model_copy(update={"engine": engine})
    options: dict[str, Any] = {"patients": patients, "seed": seed, "workers": workers, "progress": not as_json}
    options |= {"scheduler": scheduler, "checkpoint": checkpoint, "chunk_size": chunk_size}

    def run() -> Any:
        result = run_trial(cfg, **options)
        if replicates:
            add_prediction_intervals(
                result,
                replicates,
                workers=workers,
                scheduler=scheduler,
                checkpoint=checkpoint,
                chunk_size=chunk_size,
                progress=not as_json,
            )
        return result

    figures: list[Path] = []
    if out is None:
        result = run()
    else:
        from ..report import trial_figures, write_trial_report

        with atomic_directory(out) as stage:  # opened first: an unwritable --out is reported before any work
            result = run()
            _check_patients(result)  # a failed trial writes nothing
            result.write(stage)
            staged = trial_figures(result, stage / "figures")
            write_trial_report(result, stage, staged)
        figures = [Path(out) / p.relative_to(stage) for p in staged]
    _check_patients(result)
    if as_json:
        from ..trial._execute import _json_default

        sys.stdout.write(json.dumps(result.endpoints, default=_json_default) + "\n")
    else:
        print_summary(result.endpoints, f"{title}: {cfg.name} (seed {result.config.seed})")
        if out is not None:
            typer.echo(f"results: {out}/report.html, patients.parquet, patients.csv, visits.parquet, endpoints.json")
            typer.echo(f"figures: {', '.join(str(p) for p in figures)}")
    return figures


def _check_patients(result: Any) -> None:
    """A trial whose patients failed must not look like one that ran: internal errors (bugs) exit with status
    1; a trial in which every solve failed exits 2 (its parameters are the likely cause); either way nothing is
    written. Some failed solves are reported on standard error and counted in ``solver_failures``."""
    status = result.patients["status"].astype(str)
    total = len(status)
    errors = status[status.str.startswith("error")]
    if len(errors):
        sys.stderr.write(
            f"error: {len(errors)} of {total} patient simulations failed with an internal error (this is a bug, "
            f"please report it with the command and configuration); nothing was written; the first: "
            f"{shorten(errors.iloc[0], 500)}\n"
        )
        sys.exit(1)
    failed = result.patients[status == "solver_failed"]
    if len(failed) == total and total:
        reason = shorten(str(failed["failure_reason"].iloc[0]), 500)
        raise InvalidInputError(
            f"every patient's solve failed, so the trial has no result and nothing was written (check the "
            f"configuration's model_parameters); the first: {reason}"
        )
    if len(failed):
        sys.stderr.write(
            f"warning: {len(failed)} of {total} patient simulations failed to solve and are excluded from the "
            "endpoints (solver_failures; each one's failure_reason is in patients.csv)\n"
        )


def register(app: typer.Typer) -> None:
    """Attach ``trial`` to the root command."""
    app.command("trial", help="\n\n".join(_HELP))(trial)


def trial(
    config: str | None = typer.Option(None, "--config", "-c", help="Trial configuration (YAML)."),
    patients: int | None = typer.Option(None, "--patients", "-n", help="Patients per arm (default: config, 300)."),
    seed: int | None = typer.Option(None, "--seed", "-s", help="Seed of the whole trial (default: config, 0)."),
    workers: int = typer.Option(
        1, "--workers", "-w", help="Local worker processes; > 1 starts a Dask cluster (result does not depend on it)."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT); --workers is then ignored."
    ),
    checkpoint: str | None = typer.Option(
        None, "--checkpoint", help="Checkpoint directory: finished chunks are kept there and a rerun resumes."
    ),
    chunk_size: int | None = typer.Option(
        None, "--chunk-size", help="Patients per unit of work (default: about 4 per worker, at most 250)."
    ),
    replicates: int = typer.Option(
        0, "--replicates", help="Replicate trials drawing the calibrated parameters (prediction intervals); 0: none."
    ),
    out: str | None = typer.Option(None, "--out", "-o", help="Directory for tables and figures."),
    as_json: bool = typer.Option(False, "--json", help="Print the endpoints as one JSON object and nothing else."),
    engine: str | None = typer.Option(
        None, "--engine", help="ODE engine of every patient: reference or fast (default: the configuration's)."
    ),
) -> None:
    """Run a virtual trial (see the command's help)."""
    run_and_report(
        config,
        patients,
        seed,
        workers,
        out,
        as_json,
        scheduler=scheduler,
        checkpoint=checkpoint,
        chunk_size=chunk_size,
        replicates=replicates,
        engine=engine,
    )
