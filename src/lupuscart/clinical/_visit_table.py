"""Vectorised scoring of a table of visits (real visit files and simulated trials).

The table scorer checks every cell (:mod:`._visit_cells`), collects *all* offending (row, column) pairs into one
:class:`~lupuscart.exceptions.InvalidInputError`, and then evaluates the same declarations as the scalar
functions: SLEDAI-2K through :func:`._sledai2k.scored_matrix`, DORIS and LLDAS through
:func:`._remission.doris_criteria` and :func:`._remission.lldas_criteria`. pandas is imported inside the
functions so that ``import lupuscart.clinical`` stays light. Reading CSV files is :mod:`._visit_csv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import InvalidInputError
from ._remission import doris_criteria, lldas_criteria
from ._sledai2k import MAJOR_ORGAN, REFERENCE_OF, BoolArray, FloatArray, _check_window, scored_matrix, totals
from ._visit_cells import (
    BOOL_DEFAULTS,
    NUMERIC_COLUMNS,
    Problem,
    blank,
    boolean,
    check_columns,
    multiline,
    numeric,
    report,
    rows_of,
)
from ._vocabulary import canonical_columns

if TYPE_CHECKING:
    import pandas as pd


def score_visits(visits: pd.DataFrame, *, window_days: int = 10) -> pd.DataFrame:
    """Score a table of visits: add ``sledai2k``, ``clinical_sledai2k`` and, where ``pga`` and
    ``prednisone_mg_per_day`` columns are present, ``doris_2021`` and ``lldas``.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit. ``patient_id`` is required; every other column must be in
        :data:`~lupuscart.clinical.VISIT_COLUMNS`: the :func:`~lupuscart.clinical.sledai2k` fields (descriptor
        booleans, measurements, lab limits), ``<descriptor>_not_due_to_sle`` (boolean attribution to another
        cause), ``<descriptor>_days_since`` (days since last present), ``day``, ``pga``,
        ``prednisone_mg_per_day``, ``hemolytic_anemia``, ``gi_activity``, ``standard_maintenance``. Columns may
        be numeric, boolean or text (``true/false/yes/no/1/0``); an empty or NaN cell means *not recorded*,
        exactly like ``None`` for the scalar functions.
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
        Missing ``patient_id`` column, unknown or duplicate column, or any bad cell, including two visits of
        one patient on the same ``day`` and, where LLDAS is computed, a patient's visit without a ``day`` when
        the patient has several; the message lists every offending (row, column) pair (1-based data rows), up
        to 200, with the count of the rest.

    Notes
    -----
    LLDAS "new features" compares each visit with the same patient's previous visit (ordered by ``day``; file
    order without a ``day`` column); a patient's first visit has no previous one and meets that criterion, as
    with ``previous=None`` in :func:`~lupuscart.clinical.lldas`. Missing
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
    return score_table(visits, window_days=window_days, lines=None)


def score_table(visits: pd.DataFrame, *, window_days: int, lines: Sequence[int] | None) -> pd.DataFrame:
    """:func:`score_visits`, naming the file line of each data row in messages when ``lines`` is given."""
    import pandas as pd

    if not isinstance(visits, pd.DataFrame):
        raise InvalidInputError(f"The 'visits' argument must be a pandas DataFrame. Got {type(visits)!r} instead.")
    window = _check_window(window_days)
    visits = visits.set_axis(canonical_columns(list(visits.columns)), axis=1)  # simulator names as aliases
    check_columns(list(visits.columns))
    n = len(visits)
    problems: list[Problem] = []
    values: dict[str, FloatArray] = {}
    for column in visits.columns:
        name = str(column)
        series = visits[column]
        problems += [Problem(i, name, "a value on one line", series.iloc[i]) for i in rows_of(multiline(series))]
        if name == "patient_id":
            problems += [Problem(i, name, "a non-empty patient identifier", "") for i in rows_of(blank(series))]
        elif name in NUMERIC_COLUMNS:
            values[name] = numeric(name, series, NUMERIC_COLUMNS[name], problems)
        else:
            values[name] = boolean(name, series, problems)
    for field, reference in REFERENCE_OF.items():
        lacking = ~np.isnan(values.get(field, np.full(n, np.nan))) & np.isnan(values.get(reference, np.full(n, np.nan)))
        needed = f"given together with {field!r} (the lab's limit)"
        problems += [Problem(i, reference, needed, "") for i in rows_of(lacking)]
    scored, conflicts = scored_matrix(values, n, window)
    for conflict in conflicts:
        problems += [Problem(i, conflict.field, conflict.message, "") for i in rows_of(conflict.rows)]
    remission = "pga" in values and "prednisone_mg_per_day" in values
    patients = _patient_codes(visits)
    problems += _order_problems(patients, values.get("day"), visits, need_order=remission)
    if problems:
        raise InvalidInputError(report(problems, lines))

    total, clinical = totals(scored)
    out = visits.copy()
    out["sledai2k"] = total
    out["clinical_sledai2k"] = clinical
    if remission:
        pga, pred = values["pga"], values["prednisone_mg_per_day"]
        known = ~np.isnan(pga) & ~np.isnan(pred)
        previous = _previous_rows(patients, values.get("day"))
        before = np.where(previous[:, None] >= 0, scored[np.maximum(previous, 0)], True)
        flags = {k: _with_default(values.get(k), default, n) for k, default in BOOL_DEFAULTS.items()}
        with np.errstate(invalid="ignore"):
            doris = doris_criteria(clinical, pga, pred, "2021")
            ok = lldas_criteria(
                sledai2k_total=total,
                major_organ_activity=np.asarray((scored & MAJOR_ORGAN).any(axis=1)),
                hemolytic_anemia=flags["hemolytic_anemia"],
                gi_activity=flags["gi_activity"],
                new_features=np.asarray((scored & ~before).any(axis=1)),
                pga=pga,
                prednisone_mg_per_day=pred,
                standard_maintenance=flags["standard_maintenance"],
            )
        out["doris_2021"] = pd.array(np.where(known, doris, False), dtype="boolean")
        out["lldas"] = pd.array(np.where(known, ok, False), dtype="boolean")
        out.loc[~known, ["doris_2021", "lldas"]] = pd.NA
    return out


def _with_default(column: FloatArray | None, default: bool, n: int) -> BoolArray:
    if column is None:
        return np.full(n, default)
    return np.where(np.isnan(column), default, column == 1.0)


def _patient_codes(visits: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.intp]]:
    """One integer per patient (identifiers compared as stripped text)."""
    import pandas as pd

    codes: np.ndarray[Any, np.dtype[np.intp]] = pd.factorize(visits["patient_id"].astype(str).str.strip())[0]
    return codes


def _order_problems(
    patients: np.ndarray[Any, np.dtype[np.intp]], day: FloatArray | None, visits: pd.DataFrame, *, need_order: bool
) -> list[Problem]:
    """A patient's visits must be orderable: no two on the same day and, when LLDAS compares each visit with the
    previous one, a day for each visit of a patient who has several (a missing day would make the order, and
    so LLDAS, depend on the file's row order)."""
    if day is None:
        return []
    import pandas as pd

    frame = pd.DataFrame({"patient": patients, "day": day, "row": np.arange(len(patients))})
    problems = []
    known = frame.dropna(subset=["day"])
    first = known.groupby(["patient", "day"], sort=False)["row"].transform("min")
    for row, earlier in zip(known["row"], first, strict=True):
        if row != earlier:
            problems.append(
                Problem(int(row), "day", f"a day not already given for this patient (row {earlier + 1} has it)", "")
            )
    if need_order:
        several = frame.groupby("patient")["row"].transform("size") > 1
        for row in frame["row"][several & frame["day"].isna()]:
            cell = visits["day"].iloc[int(row)]
            needed = "given for each visit of a patient with several (LLDAS compares each visit with the previous one)"
            problems.append(Problem(int(row), "day", needed, cell))
    return problems


def _previous_rows(
    patients: np.ndarray[Any, np.dtype[np.intp]], day: FloatArray | None
) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Index of each row's previous visit of the same patient (−1 for the first), by day then file order."""
    n = len(patients)
    position = np.arange(n)
    when = np.zeros(n) if day is None else np.where(np.isnan(day), -np.inf, day)
    order = np.lexsort((position, when, patients))
    previous = np.full(n, -1, dtype=np.intp)
    same = patients[order[1:]] == patients[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    return previous
