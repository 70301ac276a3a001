"""The autoimmune loop: autoreactive B cells → plasmablasts → anti-dsDNA → immune complexes → more activation.

A hypothesis (model.md A.1, tag E): the loop is bistable. Immune complexes, normalised to the patient's baseline
anti-dsDNA, feed back on clonal expansion of autoreactive B cells through a Hill function; deep CD19 depletion
pushes the immune-complex load below the threshold (≈ 0.41 of baseline with the defaults) and the loop stays off
after naive B cells return ("immune reset"). The autoreactive pre-treatment level is the positive root of the
full steady-state equation, seeding from naive B included (model.md A.0 convention 6).
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="autoimmunity",
    description=__doc__ or "",
    parameters=(
        P(
            "auto_expansion_per_day",
            0.05,
            "1/d",
            "immune-complex-driven clonal expansion of autoreactive B",
            "modelmd",
            "E",
            lower=0.0005,
            upper=5,
        ),
        P("auto_capacity_cells", 2.8e8, "cells", "capacity of the autoreactive niche", "modelmd", "E", 2.8e06, 2.8e10),
        P("auto_loss_per_day", 0.02, "1/d", "autoreactive B loss", "modelmd", "E", lower=0.0002, upper=2),
        P(
            "ic_threshold",
            0.5,
            "1",
            "immune-complex feedback threshold K_IC (relative to baseline)",
            "modelmd",
            "E",
            1e-3,
            10.0,
        ),
        P("ic_hill", 2.0, "1", "steepness n of the immune-complex feedback", "modelmd", "E", 0.5, 8.0),
        P(
            "auto_seeding_per_day",
            1e-7,
            "1/d",
            "de novo recruitment of autoreactive cells from naive B",
            "modelmd",
            "E",
            lower=1e-09,
            upper=1e-05,
        ),
        P(
            "auto_to_plasmablast_per_day",
            0.1,
            "1/d",
            "autoreactive B to plasmablast differentiation",
            "modelmd",
            "E",
            lower=0.001,
            upper=10,
        ),
        P(
            "plasmablast_loss_per_day",
            0.23,
            "1/d",
            "plasmablast / short-lived plasma cell loss (t1/2 3 d)",
            "modelmd",
            "E",
            lower=0.0023,
            upper=23,
        ),
    ),
    assignments=(
        Assignment("ic_feedback_0", "1/(1 + ic_threshold**ic_hill)", "1", "feedback at the baseline load"),
        Assignment(
            "auto_net_growth_per_day",
            "auto_expansion_per_day*ic_feedback_0 - auto_loss_per_day",
            "1/d",
            "net autoreactive growth at low density",
        ),
        Assignment(
            "auto_crowding_per_cell_day",
            "auto_expansion_per_day*ic_feedback_0/auto_capacity_cells",
            "1/cell/d",
            "density dependence of autoreactive growth",
        ),
        Assignment(
            "b_autoreactive_0",
            "(auto_net_growth_per_day + sqrt(auto_net_growth_per_day**2"
            " + 4*auto_crowding_per_cell_day*auto_seeding_per_day*b_naive_0))"
            "/(2*auto_crowding_per_cell_day)",
            "cells",
            "pre-treatment autoreactive B (positive root)",
        ),
        Assignment(
            "plasmablasts_auto_0",
            "auto_to_plasmablast_per_day*b_autoreactive_0/plasmablast_loss_per_day",
            "cells",
            "pre-treatment autoreactive plasmablasts",
        ),
        Assignment(
            "plasmablasts_other_0",
            "(b_naive_to_plasmablast_per_day*b_naive_0"
            " + b_memory_to_plasmablast_per_day*b_memory_0)/plasmablast_loss_per_day",
            "cells",
            "pre-treatment non-autoreactive plasmablasts",
        ),
    ),
    expressions=(
        Expression(
            "immune_complex", "anti_dsdna/anti_dsdna_baseline_iu_ml", "1", "immune-complex load relative to baseline"
        ),
        Expression(
            "ic_feedback",
            "immune_complex**ic_hill/(immune_complex**ic_hill + ic_threshold**ic_hill)",
            "1",
            "immune-complex activation of autoreactive B",
        ),
    ),
    states=(
        State(
            "b_autoreactive",
            "cells",
            "autoreactive activated/memory B cells (CD19+)",
            "auto_seeding_per_day*b_naive + auto_expansion_per_day*ic_feedback*b_autoreactive"
            "*(1 - b_autoreactive/auto_capacity_cells)"
            " - (auto_loss_per_day + b_death_extra_per_day)*b_autoreactive",
            "b_autoreactive_0",
            1e6,
        ),
        State(
            "plasmablasts_auto",
            "cells",
            "autoreactive plasmablasts / short-lived plasma cells (CD19+)",
            "auto_to_plasmablast_per_day*b_autoreactive"
            " - (plasmablast_loss_per_day + b_death_extra_per_day)*plasmablasts_auto",
            "plasmablasts_auto_0",
            1e6,
        ),
        State(
            "plasmablasts_other",
            "cells",
            "non-autoreactive plasmablasts (CD19+)",
            "b_naive_to_plasmablast_per_day*b_naive + b_memory_to_plasmablast_per_day*b_memory"
            " - (plasmablast_loss_per_day + b_death_extra_per_day)*plasmablasts_other",
            "plasmablasts_other_0",
            1e7,
        ),
    ),
)
