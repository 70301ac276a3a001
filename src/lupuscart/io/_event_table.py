"""Event tables in the convention of NONMEM, mrgsolve and rxode2: ``ID, TIME, EVID, AMT, CMT, RATE, ADDL, II``.

Reading (``lupuscart simulate --events FILE``): each ``EVID = 1`` row is a bolus of ``AMT`` (in the
compartment's unit: mg for drugs, cells for the CAR T product) into compartment ``CMT`` at ``TIME`` (days, day 0 =
the first CAR T infusion of the protocol, as in ``timecourse.csv``), repeated ``ADDL`` more times every ``II``
days. ``CMT`` is a dosable state of the model by name (``flu_central_mg``, ``cy_mg``, ``car_t_effector``,
``toc_central_mg``, ``dex_mg``) or by its number in the model's state order (NONMEM's ``$MODEL`` numbering, 1 =
``flu_central_mg``). ``EVID = 0`` (observations) and ``2`` (other events, such as the clinical events that
``events.csv`` lists) are read and ignored. The file replaces the protocol's scheduled doses. Validation is strict
and complete: every bad cell is reported with its row (1-based data row and file line) and column — unknown
columns, non-numeric cells, an unknown or non-dosable ``CMT``, a negative or zero ``AMT``, ``RATE`` other than 0
(zero-order infusions are not modelled: doses are boluses), ``SS`` other than 0, ``EVID`` 3/4 (resets), more than
one ``ID``, and times outside the journey.

Writing (``events.csv`` of ``simulate --out``): every dose given (scheduled and by the management policies) as an
``EVID = 1`` row, and every other journey or clinical event as an ``EVID = 2`` row, each with the prose columns
``day, kind, grade, detail``. Re-reading the file therefore replays every dose: ``simulate --no-management
--events run/events.csv`` reproduces a managed run's trajectories.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..engine import Dose
from ..exceptions import InvalidInputError
from ..model import default_model

if TYPE_CHECKING:
    from ..journey import PatientResult

#: The NONMEM-style columns, in the order written.
NONMEM_COLUMNS = ("ID", "TIME", "EVID", "AMT", "CMT", "RATE", "ADDL", "II", "SS", "DV", "MDV")
#: Prose columns that ``events.csv`` carries alongside (accepted and ignored when reading).
PROSE_COLUMNS = ("day", "kind", "grade", "detail")
_REQUIRED = ("TIME", "AMT", "CMT")
_CHEMO = {"flu_central_mg", "cy_mg"}
_MAX_LISTED = 50


def dosable_compartments() -> list[str]:
    """The model's dosable states (``State.dose_target``), in model order.

    >>> dosable_compartments()
    ['flu_central_mg', 'cy_mg', 'car_t_effector', 'ivig_g', 'toc_central_mg', 'dex_mg']
    """
    return [s.name for s in default_model().definition.states if s.dose_target]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_event_table(source: str | Path, *, t_start: float, t_end: float) -> tuple[Dose, ...]:
    """Read the doses (``EVID = 1`` rows, expanded by ``ADDL``/``II``) of an event table.

    Parameters
    ----------
    source:
        A CSV file path.
    t_start, t_end:
        The journey's first and last day (day 0 = infusion); every dose must fall inside.

    Raises
    ------
    InvalidInputError
        Every bad cell, naming row and column (see the module docstring); a missing or unreadable file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "doses.csv"
    >>> _ = path.write_text("ID,TIME,EVID,AMT,CMT\\n1,0,1,7e7,car_t_effector\\n1,90,1,7e7,7\\n")
    >>> [(d.time_day, d.state) for d in read_event_table(path, t_start=-42, t_end=365)]
    [(0.0, 'car_t_effector'), (90.0, 'car_t_effector')]
    """
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError(f"The '--events' option must name an existing CSV file. Got {str(source)!r}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"Cannot read the event table {str(source)!r}: {exc}") from None
    return parse_event_table(text, t_start=t_start, t_end=t_end, origin=path.name)


def parse_event_table(text: str, *, t_start: float, t_end: float, origin: str = "event table") -> tuple[Dose, ...]:
    """:func:`read_event_table` on CSV text."""
    reader = csv.reader(io.StringIO(text))
    records = [(reader.line_num, r) for r in reader if r and any(c.strip() for c in r)]
    if not records:
        raise InvalidInputError(f"The event table {origin} is empty; it needs a header (ID,TIME,EVID,AMT,CMT,...).")
    header_line, raw_header = records[0]
    header = [_canonical(h) for h in raw_header]
    problems: list[str] = []
    known = set(NONMEM_COLUMNS) | set(PROSE_COLUMNS)
    for h, raw in zip(header, raw_header, strict=True):
        if h not in known:
            problems.append(f"line {header_line}: unknown column {raw.strip()!r} (allowed: {', '.join(NONMEM_COLUMNS)} "
                            f"and the prose columns {', '.join(PROSE_COLUMNS)})")  # fmt: skip
    problems += [f"line {header_line}: missing required column {c!r}" for c in _REQUIRED if c not in header]
    if len(set(header)) != len(header):
        problems.append(f"line {header_line}: duplicate columns in {raw_header}")
    if problems:
        raise InvalidInputError(f"invalid event table {origin}:\n  " + "\n  ".join(problems))
    compartments = dosable_compartments()

    state_names = [s.name for s in default_model().definition.states]
    doses: list[Dose] = []
    ids: set[str] = set()
    for row, (line, record) in enumerate(records[1:], start=1):
        where = f"row {row} (line {line})"
        if len(record) != len(header):
            problems.append(f"{where}: {len(record)} fields, the header has {len(header)}")
            continue
        cell = {h: c.strip() for h, c in zip(header, record, strict=True)}
        ids.add(cell.get("ID", "1") or "1")
        evid = _integer(cell, "EVID", 1, where, problems)
        if evid in (0, 2) or evid is None:
            continue
        if evid not in (1,):
            problems.append(f"{where}, column 'EVID': must be 0 (observation), 1 (dose) or 2 (other event); "
                            f"got {cell['EVID']!r} (resets, EVID 3/4, are not supported)")  # fmt: skip
            continue
        time = _value(cell, "TIME", where, problems)
        amount = _value(cell, "AMT", where, problems)
        if amount is not None and amount <= 0:
            problems.append(f"{where}, column 'AMT': must be a positive dose amount; got {cell['AMT']!r}")
            amount = None
        cmt = _compartment(cell.get("CMT", ""), compartments, state_names, where, problems)
        rate = _value(cell, "RATE", where, problems, default=0.0)
        if rate not in (0.0, None):
            problems.append(f"{where}, column 'RATE': must be 0 or empty (doses are boluses; zero-order infusions "
                            f"are not modelled); got {cell['RATE']!r}")  # fmt: skip
        ss = _value(cell, "SS", where, problems, default=0.0)
        if ss not in (0.0, None):
            problems.append(f"{where}, column 'SS': steady-state doses are not supported; got {cell['SS']!r}")
        addl = _integer(cell, "ADDL", 0, where, problems)
        ii = _value(cell, "II", where, problems, default=0.0)
        if addl is not None and addl < 0:
            problems.append(f"{where}, column 'ADDL': must be a non-negative integer; got {cell['ADDL']!r}")
            addl = None
        if addl and (ii is None or ii <= 0):
            problems.append(f"{where}, column 'II': must be a positive interval (days) when ADDL > 0; "
                            f"got {cell.get('II', '')!r}")  # fmt: skip
            continue
        if time is None or amount is None or cmt is None or addl is None:
            continue
        for k in range(addl + 1):
            t = time + k * (ii or 0.0)
            if not t_start <= t <= t_end:
                what = "TIME" if k == 0 else f"TIME + {k}×II"
                problems.append(f"{where}, column 'TIME': {what} = {t:g} is outside the journey, days "
                                f"[{t_start:g}, {t_end:g}] (day 0 = infusion)")  # fmt: skip
                break
            label = cell.get("detail") or cmt
            doses.append(Dose(float(t), cmt, float(amount), label))
    if len(ids) > 1:
        problems.append(f"column 'ID': one patient per simulation; got IDs {sorted(ids)}")
    if problems:
        shown = problems[:_MAX_LISTED]
        more = f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise InvalidInputError(f"invalid event table {origin}:\n  " + "\n  ".join(shown) + more)
    if not doses:
        raise InvalidInputError(f"invalid event table {origin}: no dose (EVID 1) rows")
    return tuple(sorted(doses))


def _canonical(name: str) -> str:
    stripped = name.strip()
    return stripped.upper() if stripped.upper() in NONMEM_COLUMNS else stripped


def _value(
    cell: dict[str, str], column: str, where: str, problems: list[str], default: float | None = None
) -> float | None:
    text = cell.get(column, "")
    if text == "":
        if default is None:
            problems.append(f"{where}, column {column!r}: must be a number; got an empty cell")
        return default
    value = _number(text)
    if value is None:
        problems.append(f"{where}, column {column!r}: must be a finite number; got {text!r}")
    return value


def _integer(cell: dict[str, str], column: str, default: int, where: str, problems: list[str]) -> int | None:
    value = _value(cell, column, where, problems, default=float(default))
    if value is None:
        return None
    if value != int(value):
        problems.append(f"{where}, column {column!r}: must be an integer; got {cell[column]!r}")
        return None
    return int(value)


def _compartment(text: str, compartments: list[str], states: list[str], where: str, problems: list[str]) -> str | None:
    name = text
    number = _number(text)
    if number is not None and number == int(number) and 1 <= int(number) <= len(states):
        name = states[int(number) - 1]
    if name in compartments:
        return name
    numbered = ", ".join(f"{states.index(c) + 1}={c}" for c in compartments)
    problems.append(f"{where}, column 'CMT': must be a dosable compartment ({numbered}); got {text!r}")
    return None


def event_table(result: PatientResult) -> pd.DataFrame:
    """A simulated patient's events as a NONMEM-style table with prose (``events.csv``; module docstring).

    Examples
    --------
    >>> from lupuscart.journey import simulate_patient
    >>> table = event_table(simulate_patient())
    >>> table.loc[table["EVID"] == 1, ["TIME", "CMT"]].head(2).to_numpy().tolist()
    [[-5.0, 'flu_central_mg'], [-4.0, 'flu_central_mg']]
    """
    rows: list[dict[str, Any]] = []
    given = () if result.status == "manufacturing_failed" else result.plan.doses
    for d in given:
        kind = "infusion" if d.state.startswith("car_t") else "lymphodepletion" if d.state in _CHEMO else "dose"
        rows.append(_row(d.time_day, 1, d.amount, d.state, kind, None, d.label or d.state))
    for e in result.events:
        if e.amount is not None and e.compartment is not None:
            rows.append(_row(e.day, 1, e.amount, e.compartment, e.kind, e.grade, e.detail))
        elif e.kind not in {"lymphodepletion", "infusion"} or result.status == "manufacturing_failed":
            rows.append(_row(e.day, 2, None, None, e.kind, e.grade, e.detail))
    frame = pd.DataFrame(rows, columns=[*NONMEM_COLUMNS[:6], *PROSE_COLUMNS])
    frame = frame.sort_values(["TIME", "EVID"], kind="stable").reset_index(drop=True)
    frame["ID"] = 1
    frame["grade"] = frame["grade"].astype("Int64")
    return frame


def _row(
    day: float, evid: int, amount: float | None, cmt: str | None, kind: str, grade: int | None, detail: str
) -> dict[str, Any]:
    return {"ID": 1, "TIME": float(day), "EVID": evid, "AMT": amount, "CMT": cmt, "RATE": 0 if evid == 1 else None,
            "day": round(float(day), 3), "kind": kind, "grade": grade, "detail": detail}  # fmt: skip
