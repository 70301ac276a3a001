"""Block contracts: declared inputs, fluxes written once, units parsed and dimension-checked (tiny inline models)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lupuscart.engine import solve_schedule
from lupuscart.exceptions import ModelDefinitionError
from lupuscart.model import (
    Assignment,
    Block,
    Expression,
    Flux,
    ModelDefinition,
    Observable,
    Parameter,
    State,
    build_model,
    compile_model,
)
from lupuscart.model._units import format_dimension, parse_unit

K = Parameter("k", 0.3, "1/d", "transfer rate", "modelmd", "E")
X = State("x", "cells", "source", "", "100", 1.0)
Y = State("y", "cells", "target", "", "0", 1.0)


def _two_blocks(**uses: object) -> ModelDefinition:
    first = Block("first", "", parameters=(K,))
    second = Block("second", "", states=(State("x", "1", "", "-k*x", "1", 1.0),), **uses)  # type: ignore[arg-type]
    return ModelDefinition("two", (first, second))


def test_a_block_that_uses_another_blocks_name_must_declare_it() -> None:
    with pytest.raises(ModelDefinitionError, match=r"block 'second' uses 'k' \(from block 'first'\) without declaring"):
        _two_blocks()
    assert _two_blocks(inputs=("k",)).blocks[1].inputs == ("k",)


def test_a_declared_input_that_is_not_used_is_refused() -> None:
    with pytest.raises(ModelDefinitionError, match=r"block 'second' declares input 'x0' \(defined by no block\)"):
        _two_blocks(inputs=("k", "x0"))
    other = Block("third", "", parameters=(Parameter("q", 1.0, "1", "", "modelmd", "E"),))
    second = Block("second", "", inputs=("k", "q"), states=(State("x", "1", "", "-k*x", "1", 1.0),))
    with pytest.raises(ModelDefinitionError, match=r"declares input 'q' \(defined in block 'third'\) but does not use"):
        ModelDefinition("three", (Block("first", "", parameters=(K,)), second, other))


def test_every_block_of_the_default_model_declares_exactly_what_it_uses() -> None:
    model = build_model()
    assert next(b for b in model.blocks if b.name == "car_t_kinetics").inputs  # uses five other blocks
    observables = next(b for b in model.blocks if b.name == "observables")
    assert "per_ul_of_blood" in observables.inputs


def test_a_flux_is_written_once_and_assembled_into_both_rate_laws() -> None:
    flux = Flux("transfer_flux", "x", "y", "k*x", "cells/d", "x becoming y")
    d = ModelDefinition("flux", (Block("b", "", parameters=(K,), states=(X, Y), fluxes=(flux,)),))
    assert d.rate_laws == {"x": "-transfer_flux", "y": "transfer_flux"}
    m = compile_model(d)
    full = m.derive(m.base_vector())
    t = np.array([1.0, 5.0])
    tr = solve_schedule(m, full, 0.0, 5.0, [], t, rtol=1e-10)
    np.testing.assert_allclose(tr.states[0], 100 * np.exp(-0.3 * t), rtol=1e-7)  # closed form
    np.testing.assert_allclose(tr.states[0] + tr.states[1], 100.0, rtol=1e-9)  # nothing created or lost


def test_flux_errors_name_the_flux() -> None:
    k = (K,)
    bad_end = Flux("f", "x", "z", "k*x", "cells/d", "")
    with pytest.raises(ModelDefinitionError, match="flux 'f': target 'z' is not a state"):
        ModelDefinition("t", (Block("b", "", parameters=k, states=(X, Y), fluxes=(bad_end,)),))
    other_unit = dataclasses.replace(Y, unit="mg")
    with pytest.raises(ModelDefinitionError, match="flux 'f' joins states of different units"):
        ModelDefinition(
            "t", (Block("b", "", parameters=k, states=(X, other_unit), fluxes=(Flux("f", "x", "y", "k*x", "", ""),)),)
        )


def test_default_model_fluxes_conserve_what_they_move() -> None:
    """Each flux leaves its source's assembled rate law with a minus sign and enters its target's with a plus."""
    d = build_model()
    assert len(d.fluxes) >= 14
    for f in d.fluxes:
        assert f"- {f.name}" in " " + d.rate_laws[f.source] or d.rate_laws[f.source].startswith(f"-{f.name}")
        assert f.name in d.rate_laws[f.target].replace(f"- {f.name}", "")


@pytest.mark.parametrize(
    ("unit", "dimension"),
    [
        ("1/d", "time^-1"),
        ("cells/cell/d", "time^-1"),
        ("1e9 cells/L", "cell·length^-3"),
        ("IU/mL/cell/d", "assay_unit·cell^-1·length^-3·time^-1"),
        ("m^2", "length^2"),
        ("uL/cell/d", "cell^-1·length^3·time^-1"),
        ("1", "1"),
    ],
)
def test_unit_strings_parse_to_their_dimension(unit: str, dimension: str) -> None:
    assert format_dimension(parse_unit(unit)) == dimension


def test_default_model_is_dimensionally_consistent() -> None:
    build_model().check_units()


def _units_of(rate: str, *, unit: str = "cells", extra: tuple[Parameter, ...] = ()) -> ModelDefinition:
    state = State("x", unit, "", rate, "0", 1.0)
    return ModelDefinition("u", (Block("b", "", parameters=(K, *extra), states=(state,)),))


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("-k*x + x", "are added or subtracted"),
        ("-k*x*exp(x)", r"exp\(\) of 'x' \(cell\)"),
        ("-k*x*log(k)", r"log\(\) of 'k' \(time\^-1\)"),
        ("-k*x**k", "exponent 'k' has dimension"),
        ("-k", "formula has dimension time\\^-1, declared cell·time\\^-1"),
    ],
)
def test_unit_check_refuses_inconsistent_formulas(rate: str, message: str) -> None:
    with pytest.raises(ModelDefinitionError, match=message):
        _units_of(rate).check_units()


def test_unit_check_accepts_numeric_powers_and_square_roots() -> None:
    area = Parameter("a", 4.0, "m^2", "", "modelmd", "E")
    _units_of("-k*x*sqrt(a)**2/a*(x/x)**0.75", extra=(area,)).check_units()


def test_unit_check_refuses_unknown_units_naming_the_item() -> None:
    with pytest.raises(ModelDefinitionError, match="state 'x': unit 'furlongs' uses unknown unit 'furlongs'"):
        _units_of("-k*x", unit="furlongs").check_units()


def test_a_number_with_a_unit_in_disguise_fails_the_check() -> None:
    """The bug this check found: ``(weight_kg/70)**0.75`` hid a reference weight of 70 kg in a literal."""
    d = build_model()
    blocks = []
    for b in d.blocks:
        if b.name == "lymphodepletion":
            fixed = tuple(
                dataclasses.replace(a, formula=a.formula.replace("flu_reference_weight_kg", "70"))
                for a in b.assignments
            )
            b = dataclasses.replace(b, assignments=fixed)
        blocks.append(b)
    with pytest.raises(
        ModelDefinitionError,
        match=r"assignment 'flu_v1_ind_l': formula has dimension length\^3·mass, declared length\^3",
    ):
        ModelDefinition(d.name, tuple(blocks)).check_units()


def test_expressions_and_observables_are_checked_against_their_units() -> None:
    state = State("x", "cells", "", "-k*x", "0", 1.0)
    bad = Block(
        "b",
        "",
        parameters=(K,),
        assignments=(Assignment("x0", "k", "cells", ""),),
        expressions=(Expression("e", "k*x", "cells/d", ""),),
        states=(state,),
        observables=(Observable("o", "x", "mg", ""),),
    )
    with pytest.raises(ModelDefinitionError) as err:
        ModelDefinition("u", (bad,)).check_units()
    assert "assignment 'x0'" in str(err.value)
    assert "observable 'o'" in str(err.value)
    assert "expression 'e'" not in str(err.value)
