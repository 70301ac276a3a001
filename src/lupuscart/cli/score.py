"""``lupuscart score``: score a file of real (or simulated) visits with the clinical instruments."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from .._atomic import atomic_file
from ..exceptions import InvalidInputError

_PARAGRAPHS = (
    "Score visits: add SLEDAI-2K, clinical SLEDAI-2K and, where PGA and prednisone are given, DORIS 2021 "
    "remission and LLDAS to every row of a CSV file.",
    "VISITS is a CSV path or - for standard input. Columns: patient_id (required), day, then any field of "
    "lupuscart.clinical.sledai2k (descriptor booleans such as rash; measurements such as arthritis_joints, "
    "proteinuria_g_per_24h, temperature_c, c3_g_per_l with c3_lln_g_per_l, anti_dsdna with anti_dsdna_uln), "
    "<descriptor>_not_due_to_sle, <descriptor>_days_since, pga, prednisone_mg_per_day, hemolytic_anemia, "
    "gi_activity, standard_maintenance. Booleans are true/false, yes/no or 1/0; empty cells are 'not recorded'.",
    "A bad file (missing patient_id, unknown column, non-numeric value, negative count, ragged row) exits with "
    "status 2 and a message naming every offending row (1-based data row and file line) and column; nothing "
    "is written.",
    "Example, on the example file that ships with the package (lupuscart/data/example_visits.csv):",
    "  lupuscart score --example --out scored.csv",
    "writes scored.csv with sledai2k, clinical_sledai2k, doris_2021 and lldas appended. Its first row (SLE-01, "
    "day -5: arthritis, rash, alopecia, proteinuria, haematuria, low C3, anti-dsDNA) scores 20 (clinical 16); "
    "on day 7 the fever (CRS) and the cytopenias (lymphodepletion) are marked not due to SLE and do not score.",
)


def register(app: typer.Typer) -> None:
    """Attach ``score`` to the root command."""
    app.command("score", help="\n\n".join(_PARAGRAPHS))(score)


def score(
    visits: str | None = typer.Argument(None, help="Visits CSV file, or - for standard input."),
    out: str = typer.Option("-", "--out", "-o", help="Output CSV file, or - for standard output."),
    window_days: int = typer.Option(10, "--window-days", help="SLEDAI-2K look-back window: 10 or 30 days."),
    example: bool = typer.Option(False, "--example", help="Score the example visits file shipped with lupuscart."),
) -> None:
    """Score a visits CSV file (see the command's help for the columns)."""
    from ..clinical import score_visits_csv, scored_csv_text

    if example == (visits is not None):
        raise InvalidInputError(
            "The 'VISITS' argument must be given exactly once: a CSV path, - for standard input, or --example. "
            f"Got visits={visits!r}, --example={example} instead."
        )
    source = str(Path(__file__).parent.parent / "data" / "example_visits.csv") if visits is None else visits
    if out == "-":
        sys.stdout.write(scored_csv_text(score_visits_csv(source, window_days=window_days)))
        return
    if source != "-" and _same_file(Path(source), Path(out)):
        raise InvalidInputError(
            f"The '--out' option must name another file than the visits file (it would be overwritten). Got {out!r}."
        )
    with atomic_file(out) as tmp:  # opened first: an unwritable --out is reported before any work
        scored = score_visits_csv(source, window_days=window_days)
        tmp.write_text(scored_csv_text(scored), encoding="utf-8", newline="")
    typer.echo(f"scored {len(scored)} visits -> {out}", err=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False
