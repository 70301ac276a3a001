"""ASTCT CRS grade (Lee 2019): hand-derived cases on both sides of each boundary, and monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lupuscart.clinical import crs_grade
from lupuscart.clinical._astct_crs import OXYGEN_GRADE

FAST = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize(("temperature", "grade"), [(37.9, 0), (38.0, 1), (39.5, 1)])
def test_fever_is_38_0_inclusive(temperature: float, grade: int) -> None:
    assert crs_grade(temperature_c=temperature) == grade


def test_hypotension_grades() -> None:
    assert crs_grade(temperature_c=38.5, hypotension=True) == 2
    assert crs_grade(temperature_c=38.5, vasopressors=["norepinephrine"]) == 3
    assert crs_grade(temperature_c=38.5, vasopressors=["norepinephrine", "phenylephrine"]) == 4


def test_vasopressin_never_counts_toward_multiple() -> None:
    assert crs_grade(temperature_c=38.5, vasopressors=["norepinephrine", "vasopressin"]) == 3
    assert crs_grade(temperature_c=38.5, vasopressors=["vasopressin"]) == 3  # alone: one vasopressor
    assert crs_grade(temperature_c=38.5, vasopressors=["norepinephrine", "norepinephrine"]) == 3  # same drug


@pytest.mark.parametrize(("flow", "grade"), [(0.5, 2), (6.0, 2), (6.01, 3), (15.0, 3)])
def test_nasal_cannula_6_l_per_min_is_low_flow(flow: float, grade: int) -> None:
    assert crs_grade(temperature_c=38.5, oxygen="nasal_cannula", oxygen_l_per_min=flow) == grade


@pytest.mark.parametrize(
    ("device", "grade"),
    [
        ("blow_by", 2),
        ("high_flow_nasal_cannula", 3),
        ("facemask", 3),
        ("non_rebreather", 3),
        ("venturi", 3),
        ("cpap", 4),
        ("bipap", 4),
        ("mechanical_ventilation", 4),
    ],
)
def test_device_drives_hypoxia_grade(device: str, grade: int) -> None:
    assert crs_grade(temperature_c=38.5, oxygen=device, oxygen_l_per_min=2.0) == grade


def test_most_severe_of_hypotension_and_hypoxia() -> None:
    # fever + single vasopressor + low-flow nasal cannula → grade 3 (Lee 2019 example)
    assert (
        crs_grade(temperature_c=38.5, vasopressors=["norepinephrine"], oxygen="nasal_cannula", oxygen_l_per_min=2) == 3
    )
    assert crs_grade(temperature_c=38.5, hypotension=True, oxygen="cpap") == 4


def test_no_fever_needed_after_antipyretic_or_anticytokine_therapy() -> None:
    assert crs_grade(temperature_c=37.0, hypotension=True) == 0
    assert crs_grade(temperature_c=37.0, hypotension=True, anticytokine_or_antipyretic_given=True) == 2
    assert crs_grade(temperature_c=37.0, anticytokine_or_antipyretic_given=True) == 0
    assert crs_grade(temperature_c=38.2, anticytokine_or_antipyretic_given=True) == 1


def test_flow_without_device_is_refused() -> None:
    from lupuscart.exceptions import InvalidInputError

    with pytest.raises(InvalidInputError, match="oxygen_l_per_min"):
        crs_grade(temperature_c=38.5, oxygen_l_per_min=2.0)


DEVICES = sorted(OXYGEN_GRADE, key=lambda d: OXYGEN_GRADE[d])
PRESSOR_SETS = [
    (),
    ("vasopressin",),
    ("norepinephrine",),
    ("norepinephrine", "vasopressin"),
    ("norepinephrine", "epinephrine"),
]


@st.composite
def crs_inputs(draw: st.DrawFn) -> dict[str, object]:
    device = draw(st.sampled_from(DEVICES))
    return {
        "temperature_c": draw(st.floats(36.0, 41.0)),
        "hypotension": draw(st.booleans()),
        "vasopressors": list(draw(st.sampled_from(PRESSOR_SETS))),
        "oxygen": device,
        "oxygen_l_per_min": 0.0 if device == "none" else draw(st.floats(0.5, 15.0)),
        "anticytokine_or_antipyretic_given": draw(st.booleans()),
    }


@FAST
@given(inputs=crs_inputs(), which=st.sampled_from(["temp", "hypo", "pressor", "oxygen", "flow", "treated"]))
def test_a_worse_input_never_lowers_the_grade(inputs: dict[str, object], which: str) -> None:
    grade = crs_grade(**inputs)  # type: ignore[arg-type]
    assert 0 <= grade <= 4
    worse = dict(inputs)
    if which == "temp":
        worse["temperature_c"] = min(41.0, float(inputs["temperature_c"]) + 1.0)  # type: ignore[arg-type]
    elif which == "hypo":
        worse["hypotension"] = True
    elif which == "pressor":
        worse["vasopressors"] = [*inputs["vasopressors"], "epinephrine"]  # type: ignore[misc]
    elif which == "oxygen":
        device, flow = str(inputs["oxygen"]), float(inputs["oxygen_l_per_min"])  # type: ignore[arg-type]
        effective = 3 if device == "nasal_cannula" and flow > 6 else OXYGEN_GRADE[device]
        harder = [d for d in DEVICES if OXYGEN_GRADE[d] > effective]
        if harder:
            worse["oxygen"], worse["oxygen_l_per_min"] = harder[0], max(1.0, flow)
    elif which == "flow" and inputs["oxygen"] != "none":
        worse["oxygen_l_per_min"] = float(inputs["oxygen_l_per_min"]) + 5.0  # type: ignore[arg-type]
    elif which == "treated":
        worse["anticytokine_or_antipyretic_given"] = True
    assert crs_grade(**worse) >= grade  # type: ignore[arg-type]
