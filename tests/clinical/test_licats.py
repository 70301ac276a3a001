"""LICATS grade and timing (Hagen 2025)."""

from __future__ import annotations

import pytest

from lupuscart.clinical import licats_grade, licats_steroid_indicated, licats_timing
from lupuscart.exceptions import InvalidInputError


@pytest.mark.parametrize(
    ("spontaneous", "steroids", "hospital", "icu", "grade"),
    [
        (True, False, False, False, 1),
        (False, False, False, False, 1),
        (False, True, False, False, 2),
        (False, True, True, False, 3),
        (False, False, True, False, 3),
        (False, True, True, True, 4),
    ],
)
def test_grade_follows_most_intensive_management(
    spontaneous: bool, steroids: bool, hospital: bool, icu: bool, grade: int
) -> None:
    assert (
        licats_grade(resolved_spontaneously=spontaneous, glucocorticoids=steroids, hospitalized=hospital, icu=icu)
        == grade
    )


def test_spontaneous_resolution_with_steroids_is_contradictory() -> None:
    with pytest.raises(InvalidInputError, match="resolved_spontaneously"):
        licats_grade(resolved_spontaneously=True, glucocorticoids=True, hospitalized=False, icu=False)


@pytest.mark.parametrize(("days", "organ", "indicated"), [(7, False, False), (7.01, False, True), (2, True, True)])
def test_steroid_indication_more_than_one_week(days: float, organ: bool, indicated: bool) -> None:
    assert licats_steroid_indicated(symptom_days=days, inner_organ_involvement=organ) is indicated


@pytest.mark.parametrize(
    ("day", "timing"),
    [(0, "early"), (14, "early"), (14.01, "intermediate"), (30, "intermediate"), (30.01, "late"), (200, "late")],
)
def test_timing_boundaries(day: float, timing: str) -> None:
    assert licats_timing(day) == timing
