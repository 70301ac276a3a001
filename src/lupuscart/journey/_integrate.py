"""Integrate one patient's ODEs through the journey, with the bedside assessments (the readable reference).

The model is integrated between event times: scheduled doses and, during the monitoring window, the
assessments every ``monitoring.assessment_interval_hours``. At each assessment (:func:`assess`) the state is read,
vitals and neurological status are graded with the ASTCT functions of :mod:`lupuscart.clinical`, an ICANS episode
may start (a hazard on endothelial activation), and the management policy may give tocilizumab or dexamethasone,
which enter the ODEs as boluses. Everything that changes during integration lives in one :class:`JourneyState`.

This is the oracle the compiled journey (``_compiled``) is tested against: same protocol data, same random
draws, same events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._typing import FloatArray
from ..engine import Solver
from ..model import CompiledModel
from ._events import Event
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


def integrate(
    model: CompiledModel, plan: PatientPlan, protocol: Protocol, solver: Solver, icans_rng: np.random.Generator
) -> Integration:
    """Integrate from the journey start to the end of follow-up, assessing and managing on the way."""
    p = plan.full_parameters
    times = protocol.output_days
    states = np.empty((model.n_states, times.size))
    state = JourneyState(t=protocol.t_start, y=model.initial_state(p))
    endo0 = float(state.y[model.definition.state_index["endothelial_activation"]])
    assessments = set(protocol.assessment_days.tolist())
    igg_checks = set(protocol.igg_replacement.check_days.tolist())
    for b in protocol.boundaries:
        mask = (times >= state.t) & (times < b)
        ys, state.y = solver.advance(state.y, state.t, b, times[mask])
        states[:, mask] = ys
        if b >= protocol.t_end:
            states[:, times == b] = state.y[:, None]
            break
        state.t = b
        if b in assessments:
            assess(state, model, plan, protocol, icans_rng, endo0)
        if b in igg_checks:
            replace_igg(state, model, plan, protocol)
        for dose in protocol.doses:
            if dose.time_day == b:
                state.y[model.definition.state_index[dose.state]] += dose.amount
    return Integration(times=times, states=states, final=state)


def assess(
    state: JourneyState,
    model: CompiledModel,
    plan: PatientPlan,
    protocol: Protocol,
    icans_rng: np.random.Generator,
    endo0: float,
) -> None:
    """One bedside assessment at ``state.t``: grade CRS and ICANS, record them, and give what the policy says."""
    t, idx = state.t, model.definition.state_index
    observables = model.observables_at(state.y, plan.full_parameters)
    il6_signalling = observables["il6_signalling_pg_ml"]
    anticytokine_given = bool(state.given.tocilizumab_days or state.given.dexamethasone_days)
    values = plan.journey_values
    crs, _vitals = graded_crs(
        observables["crs_temperature_c"],
        observables["crs_vascular_signal_pg_ml"],
        values,
        anticytokine_given=anticytokine_given,
    )
    endo = float(state.y[idx["endothelial_activation"]])
    u = icans_rng.random()
    if t >= state.icans_episode_until:
        hazard = values["icans_hazard_per_activation_day"] * max(0.0, endo - endo0)
        if u < 1.0 - np.exp(-hazard * protocol.assessment_interval_days):
            duration = values["icans_median_duration_days"] * float(np.exp(0.5 * icans_rng.standard_normal()))
            state.icans_episode_until = t + duration
            state.events.append(Event(t, "icans_onset", f"ICANS episode, {duration:.1f} days"))
    icans = graded_icans(endo, values)[0] if t < state.icans_episode_until else 0
    day = int(np.floor(t))
    state.crs_grade_by_day[day] = max(state.crs_grade_by_day.get(day, 0), crs)
    state.icans_grade_by_day[day] = max(state.icans_grade_by_day.get(day, 0), icans)
    if crs != state.crs_grade:
        state.events.append(Event(t, "crs_grade", f"CRS grade {crs} (IL-6 signalling {il6_signalling:.1f} pg/mL)", crs))
        state.crs_grade = crs
    if icans:
        state.events.append(Event(t, "icans_grade", f"ICANS grade {icans}", icans))
    for iv in decide(protocol.management, state.given, t, crs, icans):
        if iv.drug == "tocilizumab":
            state.y[idx["toc_central_mg"]] += iv.amount_mg
            state.given.tocilizumab_days.append(t)
        else:
            state.y[idx["dex_mg"]] += iv.amount_mg
            state.given.dexamethasone_days.append(t)
        state.events.append(Event(t, iv.drug, f"{iv.amount_mg:g} mg for {iv.reason}"))


def replace_igg(state: JourneyState, model: CompiledModel, plan: PatientPlan, protocol: Protocol) -> None:
    """An IgG check at ``state.t``: read serum IgG and, below the threshold, infuse immunoglobulin (a bolus)."""
    igg = model.observables_at(state.y, plan.full_parameters)[IGG_OBSERVABLE]
    dose = protocol.igg_replacement.dose_at_check(igg)
    if dose > 0:
        state.y[model.definition.state_index[IVIG_STATE]] += dose
        state.given.immunoglobulin_days.append(state.t)
        state.events.append(Event(state.t, "immunoglobulin", f"IVIG {dose:g} g for IgG {igg:.1f} g/L"))
