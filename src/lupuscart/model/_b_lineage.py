"""CD19⁺ B lineage: marrow precursors, naive/transitional and memory B cells.

All are CAR T targets (killed at ``car_kill_rate_per_day``) and are partly killed by the chemotherapy
(``b_chemo_sensitivity`` relative to T cells). Precursor input is gated by the marrow capacity, so naive B cells
return only once the marrow has recovered and CAR T pressure has waned (model.md A.1). The pre-treatment steady
state is derived from the rates (mrgsolve's ``RESP_0 = KIN/KOUT`` habit), not typed in.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="b_lineage",
    description=__doc__ or "",
    parameters=(
        P(
            "b_precursor_input_cells_day",
            2.8e8,
            "cells/d",
            "CD19+ precursor input from CD19- progenitors",
            "modelmd",
            "E",
            lower=2.8e06,
            upper=2.8e10,
        ),
        P(
            "b_precursor_maturation_per_day",
            0.07,
            "1/d",
            "marrow precursor to periphery (about 2-week transit)",
            "modelmd",
            "E",
            lower=0.0007,
            upper=7,
        ),
        P(
            "b_precursor_loss_per_day",
            0.07,
            "1/d",
            "marrow precursor loss at selection",
            "modelmd",
            "E",
            lower=0.0007,
            upper=7,
        ),
        P(
            "b_naive_loss_per_day",
            0.01,
            "1/d",
            "naive B loss (lifetime about 60-100 d; Macallan 2005)",
            "Macallan2005",
            "E",
            lower=0.0001,
            upper=1,
        ),
        P(
            "b_naive_to_memory_per_day",
            5e-4,
            "1/d",
            "naive to memory differentiation",
            "modelmd",
            "E",
            lower=5e-06,
            upper=0.05,
        ),
        P(
            "b_naive_to_plasmablast_per_day",
            2e-3,
            "1/d",
            "naive to plasmablast differentiation",
            "modelmd",
            "E",
            lower=2e-05,
            upper=0.2,
        ),
        P(
            "b_memory_loss_per_day",
            0.0012,
            "1/d",
            "net memory B loss, proliferation included",
            "Macallan2005",
            "E",
            lower=1.2e-05,
            upper=0.12,
        ),
        P(
            "b_memory_to_plasmablast_per_day",
            2e-3,
            "1/d",
            "memory to plasmablast differentiation",
            "modelmd",
            "E",
            lower=2e-05,
            upper=0.2,
        ),
        P(
            "b_chemo_sensitivity",
            0.4,
            "1",
            "B-lineage chemosensitivity relative to T cells (in vivo)",
            "modelmd",
            "E",
            lower=0.004,
            upper=40,
        ),
    ),
    assignments=(
        Assignment(
            "b_precursors_0",
            "b_precursor_input_cells_day/(b_precursor_maturation_per_day + b_precursor_loss_per_day)",
            "cells",
            "pre-treatment precursors",
        ),
        Assignment(
            "b_naive_0",
            "b_precursor_maturation_per_day*b_precursors_0/(b_naive_loss_per_day"
            " + b_naive_to_memory_per_day + b_naive_to_plasmablast_per_day)",
            "cells",
            "pre-treatment naive B",
        ),
        Assignment(
            "b_memory_0", "b_naive_to_memory_per_day*b_naive_0/b_memory_loss_per_day", "cells", "pre-treatment memory B"
        ),
    ),
    expressions=(
        Expression(
            "b_chemo_kill_per_day",
            "b_chemo_sensitivity*ld_kill_per_day",
            "1/d",
            "direct chemotherapy kill of B-lineage cells",
        ),
        Expression(
            "b_death_extra_per_day",
            "car_kill_rate_per_day + b_chemo_kill_per_day",
            "1/d",
            "CAR T plus chemotherapy kill of each CD19+ cell",
        ),
    ),
    states=(
        State(
            "b_precursors",
            "cells",
            "CD19+ bone-marrow B precursors (pro-B to immature)",
            "b_precursor_input_cells_day*marrow_capacity - (b_precursor_maturation_per_day"
            " + b_precursor_loss_per_day + b_death_extra_per_day)*b_precursors",
            "b_precursors_0",
            1e8,
        ),
        State(
            "b_naive",
            "cells",
            "naive/transitional B cells",
            "b_precursor_maturation_per_day*b_precursors - (b_naive_loss_per_day + b_naive_to_memory_per_day"
            " + b_naive_to_plasmablast_per_day + b_death_extra_per_day)*b_naive",
            "b_naive_0",
            1e8,
        ),
        State(
            "b_memory",
            "cells",
            "memory B cells (not autoreactive)",
            "b_naive_to_memory_per_day*b_naive - (b_memory_loss_per_day + b_death_extra_per_day)*b_memory",
            "b_memory_0",
            1e8,
        ),
    ),
)
