"""The digital twin's fit: one patient's individual parameters by maximum a posteriori, with a Laplace covariance.

The individual parameters are the population model's random effects: ``θ_i = θ_typical·exp(η)`` for the
parameters with inter-individual variability (:data:`lupuscart.population.DEFAULT_IIV`), with the population's
variability as the prior, ``η ~ N(0, Ω)`` (``Ω = diag(ω)·R·diag(ω)``, correlations included). This is the
Bayesian individualisation of pharmacometrics (Sheiner 1979): the MAP estimate minimises

    ½ Σ_j ((g(y_j) − g(f_j(η))) / σ_j)² + ½ ηᵀ Ω⁻¹ η,     g(y) = log(y + c_v),

over the measurements ``y_j`` after infusion, with ``f_j(η)`` the simulated observable on the same day. It is a
non-linear least-squares problem (the prior whitened by the Cholesky factor of Ω) solved with
``scipy.optimize.least_squares`` (trust-region reflective, bounds ±5 ω). The posterior is approximated by a normal
distribution at the MAP with covariance ``(JᵀJ)⁻¹`` (Laplace; J the Jacobian of the stacked residuals; the prior
keeps it full rank, so a parameter the data do not inform keeps its population spread).

Measurements on or before day 0 set the patient's baseline (the model starts from the pre-treatment steady state
at these values): B cells, anti-dsDNA, C3, IgG and proteinuria, the last value before infusion of each. A baseline
is itself a measurement, so it enters as ``measured·exp(δ)`` with ``δ ~ N(0, σ_v²)`` (the variable's residual
SD) and ``δ`` is estimated with η: later measurements correct an unlucky baseline, and its uncertainty reaches the
bands. SLEDAI-2K values are read and shown but not fitted: a discrete score has no gradient, and the labs behind
it are fitted.

The observation model (:data:`OBSERVATION_ERRORS`) is an estimate (tag E): log-normal residuals with an offset
``c_v`` near each assay's lower range, so that values near zero (B cells in aplasia) do not dominate.

References: Sheiner LB, Beal S, Rosenberg B, Marathe VV. Forecasting individual pharmacokinetics. Clin Pharmacol
Ther 1979;26:294-305, doi:10.1002/cpt1979263294.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._typing import FloatArray
from ..exceptions import InvalidConfigError, InvalidInputError, SolverError
from ..model import calibrated_values, default_model


@dataclass(frozen=True)
class ObservationError:
    """Residual error of one variable on the scale ``log(y + offset)``: SD ``sigma`` (tag E)."""

    offset: float
    sigma: float
    note: str


#: Observation model by variable (offset in the variable's canonical unit, σ on the log scale).
OBSERVATION_ERRORS: dict[str, ObservationError] = {
    "b_cells": ObservationError(1.0, 0.3, "flow cytometry, counts near 1/uL uncertain (LLOQ ~1 cell/uL)"),
    "car_t": ObservationError(0.1, 0.35, "CAR T by flow or qPCR-converted counts; large assay variability"),
    "anti_dsdna": ObservationError(1.0, 0.2, "immunoassay CV ~15-20 %"),
    "c3": ObservationError(0.0, 0.1, "nephelometry CV ~5-10 %"),
    "igg": ObservationError(0.0, 0.08, "nephelometry CV ~5-8 %"),
    "proteinuria": ObservationError(0.05, 0.25, "24-h urine collection, day-to-day variability ~25 %"),
}
#: Baseline fields set from measurements on or before day 0 (variable -> patient field).
BASELINE_FIELDS = {
    "b_cells": "b_cells_per_ul",
    "anti_dsdna": "anti_dsdna_iu_ml",
    "c3": "c3_g_l",
    "igg": "igg_g_l",
    "proteinuria": "proteinuria_g_24h",
}
#: Name prefix of the baselines' random effects δ in :attr:`TwinProblem.names`.
BASELINE_PREFIX = "baseline:"
#: Bounds of the search, in units of each parameter's ω.
ETA_BOUND_OMEGAS = 5.0
#: The fixed journey seed of the fit (the fitted course is deterministic).
FIT_SEED = 0


@dataclass(frozen=True)
class TwinProblem:
    """What the fit needs: the measurements, the patient's configuration and the prior."""

    visits: pd.DataFrame
    config: dict[str, Any]
    until: float
    names: tuple[str, ...]
    omega: FloatArray
    chol: FloatArray
    baselines: dict[str, float] = field(default_factory=dict)
    baseline_rows: dict[str, int] = field(default_factory=dict)

    @property
    def data(self) -> pd.DataFrame:
        """The measurements the fit uses: after infusion, up to ``until``, fitted variables only."""
        v = self.visits
        return v[(v["day"] > 0) & (v["day"] <= self.until) & v["variable"].isin(list(OBSERVATION_ERRORS))]

    def eta(self, x: FloatArray) -> dict[str, float]:
        """The random effects of a parameter vector: model parameters' η and baselines' δ by name."""
        return {n: float(e) for n, e in zip(self.names, x, strict=True)}

    def patient(self, x: FloatArray) -> tuple[dict[str, Any], dict[str, float]]:
        """The ``patient`` section (baselines × exp(δ)) and the model parameters' η of a parameter vector."""
        effects = self.eta(x)
        patient = dict(self.config["patient"])
        manifestations = dict(patient["manifestations"])
        for fieldname, measured in self.baselines.items():
            value = measured * math.exp(effects[BASELINE_PREFIX + fieldname])
            if fieldname == "proteinuria_g_24h":
                manifestations[fieldname] = value
                chronic = manifestations.get("proteinuria_chronic_g_24h", _default_chronic())
                manifestations["proteinuria_chronic_g_24h"] = min(float(chronic), value)
            elif fieldname == "c3_g_l":
                c3_normal = float((self.config.get("model_parameters") or {}).get("c3_normal_g_l", _c3_normal()))
                patient[fieldname] = min(value, 0.99 * c3_normal)
            else:
                patient[fieldname] = value
        patient["manifestations"] = manifestations
        return patient, {k: v for k, v in effects.items() if not k.startswith(BASELINE_PREFIX)}


def prepare(
    visits: pd.DataFrame,
    config: dict[str, Any] | None = None,
    until: float | None = None,
    iiv_omega: dict[str, float] | None = None,
) -> TwinProblem:
    """Set up the fit of one patient.

    Parameters
    ----------
    visits:
        The patient's measurements (:func:`~lupuscart.twin.read_visits`).
    config:
        The patient's :class:`~lupuscart.journey.SimulationConfig` sections (``patient`` for weight, height,
        manifestations...; the protocol sections); measured baselines override the ``patient`` values.
    until:
        Use only measurements up to this day (default: all).
    iiv_omega:
        ω overrides of the prior (as ``population.iiv_omega``); ω = 0 fixes a parameter at its typical value.

    Raises
    ------
    InvalidInputError
        If no measurement after infusion can be fitted, or a baseline value is outside what the model accepts
        (named with its row).
    """
    from ..journey import load_config
    from ..population import DEFAULT_CORRELATIONS, PopulationSpec, correlation_matrix

    cfg = {k: v for k, v in (config or {}).items()}
    try:
        cfg["patient"] = load_config({"patient": cfg.get("patient") or {}}).patient.model_dump()
    except InvalidConfigError as exc:
        raise InvalidInputError(str(exc)) from None
    rows: dict[str, int] = {}
    baselines: dict[str, float] = {}
    baseline_sd: list[float] = []
    pre = visits[visits["day"] <= 0]
    for var, fieldname in BASELINE_FIELDS.items():
        v = pre[pre["variable"] == var]
        if v.empty:
            continue
        last = v.sort_values("day").iloc[-1]
        rows[fieldname] = int(last["row"])
        baselines[fieldname] = float(last["value"])
        baseline_sd.append(OBSERVATION_ERRORS[var].sigma)
    patient, _ = _with_baselines(cfg, baselines)
    try:
        load_config({**cfg, "patient": patient})
    except InvalidConfigError as exc:
        where = ", ".join(f"{k} from row {r}" for k, r in rows.items())
        raise InvalidInputError(f"{exc} (baselines taken from the visits file: {where or 'none'})") from None
    last_day = float(visits["day"].max())
    until = last_day if until is None else float(until)
    spec = PopulationSpec(iiv_omega=iiv_omega or {})
    iiv = tuple(v for v in spec.iiv() if v.omega > 0)
    corr = {k: r for k, r in DEFAULT_CORRELATIONS.items() if all(n in {v.parameter for v in iiv} for n in k)}
    omega_vec = np.array([v.omega for v in iiv])
    n_eta, n_base = len(iiv), len(baselines)
    omega = np.zeros((n_eta + n_base, n_eta + n_base))
    omega[:n_eta, :n_eta] = np.outer(omega_vec, omega_vec) * correlation_matrix(iiv, corr)
    omega[n_eta:, n_eta:] = np.diag(np.square(baseline_sd)) if n_base else omega[n_eta:, n_eta:]
    problem = TwinProblem(
        visits=visits.reset_index(drop=True),
        config=cfg,
        until=until,
        names=(*(v.parameter for v in iiv), *(BASELINE_PREFIX + f for f in baselines)),
        omega=omega,
        chol=np.asarray(np.linalg.cholesky(omega), dtype=float),
        baselines=baselines,
        baseline_rows=rows,
    )
    if problem.data.empty:
        raise InvalidInputError(
            f"invalid visits file: no measurement of {sorted(OBSERVATION_ERRORS)} after infusion (day > 0) up to day "
            f"{until:g}; the twin needs at least one to fit"
        )
    return problem


def _default_chronic() -> float:
    from ..journey import load_config

    return float(load_config().patient.manifestations.proteinuria_chronic_g_24h)


def _c3_normal() -> float:
    return float(calibrated_values().get("c3_normal_g_l", default_model().definition.default_values["c3_normal_g_l"]))


def _with_baselines(cfg: dict[str, Any], baselines: dict[str, float]) -> tuple[dict[str, Any], dict[str, float]]:
    problem = TwinProblem(
        pd.DataFrame(), cfg, 0.0, tuple(BASELINE_PREFIX + f for f in baselines), np.eye(0), np.eye(0), baselines
    )
    return problem.patient(np.zeros(len(baselines)))


def simulate(problem: TwinProblem, x: FloatArray, days: float, seed: int = FIT_SEED, engine: str = "fast") -> Any:
    """Simulate the patient with random effects ``x`` to ``days`` after infusion (a
    :class:`~lupuscart.journey.PatientResult`; the tighter tolerance is tried once if the solve fails).

    The patient was infused (they have measurements after day 0), so the twin conditions on it: the product's
    base failure rate is 0 (``manufacturing.failure_probability``); otherwise a draw of the prediction, or the
    fit's journey, could be a patient who never received CAR T.
    """
    from ..journey import simulate_patient
    from ..population import VirtualPatient, to_config

    cfg = dict(problem.config)
    followup = {**cfg.get("followup", {}), "days": int(max(30, math.ceil(days)))}
    manufacturing = {**cfg.get("manufacturing", {}), "failure_probability": 0.0}
    base = {k: v for k, v in cfg.items() if k != "patient"} | {"followup": followup, "manufacturing": manufacturing}
    patient, eta = problem.patient(x)
    vp = VirtualPatient(0, seed, patient, {}, eta)
    sim_config = to_config(vp, base)
    try:
        return simulate_patient(sim_config, seed=seed, engine=engine)
    except (SolverError, FloatingPointError, ZeroDivisionError):
        return simulate_patient(sim_config, seed=seed, engine=engine, rtol=1e-8)


def _g(variable: str, y: FloatArray) -> FloatArray:
    return np.log(np.maximum(y, 0.0) + OBSERVATION_ERRORS[variable].offset + 1e-12)


def predicted(result: Any, data: pd.DataFrame) -> FloatArray:
    """The simulated value of each measurement of ``data`` (linear interpolation of the daily course)."""
    out = np.empty(len(data))
    for k, (day, obs) in enumerate(zip(data["day"], data["observable"], strict=True)):
        out[k] = float(np.interp(day, result.days, result.observables[obs]))
    return out


def residuals(problem: TwinProblem, x: FloatArray) -> FloatArray:
    """Stacked residuals: σ-scaled measurement residuals, then the whitened prior ``L⁻¹η``."""
    data = problem.data
    r = simulate(problem, x, problem.until)
    f = predicted(r, data)
    res = np.empty(len(data))
    for k, (var, y) in enumerate(zip(data["variable"], data["value"], strict=True)):
        res[k] = (_g(var, np.array([y]))[0] - _g(var, np.array([f[k]]))[0]) / OBSERVATION_ERRORS[var].sigma
    prior = np.linalg.solve(problem.chol, x)
    return np.concatenate([res, prior])


@dataclass(frozen=True)
class TwinFit:
    """The MAP random effects, their Laplace covariance and the optimiser's report."""

    problem: TwinProblem
    eta: FloatArray
    covariance: FloatArray
    cost: float
    evaluations: int
    success: bool
    message: str

    def table(self) -> pd.DataFrame:
        """One row per parameter: typical and individual value with its 90 % interval, η, its SD and the prior ω."""
        from ..population import individual_parameters
        from ..population._sample import VirtualPatient

        sd = np.sqrt(np.diag(self.covariance))
        omega = np.sqrt(np.diag(self.problem.omega))
        names = self.problem.names
        models = {n: 0.0 for n in names if not n.startswith(BASELINE_PREFIX)}
        typical = individual_parameters(VirtualPatient(0, 0, {}, {}, models))
        typical |= {BASELINE_PREFIX + f: v for f, v in self.problem.baselines.items()}
        rows = []
        for k, name in enumerate(names):
            t = typical[name]
            rows.append(
                {
                    "parameter": name,
                    "typical": t,
                    "individual": t * math.exp(self.eta[k]),
                    "individual_p05": t * math.exp(self.eta[k] - 1.645 * sd[k]),
                    "individual_p95": t * math.exp(self.eta[k] + 1.645 * sd[k]),
                    "eta": float(self.eta[k]),
                    "eta_sd": float(sd[k]),
                    "prior_omega": float(omega[k]),
                    "shrinkage_of_sd": float(1.0 - sd[k] / omega[k]),
                }
            )
        return pd.DataFrame(rows)


def fit_map(problem: TwinProblem, max_evaluations: int = 200) -> TwinFit:
    """Maximum a posteriori random effects and their Laplace covariance (see the module docstring)."""
    from scipy.optimize import least_squares

    omega = np.sqrt(np.diag(problem.omega))
    bound = ETA_BOUND_OMEGAS * omega

    def objective(x: FloatArray) -> FloatArray:
        return residuals(problem, x)

    sol = least_squares(
        objective,
        np.zeros(len(problem.names)),
        bounds=(-bound, bound),
        x_scale=omega,
        diff_step=np.full(len(problem.names), 0.01),
        max_nfev=max_evaluations,
        method="trf",
    )
    jac = np.asarray(sol.jac, dtype=float)
    cov = np.asarray(np.linalg.inv(jac.T @ jac), dtype=float)
    return TwinFit(
        problem,
        np.asarray(sol.x),
        0.5 * (cov + cov.T),
        float(sol.cost),
        int(sol.nfev),
        bool(sol.success),
        str(sol.message),
    )


def prior_fit(problem: TwinProblem) -> TwinFit:
    """The population prior as a "fit" (η = 0, covariance Ω): predictions without the patient's data."""
    return TwinFit(problem, np.zeros(len(problem.names)), problem.omega, math.nan, 0, True, "population prior")
