"""The virtual-trial configuration: population, common protocol, arms, size and seed — validated strictly.

A trial file (YAML) looks like::

    name: dose-finding
    patients: 300            # per arm; the same virtual patients are given every arm (paired design)
    seed: 2024
    population: {covariates: {weight_kg: {distribution: lognormal, center: 70, spread: 0.2, min: 45, max: 120}}}
    protocol: {manufacturing: {days: 21}}        # SimulationConfig sections shared by all arms
    arms:
      high_dose: {product: {dose_per_kg: 1.0e6}}
      low_dose:  {product: {dose_per_kg: 1.0e5}}
    small_trial: {sizes: [5, 15], draws: 2000}

An arm is a mapping of :class:`~lupuscart.journey.SimulationConfig` sections (except ``patient``, which comes
from the population) deep-merged over ``protocol``. Unknown keys anywhere are refused with their dotted path,
e.g. ``arms.low_dose.product.dose``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._config_io import read_mapping, validation_message
from .._run_arguments import MAX_PATIENTS, MAX_SEED
from ..exceptions import InvalidConfigError, shorten
from ..journey import SimulationConfig
from ..population import PopulationSpec

_STRICT = ConfigDict(extra="forbid", frozen=True)


class SmallTrialSpec(BaseModel):
    """Small-trial realism: resample virtual trials of these sizes from the simulated population."""

    model_config = _STRICT
    sizes: tuple[int, ...] = (5, 15)
    draws: int = Field(2000, ge=10, le=1_000_000)

    @field_validator("sizes")
    @classmethod
    def _positive(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(n <= 0 for n in v):
            raise ValueError(f"sizes must be positive; got {list(v)}")
        return v


class TrialConfig(BaseModel):
    """A validated virtual trial (see the module docstring for the file layout)."""

    model_config = _STRICT
    name: str = "default"
    patients: int = Field(300, gt=0, le=MAX_PATIENTS, description="patients per arm")
    seed: int = Field(0, ge=0, le=MAX_SEED)
    management: bool = Field(True, description="apply the toxicity management policies")
    engine: Literal["reference", "fast"] = Field(
        "reference", description="ODE engine of every patient: reference (scipy LSODA) or fast (compiled Rodas4)"
    )
    population: PopulationSpec = PopulationSpec()
    protocol: dict[str, Any] = Field(default_factory=dict, description="SimulationConfig sections for all arms")
    arms: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {"cd19_1e6_erlangen": dict[str, Any]()},
        description="arm name -> SimulationConfig overrides",
    )
    small_trial: SmallTrialSpec = SmallTrialSpec()

    def arm_config(self, arm: str) -> dict[str, Any]:
        """The merged protocol (``protocol`` then the arm's overrides) of one arm, as a plain mapping."""
        return _deep_merge(self.protocol, self.arms[arm])


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _check_protocol(section: dict[str, Any], where: str, origin: str) -> dict[str, Any]:
    """Validate one protocol or arm mapping as :class:`SimulationConfig` sections; return it with the values as
    validated (``"2e0"`` → 2.0, ``1`` → 1.0 where a float is meant), only the keys it gave."""
    if not isinstance(section, dict):
        raise InvalidConfigError(f"invalid trial configuration{origin}: {where}: must be a mapping of sections")
    if "patient" in section:
        raise InvalidConfigError(
            f"invalid trial configuration{origin}: {where}.patient: patients come from the population section "
            "(population.covariates), not from a protocol or an arm"
        )
    try:
        validated = SimulationConfig.model_validate(section)
    except ValidationError as exc:
        raise InvalidConfigError(validation_message(exc, "trial configuration", origin, prefix=where)) from None
    return validated.model_dump(exclude_unset=True)


def load_trial_config(source: str | Path | dict[str, Any] | None = None) -> TrialConfig:
    """Validate a trial configuration from a YAML path, a mapping, or ``None`` (the default trial).

    Raises
    ------
    InvalidConfigError
        Naming the dotted path of each bad field (``arms.low_dose.product.dose``), what is allowed and what came
        in; also for ``patients`` ≤ 0 and impossible covariate ranges (``min`` > ``max``).

    Examples
    --------
    >>> load_trial_config({"patients": 40}).patients
    40
    >>> load_trial_config({"arms": {"low": {"product": {"dose": 1}}}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lupuscart.exceptions.InvalidConfigError: invalid trial configuration: arms.low.product.dose: unknown key ...
    """
    data, origin = read_mapping(source, "trial configuration")
    try:
        cfg = TrialConfig.model_validate(data)
    except ValidationError as exc:
        raise InvalidConfigError(validation_message(exc, "trial configuration", origin)) from None
    if not cfg.arms:
        raise InvalidConfigError(f"invalid trial configuration{origin}: arms: at least one arm is needed")
    protocol = _check_protocol(cfg.protocol, "protocol", origin)
    arms = {name: _check_protocol(arm, f"arms.{shorten(str(name), 60)}", origin) for name, arm in cfg.arms.items()}
    # The run uses the values as validated, so what was checked is what is simulated (and what the checkpoint's
    # run key records).
    cfg = cfg.model_copy(update={"protocol": protocol, "arms": arms})
    for name in cfg.arms:
        _check_protocol(cfg.arm_config(name), f"arms.{shorten(str(name), 60)}", origin)
    return cfg
