"""``simulate --out`` as data that moves: visits the scorer accepts, a tidy Parquet time course, the full
parameter vector, and NONMEM-style event tables that ``simulate --events`` reads back (strictly validated)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lupuscart.cli import main
from lupuscart.model import default_model


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "run"
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--days", "400", "--out", str(out)])
    assert exc.value.code in (0, None)
    return out


def test_score_accepts_the_simulators_own_visits_and_reproduces_its_scores(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(["score", str(run_dir / "visits.csv"), "--out", str(tmp_path / "scored.csv")], capsys)
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "scored.csv")
    timecourse = pd.read_csv(run_dir / "timecourse.csv").set_index("day")
    simulated = timecourse.loc[scored["day"].astype(int)]
    assert scored["sledai2k"].tolist() == simulated["sledai2k"].astype(int).tolist()
    assert scored["clinical_sledai2k"].tolist() == simulated["clinical_sledai2k"].astype(int).tolist()
    assert scored["doris_2021"].tolist() == simulated["doris"].astype(bool).tolist()
    assert {"patient_id", "proteinuria_g_per_24h", "c3_g_per_l", "c3_lln_g_per_l"} <= set(scored.columns)
    pd.testing.assert_frame_equal(scored, pd.read_csv(run_dir / "visits_scored.csv"))


def test_score_accepts_the_timecourse_names_as_aliases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    visits = tmp_path / "v.csv"
    visits.write_text("patient,day,proteinuria_g_24h,c3_g_l,c3_lln_g_l\np1,0,1.2,0.6,0.9\n", encoding="utf-8")
    code, out, err = _run(["score", str(visits)], capsys)
    assert code == 0, err
    row = pd.read_csv(__import__("io").StringIO(out)).iloc[0]
    assert row["sledai2k"] == 4 + 2  # proteinuria > 0.5 g/24 h (4) + low complement (2)
    both = tmp_path / "both.csv"
    both.write_text("patient_id,c3_g_l,c3_g_per_l,c3_lln_g_per_l\np1,0.6,0.6,0.9\n", encoding="utf-8")
    code, _out, err = _run(["score", str(both)], capsys)
    assert code == 2
    assert "duplicate column 'c3_g_per_l'" in err


def test_tidy_parquet_and_full_parameters(run_dir: Path) -> None:
    long = pd.read_parquet(run_dir / "timecourse.parquet")
    wide = pd.read_csv(run_dir / "timecourse.csv")
    assert list(long.columns) == ["patient_id", "day", "observable", "value", "unit"]
    c3 = long[long["observable"] == "c3_g_l"]
    np.testing.assert_allclose(c3["value"].to_numpy(), wide["c3_g_l"].to_numpy(), rtol=1e-5)
    assert set(c3["unit"]) == {"g/L"}
    assert set(long["observable"]) == set(default_model().observable_names)
    record = json.loads((run_dir / "parameters.json").read_text())
    model = default_model()
    assert set(record["parameters"]) == {p.name for p in model.definition.parameters}
    assert record["parameters"]["weight_kg"]["configured"] is True
    assert record["parameters"]["car_kill_per_cell_day"]["unit"]
    assert len(record["parameters"]) > len(record["model_parameters"])


def test_events_csv_is_nonmem_style_and_replays_a_managed_run(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = pd.read_csv(run_dir / "events.csv")
    assert list(events.columns[:6]) == ["ID", "TIME", "EVID", "AMT", "CMT", "RATE"]
    doses = events[events["EVID"] == 1]
    assert {"flu_central_mg", "cy_mg", "car_t_effector"} <= set(doses["CMT"])
    assert (doses["AMT"] > 0).all()
    assert set(events.loc[events["EVID"] == 2, "kind"]) >= {"washout", "apheresis", "visit_score"}
    replay = tmp_path / "replay"
    code, _out, err = _run(
        ["simulate", "--days", "400", "--no-management", "--events", str(run_dir / "events.csv"), "--out", str(replay)],
        capsys,
    )
    assert code == 0, err
    a = pd.read_csv(run_dir / "timecourse.csv")
    b = pd.read_csv(replay / "timecourse.csv")
    for column in ("car_t_per_ul", "b_cells_per_ul", "il6_pg_ml", "anti_dsdna_iu_ml", "anc_10e9_l"):
        np.testing.assert_allclose(b[column], a[column], rtol=1e-5, atol=1e-9, err_msg=column)


def test_events_file_gives_a_reinfusion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "reinfusion.csv"
    table.write_text(
        "ID,TIME,EVID,AMT,CMT,RATE,ADDL,II\n"
        "1,-5,1,45,flu_central_mg,0,2,1\n"  # fludarabine days -5, -4, -3 (ADDL/II)
        "1,-3,1,1818,cy_mg,0,0,0\n"
        "1,0,1,7e7,car_t_effector,0,0,0\n"
        "1,120,1,7e7,7,0,0,0\n",  # a second infusion on day 120, compartment by number
        encoding="utf-8",
    )
    out = tmp_path / "re"
    code, _o, err = _run(["simulate", "--days", "200", "--events", str(table), "--out", str(out)], capsys)
    assert code == 0, err
    tc = pd.read_csv(out / "timecourse.csv").set_index("day")
    # 7e7 cells into ~5 L of blood: about +14/uL spread over the body's CAR T distribution; without lymphodepletion
    # the product barely expands (the model's lymphopenia drive), but the dose is there the day after.
    assert tc.loc[121, "car_t_per_ul"] > 1.5 * tc.loc[119, "car_t_per_ul"]
    replayed = pd.read_csv(out / "events.csv")
    car = replayed[(replayed["EVID"] == 1) & (replayed["CMT"] == "car_t_effector")]
    assert car["TIME"].tolist() == [0.0, 120.0]
    assert replayed.loc[(replayed["EVID"] == 1) & (replayed["CMT"] == "flu_central_mg"), "TIME"].tolist() == [
        -5,
        -4,
        -3,
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("1,0,1,7e7,b_naive", "row 1 (line 2), column 'CMT': must be a dosable compartment"),
        ("1,0,1,7e7,99", "row 1 (line 2), column 'CMT'"),
        ("1,0,1,-5,cy_mg", "row 1 (line 2), column 'AMT': must be a positive dose amount; got '-5'"),
        ("1,0,1,7e7,car_t_effector\n1,5000,1,1,cy_mg", "row 2 (line 3), column 'TIME': TIME = 5000 is outside"),
        ("1,-400,1,1,cy_mg", "column 'TIME': TIME = -400 is outside the journey"),
        ("1,zero,1,1,cy_mg", "column 'TIME': must be a finite number; got 'zero'"),
        ("1,0,4,1,cy_mg", "column 'EVID'"),
        ("1,0,1,1,cy_mg\n2,0,1,1,cy_mg", "one patient per simulation"),
    ],
)
def test_bad_event_tables_exit_2_naming_row_and_column(
    rows: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("ID,TIME,EVID,AMT,CMT\n" + rows + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = _run(["simulate", "--events", str(table), "--out", str(out)], capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()  # nothing written


def test_unknown_event_table_column_and_rate_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("ID,TIME,EVID,AMT,CMT,RATE,DOSE\n1,0,1,1,cy_mg,50,3\n", encoding="utf-8")
    code, _out, err = _run(["simulate", "--events", str(table)], capsys)
    assert code == 2
    assert "unknown column 'DOSE'" in err
    table.write_text("ID,TIME,EVID,AMT,CMT,RATE\n1,0,1,1,cy_mg,50\n", encoding="utf-8")
    code, _out, err = _run(["simulate", "--events", str(table)], capsys)
    assert code == 2
    assert "column 'RATE': must be 0 or empty" in err


def test_fast_engine_says_it_compiles_on_first_use(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import lupuscart.engine

    monkeypatch.setattr(lupuscart.engine, "fast_engine_ready", lambda model=None: False)
    code, _out, err = _run(["simulate", "--engine", "fast", "--days", "30"], capsys)
    assert code == 0
    assert "compiling the fast engine" in err
