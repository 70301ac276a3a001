"""Antimony export: the text, loaded back with libAntimony (an independent parser) and converted to SBML, is the same
model as the direct SBML export: libRoadRunner gives the same trajectories within 1e-8 relative, with the same
parameters, events and units."""

from __future__ import annotations

import antimony  # pinned in requirements.lock: a missing install must fail, not skip
import libsbml
import numpy as np
import pytest
import roadrunner

from lupuscart.engine import relative_difference
from lupuscart.io import sbml_unit_warnings, to_antimony, to_sbml
from lupuscart.journey import load_config, plan_patient
from lupuscart.model import default_model

#: Days after the journey start compared (the journey is 407 days for the default patient).
TIMES = np.linspace(0.0, 407.0, 408)
TOLERANCE = 1e-8


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return plan_patient(load_config(None))


def _antimony_to_sbml(text: str) -> str:
    antimony.clearPreviousLoads()
    try:
        assert antimony.loadAntimonyString(text) >= 0, antimony.getLastError()
        return str(antimony.getSBMLString(antimony.getMainModuleName()))
    finally:
        antimony.clearPreviousLoads()


def _trajectory(sbml: str, times: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Every state and observable at ``times`` (CVODE at rtol 1e-10, each state's absolute tolerance from its
    scale, as in test_sbml.py)."""
    model = default_model()
    rr = roadrunner.RoadRunner(sbml)
    names = [*model.state_names, *model.observable_names]
    rr.timeCourseSelections = ["time", *names]
    rr.integrator.relative_tolerance = 1e-10
    for name, atol in zip(model.state_names, model.absolute_tolerance(1e-10), strict=True):
        rr.integrator.setIndividualTolerance(name, float(atol))
    rr.integrator.setValue("maximum_num_steps", 100_000)
    return names, np.asarray(rr.simulate(times=times.tolist()))[:, 1:]


@pytest.mark.parametrize("time_origin", ["journey", "infusion"])
def test_antimony_round_trip_simulates_like_the_sbml_export(plan, time_origin: str) -> None:  # type: ignore[no-untyped-def]
    direct = to_sbml(plan, time_origin=time_origin)
    via_antimony = _antimony_to_sbml(to_antimony(plan, time_origin=time_origin))
    times = TIMES + (plan.t_start if time_origin == "infusion" else 0.0)
    names, expected = _trajectory(direct, times)
    _, got = _trajectory(via_antimony, times)
    worst = {
        name: float(relative_difference(got[:, j], expected[:, j], peak=np.abs(expected[:, j]).max()).max())
        for j, name in enumerate(names)
    }
    bad = {n: w for n, w in worst.items() if not w <= TOLERANCE}
    assert not bad, f"Antimony round trip differs from the SBML export by more than {TOLERANCE}: {bad}"


def test_antimony_round_trip_keeps_parameters_events_and_units(plan) -> None:  # type: ignore[no-untyped-def]
    direct = libsbml.readSBMLFromString(to_sbml(plan)).getModel()
    back_text = _antimony_to_sbml(to_antimony(plan))
    back = libsbml.readSBMLFromString(back_text).getModel()
    assert back.getNumParameters() == direct.getNumParameters()
    for i in range(direct.getNumParameters()):
        p = direct.getParameter(i)
        q = back.getParameter(p.getId())
        assert q is not None, p.getId()
        assert q.getUnits() == p.getUnits(), p.getId()
        assert q.getConstant() == p.getConstant(), p.getId()
        rule = direct.getRuleByVariable(p.getId())
        assert (back.getRuleByVariable(p.getId()) is None) == (rule is None), p.getId()
        if back.getInitialAssignmentBySymbol(p.getId()) is not None:  # Antimony writes the formula, no value
            assert direct.getInitialAssignmentBySymbol(p.getId()) is not None, p.getId()
        elif rule is None or rule.isRate():  # a value, or an initial value that is a number (``cy_mg = 0``)
            assert q.getValue() == pytest.approx(p.getValue(), rel=1e-14), p.getId()
    assert back.getNumEvents() == direct.getNumEvents() == 4
    assert back.getNumRules() == direct.getNumRules()
    assert back.getTimeUnits() == "day"
    assert len(sbml_unit_warnings(back_text)) == 1  # the same single known warning as the SBML export


def test_antimony_text_is_readable(plan) -> None:  # type: ignore[no-untyped-def]
    text = to_antimony(plan)
    assert "b_cells_per_ul :=" in text  # observables as assignment rules
    assert "unit cell_per_uL = item / 1e-06 litre;" in text
    assert "b_naive has cell;" in text
    assert "doses_day_0: at time >= 42 day, t0=false: car_t_effector = car_t_effector + dose_5_" in text
