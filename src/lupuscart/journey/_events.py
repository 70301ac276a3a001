"""The journey's event log: what happened to the patient, when (day 0 = CAR T infusion)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Event:
    """One entry of ``events.csv``: a journey step, a dose, a graded toxicity, a visit score."""

    day: float
    kind: str
    detail: str
    grade: int | None = None
