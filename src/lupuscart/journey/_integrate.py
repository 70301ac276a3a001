"""Integrate one patient's ODEs through the journey, with the bedside assessments (the readable reference).

The model is integrated from one scheduled dose to the next. The assessment times of the monitoring window (every
``monitoring.assessment_interval_hours``) are output points of that integration; they are walked in order
(:func:`assess`): the state is read, vitals and neurological status are graded with the ASTCT functions of
:mod:`lupuscart.clinical`, an ICANS episode may start (a hazard on endothelial activation, with the patient's
pre-drawn random numbers), and the management policy may give tocilizumab or dexamethasone. The first assessment
that gives a drug ends the integration there: the bolus is added and integration restarts from that state. An
assessment that falls on a dose time comes before the dose. Everything that changes during integration lives in
one :class:`JourneyState`.

IgG checks (:func:`replace_igg`, the management's IgG replacement rule) end an integration segment like doses:
the serum IgG observable is read and, below the threshold, immunoglobulin is added as a bolus to ``ivig_g``; at a
time with several steps the order is assessment, IgG check, scheduled doses.

The compiled journey (``_compiled``) runs the same algorithm on the same :class:`~lupuscart.journey.Protocol`
inside numba; with the fast engine both give bit-identical states, grades and events (tests/journey).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._typing import FloatArray
from ..engine import Solver
from ..model import CompiledModel
from ._events import Event, crs_grade_event, drug_event, icans_grade_event, icans_onset_event, immunoglobulin_event
from ._igg_replacement import IGG_OBSERVABLE, IVIG_STATE
from ._management import ManagementState, decide
from ._plan import PatientPlan
from ._protocol import Protocol
from ._vitals import graded_crs, graded_icans


@dataclass
class JourneyState:
    """Everything that changes while one patient's journey is integrated."""

    t: float
    y: FloatArray
    given: ManagementState = field(default_factory=ManagementState)
    crs_grade_by_day: dict[int, int] = field(default_factory=dict)
    icans_grade_by_day: dict[int, int] = field(default_factory=dict)
    crs_grade: int = 0
    icans_episode_until: float = -math.inf
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class Integration:
    """The integrated journey: states on the output grid (``states[i, k]`` is state ``i`` at ``times[k]``) and the
    journey state at the end (grades, drugs given, events)."""

    times: FloatArray
    states: FloatArray
    final: JourneyState


@dataclass(frozen=True)
class IcansDraws:
    """A patient's random numbers for ICANS, one pair per assessment: the uniform that decides onset and the
    standard normal that sets the episode's duration (log-normal around the median)."""

    uniform: FloatArray
    normal: FloatArray

    @classmethod
    def draw(cls, rng: np.random.Generator, n_assessments: int) -> IcansDraws:
        """Draw from the patient's ICANS stream (independent of what happens during the journey)."""
        return cls(rng.random(n_assessments), rng.standard_normal(n_assessments))


def integrate(
    model: CompiledModel, plan: PatientPlan, protocol: Protocol, solver: Solver, draws: IcansDraws
) -> Integration:
    """Integrate from the journey start to the end of follow-up, assessing and managing on the way."""
    p = plan.full_parameters
    times = protocol.output_days
    states = np.empty((model.n_states, times.size))
    state = JourneyState(t=protocol.t_start, y=model.initial_state(p))
    endo0 = float(state.y[model.definition.state_index["endothelial_activation"]])
    assessments = protocol.assessment_days
    igg_checks = set(protocol.igg_replacement.check_days.tolist())
    stops = sorted({d.time_day for d in protocol.doses} | igg_checks)
    _give_scheduled(model, protocol, state.y, state.t)
    next_assessment = 0
    while True:
        b = next((d for d in stops if d > state.t and d < protocol.t_end), protocol.t_end)
        pending = [k for k in range(next_assessment, assessments.size) if assessments[k] < b]
        grid = np.union1d(times[(times >= state.t) & (times < b)], assessments[pending])
        rows, y_end = solver.advance(state.y, state.t, b, grid)
        stop = b
        for k in pending:
            y_k = rows[:, int(np.searchsorted(grid, assessments[k]))].copy()
            next_assessment = k + 1
            if assess(state, k, float(assessments[k]), y_k, model, plan, protocol, draws, endo0):
                stop, state.y = float(assessments[k]), y_k
                break
        kept = (times >= state.t) & (times < stop)
        states[:, kept] = rows[:, np.searchsorted(grid, times[kept])]
        if stop < b:
            state.t = stop
            continue
        state.y = y_end
        if b >= protocol.t_end:
            states[:, -1] = state.y
            return Integration(times=times, states=states, final=state)
        if next_assessment < assessments.size and assessments[next_assessment] == b:
            assess(state, next_assessment, b, state.y, model, plan, protocol, draws, endo0)
            next_assessment += 1
        if b in igg_checks:
            replace_igg(state, b, model, plan, protocol)
        _give_scheduled(model, protocol, state.y, b)
        state.t = b


def _give_scheduled(model: CompiledModel, protocol: Protocol, y: FloatArray, day: float) -> None:
    for dose in protocol.doses:
        if dose.time_day == day:
            y[model.definition.state_index[dose.state]] += dose.amount


def assess(
    state: JourneyState,
    k: int,
    t: float,
    y: FloatArray,
    model: CompiledModel,
    plan: PatientPlan,
    protocol: Protocol,
    draws: IcansDraws,
    endo0: float,
) -> bool:
    """Assessment ``k`` at day ``t`` with state ``y``: grade CRS and ICANS, record them, and give what the
    policy says (added to ``y`` in place). Returns whether a drug was given."""
    idx = model.definition.state_index
    observables = model.observables_at(y, plan.full_parameters)
    il6_signalling = observables["il6_signalling_pg_ml"]
    values = plan.journey_values
    anticytokine_given = bool(state.given.tocilizumab_days or state.given.dexamethasone_days)
    crs, _vitals = graded_crs(
        observables["crs_temperature_c"],
        observables["crs_vascular_signal_pg_ml"],
        values,
        anticytokine_given=anticytokine_given,
    )
    endo = float(y[idx["endothelial_activation"]])
    if t >= state.icans_episode_until:
        hazard = values["icans_hazard_per_activation_day"] * max(0.0, endo - endo0)
        if draws.uniform[k] < 1.0 - np.exp(-hazard * protocol.assessment_interval_days):
            duration = values["icans_median_duration_days"] * float(np.exp(0.5 * draws.normal[k]))
            state.icans_episode_until = t + duration
            state.events.append(icans_onset_event(t, duration))
    icans = graded_icans(endo, values)[0] if t < state.icans_episode_until else 0
    day = int(np.floor(t))
    state.crs_grade_by_day[day] = max(state.crs_grade_by_day.get(day, 0), crs)
    state.icans_grade_by_day[day] = max(state.icans_grade_by_day.get(day, 0), icans)
    if crs != state.crs_grade:
        state.events.append(crs_grade_event(t, crs, il6_signalling))
        state.crs_grade = crs
    if icans:
        state.events.append(icans_grade_event(t, icans))
    interventions = decide(protocol.management, state.given, t, crs, icans)
    for iv in interventions:
        if iv.drug == "tocilizumab":
            y[idx["toc_central_mg"]] += iv.amount_mg
            state.given.tocilizumab_days.append(t)
        else:
            y[idx["dex_mg"]] += iv.amount_mg
            state.given.dexamethasone_days.append(t)
        state.events.append(drug_event(t, iv.drug, iv.amount_mg, iv.reason))
    return bool(interventions)


def replace_igg(state: JourneyState, t: float, model: CompiledModel, plan: PatientPlan, protocol: Protocol) -> None:
    """An IgG check at day ``t``: read serum IgG and, below the threshold, infuse immunoglobulin (a bolus)."""
    rule = protocol.igg_replacement
    dose = rule.dose_at_check(model.observables_at(state.y, plan.full_parameters)[IGG_OBSERVABLE])
    if dose > 0:
        state.y[model.definition.state_index[IVIG_STATE]] += dose
        state.given.immunoglobulin_days.append(t)
        state.events.append(immunoglobulin_event(t, dose, rule.threshold_g_l))
