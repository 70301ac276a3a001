"""Flares and drug-free remission over visits (clinical/_flare.py): hand-worked cases on both sides of each rule."""

from __future__ import annotations

import pytest

from lupuscart.clinical import drug_free_remission, first_flare
from lupuscart.exceptions import InvalidInputError

DAYS = [-40.0, 28.0, 90.0, 180.0, 365.0]


def test_rise_of_four_after_day_90_is_a_flare_and_three_is_not() -> None:
    assert first_flare(DAYS, [16, 8, 2, 6, 6], [False] * 5) == 3
    assert first_flare(DAYS, [16, 8, 2, 5, 5], [False] * 5) is None


def test_rise_on_or_before_day_90_is_not_judged() -> None:
    assert first_flare(DAYS, [16, 0, 10, 10, 10], [False] * 5) is None
    assert first_flare(DAYS, [16, 0, 10, 10, 10], [False] * 5, after_day=20.0) == 2


def test_activity_four_after_remission_is_a_flare_without_a_rise() -> None:
    # Remission at day 90, then clinical SLEDAI 2 -> 4: a rise of 2 only, but 4 after remission.
    assert first_flare(DAYS, [16, 4, 0, 2, 4], [False, False, True, False, False]) == 4
    # The same course without remission seen first: no flare.
    assert first_flare(DAYS, [16, 4, 0, 2, 4], [False] * 5) is None


def test_remission_at_the_visit_itself_does_not_count_for_that_visit() -> None:
    assert first_flare([0.0, 100.0], [2, 4], [False, True]) is None
    assert first_flare([0.0, 100.0, 200.0], [2, 4, 4], [False, True, False]) == 2


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInputError, match="'clinical_sledai'"):
        first_flare([0.0, 1.0], [1], [False, False])
    with pytest.raises(InvalidInputError, match="'days'"):
        first_flare([0.0, 200.0, 100.0], [0, 0, 0], [False] * 3)
    with pytest.raises(InvalidInputError, match="'clinical_sledai'"):
        first_flare([0.0], [-1], [False])


def test_drug_free_remission_needs_doris_no_prednisone_and_no_flare() -> None:
    assert drug_free_remission(doris=True, prednisone_mg_per_day=0.0, flared=False)
    assert not drug_free_remission(doris=False, prednisone_mg_per_day=0.0, flared=False)
    assert not drug_free_remission(doris=True, prednisone_mg_per_day=0.5, flared=False)
    assert not drug_free_remission(doris=True, prednisone_mg_per_day=0.0, flared=True)
    with pytest.raises(InvalidInputError, match="prednisone_mg_per_day"):
        drug_free_remission(doris=True, prednisone_mg_per_day=-1.0, flared=False)
