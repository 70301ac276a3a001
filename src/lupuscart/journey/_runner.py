"""Simulate one patient's journey: scheduled doses, the bedside management loop, stochastic events, visits.

The ODEs are integrated between event times (doses and, during the assessment window, every
``monitoring.assessment_interval_hours``). At each assessment the state is read, vitals and neurological status
are graded with the ASTCT functions, and the management policy may give tocilizumab or dexamethasone, which
enter the ODEs as boluses. With ``management=False`` the grades are still recorded but nothing is given, so the run
is a plain ODE problem with scheduled doses (comparable with the SBML export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._typing import FloatArray
from ..clinical import ctcae_grade, tocilizumab_dose_mg
from ..engine import ENGINES, Dose
from ..exceptions import InvalidInputError
from ..model import MODEL_VERSION, CompiledModel, default_model
from ._config import SimulationConfig, load_config
from ._hazards import value
from ._management import ManagementState, decide
from ._plan import PatientPlan, manufacturing_failure_probability, plan_patient
from ._stochastic import draw_infections, draw_licats, patient_streams
from ._visits import FLARE_PREDNISONE_MG_PER_DAY, VisitScore, involved_organs, score_visit
from ._vitals import graded_crs, graded_icans

_FINE_STEP_DAYS = 0.25
_FINE_UNTIL_DAY = 30.0


@dataclass
class Event:
    day: float
    kind: str
    detail: str
    grade: int | None = None
    amount: float | None = None  # a dose given: amount in the compartment's unit
    compartment: str | None = None  # a dose given: the dosed state


@dataclass
class PatientResult:
    """Everything one simulated patient produced; ``summary`` follows the ``simulate --json`` contract."""

    plan: PatientPlan
    seed: int
    status: str
    days: FloatArray
    observables: dict[str, FloatArray]
    crs_grade_by_day: dict[int, int]
    icans_grade_by_day: dict[int, int]
    prednisone_by_day: FloatArray
    visits: list[VisitScore]
    events: list[Event]
    summary: dict[str, Any] = field(default_factory=dict)


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
        ``"reference"`` (scipy LSODA) or ``"fast"`` (generated numba Rodas4, see docs/engine.md); both advance the
        same model between the same event times.
    doses:
        Scheduled doses replacing the protocol's lymphodepletion and CAR T doses (e.g. from an event table,
        :func:`lupuscart.io.read_event_table`); ``None`` for the protocol's.

    Examples
    --------
    >>> r = simulate_patient()
    >>> 7 <= r.summary["car_t_peak_day"] <= 14
    True
    """
    config = config or load_config()
    model = model or default_model()
    plan = plan_patient(config, model, doses=doses)
    rng = patient_streams(seed)
    failed = bool(rng["manufacturing"].random() < manufacturing_failure_probability(config))
    doses = () if failed else plan.doses
    events = [
        Event(e.day, e.kind, e.detail)
        for e in plan.timeline
        if not (failed and e.kind in {"lymphodepletion", "infusion", "discharge", "product_release"})
    ]
    if failed:
        events.append(
            Event(
                plan.t_start + config.washout.days + config.manufacturing.days,
                "manufacturing_failed",
                "product could not be manufactured; no lymphodepletion or infusion",
            )
        )

    days = np.arange(plan.t_start, plan.t_end + 1.0)
    fine = np.arange(0.0, _FINE_UNTIL_DAY + 1e-9, _FINE_STEP_DAYS)
    t_eval = np.union1d(days, fine)
    interval = config.monitoring.assessment_interval_hours / 24.0
    window = config.monitoring.assessment_window_days
    assessments = set() if failed else set(np.round(np.arange(0.0, window + 1e-9, interval), 9).tolist())
    boundaries = sorted({d.time_day for d in doses} | set(assessments) | {plan.t_end})

    if engine not in ENGINES:
        raise InvalidInputError(f"engine must be one of {sorted(ENGINES)}; got {engine!r}")
    solver = ENGINES[engine](model, plan.full_parameters, rtol=rtol)
    p = plan.full_parameters
    idx = model.definition.state_index
    y = model.initial_state(p)
    states = np.empty((model.n_states, t_eval.size))
    mstate = ManagementState()
    crs_by_day: dict[int, int] = {}
    icans_by_day: dict[int, int] = {}
    endo0 = float(y[idx["endothelial_activation"]])
    icans_until = -np.inf
    weight = config.patient.weight_kg
    policy = config.management
    t = plan.t_start
    last_crs = 0
    for b in boundaries:
        mask = (t_eval >= t) & (t_eval < b)
        ys, y = solver.advance(y, t, b, t_eval[mask])
        states[:, mask] = ys
        if b >= plan.t_end:
            states[:, t_eval == b] = y[:, None]
            break
        if b in assessments:
            il6_signalling = model.observables_at(y, p)["il6_signalling_pg_ml"]
            given = bool(mstate.tocilizumab_days or mstate.dexamethasone_days)
            crs, _vitals = graded_crs(il6_signalling, anticytokine_given=given)
            endo = float(y[idx["endothelial_activation"]])
            u = rng["icans"].random()
            if b >= icans_until:
                hazard = value("icans_hazard_per_activation_day") * max(0.0, endo - endo0)
                if u < 1.0 - np.exp(-hazard * interval):
                    dur = value("icans_median_duration_days") * float(np.exp(0.5 * rng["icans"].standard_normal()))
                    icans_until = b + dur
                    events.append(Event(b, "icans_onset", f"ICANS episode, {dur:.1f} days"))
            icans = graded_icans(endo)[0] if b < icans_until else 0
            d = int(np.floor(b))
            crs_by_day[d] = max(crs_by_day.get(d, 0), crs)
            icans_by_day[d] = max(icans_by_day.get(d, 0), icans)
            if crs != last_crs:
                events.append(
                    Event(b, "crs_grade", f"CRS grade {crs} (IL-6 signalling {il6_signalling:.1f} pg/mL)", crs)
                )
                last_crs = crs
            if icans:
                events.append(Event(b, "icans_grade", f"ICANS grade {icans}", icans))
            if management:
                plan_doses = decide(policy, mstate, b, crs, icans, weight)
                if policy.tocilizumab == "prophylactic" and b == 0.0 and not mstate.tocilizumab_days:
                    y[idx["toc_central_mg"]] += tocilizumab_dose_mg(weight)
                    mstate.tocilizumab_days.append(b)
                    events.append(Event(b, "tocilizumab", "prophylactic tocilizumab", None,
                                        tocilizumab_dose_mg(weight), "toc_central_mg"))  # fmt: skip
                for iv in plan_doses:
                    if iv.drug == "tocilizumab":
                        y[idx["toc_central_mg"]] += iv.amount_mg
                        mstate.tocilizumab_days.append(b)
                    else:
                        y[idx["dex_mg"]] += iv.amount_mg
                        mstate.dexamethasone_days.append(b)
                    compartment = "toc_central_mg" if iv.drug == "tocilizumab" else "dex_mg"
                    events.append(Event(b, iv.drug, f"{iv.amount_mg:g} mg for {iv.reason}", None, iv.amount_mg,
                                        compartment))  # fmt: skip
        for dose in doses:
            if dose.time_day == b:
                y[idx[dose.state]] += dose.amount
        t = b

    obs_all = model.observables(states, p)
    for s in ("renal", "mucocutaneous", "musculoskeletal", "serosal", "haematological", "constitutional"):
        obs_all[f"{s}_activity"] = states[idx[f"{s}_activity"]]
    daily = np.isin(t_eval, days)
    obs = {k: np.asarray(v)[daily] for k, v in obs_all.items()}
    fine_mask = t_eval >= 0
    result = PatientResult(
        plan=plan,
        seed=seed,
        status="manufacturing_failed" if failed else "ok",
        days=days,
        observables=obs,
        crs_grade_by_day=crs_by_day,
        icans_grade_by_day=icans_by_day,
        prednisone_by_day=np.zeros(days.size),
        visits=[],
        events=events,
    )
    _post_process(
        result,
        rng,
        mstate,
        t_eval[fine_mask],
        np.asarray(obs_all["car_t_per_ul"])[fine_mask],
        np.asarray(obs_all["b_cells_per_ul"])[fine_mask],
        failed,
    )
    result.summary["engine"] = engine
    result.summary["rtol"] = rtol
    return result


def _post_process(
    r: PatientResult,
    rng: dict[str, np.random.Generator],
    mstate: ManagementState,
    fine_days: FloatArray,
    fine_car_t: FloatArray,
    fine_b: FloatArray,
    failed: bool,
) -> None:
    """Aplasia/recovery, LICATS, prednisone, infections, visits and the summary."""
    cfg = r.plan.config
    days, obs = r.days, r.observables
    b = obs["b_cells_per_ul"]
    after = days >= 0
    aplasia_idx = np.flatnonzero(after & (b < 1.0))
    aplasia_day = float(days[aplasia_idx[0]]) if aplasia_idx.size and not failed else None
    recovery_day = None
    if aplasia_day is not None:
        rec = np.flatnonzero((days > aplasia_day) & (b >= 1.0))
        recovery_day = float(days[rec[0]]) if rec.size else None
    in_aplasia: FloatArray = np.zeros(days.size)
    if aplasia_day is not None:
        end = recovery_day if recovery_day is not None else np.inf
        in_aplasia = ((days >= aplasia_day) & (days < end)).astype(float)
        r.events.append(Event(aplasia_day, "b_cell_aplasia", "B cells below 1/uL"))
    if recovery_day is not None:
        r.events.append(Event(recovery_day, "b_cell_recovery", "B cells back above 1/uL"))

    organs = involved_organs(cfg)
    licats = [] if failed else draw_licats(rng["licats"], days, obs["car_t_per_ul"], in_aplasia, organs)
    # Prednisone: washout taper to 0 at infusion, LICATS grade >= 2 courses.
    p0 = cfg.patient.prednisone_mg_per_day
    pred = np.where(days < 0, p0 * np.clip(-days / -r.plan.t_start, 0, 1), 0.0)
    for ev in licats:
        r.events.append(
            Event(ev.onset_day, "licats", f"LICATS ({ev.organ}, {ev.timing}), {ev.duration_days:.0f} days", ev.grade)
        )
        if ev.grade >= 2:
            course = (days >= np.floor(ev.onset_day)) & (days < ev.onset_day + value("licats_prednisone_days"))
            pred = np.where(course, np.maximum(pred, value("licats_prednisone_mg_per_day")), pred)
    dex_days = np.zeros(days.size)
    for d in mstate.dexamethasone_days:
        dex_days[(days >= np.floor(d)) & (days < d + 1)] = 1.0

    # Visits (screening at the journey start, then follow-up); flares restart immunosuppression.
    first_ld = min((d.time_day for d in r.plan.doses), default=0.0) if not failed else np.inf
    visit_days = [r.plan.t_start, *r.plan.visit_days]
    flare_day: float | None = None
    previous: VisitScore | None = None
    remission_seen = False
    for vd in visit_days:
        k = int(np.searchsorted(days, vd))
        if flare_day is not None:
            pred[k:] = np.maximum(pred[k:], FLARE_PREDNISONE_MG_PER_DAY)
        vobs = {name: float(values[k]) for name, values in obs.items()}
        v = score_visit(vd, vobs, cfg, float(pred[k]), float(first_ld))
        if (
            flare_day is None
            and vd > 90
            and previous is not None
            and (v.clinical_sledai2k - previous.clinical_sledai2k >= 4 or (remission_seen and v.clinical_sledai2k >= 4))
        ):
            flare_day = vd
            r.events.append(
                Event(
                    vd, "flare", f"lupus flare (clinical SLEDAI-2K {v.clinical_sledai2k}); immunosuppression restarted"
                )
            )
            pred[k:] = np.maximum(pred[k:], FLARE_PREDNISONE_MG_PER_DAY)
        remission_seen = remission_seen or v.doris
        r.visits.append(v)
        r.events.append(
            Event(
                vd,
                "visit_score",
                f"SLEDAI-2K {v.sledai2k} (clinical {v.clinical_sledai2k}), "
                f"PGA {v.pga:.2f}, DORIS {'yes' if v.doris else 'no'}",
            )
        )
        previous = v
    r.prednisone_by_day = np.asarray(pred, dtype=float)
    infections = draw_infections(
        rng["infections"],
        days,
        obs["anc_10e9_l"],
        obs["igg_g_l"],
        ((pred > 0) | (dex_days > 0)).astype(float),
        0.0 if failed else float(first_ld),
    )
    for inf in infections:
        r.events.append(
            Event(inf.day, "infection", "serious infection" if inf.serious else "infection", 3 if inf.serious else 2)
        )
    r.events.sort(key=lambda e: e.day)
    r.summary = _summary(r, aplasia_day, recovery_day, licats, infections, mstate, fine_days, fine_car_t, flare_day)


def _visit(r: PatientResult, day: float) -> VisitScore | None:
    return next((v for v in r.visits if v.day == day), None)


def _summary(
    r: PatientResult,
    aplasia_day: float | None,
    recovery_day: float | None,
    licats: list[Any],
    infections: list[Any],
    mstate: ManagementState,
    fine_days: FloatArray,
    fine_car_t: FloatArray,
    flare_day: float | None,
) -> dict[str, Any]:
    obs, days = r.observables, r.days
    baseline = r.visits[0]
    v90, v365 = _visit(r, 90.0), _visit(r, 365.0)
    k0 = 0
    k90 = int(np.searchsorted(days, 90.0)) if days[-1] >= 90 else None
    peak = int(np.argmax(fine_car_t))
    nadir_igg = float(np.min(obs["igg_g_l"][days >= 0]) / obs["igg_g_l"][k0])
    after = days >= 0
    naive_at_recovery = None
    if recovery_day is not None:
        naive_at_recovery = float(obs["naive_b_fraction"][int(np.searchsorted(days, recovery_day))])
    drug_free = (
        v365 is not None and v365.doris and v365.prednisone_mg_per_day == 0 and (flare_day is None or flare_day > 365)
    )
    anc_nadir = float(np.min(obs["anc_10e9_l"][after]))
    return {
        "model_version": MODEL_VERSION,
        "model_fingerprint": r.plan.model_fingerprint,
        "seed": r.seed,
        "status": r.status,
        "car_t_peak_day": float(fine_days[peak]) if r.status == "ok" else None,
        "car_t_peak_per_ul": float(fine_car_t[peak]),
        "b_cell_aplasia_day": aplasia_day,
        "b_cell_recovery_day": recovery_day,
        "naive_b_fraction_at_recovery": naive_at_recovery,
        "sledai2k_baseline": baseline.sledai2k,
        "sledai2k_day90": v90.sledai2k if v90 else None,
        "doris_day90": bool(v90.doris) if v90 else None,
        "drug_free_remission_day365": bool(drug_free) if v365 else None,
        "anti_dsdna_fraction_day90": float(obs["anti_dsdna_iu_ml"][k90] / obs["anti_dsdna_iu_ml"][k0])
        if k90 is not None
        else None,
        "vaccine_igg_fraction_day365": float(obs["vaccine_igg_fraction"][int(np.searchsorted(days, 365.0))])
        if days[-1] >= 365
        else None,
        "c3_day90_g_l": float(obs["c3_g_l"][k90]) if k90 is not None else None,
        "igg_nadir_fraction": nadir_igg,
        "crs_max_grade": max(r.crs_grade_by_day.values(), default=0),
        "icans_max_grade": max(r.icans_grade_by_day.values(), default=0),
        "licats_max_grade": max((e.grade for e in licats), default=0),
        "licats_events": len(licats),
        "anc_nadir_10e9_l": anc_nadir,
        "neutropenia_max_grade": ctcae_grade("neutrophil_count_decreased", anc_nadir, lln=2.0),
        "infections": len(infections),
        "serious_infections": sum(1 for i in infections if i.serious),
        "serious_infection_days": [round(i.day, 2) for i in infections if i.serious],
        "tocilizumab_doses": len(mstate.tocilizumab_days),
        "dexamethasone_doses": len(mstate.dexamethasone_days),
        "flare_day": flare_day,
    }
