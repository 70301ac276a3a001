"""CD19 CAR T cell kinetics: expansion, contraction, persistence and target-cell killing.

Three published mechanisms are combined (model.md A.1): Kimmel 2021's lymphopenia drive Λ(T) (expansion needs
lymphodepletion and stops once T cells have reconstituted), antigen stimulation by all CD19⁺ B-lineage cells (León-
Triana, Chaudhury, Hardiansyah), and Stein 2019's effector/memory split for contraction and persistence. Killing is
saturable in both effectors and targets: each CAR T kills at most ``car_kill_per_cell_day`` cells per day. Cells in
tissue (the autoreactive B of lymphoid tissue, ``autoimmunity``) are reached later and less: their killing follows a
tissue exposure that lags the blood CAR T count (an effect compartment, the link model of pharmacodynamics) scaled
by ``car_tissue_access``, which also weights them as antigen. Antigen switches effector CAR T into an activated
state (``car_t_activated_cells``) that lasts days after the last encounter and drives the cytokine release of
``cytokines``. Glucocorticoids blunt proliferation dose-dependently (an assumption kept small: Stein 2019 found no
steroid effect on expansion).
"""

from __future__ import annotations

from ._spec import Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="car_t_kinetics",
    description=__doc__ or "",
    inputs=(
        "b_autoreactive",
        "b_autoreactive_tissue",
        "b_memory",
        "b_naive",
        "b_precursors",
        "ld_kill_per_day",
        "plasmablasts_auto",
        "plasmablasts_other",
        "steroid_occupancy",
        "t_capacity_cells",
        "t_total_cells",
    ),
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
            upper=130.0,
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
            lower=10000000.0,
            upper=100000000000.0,
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
            upper=1.0,
        ),
        P(
            "car_kill_per_cell_day",
            3.0,
            "cells/cell/d",
            "maximal serial killing per CAR T",
            "modelmd",
            "E",
            lower=0.03,
            upper=300.0,
        ),
        P(
            "car_kill_half_targets",
            2e9,
            "cells",
            "target mass for half-saturated killing",
            "modelmd",
            "E",
            lower=20000000.0,
            upper=200000000000.0,
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
            "car_activation_on_per_day",
            2.0,
            "1/d",
            "activation of effector CAR T by antigen (full stimulation)",
            "modelmd",
            "E",
            lower=0.02,
            upper=200.0,
        ),
        P(
            "car_activation_off_per_day",
            0.3,
            "1/d",
            "return of activated CAR T to rest once antigen is gone (activation programme of about 3 days)",
            "modelmd",
            "E",
            lower=0.003,
            upper=30.0,
        ),
        P(
            "car_tissue_equilibration_per_day",
            0.1,
            "1/d",
            "rate at which CAR T activity in lymphoid and inflamed tissue follows the blood (infiltration lag)",
            "modelmd",
            "E",
            lower=0.001,
            upper=10.0,
        ),
        P(
            "car_tissue_access",
            0.05,
            "1",
            "killing of tissue-resident targets relative to blood at equal CAR T exposure",
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
            "b_precursors + b_naive + b_memory + b_autoreactive + car_tissue_access*b_autoreactive_tissue"
            " + plasmablasts_auto + plasmablasts_other",
            "cells",
            "CD19+ target cells within reach of blood CAR T (tissue-resident ones weighted by their access)",
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
        Expression(
            "car_tissue_kill_rate_per_day",
            "car_tissue_access*car_kill_per_cell_day*car_t_tissue_exposure/(car_kill_half_targets + b_targets)",
            "1/d",
            "CD19-directed death rate of each tissue-resident target cell",
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
            " - car_effector_death_per_day)*car_t_effector - ld_kill_per_day*car_t_effector",
            "0",
            1e7,
            dose_target=True,
        ),
        State(
            "car_t_memory",
            "cells",
            "memory (persistent) CAR T cells",
            "-car_memory_loss_per_day*car_t_memory",
            "0",
            1e7,
        ),
        State(
            "car_t_activated_cells",
            "cells",
            "activated effector CAR T (secreting IFN-gamma, GM-CSF): switched on by antigen, kept for days after",
            "car_activation_on_per_day*antigen_stimulation*(car_t_effector - car_t_activated_cells)"
            " - car_activation_off_per_day*car_t_activated_cells",
            "0",
            1e7,
        ),
        State(
            "car_t_tissue_exposure",
            "cells",
            "cytotoxic CAR T exposure of tissue niches (blood CAR T lagged by infiltration)",
            "car_tissue_equilibration_per_day*(car_t_effector + car_memory_potency*car_t_memory"
            " - car_t_tissue_exposure)",
            "0",
            1e7,
        ),
    ),
    fluxes=(
        Flux(
            "car_t_memory_formation_flux",
            "car_t_effector",
            "car_t_memory",
            "car_effector_to_memory_per_day*car_t_effector",
            "cells/d",
            "effector CAR T becoming memory",
        ),
        Flux(
            "car_t_reactivation_flux",
            "car_t_memory",
            "car_t_effector",
            "car_memory_to_effector_per_day*antigen_stimulation*car_t_memory",
            "cells/d",
            "memory CAR T re-activated by antigen",
        ),
    ),
)
