"""Toxicity management policies: tocilizumab and dexamethasone per ASCO 2021 (clinical-instruments.md D7.1-7.2).

``asco``: tocilizumab 8 mg/kg (max 800 mg) for CRS grade ≥ 2, repeated no sooner than 8 h, at most 3 doses in
24 h and 4 in total; dexamethasone 10 mg for CRS grade ≥ 3, for grade-2 CRS persisting after two tocilizumab
doses, and for ICANS grade ≥ 2 (every 6 h while it lasts). Tocilizumab is not given for ICANS without CRS.
``prophylactic`` adds one tocilizumab dose at infusion. ``none`` gives nothing. The policy only decides; the runner
applies the doses to the model (tocilizumab into ``toc_central_mg``, dexamethasone into ``dex_mg``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..clinical import tocilizumab_dose_mg
from ._config import ManagementConfig

DEXAMETHASONE_MG = 10.0
TOCILIZUMAB_MIN_INTERVAL_DAYS = 8.0 / 24.0
TOCILIZUMAB_MAX_PER_24H = 3
TOCILIZUMAB_MAX_TOTAL = 4


@dataclass
class ManagementState:
    """What has been given so far (days relative to infusion)."""

    tocilizumab_days: list[float] = field(default_factory=list)
    dexamethasone_days: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Intervention:
    """A drug dose decided at an assessment."""

    drug: str
    amount_mg: float
    reason: str


def decide(
    policy: ManagementConfig, state: ManagementState, day: float, crs: int, icans: int, weight_kg: float
) -> list[Intervention]:
    """Interventions at an assessment on ``day`` given the current CRS and ICANS grades.

    >>> from lupuscart.journey._config import ManagementConfig
    >>> [i.drug for i in decide(ManagementConfig(), ManagementState(), 2.0, crs=2, icans=0, weight_kg=70)]
    ['tocilizumab']
    >>> decide(ManagementConfig(), ManagementState(), 2.0, crs=1, icans=0, weight_kg=70)
    []
    """
    out: list[Intervention] = []
    if policy.tocilizumab != "none" and crs >= 2 and _tocilizumab_allowed(state, day):
        out.append(Intervention("tocilizumab", tocilizumab_dose_mg(weight_kg), f"CRS grade {crs}"))
    if policy.steroids != "none":
        persistent = crs == 2 and len(state.tocilizumab_days) >= 2
        if crs >= 3 or persistent or icans >= 2:
            why = f"ICANS grade {icans}" if icans >= 2 else f"CRS grade {crs}"
            out.append(Intervention("dexamethasone", DEXAMETHASONE_MG, why))
    return out


def _tocilizumab_allowed(state: ManagementState, day: float) -> bool:
    given = state.tocilizumab_days
    if len(given) >= TOCILIZUMAB_MAX_TOTAL:
        return False
    if given and day - given[-1] < TOCILIZUMAB_MIN_INTERVAL_DAYS - 1e-9:
        return False
    return sum(1 for d in given if day - d < 1.0) < TOCILIZUMAB_MAX_PER_24H
