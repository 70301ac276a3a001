"""CTCAE v5.0 haematology grades: "<A – B" is below A down to B inclusive."""

from __future__ import annotations

import pytest

from lupuscart.clinical import ctcae_grade


@pytest.mark.parametrize(
    ("term", "value", "grade"),
    [
        ("neutrophil_count_decreased", 2.0, 0),
        ("neutrophil_count_decreased", 1.8, 0),  # at the default LLN
        ("neutrophil_count_decreased", 1.79, 1),
        ("neutrophil_count_decreased", 1.5, 1),
        ("neutrophil_count_decreased", 1.49, 2),
        ("neutrophil_count_decreased", 1.0, 2),
        ("neutrophil_count_decreased", 0.99, 3),
        ("neutrophil_count_decreased", 0.5, 3),
        ("neutrophil_count_decreased", 0.49, 4),
        ("neutrophil_count_decreased", 0.0, 4),
        ("platelet_count_decreased", 75, 1),
        ("platelet_count_decreased", 74.9, 2),
        ("platelet_count_decreased", 50, 2),
        ("platelet_count_decreased", 49, 3),
        ("platelet_count_decreased", 25, 3),
        ("platelet_count_decreased", 24, 4),
        ("white_blood_cell_decreased", 3.0, 1),
        ("white_blood_cell_decreased", 2.0, 2),
        ("white_blood_cell_decreased", 1.0, 3),
        ("white_blood_cell_decreased", 0.99, 4),
        ("lymphocyte_count_decreased", 0.8, 1),
        ("lymphocyte_count_decreased", 0.5, 2),
        ("lymphocyte_count_decreased", 0.2, 3),
        ("lymphocyte_count_decreased", 0.19, 4),
        ("anemia", 12.0, 0),
        ("anemia", 10.0, 1),
        ("anemia", 9.99, 2),
        ("anemia", 8.0, 2),
        ("anemia", 7.99, 3),
        ("anemia", 4.0, 3),  # grade 4 is a clinical judgement, never from the value
    ],
)
def test_grade_bands(term: str, value: float, grade: int) -> None:
    assert ctcae_grade(term, value) == grade


def test_lab_lln_decides_grade_0_vs_1() -> None:
    assert ctcae_grade("neutrophil_count_decreased", 1.9, lln=2.0) == 1
    assert ctcae_grade("neutrophil_count_decreased", 2.0, lln=2.0) == 0  # at LLN → 0
    assert ctcae_grade("neutrophil_count_decreased", 1.7, lln=1.6) == 0
    assert ctcae_grade("platelet_count_decreased", 140, lln=130) == 0
