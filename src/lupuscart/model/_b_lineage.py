"""CD19⁺ B lineage: marrow precursors, naive/transitional and memory B cells.

All are CAR T targets (killed at ``car_kill_rate_per_day``) and are partly killed by the chemotherapy
(``b_chemo_sensitivity`` relative to T cells). Precursor input is gated by the marrow capacity, so naive B cells
return only once the marrow has recovered and CAR T pressure has waned (model.md A.1). The pre-treatment steady
state is derived from the rates (mrgsolve's ``RESP_0 = KIN/KOUT`` habit), not typed in.

B-cell homeostasis (model.md A.6): BAFF is made at a steady rate and consumed by the B cells that bind it, so its
level rises when B cells are few (``baff_relative``, 1 at baseline, up to ``baff_max_fold``); returning naive B
cells then proliferate and survive better in proportion to the excess BAFF, so they refill the periphery within
months of their return instead of years.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="b_lineage",
    description=__doc__ or "",
    inputs=(
        "car_kill_rate_per_day",
        "ld_kill_per_day",
        "marrow_capacity",
        "plasmablasts_other",
    ),
    parameters=(
        P(
            "b_precursor_input_cells_day",
            2.8e8,
            "cells/d",
            "CD19+ precursor input from CD19- progenitors",
            "modelmd",
            "E",
            lower=2800000.0,
            upper=28000000000.0,
        ),
        P(
            "b_precursor_maturation_per_day",
            0.07,
            "1/d",
            "marrow precursor to periphery (about 2-week transit)",
            "modelmd",
            "E",
            lower=0.0007,
            upper=7.0,
        ),
        P(
            "b_precursor_loss_per_day",
            0.07,
            "1/d",
            "marrow precursor loss at selection",
            "modelmd",
            "E",
            lower=0.0007,
            upper=7.0,
        ),
        P(
            "b_naive_loss_per_day",
            0.01,
            "1/d",
            "naive B loss (lifetime about 60-100 d; Macallan 2005)",
            "Macallan2005",
            "E",
            lower=0.0001,
            upper=1.0,
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
            "baff_max_fold",
            4.0,
            "1",
            "BAFF relative to baseline when B cells are absent (sink model)",
            "modelmd",
            "E",
            1.0,
            20.0,
        ),
        P(
            "b_naive_baff_proliferation_per_day",
            0.02,
            "1/d",
            "homeostatic naive B expansion per unit of BAFF above baseline",
            "modelmd",
            "E",
            lower=0.0002,
            upper=2.0,
        ),
        P(
            "b_chemo_sensitivity",
            0.4,
            "1",
            "B-lineage chemosensitivity relative to T cells (in vivo)",
            "modelmd",
            "E",
            lower=0.004,
            upper=40.0,
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
            "baff_relative",
            "baff_max_fold*(b_naive_0 + b_memory_0)/((baff_max_fold - 1)*(b_naive + b_memory) + b_naive_0"
            " + b_memory_0)",
            "1",
            "BAFF relative to baseline: consumed by naive and memory B (1 at baseline, baff_max_fold without B)",
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
            "b_precursor_input_cells_day*marrow_capacity"
            " - (b_precursor_loss_per_day + b_death_extra_per_day)*b_precursors",
            "b_precursors_0",
            1e8,
        ),
        State(
            "b_naive",
            "cells",
            "naive/transitional B cells",
            "b_naive_baff_proliferation_per_day*(baff_relative - 1)*b_naive"
            " - (b_naive_loss_per_day + b_death_extra_per_day)*b_naive",
            "b_naive_0",
            1e8,
        ),
        State(
            "b_memory",
            "cells",
            "memory B cells (not autoreactive)",
            "-(b_memory_loss_per_day + b_death_extra_per_day)*b_memory",
            "b_memory_0",
            1e8,
        ),
    ),
    fluxes=(
        Flux(
            "b_precursor_maturation_flux",
            "b_precursors",
            "b_naive",
            "b_precursor_maturation_per_day*b_precursors",
            "cells/d",
            "marrow precursors leaving for the periphery as naive B",
        ),
        Flux(
            "b_memory_formation_flux",
            "b_naive",
            "b_memory",
            "b_naive_to_memory_per_day*b_naive",
            "cells/d",
            "naive B becoming memory B",
        ),
        Flux(
            "b_naive_to_plasmablast_flux",
            "b_naive",
            "plasmablasts_other",
            "b_naive_to_plasmablast_per_day*b_naive",
            "cells/d",
            "naive B differentiating into (non-autoreactive) plasmablasts",
        ),
    ),
)
