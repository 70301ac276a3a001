"""``lupuscart score``: score a file of real (or simulated) visits with the clinical instruments."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import typer

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
    from ..clinical import score_visits_csv

    if example == (visits is not None):
        raise InvalidInputError(
            "The 'VISITS' argument must be given exactly once: a CSV path, - for standard input, or --example. "
            f"Got visits={visits!r}, --example={example} instead."
        )
    source = str(Path(__file__).parent.parent / "data" / "example_visits.csv") if visits is None else visits
    scored = score_visits_csv(source, window_days=window_days)
    text = scored.to_csv(index=False, lineterminator="\n")
    if out == "-":
        sys.stdout.write(text)
        return
    _write_atomically(Path(out), text)
    typer.echo(f"scored {len(scored)} visits -> {out}", err=True)


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file next to ``path`` and rename it into place only when complete."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
