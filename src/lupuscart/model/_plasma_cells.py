"""CD19⁻ long-lived plasma cells: the autoantibody floor and the protective (vaccine) antibody pool.

CD19 CAR T cells do not kill them (Mei 2015, Bhoj 2016), which is why vaccine titres persist while anti-dsDNA
falls to a floor. They turn over on a scale of decades (Amanna 2007). The autoreactive pool is replenished from
autoreactive plasmablasts so that it is stationary before treatment (model.md A.0 convention 6); the vaccine pool
(relative, 1 at baseline) is replenished from memory B. A BCMA-CD19 compound product also kills plasma cells:
``product_bcma_activity`` applies the CAR killing rate to every pool (0 for a CD19 product). Plasma cells then
come back from the returning B-cell repertoire: ``llpc_regenerated`` fills the emptied survival niches (bone
marrow stroma holds a limited number, Radbruch 2006) at a rate proportional to the plasmablast output of naive and
memory B cells and to the free niche share, so it is zero while niches are full (a CD19 product) and refills after
BCMA-directed killing once B cells return (Wang 2021: marrow plasma cells first redetected on median day 212, IgG
recovery on median day 386 after BCMA CAR T). These new plasma cells make IgG but not the pre-existing vaccine
titres, which stay lost.
"""

from __future__ import annotations

import math

from ._spec import Assignment, Block, Parameter, State

P = Parameter
BLOCK = Block(
    name="plasma_cells",
    description=__doc__ or "",
    inputs=(
        "anti_dsdna_baseline_iu_ml",
        "b_memory",
        "b_memory_0",
        "car_kill_rate_per_day",
        "igg_fcr_0_per_day",
        "plasmablasts_auto",
        "plasmablasts_auto_0",
        "plasmablasts_other",
        "plasmablasts_other_0",
    ),
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
            0.03,
            "1",
            "share of anti-dsDNA made by CD19- long-lived plasma cells (anti-dsDNA falls to near zero, Mackensen 2022)",
            "modelmd",
            "E",
            0.0,
            0.99,
        ),
        P(
            "llpc_regeneration_per_day",
            0.1,
            "1/d",
            "niche refilling by new plasma cells at the baseline plasmablast output",
            "Wang2021",
            "E",
            lower=0.001,
            upper=10.0,
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
            "igg_fcr_0_per_day*anti_dsdna_baseline_iu_ml*(1 - llpc_auto_share)/plasmablasts_auto_0",
            "IU/mL/cell/d",
            "anti-dsDNA secretion per autoreactive antibody-secreting cell",
        ),
        Assignment(
            "llpc_auto_0",
            "llpc_auto_share*igg_fcr_0_per_day*anti_dsdna_baseline_iu_ml/anti_dsdna_production_per_cell",
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
        State(
            "llpc_regenerated",
            "1",
            "long-lived plasma cells regenerated from the returning repertoire, share of the protective niche",
            "llpc_regeneration_per_day*plasmablasts_other/plasmablasts_other_0*(1 - llpc_vaccine - llpc_regenerated)"
            " - llpc_loss_per_day*llpc_regenerated - product_bcma_activity*car_kill_rate_per_day*llpc_regenerated",
            "0",
            1e-3,
        ),
    ),
)
