"""Simulate patients' journeys as a pipeline: plan → integrate with assessments → post-process.

1. **Plan** (:func:`~lupuscart.journey.plan_patient`): the configuration becomes model parameters, scheduled
   doses and the journey timeline; the manufacturing draw decides whether there is a product; the
   :class:`~lupuscart.journey.Protocol` collects what will be done and when, and the patient's ICANS numbers are
   drawn.
2. **Integrate**: the ODEs between doses, with the bedside assessments (CRS/ICANS graded and managed). The
   ``reference`` engine runs the readable journey (``_integrate``) on scipy's LSODA; the ``fast`` engine runs the
   compiled journey (``_compiled``), many patients per call on numba's threads.
3. **Post-process** (``_post_process``): B-cell aplasia and recovery, LICATS, prednisone, scored visits and
   flares, infections and the :class:`~lupuscart.journey.PatientSummary` — one vectorised pass for all patients.

With ``management=False`` the grades are still recorded but nothing is given, so the run is a plain ODE problem
with scheduled doses (comparable with the SBML export). Every patient's randomness comes from its own seed, so
results do not depend on how patients are batched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ..engine import ENGINES, Dose, SolverFactory, SolverStatus
from ..exceptions import InvalidInputError, SolverError
from ..model import CompiledModel, default_model
from ._compiled import CompactIntegration, Selection, integrate_batch
from ._config import SimulationConfig, load_config
from ._events import Event
from ._integrate import IcansDraws, Integration, integrate
from ._plan import PatientPlan, manufacturing_failure_probability, plan_patient
from ._post_process import DAILY_OBSERVABLES, JourneyRecord, post_process, visit_days
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


@dataclass(frozen=True)
class _Prepared:
    """A patient after the planning step: plan, protocol, random streams and ICANS draws."""

    plan: PatientPlan
    protocol: Protocol
    seed: int
    streams: dict[str, np.random.Generator]
    draws: IcansDraws


def simulate_patient(
    config: SimulationConfig | None = None,
    *,
    seed: int = 0,
    management: bool = True,
    model: CompiledModel | None = None,
    rtol: float = 1e-6,
    engine: str = "reference",
    doses: tuple[Dose, ...] | None = None,
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
        ``"reference"`` (the readable journey on scipy LSODA) or ``"fast"`` (the compiled journey on the
        generated Rodas4, see docs/engine.md); both follow the same protocol.
    doses:
        Scheduled doses replacing the protocol's lymphodepletion and CAR T doses (e.g. from an event table,
        :func:`lupuscart.io.read_event_table`); ``None`` for the protocol's.

    Raises
    ------
    SolverError
        When the solve fails (a trial records such a patient as ``solver_failed`` instead).

    Examples
    --------
    >>> r = simulate_patient()
    >>> 7 <= r.summary.car_t_peak_day <= 14
    True
    """
    result = simulate_patients([config or load_config()], [seed], management=management, model=model, rtol=rtol,
                               engine=engine, doses=doses)[0]  # fmt: skip
    if isinstance(result, SolverStatus):
        raise SolverError(f"the {engine} engine failed for this patient: {result.message}")
    return result


def simulate_patients(
    configs: Sequence[SimulationConfig],
    seeds: Sequence[int],
    *,
    management: bool = True,
    model: CompiledModel | None = None,
    rtol: float = 1e-6,
    engine: str = "fast",
    compact: bool = False,
    doses: tuple[Dose, ...] | None = None,
) -> list[PatientResult | SolverStatus]:
    """Simulate many patients.

    With ``engine="fast"`` patients sharing a timing (as in one trial arm) are integrated in one compiled call
    over numba's threads, and a patient whose solve failed is its :class:`~lupuscart.engine.SolverStatus` (the
    others go on); the ``reference`` engine raises :class:`~lupuscart.exceptions.SolverError` instead. The result
    of each patient does not depend on the others. ``compact=True`` (fast engine) records only what the summary
    and the visits need — :data:`~lupuscart.journey._post_process.DAILY_OBSERVABLES` every day, everything on
    visit days — so the results' daily ``observables`` hold just those series; summaries and visits are the same.
    """
    if engine not in ENGINES:
        raise InvalidInputError(f"engine must be one of {sorted(ENGINES)}; got {engine!r}")
    if len(configs) != len(seeds):
        raise InvalidInputError(f"one seed per configuration is needed; got {len(seeds)} for {len(configs)}")
    model = model or default_model()
    prepared = [_prepare(c, s, management, model, doses) for c, s in zip(configs, seeds, strict=True)]
    integrations: list[Integration | CompactIntegration | SolverStatus] = []
    if engine == "fast":
        integrations = _integrate_compiled(model, prepared, rtol, compact)
    else:
        integrations += [_integrate_reference(model, p, ENGINES[engine], rtol) for p in prepared]
    records = [
        _record(model, p, i, engine, rtol)
        for p, i in zip(prepared, integrations, strict=True)
        if not isinstance(i, SolverStatus)
    ]
    finished = iter(post_process(records))
    return [i if isinstance(i, SolverStatus) else next(finished) for i in integrations]


def _prepare(
    config: SimulationConfig,
    seed: int,
    management: bool,
    model: CompiledModel,
    doses: tuple[Dose, ...] | None = None,
) -> _Prepared:
    plan = plan_patient(config, model, doses=doses)
    streams = patient_streams(seed)
    manufactured = not bool(streams["manufacturing"].random() < manufacturing_failure_probability(config))
    protocol = build_protocol(plan, manufactured=manufactured, managed=management)
    return _Prepared(plan, protocol, seed, streams, IcansDraws.draw(streams["icans"], protocol.assessment_days.size))


def _integrate_reference(model: CompiledModel, p: _Prepared, engine: SolverFactory, rtol: float) -> Integration:
    return integrate(model, p.plan, p.protocol, engine(model, p.plan.full_parameters, rtol=rtol), p.draws)


def _integrate_compiled(
    model: CompiledModel, prepared: Sequence[_Prepared], rtol: float, compact: bool
) -> list[Integration | CompactIntegration | SolverStatus]:
    """The compiled journey, one kernel call per group of patients with the same timing and visit days."""
    out: list[Integration | CompactIntegration | SolverStatus] = [SolverStatus.OK] * len(prepared)
    groups: dict[tuple[float, float, float, int, tuple[float, ...]], list[int]] = {}
    for i, p in enumerate(prepared):
        c = p.plan.config.monitoring
        visits = tuple(visit_days(p.plan).tolist())
        key = (p.protocol.t_start, p.protocol.t_end, c.assessment_interval_hours, c.assessment_window_days, visits)
        groups.setdefault(key, []).append(i)
    for key, members in groups.items():
        batch = integrate_batch(
            model,
            [prepared[i].plan for i in members],
            [prepared[i].protocol for i in members],
            [prepared[i].draws for i in members],
            rtol=rtol,
            selection=Selection(DAILY_OBSERVABLES, key[-1]) if compact else None,
        )
        for i, integration, status in zip(members, batch.integrations, batch.status, strict=True):
            out[i] = integration if integration is not None else SolverStatus(int(status))
    return out


def journey_events(plan: PatientPlan, protocol: Protocol) -> list[Event]:
    """The planned journey steps as events (and the manufacturing failure, when there is no product)."""
    made = protocol.manufactured
    events = [Event(e.day, e.kind, e.detail) for e in plan.timeline if made or e.kind not in _NEEDS_PRODUCT]
    if not made:
        day = plan.t_start + plan.config.washout.days + plan.config.manufacturing.days
        events.append(
            Event(day, "manufacturing_failed", "product could not be manufactured; no lymphodepletion or infusion")
        )
    return events


def _record(
    model: CompiledModel, p: _Prepared, integration: Integration | CompactIntegration, engine: str, rtol: float
) -> JourneyRecord:
    """The integrated course as post-processing reads it: daily observables, the visit days, the fine CAR T grid."""
    times, params = integration.times, p.plan.full_parameters
    daily = np.isin(times, p.protocol.daily_days)
    fine = times >= 0
    if isinstance(integration, Integration):
        grid = _observables(model, integration.states, params)
        observables = {k: v[daily] for k, v in grid.items()}
        at_visits = np.searchsorted(p.protocol.daily_days, visit_days(p.plan))
        on_visits = {k: v[at_visits] for k, v in observables.items()}
        car_t, il6 = grid["car_t_per_ul"], grid["il6_pg_ml"]
    else:
        on_days = integration.selected[daily]
        observables = {name: on_days[:, c] for c, name in enumerate(DAILY_OBSERVABLES)}
        on_visits = _observables(model, integration.kept, params)
        car_t = integration.selected[:, DAILY_OBSERVABLES.index("car_t_per_ul")]
        il6 = integration.selected[:, DAILY_OBSERVABLES.index("il6_pg_ml")]
    final = integration.final
    return JourneyRecord(
        plan=p.plan,
        protocol=p.protocol,
        seed=p.seed,
        licats_rng=p.streams["licats"],
        infections_rng=p.streams["infections"],
        observables=observables,
        visit_observables=on_visits,
        fine_days=times[fine],
        fine_car_t_per_ul=car_t[fine],
        fine_il6_pg_ml=il6[fine & (times <= 30.0)],
        crs_grade_by_day=final.crs_grade_by_day,
        icans_grade_by_day=final.icans_grade_by_day,
        given=final.given,
        events=journey_events(p.plan, p.protocol) + final.events,
        engine=engine,
        rtol=rtol,
    )


def _observables(model: CompiledModel, states: FloatArray, params: FloatArray) -> dict[str, FloatArray]:
    """Every observable, and the organ activity states, for states of shape (n_states, n_times)."""
    out = {k: np.asarray(v, dtype=float) for k, v in model.observables(states, params).items()}
    index = model.definition.state_index
    out.update({name: np.asarray(states[index[name]], dtype=float) for name in ORGAN_ACTIVITY_STATES})
    return out
