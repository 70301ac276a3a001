"""The calibration targets, read from the packaged Mackensen 2022 summary (``lupuscart/data/mackensen2022.json``).

Each target has a tag: ``R`` (read in the publication; a hard target, weight 1/σ² with a small σ) or ``A`` (an
approximation from qualitative statements; a soft prior, larger σ). Müller 2024 and other cohorts are kept for
validation and are not used here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: Residual scale by tag (relative units): hard targets weigh 9x more than soft ones.
SIGMA = {"R": 0.1, "R2": 0.15, "A": 0.3}


@dataclass(frozen=True)
class TimeTarget:
    """A time-course point: ``observable`` (as a fraction, see ``mackensen2022.json``) at ``day``."""

    observable: str
    day: float
    value: float
    low: float
    high: float
    tag: str


@lru_cache(maxsize=1)
def mackensen2022() -> dict[str, Any]:
    """The packaged published summary (cohort, outcomes, time-course targets) with its citation."""
    text = (resources.files("lupuscart") / "data" / "mackensen2022.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def time_targets() -> list[TimeTarget]:
    """The time-course targets (day 0 = infusion) as :class:`TimeTarget` rows.

    >>> [t.tag for t in time_targets() if t.observable == "b_cells_fraction" and t.day == 7]
    ['A']
    """
    return [TimeTarget(**row) for row in mackensen2022()["time_course"]]
