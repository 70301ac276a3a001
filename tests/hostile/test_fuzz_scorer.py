"""Property-based fuzzing of the visits CSV scorer (hypothesis): any text is scored or refused with a bounded
message; empty rows never change a result or a line number; a bad cell is reported at its own file line; the
scored file never holds a cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.clinical import score_visits_csv, scored_csv_text
from lupuscart.exceptions import InvalidInputError

FUZZ = settings(max_examples=150, deadline=None)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CELLS: dict[str, st.SearchStrategy[str]] = {
    "day": st.integers(-30, 1000).map(str),
    "rash": st.sampled_from(["yes", "no", "", "true", "0"]),
    "arthritis_joints": st.integers(0, 10).map(str),
    "temperature_c": st.sampled_from(["36.5", "38.2", "", "39"]),
    "pga": st.sampled_from(["0", "0.4", "1", "2.5"]),
    "prednisone_mg_per_day": st.sampled_from(["0", "5", "7.5", "20"]),
}
identifiers = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() != ""
)


@st.composite
def visit_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A valid visits table: distinct (patient, day), random columns, random patient identifiers."""
    columns = ["patient_id", *draw(st.lists(st.sampled_from(sorted(CELLS)), unique=True, max_size=len(CELLS)))]
    patients = draw(st.lists(identifiers, min_size=1, max_size=4, unique_by=str.strip))
    rows = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(1, 8))):
        row = [draw(st.sampled_from(patients))] + [draw(CELLS[c]) for c in columns[1:]]
        key = (row[0].strip(), row[columns.index("day")] if "day" in columns else str(len(seen)))
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    if "pga" in columns and "prednisone_mg_per_day" in columns and "day" not in columns:
        rows = [r for r in rows if r[0].strip() == rows[0][0].strip()][:1]  # one visit each: no order needed
    return columns, rows


def _csv(header: list[str], rows: list[list[str]], junk: dict[int, str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for row in [header, *rows]:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        lines.append(out.getvalue())
    for at, text in sorted((junk or {}).items(), reverse=True):
        lines.insert(min(at, len(lines)), text)
    return "".join(lines)


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_is_scored_or_refused_briefly(text: str) -> None:
    message = ""
    try:
        score_visits_csv(io.StringIO(text))
    except InvalidInputError as exc:
        message = str(exc)
    assert message.count("\n") <= 205
    assert len(message) < 60_000


@FUZZ
@given(
    table=visit_files(),
    junk=st.dictionaries(st.integers(1, 10), st.sampled_from(["\n", ",\n", ",,,,\r\n", " , \n", "\r"])),
)
def test_empty_rows_change_nothing(table: tuple[list[str], list[list[str]]], junk: dict[int, str]) -> None:
    header, rows = table
    plain = score_visits_csv(io.StringIO(_csv(header, rows)))
    padded = score_visits_csv(io.StringIO(_csv(header, rows, junk)))
    pd.testing.assert_frame_equal(plain, padded)


@FUZZ
@given(
    table=visit_files(),
    junk=st.dictionaries(st.integers(1, 10), st.sampled_from(["\n", ",\n", ",,,,\n"])),
    data=st.data(),
)
def test_a_bad_cell_is_reported_at_its_own_line(
    table: tuple[list[str], list[list[str]]], junk: dict[int, str], data: st.DataObject
) -> None:
    header, rows = table
    header = [*header, "temperature_c"] if "temperature_c" not in header else header
    rows = [[*r, "37"] if len(r) < len(header) else r for r in rows]
    victim = data.draw(st.integers(0, len(rows) - 1))
    rows[victim][header.index("temperature_c")] = "BAD-CELL"
    text = _csv(header, rows, junk)
    with pytest.raises(InvalidInputError) as info:
        score_visits_csv(io.StringIO(text))
    reported = str(info.value).split("(line ", 1)[1].split(")", 1)[0]
    assert "BAD-CELL" in io.StringIO(text, newline="").readlines()[int(reported) - 1]
    assert f"row {victim + 1} (line {reported})" in str(info.value)


@FUZZ
@given(table=visit_files(), order=st.randoms(use_true_random=False))
def test_row_order_does_not_change_any_visits_score(table: tuple[list[str], list[list[str]]], order: Any) -> None:
    header, rows = table
    shuffled = rows[:]
    order.shuffle(shuffled)
    a = score_visits_csv(io.StringIO(_csv(header, rows)))
    b = score_visits_csv(io.StringIO(_csv(header, shuffled)))
    keys = ["patient_id", "day"] if "day" in header else list(a.columns)
    sort = [c for c in keys if c in a.columns]
    pd.testing.assert_frame_equal(
        a.sort_values(sort, kind="stable").reset_index(drop=True),
        b.sort_values(sort, kind="stable").reset_index(drop=True),
    )


@FUZZ
@given(table=visit_files(), payloads=st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4))
def test_the_scored_file_has_no_cell_a_spreadsheet_would_run(
    table: tuple[list[str], list[list[str]]], payloads: list[str]
) -> None:
    header, rows = table
    for k, payload in enumerate(payloads):
        if payload.strip():
            rows[k % len(rows)][0] = payload
    try:
        scored = score_visits_csv(io.StringIO(_csv(header, rows)))
    except InvalidInputError:
        return  # e.g. two payloads became one patient with two visits on a day: refused, nothing written
    for record in list(csv.reader(io.StringIO(scored_csv_text(scored))))[1:]:
        for cell in record:
            if cell.startswith(TRIGGERS):
                float(cell)  # only numbers may start so
