"""The autoimmune loop: autoreactive B cells → plasmablasts → anti-dsDNA → immune complexes → more activation.

Autoreactive B cells expand clonally in lymphoid tissue (germinal centres, extrafollicular foci, ectopic lymphoid
structures of inflamed organs: ``b_autoreactive_tissue``) with a drive that has two parts (model.md A.1
hypothesis, tag E): a share ``autoantigen_drive`` sustained by self-antigen itself (nucleic-acid antigens sensed
through TLR7/9, present whatever the antibody level) and the rest by immune complexes through a Hill function of
the immune-complex load (normalised to the patient's baseline anti-dsDNA). Activated cells leave the tissue into
the circulating pool (``b_autoreactive``, seen in blood), home back, and differentiate into plasmablasts.

With a low self-antigen drive the loop is bistable: pushing immune complexes below a threshold switches it off
for good (the "immune reset"). The threshold is lower the larger the self-antigen drive, and when the drive alone
outgrows the loss (``autoantigen_drive·auto_expansion_per_day > auto_loss_per_day``) there is none: the disease
returns whatever the depletion (relapse), after a time set by how many autoreactive cells survived. What keeps
immune complexes up after CAR T cells are gone is what survives: autoantibody from CD19⁻ long-lived plasma cells
(``plasma_cells``) and autoreactive B cells in tissue, which CAR T cells reach later and less
(``car_tissue_kill_rate_per_day``). The reservoir left after therapy therefore depends on the depth and the
duration of CAR T exposure; lymphodepletion alone thins both pools transiently and the loop recovers, as after
cyclophosphamide. The pre-treatment levels are the positive root of the full steady-state equations, seeding from
naive B and the exchange between the pools included (model.md A.0 convention 6).
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="autoimmunity",
    description=__doc__ or "",
    inputs=(
        "anti_dsdna",
        "anti_dsdna_baseline_iu_ml",
        "b_chemo_kill_per_day",
        "b_death_extra_per_day",
        "b_memory",
        "b_memory_0",
        "b_memory_to_plasmablast_per_day",
        "b_naive",
        "b_naive_0",
        "b_naive_to_plasmablast_per_day",
        "car_tissue_kill_rate_per_day",
    ),
    parameters=(
        P(
            "auto_expansion_per_day",
            0.08,
            "1/d",
            "maximal clonal expansion of autoreactive B in lymphoid tissue",
            "modelmd",
            "E",
            lower=0.0005,
            upper=5.0,
        ),
        P(
            "auto_capacity_cells",
            3e9,
            "cells",
            "capacity of the autoreactive tissue niches",
            "modelmd",
            "E",
            lower=2800000.0,
            upper=28000000000.0,
        ),
        P("auto_loss_per_day", 0.02, "1/d", "autoreactive B loss", "modelmd", "E", lower=0.0002, upper=2.0),
        P(
            "autoantigen_drive",
            0.2,
            "1",
            "share of maximal autoreactive expansion sustained by self-antigen without immune complexes",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
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
            "auto_tissue_egress_per_day",
            0.0154,
            "1/d",
            "activated autoreactive B leaving lymphoid tissue into the circulating pool",
            "modelmd",
            "E",
            lower=0.000154,
            upper=1.54,
        ),
        P(
            "auto_tissue_homing_per_day",
            0.2,
            "1/d",
            "circulating autoreactive B homing back to lymphoid tissue",
            "modelmd",
            "E",
            lower=0.002,
            upper=20.0,
        ),
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
            upper=10.0,
        ),
        P(
            "plasmablast_loss_per_day",
            0.23,
            "1/d",
            "plasmablast / short-lived plasma cell loss (t1/2 3 d)",
            "modelmd",
            "E",
            lower=0.0023,
            upper=23.0,
        ),
    ),
    assignments=(
        Assignment("ic_feedback_0", "1/(1 + ic_threshold**ic_hill)", "1", "feedback at the baseline load"),
        Assignment(
            "auto_drive_0",
            "autoantigen_drive + (1 - autoantigen_drive)*ic_feedback_0",
            "1",
            "expansion drive at the baseline load",
        ),
        Assignment(
            "auto_circulating_turnover_per_day",
            "auto_loss_per_day + auto_tissue_homing_per_day",
            "1/d",
            "loss plus homing of circulating autoreactive B",
        ),
        Assignment(
            "auto_net_growth_per_day",
            "auto_expansion_per_day*auto_drive_0 - auto_loss_per_day"
            " - auto_tissue_egress_per_day*auto_loss_per_day/auto_circulating_turnover_per_day",
            "1/d",
            "net growth of the tissue pool at low density (egress that does not return counts as loss)",
        ),
        Assignment(
            "auto_crowding_per_cell_day",
            "auto_expansion_per_day*auto_drive_0/auto_capacity_cells",
            "1/cell/d",
            "density dependence of autoreactive growth",
        ),
        Assignment(
            "auto_seeding_return_cells_day",
            "auto_tissue_homing_per_day*auto_seeding_per_day*b_naive_0/auto_circulating_turnover_per_day",
            "cells/d",
            "seeded autoreactive cells reaching the tissue pool at steady state",
        ),
        Assignment(
            "b_autoreactive_tissue_0",
            "(auto_net_growth_per_day + sqrt(auto_net_growth_per_day**2"
            " + 4*auto_crowding_per_cell_day*auto_seeding_return_cells_day))/(2*auto_crowding_per_cell_day)",
            "cells",
            "pre-treatment autoreactive B in lymphoid tissue (positive root)",
        ),
        Assignment(
            "b_autoreactive_0",
            "(auto_seeding_per_day*b_naive_0 + auto_tissue_egress_per_day*b_autoreactive_tissue_0)"
            "/auto_circulating_turnover_per_day",
            "cells",
            "pre-treatment circulating autoreactive B",
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
        Expression(
            "auto_drive",
            "autoantigen_drive + (1 - autoantigen_drive)*ic_feedback",
            "1",
            "expansion drive of autoreactive B: self-antigen plus immune complexes",
        ),
        Expression(
            "auto_tissue_death_extra_per_day",
            "car_tissue_kill_rate_per_day + b_chemo_kill_per_day",
            "1/d",
            "CAR T (tissue access) plus chemotherapy kill of autoreactive B in tissue",
        ),
    ),
    states=(
        State(
            "b_autoreactive_tissue",
            "cells",
            "autoreactive B cells in lymphoid tissue and inflamed organs (CD19+)",
            "auto_expansion_per_day*auto_drive*b_autoreactive_tissue*(1 - b_autoreactive_tissue/auto_capacity_cells)"
            " - (auto_loss_per_day + auto_tissue_death_extra_per_day)*b_autoreactive_tissue",
            "b_autoreactive_tissue_0",
            1e6,
        ),
        State(
            "b_autoreactive",
            "cells",
            "circulating autoreactive activated/memory B cells (CD19+)",
            "auto_seeding_per_day*b_naive - (auto_loss_per_day + b_death_extra_per_day)*b_autoreactive",
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
            "b_memory_to_plasmablast_per_day*b_memory - (plasmablast_loss_per_day + b_death_extra_per_day)"
            "*plasmablasts_other",
            "plasmablasts_other_0",
            1e7,
        ),
    ),
    fluxes=(
        Flux(
            "auto_tissue_egress_flux",
            "b_autoreactive_tissue",
            "b_autoreactive",
            "auto_tissue_egress_per_day*b_autoreactive_tissue",
            "cells/d",
            "activated autoreactive B leaving lymphoid tissue into the circulation",
        ),
        Flux(
            "auto_tissue_homing_flux",
            "b_autoreactive",
            "b_autoreactive_tissue",
            "auto_tissue_homing_per_day*b_autoreactive",
            "cells/d",
            "circulating autoreactive B homing back to lymphoid tissue",
        ),
    ),
)
