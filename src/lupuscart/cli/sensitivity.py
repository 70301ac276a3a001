"""``lupuscart sensitivity``: which parameters and covariates decide the clinical outcomes (SALib)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from .._atomic import atomic_directory
from .._run_arguments import check_run_arguments
from ..exceptions import InvalidInputError

_HELP = (
    "Global sensitivity analysis of the model's clinical outputs: DORIS at month 3, drug-free remission at month "
    "24, relapse by month 24, CRS grade >= 2, ICANS, the B-cell return day and the IgG nadir. Morris screening "
    "(mu*) of every model parameter (log-uniform over a fold range set by its evidence tag: E x/÷ 2, C x/÷ 1.5, "
    "D x/÷ 1.25, R and L x/÷ 1.1, cut to its bounds) and of population covariates (5th-95th percentile), then "
    "Sobol indices (S1, ST, bootstrap 95 % intervals) of the most influential factors.",
    "--config is a YAML (method, parameters, covariates, outputs, morris, sobol, protocol, population; see "
    "lupuscart.sensitivity.load_sensitivity_config). --out DIR writes indices.parquet, indices.csv, "
    "sensitivity.json, figures/<output>.png (tornado charts), figures/overview.png and report.html. --json prints "
    "the result as one JSON object and nothing else. --workers, --scheduler and --checkpoint work as for "
    "'lupuscart trial': same seed, same indices, whatever the number of workers; a killed run resumes.",
    "Example:",
    "  lupuscart sensitivity --trajectories 4 --samples 64 --top 5 --out sa",
    "prints the five most influential factors of every output and writes sa/ (992 simulations, about 15 s).",
)


def register(app: typer.Typer) -> None:
    """Attach ``sensitivity`` to the root command."""
    app.command("sensitivity", help="\n\n".join(_HELP))(sensitivity)


def _overrides(
    method: str | None, trajectories: int | None, samples: int | None, top: int | None, seed: int | None
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if method is not None:
        data["method"] = method
    if seed is not None:
        data["seed"] = seed
    if trajectories is not None:
        data["morris"] = {"trajectories": trajectories}
    if samples is not None or top is not None:
        data["sobol"] = {k: v for k, v in (("samples", samples), ("top", top)) if v is not None}
    return data


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def print_top(summary: dict[str, Any], k: int = 5) -> None:
    """Print each output's ``k`` most influential factors (ST, else μ*) with rich."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Most influential factors (top {k})", caption="Sobol ST (else Morris μ*), 95 % interval")
    table.add_column("Output")
    for rank in range(1, k + 1):
        table.add_column(f"#{rank}")
    for info in summary["outputs"].values():
        method = "sobol" if info.get("sobol", {}).get("indices") else "morris"
        index = "ST" if method == "sobol" else "mu_star"
        recs = info.get(method, {}).get("indices", [])[:k]
        cells = [f"{r['factor']}\n{r[index]:.3g}" if r[index] is not None else r["factor"] for r in recs]
        if not recs:
            cells = [info.get(method, {}).get("note", "-")]
        table.add_row(info["label"], *cells, *([""] * (k - len(cells))))
    Console().print(table)


def sensitivity(
    config: str | None = typer.Option(None, "--config", "-c", help="Sensitivity configuration (YAML)."),
    method: str | None = typer.Option(None, "--method", help="morris+sobol (default), morris or sobol."),
    trajectories: int | None = typer.Option(None, "--trajectories", help="Morris trajectories (default 10)."),
    samples: int | None = typer.Option(None, "--samples", help="Sobol base samples N, a power of 2 (default 256)."),
    top: int | None = typer.Option(None, "--top", help="Factors kept for Sobol after Morris (default 25)."),
    seed: int | None = typer.Option(None, "--seed", "-s", help="Seed (default 2024)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes; > 1 starts a Dask cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler."),
    checkpoint: str | None = typer.Option(None, "--checkpoint", help="Checkpoint directory (a rerun resumes)."),
    chunk_size: int | None = typer.Option(None, "--chunk-size", help="Sample points per unit of work."),
    out: str | None = typer.Option(None, "--out", "-o", help="Directory for indices, figures and the report."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object and nothing else."),
) -> None:
    """Run a global sensitivity analysis (see the command's help)."""
    from .._config_io import read_mapping
    from ..sensitivity import load_sensitivity_config, run_sensitivity

    check_run_arguments(caller="cli", seed=seed, workers=workers, chunk_size=chunk_size, scheduler=scheduler)
    if config is not None and not Path(config).is_file():
        raise InvalidInputError(f"The '--config' option must name an existing YAML file. Got {config!r} instead.")
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InvalidInputError(f"The '--out' option must be a directory. Got {out!r}, an existing file, instead.")
    data, _ = read_mapping(config, "sensitivity configuration")
    cfg = load_sensitivity_config(_merge(data, _overrides(method, trajectories, samples, top, seed)))
    options: dict[str, Any] = {"workers": workers, "scheduler": scheduler, "checkpoint": checkpoint}
    options |= {"chunk_size": chunk_size, "progress": not as_json}
    if out is None:
        result = run_sensitivity(cfg, **options)
    else:
        from ..sensitivity._figures import sensitivity_figures
        from ..sensitivity._report import write_sensitivity_report

        with atomic_directory(out) as stage:  # opened first: an unwritable --out is reported before any work
            result = run_sensitivity(cfg, **options)
            result.write(stage)
            figures = sensitivity_figures(result, stage / "figures")
            write_sensitivity_report(result, stage, figures)
    if as_json:
        sys.stdout.write(json.dumps(result.summary) + "\n")
        return
    print_top(result.summary)
    if out is not None:
        typer.echo(f"results: {out}/report.html, indices.parquet, indices.csv, sensitivity.json, figures/")
