"""Common contract tests swept over every instrument in ``helpers.ALL_INSTRUMENTS``."""

from __future__ import annotations

from typing import Any

import pytest

from lupuscart.exceptions import InvalidInputError

from .helpers import ALL_INSTRUMENTS, Instrument

CASES = [
    pytest.param(inst, arg, value, id=f"{inst.name}-{arg}-{value!r}")
    for inst in ALL_INSTRUMENTS
    for arg, values in inst.bad.items()
    for value in values
]


@pytest.mark.parametrize("inst", ALL_INSTRUMENTS, ids=lambda i: i.name)
def test_valid_call_works(inst: Instrument) -> None:
    inst.func(*inst.positional, **inst.valid)


@pytest.mark.parametrize(("inst", "arg", "value"), CASES)
def test_bad_input_raises_value_error_naming_the_field(inst: Instrument, arg: str, value: Any) -> None:
    kwargs = {**inst.valid, arg: value}
    with pytest.raises(InvalidInputError) as info:
        inst.func(*inst.positional, **kwargs)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert arg in message or (arg == "unknown_descriptor" and "unknown_descriptor" in message)
    assert "Got" in message


def test_every_argument_of_every_instrument_is_swept() -> None:
    """Keep validation complete: each keyword argument of each instrument has at least one bad value."""
    import inspect

    for inst in ALL_INSTRUMENTS:
        params = inspect.signature(inst.func).parameters
        keywords = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
        missing = keywords - set(inst.bad)
        assert not missing, f"{inst.name}: no bad-input case for {sorted(missing)}"


def test_ctcae_unknown_term_and_bad_value() -> None:
    from lupuscart.clinical import ctcae_grade

    with pytest.raises(InvalidInputError, match="'term'"):
        ctcae_grade("neutropenia", 1.0)
    with pytest.raises(InvalidInputError, match="'value'"):
        ctcae_grade("anemia", float("nan"))
    with pytest.raises(InvalidInputError, match="g/L"):
        ctcae_grade("anemia", 95.0)  # g/L given instead of g/dL


def test_licats_timing_refuses_bad_days() -> None:
    from lupuscart.clinical import licats_timing

    for bad in (-1.0, float("nan"), "10"):
        with pytest.raises(InvalidInputError, match="onset_day"):
            licats_timing(bad)  # type: ignore[arg-type]


def test_numpy_booleans_are_booleans() -> None:
    """numpy 2 names its boolean type ``bool``: np.True_/np.False_ are accepted wherever a boolean is."""
    import numpy as np

    from lupuscart.clinical import crs_grade

    assert crs_grade(temperature_c=38.5, hypotension=np.True_) == 2
    assert crs_grade(temperature_c=38.5, hypotension=np.False_) == 1
