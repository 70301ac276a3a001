"""One patient's measurements for the digital twin: a long CSV ``patient_id, day, variable, value, unit``, checked.

``day`` counts from the CAR T infusion (day 0; screening values have negative days). Each variable has one
canonical unit; a few well-known alternative units are converted (:data:`VARIABLES`), any other unit is refused.
The measurements are read as they are: a value below an assay's detection limit should be entered as that limit.

A bad file is refused with :class:`~lupuscart.exceptions.InvalidInputError` naming the row (as in a spreadsheet,
the header is row 1) and the column, what is allowed and what came in; nothing is fitted from a partly read file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import InvalidInputError

COLUMNS = ("patient_id", "day", "variable", "value", "unit")
#: Days accepted (screening up to a year before infusion, follow-up up to ten years).
DAY_RANGE = (-365.0, 3650.0)


@dataclass(frozen=True)
class Variable:
    """A measurable variable: its canonical name and unit, the model observable, and accepted units (→ factor)."""

    name: str
    observable: str
    unit: str
    units: dict[str, float]
    aliases: tuple[str, ...] = ()


_CELLS = {"cells/ul": 1.0, "cells/µl": 1.0, "cells/μl": 1.0, "/ul": 1.0, "/µl": 1.0, "cells/mm3": 1.0}
_CELLS |= {"10^9/l": 1000.0, "10e9/l": 1000.0, "x10^9/l": 1000.0, "cells/nl": 1000.0}
#: The variables of the twin, with their accepted units and the factor to the canonical unit.
VARIABLES: tuple[Variable, ...] = (
    Variable("b_cells", "b_cells_per_ul", "cells/uL", _CELLS, ("b_cells_per_ul", "cd19_b_cells")),
    Variable("car_t", "car_t_per_ul", "cells/uL", _CELLS, ("car_t_per_ul",)),
    Variable("anti_dsdna", "anti_dsdna_iu_ml", "IU/mL", {"iu/ml": 1.0, "kiu/l": 1.0}, ("anti_dsdna_iu_ml",)),
    Variable("c3", "c3_g_l", "g/L", {"g/l": 1.0, "mg/dl": 0.01, "mg/l": 0.001}, ("c3_g_l",)),
    Variable("igg", "igg_g_l", "g/L", {"g/l": 1.0, "mg/dl": 0.01, "mg/l": 0.001}, ("igg_g_l",)),
    Variable(
        "proteinuria",
        "proteinuria_g_24h",
        "g/24h",
        {"g/24h": 1.0, "g/d": 1.0, "g/day": 1.0, "mg/24h": 0.001, "mg/d": 0.001, "mg/day": 0.001},
        ("proteinuria_g_24h",),
    ),
    Variable("sledai2k", "sledai2k", "points", {"points": 1.0, "score": 1.0, "": 1.0}, ("sledai_2k",)),
)
_BY_NAME = {n: v for v in VARIABLES for n in (v.name, *v.aliases)}


def variable(name: str) -> Variable:
    """The variable ``name`` (canonical name or alias).

    >>> variable("c3_g_l").units["mg/dl"]
    0.01
    """
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise KeyError(f"unknown variable {name!r}; allowed: {[v.name for v in VARIABLES]}") from None


def _fail(row: int | None, column: str, message: str) -> InvalidInputError:
    where = f"row {row}, column '{column}'" if row is not None else f"column '{column}'"
    return InvalidInputError(f"invalid visits file: {where}: {message}")


def _excerpt(value: object, limit: int = 30) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_visits(source: str | Path | pd.DataFrame, patient: str | None = None) -> pd.DataFrame:
    """Read and check one patient's measurements; values converted to the canonical units.

    Parameters
    ----------
    source:
        A CSV path, or a table with the columns ``patient_id, day, variable, value, unit``.
    patient:
        The ``patient_id`` to keep when the file holds several patients (required then).

    Returns
    -------
    pandas.DataFrame
        Columns ``patient_id, day, variable, observable, value, unit, row`` (canonical names and units; ``row`` is
        the file's row), sorted by day and variable.

    Raises
    ------
    InvalidInputError
        Naming the row and column of the first problem (missing column, unknown variable, unit not convertible,
        value not a finite non-negative number, day out of range, the same variable twice on one day, several
        patients without ``patient``).

    Examples
    --------
    >>> t = pd.DataFrame({"patient_id": ["p1"] * 2, "day": [-5, 28], "variable": ["c3", "c3"],
    ...                   "value": [65.0, 0.95], "unit": ["mg/dL", "g/L"]})
    >>> read_visits(t)["value"].tolist()
    [0.65, 0.95]
    >>> read_visits(t.assign(unit=["mmol/L", "g/L"]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidInputError: invalid visits file: row 2, column 'unit': 'mmol/L' is not a unit of c3; ...
    """
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
    else:
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError(f"The 'VISITS' argument must name an existing CSV file. Got {str(source)!r}.")
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise InvalidInputError(f"invalid visits file {str(path)!r}: not a readable CSV ({exc})") from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    for col in COLUMNS:
        if col not in raw.columns:
            raise _fail(
                None, col, f"missing; the file needs the columns {', '.join(COLUMNS)} (got {list(raw.columns)})"
            )
    if raw.empty:
        raise InvalidInputError("invalid visits file: no measurements (only a header)")
    ids = sorted({str(x).strip() for x in raw["patient_id"]})
    if patient is None and len(ids) > 1:
        raise _fail(
            None,
            "patient_id",
            f"the file holds {len(ids)} patients ({', '.join(ids[:5])}...); choose one with --patient",
        )
    if patient is not None and patient not in ids:
        raise _fail(None, "patient_id", f"no patient {patient!r} in the file; it holds {', '.join(ids[:10])}")
    out = []
    seen: dict[tuple[float, str], int] = {}
    for k, rec in enumerate(raw.to_dict("records")):
        row = k + 2
        pid = str(rec["patient_id"]).strip()
        if patient is not None and pid != patient:
            continue
        try:
            var = variable(str(rec["variable"]))
        except KeyError:
            allowed = [v.name for v in VARIABLES]
            raise _fail(row, "variable", f"unknown variable {_excerpt(rec['variable'])}; allowed: {allowed}") from None
        day = _number(rec["day"], row, "day")
        if not DAY_RANGE[0] <= day <= DAY_RANGE[1]:
            raise _fail(row, "day", f"must be in [{DAY_RANGE[0]:g}, {DAY_RANGE[1]:g}] days after infusion; got {day:g}")
        value = _number(rec["value"], row, "value")
        if value < 0:
            raise _fail(row, "value", f"must be non-negative; got {value:g}")
        unit = str(rec["unit"]).strip()
        factor = var.units.get(unit.lower().replace(" ", ""))
        if factor is None:
            raise _fail(
                row, "unit", f"{_excerpt(unit)} is not a unit of {var.name}; allowed: {var.unit} or {sorted(var.units)}"
            )
        if (day, var.name) in seen:
            raise _fail(row, "variable", f"{var.name} on day {day:g} is already given in row {seen[(day, var.name)]}")
        seen[(day, var.name)] = row
        out.append(
            {
                "patient_id": pid,
                "day": day,
                "variable": var.name,
                "observable": var.observable,
                "value": value * factor,
                "unit": var.unit,
                "row": row,
            }
        )
    return pd.DataFrame(out).sort_values(["day", "variable"], kind="stable").reset_index(drop=True)


def _number(text: object, row: int, column: str) -> float:
    try:
        x = float(str(text).strip())
    except ValueError:
        raise _fail(row, column, f"must be a number; got {_excerpt(text)}") from None
    if not math.isfinite(x):
        raise _fail(row, column, f"must be a finite number; got {_excerpt(text)}")
    return x
