"""Tocilizumab 8 mg/kg, at most 800 mg (ASCO 2021)."""

from __future__ import annotations

import pytest

from lupuscart.clinical import tocilizumab_dose_mg


@pytest.mark.parametrize(("weight", "dose"), [(50, 400.0), (99, 792.0), (100, 800.0), (101, 800.0), (150, 800.0)])
def test_dose_and_cap(weight: float, dose: float) -> None:
    assert tocilizumab_dose_mg(weight) == pytest.approx(dose)
