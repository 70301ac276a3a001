"""Reading a patient's measurements: units converted, bad files refused naming the row and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lupuscart.exceptions import InvalidInputError
from lupuscart.twin import read_visits

GOOD = """patient_id,day,variable,value,unit
p1,-7,b_cells,0.08,10^9/L
p1,-7,c3,62,mg/dL
p1,-7,igg,1050,mg/dL
p1,-7,proteinuria,1800,mg/24h
p1,7,car_t,12.5,cells/µL
p1,7,anti_dsdna,150,IU/mL
p1,28,sledai2k,4,points
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_units_are_converted_to_the_canonical_ones(tmp_path: Path) -> None:
    t = read_visits(_write(tmp_path, GOOD)).set_index("variable")
    assert t.loc["b_cells", "value"] == pytest.approx(80.0)  # 0.08 x 10^9/L = 80 cells/uL
    assert t.loc["c3", "value"] == pytest.approx(0.62)
    assert t.loc["igg", "value"] == pytest.approx(10.5)
    assert t.loc["proteinuria", "value"] == pytest.approx(1.8)
    assert t.loc["car_t", "unit"] == "cells/uL"
    assert t.loc["sledai2k", "observable"] == "sledai2k"
    assert sorted(t["row"]) == [2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("p1,28,c3,0.9,mmol/L", r"row 9, column 'unit': 'mmol/L' is not a unit of c3"),
        ("p1,28,ferritin,12,ng/mL", r"row 9, column 'variable': unknown variable 'ferritin'"),
        ("p1,28,c3,abc,g/L", r"row 9, column 'value': must be a number; got 'abc'"),
        ("p1,28,c3,-1,g/L", r"row 9, column 'value': must be non-negative"),
        ("p1,9999,c3,1,g/L", r"row 9, column 'day': must be in \[-365, 3650\]"),
        ("p1,nan,c3,1,g/L", r"row 9, column 'day': must be a finite number"),
        ("p1,-7,c3,0.7,g/L", r"row 9, column 'variable': c3 on day -7 is already given in row 3"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, line: str, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        read_visits(_write(tmp_path, GOOD + line + "\n"))


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="column 'unit': missing"):
        read_visits(_write(tmp_path, "patient_id,day,variable,value\np1,1,c3,1\n"))
    with pytest.raises(InvalidInputError, match="no measurements"):
        read_visits(_write(tmp_path, "patient_id,day,variable,value,unit\n"))
    with pytest.raises(InvalidInputError, match="holds 2 patients"):
        read_visits(_write(tmp_path, GOOD + "p2,1,c3,1,g/L\n"))
    assert len(read_visits(_write(tmp_path, GOOD + "p2,1,c3,1,g/L\n"), patient="p2")) == 1
    with pytest.raises(InvalidInputError, match="no patient 'p3'"):
        read_visits(_write(tmp_path, GOOD), patient="p3")
    with pytest.raises(InvalidInputError, match="existing CSV file"):
        read_visits(tmp_path / "missing.csv")


def test_a_table_is_accepted_as_well(tmp_path: Path) -> None:
    t = pd.read_csv(_write(tmp_path, GOOD), dtype=str)
    pd.testing.assert_frame_equal(read_visits(t), read_visits(tmp_path / "visits.csv"))
