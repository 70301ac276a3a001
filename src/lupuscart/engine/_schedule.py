"""Scheduled doses: bolus amounts added to a state at known times (drugs, CAR T product).

Engines split the integration at dose times and restart the solver after each jump (model.md A.0 convention 4),
which is exact for instantaneous doses and avoids stepping over them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Dose:
    """A bolus of ``amount`` (in the state's unit) added to ``state`` at ``time_day`` (day 0 = infusion)."""

    time_day: float
    state: str
    amount: float
    label: str = ""


def dose_times(doses: Iterable[Dose]) -> list[float]:
    """Sorted distinct dose times."""
    return sorted({d.time_day for d in doses})
