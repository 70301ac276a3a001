"""The sensitivity configuration (YAML, strict) and the sample designs it runs: SALib samples as virtual patients.

A sample point of a Morris or Sobol design is one *virtual patient*: the default patient with the covariate
factors set to the point's values and the parameter factors entered as log deviations from the typical values
(the η of :class:`~lupuscart.population.VirtualPatient`), simulated under the configured protocol exactly as
trial patients are (:func:`lupuscart.trial._execute.simulate_virtual_patients`, the body of ``run_chunk``: one
compiled batch per chunk on the fast engine, retries and status included). All points share one journey seed
(common random numbers), so the stochastic events (ICANS onset, LICATS, infections) differ between points only
through the factors, and manufacturing never fails (``failure_probability`` 0): the analysis
is about the treated patient. Points go through the trial's chunk store and mappers, so an analysis runs in
process or on Dask and resumes from a checkpoint like a trial.

``model: ishigami`` replaces the simulation by the Ishigami-Homma function (SALib's test function; analytic
Sobol indices, Ishigami 1990), to check the whole path — sampling, chunks, store, analysis — against known values.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._config_io import read_mapping, validation_message
from .._typing import FloatArray
from ..exceptions import InvalidConfigError
from ..journey import load_config
from ..journey._plan import _default_b_cells_per_ul as default_b
from ..model import default_model
from ..population import PopulationSpec, VirtualPatient, calibrated_parameters
from ..trial import TrialConfig, load_trial_config
from ..trial._execute import ChunkResult, Rows, simulate_virtual_patients
from ._factors import COVARIATES, Factor, covariate_factors, parameter_factors
from ._outputs import OUTPUT_KEYS, OUTPUTS, Output

_STRICT = ConfigDict(extra="forbid", frozen=True)
Stage = Literal["morris", "sobol"]

#: Follow-up of the analysed journeys unless the protocol sets one (drug-free remission at month 24 needs day 730).
DEFAULT_FOLLOWUP_DAYS = 730
#: The Ishigami-Homma function's output (``model: ishigami``), with A = 7, B = 0.1.
ISHIGAMI_OUTPUT = Output(
    "ishigami",
    "Ishigami-Homma function",
    "1",
    "continuous",
    "sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1, x_i uniform on [-π, π] (Ishigami 1990)",
    lambda row: float(row["ishigami"]),
)


class ParameterSelection(BaseModel):
    """Which model parameters vary, and the fold of their ranges by evidence tag (see ``_factors``)."""

    model_config = _STRICT
    include: tuple[str, ...] | None = Field(None, description="names to vary; null: every eligible parameter")
    exclude: tuple[str, ...] = ()
    fold: dict[str, float] = Field(default_factory=dict, description="fold by evidence tag, e.g. {E: 3}")

    @field_validator("fold")
    @classmethod
    def _folds(cls, v: dict[str, float]) -> dict[str, float]:
        for tag, f in v.items():
            if tag not in {"R", "D", "L", "E", "C"}:
                raise ValueError(f"unknown evidence tag {tag!r}; allowed: R, D, L, E, C")
            if not 1.0 < f <= 100.0:
                raise ValueError(f"the fold of tag {tag} must be in (1, 100]; got {f}")
        return v


class MorrisSpec(BaseModel):
    """Morris elementary-effects screening (Morris 1991; μ* of Campolongo 2007)."""

    model_config = _STRICT
    trajectories: int = Field(10, ge=2, le=1000, description="trajectories r; r·(D+1) evaluations")
    levels: int = Field(4, ge=2, le=20, description="grid levels p (even)")

    @field_validator("levels")
    @classmethod
    def _even(cls, v: int) -> int:
        if v % 2:
            raise ValueError(f"levels must be even; got {v}")
        return v


class SobolSpec(BaseModel):
    """Sobol indices from Saltelli's sampling scheme (Saltelli 2010; Sobol sequence, scrambled)."""

    model_config = _STRICT
    samples: int = Field(256, ge=8, le=1_048_576, description="base samples N (a power of 2); N·(D+2) evaluations")
    top: int = Field(25, ge=1, le=200, description="after Morris: the factors analysed (each output's top μ* in turn)")
    second_order: bool = Field(False, description="also second-order indices: N·(2D+2) evaluations")

    @field_validator("samples")
    @classmethod
    def _power_of_two(cls, v: int) -> int:
        if v & (v - 1):
            raise ValueError(f"samples must be a power of 2 (Sobol sequence balance); got {v}")
        return v


class SensitivityConfig(BaseModel):
    """A validated sensitivity analysis (all fields optional; see ``docs/uncertainty.md``)."""

    model_config = _STRICT
    seed: int = Field(2024, ge=0, le=2**63 - 1)
    method: Literal["morris+sobol", "morris", "sobol"] = "morris+sobol"
    model: Literal["journey", "ishigami"] = "journey"
    engine: Literal["reference", "fast"] = "fast"
    management: bool = True
    population: PopulationSpec = PopulationSpec()
    protocol: dict[str, Any] = Field(default_factory=dict, description="SimulationConfig sections except patient")
    parameters: ParameterSelection = ParameterSelection()
    covariates: tuple[str, ...] = COVARIATES
    outputs: tuple[str, ...] | None = Field(None, description="output keys; null: every output of the model")
    morris: MorrisSpec = MorrisSpec()
    sobol: SobolSpec = SobolSpec()
    resamples: int = Field(1000, ge=10, le=100_000, description="bootstrap resamples of the 95 % intervals")

    @model_validator(mode="after")
    def _known_outputs(self) -> SensitivityConfig:
        allowed = ("ishigami",) if self.model == "ishigami" else OUTPUT_KEYS
        for key in self.outputs or ():
            if key not in allowed:
                raise ValueError(f"outputs: unknown output {key!r}; allowed: {list(allowed)}")
        for name in self.covariates:
            if name not in COVARIATES:
                raise ValueError(f"covariates: unknown covariate {name!r}; allowed: {list(COVARIATES)}")
        return self

    def output_objects(self) -> tuple[Output, ...]:
        """The analysed outputs, as registry entries (in the registry's order)."""
        if self.model == "ishigami":
            return (ISHIGAMI_OUTPUT,)
        return tuple(o for o in OUTPUTS if self.outputs is None or o.key in self.outputs)

    def trial_base(self) -> TrialConfig:
        """The trial configuration whose per-patient path simulates the sample points (one arm, no failures)."""
        protocol = dict(self.protocol)
        protocol["followup"] = {"days": DEFAULT_FOLLOWUP_DAYS, **protocol.get("followup", {})}
        protocol["manufacturing"] = {**protocol.get("manufacturing", {}), "failure_probability": 0.0}
        try:
            return load_trial_config(
                {
                    "name": "sensitivity",
                    "seed": self.seed,
                    "engine": self.engine,
                    "management": self.management,
                    "population": self.population.model_dump(),
                    "protocol": protocol,
                    "small_trial": {"sizes": [], "draws": 10},
                }
            )
        except InvalidConfigError as exc:
            raise InvalidConfigError(str(exc).replace("trial configuration", "sensitivity configuration")) from None

    def typical(self) -> dict[str, float]:
        """Typical parameter values around which parameters vary: calibration, then the protocol's overrides."""
        out = {k: float(v) for k, v in calibrated_parameters().get("typical", {}).items()}
        if not self.population.calibrated:
            out = {}
        out.update({k: float(v) for k, v in (self.protocol.get("model_parameters") or {}).items()})
        return out

    def factors(self) -> list[Factor]:
        """Every factor of the screening: parameters by the evidence rule, then covariates."""
        if self.model == "ishigami":
            return [Factor(f"x{k}", "input", -math.pi, math.pi, False, 0.0, "1", "uniform [-π, π]") for k in (1, 2, 3)]

        sel = self.parameters
        covariates = covariate_factors(self.population.covariates, self.covariates)
        c3 = next((f.high for f in covariates if f.name == "c3_g_l"), load_config().patient.c3_g_l)
        params = parameter_factors(self.typical(), sel.include, sel.exclude, sel.fold, {"c3_normal_g_l": 1.05 * c3})
        return params + covariates


def load_sensitivity_config(source: str | Path | dict[str, Any] | None = None) -> SensitivityConfig:
    """Validate a sensitivity configuration from a YAML path, a mapping, or ``None`` (the defaults).

    Raises
    ------
    InvalidConfigError
        Naming the dotted path of each bad field, what is allowed and what came in.

    Examples
    --------
    >>> load_sensitivity_config({"sobol": {"samples": 64}}).sobol.samples
    64
    >>> load_sensitivity_config({"sobol": {"samples": 100}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidConfigError: invalid sensitivity configuration: sobol.samples: ... power of 2 ...
    """
    data, origin = read_mapping(source, "sensitivity configuration")
    try:
        cfg = SensitivityConfig.model_validate(data)
    except ValidationError as exc:
        raise InvalidConfigError(validation_message(exc, "sensitivity configuration", origin)) from None
    if cfg.model == "journey":
        cfg.trial_base()  # checks the protocol section
        cfg.factors()  # checks the parameter selection
    return cfg


@dataclass(frozen=True)
class SampleDesign:
    """One stage of an analysis: a SALib sample over ``factors``, each point a unit of work of the chunk store."""

    stage: Stage
    factors: tuple[Factor, ...]
    samples: int
    levels: int
    second_order: bool
    seed: int
    model: str
    trial: TrialConfig

    def problem(self) -> dict[str, Any]:
        """The SALib problem (bounds on each factor's sampling scale)."""
        return {"num_vars": len(self.factors), "names": [f.name for f in self.factors], "bounds": self._bounds()}

    def _bounds(self) -> list[list[float]]:
        return [list(f.bounds()) for f in self.factors]

    def matrix(self) -> FloatArray:
        """The sample on the factors' sampling scales, one row per evaluation (cached per process)."""
        bounds = tuple(tuple(b) for b in self._bounds())
        names = tuple(f.name for f in self.factors)
        return _sample(self.stage, names, bounds, self.samples, self.levels, self.second_order, self.seed)

    @property
    def evaluations(self) -> int:
        """Number of model evaluations: r·(D+1) (Morris), N·(D+2) or N·(2D+2) (Sobol)."""
        d = len(self.factors)
        if self.stage == "morris":
            return self.samples * (d + 1)
        return self.samples * (2 * d + 2 if self.second_order else d + 2)

    def key(self) -> str:
        """SHA-256 of everything that decides the sample points and their evaluation."""
        body = {
            "stage": self.stage,
            "factors": [asdict(f) for f in self.factors],
            "samples": self.samples,
            "levels": self.levels,
            "second_order": self.second_order,
            "seed": self.seed,
            "model": self.model,
            "trial": self.trial.model_dump(mode="json"),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    def store_config(self) -> TrialConfig:
        """The trial configuration that keys this stage's chunk store (its name carries :meth:`key`)."""
        return self.trial.model_copy(
            update={
                "name": f"sensitivity-{self.stage}-{self.key()[:16]}",
                "patients": self.evaluations,
                "arms": {self.stage: {}},
            }
        )

    def values(self, index: int) -> dict[str, float]:
        """The factor values of evaluation ``index`` (on their natural scales)."""
        row = self.matrix()[index]
        return {f.name: f.from_unit(float(u)) for f, u in zip(self.factors, row, strict=True)}


@lru_cache(maxsize=8)
def _sample(
    stage: Stage,
    names: tuple[str, ...],
    bounds: tuple[tuple[float, ...], ...],
    samples: int,
    levels: int,
    second_order: bool,
    seed: int,
) -> FloatArray:
    from SALib.sample import morris, sobol

    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    if stage == "morris":
        x = morris.sample(problem, samples, num_levels=levels, seed=seed)
    else:
        x = sobol.sample(problem, samples, calc_second_order=second_order, scramble=True, seed=seed)
    out: FloatArray = np.asarray(x, dtype=float)
    out.setflags(write=False)
    return out


def design_journey_seed(seed: int) -> int:
    """The one journey seed of every sample point (common random numbers), derived from the analysis seed."""
    return int(np.random.SeedSequence([seed, 0x5E45]).generate_state(1, dtype=np.uint32)[0])


def _virtual_patient(design: SampleDesign, index: int) -> Any:
    x = design.values(index)
    patient = load_config().patient.model_dump()
    manifestations = dict(patient["manifestations"])
    typical = {f.name: f.nominal for f in design.factors if f.kind == "parameter"}
    eta = {name: math.log(x[name] / theta) for name, theta in typical.items()}
    for name in COVARIATES:
        if name not in x:
            continue
        if name == "proteinuria_g_24h":
            manifestations[name] = x[name]
        elif name != "lymphocytes_10e9_l":
            patient[name] = x[name]
    if "lymphocytes_10e9_l" in x:
        b_cells = patient["b_cells_per_ul"] or _default_b_cells_per_ul()
        patient["t_cells_per_ul"] = max(50.0, x["lymphocytes_10e9_l"] * 1000.0 - b_cells)
    patient["manifestations"] = manifestations
    covariates = {f"x_{k}": v for k, v in x.items()}
    return VirtualPatient(index, design_journey_seed(design.seed), patient, covariates, eta)


def _default_b_cells_per_ul() -> float:
    return default_b(default_model())[0]


def evaluate_chunk(design: SampleDesign, chunk: Sequence[int]) -> ChunkResult:
    """Evaluate the sample points ``chunk`` of ``design``: one patient row each (the chunk store's unit)."""
    rows: Rows = []
    if design.model == "ishigami":
        from SALib.test_functions import Ishigami

        x = design.matrix()[list(chunk)]
        y = Ishigami.evaluate(x)
        for i, xi, yi in zip(chunk, x, y, strict=True):
            point = {f"x_{f.name}": float(v) for f, v in zip(design.factors, xi, strict=True)}
            rows.append({"arm": design.stage, "patient_id": i, "status": "ok", **point, "ishigami": float(yi)})
        return rows, []

    rows, _ = simulate_virtual_patients(design.trial, [_virtual_patient(design, i) for i in chunk])
    return rows, []
