"""The named outputs of a sensitivity analysis (and of the digital twin's predictions), declared once.

Each output reads one patient's row (the trial's patient row: :func:`lupuscart.trial._execute.outcome_rows`, the
one adapter from a simulated patient's summary to table fields) and returns a number, or ``None`` when the
patient has no value (e.g. no infusion). Binary outputs are 0/1, so their variance decomposition is that of the
event indicator.

Every output reads :class:`~lupuscart.journey.PatientSummary` fields (the B-cell return day also the row's
``end_of_followup_day``, where it is censored). ``relapse_month24`` is a flare (``flare_day``: clinical SLEDAI-2K
rising by ≥ 4 after day 90, or ≥ 4 after a remission) after the first DORIS remission (``first_remission_day``), by
day 730; a flare of disease that never remitted is not a relapse. It is the event the trial's
``relapse_by_month24_rate`` counts, but not its denominator: the trial rate counts only patients in remission by
day 180 and followed to day 730, while here every infused patient has a value (0 when not at risk).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._typing import FloatArray

OutputKind = Literal["binary", "continuous"]
Row = Mapping[str, Any]


def _value(row: Row, key: str) -> Any:
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _infused(row: Row) -> bool:
    """Whether the patient was infused and simulated (trial rows carry ``status``; other rows count as such)."""
    return _value(row, "status") in (None, "ok")


def _flag(key: str) -> Callable[[Row], float | None]:
    def extract(row: Row) -> float | None:
        v = _value(row, key)
        return None if v is None or not _infused(row) else float(bool(v))

    return extract


def _grade_at_least(key: str, grade: int) -> Callable[[Row], float | None]:
    def extract(row: Row) -> float | None:
        v = _value(row, key)
        return None if v is None or not _infused(row) else float(v >= grade)

    return extract


def _grade(key: str) -> Callable[[Row], float | None]:
    def extract(row: Row) -> float | None:
        v = _value(row, key)
        return None if v is None or not _infused(row) else float(v)

    return extract


def _relapse_month24(row: Row) -> float | None:
    """1 for a flare after the first remission by day 730, else 0 (no remission, no flare, or a later one).

    >>> _relapse_month24({"first_remission_day": 90.0, "flare_day": 540.0})
    1.0
    >>> _relapse_month24({"first_remission_day": None, "flare_day": 365.0})
    0.0
    """
    if not _infused(row):
        return None
    remission, flare = _value(row, "first_remission_day"), _value(row, "flare_day")
    return float(remission is not None and flare is not None and remission < flare <= 730.0)


def _b_cell_return_day(row: Row) -> float | None:
    if not _infused(row):
        return None
    if _value(row, "b_cell_aplasia_day") is None:
        return 0.0
    day = _value(row, "b_cell_recovery_day")
    return float(day) if day is not None else _value(row, "end_of_followup_day")


def _igg_nadir(row: Row) -> float | None:
    if not _infused(row):
        return None
    v = _value(row, "igg_nadir_g_l")
    return None if v is None else float(v)


@dataclass(frozen=True)
class Output:
    """One named output: key, label, unit, kind and definition, and how it is read from a patient row."""

    key: str
    label: str
    unit: str
    kind: OutputKind
    definition: str
    extract: Callable[[Row], float | None]


#: The outputs, in the order tables and figures show them.
OUTPUTS: tuple[Output, ...] = (
    Output(
        "doris_month3",
        "DORIS remission, month 3",
        "1",
        "binary",
        "DORIS 2021 remission at the day-90 visit",
        _flag("doris_day90"),
    ),
    Output(
        "drug_free_remission_month24",
        "Drug-free remission, month 24",
        "1",
        "binary",
        "DORIS with prednisone 0 mg/day and no flare before the day-730 visit",
        _flag("drug_free_remission_day730"),
    ),
    Output(
        "relapse_month24",
        "Relapse by month 24",
        "1",
        "binary",
        "lupus flare (clinical SLEDAI-2K up by ≥ 4) after the first DORIS remission, by day 730",
        _relapse_month24,
    ),
    Output(
        "crs_grade2plus",
        "CRS grade ≥ 2",
        "1",
        "binary",
        "worst ASTCT CRS grade ≥ 2",
        _grade_at_least("crs_max_grade", 2),
    ),
    Output(
        "crs_max_grade",
        "CRS, worst grade",
        "grade",
        "continuous",
        "worst ASTCT CRS grade (0-4): CRS severity, where grade >= 2 is rare",
        _grade("crs_max_grade"),
    ),
    Output(
        "icans_any",
        "ICANS, any grade",
        "1",
        "binary",
        "worst ASTCT ICANS grade ≥ 1",
        _grade_at_least("icans_max_grade", 1),
    ),
    Output(
        "b_cell_return_day",
        "B-cell return day",
        "d",
        "continuous",
        "first day after aplasia with blood B cells ≥ 1/µL (censored at the end of follow-up; 0 without aplasia)",
        _b_cell_return_day,
    ),
    Output("igg_nadir_g_l", "IgG nadir", "g/L", "continuous", "lowest total IgG after infusion", _igg_nadir),
)
OUTPUT_KEYS: tuple[str, ...] = tuple(o.key for o in OUTPUTS)


def output(key: str) -> Output:
    """The registered output ``key``.

    >>> output("igg_nadir_g_l").unit
    'g/L'
    """
    for o in OUTPUTS:
        if o.key == key:
            return o
    raise KeyError(f"unknown output {key!r}; registered: {list(OUTPUT_KEYS)}")


def output_values(rows: pd.DataFrame, key: str) -> FloatArray:
    """The output ``key`` of every row of a patient table (``nan`` where a patient has no value).

    >>> rows = pd.DataFrame({"status": ["ok", "ok"], "crs_max_grade": [1, 2]})
    >>> output_values(rows, "crs_grade2plus").tolist()
    [0.0, 1.0]
    """
    extract = output(key).extract
    values = [extract({str(k): v for k, v in r.items()}) for r in rows.to_dict("records")]
    return np.array([np.nan if v is None else v for v in values], dtype=float)
