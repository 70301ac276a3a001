"""The vocabulary of a visits table and the checks of its cells, with one report of every offending cell.

A visits table (a CSV file or a DataFrame) has ``patient_id`` plus any column of :data:`VISIT_COLUMNS`. Each cell
is checked against its column's declaration (a number in range with its unit, a count, a boolean), every problem
is collected as a (row, column, what is allowed, what came in) record, and :func:`report` words them as one
message: rows are 1-based data rows, with the file line when the table came from a file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import InvalidInputError, excerpt
from ._remission import PGA_MAX
from ._sledai2k import (
    DAYS_SINCE_SUFFIX,
    DESCRIPTOR_NAMES,
    FIELD_SPECS,
    NOT_DUE_SUFFIX,
    BoolArray,
    FieldSpec,
    FloatArray,
)

if TYPE_CHECKING:
    import pandas as pd

#: Columns the scorer adds; an input that already has one is refused.
OUTPUT_COLUMNS: tuple[str, ...] = ("sledai2k", "clinical_sledai2k", "doris_2021", "lldas")
#: Flags outside SLEDAI-2K that LLDAS reads, with the scalar function's default for an empty cell.
BOOL_DEFAULTS: dict[str, bool] = {
    "hemolytic_anemia": False,
    "gi_activity": False,
    "standard_maintenance": True,
}
_EXTRA_SPECS: dict[str, FieldSpec] = {
    "day": FieldSpec("day", "days since infusion", low=-3650, high=36500),
    "pga": FieldSpec("pga", "0–3 scale", high=PGA_MAX),
    "prednisone_mg_per_day": FieldSpec("prednisone_mg_per_day", "mg/day", high=2000),
}
_DAYS_SINCE_SPEC = FieldSpec("days_since", "days", high=36500)
#: Every column a visits table may have, besides ``patient_id``: descriptor booleans, measurements,
#: per-descriptor attribution (``<descriptor>_not_due_to_sle``) and timing (``<descriptor>_days_since``),
#: and the remission inputs.
BOOLEAN_COLUMNS: tuple[str, ...] = (
    *DESCRIPTOR_NAMES,
    *(d + NOT_DUE_SUFFIX for d in DESCRIPTOR_NAMES),
    *BOOL_DEFAULTS,
)
NUMERIC_COLUMNS: dict[str, FieldSpec] = {
    **FIELD_SPECS,
    **{d + DAYS_SINCE_SUFFIX: _DAYS_SINCE_SPEC for d in DESCRIPTOR_NAMES},
    **_EXTRA_SPECS,
}
VISIT_COLUMNS: tuple[str, ...] = ("patient_id", *NUMERIC_COLUMNS, *BOOLEAN_COLUMNS)
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
#: Offending cells listed in one message (the rest are counted).
MAX_LISTED_ERRORS = 200
#: Offending column names listed in one message (the rest are counted).
MAX_LISTED_COLUMNS = 20


@dataclass(frozen=True)
class Problem:
    """One offending cell: 0-based row position, column, what is allowed, what came in."""

    row: int
    column: str
    message: str
    got: object


def check_columns(columns: Sequence[object]) -> None:
    """Refuse a missing ``patient_id``, unknown, duplicate or computed columns (at most
    :data:`MAX_LISTED_COLUMNS` named, each cut short)."""
    names = [str(c) for c in columns]
    problems: list[str] = []
    if "patient_id" not in names:
        problems.append("missing required column 'patient_id'")
    seen: set[str] = set()
    for name in names:
        shown = excerpt(name)
        if name in seen:
            problems.append(f"duplicate column {shown}")
        seen.add(name)
        if name in OUTPUT_COLUMNS:
            problems.append(f"column {shown} is computed by the scorer; remove it from the input")
        elif name not in VISIT_COLUMNS:
            problems.append(f"unknown column {shown}")
    if problems:
        more = len(problems) - MAX_LISTED_COLUMNS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise InvalidInputError(
            "The visits table's columns must be 'patient_id' plus any of the documented fields "
            "(see `lupuscart score --help`):\n  " + "\n  ".join(problems[:MAX_LISTED_COLUMNS]) + tail
        )


def rows_of(mask: BoolArray) -> list[int]:
    """Positions where ``mask`` is true."""
    return [int(i) for i in np.flatnonzero(mask)]


def _text(series: pd.Series[Any]) -> pd.Series[Any]:
    """Cells as stripped text (missing cells become empty strings)."""
    return series.astype("str").fillna("").str.strip()


def blank(series: pd.Series[Any]) -> BoolArray:
    """Cells that are missing or only whitespace."""
    out: BoolArray = series.isna().to_numpy(dtype=bool) | (_text(series) == "").to_numpy(dtype=bool)
    return out


def multiline(series: pd.Series[Any]) -> BoolArray:
    """Text cells holding a line break (a visit's values are single-line; the scored CSV keeps cells as given)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if is_bool_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        return np.zeros(len(series), dtype=bool)
    out: BoolArray = series.astype(str).str.contains("[\r\n]", regex=True).to_numpy(dtype=bool)
    return out


def _as_float(name: str, series: pd.Series[Any], problems: list[Problem]) -> FloatArray:
    """Cells → floats, NaN for missing; non-numeric text and infinities are problems."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if is_bool_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    else:
        text = _text(series)
        empty = (text == "").to_numpy(dtype=bool) | series.isna().to_numpy(dtype=bool)
        x = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan, copy=True
        )
        for i in rows_of(np.isnan(x) & ~empty):
            problems.append(Problem(i, name, "a number", series.iloc[i]))
    for i in rows_of(np.isinf(x)):
        problems.append(Problem(i, name, "a finite number", series.iloc[i]))
    x[np.isinf(x)] = np.nan
    return x


def numeric(name: str, series: pd.Series[Any], spec: FieldSpec, problems: list[Problem]) -> FloatArray:
    """A numeric column as floats (NaN: not recorded); cells outside ``spec`` are problems and become NaN."""
    before = len(problems)
    x = _as_float(name, series, problems)
    bad_rows = {p.row for p in problems[before:]}
    with np.errstate(invalid="ignore"):
        low_bad = x <= spec.low if not spec.low_inclusive else x < spec.low
        out_of_range = low_bad | (x > spec.high)
        not_integer = (~np.isnan(x) & (x != np.floor(x))) if spec.count else np.zeros(len(x), dtype=bool)
    kind = "a non-negative integer count" if spec.count else "a number"
    bracket = "[" if spec.low_inclusive else "("
    allowed = f"{kind} in {bracket}{spec.low:g}, {spec.high:g}] ({spec.unit}){spec.hint}"
    for i in rows_of(out_of_range | not_integer):
        if i not in bad_rows:
            problems.append(Problem(i, name, allowed, series.iloc[i]))
    x[out_of_range | not_integer] = np.nan
    return x


def boolean(name: str, series: pd.Series[Any], problems: list[Problem]) -> FloatArray:
    """A boolean column as 1.0/0.0 (NaN: not recorded); anything but true/false, yes/no, 1/0 is a problem."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    allowed = "a boolean (true/false, yes/no, 1/0) or empty"
    if is_bool_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        bad = ~np.isnan(x) & (x != 0.0) & (x != 1.0)
    else:
        text = _text(series)
        empty = (text == "").to_numpy(dtype=bool) | series.isna().to_numpy(dtype=bool)
        words = text.str.lower().to_numpy(dtype=object)
        x = np.full(len(series), np.nan)
        x[np.isin(words, list(_TRUE)) & ~empty] = 1.0
        x[np.isin(words, list(_FALSE)) & ~empty] = 0.0
        bad = np.isnan(x) & ~empty
    for i in rows_of(bad):
        problems.append(Problem(i, name, allowed, series.iloc[i]))
    x[bad] = np.nan
    return x


def report(problems: Iterable[Problem], lines: Sequence[int] | None) -> str:
    """One message listing the offending cells in row order (at most :data:`MAX_LISTED_ERRORS`), each as
    ``row R (line L), column 'c': must be ...; got ...``."""
    ordered = sorted(problems, key=lambda p: (p.row, p.column))
    shown = [
        f"row {p.row + 1}{'' if lines is None else f' (line {lines[p.row]})'}, column {p.column!r}: "
        f"must be {p.message}; got {_show(p.got)}"
        for p in ordered[:MAX_LISTED_ERRORS]
    ]
    more = len(ordered) - len(shown)
    tail = f"\n  ... and {more} more" if more else ""
    return f"{len(ordered)} invalid cell(s) in the visits table:\n  " + "\n  ".join(shown) + tail


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "an empty cell"
    if isinstance(value, str) and not value.strip():
        return "an empty cell"
    return excerpt(value.item() if hasattr(value, "item") else value)
