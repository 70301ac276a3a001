"""Reading a visits CSV file (and writing the scored one): parsing, file-level checks and line numbers.

One parser (:mod:`csv`) reads the file; records whose cells are all empty (blank lines, and the rows of only
commas that spreadsheets write for empty rows) are skipped, and every kept record remembers the file line it
starts on, so messages name ``row R (line L)`` correctly whatever was skipped. Cells stay text; the table scorer
(:mod:`._visit_table`) checks and scores them.

The scored file is written with :func:`scored_csv_text`, which neutralises text cells that a spreadsheet would
run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .._spreadsheet import formula_safe
from ..exceptions import InvalidInputError, excerpt
from ._visit_cells import MAX_LISTED_ERRORS, check_columns
from ._visit_table import score_table
from ._vocabulary import canonical_columns

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class VisitsFile:
    """A parsed visits file: the header, the data records as text and the file line each starts on."""

    header: list[str]
    records: list[list[str]]
    lines: list[int]


def read_visits_csv(source: str | Path | TextIO) -> pd.DataFrame:
    """Read a visits CSV as text cells (refusing ragged rows, duplicate or unknown columns).

    ``source`` is a path, ``"-"`` for standard input, or an open text stream. Blank lines and rows of only
    commas are skipped.

    Examples
    --------
    >>> import io
    >>> read_visits_csv(io.StringIO("patient_id,rash\\np1,yes\\n,\\n"))["rash"].tolist()
    ['yes']
    """
    return _frame(parse_visits(_read_text(source)))


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
    parsed = parse_visits(_read_text(source))
    return score_table(_frame(parsed), window_days=window_days, lines=parsed.lines)


def scored_csv_text(scored: pd.DataFrame) -> str:
    """The scored table as CSV text, with formula-like text cells neutralised (see
    :func:`lupuscart._spreadsheet.formula_safe`).

    >>> import pandas as pd
    >>> print(scored_csv_text(pd.DataFrame({"patient_id": ["=1+2", "p-1"], "day": ["-5", "3"]})), end="")
    patient_id,day
    '=1+2,-5
    p-1,3
    """
    return formula_safe(scored).to_csv(index=False, lineterminator="\n")


def parse_visits(text: str) -> VisitsFile:
    """Split CSV text into header and records, skipping empty records; refuse malformed CSV, bad columns and
    rows whose number of fields differs from the header's (naming each, with its line).

    Examples
    --------
    >>> f = parse_visits("patient_id,rash\\n,\\n\\np1,yes\\n")
    >>> f.records, f.lines
    ([['p1', 'yes']], [4])
    """
    reader = csv.reader(io.StringIO(text, newline=""))  # CRLF, LF and lone CR all end a line, as csv expects
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = canonical_columns([name.strip() for name in record])  # simulator names as aliases
                check_columns(header)
                continue
            records.append(record)
            lines.append(start)
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV at line {reader.line_num}: {excerpt(str(exc), 120)}") from None
    if header is None:
        raise InvalidInputError("The visits file must have a header line (patient_id, day, ...). Got an empty file.")
    _check_widths(len(header), records, lines)
    return VisitsFile(header, records, lines)


def _check_widths(width: int, records: list[list[str]], lines: list[int]) -> None:
    ragged = [
        f"row {row} (line {line}): {len(record)} fields, header has {width}"
        for row, (line, record) in enumerate(zip(lines, records, strict=True), start=1)
        if len(record) != width
    ]
    if ragged:
        more = len(ragged) - MAX_LISTED_ERRORS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise InvalidInputError(
            "malformed CSV, wrong number of fields:\n  " + "\n  ".join(ragged[:MAX_LISTED_ERRORS]) + tail
        )


def _frame(parsed: VisitsFile) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(parsed.records, columns=pd.Index(parsed.header), dtype=str)


def _read_text(source: str | Path | TextIO) -> str:
    try:
        if isinstance(source, str | Path):
            if str(source) == "-":
                return sys.stdin.read()
            return Path(source).read_text(encoding="utf-8-sig")
        return source.read()
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"The visits file must be UTF-8 text; byte {exc.start} is {exc.object[exc.start : exc.start + 1]!r}"
        ) from None
