"""ICE score and ASTCT ICANS grade (Lee 2019)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.clinical import icans_grade, ice_score
from lupuscart.clinical._astct_icans import CEREBRAL_EDEMA_GRADE, CONSCIOUSNESS_GRADE, SEIZURE_GRADE
from lupuscart.exceptions import InvalidInputError

FAST = settings(max_examples=80, deadline=None)


def test_ice_score_sums_the_five_tasks() -> None:
    assert ice_score(orientation=4, naming=3, follows_commands=True, writing=True, attention=True) == 10
    assert ice_score(orientation=0, naming=0, follows_commands=False, writing=False, attention=False) == 0
    assert ice_score(orientation=2, naming=3, follows_commands=False, writing=True, attention=False) == 6


@pytest.mark.parametrize(("ice", "grade"), [(10, 0), (9, 1), (7, 1), (6, 2), (3, 2), (2, 3), (0, 3)])
def test_ice_domain_boundaries(ice: int, grade: int) -> None:
    assert icans_grade(ice=ice) == grade


@pytest.mark.parametrize(
    ("level", "grade"),
    [("alert", 0), ("awakens_spontaneously", 1), ("awakens_to_voice", 2), ("awakens_to_touch", 3), ("unarousable", 4)],
)
def test_consciousness_domain(level: str, grade: int) -> None:
    assert icans_grade(ice=10, consciousness=level) == grade


def test_ice_zero_awake_is_3_unarousable_is_4() -> None:
    assert icans_grade(ice=0) == 3  # awake with global aphasia
    assert icans_grade(ice=None, consciousness="unarousable") == 4
    assert icans_grade(ice=0, consciousness="unarousable") == 4


def test_not_assessable_ice_needs_depressed_consciousness() -> None:
    with pytest.raises(InvalidInputError, match="'ice'"):
        icans_grade(ice=None)
    assert icans_grade(ice=None, consciousness="awakens_to_touch") == 3


def test_seizure_motor_and_edema_domains() -> None:
    assert icans_grade(ice=10, seizure="rapidly_resolving") == 3
    assert icans_grade(ice=10, seizure="prolonged") == 4
    assert icans_grade(ice=10, motor_weakness=True) == 4
    assert icans_grade(ice=10, cerebral_edema="focal") == 3
    assert icans_grade(ice=10, cerebral_edema="diffuse") == 4
    assert icans_grade(ice=8, cerebral_edema="focal", consciousness="awakens_to_voice") == 3  # most severe


@st.composite
def icans_inputs(draw: st.DrawFn) -> dict[str, object]:
    level = draw(st.sampled_from(list(CONSCIOUSNESS_GRADE)))
    ice = draw(st.one_of(st.integers(0, 10), st.none())) if level != "alert" else draw(st.integers(0, 10))
    return {
        "ice": ice,
        "consciousness": level,
        "seizure": draw(st.sampled_from(list(SEIZURE_GRADE))),
        "motor_weakness": draw(st.booleans()),
        "cerebral_edema": draw(st.sampled_from(list(CEREBRAL_EDEMA_GRADE))),
    }


def _worse(order: dict[str, int], current: str) -> str:
    names = sorted(order, key=lambda k: order[k])
    return names[min(len(names) - 1, names.index(current) + 1)]


@FAST
@given(inputs=icans_inputs(), which=st.sampled_from(["ice", "consciousness", "seizure", "motor", "edema"]))
def test_a_worse_domain_never_lowers_the_grade(inputs: dict[str, object], which: str) -> None:
    grade = icans_grade(**inputs)  # type: ignore[arg-type]
    assert 0 <= grade <= 4
    worse = dict(inputs)
    if which == "ice" and inputs["ice"] is not None:
        worse["ice"] = max(0, int(inputs["ice"]) - 1)  # type: ignore[call-overload]
    elif which == "consciousness":
        worse["consciousness"] = _worse(CONSCIOUSNESS_GRADE, str(inputs["consciousness"]))
    elif which == "seizure":
        worse["seizure"] = _worse(SEIZURE_GRADE, str(inputs["seizure"]))
    elif which == "motor":
        worse["motor_weakness"] = True
    elif which == "edema":
        worse["cerebral_edema"] = _worse(CEREBRAL_EDEMA_GRADE, str(inputs["cerebral_edema"]))
    assert icans_grade(**worse) >= grade  # type: ignore[arg-type]
