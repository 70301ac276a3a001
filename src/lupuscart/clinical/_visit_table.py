"""Vectorised scoring of a table of visits (real visit files and simulated trials).

The table scorer validates every cell, collects *all* offending (row, column) pairs into one
:class:`~lupuscart.exceptions.InvalidInputError`, and then evaluates the same SLEDAI-2K declaration as the
scalar :func:`~lupuscart.clinical.sledai2k` (:func:`._sledai2k.scored_matrix`). pandas is imported inside the
functions so that ``import lupuscart.clinical`` stays light.

Row numbers in messages are 1-based *data rows* (row 1 is the first row after the header); for a CSV file the
file's line number is given too (``row 3 (line 4)`` when there is one header line and no blank lines).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from ..exceptions import InvalidInputError
from ._remission import (
    DORIS_2021_PGA_BELOW,
    DORIS_PREDNISONE_MAX_MG,
    LLDAS_PGA_MAX,
    LLDAS_PREDNISONE_MAX_MG,
    LLDAS_SLEDAI_MAX,
    PGA_MAX,
)
from ._sledai2k import (
    DAYS_SINCE_SUFFIX,
    DESCRIPTOR_NAMES,
    FIELD_SPECS,
    MAJOR_ORGAN,
    NOT_DUE_SUFFIX,
    REFERENCE_OF,
    BoolArray,
    FieldSpec,
    FloatArray,
    _check_window,
    scored_matrix,
    totals,
)
from ._vocabulary import canonical_columns

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_COLUMNS: tuple[str, ...] = ("sledai2k", "clinical_sledai2k", "doris_2021", "lldas")
_BOOL_DEFAULTS: dict[str, bool] = {
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
    *_BOOL_DEFAULTS,
)
NUMERIC_COLUMNS: dict[str, FieldSpec] = {
    **FIELD_SPECS,
    **{d + DAYS_SINCE_SUFFIX: _DAYS_SINCE_SPEC for d in DESCRIPTOR_NAMES},
    **_EXTRA_SPECS,
}
VISIT_COLUMNS: tuple[str, ...] = ("patient_id", *NUMERIC_COLUMNS, *BOOLEAN_COLUMNS)
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
MAX_LISTED_ERRORS = 200


@dataclass(frozen=True)
class _Problem:
    row: int  # 0-based position
    column: str
    message: str
    got: object


def score_visits(visits: pd.DataFrame, *, window_days: int = 10) -> pd.DataFrame:
    """Score a table of visits: add ``sledai2k``, ``clinical_sledai2k`` and, where ``pga`` and
    ``prednisone_mg_per_day`` columns are present, ``doris_2021`` and ``lldas``.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit. ``patient_id`` is required; every other column must be in :data:`VISIT_COLUMNS`:
        the :func:`~lupuscart.clinical.sledai2k` fields (descriptor booleans, measurements, lab limits),
        ``<descriptor>_not_due_to_sle`` (boolean attribution to another cause),
        ``<descriptor>_days_since`` (days since last present), ``day``, ``pga``, ``prednisone_mg_per_day``,
        ``hemolytic_anemia``, ``gi_activity``, ``standard_maintenance``. Columns may be numeric, boolean or
        text (``true/false/yes/no/1/0``); an empty or NaN cell means *not recorded*, exactly like ``None``
        for the scalar functions.
    window_days : {10, 30}
        SLEDAI-2K look-back window.

    Returns
    -------
    pandas.DataFrame
        A copy of ``visits`` with the computed columns (``doris_2021``/``lldas`` are nullable booleans,
        ``<NA>`` where that row's PGA or prednisone is missing).

    Raises
    ------
    InvalidInputError
        Missing ``patient_id`` column, unknown or duplicate column, or any bad cell; the message lists every
        offending (row, column) pair (1-based data rows), up to 200, with the count of the rest.

    Notes
    -----
    LLDAS "new features" compares each visit with the same patient's previous visit (ordered by ``day``,
    file order for ties or without ``day``); a patient's first visit has no previous one and meets that
    criterion, as with ``previous=None`` in :func:`~lupuscart.clinical.lldas`. Missing
    ``hemolytic_anemia``/``gi_activity``/``standard_maintenance`` cells take the scalar defaults
    (False, False, True).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"patient_id": ["p1", "p1"], "day": [0, 90], "arthritis_joints": [3, 0],
    ...                    "rash": [True, False], "pga": [1.5, 0.2], "prednisone_mg_per_day": [10, 5]})
    >>> score_visits(df)[["sledai2k", "clinical_sledai2k", "doris_2021", "lldas"]]
       sledai2k  clinical_sledai2k  doris_2021  lldas
    0         6                  6       False  False
    1         0                  0        True   True
    """
    return _score(visits, window_days=window_days, lines=None)


def read_visits_csv(source: str | Path | TextIO) -> pd.DataFrame:
    """Read a visits CSV as text cells (refusing ragged rows, duplicate or unknown columns).

    ``source`` is a path, ``"-"`` for standard input, or an open text stream. Blank lines are skipped.

    Examples
    --------
    >>> import io
    >>> read_visits_csv(io.StringIO("patient_id,rash\\np1,yes\\n"))["rash"].tolist()
    ['yes']
    """
    return _read_table(_read_text(source))


def _read_table(text: str) -> pd.DataFrame:
    import pandas as pd

    first = next((r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)), None)
    if first is None:
        raise InvalidInputError("The visits file must have a header line (patient_id, day, ...). Got an empty file.")
    header = canonical_columns([name.strip() for name in first])
    _check_columns(header)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            header=None,
            index_col=False,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        _report_ragged(text)  # names the lines; the parser's own message is the fallback
        raise InvalidInputError(f"malformed CSV: {exc}") from exc
    if raw.isna().to_numpy().any():  # a short row: pandas pads it with NaN
        _report_ragged(text)
    table = raw.iloc[1:].reset_index(drop=True)
    table.columns = pd.Index(header)
    return table


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records with the line number each ends on."""
    reader = csv.reader(io.StringIO(text))
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record):
                yield reader.line_num, record
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV at line {reader.line_num}: {exc}") from exc


def _line_numbers(text: str) -> list[int]:
    return [line for line, _ in _records(text)][1:]


def _report_ragged(text: str) -> None:
    records = list(_records(text))
    width = len(records[0][1])
    ragged = [
        f"row {row} (line {line}): {len(record)} fields, header has {width}"
        for row, (line, record) in enumerate(records[1:], start=1)
        if len(record) != width
    ]
    if ragged:
        raise InvalidInputError("malformed CSV, wrong number of fields:\n  " + "\n  ".join(ragged))


def score_visits_csv(source: str | Path | TextIO, *, window_days: int = 10) -> pd.DataFrame:
    """Read and score a visits CSV; cells keep their original text and computed columns are appended.

    Messages about bad cells give the 1-based data row and the file line.

    Examples
    --------
    >>> import io
    >>> out = score_visits_csv(io.StringIO("patient_id,day,rash,temperature_c\\np1,0,yes,38.5\\n"))
    >>> out.loc[0, "sledai2k"]
    np.int64(3)
    """
    text = _read_text(source)
    return _score(_read_table(text), window_days=window_days, lines=lambda: _line_numbers(text))


def _read_text(source: str | Path | TextIO) -> str:
    try:
        if isinstance(source, (str, Path)):
            if str(source) == "-":
                import sys

                return sys.stdin.read()
            return Path(source).read_text(encoding="utf-8-sig")
        return source.read()
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"The visits file must be UTF-8 text: {exc}") from exc


def _check_columns(columns: Sequence[object]) -> None:
    names = [str(c) for c in columns]
    problems: list[str] = []
    if "patient_id" not in names:
        problems.append("missing required column 'patient_id'")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(f"duplicate column {name!r}")
        seen.add(name)
        if name in OUTPUT_COLUMNS:
            problems.append(f"column {name!r} is computed by the scorer; remove it from the input")
        elif name not in VISIT_COLUMNS:
            problems.append(f"unknown column {name!r}")
    if problems:
        raise InvalidInputError(
            "The visits table's columns must be 'patient_id' plus any of the documented fields "
            "(see `lupuscart score --help`):\n  " + "\n  ".join(problems)
        )


def _score(visits: pd.DataFrame, *, window_days: int, lines: Callable[[], list[int]] | None) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(visits, pd.DataFrame):
        raise InvalidInputError(f"The 'visits' argument must be a pandas DataFrame. Got {type(visits)!r} instead.")
    window = _check_window(window_days)
    visits = visits.set_axis(canonical_columns(list(visits.columns)), axis=1)
    _check_columns(list(visits.columns))
    n = len(visits)
    problems: list[_Problem] = []
    values: dict[str, FloatArray] = {}
    for column in visits.columns:
        name = str(column)
        series = visits[column]
        if name == "patient_id":
            bad = _blank(series)
            problems += [_Problem(i, name, "a non-empty patient identifier", "") for i in _rows(bad)]
        elif name in NUMERIC_COLUMNS:
            values[name] = _numeric(name, series, NUMERIC_COLUMNS[name], problems)
        else:
            values[name] = _boolean(name, series, problems)
    for field, reference in REFERENCE_OF.items():
        lacking = ~np.isnan(values.get(field, np.full(n, np.nan))) & np.isnan(values.get(reference, np.full(n, np.nan)))
        problems += [
            _Problem(i, reference, f"given together with {field!r} (the lab's limit)", "") for i in _rows(lacking)
        ]
    scored, conflicts = scored_matrix(values, n, window)
    for conflict in conflicts:
        problems += [_Problem(i, conflict.field, conflict.message, "") for i in _rows(conflict.rows)]
    if problems:
        raise InvalidInputError(_report(problems, None if lines is None else lines()))

    total, clinical = totals(scored)
    out = visits.copy()
    out["sledai2k"] = total
    out["clinical_sledai2k"] = clinical
    if "pga" in values and "prednisone_mg_per_day" in values:
        pga, pred = values["pga"], values["prednisone_mg_per_day"]
        known = ~np.isnan(pga) & ~np.isnan(pred)
        doris = (clinical == 0) & (pga < DORIS_2021_PGA_BELOW) & (pred <= DORIS_PREDNISONE_MAX_MG)
        previous = _previous_rows(visits, values.get("day"))
        before = np.where(previous[:, None] >= 0, scored[np.maximum(previous, 0)], True)
        flags = {k: _with_default(values.get(k), default, n) for k, default in _BOOL_DEFAULTS.items()}
        ok = (
            (total <= LLDAS_SLEDAI_MAX)
            & ~(scored & MAJOR_ORGAN).any(axis=1)
            & ~flags["hemolytic_anemia"]
            & ~flags["gi_activity"]
            & ~(scored & ~before).any(axis=1)
            & (pga <= LLDAS_PGA_MAX)
            & (pred <= LLDAS_PREDNISONE_MAX_MG)
            & flags["standard_maintenance"]
        )
        out["doris_2021"] = pd.array(np.where(known, doris, False), dtype="boolean")
        out["lldas"] = pd.array(np.where(known, ok, False), dtype="boolean")
        out.loc[~known, ["doris_2021", "lldas"]] = pd.NA
    return out


def _with_default(column: FloatArray | None, default: bool, n: int) -> BoolArray:
    if column is None:
        return np.full(n, default)
    return np.where(np.isnan(column), default, column == 1.0)


def _previous_rows(visits: pd.DataFrame, day: FloatArray | None) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Index of each row's previous visit of the same patient (−1 for the first), by day then file order."""
    import pandas as pd

    codes = pd.factorize(visits["patient_id"].astype(str).str.strip())[0]
    n = len(codes)
    position = np.arange(n)
    when = np.zeros(n) if day is None else np.where(np.isnan(day), -np.inf, day)
    order = np.lexsort((position, when, codes))
    previous = np.full(n, -1, dtype=np.intp)
    same = codes[order[1:]] == codes[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    return previous


def _rows(mask: BoolArray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


def _text(series: pd.Series[Any]) -> pd.Series[Any]:
    """Cells as stripped text (missing cells become empty strings)."""
    return series.astype("str").fillna("").str.strip()


def _blank(series: pd.Series[Any]) -> BoolArray:
    blank: BoolArray = series.isna().to_numpy(dtype=bool) | (_text(series) == "").to_numpy(dtype=bool)
    return blank


def _as_float(name: str, series: pd.Series[Any], problems: list[_Problem]) -> FloatArray:
    """Cells → floats, NaN for missing; non-numeric text and infinities are problems."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if is_bool_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        blank = np.isnan(x)
    else:
        text = _text(series)
        blank = (text == "").to_numpy(dtype=bool) | series.isna().to_numpy(dtype=bool)
        x = pd.to_numeric(text.where(~blank, None), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan, copy=True
        )
        for i in _rows(np.isnan(x) & ~blank):
            problems.append(_Problem(i, name, "a number", series.iloc[i]))
    for i in _rows(np.isinf(x)):
        problems.append(_Problem(i, name, "a finite number", series.iloc[i]))
    x[np.isinf(x)] = np.nan
    return x


def _numeric(name: str, series: pd.Series[Any], spec: FieldSpec, problems: list[_Problem]) -> FloatArray:
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
    for i in _rows(out_of_range | not_integer):
        if i not in bad_rows:
            problems.append(_Problem(i, name, allowed, series.iloc[i]))
    x[out_of_range | not_integer] = np.nan
    return x


def _boolean(name: str, series: pd.Series[Any], problems: list[_Problem]) -> FloatArray:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    allowed = "a boolean (true/false, yes/no, 1/0) or empty"
    if is_bool_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        bad = ~np.isnan(x) & (x != 0.0) & (x != 1.0)
    else:
        text = _text(series)
        blank = (text == "").to_numpy(dtype=bool) | series.isna().to_numpy(dtype=bool)
        words = text.str.lower().to_numpy(dtype=object)
        x = np.full(len(series), np.nan)
        x[np.isin(words, list(_TRUE)) & ~blank] = 1.0
        x[np.isin(words, list(_FALSE)) & ~blank] = 0.0
        bad = np.isnan(x) & ~blank
    for i in _rows(bad):
        problems.append(_Problem(i, name, allowed, series.iloc[i]))
    x[bad] = np.nan
    return x


def _report(problems: Iterable[_Problem], lines: list[int] | None) -> str:
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
    return repr(value.item() if hasattr(value, "item") else value)
