"""SLEDAI-2K: hand-computed worked examples (Gladman 2002 glossary), every threshold on both sides,
windows, attribution, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.clinical import DESCRIPTOR_NAMES, DESCRIPTORS, Sledai2kScore, sledai2k
from lupuscart.exceptions import InvalidInputError

FAST = settings(max_examples=60, deadline=None)
WEIGHT = {d.name: d.weight for d in DESCRIPTORS}


def test_declaration_has_24_descriptors_and_maximum_105() -> None:
    assert len(DESCRIPTORS) == 24
    assert [d.weight for d in DESCRIPTORS] == [8] * 8 + [4] * 6 + [2] * 7 + [1] * 3
    everything = sledai2k(**dict.fromkeys(DESCRIPTOR_NAMES, True))
    assert everything.total == 105
    assert everything.clinical == 101
    assert everything.items == DESCRIPTOR_NAMES


def test_empty_visit_scores_zero() -> None:
    assert sledai2k() == Sledai2kScore(total=0, clinical=0, items=(), window_days=10)


def test_worked_example_active_nephritis() -> None:
    # Proteinuria 2.1 g/24 h (4) + haematuria 20 RBC/hpf (4) + RBC casts (4) + low C3 (2) + anti-dsDNA (2)
    # + arthritis in 3 joints (4) = 20; clinical = 16.
    score = sledai2k(
        proteinuria_g_per_24h=2.1,
        hematuria_rbc_per_hpf=20,
        urinary_casts=True,
        c3_g_per_l=0.5,
        c3_lln_g_per_l=0.9,
        anti_dsdna=250,
        anti_dsdna_uln=100,
        arthritis_joints=3,
    )
    assert (score.total, score.clinical, score.serology) == (20, 16, 4)
    assert score.items == (
        "arthritis",
        "urinary_casts",
        "hematuria",
        "proteinuria",
        "low_complement",
        "increased_dna_binding",
    )


@pytest.mark.parametrize(
    ("field", "scores", "does_not_score", "descriptor"),
    [
        ("arthritis_joints", 2, 1, "arthritis"),  # SLEDAI-2K: ≥ 2 joints (original SLEDAI: > 2)
        ("hematuria_rbc_per_hpf", 5.1, 5, "hematuria"),
        ("proteinuria_g_per_24h", 0.51, 0.5, "proteinuria"),
        ("pyuria_wbc_per_hpf", 6, 5, "pyuria"),
        ("temperature_c", 38.1, 38.0, "fever"),
        ("platelets_10e9_per_l", 99.9, 100, "thrombocytopenia"),
        ("wbc_10e9_per_l", 2.99, 3.0, "leukopenia"),
    ],
)
def test_each_threshold_on_both_sides(field: str, scores: float, does_not_score: float, descriptor: str) -> None:
    assert sledai2k(**{field: scores}).items == (descriptor,)
    assert sledai2k(**{field: scores}).total == WEIGHT[descriptor]
    assert sledai2k(**{field: does_not_score}).total == 0


@pytest.mark.parametrize(
    ("value", "limit_field", "value_field", "descriptor"),
    [
        ("below", "c3_lln_g_per_l", "c3_g_per_l", "low_complement"),
        ("below", "c4_lln_g_per_l", "c4_g_per_l", "low_complement"),
        ("above", "anti_dsdna_uln", "anti_dsdna", "increased_dna_binding"),
    ],
)
def test_serology_against_lab_limits_strictly(value: str, limit_field: str, value_field: str, descriptor: str) -> None:
    limit = 0.9 if "lln" in limit_field else 100.0
    step = -0.01 if value == "below" else 0.01
    assert sledai2k(**{value_field: limit + step, limit_field: limit}).items == (descriptor,)
    assert sledai2k(**{value_field: limit, limit_field: limit}).total == 0  # at the limit: normal


def test_low_c3_and_low_c4_count_once() -> None:
    s = sledai2k(c3_g_per_l=0.5, c3_lln_g_per_l=0.9, c4_g_per_l=0.05, c4_lln_g_per_l=0.1)
    assert (s.total, s.clinical) == (2, 0)


def test_lab_value_without_its_limit_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="c3_lln_g_per_l"):
        sledai2k(c3_g_per_l=0.5)


def test_unit_traps_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="°F"):
        sledai2k(temperature_c=100.4)
    with pytest.raises(InvalidInputError, match="µL"):
        sledai2k(platelets_10e9_per_l=90000)
    with pytest.raises(InvalidInputError, match="mg"):
        sledai2k(proteinuria_g_per_24h=600)  # mg/24 h given as g
    with pytest.raises(InvalidInputError, match="mg/dL"):
        sledai2k(c3_g_per_l=90, c3_lln_g_per_l=90)


def test_not_due_to_sle_excludes_drug_cytopenia_and_crs_fever() -> None:
    visit = {"platelets_10e9_per_l": 40, "wbc_10e9_per_l": 1.0, "temperature_c": 39.2, "rash": True}
    assert sledai2k(visit).total == 5
    s = sledai2k(visit, not_due_to_sle=["thrombocytopenia", "leukopenia", "fever"])
    assert (s.total, s.items) == (2, ("rash",))


def test_window_boundaries_10_and_30_days() -> None:
    assert sledai2k(days_since={"pleurisy": 10}).total == 2  # exactly 10 days ago: within the window
    assert sledai2k(days_since={"pleurisy": 10.5}).total == 0
    assert sledai2k(days_since={"pleurisy": 11}).total == 0
    assert sledai2k(days_since={"pleurisy": 30}, window_days=30).total == 2
    assert sledai2k(days_since={"pleurisy": 31}, window_days=30).total == 0
    assert sledai2k(days_since={"pleurisy": 0}).total == 2
    assert sledai2k(pleurisy=False, days_since={"pleurisy": 4}).total == 2  # absent today, 4 days ago
    assert sledai2k(window_days=30).window_days == 30


def test_contradictions_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="arthritis"):
        sledai2k(arthritis=False, arthritis_joints=4)
    with pytest.raises(InvalidInputError, match="days_since"):
        sledai2k(rash=True, days_since={"rash": 3})
    with pytest.raises(InvalidInputError, match="given once"):
        sledai2k({"rash": True}, rash=True)


def test_mapping_and_keywords_combine() -> None:
    assert sledai2k({"rash": True}, alopecia=True).total == 4
    assert sledai2k({"rash": None, "temperature_c": None}).total == 0  # None = not recorded


def test_boolean_and_measurement_or() -> None:
    assert sledai2k(arthritis=True, arthritis_joints=0).total == 4
    assert sledai2k(arthritis=True, arthritis_joints=5).total == 4  # weight once, regardless of severity


visits = st.fixed_dictionaries(
    {},
    optional={name: st.booleans() for name in DESCRIPTOR_NAMES}
    | {
        "arthritis_joints": st.integers(0, 30),
        "hematuria_rbc_per_hpf": st.floats(0, 100),
        "temperature_c": st.floats(35, 41),
        "platelets_10e9_per_l": st.floats(0, 500),
    },
)


def _consistent(visit: dict[str, object]) -> bool:
    try:
        sledai2k(visit)
    except InvalidInputError:
        return False
    return True


@FAST
@given(visit=visits, window=st.sampled_from([10, 30]))
def test_score_is_in_range(visit: dict[str, object], window: int) -> None:
    if not _consistent(visit):
        return
    s = sledai2k(visit, window_days=window)
    assert 0 <= s.clinical <= s.total <= 105
    assert s.total == sum(WEIGHT[name] for name in s.items)
    assert s.total - s.clinical in (0, 2, 4)


@FAST
@given(visit=visits, extra=st.sampled_from(DESCRIPTOR_NAMES))
def test_adding_a_present_descriptor_never_lowers_the_score(visit: dict[str, object], extra: str) -> None:
    if not _consistent(visit):
        return
    before = sledai2k(visit)
    after = sledai2k({**visit, extra: True})
    assert after.total >= before.total
    assert after.total - before.total in (0, WEIGHT[extra])
    assert extra in after.items
