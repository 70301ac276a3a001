"""CAR-HEMATOTOX (Rejeski 2021): boundaries as in the public implementation whose cut-offs match the paper."""

from __future__ import annotations

import pytest

from lupuscart.clinical import HematotoxScore, car_hematotox

NORMAL = {
    "platelets_10e9_per_l": 250.0,
    "anc_10e9_per_l": 3.0,
    "hemoglobin_g_per_dl": 13.0,
    "crp_mg_per_dl": 0.2,
    "ferritin_ng_per_ml": 100.0,
}


@pytest.mark.parametrize(
    ("field", "value", "points"),
    [
        ("platelets_10e9_per_l", 175.1, 0),
        ("platelets_10e9_per_l", 175.0, 1),
        ("platelets_10e9_per_l", 75.1, 1),
        ("platelets_10e9_per_l", 75.0, 2),
        ("anc_10e9_per_l", 1.2, 0),
        ("anc_10e9_per_l", 1.19, 1),
        ("hemoglobin_g_per_dl", 9.1, 0),
        ("hemoglobin_g_per_dl", 9.0, 1),
        ("crp_mg_per_dl", 2.99, 0),
        ("crp_mg_per_dl", 3.0, 1),
        ("ferritin_ng_per_ml", 649.0, 0),
        ("ferritin_ng_per_ml", 650.0, 1),
        ("ferritin_ng_per_ml", 2000.0, 1),
        ("ferritin_ng_per_ml", 2000.1, 2),
    ],
)
def test_each_cutoff_on_both_sides(field: str, value: float, points: int) -> None:
    assert car_hematotox(**{**NORMAL, field: value}).score == points


def test_low_high_split_and_maximum() -> None:
    assert car_hematotox(**NORMAL) == HematotoxScore(0, "low", 0, 0, 0, 0, 0)
    assert car_hematotox(**{**NORMAL, "anc_10e9_per_l": 1.0}).risk == "low"  # 1 point
    assert car_hematotox(**{**NORMAL, "platelets_10e9_per_l": 60.0}).risk == "high"  # 2 points
    worst = car_hematotox(
        platelets_10e9_per_l=20, anc_10e9_per_l=0.3, hemoglobin_g_per_dl=7, crp_mg_per_dl=10, ferritin_ng_per_ml=5000
    )
    assert (worst.score, worst.risk) == (7, "high")


def test_crp_is_mg_per_dl_not_mg_per_l() -> None:
    # CRP 25 mg/L = 2.5 mg/dL: below the 3.0 mg/dL cut-off. Entering the mg/L number would wrongly add a point.
    assert car_hematotox(**{**NORMAL, "crp_mg_per_dl": 2.5}).crp == 0
    assert car_hematotox(**{**NORMAL, "crp_mg_per_dl": 25.0}).crp == 1
