"""The calibration targets as the fit reads them: every row of the packaged Mackensen 2022 time course, weighted.

Independent reference: the packaged JSON file read directly (``lupuscart/data/mackensen2022.json``).
"""

from __future__ import annotations

import json
from importlib import resources

from lupuscart.calibrate import SIGMA, TimeTarget, mackensen2022, time_targets


def _packaged() -> dict[str, object]:
    data: dict[str, object] = json.loads((resources.files("lupuscart") / "data" / "mackensen2022.json").read_text())
    return data


def test_every_packaged_time_course_row_is_a_target_in_order() -> None:
    rows = _packaged()["time_course"]
    assert time_targets() == [TimeTarget(**row) for row in rows]  # type: ignore[attr-defined]
    assert mackensen2022()["doi"] == _packaged()["doi"]


def test_every_target_has_a_weight_and_lies_in_its_own_range() -> None:
    for t in time_targets():
        assert t.tag in SIGMA, t
        assert t.low <= t.value <= t.high, t
        assert 0 <= t.day <= 365, t  # day 0 = infusion, to the end of the first year
