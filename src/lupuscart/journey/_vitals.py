"""Vitals and neurological status derived from the simulated state, graded with the project's ASTCT functions.

CRS: temperature and the vascular-leak signal are model observables (``crs_temperature_c``,
``crs_vascular_signal_pg_ml``, block ``crs_vitals``); hypotension, vasopressor need and oxygen need follow
thresholds on the vascular signal (parameters of the same block, tagged E), so the reference journey and a compiled
journey grade the same formulas. After tocilizumab or dexamethasone, fever is no longer required for grading
(Lee 2019), which :func:`lupuscart.clinical.crs_grade` implements. ICANS: while an episode is active, the ICE
score falls with the endothelial activation index.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..clinical import crs_grade, icans_grade
from ._hazards import JourneyValues


@dataclass(frozen=True)
class CrsVitals:
    """What the bedside team measures during monitoring."""

    temperature_c: float
    hypotension: bool
    vasopressors: tuple[str, ...]
    oxygen: str
    oxygen_l_per_min: float


def crs_vitals(temperature_c: float, vascular_signal_pg_ml: float, values: JourneyValues) -> CrsVitals:
    """Vitals implied by the model's ``crs_temperature_c`` and ``crs_vascular_signal_pg_ml`` observables.

    >>> from lupuscart.journey._hazards import default_journey_values
    >>> crs_vitals(37.0, 2.0, default_journey_values()).oxygen
    'none'
    >>> crs_vitals(39.0, 200.0, default_journey_values()).oxygen
    'nasal_cannula'
    """
    x = vascular_signal_pg_ml
    pressors: tuple[str, ...] = ()
    if x > values["multiple_vasopressor_il6_pg_ml"]:
        pressors = ("norepinephrine", "epinephrine")
    elif x > values["vasopressor_il6_pg_ml"]:
        pressors = ("norepinephrine",)
    if x > values["ventilation_il6_pg_ml"]:
        oxygen, flow = "bipap", 0.0
    elif x > values["high_flow_oxygen_il6_pg_ml"]:
        oxygen, flow = "high_flow_nasal_cannula", 30.0
    elif x > values["low_flow_oxygen_il6_pg_ml"]:
        oxygen, flow = "nasal_cannula", 2.0
    else:
        oxygen, flow = "none", 0.0
    return CrsVitals(temperature_c, x > values["hypotension_il6_pg_ml"], pressors, oxygen, flow)


def graded_crs(
    temperature_c: float, vascular_signal_pg_ml: float, values: JourneyValues, *, anticytokine_given: bool
) -> tuple[int, CrsVitals]:
    """ASTCT CRS grade (0-4) and the vitals it was graded from."""
    v = crs_vitals(temperature_c, vascular_signal_pg_ml, values)
    grade = crs_grade(
        temperature_c=v.temperature_c,
        hypotension=v.hypotension,
        vasopressors=list(v.vasopressors),
        oxygen=v.oxygen,
        oxygen_l_per_min=v.oxygen_l_per_min,
        anticytokine_or_antipyretic_given=anticytokine_given,
    )
    return grade, v


def graded_icans(endothelial_activation: float, values: JourneyValues) -> tuple[int, int]:
    """ASTCT ICANS grade and ICE score during an active episode, from the endothelial activation index.

    >>> from lupuscart.journey._hazards import default_journey_values
    >>> graded_icans(0.05, default_journey_values())
    (1, 9)
    """
    ice = int(max(0, min(10, round(10 - values["ice_drop_per_activation"] * endothelial_activation))))
    ice = min(ice, 9)  # an active episode has at least one ICE deficit
    consciousness = "alert" if ice >= 3 else "awakens_to_voice" if ice >= 1 else "awakens_to_touch"
    return icans_grade(ice=ice, consciousness=consciousness), ice
