"""Hostile visit files for ``lupuscart score`` (issue 12, defects 5 and 11): rows of only commas, duplicate and
unordered visits, spreadsheet formulas, ``--out`` onto the input, enormous headers, folders and binary files."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from lupuscart.clinical import read_visits_csv, score_visits, score_visits_csv, scored_csv_text
from lupuscart.exceptions import InvalidInputError

from ._cli import assert_refused, lupuscart, tree

GOOD = "patient_id,day,rash,pga,prednisone_mg_per_day\np1,0,yes,0.4,5\np1,30,no,0.2,5\n"


def _write(tmp_path: Path, text: str | bytes, name: str = "visits.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- defect 5: a row of only commas --------------------------------------------------------------------------------


def test_rows_of_only_commas_are_skipped_like_blank_lines(tmp_path: Path) -> None:
    src = _write(tmp_path, "patient_id,day,rash,temperature_c\np1,0,yes,38.5\n,,,\n\n , , ,\np2,1,,\n")
    result = lupuscart("score", src)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "patient_id,day,rash,temperature_c,sledai2k,clinical_sledai2k",
        "p1,0,yes,38.5,3,3",
        "p2,1,,,0,0",
    ]


def test_line_numbers_after_comma_rows_are_the_files_own(tmp_path: Path) -> None:
    src = _write(tmp_path, "patient_id,temperature_c\np1,37\n,\n,\n\np2,hot\n")
    assert_refused(lupuscart("score", src), "row 2 (line 6), column 'temperature_c'")


def test_ragged_row_after_comma_rows_names_its_line() -> None:
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 5\): 3 fields, header has 2"):
        read_visits_csv(io.StringIO("patient_id,rash\np1,yes\n,\n\np2,no,extra\n"))


def test_quoted_multiline_cell_keeps_later_line_numbers_right() -> None:
    text = 'patient_id,temperature_c\n"p\n1",37\np2,hot\n'
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 4\), column 'temperature_c'"):
        score_visits_csv(io.StringIO(text))


def test_a_cell_with_a_line_break_is_refused() -> None:
    """Cells are kept as given in the scored file; one holding a line break would break its rows there."""
    with pytest.raises(InvalidInputError, match=r"row 1 \(line 2\), column 'patient_id': must be a value on one line"):
        score_visits_csv(io.StringIO('patient_id,rash\n"p\r1",yes\n'))
    with pytest.raises(InvalidInputError, match=r"row 1, column 'rash': must be a value on one line"):
        score_visits(pd.DataFrame({"patient_id": ["p1"], "rash": ["yes\r"]}))


def test_lone_carriage_returns_end_lines_as_in_old_mac_files() -> None:
    out = score_visits_csv(io.StringIO("patient_id,rash\rp1,yes\r,\rp2,no\r"))
    assert out["sledai2k"].tolist() == [2, 0]


def test_a_file_of_only_commas_has_no_header() -> None:
    with pytest.raises(InvalidInputError, match="must have a header line"):
        score_visits_csv(io.StringIO(",,,\n,,\n"))


# -- defect 11: duplicate and unordered visits ----------------------------------------------------------------------


def test_two_visits_of_one_patient_on_one_day_are_refused(tmp_path: Path) -> None:
    src = _write(tmp_path, GOOD + "p1,30,yes,0.2,5\n")
    assert_refused(lupuscart("score", src), "row 3 (line 4), column 'day'", "row 2 has it")


def test_duplicate_days_refused_for_data_frames_too() -> None:
    df = pd.DataFrame({"patient_id": ["a", "b", "a"], "day": [0, 0, 0], "rash": [True, False, False]})
    with pytest.raises(InvalidInputError, match=r"row 3, column 'day': must be a day not already given"):
        score_visits(df)


def test_the_same_day_for_different_patients_is_fine() -> None:
    df = pd.DataFrame({"patient_id": ["a", "b"], "day": [0, 0], "rash": [True, False]})
    assert score_visits(df)["sledai2k"].tolist() == [2, 0]


def test_lldas_needs_a_day_for_each_visit_of_a_patient_with_several() -> None:
    df = pd.DataFrame(
        {"patient_id": ["a", "a", "b"], "day": [0, None, None], "rash": [True, False, True], "pga": [0.2] * 3}
        | {"prednisone_mg_per_day": [5.0] * 3}
    )
    with pytest.raises(InvalidInputError, match=r"row 2, column 'day': must be given for each visit") as info:
        score_visits(df)
    assert "row 3" not in str(info.value)  # b has one visit: nothing to order


def test_lldas_does_not_depend_on_row_order() -> None:
    rows = pd.DataFrame(
        {"patient_id": ["a"] * 3, "day": [0, 30, 60], "rash": [False, True, True], "pga": [0.5] * 3}
        | {"prednisone_mg_per_day": [5.0] * 3}
    )
    forward = score_visits(rows).sort_values("day")["lldas"].tolist()
    backward = score_visits(rows.iloc[::-1]).sort_values("day")["lldas"].tolist()
    assert forward == backward == [True, False, True]


# -- defect 11: spreadsheet formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"])
def test_formula_cells_are_neutralised_in_the_scored_file(tmp_path: Path, payload: str) -> None:
    src = tmp_path / "visits.csv"
    pd.DataFrame({"patient_id": [payload], "day": [-5], "rash": ["yes"]}).to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    assert lupuscart("score", src, "--out", out).returncode == 0
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back["patient_id"].tolist() == ["'" + payload]
    assert back["day"].tolist() == ["-5"]  # numbers are not formulas: left alone


def test_neutralising_touches_only_text_that_would_run() -> None:
    frame = pd.DataFrame({"patient_id": ["=1+1", "SLE-01", "-x", "+3", "\tx"], "day": [-5, 0, 1, 2, 3]})
    lines = scored_csv_text(frame).splitlines()
    assert lines[1:] == ["'=1+1,-5", "SLE-01,0", "'-x,1", "+3,2", "'\tx,3"]


def test_the_dashboard_download_is_neutralised_too() -> None:
    from lupuscart.app._score_page import score_text

    scored = score_text("patient_id,rash\n=1+1,yes\n")
    assert scored_csv_text(scored).splitlines()[1].startswith("'=1+1,")


# -- defect 11: --out onto the input, enormous headers -------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dot", "link"])
def test_out_equal_to_the_input_is_refused_and_the_input_kept(tmp_path: Path, spelling: str) -> None:
    src = _write(tmp_path, GOOD)
    out = {"same": src, "dot": tmp_path / "." / "visits.csv", "link": tmp_path / "alias.csv"}[spelling]
    if spelling == "link":
        out.symlink_to(src)
    assert_refused(lupuscart("score", src, "--out", out), "--out")
    assert src.read_text(encoding="utf-8") == GOOD


def test_a_header_of_100k_columns_gives_a_short_message(tmp_path: Path) -> None:
    src = _write(tmp_path, "patient_id," + ",".join(f"c{k}" for k in range(100_000)) + "\np1" + "," * 100_000 + "\n")
    message = assert_refused(lupuscart("score", src), "unknown column 'c0'", "and 99980 more")
    assert message.count("\n") <= 25


def test_many_ragged_rows_give_a_bounded_message() -> None:
    text = "patient_id,rash\n" + "p1,yes,x\n" * 5000
    with pytest.raises(InvalidInputError) as info:
        score_visits_csv(io.StringIO(text))
    assert "and 4800 more" in str(info.value)
    assert str(info.value).count("\n") <= 202


def test_a_huge_cell_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    src = _write(tmp_path, "patient_id,temperature_c\np1," + "9" * 100_000 + "x\n")
    assert_refused(lupuscart("score", src), "column 'temperature_c'")


# -- defect 7: what is not a visits file ----------------------------------------------------------------------------


def test_a_folder_as_visits_file(tmp_path: Path) -> None:
    assert_refused(lupuscart("score", tmp_path), str(tmp_path), "folder")


def test_a_binary_visits_file(tmp_path: Path) -> None:
    src = _write(tmp_path, bytes(range(256)))
    assert_refused(lupuscart("score", src), "UTF-8")


def test_out_into_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    src = _write(tmp_path, GOOD)
    assert_refused(lupuscart("score", src, "--out", tmp_path / "no" / "such" / "scored.csv"), "does not exist")
    assert tree(tmp_path) == {"visits.csv": GOOD.encode()}


def test_out_onto_a_folder_is_refused(tmp_path: Path) -> None:
    src = _write(tmp_path, GOOD)
    (tmp_path / "scored.csv").mkdir()
    assert_refused(lupuscart("score", src, "--out", tmp_path / "scored.csv"), "is a directory")


def test_a_full_disk_keeps_the_earlier_scored_file(tmp_path: Path) -> None:
    src = _write(tmp_path, "patient_id,day,rash\n" + "".join(f"p{k},0,yes\n" for k in range(3000)))
    out = _write(tmp_path, "earlier result\n", "scored.csv")
    result = lupuscart("score", src, "--out", out, file_size_limit=20_000)
    assert_refused(result, str(out), "unchanged")
    assert out.read_text() == "earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scored.csv", "visits.csv"]
