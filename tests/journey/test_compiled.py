"""The compiled journey (numba kernel) against the readable reference journey on the same protocol.

With the fast engine's Rodas4 under both, the two must agree bit for bit: states on the output grid, graded days,
drugs given and the event log — for patients that exercise every branch of the management loop (CRS grade ≥ 2
with tocilizumab and dexamethasone, prophylaxis, ICANS episodes, no product). The vitals and ICANS grading compiled
into the kernel are checked against the clinical functions over a sweep of inputs, and a patient's result does not
depend on the batch it is integrated in.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from lupuscart.engine import FastSolver
from lupuscart.engine._fast_codegen import generate_kernel_source, load_kernels
from lupuscart.journey import load_config
from lupuscart.journey._compiled import vitals_vector
from lupuscart.journey._runner import _integrate_compiled, _integrate_reference, _prepare
from lupuscart.journey._vitals import graded_crs, graded_icans
from lupuscart.model import default_model

CASES = {
    "default": {},
    "severe_crs_managed": {"model_parameters": {"il6_induction_max": 600.0}},
    "very_severe_crs": {"model_parameters": {"il6_induction_max": 3000.0}},
    "prophylactic_tocilizumab": {"management": {"tocilizumab": "prophylactic"}},
    "no_product": {"manufacturing": {"failure_probability": 1.0}},
    "unmanaged": {"management": {"tocilizumab": "none", "steroids": "none"}},
    "bcma_igg_replacement": {"product": {"name": "bcma_cd19"}, "followup": {"days": 400}},
    "icans_prone": {"model_parameters": {"icans_hazard_per_activation_day": 5.0}},
    # tocilizumab now blocks the vascular signal before grade 3; without it, severe CRS gets dexamethasone
    "severe_crs_steroids_only": {
        "management": {"tocilizumab": "none"},
        "model_parameters": {"il6_induction_max": 3000.0},
    },
}


@pytest.fixture(scope="module")
def prepared() -> list[object]:
    model = default_model()
    return [_prepare(load_config(c), seed, True, model) for seed, c in enumerate(CASES.values())]


@pytest.fixture(scope="module")
def compiled(prepared: list[object]) -> list[object]:
    return _integrate_compiled(default_model(), prepared, 1e-6, False)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", range(len(CASES)), ids=list(CASES))
def test_compiled_equals_reference_journey_bit_for_bit(
    case: int, prepared: list[object], compiled: list[object]
) -> None:
    model = default_model()
    ref = _integrate_reference(model, prepared[case], FastSolver, 1e-6)  # type: ignore[arg-type]
    got = compiled[case]
    np.testing.assert_array_equal(got.states, ref.states)  # type: ignore[attr-defined]
    a, b = got.final, ref.final  # type: ignore[attr-defined]
    assert [(e.day, e.kind, e.detail, e.grade) for e in a.events] == [
        (e.day, e.kind, e.detail, e.grade) for e in b.events
    ]
    assert a.crs_grade_by_day == b.crs_grade_by_day
    assert a.icans_grade_by_day == b.icans_grade_by_day
    assert a.given == b.given


def test_cases_exercise_the_management_loop(compiled: list[object]) -> None:
    finals = dict(zip(CASES, (c.final for c in compiled), strict=True))  # type: ignore[attr-defined]
    assert finals["severe_crs_managed"].given.tocilizumab_days
    assert finals["severe_crs_steroids_only"].given.dexamethasone_days
    assert max(finals["very_severe_crs"].crs_grade_by_day.values()) >= 2
    assert finals["prophylactic_tocilizumab"].given.tocilizumab_days[0] == 0.0
    assert not finals["no_product"].crs_grade_by_day
    assert not finals["unmanaged"].given.tocilizumab_days
    assert any(e.kind == "icans_onset" for f in finals.values() for e in f.events)
    assert finals["bcma_igg_replacement"].given.immunoglobulin_days
    assert not finals["default"].given.immunoglobulin_days


def test_a_patient_does_not_depend_on_its_batch(prepared: list[object], compiled: list[object]) -> None:
    alone = _integrate_compiled(default_model(), [prepared[1]], 1e-6, False)[0]  # type: ignore[list-item]
    np.testing.assert_array_equal(alone.states, compiled[1].states)  # type: ignore[union-attr,attr-defined]


@pytest.mark.parametrize("treated", [False, True])
def test_compiled_crs_grading_equals_the_clinical_function(treated: bool, prepared: list[object]) -> None:
    kernels = load_kernels(default_model())[0]
    p = prepared[0]
    vitals = vitals_vector(p.plan, p.protocol)  # type: ignore[attr-defined]
    values = p.plan.journey_values  # type: ignore[attr-defined]
    signals = np.concatenate([np.geomspace(1e-3, 1e4, 200), [0.0, 10.0, 100.0, 150.0, 500.0, 600.0, 2000.0, 2500.0]])
    for temperature in (36.8, 37.9, 38.0, 39.5):
        for x in signals:
            expected = graded_crs(temperature, float(x), values, anticytokine_given=treated)[0]
            assert kernels.crs_grade_from_vitals(temperature, x, treated, vitals) == expected, (temperature, x)


def test_compiled_icans_grading_equals_the_clinical_function(prepared: list[object]) -> None:
    kernels = load_kernels(default_model())[0]
    p = prepared[0]
    vitals = vitals_vector(p.plan, p.protocol)  # type: ignore[attr-defined]
    for endo in np.concatenate([np.linspace(0.0, 1.0, 401), [0.025, 0.075, 0.35, 0.45]]):
        expected = graded_icans(float(endo), p.plan.journey_values)[0]  # type: ignore[attr-defined]
        assert kernels.icans_grade_from_activation(endo, vitals) == expected, endo


def test_rendered_kernel_module_is_clean_python(tmp_path: object) -> None:
    """The template renders to a module with no undefined names or syntax errors (ruff's pyflakes rules)."""
    path = tmp_path / "kernels.py"  # type: ignore[operator]
    path.write_text(generate_kernel_source(default_model()).text)
    ruff = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E9,F", "--ignore", "F841", str(path)]
    proc = subprocess.run(ruff, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compact_record_gives_the_same_summaries_and_visits() -> None:
    """Recording only the daily series post-processing reads (as trials do) changes no outcome."""
    from lupuscart.journey import simulate_patients

    configs = [load_config(c) for c in CASES.values()]
    seeds = list(range(len(configs)))
    full = simulate_patients(configs, seeds, engine="fast")
    compact = simulate_patients(configs, seeds, engine="fast", compact=True)
    for a, b in zip(full, compact, strict=True):
        assert a.summary == b.summary  # type: ignore[union-attr]
        assert a.visits == b.visits  # type: ignore[union-attr]
        assert [vars(e) for e in a.events] == [vars(e) for e in b.events]  # type: ignore[union-attr]
        np.testing.assert_array_equal(a.prednisone_by_day, b.prednisone_by_day)  # type: ignore[union-attr]
