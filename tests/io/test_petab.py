"""PEtab export of the calibration problem: valid for the PEtab linter, and its observables mean what they say.

Independent reference: libRoadRunner simulates the exported SBML at the PEtab measurement times, the observable
formulas are evaluated on its output, and the result is compared with lupuscart's own reference solve of the same
patient (no management) at the corresponding days after infusion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import petab.v1 as petab
import pytest

from lupuscart.calibrate import STAGE1_PARAMETERS, mackensen2022
from lupuscart.cli import main
from lupuscart.exceptions import InvalidInputError
from lupuscart.io import write_petab


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("petab") / "problem"
    write_petab(out)
    return out


# petab 0.8 uses pandas arguments deprecated in pandas >= 3.1 (inplace, float_precision): its code, not ours.
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_the_petab_linter_accepts_the_problem(exported: Path) -> None:
    problem = petab.Problem.from_yaml(exported / "problem.yaml")
    assert petab.lint_problem(problem) is False
    estimated = set(problem.parameter_df.index[problem.parameter_df["estimate"] == 1])
    assert estimated == {*STAGE1_PARAMETERS, "car_t_peak_per_ul"}
    priors = problem.parameter_df.loc[list(STAGE1_PARAMETERS), "objectivePriorType"]
    assert set(priors) == {"parameterScaleNormal"}
    nominal = problem.parameter_df["nominalValue"]
    assert ((problem.parameter_df["lowerBound"] <= nominal) & (nominal <= problem.parameter_df["upperBound"])).all()


def test_measurements_are_the_packaged_time_course(exported: Path) -> None:
    m = pd.read_csv(exported / "measurements.tsv", sep="\t")
    course = [t for t in mackensen2022()["time_course"] if t["observable"] not in {"sledai2k", "anti_dsdna_negative"}]
    assert len(m) == len(course) + 1  # + the B-cell return on day 110
    tagged = {"R": 0.1, "R2": 0.15, "A": 0.3}
    first = course[0]
    row = m[m["observableId"] == first["observable"]].iloc[0]
    assert row["measurement"] == first["value"]
    assert row["time"] == first["day"] + 42  # SBML time 0 is the default patient's journey start, day -42
    assert row["noiseParameters"] == tagged[first["tag"]]


def test_observables_evaluated_on_roadrunner_match_the_reference_solve(exported: Path) -> None:
    import roadrunner

    from lupuscart.journey import load_config, plan_patient, simulate_patient
    from lupuscart.model import default_model

    plan = plan_patient(load_config())
    ref = simulate_patient(load_config(), management=False)
    m = pd.read_csv(exported / "measurements.tsv", sep="\t")
    params = pd.read_csv(exported / "parameters.tsv", sep="\t").set_index("parameterId")["nominalValue"]
    rr = roadrunner.RoadRunner(str(exported / "model.xml"))
    names = ["car_t_per_ul", "b_cells_per_ul", "anti_dsdna_iu_ml", "c3_g_l", "proteinuria_g_24h"]
    rr.timeCourseSelections = ["time", *names, "anti_dsdna_baseline_iu_ml", "proteinuria_baseline_g_24h"]
    rr.integrator.relative_tolerance = 1e-10
    # each state's absolute tolerance from State.scale (the engines' rule; a single 1e-14 stalls CVODE after the
    # first lymphodepletion dose since the issue-10 states)
    model = default_model()
    for name, atol in zip(model.state_names, model.absolute_tolerance(1e-10), strict=True):
        rr.integrator.setIndividualTolerance(name, float(atol))
    rr.integrator.setValue("maximum_num_steps", 100_000)
    times = sorted({0.0, *m["time"]})
    sim = pd.DataFrame(np.asarray(rr.simulate(times=times)), columns=list(rr.timeCourseSelections)).set_index("time")
    formulas = {
        "car_t_fraction": lambda s: s["car_t_per_ul"] / params["car_t_peak_per_ul"],
        "b_cells_fraction": lambda s: s["b_cells_per_ul"] / params["b_cells_baseline_per_ul"],
        "anti_dsdna_fraction": lambda s: s["anti_dsdna_iu_ml"] / s["anti_dsdna_baseline_iu_ml"],
        "c3_fraction_lln": lambda s: s["c3_g_l"] / 0.9,
        "proteinuria_fraction": lambda s: s["proteinuria_g_24h"] / s["proteinuria_baseline_g_24h"],
        "b_cells_count": lambda s: s["b_cells_per_ul"],
    }
    obs = ref.observables
    expected = {
        "car_t_fraction": obs["car_t_per_ul"] / ref.summary.car_t_peak_per_ul,
        "b_cells_fraction": obs["b_cells_per_ul"] / obs["b_cells_per_ul"][0],
        "anti_dsdna_fraction": obs["anti_dsdna_iu_ml"] / obs["anti_dsdna_iu_ml"][0],
        "c3_fraction_lln": obs["c3_g_l"] / 0.9,
        "proteinuria_fraction": obs["proteinuria_g_24h"] / obs["proteinuria_g_24h"][0],
        "b_cells_count": obs["b_cells_per_ul"],
    }
    for r in m.itertuples(index=False):
        got = float(formulas[r.observableId](sim.loc[r.time]))
        day = r.time + plan.t_start
        want = float(expected[r.observableId][int(np.searchsorted(ref.days, day))])
        assert got == pytest.approx(want, rel=2e-3, abs=1e-6), (r.observableId, day)


def test_refuses_a_non_empty_directory_and_writes_nothing_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(InvalidInputError, match="new or empty directory"):
        write_petab(tmp_path / "full")
    with pytest.raises(SystemExit) as exc:
        main(["export", "petab", str(tmp_path / "full")])
    assert exc.value.code == 2
    assert "new or empty directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]
