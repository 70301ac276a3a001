"""Input checks shared by the clinical instruments.

Every check raises :class:`~lupuscart.exceptions.InvalidInputError` (a :class:`ValueError`) whose message
names the field, what is allowed and what came in, in the form
``The 'field' field must be <allowed>. Got <value> instead.``
"""

from __future__ import annotations

import math
from collections.abc import Collection
from numbers import Integral, Real

import numpy as np

from ..exceptions import InvalidInputError


def fail(name: str, allowed: str, got: object) -> InvalidInputError:
    """Build the one error message used everywhere: field, what is allowed, what came in."""
    return InvalidInputError(f"The {name!r} field must be {allowed}. Got {got!r} instead.")


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a real boolean (``True``/``False``, also numpy's); refuse 0/1 and strings."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise fail(name, "a boolean (True or False)", value)


def check_real(
    name: str,
    value: object,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_inclusive: bool = True,
    unit: str = "",
    hint: str = "",
) -> float:
    """Return ``value`` as a float after checking type, finiteness and range.

    Booleans are refused (``True`` is not a temperature). NaN and infinities are refused.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise fail(name, f"a real number{_unit(unit)}", value)
    x = float(value)
    lo_ok = x >= low if low_inclusive else x > low
    if math.isnan(x) or math.isinf(x) or not lo_ok or x > high:
        bracket = "[" if low_inclusive else "("
        raise fail(name, f"a finite number in {bracket}{low:g}, {high:g}]{_unit(unit)}{hint}", value)
    return x


def check_count(name: str, value: object, *, high: int | None = None) -> int:
    """Return ``value`` as an int after checking that it is a non-negative integer (not a bool, not 2.5)."""
    if isinstance(value, bool):
        raise fail(name, "a non-negative integer count", value)
    if isinstance(value, Integral):
        n = int(value)
    elif isinstance(value, Real) and math.isfinite(float(value)) and float(value).is_integer():
        n = int(float(value))
    else:
        raise fail(name, "a non-negative integer count", value)
    if n < 0 or (high is not None and n > high):
        upper = "" if high is None else f" at most {high}"
        raise fail(name, f"a non-negative integer count{upper}", value)
    return n


def check_choice(name: str, value: object, allowed: Collection[str]) -> str:
    """Return ``value`` if it is one of ``allowed`` (exact spelling)."""
    if not isinstance(value, str) or value not in allowed:
        raise fail(name, f"one of {list(allowed)}", value)
    return value


def _unit(unit: str) -> str:
    return f" ({unit})" if unit else ""
