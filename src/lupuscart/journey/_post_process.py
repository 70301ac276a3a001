"""After integration: B-cell aplasia and recovery, LICATS, prednisone, visits and flares, infections, the summary.

These steps read the integrated course but do not feed back into the ODEs. They take many patients at once so
that the visits of a whole chunk of a trial are scored in one vectorised call; one patient is a list of one. The
order of steps matters for the random streams and the prednisone record: LICATS courses set the prednisone the
visits see, a flare at a visit restarts prednisone from that day on, and infections read the final prednisone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._typing import FloatArray
from ..clinical import ctcae_grade, drug_free_remission, first_flare, lldas
from ..model import MODEL_VERSION
from ._events import Event
from ._hazards import JourneyValues
from ._management import ManagementState
from ._plan import PatientPlan
from ._protocol import Protocol
from ._result import PatientResult
from ._stochastic import Infection, LicatsEvent, draw_infections, draw_licats
from ._summary import PatientSummary
from ._visits import (
    FLARE_PREDNISONE_MG_PER_DAY,
    VisitReadouts,
    VisitScore,
    after_flare,
    involved_organs,
    score_visits_of,
)

#: The observables post-processing reads on every day (aplasia and recovery, LICATS, infections, the summary, the
#: trial's published-day fractions).
DAILY_OBSERVABLES = (
    "b_cells_per_ul",
    "naive_b_fraction",
    "car_t_per_ul",
    "anc_10e9_l",
    "igg_g_l",
    "anti_dsdna_iu_ml",
    "vaccine_igg_fraction",
    "c3_g_l",
    "igg_endogenous_g_l",
    "il6_pg_ml",
    "proteinuria_g_24h",
)


def visit_days(plan: PatientPlan) -> FloatArray:
    """The days of the scored visits: screening at the journey start, then the follow-up visits."""
    return np.array([plan.t_start, *plan.visit_days], dtype=float)


@dataclass(frozen=True)
class JourneyRecord:
    """What the integration of one patient produced, ready for post-processing.

    ``observables`` are daily (on ``protocol.daily_days``): every observable, or at least
    :data:`DAILY_OBSERVABLES`; ``visit_observables`` hold every observable and organ activity on the visit days
    (the journey start, then ``plan.visit_days``); ``fine_days``/``fine_car_t_per_ul`` are the output grid from
    infusion on (every 6 h over the first month) for the CAR T peak.
    """

    plan: PatientPlan
    protocol: Protocol
    seed: int
    licats_rng: np.random.Generator
    infections_rng: np.random.Generator
    observables: dict[str, FloatArray]
    visit_observables: dict[str, FloatArray]
    fine_days: FloatArray
    fine_car_t_per_ul: FloatArray
    fine_il6_pg_ml: FloatArray
    crs_grade_by_day: dict[int, int]
    icans_grade_by_day: dict[int, int]
    given: ManagementState
    events: list[Event]
    engine: str
    rtol: float


def post_process(records: Sequence[JourneyRecord]) -> list[PatientResult]:
    """Finish every patient's journey (see the module docstring for the steps and their order)."""
    early = [_before_visits(r) for r in records]
    scores = score_visits_of([e.readouts for e in early])
    return [_after_visits(r, e, s) for r, e, s in zip(records, early, scores, strict=True)]


@dataclass(frozen=True)
class _Early:
    aplasia_day: float | None
    recovery_day: float | None
    licats: list[LicatsEvent]
    prednisone: FloatArray
    visit_index: np.ndarray[tuple[int], np.dtype[np.intp]]
    readouts: VisitReadouts


def _before_visits(r: JourneyRecord) -> _Early:
    days, obs = r.protocol.daily_days, r.observables
    aplasia, recovery, in_aplasia = aplasia_and_recovery(days, obs["b_cells_per_ul"], r.protocol.manufactured)
    if aplasia is not None:
        r.events.append(Event(aplasia, "b_cell_aplasia", "B cells below 1/uL"))
    if recovery is not None:
        r.events.append(Event(recovery, "b_cell_recovery", "B cells back above 1/uL"))
    organs = involved_organs(r.plan.config)
    licats = (
        draw_licats(r.licats_rng, days, obs["car_t_per_ul"], in_aplasia, organs, r.plan.journey_values)
        if r.protocol.manufactured
        else []
    )
    for ev in licats:
        r.events.append(
            Event(ev.onset_day, "licats", f"LICATS ({ev.organ}, {ev.timing}), {ev.duration_days:.0f} days", ev.grade)
        )
    prednisone = prednisone_before_flares(
        days, r.plan.t_start, r.plan.config.patient.prednisone_mg_per_day, licats, r.plan.journey_values
    )
    on_visits = visit_days(r.plan)
    k = np.searchsorted(days, on_visits)
    readouts = VisitReadouts(r.plan.config, on_visits, r.visit_observables, prednisone[k], first_lymphodepletion_day(r))
    return _Early(aplasia, recovery, licats, prednisone, k, readouts)


def _after_visits(r: JourneyRecord, e: _Early, scores: list[VisitScore]) -> PatientResult:
    days = r.protocol.daily_days
    flare = first_flare([v.day for v in scores], [v.clinical_sledai2k for v in scores], [v.doris for v in scores])
    visits = after_flare(scores, flare)
    prednisone = e.prednisone.copy()
    flare_day = None if flare is None else visits[flare].day
    for k, v in enumerate(visits):
        if k == flare:
            start = int(e.visit_index[flare])
            prednisone[start:] = np.maximum(prednisone[start:], FLARE_PREDNISONE_MG_PER_DAY)
            r.events.append(
                Event(
                    v.day,
                    "flare",
                    f"lupus flare (clinical SLEDAI-2K {v.clinical_sledai2k}); immunosuppression restarted",
                )
            )
        r.events.append(
            Event(
                v.day,
                "visit_score",
                f"SLEDAI-2K {v.sledai2k} (clinical {v.clinical_sledai2k}), "
                f"PGA {v.pga:.2f}, DORIS {'yes' if v.doris else 'no'}",
            )
        )
    dexamethasone = np.zeros(days.size)
    for d in r.given.dexamethasone_days:
        dexamethasone[(days >= np.floor(d)) & (days < d + 1)] = 1.0
    infections = draw_infections(
        r.infections_rng,
        days,
        r.observables["anc_10e9_l"],
        r.observables["igg_g_l"],
        ((prednisone > 0) | (dexamethasone > 0)).astype(float),
        first_lymphodepletion_day(r) if r.protocol.manufactured else 0.0,
        r.plan.journey_values,
    )
    for inf in infections:
        r.events.append(
            Event(inf.day, "infection", "serious infection" if inf.serious else "infection", 3 if inf.serious else 2)
        )
    r.events.sort(key=lambda ev: ev.day)
    summary = summarise(r, e, visits, infections, flare_day)
    return PatientResult(
        plan=r.plan,
        seed=r.seed,
        status=summary.status,
        days=days,
        observables=r.observables,
        crs_grade_by_day=r.crs_grade_by_day,
        icans_grade_by_day=r.icans_grade_by_day,
        prednisone_by_day=prednisone,
        visits=visits,
        events=r.events,
        summary=summary,
    )


def aplasia_and_recovery(
    days: FloatArray, b_cells_per_ul: FloatArray, manufactured: bool
) -> tuple[float | None, float | None, FloatArray]:
    """First day after infusion with B cells < 1/µL, first later day ≥ 1/µL, and the 0/1 aplasia indicator.

    >>> d = np.arange(-2.0, 6.0)
    >>> a, r, ind = aplasia_and_recovery(d, np.array([50, 40, 20, 0.5, 0.1, 0.4, 2.0, 5.0]), True)
    >>> a, r, ind.tolist()
    (1.0, 4.0, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    """
    below = np.flatnonzero((days >= 0) & (b_cells_per_ul < 1.0))
    aplasia = float(days[below[0]]) if below.size and manufactured else None
    recovery = None
    indicator: FloatArray = np.zeros(days.size)
    if aplasia is not None:
        back = np.flatnonzero((days > aplasia) & (b_cells_per_ul >= 1.0))
        recovery = float(days[back[0]]) if back.size else None
        end = recovery if recovery is not None else np.inf
        indicator = ((days >= aplasia) & (days < end)).astype(float)
    return aplasia, recovery, indicator


def prednisone_before_flares(
    days: FloatArray,
    t_start: float,
    screening_mg_per_day: float,
    licats: Sequence[LicatsEvent],
    values: JourneyValues,
) -> FloatArray:
    """Daily prednisone: the screening dose tapered linearly to 0 at infusion, then grade-2 LICATS courses."""
    pred = np.where(days < 0, screening_mg_per_day * np.clip(-days / -t_start, 0, 1), 0.0)
    for ev in licats:
        if ev.grade >= 2:
            course = (days >= np.floor(ev.onset_day)) & (days < ev.onset_day + values["licats_prednisone_days"])
            pred = np.where(course, np.maximum(pred, values["licats_prednisone_mg_per_day"]), pred)
    return np.asarray(pred, dtype=float)


def igg_recovery_day(days: FloatArray, igg_endogenous_g_l: FloatArray, lln_g_l: float) -> tuple[bool, float | None]:
    """Whether endogenous IgG fell below the lower limit of normal after infusion, and the first day after its
    nadir with IgG back at the limit (``None`` if it never fell below or has not recovered).

    Endogenous IgG is used so that an immunoglobulin infusion is not mistaken for recovery.

    >>> d = np.arange(0.0, 6.0)
    >>> igg_recovery_day(d, np.array([9.0, 6.0, 3.0, 5.0, 7.5, 8.0]), 7.0)
    (True, 4.0)
    >>> igg_recovery_day(d, np.full(6, 9.0), 7.0)
    (False, None)
    """
    after = days >= 0
    x, t = igg_endogenous_g_l[after], days[after]
    if not np.any(x < lln_g_l):
        return False, None
    nadir = int(np.argmin(x))
    back = np.flatnonzero((np.arange(x.size) > nadir) & (x >= lln_g_l))
    return True, float(t[back[0]]) if back.size else None


def visit_lldas(visits: Sequence[VisitScore], day: float) -> bool | None:
    """LLDAS (Franklyn 2016) at the visit on ``day``, from its scored SLEDAI-2K items, PGA and prednisone, with the
    previous visit's items as the comparison for new features; ``None`` without that visit."""
    k = next((i for i, v in enumerate(visits) if v.day == day), None)
    if k is None:
        return None
    v = visits[k]
    previous = visits[k - 1].score if k > 0 else None
    return lldas(v.score, pga=v.pga, prednisone_mg_per_day=v.prednisone_mg_per_day, previous=previous)


def first_lymphodepletion_day(r: JourneyRecord) -> float:
    """Day of the first scheduled dose (lymphodepletion, or the infusion without it); ∞ without a product."""
    return min((d.time_day for d in r.protocol.doses), default=0.0) if r.protocol.manufactured else np.inf


def _visit(visits: Sequence[VisitScore], day: float) -> VisitScore | None:
    return next((v for v in visits if v.day == day), None)


def summarise(
    r: JourneyRecord,
    e: _Early,
    visits: Sequence[VisitScore],
    infections: Sequence[Infection],
    flare_day: float | None,
) -> PatientSummary:
    """The patient's :class:`PatientSummary`."""
    days, obs = r.protocol.daily_days, r.observables
    v90, v365 = _visit(visits, 90.0), _visit(visits, 365.0)
    k90 = int(np.searchsorted(days, 90.0)) if days[-1] >= 90 else None
    peak = int(np.argmax(r.fine_car_t_per_ul))
    after = days >= 0
    naive_at_recovery = None
    if e.recovery_day is not None:
        naive_at_recovery = float(obs["naive_b_fraction"][int(np.searchsorted(days, e.recovery_day))])
    lln = r.plan.config.labs.igg_lln_g_l
    igg_below, igg_recovery = igg_recovery_day(days, obs["igg_endogenous_g_l"], lln)
    anti_dsdna_day90 = float(obs["anti_dsdna_iu_ml"][k90]) if k90 is not None else None
    first_remission = next((v.day for v in visits if v.doris and v.day > 0), None)
    drug_free = v365 is not None and drug_free_remission(
        doris=v365.doris,
        prednisone_mg_per_day=v365.prednisone_mg_per_day,
        flared=flare_day is not None and flare_day <= v365.day,
    )
    anc_nadir = float(np.min(obs["anc_10e9_l"][after]))
    return PatientSummary(
        model_version=MODEL_VERSION,
        model_fingerprint=r.plan.model_fingerprint,
        seed=r.seed,
        status="ok" if r.protocol.manufactured else "manufacturing_failed",
        car_t_peak_day=float(r.fine_days[peak]) if r.protocol.manufactured else None,
        car_t_peak_per_ul=float(r.fine_car_t_per_ul[peak]),
        b_cell_aplasia_day=e.aplasia_day,
        b_cell_recovery_day=e.recovery_day,
        naive_b_fraction_at_recovery=naive_at_recovery,
        sledai2k_baseline=visits[0].sledai2k,
        sledai2k_day90=v90.sledai2k if v90 else None,
        doris_day90=bool(v90.doris) if v90 else None,
        lldas_day90=visit_lldas(visits, 90.0),
        first_remission_day=first_remission,
        drug_free_remission_day365=bool(drug_free) if v365 else None,
        anti_dsdna_fraction_day90=float(obs["anti_dsdna_iu_ml"][k90] / obs["anti_dsdna_iu_ml"][0])
        if k90 is not None
        else None,
        anti_dsdna_negative_day90=None
        if anti_dsdna_day90 is None
        else anti_dsdna_day90 < r.plan.config.labs.anti_dsdna_uln_iu_ml,
        vaccine_igg_fraction_day365=float(obs["vaccine_igg_fraction"][int(np.searchsorted(days, 365.0))])
        if days[-1] >= 365
        else None,
        c3_day90_g_l=float(obs["c3_g_l"][k90]) if k90 is not None else None,
        igg_nadir_fraction=float(np.min(obs["igg_g_l"][after]) / obs["igg_g_l"][0]),
        igg_nadir_g_l=float(np.min(obs["igg_g_l"][after])),
        igg_below_lln=igg_below,
        igg_recovery_day=igg_recovery,
        immunoglobulin_doses=len(r.given.immunoglobulin_days),
        crs_max_grade=max(r.crs_grade_by_day.values(), default=0),
        icans_max_grade=max(r.icans_grade_by_day.values(), default=0),
        licats_max_grade=max((ev.grade for ev in e.licats), default=0),
        licats_events=len(e.licats),
        licats_first_onset_day=min((ev.onset_day for ev in e.licats), default=None),
        il6_peak_pg_ml=float(np.max(r.fine_il6_pg_ml)),
        anc_nadir_10e9_l=anc_nadir,
        neutropenia_max_grade=ctcae_grade("neutrophil_count_decreased", anc_nadir, lln=2.0),
        infections=len(infections),
        serious_infections=sum(1 for i in infections if i.serious),
        serious_infection_days=tuple(round(i.day, 2) for i in infections if i.serious),
        tocilizumab_doses=len(r.given.tocilizumab_days),
        dexamethasone_doses=len(r.given.dexamethasone_days),
        flare_day=flare_day,
        engine=r.engine,
        rtol=r.rtol,
    )
