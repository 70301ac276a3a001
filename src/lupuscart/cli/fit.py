"""``lupuscart fit``: a patient's digital twin from the patient's own measurements."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import typer

from .._atomic import atomic_directory
from ..exceptions import InvalidInputError

_HELP = (
    "Fit a digital twin to one patient's measurements over time and predict the course: B-cell return, relapse "
    "and drug-free remission by month 24, IgG, with 90 % bands. The individual parameters (the population model's "
    "random effects on CAR T expansion and contraction, killing, IL-6 induction, marrow regrowth, organ healing, "
    "endothelial susceptibility, and the baseline labs) are estimated by maximum a posteriori with the population "
    "variability as prior, with a Laplace approximation of their uncertainty.",
    "VISITS.csv is long format: patient_id, day (after infusion; screening values negative), variable (b_cells, "
    "car_t, anti_dsdna, c3, igg, proteinuria, sledai2k), value, unit (cells/uL or 10^9/L; IU/mL; g/L or mg/dL; "
    "g/24h or mg/24h; points). Values on or before day 0 set the baseline. --config gives the rest of the patient "
    "(weight, height, manifestations) and the protocol, as for 'lupuscart simulate'. --until DAY fits only the "
    "measurements up to DAY (to see what early data predict). A bad file exits 2 naming the row and column.",
    "--out DIR writes parameters.csv, prediction.csv (day, variable, MAP course, 5/50/95th percentiles), "
    "outcomes.csv (one row per posterior draw), twin.json and observed_vs_predicted.png. --json prints twin.json.",
    "Example:",
    "  lupuscart fit --example --until 60 --out twin",
    "fits the shipped example patient (synthetic, measured to day 180) on its first 60 days and prints the "
    "individual parameters and the predicted B-cell return (about 10 s).",
)


def register(app: typer.Typer) -> None:
    """Attach ``fit`` to the root command."""
    app.command("fit", help="\n\n".join(_HELP))(fit)


def example_path(name: str) -> Path:
    """A file of the shipped example patient (synthetic; see docs/uncertainty.md): ``example_twin_visits.csv``
    (measurements) or ``example_twin_patient.yaml`` (the rest of the patient)."""
    return Path(str(resources.files("lupuscart") / "data" / name))


def _print(body: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title=f"Digital twin of {body['patient_id']}: individual parameters (fitted to day {body['until']:g})")
    for col in ("Parameter", "Typical", "Individual (90 % interval)", "SD shrinks by"):
        t.add_column(col, justify="left" if col == "Parameter" else "right")
    for p in body["parameters"]:
        t.add_row(
            p["parameter"],
            f"{p['typical']:.3g}",
            f"{p['individual']:.3g} ({p['individual_p05']:.3g}-{p['individual_p95']:.3g})",
            f"{100 * p['shrinkage_of_sd']:.0f} %",
        )
    console.print(t)
    pr = body["prediction"]
    ret = pr.get("b_cell_return_day")
    lines = []
    if ret:
        lines.append(f"B-cell return day: {ret['median']:.0f} (90 % {ret['p05']:.0f}-{ret['p95']:.0f})")
    for key, label in (
        ("relapse_month24_probability", "relapse by month 24"),
        ("drug_free_remission_month24_probability", "drug-free remission at month 24"),
        ("doris_month3_probability", "DORIS at month 3"),
    ):
        if pr.get(key) is not None:
            lines.append(f"{label}: {100 * pr[key]:.0f} %")
    igg = pr.get("igg_nadir_g_l")
    if igg:
        lines.append(f"IgG nadir: {igg['median']:.2f} g/L (90 % {igg['p05']:.2f}-{igg['p95']:.2f})")
    console.print("Predicted (" + f"{pr['draws']} posterior draws): " + "; ".join(lines))


def fit(
    visits: str | None = typer.Argument(None, help="Measurements (CSV, long format); omit with --example."),
    example: bool = typer.Option(False, "--example", help="Fit the shipped example patient."),
    patient: str | None = typer.Option(None, "--patient", help="patient_id to fit when the file holds several."),
    config: str | None = typer.Option(None, "--config", "-c", help="Patient and protocol (simulate's YAML)."),
    until: float | None = typer.Option(None, "--until", help="Fit only the measurements up to this day."),
    draws: int = typer.Option(200, "--draws", help="Posterior draws for the bands (10-10000)."),
    horizon: int = typer.Option(730, "--horizon", help="Days after infusion to predict (60-3650)."),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed of the posterior draws."),
    out: str | None = typer.Option(None, "--out", "-o", help="Directory for tables, twin.json and the figure."),
    as_json: bool = typer.Option(False, "--json", help="Print twin.json and nothing else."),
) -> None:
    """Fit a patient's digital twin (see the command's help)."""
    from .._config_io import read_mapping
    from ..twin import fit_map, predict, prepare, read_visits
    from ..twin._report import twin_record, write_twin

    if (visits is None) == (not example):
        raise InvalidInputError("Give either a VISITS.csv file or --example (not both, not neither).")
    if not 10 <= draws <= 10_000:
        raise InvalidInputError(f"The '--draws' option must be an integer in [10, 10000]. Got {draws} instead.")
    if not 60 <= horizon <= 3650:
        raise InvalidInputError(f"The '--horizon' option must be an integer in [60, 3650]. Got {horizon} instead.")
    if seed < 0:
        raise InvalidInputError(f"The '--seed' option must be a non-negative integer. Got {seed} instead.")
    if until is not None and not 0 < until <= 3650:
        raise InvalidInputError(f"The '--until' option must be a day in (0, 3650]. Got {until:g} instead.")
    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InvalidInputError(f"The '--out' option must be a directory. Got {out!r}, an existing file, instead.")
    table = read_visits(example_path("example_twin_visits.csv") if example else str(visits), patient)
    if example and config is None:
        config = str(example_path("example_twin_patient.yaml"))
    cfg, _ = read_mapping(config, "configuration")

    def fit() -> tuple[Any, Any, dict[str, Any]]:
        result = fit_map(prepare(table, cfg, until=until))
        prediction = predict(result, draws=draws, seed=seed, horizon_days=horizon)
        return result, prediction, twin_record(table, result, prediction, seed)

    if out is None:
        result, prediction, body = fit()
    else:
        with atomic_directory(out) as stage:  # opened first: an unwritable --out is reported before the fit
            result, prediction, body = fit()
            staged = write_twin(stage, table, result, prediction, body)
        if not as_json:
            typer.echo(f"wrote {', '.join(str(Path(out) / p.relative_to(stage)) for p in staged)}")
    if as_json:
        sys.stdout.write(json.dumps(body) + "\n")
        return
    _print(body)
