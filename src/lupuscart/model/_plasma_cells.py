"""CD19⁻ long-lived plasma cells: the autoantibody floor and the protective (vaccine) antibody pool.

CD19 CAR T cells do not kill them (Mei 2015, Bhoj 2016), which is why vaccine titres persist while anti-dsDNA
falls to a floor. They turn over on a scale of decades (Amanna 2007). The autoreactive pool is replenished from
autoreactive plasmablasts so that it is stationary before treatment (model.md A.0 convention 6); the vaccine pool
(relative, 1 at baseline) is replenished from memory B. A BCMA-CD19 compound product also kills plasma cells:
``product_bcma_activity`` applies the CAR killing rate to both pools (0 for a CD19 product).
"""

from __future__ import annotations

import math

from ._spec import Assignment, Block, Parameter, State

P = Parameter
BLOCK = Block(
    name="plasma_cells",
    description=__doc__ or "",
    parameters=(
        P(
            "llpc_loss_per_day",
            math.log(2) / (50 * 365.25),
            "1/d",
            "long-lived plasma cell loss (t1/2 50 y; antibody half-lives 11 to >200 y)",
            "Amanna2007",
            "E",
            lower=3.79547e-07,
            upper=0.00379547,
        ),
        P(
            "llpc_auto_share",
            0.05,
            "1",
            "share of anti-dsDNA made by CD19- long-lived plasma cells",
            "modelmd",
            "E",
            0.0,
            0.99,
        ),
        P(
            "product_bcma_activity",
            0.0,
            "1",
            "plasma-cell killing by the product relative to CD19 killing (1 for BCMA-CD19 compound CAR T)",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
    ),
    assignments=(
        Assignment(
            "anti_dsdna_production_per_cell",
            "igg_clearance_per_day*anti_dsdna_baseline_iu_ml*(1 - llpc_auto_share)/plasmablasts_auto_0",
            "IU/mL/cell/d",
            "anti-dsDNA secretion per autoreactive antibody-secreting cell",
        ),
        Assignment(
            "llpc_auto_0",
            "llpc_auto_share*igg_clearance_per_day*anti_dsdna_baseline_iu_ml/anti_dsdna_production_per_cell",
            "cells",
            "pre-treatment autoreactive long-lived PCs",
        ),
    ),
    states=(
        State(
            "llpc_auto",
            "cells",
            "autoreactive long-lived plasma cells (CD19-)",
            "llpc_loss_per_day*llpc_auto_0*plasmablasts_auto/plasmablasts_auto_0 - llpc_loss_per_day*llpc_auto"
            " - product_bcma_activity*car_kill_rate_per_day*llpc_auto",
            "llpc_auto_0",
            1e5,
        ),
        State(
            "llpc_vaccine",
            "1",
            "protective (vaccine) long-lived plasma cell pool, 1 at baseline",
            "llpc_loss_per_day*b_memory/b_memory_0 - llpc_loss_per_day*llpc_vaccine"
            " - product_bcma_activity*car_kill_rate_per_day*llpc_vaccine",
            "1",
            1.0,
        ),
    ),
)
