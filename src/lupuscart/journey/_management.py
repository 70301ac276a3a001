"""Toxicity management policies: tocilizumab and dexamethasone per ASCO 2021 (clinical-instruments.md D7.1-7.2).

``asco``: tocilizumab 8 mg/kg (max 800 mg) for CRS grade ≥ 2, repeated no sooner than 8 h, at most 3 doses in
24 h and 4 in total; dexamethasone 10 mg for CRS grade ≥ 3, for grade-2 CRS persisting after two tocilizumab
doses, and for ICANS grade ≥ 2 (every assessment while it lasts). Tocilizumab is not given for ICANS without CRS.
``prophylactic`` adds one tocilizumab dose at the first assessment on the day of infusion. ``none`` gives nothing.

The policy is data (:class:`ManagementPolicy`): the readable reference journey applies it with :func:`decide`, and
the compiled journey reads the same numbers (:meth:`ManagementPolicy.as_array`), so both give the same doses.
The policy only decides; the integrator applies the doses to the model (tocilizumab into ``toc_central_mg``,
dexamethasone into ``dex_mg``).

References
----------
Santomasso BD et al. Management of immune-related adverse events in patients treated with chimeric antigen
receptor T-cell therapy: ASCO guideline. J Clin Oncol 2021;39:3978-92, doi:10.1200/JCO.21.01992.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._typing import FloatArray
from ..clinical import tocilizumab_dose_mg
from ._config import ManagementConfig

DEXAMETHASONE_MG = 10.0
TOCILIZUMAB_MIN_INTERVAL_DAYS = 8.0 / 24.0
TOCILIZUMAB_MAX_PER_24H = 3
TOCILIZUMAB_MAX_TOTAL = 4
#: Tolerance when comparing assessment times (days) with the minimum dosing interval.
_TIME_EPS = 1e-9


@dataclass(frozen=True)
class ManagementPolicy:
    """What the bedside team gives, and when, for one patient (all amounts in mg, times in days)."""

    tocilizumab: bool
    prophylactic_tocilizumab: bool
    steroids: bool
    tocilizumab_mg: float
    tocilizumab_min_interval_days: float = TOCILIZUMAB_MIN_INTERVAL_DAYS
    tocilizumab_max_per_24h: int = TOCILIZUMAB_MAX_PER_24H
    tocilizumab_max_total: int = TOCILIZUMAB_MAX_TOTAL
    dexamethasone_mg: float = DEXAMETHASONE_MG

    @classmethod
    def from_config(cls, config: ManagementConfig, weight_kg: float, *, managed: bool = True) -> ManagementPolicy:
        """The policy of a configuration; ``managed=False`` gives nothing (``simulate --no-management``)."""
        return cls(
            tocilizumab=managed and config.tocilizumab != "none",
            prophylactic_tocilizumab=managed and config.tocilizumab == "prophylactic",
            steroids=managed and config.steroids != "none",
            tocilizumab_mg=tocilizumab_dose_mg(weight_kg),
        )

    def as_array(self) -> FloatArray:
        """The policy as the flat vector the compiled journey reads (order: the dataclass fields)."""
        return np.array(
            [
                float(self.tocilizumab),
                float(self.prophylactic_tocilizumab),
                float(self.steroids),
                self.tocilizumab_mg,
                self.tocilizumab_min_interval_days,
                float(self.tocilizumab_max_per_24h),
                float(self.tocilizumab_max_total),
                self.dexamethasone_mg,
            ]
        )


@dataclass
class ManagementState:
    """What has been given so far (days relative to infusion)."""

    tocilizumab_days: list[float] = field(default_factory=list)
    dexamethasone_days: list[float] = field(default_factory=list)
    immunoglobulin_days: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Intervention:
    """A drug dose decided at an assessment."""

    drug: str
    amount_mg: float
    reason: str


def decide(policy: ManagementPolicy, state: ManagementState, day: float, crs: int, icans: int) -> list[Intervention]:
    """Interventions at an assessment on ``day`` given the current CRS and ICANS grades.

    >>> policy = ManagementPolicy.from_config(ManagementConfig(), weight_kg=70)
    >>> [(i.drug, i.amount_mg) for i in decide(policy, ManagementState(), 2.0, crs=2, icans=0)]
    [('tocilizumab', 560.0)]
    >>> decide(policy, ManagementState(), 2.0, crs=1, icans=0)
    []
    """
    out: list[Intervention] = []
    if policy.prophylactic_tocilizumab and day == 0.0 and not state.tocilizumab_days:
        out.append(Intervention("tocilizumab", policy.tocilizumab_mg, "prophylaxis"))
    elif policy.tocilizumab and crs >= 2 and _tocilizumab_allowed(policy, state, day):
        out.append(Intervention("tocilizumab", policy.tocilizumab_mg, f"CRS grade {crs}"))
    if policy.steroids:
        persistent = crs == 2 and len(state.tocilizumab_days) >= 2
        if crs >= 3 or persistent or icans >= 2:
            why = f"ICANS grade {icans}" if icans >= 2 else f"CRS grade {crs}"
            out.append(Intervention("dexamethasone", policy.dexamethasone_mg, why))
    return out


def _tocilizumab_allowed(policy: ManagementPolicy, state: ManagementState, day: float) -> bool:
    given = state.tocilizumab_days
    if len(given) >= policy.tocilizumab_max_total:
        return False
    if given and day - given[-1] < policy.tocilizumab_min_interval_days - _TIME_EPS:
        return False
    return sum(1 for d in given if day - d < 1.0) < policy.tocilizumab_max_per_24h
