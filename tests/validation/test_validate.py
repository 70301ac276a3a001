"""Validation: published comparisons, direction checks, the report, and the suite on small arms.

The command, ``lupuscart validate``, is tested in ``tests/cli/test_validate.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from lupuscart.model import REFERENCES
from lupuscart.trial import endpoint
from lupuscart.validation import (
    DIRECTIONS,
    PUBLISHED,
    Published,
    ValidationReport,
    compare,
    judge,
    suite_config,
    validate,
)


def test_every_comparison_names_a_registered_endpoint_a_suite_arm_and_a_shipped_reference() -> None:
    arms = set(suite_config().arms)
    for p in PUBLISHED:
        endpoint(p.endpoint)
        assert p.arm in arms, p.key
        assert REFERENCES[p.source].doi, p.source
        assert (p.k is None) != (p.value is None), p.key
    for d in DIRECTIONS:
        assert REFERENCES[d.source].doi, d.source
        assert {arm for arm, _ in d.shows} <= arms


def test_a_proportion_agrees_when_the_intervals_overlap() -> None:
    p = Published("x", "a", "crs_any_rate", "CRS", "Muller2024", "cohort", 15, "validation", k=11)
    inside = {"a": {"crs_any_rate": 0.6, "crs_any_rate_ci": [0.55, 0.65]}}
    far = {"a": {"crs_any_rate": 0.1, "crs_any_rate_ci": [0.05, 0.15]}}
    assert compare(p, inside).consistent
    assert compare(p, inside).published_interval[0] == pytest.approx(0.48, abs=0.01)  # Wilson, 11/15
    assert not compare(p, far).consistent
    assert not compare(p, {"a": {"crs_any_rate": None}}).consistent


def test_a_value_agrees_within_its_tolerance() -> None:
    p = Published("x", "a", "igg_recovery_day_median", "IgG", "Wang2021", "c", 40, "validation", value=386.0)
    assert compare(p, {"a": {"igg_recovery_day_median": 500.0}}).consistent
    assert not compare(p, {"a": {"igg_recovery_day_median": 900.0}}).consistent


def _arms(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    base = {
        "doris_month3_rate": 0.95,
        "drug_free_remission_month24_rate": 0.9,
        "crs_any_rate": 0.6,
        "crs_grade2plus_rate": 0.05,
        "crs_il6_peak_pg_ml_median": 30.0,
        "anti_dsdna_negative_month3_rate": 0.6,
        "igg_nadir_g_l_median": 9.0,
        "igg_replacement_rate": 0.0,
        "igg_recovery_day_median": 300.0,
        "relapse_by_month24_rate": 0.02,
    }
    arms = {arm: dict(base) for arm in suite_config().arms}
    arms["ld_only_erlangen"].update(doris_month3_rate=0.0, drug_free_remission_month24_rate=0.0)
    arms["ld_only_low_intensity"].update(drug_free_remission_month24_rate=0.0)
    arms["bcma_cd19_1e6"].update(
        anti_dsdna_negative_month3_rate=0.8, igg_nadir_g_l_median=3.0, igg_replacement_rate=1.0
    )
    arms["tocilizumab_prophylactic"].update(crs_grade2plus_rate=0.0, crs_any_rate=0.5)
    for arm, values in changes.items():
        arms[arm].update(values)
    return arms


def test_directions_hold_for_a_consistent_set_of_arms_and_fail_when_one_is_broken() -> None:
    ok = judge(_arms(), 10, 0, "f")
    assert all(d.holds for d in ok.directions)
    broken = judge(_arms(cd19_2e7={"crs_grade2plus_rate": 0.0}), 10, 0, "f")
    assert not next(d for d in broken.directions if d.key == "crs_rises_with_dose").holds
    erased = judge(_arms(tocilizumab_prophylactic={"crs_any_rate": 0.0}), 10, 0, "f")
    assert not next(d for d in erased.directions if d.key == "prophylaxis_shifts_severity").holds
    cured_by_chemo = judge(_arms(ld_only_erlangen={"drug_free_remission_month24_rate": 1.0}), 10, 0, "f")
    assert not cured_by_chemo.passed


@pytest.fixture(scope="module")
def small_suite() -> Any:
    return validate(patients=24, seed=5)


def test_the_suite_on_small_arms_shows_the_directions(small_suite: Any) -> None:
    failed = [d.key for d in small_suite.directions if not d.holds]
    assert failed == [], failed
    arms = {c.published.arm for c in small_suite.comparisons}
    assert {"cd19_1e6_erlangen", "bcma_cd19_1e6"} <= arms


def test_the_suite_on_small_arms_lands_in_published_ranges(small_suite: Any) -> None:
    by_key = {c.published.key: c for c in small_suite.comparisons}
    for key in ("mackensen_doris", "muller_crs", "feng_crs", "hagen_licats"):
        assert by_key[key].consistent, (key, by_key[key].simulated)
    text = small_suite.markdown()
    assert "| DORIS remission at month 3 |" in text
    assert "doi:10.1038/s41591-025-03937-8" in text  # Feng 2025, cited with its DOI
    payload = small_suite.as_dict()
    assert {"passed", "comparisons", "directions"} <= set(payload)


def test_context_comparisons_are_reported_but_do_not_decide_the_exit_status() -> None:
    context = Published("c", "a", "crs_any_rate", "CRS", "Feng2025", "c", 15, "validation", k=13, not_like_for_like="x")
    check = Published("k", "a", "crs_any_rate", "CRS", "Muller2024", "c", 15, "validation", k=11)
    far = {"a": {"crs_any_rate": 0.1, "crs_any_rate_ci": [0.05, 0.15]}}
    only_context = ValidationReport(10, 0, "f", (compare(context, far),), ())
    assert not only_context.comparisons[0].consistent
    assert only_context.passed
    assert "| validation (context) |" in only_context.markdown()
    assert not ValidationReport(10, 0, "f", (compare(check, far),), ()).passed
