"""The factors of a sensitivity analysis and their ranges: model parameters by evidence tag, covariates from the
population specification.

**Parameters.** Each model :class:`~lupuscart.model.Parameter` varies log-uniformly over ``[θ/f, θ·f]`` around its
typical value θ (the packaged calibration where there is one, else the model default), with the fold ``f`` set by
its evidence tag (:data:`FOLD_BY_EVIDENCE`): the less a number is backed by data, the wider its range. The range is
then cut to the parameter's own bounds (``Parameter.lower``/``upper``, e.g. a share stays in [0, 1]). Excluded:
parameters whose typical value is 0 (no fold range around zero; they switch a mechanism off), absolute
temperatures (°C with a lower bound above 0, e.g. the afebrile body temperature: an interval scale, where a fold
has no meaning and the range would become the whole plausibility interval, up to fever; a temperature *rise*
starts at 0 and is kept; ``include`` still varies them over their cut fold range), and the parameters the
configuration sets from the patient and the product (weight, baseline labs, manifestations, body surface, T-cell
capacity, B-cell input, BCMA activity): those vary as covariates.

**Covariates.** A covariate of :class:`~lupuscart.population.CovariateSpec` varies over the 5th-95th percentile of
its (truncated) population distribution, log-uniformly when the distribution is log-normal, uniformly otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scipy.special import ndtr, ndtri

from ..exceptions import InvalidConfigError
from ..journey._plan import PATIENT_PARAMETERS
from ..model import default_model
from ..population import Continuous, CovariateSpec

#: Fold ``f`` of the range ``[θ/f, θ·f]`` by evidence tag: estimates (E) ×/÷ 2, calibrated (C) ×/÷ 1.5, derived (D)
#: ×/÷ 1.25, read in a source (R) or textbook (L) ×/÷ 1.1.
FOLD_BY_EVIDENCE: dict[str, float] = {"E": 2.0, "C": 1.5, "D": 1.25, "R": 1.1, "L": 1.1}
#: Model parameters that the configuration sets from the patient and product sections (vary them as covariates).
CONFIG_OWNED_EXTRA = ("bsa_m2", "product_bcma_activity", "t_capacity_cells", "b_precursor_input_cells_day")
#: Percentiles of a covariate's population distribution that bound its range.
COVARIATE_PERCENTILES = (0.05, 0.95)
#: The covariates that can vary (``CovariateSpec`` fields, plus ``proteinuria_g_24h`` of class IV nephritis).
COVARIATES: tuple[str, ...] = (
    "weight_kg",
    "egfr_ml_min",
    "lymphocytes_10e9_l",
    "b_cells_per_ul",
    "anti_dsdna_iu_ml",
    "c3_g_l",
    "igg_g_l",
    "anc_10e9_l",
    "proteinuria_g_24h",
    "pga",
)


@dataclass(frozen=True)
class Factor:
    """One input of the analysis: its name, kind, range, sampling scale, nominal value and how the range was set."""

    name: str
    kind: Literal["parameter", "covariate", "input"]
    low: float
    high: float
    log: bool
    nominal: float
    unit: str
    rule: str

    def bounds(self) -> tuple[float, float]:
        """The range on the sampling scale (natural log when ``log``)."""
        return (math.log(self.low), math.log(self.high)) if self.log else (self.low, self.high)

    def from_unit(self, u: float) -> float:
        """The factor's value at a point ``u`` of its sampling scale."""
        return math.exp(u) if self.log else u


def is_absolute_temperature(unit: str, lower: float) -> bool:
    """Whether a parameter is an absolute temperature (°C, interval scale) rather than a temperature rise.

    >>> is_absolute_temperature("degC", 35.0), is_absolute_temperature("degC", 0.0), is_absolute_temperature("1", 1.0)
    (True, False, False)
    """
    return unit == "degC" and lower > 0.0


def config_owned_parameters() -> frozenset[str]:
    """Model parameters set by the configuration's patient and product sections (not sampled as parameters)."""
    return frozenset(PATIENT_PARAMETERS.values()) | frozenset(CONFIG_OWNED_EXTRA)


def parameter_factors(
    typical: dict[str, float],
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fold: dict[str, float] | None = None,
    minima: dict[str, float] | None = None,
) -> list[Factor]:
    """Factors for model parameters (see the module docstring for the rule).

    Parameters
    ----------
    typical:
        Typical values overriding the model defaults (the packaged calibration).
    include:
        Parameter names to vary; ``None`` for every eligible parameter.
    exclude:
        Names to leave out.
    fold:
        Overrides of :data:`FOLD_BY_EVIDENCE` by tag.
    minima:
        Lower limits that other factors impose (``c3_normal_g_l`` must stay above every baseline C3 sampled, since
        the model derives complement consumption from the difference).

    Raises
    ------
    InvalidConfigError
        For an unknown or ineligible name in ``include`` or ``exclude``.

    Examples
    --------
    >>> f = parameter_factors({}, include=["car_kill_per_cell_day"])[0]
    >>> f.low, f.high, f.rule
    (1.5, 6.0, 'E: x/÷ 2')
    """
    folds = {**FOLD_BY_EVIDENCE, **(fold or {})}
    params = {p.name: p for p in default_model().definition.parameters}
    owned = config_owned_parameters()
    for name in (*(include or ()), *exclude):
        if name not in params:
            raise InvalidConfigError(f"invalid sensitivity configuration: parameters: unknown model parameter {name!r}")
    out = []
    for p in params.values():
        if include is not None and p.name not in include:
            continue
        theta = float(typical.get(p.name, p.value))
        default_out = p.name in owned or theta == 0.0 or is_absolute_temperature(p.unit, p.lower)
        if p.name in exclude or (include is None and default_out):
            continue
        if p.name in owned or theta <= 0.0:
            why = "is set by the patient or product section" if p.name in owned else "has a typical value of 0"
            raise InvalidConfigError(
                f"invalid sensitivity configuration: parameters.include: {p.name!r} {why}; it cannot be varied as "
                "a parameter (vary covariates through 'covariates')"
            )
        f = folds[p.evidence]
        low, high = max(theta / f, p.lower), min(theta * f, p.upper)
        rule = f"{p.evidence}: x/÷ {f:g}" + (" (cut to bounds)" if (low, high) != (theta / f, theta * f) else "")
        floor = (minima or {}).get(p.name)
        if floor is not None and low < floor:
            low, rule = floor, f"{p.evidence}: x/÷ {f:g} (cut above the baseline covariate range)"
        out.append(Factor(p.name, "parameter", low, high, True, theta, p.unit, rule))
    return out


def _quantile(c: Continuous, q: float) -> float:
    """The ``q`` quantile of a truncated normal / log-normal covariate (as :mod:`lupuscart.population` draws it)."""
    if c.spread == 0 or c.min == c.max:
        return float(min(max(c.center, c.min), c.max))
    log = c.distribution == "lognormal"
    mu, lo, hi = (math.log(c.center), math.log(c.min), math.log(c.max)) if log else (c.center, c.min, c.max)
    a, b = ndtr((lo - mu) / c.spread), ndtr((hi - mu) / c.spread)
    x = mu + c.spread * float(ndtri(a + (b - a) * q))
    return math.exp(x) if log else x


def _distribution(spec: CovariateSpec, name: str) -> Continuous:
    if name == "proteinuria_g_24h":
        lo, hi = spec.proteinuria_range_g_24h
        centre = min(max(spec.nephritis.proteinuria_median_g_24h["IV"], lo), hi)
        return Continuous(distribution="lognormal", center=centre, spread=spec.proteinuria_spread, min=lo, max=hi)
    c = getattr(spec, name)
    assert isinstance(c, Continuous)
    return c


def covariate_factors(spec: CovariateSpec, names: Sequence[str]) -> list[Factor]:
    """Factors for covariates: the 5th-95th percentile of each one's population distribution.

    >>> f = covariate_factors(CovariateSpec(), ["weight_kg"])[0]
    >>> round(f.low, 1), round(f.high, 1), f.log
    (48.6, 87.4, True)
    """
    units = {"weight_kg": "kg", "egfr_ml_min": "mL/min", "lymphocytes_10e9_l": "1e9/L", "b_cells_per_ul": "cells/uL"}
    units |= {"anti_dsdna_iu_ml": "IU/mL", "c3_g_l": "g/L", "igg_g_l": "g/L", "anc_10e9_l": "1e9/L"}
    units |= {"proteinuria_g_24h": "g/24h", "pga": "0-3"}
    out = []
    for name in names:
        if name not in COVARIATES:
            raise InvalidConfigError(
                f"invalid sensitivity configuration: covariates: unknown covariate {name!r}; "
                f"allowed: {list(COVARIATES)}"
            )
        c = _distribution(spec, name)
        low, high = (_quantile(c, q) for q in COVARIATE_PERCENTILES)
        rule = f"population {c.distribution}, 5th-95th percentile"
        out.append(Factor(name, "covariate", low, high, c.distribution == "lognormal", c.center, units[name], rule))
    return out
