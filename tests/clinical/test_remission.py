"""DORIS (van Vollenhoven 2021 and the 2017 framework), LLDAS (Franklyn 2016) and SRI (Furie 2009)."""

from __future__ import annotations

import pytest

from lupuscart.clinical import doris_remission, lldas, sledai2k, sri


@pytest.mark.parametrize(
    ("pga", "definition", "expected"),
    [
        (0.49, "2021", True),
        (0.5, "2021", False),  # 2021: PhGA < 0.5 (strict)
        (0.5, "2017-clinical-on-treatment", True),  # 2017 framework: ≤ 0.5
        (0.51, "2017-clinical-on-treatment", False),
    ],
)
def test_doris_pga_boundary(pga: float, definition: str, expected: bool) -> None:
    assert doris_remission(clinical_sledai=0, pga=pga, prednisone_mg_per_day=0, definition=definition) is expected


@pytest.mark.parametrize("definition", ["2021", "2017-clinical-on-treatment"])
def test_doris_prednisone_and_clinical_sledai(definition: str) -> None:
    assert doris_remission(clinical_sledai=0, pga=0.2, prednisone_mg_per_day=5.0, definition=definition)
    assert not doris_remission(clinical_sledai=0, pga=0.2, prednisone_mg_per_day=5.01, definition=definition)
    assert not doris_remission(clinical_sledai=1, pga=0.2, prednisone_mg_per_day=0, definition=definition)


def test_doris_ignores_serology_through_clinical_sledai() -> None:
    s = sledai2k(c3_g_per_l=0.5, c3_lln_g_per_l=0.9, anti_dsdna=300, anti_dsdna_uln=100)
    assert (s.total, s.clinical) == (4, 0)
    assert doris_remission(clinical_sledai=s.clinical, pga=0.0, prednisone_mg_per_day=0)


def test_lldas_sledai_4_from_serology_passes_5_fails() -> None:
    visit = {"low_complement": True, "increased_dna_binding": True}
    assert lldas(visit, pga=0.5, prednisone_mg_per_day=5)
    assert not lldas({**visit, "leukopenia": True}, pga=0.5, prednisone_mg_per_day=5)
    assert lldas({"arthritis_joints": 2}, pga=0.5, prednisone_mg_per_day=5)  # 4, not major organ


@pytest.mark.parametrize(
    "major", ["pleurisy", "pericarditis", "fever", "proteinuria", "seizure", "vasculitis", "urinary_casts"]
)
def test_lldas_major_organ_activity_fails_even_when_total_is_low(major: str) -> None:
    assert not lldas({major: True}, pga=0.5, prednisone_mg_per_day=5)


def test_lldas_pga_and_prednisone_boundaries() -> None:
    assert lldas({}, pga=1.0, prednisone_mg_per_day=7.5)
    assert not lldas({}, pga=1.01, prednisone_mg_per_day=7.5)
    assert not lldas({}, pga=1.0, prednisone_mg_per_day=7.51)


def test_lldas_other_criteria() -> None:
    assert not lldas({}, pga=0, prednisone_mg_per_day=0, hemolytic_anemia=True)
    assert not lldas({}, pga=0, prednisone_mg_per_day=0, gi_activity=True)
    assert not lldas({}, pga=0, prednisone_mg_per_day=0, standard_maintenance=False)


def test_lldas_new_features_against_previous_visit() -> None:
    assert lldas({"rash": True}, pga=0.5, prednisone_mg_per_day=5, previous={"rash": True, "alopecia": True})
    assert not lldas({"rash": True}, pga=0.5, prednisone_mg_per_day=5, previous={"alopecia": True})
    assert lldas({"rash": True}, pga=0.5, prednisone_mg_per_day=5)  # no previous: criterion 2 met
    prev = sledai2k(rash=True)
    assert lldas(sledai2k(rash=True), pga=0.5, prednisone_mg_per_day=5, previous=prev)


@pytest.mark.parametrize(("follow", "expected"), [(6, True), (7, False)])
def test_sri4_reduction_boundary(follow: int, expected: bool) -> None:
    assert sri(baseline_sledai=10, followup_sledai=follow, baseline_pga=1.0, followup_pga=1.0) is expected


def test_sri_threshold_is_configurable() -> None:
    kw = {"baseline_sledai": 12, "followup_sledai": 6, "baseline_pga": 1.0, "followup_pga": 1.0}
    assert sri(**kw, threshold=6)
    assert not sri(**kw, threshold=7)


@pytest.mark.parametrize(
    ("base", "follow", "expected"),
    [(1.0, 1.29, True), (1.0, 1.3, False), (0.3, 0.6, False), (0.3, 0.59, True), (2.0, 0.0, True)],
)
def test_sri_pga_worsening_boundary(base: float, follow: float, expected: bool) -> None:
    # 0.6 - 0.3 is 0.2999... in binary; it is still a worsening of 0.3 and must fail.
    assert sri(baseline_sledai=10, followup_sledai=4, baseline_pga=base, followup_pga=follow) is expected


def test_sri_bilag() -> None:
    kw = {"baseline_sledai": 10, "followup_sledai": 4, "baseline_pga": 1.0, "followup_pga": 1.0}
    assert sri(**kw, new_bilag_b=1)
    assert not sri(**kw, new_bilag_b=2)
    assert not sri(**kw, new_bilag_a=1)
