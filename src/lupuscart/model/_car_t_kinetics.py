"""CD19 CAR T cell kinetics: expansion, contraction, persistence and target-cell killing.

Three published mechanisms are combined (model.md A.1): Kimmel 2021's lymphopenia drive Λ(T) (expansion needs
lymphodepletion and stops once T cells have reconstituted), antigen stimulation by all CD19⁺ B-lineage cells
(León-Triana, Chaudhury, Hardiansyah), and Stein 2019's effector/memory split for contraction and persistence.
Killing is saturable in both effectors and targets: each CAR T kills at most ``car_kill_per_cell_day`` cells per
day. Glucocorticoids blunt proliferation dose-dependently (an assumption kept small: Stein 2019 found no
steroid effect on expansion).
"""

from __future__ import annotations

from ._spec import Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="car_t_kinetics",
    description=__doc__ or "",
    parameters=(
        P(
            "car_lymphopenia_shape",
            0.423,
            "1",
            "shape a of Kimmel's lymphopenia drive",
            "Kimmel2021",
            "R",
            lower=0.00423,
            upper=42.3,
        ),
        P(
            "car_lymphopenia_drive_per_day",
            1.3,
            "1/d",
            "maximal lymphopenia-driven proliferation b (Kimmel "
            "b = 0.525 is paired with a Gompertz log term, about x3)",
            "modelmd",
            "E",
            lower=0.013,
            upper=130,
        ),
        P(
            "car_growth_per_day",
            0.0251,
            "1/d",
            "baseline CAR T proliferation",
            "Kimmel2021",
            "R",
            lower=0.000251,
            upper=0.251,
        ),
        P(
            "car_antigen_independent_share",
            0.3,
            "1",
            "cytokine-driven share of proliferation without antigen",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
        P(
            "car_stimulation_half_cells",
            1e9,
            "cells",
            "CD19+ target mass for half-maximal stimulation",
            "modelmd",
            "E",
            lower=1e07,
            upper=1e11,
        ),
        P(
            "car_effector_death_per_day",
            0.159,
            "1/d",
            "effector CAR T death (Stein alpha - k_EM)",
            "Stein2019",
            "D",
            lower=0.0159,
            upper=15.9,
        ),
        P(
            "car_effector_to_memory_per_day",
            0.0012,
            "1/d",
            "effector to memory transition",
            "Stein2019",
            "D",
            lower=1.2e-05,
            upper=0.12,
        ),
        P(
            "car_memory_loss_per_day",
            0.0032,
            "1/d",
            "memory CAR T loss (Stein beta)",
            "Stein2019",
            "R",
            lower=3.2e-05,
            upper=0.32,
        ),
        P(
            "car_memory_to_effector_per_day",
            0.0,
            "1/d",
            "antigen-driven memory to effector reactivation",
            "modelmd",
            "E",
            lower=0.0,
            upper=1,
        ),
        P(
            "car_kill_per_cell_day",
            3.0,
            "cells/cell/d",
            "maximal serial killing per CAR T",
            "modelmd",
            "E",
            lower=0.03,
            upper=300,
        ),
        P(
            "car_kill_half_targets",
            2e9,
            "cells",
            "target mass for half-saturated killing",
            "modelmd",
            "E",
            lower=2e07,
            upper=2e11,
        ),
        P(
            "car_memory_potency",
            1.0,
            "1",
            "cytotoxic potency of memory relative to effector CAR T",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
        P(
            "steroid_car_inhibition_max",
            0.2,
            "1",
            "maximal steroid inhibition of CAR T proliferation (Stein 2019 found none; kept small)",
            "Stein2019",
            "E",
            0.0,
            1.0,
        ),
    ),
    expressions=(
        Expression(
            "b_targets",
            "b_precursors + b_naive + b_memory + b_autoreactive + plasmablasts_auto + plasmablasts_other",
            "cells",
            "all CD19+ target cells",
        ),
        Expression(
            "antigen_stimulation",
            "b_targets/(b_targets + car_stimulation_half_cells)",
            "1",
            "antigen stimulation of CAR T",
        ),
        Expression(
            "lymphopenia_drive",
            "car_lymphopenia_drive_per_day*(t_total_cells - t_capacity_cells)**2"
            "/(car_lymphopenia_shape*t_total_cells**2 + (t_total_cells - t_capacity_cells)**2)",
            "1/d",
            "Kimmel's lymphopenia-driven proliferation",
        ),
        Expression(
            "car_kill_rate_per_day",
            "car_kill_per_cell_day*(car_t_effector + car_memory_potency*"
            "car_t_memory)/(car_kill_half_targets + b_targets)",
            "1/d",
            "CD19-directed death rate of each target cell",
        ),
    ),
    states=(
        State(
            "car_t_effector",
            "cells",
            "effector CAR T cells",
            "((car_growth_per_day + lymphopenia_drive)*(car_antigen_independent_share"
            " + (1 - car_antigen_independent_share)*antigen_stimulation)"
            "*(1 - steroid_car_inhibition_max*steroid_occupancy)"
            " - car_effector_death_per_day - car_effector_to_memory_per_day)*car_t_effector"
            " + car_memory_to_effector_per_day*antigen_stimulation*car_t_memory - ld_kill_per_day*car_t_effector",
            "0",
            1e7,
            dose_target=True,
        ),
        State(
            "car_t_memory",
            "cells",
            "memory (persistent) CAR T cells",
            "car_effector_to_memory_per_day*car_t_effector"
            " - car_memory_to_effector_per_day*antigen_stimulation*car_t_memory"
            " - car_memory_loss_per_day*car_t_memory",
            "0",
            1e7,
        ),
    ),
)
