"""The compiled journey: many patients' journeys integrated, assessed and managed inside one numba kernel.

The kernel (``journey_batch`` in ``engine/templates/kernels.py.tmpl``) runs the algorithm of the readable
reference (:func:`lupuscart.journey._integrate.integrate`) on the same protocol data — doses, assessment days, the
:class:`~lupuscart.journey.ManagementPolicy` vector, the vitals parameters and the patient's pre-drawn ICANS
numbers — with patients spread over numba's threads. It returns, per patient, the states on the output grid and a
compact record (grades per assessment, drug times, coded events) that :func:`integrate_batch` turns into the same
:class:`~lupuscart.journey._integrate.Integration` objects the reference produces, so post-processing is shared.
A patient whose solve fails gets a :class:`~lupuscart.engine.SolverStatus` instead of an integration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray, IntArray
from ..engine import SolverStatus
from ..engine._fast_codegen import load_kernels
from ..model import CompiledModel
from ._events import Event, crs_grade_event, drug_event, icans_grade_event, icans_onset_event, immunoglobulin_event
from ._igg_replacement import IGG_OBSERVABLE, IVIG_STATE
from ._integrate import IcansDraws, Integration, JourneyState
from ._management import ManagementState
from ._plan import PatientPlan
from ._protocol import Protocol

#: Journey parameters the kernel reads, in the order of the template's ``V_*`` constants (then the IgG replacement
#: threshold and dose, from the protocol).
VITALS_PARAMETERS = (
    "hypotension_il6_pg_ml",
    "vasopressor_il6_pg_ml",
    "multiple_vasopressor_il6_pg_ml",
    "low_flow_oxygen_il6_pg_ml",
    "high_flow_oxygen_il6_pg_ml",
    "ventilation_il6_pg_ml",
    "icans_hazard_per_activation_day",
    "ice_drop_per_activation",
    "icans_median_duration_days",
)
#: Event codes of the kernel's record (template ``EV_*``).
_ICANS_ONSET, _CRS_GRADE, _ICANS_GRADE, _TOCILIZUMAB, _DEXAMETHASONE, _IMMUNOGLOBULIN = 1, 2, 3, 4, 5, 6
#: Events one assessment can log at most (onset, CRS grade, ICANS grade, tocilizumab, dexamethasone).
_EVENTS_PER_ASSESSMENT = 5


@dataclass(frozen=True)
class Selection:
    """What a compact batch records: ``observables`` at every output day, and the full state on ``keep_days``.

    A virtual trial needs a few daily series (B cells for aplasia, CAR T for LICATS, ANC and IgG for infections)
    and everything on visit days; recording only that skips writing every state on every day and the vectorised
    observables pass over them (:func:`integrate_batch` with ``selection``).
    """

    observables: tuple[str, ...]
    keep_days: tuple[float, ...]


@dataclass(frozen=True)
class CompactIntegration:
    """A compact journey: ``selected[k, c]`` is observable ``selection.observables[c]`` at ``times[k]``;
    ``kept[:, d]`` the full state on ``selection.keep_days[d]``; ``final`` as in :class:`Integration`."""

    times: FloatArray
    selected: FloatArray
    kept: FloatArray
    final: JourneyState


@dataclass(frozen=True)
class BatchIntegration:
    """The compiled journeys of a batch: one integration per patient (``None`` where the solve failed, with the
    reason in ``status``) and the accepted/rejected steps."""

    integrations: list[Integration | CompactIntegration | None]
    status: IntArray
    steps: IntArray


def vitals_vector(plan: PatientPlan, protocol: Protocol) -> FloatArray:
    """One patient's vitals and ICANS parameters and IgG replacement rule, in the kernel's order."""
    rule = protocol.igg_replacement
    return np.array([*(plan.journey_values[name] for name in VITALS_PARAMETERS), rule.threshold_g_l, rule.dose_g])


def integrate_batch(
    model: CompiledModel,
    plans: Sequence[PatientPlan],
    protocols: Sequence[Protocol],
    draws: Sequence[IcansDraws],
    *,
    rtol: float = 1e-6,
    max_steps: int = 200_000,
    selection: Selection | None = None,
) -> BatchIntegration:
    """Integrate every patient's journey in one parallel kernel call.

    The protocols must share the timing (output days, assessment days and interval) — patients of one trial arm
    do; doses, amounts, policies and draws are per patient. A patient without a product has no doses and no
    assessments. Without ``selection`` every state is recorded on every output day (:class:`Integration`); with
    it, only the selected observables and the states on the kept days (:class:`CompactIntegration`).
    """
    n = len(plans)
    if not (len(protocols) == len(draws) == n) or n == 0:
        raise ValueError("integrate_batch needs one protocol and one set of draws per plan, and at least one plan")
    shared = next((p for p in protocols if p.assessment_days.size), protocols[0])
    for pr in protocols:
        same_grid = np.array_equal(pr.output_days, shared.output_days)
        same_assessments = not pr.assessment_days.size or np.array_equal(pr.assessment_days, shared.assessment_days)
        if not (same_grid and same_assessments and pr.assessment_interval_days == shared.assessment_interval_days):
            raise ValueError("integrate_batch needs protocols with one timing (output and assessment days)")
    kernels, free, pk = load_kernels(model)
    index = model.definition.state_index
    t_out = np.ascontiguousarray(shared.output_days, dtype=float)
    assess_t = np.ascontiguousarray(shared.assessment_days, dtype=float)
    n_assess = assess_t.size
    max_doses = max(1, max(len(pr.doses) for pr in protocols))
    doses = np.zeros((n, max_doses, 3))
    n_doses = np.zeros(n, dtype=np.int64)
    for i, pr in enumerate(protocols):
        ordered = sorted(pr.doses)
        n_doses[i] = len(ordered)
        for d, dose in enumerate(ordered):
            doses[i, d] = (dose.time_day, index[dose.state], dose.amount)
    manufactured = np.array([pr.manufactured for pr in protocols])
    policy = np.vstack([pr.management.as_array() for pr in protocols])
    vitals = np.vstack([vitals_vector(pl, pr) for pl, pr in zip(plans, protocols, strict=True)])
    journey_index = np.array(
        [
            model.observable_names.index("il6_signalling_pg_ml"),
            index["endothelial_activation"],
            index["toc_central_mg"],
            index["dex_mg"],
            model.observable_names.index("crs_temperature_c"),
            model.observable_names.index("crs_vascular_signal_pg_ml"),
            model.observable_names.index(IGG_OBSERVABLE),
            index[IVIG_STATE],
        ],
        dtype=np.int64,
    )
    n_igg = np.array([pr.igg_replacement.check_days.size for pr in protocols], dtype=np.int64)
    igg_t = np.full((n, max(1, int(n_igg.max()))), np.inf)
    for i, pr in enumerate(protocols):
        igg_t[i, : n_igg[i]] = pr.igg_replacement.check_days
    icans_u = np.zeros((n, max(n_assess, 1)))
    icans_z = np.zeros((n, max(n_assess, 1)))
    for i, dr in enumerate(draws):
        icans_u[i, : dr.uniform.size] = dr.uniform
        icans_z[i, : dr.normal.size] = dr.normal
    P = np.ascontiguousarray(np.vstack([pl.full_parameters for pl in plans]))
    atol = model.absolute_tolerance(rtol)
    select = np.array([], dtype=np.int64)
    keep = np.full(t_out.size, -1, dtype=np.int64)
    kept = np.empty((n, 1, model.n_states))
    rows = np.empty(0, dtype=np.int64)
    if selection is not None:
        select = np.array([model.observable_names.index(o) for o in selection.observables], dtype=np.int64)
        kept_days = np.union1d(selection.keep_days, t_out[-1:])  # the end state is always kept
        at = np.searchsorted(t_out, kept_days)
        if np.any(at >= t_out.size) or not np.array_equal(t_out[np.minimum(at, t_out.size - 1)], kept_days):
            raise ValueError("the kept days must be output days")
        keep[at] = np.arange(at.size)
        kept = np.empty((n, at.size, model.n_states))
        rows = np.searchsorted(kept_days, selection.keep_days)
    out = np.empty((n, t_out.size, select.size or model.n_states))
    crs = np.full((n, max(n_assess, 1)), -1, dtype=np.int64)
    icans = np.full((n, max(n_assess, 1)), -1, dtype=np.int64)
    toc_days = np.zeros((n, max(pr.management.tocilizumab_max_total for pr in protocols) + 1))
    dex_days = np.zeros((n, max(n_assess, 1)))
    igg_days = np.zeros((n, igg_t.shape[1]))
    events = np.zeros((n, _EVENTS_PER_ASSESSMENT * n_assess + igg_t.shape[1] + 1, 4))
    counts = np.zeros((n, 4), dtype=np.int64)
    status = np.zeros(n, dtype=np.int64)
    steps = np.zeros((n, 2), dtype=np.int64)
    kernels.journey_batch(
        P, np.array(free, dtype=np.int64), np.array(pk, dtype=np.int64), atol, float(rtol), int(max_steps), doses,
        n_doses, assess_t, manufactured, policy, vitals, journey_index, icans_u, icans_z,
        float(shared.assessment_interval_days), t_out, select, keep, igg_t, n_igg, out, kept, crs, icans, toc_days,
        dex_days, igg_days, events, counts, status, steps,
    )  # fmt: skip
    integrations: list[Integration | CompactIntegration | None] = []
    for i in range(n):
        if status[i] != SolverStatus.OK:
            integrations.append(None)
            continue
        y_end = out[i, -1] if selection is None else kept[i, -1]
        final = _journey_state(
            float(t_out[-1]),
            y_end,
            assess_t,
            crs[i],
            icans[i],
            (toc_days[i], dex_days[i], igg_days[i]),
            events[i],
            counts[i],
            protocols[i].igg_replacement.threshold_g_l,
        )
        if selection is None:
            integrations.append(Integration(times=t_out, states=out[i].T, final=final))
        else:
            integrations.append(CompactIntegration(t_out, out[i], kept[i, rows].T, final))
    return BatchIntegration(integrations, status, steps)


def _journey_state(
    t_end: float,
    y_end: FloatArray,
    assess_t: FloatArray,
    crs: IntArray,
    icans: IntArray,
    drug_days: tuple[FloatArray, FloatArray, FloatArray],
    events: FloatArray,
    counts: IntArray,
    igg_threshold_g_l: float,
) -> JourneyState:
    """Decode one patient's kernel record into the :class:`JourneyState` the reference integrator ends with;
    ``drug_days`` are the days of tocilizumab, dexamethasone and immunoglobulin."""
    n_events, n_toc, n_dex, n_igg = (int(c) for c in counts)
    toc_days, dex_days, igg_days = drug_days
    if n_events > events.shape[0] or n_toc > toc_days.size or n_dex > dex_days.size or n_igg > igg_days.size:
        raise RuntimeError("the compiled journey's record overflowed; this is a bug, please report it")
    state = JourneyState(
        t=t_end,
        y=y_end.copy(),
        given=ManagementState(
            [float(d) for d in toc_days[:n_toc]],
            [float(d) for d in dex_days[:n_dex]],
            [float(d) for d in igg_days[:n_igg]],
        ),
    )
    assessed = crs[: assess_t.size] >= 0
    if assessed.any():
        days = np.floor(assess_t[assessed]).astype(np.int64)
        first = days.min()
        for grades, by_day in ((crs, state.crs_grade_by_day), (icans, state.icans_grade_by_day)):
            worst = np.zeros(days.max() - first + 1, dtype=np.int64)
            np.maximum.at(worst, days - first, grades[: assess_t.size][assessed])
            present = np.zeros(worst.size, dtype=bool)
            present[days - first] = True
            by_day.update({int(first + d): int(worst[d]) for d in np.flatnonzero(present)})
    state.events.extend(_event(row, igg_threshold_g_l) for row in events[:n_events])
    return state


def _event(row: FloatArray, igg_threshold_g_l: float) -> Event:
    day, kind, code, amount = float(row[0]), int(row[1]), int(row[2]), float(row[3])
    if kind == _IMMUNOGLOBULIN:
        return immunoglobulin_event(day, amount, igg_threshold_g_l)
    if kind == _ICANS_ONSET:
        return icans_onset_event(day, amount)
    if kind == _CRS_GRADE:
        return crs_grade_event(day, code, amount)
    if kind == _ICANS_GRADE:
        return icans_grade_event(day, code)
    drug = "tocilizumab" if kind == _TOCILIZUMAB else "dexamethasone"
    if kind not in (_TOCILIZUMAB, _DEXAMETHASONE):
        raise RuntimeError(f"unknown event code {kind} from the compiled journey; this is a bug, please report it")
    reason = "prophylaxis" if code == 0 else f"{'CRS' if code < 200 else 'ICANS'} grade {code % 100}"
    return drug_event(day, drug, amount, reason)
