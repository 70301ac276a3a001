"""Simulate one patient's journey as a pipeline: plan → integrate with assessments → post-process.

1. **Plan** (:func:`~lupuscart.journey.plan_patient`): the configuration becomes model parameters, scheduled
   doses and the journey timeline; the manufacturing draw decides whether there is a product; the
   :class:`~lupuscart.journey.Protocol` collects what will be done and when.
2. **Integrate** (``_integrate``): the ODEs between doses and bedside assessments; CRS/ICANS graded and managed.
3. **Post-process** (``_post_process``): B-cell aplasia and recovery, LICATS, prednisone, scored visits and
   flares, infections and the :class:`~lupuscart.journey.PatientSummary`.

With ``management=False`` the grades are still recorded but nothing is given, so the run is a plain ODE problem
with scheduled doses (comparable with the SBML export).
"""

from __future__ import annotations

import numpy as np

from ..engine import ENGINES
from ..exceptions import InvalidInputError
from ..model import CompiledModel, default_model
from ._config import SimulationConfig, load_config
from ._events import Event
from ._integrate import Integration, integrate
from ._plan import PatientPlan, manufacturing_failure_probability, plan_patient
from ._post_process import JourneyRecord, post_process
from ._protocol import Protocol, build_protocol
from ._result import PatientResult
from ._stochastic import patient_streams

#: Model states reported alongside the observables (organ activity drives PGA and LICATS organs).
ORGAN_ACTIVITY_STATES = tuple(
    f"{organ}_activity"
    for organ in ("renal", "mucocutaneous", "musculoskeletal", "serosal", "haematological", "constitutional")
)
#: Journey steps that do not happen when the product could not be manufactured.
_NEEDS_PRODUCT = frozenset({"lymphodepletion", "infusion", "discharge", "product_release"})


def simulate_patient(
    config: SimulationConfig | None = None,
    *,
    seed: int = 0,
    management: bool = True,
    model: CompiledModel | None = None,
    rtol: float = 1e-6,
    engine: str = "reference",
) -> PatientResult:
    """Simulate one patient from washout to the end of follow-up.

    Parameters
    ----------
    config:
        Validated configuration (:func:`load_config`); ``None`` for the embedded defaults.
    seed:
        Seed of the patient's random streams (manufacturing failure, ICANS, LICATS, infections).
    management:
        Apply the toxicity management policies (tocilizumab, dexamethasone).
    rtol:
        Relative tolerance of the ODE solver.
    engine:
        ``"reference"`` (scipy LSODA) or ``"fast"`` (generated numba Rodas4, see docs/engine.md); both advance the
        same model between the same event times.

    Examples
    --------
    >>> r = simulate_patient()
    >>> 7 <= r.summary.car_t_peak_day <= 14
    True
    """
    if engine not in ENGINES:
        raise InvalidInputError(f"engine must be one of {sorted(ENGINES)}; got {engine!r}")
    config = config or load_config()
    model = model or default_model()
    plan = plan_patient(config, model)
    streams = patient_streams(seed)
    manufactured = not bool(streams["manufacturing"].random() < manufacturing_failure_probability(config))
    protocol = build_protocol(plan, manufactured=manufactured, managed=management)
    solver = ENGINES[engine](model, plan.full_parameters, rtol=rtol)
    integration = integrate(model, plan, protocol, solver, streams["icans"])
    events = journey_events(plan, protocol, manufactured) + integration.final.events
    record = _record(model, plan, protocol, integration, events, seed, manufactured, streams, engine, rtol)
    return post_process([record])[0]


def journey_events(plan: PatientPlan, protocol: Protocol, manufactured: bool) -> list[Event]:
    """The planned journey steps as events (and the manufacturing failure, when there is no product)."""
    events = [Event(e.day, e.kind, e.detail) for e in plan.timeline if manufactured or e.kind not in _NEEDS_PRODUCT]
    if not manufactured:
        config = plan.config
        day = plan.t_start + config.washout.days + config.manufacturing.days
        events.append(
            Event(day, "manufacturing_failed", "product could not be manufactured; no lymphodepletion or infusion")
        )
    return events


def _record(
    model: CompiledModel,
    plan: PatientPlan,
    protocol: Protocol,
    integration: Integration,
    events: list[Event],
    seed: int,
    manufactured: bool,
    streams: dict[str, np.random.Generator],
    engine: str,
    rtol: float,
) -> JourneyRecord:
    """The integrated course as post-processing reads it: daily observables and the fine CAR T grid."""
    states, times = integration.states, integration.times
    observables = model.observables(states, plan.full_parameters)
    index = model.definition.state_index
    for name in ORGAN_ACTIVITY_STATES:
        observables[name] = states[index[name]]
    daily = np.isin(times, protocol.daily_days)
    fine = times >= 0
    final = integration.final
    return JourneyRecord(
        plan=plan,
        protocol=protocol,
        seed=seed,
        manufactured=manufactured,
        licats_rng=streams["licats"],
        infections_rng=streams["infections"],
        observables={k: np.asarray(v)[daily] for k, v in observables.items()},
        fine_days=times[fine],
        fine_car_t_per_ul=np.asarray(observables["car_t_per_ul"])[fine],
        fine_il6_pg_ml=np.asarray(observables["il6_pg_ml"])[fine & (times <= 30.0)],
        crs_grade_by_day=final.crs_grade_by_day,
        icans_grade_by_day=final.icans_grade_by_day,
        given=final.given,
        events=events,
        engine=engine,
        rtol=rtol,
    )
