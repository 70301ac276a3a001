"""Everything one simulated patient produced: plan, daily observables, grades, visits, events and the summary."""

from __future__ import annotations

from dataclasses import dataclass

from .._typing import FloatArray
from ._events import Event
from ._plan import PatientPlan
from ._summary import PatientSummary
from ._visits import VisitScore


@dataclass(frozen=True)
class PatientResult:
    """One simulated patient. ``observables`` are daily, on ``days`` (journey start to end of follow-up);
    ``crs_grade_by_day``/``icans_grade_by_day`` hold the worst grade of each assessed day."""

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
    summary: PatientSummary
