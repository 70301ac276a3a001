"""The vectorised table scorer agrees with the scalar functions and reports every bad cell."""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.clinical import DESCRIPTOR_NAMES, doris_remission, lldas, score_visits, score_visits_csv, sledai2k
from lupuscart.exceptions import InvalidInputError

FAST = settings(max_examples=40, deadline=None)
MEASUREMENTS: dict[str, st.SearchStrategy[Any]] = {
    "arthritis_joints": st.integers(0, 10),
    "hematuria_rbc_per_hpf": st.sampled_from([0.0, 5.0, 5.5, 30.0]),
    "proteinuria_g_per_24h": st.sampled_from([0.1, 0.5, 0.51, 3.0]),
    "pyuria_wbc_per_hpf": st.floats(0, 20),
    "temperature_c": st.sampled_from([36.5, 38.0, 38.01, 39.5]),
    "platelets_10e9_per_l": st.sampled_from([40.0, 99.9, 100.0, 250.0]),
    "wbc_10e9_per_l": st.floats(0.5, 10),
}


@st.composite
def visit(draw: st.DrawFn) -> dict[str, Any]:
    """A visit with a random subset of fields, each possibly None (not recorded)."""
    v: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(DESCRIPTOR_NAMES), max_size=6, unique=True)):
        v[name] = draw(st.one_of(st.none(), st.booleans()))
    for name in draw(st.lists(st.sampled_from(sorted(MEASUREMENTS)), max_size=5, unique=True)):
        v[name] = draw(st.one_of(st.none(), MEASUREMENTS[name]))
    if draw(st.booleans()):
        v["c3_g_per_l"], v["c3_lln_g_per_l"] = draw(st.floats(0.1, 1.5)), 0.9
    if draw(st.booleans()):
        v["anti_dsdna"], v["anti_dsdna_uln"] = draw(st.floats(0, 400)), 100.0
    excluded = draw(st.lists(st.sampled_from(DESCRIPTOR_NAMES), max_size=3, unique=True))
    if excluded:
        v["not_due_to_sle"] = excluded
    since = draw(
        st.dictionaries(
            st.sampled_from(DESCRIPTOR_NAMES), st.sampled_from([0.0, 5.0, 10.0, 20.0, 30.0, 31.0]), max_size=3
        )
    )
    if since:
        v["days_since"] = since
    return v


def as_row(v: dict[str, Any]) -> dict[str, Any]:
    row = {k: val for k, val in v.items() if k not in ("not_due_to_sle", "days_since")}
    for name in v.get("not_due_to_sle", []):
        row[name + "_not_due_to_sle"] = True
    for name, days in v.get("days_since", {}).items():
        row[name + "_days_since"] = days
    return row


def scalar_or_error(v: dict[str, Any], window: int) -> tuple[int, int] | str:
    try:
        s = sledai2k(v, window_days=window)
    except InvalidInputError:
        return "error"
    return (s.total, s.clinical)


@FAST
@given(visits=st.lists(visit(), min_size=1, max_size=8), window=st.sampled_from([10, 30]))
def test_table_equals_scalar_on_random_visits(visits: list[dict[str, Any]], window: int) -> None:
    rows = [{"patient_id": f"p{i}", **as_row(v)} for i, v in enumerate(visits)]
    df = pd.DataFrame(rows)  # absent keys → NaN, None stays None: both mean "not recorded"
    expected = [scalar_or_error(v, window) for v in visits]
    if "error" in expected:
        with pytest.raises(InvalidInputError):
            score_visits(df, window_days=window)
        return
    out = score_visits(df, window_days=window)
    assert list(zip(out["sledai2k"], out["clinical_sledai2k"], strict=True)) == expected


@FAST
@given(
    visits=st.lists(visit(), min_size=1, max_size=6),
    pga=st.lists(st.sampled_from([0.0, 0.4, 0.5, 1.0, 1.5]), min_size=6, max_size=6),
    pred=st.lists(st.sampled_from([0.0, 5.0, 7.5, 10.0]), min_size=6, max_size=6),
)
def test_table_doris_and_lldas_equal_scalar_per_patient(
    visits: list[dict[str, Any]], pga: list[float], pred: list[float]
) -> None:
    if any(scalar_or_error(v, 10) == "error" for v in visits):
        return
    rows = [
        {"patient_id": "p1", "day": 10 * i, "pga": pga[i], "prednisone_mg_per_day": pred[i], **as_row(v)}
        for i, v in enumerate(visits)
    ]
    out = score_visits(pd.DataFrame(rows[::-1]))  # shuffled order: the scorer orders by day
    out = out.sort_values("day")
    for i, v in enumerate(visits):
        s = sledai2k(v)
        previous = sledai2k(visits[i - 1]) if i > 0 else None
        assert out["doris_2021"].iloc[i] == doris_remission(
            clinical_sledai=s.clinical, pga=pga[i], prednisone_mg_per_day=pred[i]
        )
        assert out["lldas"].iloc[i] == lldas(s, pga=pga[i], prednisone_mg_per_day=pred[i], previous=previous)


def test_missing_pga_gives_na_not_a_guess() -> None:
    df = pd.DataFrame({"patient_id": ["a", "b"], "pga": [0.2, None], "prednisone_mg_per_day": [5, 5]})
    out = score_visits(df)
    assert bool(out["doris_2021"].iloc[0])
    assert out["doris_2021"].isna().tolist() == [False, True]
    assert out["lldas"].isna().tolist() == [False, True]


def test_no_remission_columns_without_their_inputs() -> None:
    out = score_visits(pd.DataFrame({"patient_id": ["a"], "rash": [True]}))
    assert list(out.columns) == ["patient_id", "rash", "sledai2k", "clinical_sledai2k"]
    assert out["sledai2k"].tolist() == [2]


def test_input_is_not_modified() -> None:
    df = pd.DataFrame({"patient_id": ["a"], "rash": [True]})
    score_visits(df)
    assert list(df.columns) == ["patient_id", "rash"]


def test_all_bad_cells_are_reported_with_row_and_column() -> None:
    df = pd.DataFrame(
        {
            "patient_id": ["a", None, "c"],
            "arthritis_joints": [-1, 2, 2.5],
            "rash": ["yes", "maybe", True],
            "temperature_c": [37.0, math.nan, math.inf],
        }
    )
    with pytest.raises(InvalidInputError) as info:
        score_visits(df)
    message = str(info.value)
    assert message.startswith("5 invalid cell(s)")
    assert "row 1, column 'arthritis_joints'" in message
    assert "row 2, column 'patient_id'" in message
    assert "row 2, column 'rash'" in message
    assert "'maybe'" in message
    assert "row 3, column 'arthritis_joints'" in message
    assert "row 3, column 'temperature_c'" in message


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["day", "rash"], "missing required column 'patient_id'"),
        (["patient_id", "rashes"], "unknown column 'rashes'"),
        (["patient_id", "sledai2k"], "computed by the scorer"),
    ],
)
def test_bad_columns(columns: list[str], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        score_visits(pd.DataFrame({c: [1] for c in columns}))


def test_csv_cells_keep_their_text_and_lines_are_reported() -> None:
    text = "patient_id,day,rash,temperature_c\np1,0,yes,38.5\n\np2,1,,\n"
    out = score_visits_csv(io.StringIO(text))
    assert out["rash"].tolist() == ["yes", ""]
    assert out["sledai2k"].tolist() == [3, 0]
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 4\), column 'temperature_c'"):
        score_visits_csv(io.StringIO("patient_id,temperature_c\np1,37\n\np2,hot\n"))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "header"),
        ("patient_id,rash\np1,yes,extra\n", r"row 1 \(line 2\): 3 fields"),
        ("patient_id,rash,rash\np1,yes,no\n", "duplicate column 'rash'"),
        ("patient_id,temperature_c\np1,nan\n", "must be a number"),
    ],
)
def test_malformed_csv(text: str, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        score_visits_csv(io.StringIO(text))


def test_example_file_scores_as_documented() -> None:
    from pathlib import Path

    import lupuscart

    path = Path(lupuscart.__file__).parent / "data" / "example_visits.csv"
    out = score_visits_csv(path)
    assert out["sledai2k"].tolist() == [20, 10, 0, 0, 10, 4, 0]
    assert out["clinical_sledai2k"].tolist() == [16, 6, 0, 0, 6, 0, 0]
    assert out["doris_2021"].tolist() == [False, False, True, True, False, False, True]  # SLE-02 d90: PGA 0.5
    assert out["lldas"].tolist() == [False, False, True, True, False, True, True]
