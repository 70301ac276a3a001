"""CSV files that are safe to open in a spreadsheet: text cells that would run as a formula are neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula ("CSV injection", OWASP), so a patient identifier such as ``=HYPERLINK(...)`` in an
input file could run when the scored file is opened. Such a cell gets a leading apostrophe, which spreadsheets
show as text and do not display; numbers (``-5``, ``+3.5e2``) are left alone, since they are not formulas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """``cell`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    >>> [neutralise(c) for c in ("=SUM(A1)", "-5", "-x", "@cmd", "p1", 3)]
    ["'=SUM(A1)", '-5', "'-x", "'@cmd", 'p1', 3]
    """
    if not isinstance(cell, str) or not cell.startswith(_TRIGGERS):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (object and string columns) are :func:`neutralise`-d."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column].dtype) or is_string_dtype(out[column].dtype):
            out[column] = out[column].map(neutralise)
    return out
