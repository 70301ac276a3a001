"""Bone-marrow B-lymphopoietic capacity and endogenous T cells (the lymphopenia that drives CAR T expansion).

The marrow capacity R (1 = normal) is suppressed by lymphodepletion and regrows logistically (model.md A.3); it
gates the CD19⁺ precursor input and so the timing of naive B-cell return. Endogenous T cells follow Kimmel 2021's
Gompertz regrowth towards a carrying capacity shared with CAR T cells.
"""

from __future__ import annotations

from ._spec import Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="marrow_and_t_cells",
    description=__doc__ or "",
    inputs=(
        "car_t_effector",
        "car_t_memory",
        "ld_kill_per_day",
    ),
    parameters=(
        P(
            "marrow_regrowth_per_day",
            0.045,
            "1/d",
            "logistic regrowth of marrow B lymphopoiesis",
            "modelmd",
            "E",
            lower=0.00045,
            upper=4.5,
        ),
        P(
            "marrow_ld_sensitivity",
            2.0,
            "1",
            "marrow suppression per unit lymphocyte kill rate",
            "modelmd",
            "E",
            lower=0.02,
            upper=200.0,
        ),
        P(
            "t_regrowth_per_day",
            0.17,
            "1/d",
            "T-cell Gompertz regrowth rate",
            "Kimmel2021",
            "R",
            lower=0.0017,
            upper=17.0,
        ),
        P(
            "t_capacity_cells",
            2.5e11,
            "cells",
            "T-cell carrying capacity (about 1000/uL in blood)",
            "Kimmel2021",
            "R",
            1e9,
            1e13,
        ),
    ),
    expressions=(
        Expression(
            "t_total_cells",
            "t_cells + car_t_effector + car_t_memory",
            "cells",
            "all T cells competing for homeostatic space",
        ),
    ),
    states=(
        State(
            "marrow_capacity",
            "1",
            "bone-marrow B-lymphopoietic capacity (1 = normal)",
            "marrow_regrowth_per_day*marrow_capacity*(1 - marrow_capacity)"
            " - marrow_ld_sensitivity*ld_kill_per_day*marrow_capacity",
            "1",
            1.0,
        ),
        State(
            "t_cells",
            "cells",
            "endogenous T cells",
            "-t_regrowth_per_day*t_cells*log(t_total_cells/t_capacity_cells) - ld_kill_per_day*t_cells",
            "t_capacity_cells",
            1e10,
        ),
    ),
)
