"""Endothelial activation: the latent state behind ICANS (model.md B4; no mechanistic ICANS model exists).

Activation follows total serum IL-6 (which crosses into the CNS and is not lowered by tocilizumab, consistent
with tocilizumab not preventing ICANS) and CAR T activity in blood, each through a saturating function. The
journey draws ICANS onsets from a hazard proportional to the activation above baseline.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="endothelium",
    description=__doc__ or "",
    inputs=(
        "car_t_effector",
        "car_t_memory",
        "il6",
        "il6_baseline_pg_ml",
        "per_ul_of_blood",
    ),
    parameters=(
        P(
            "endothelial_rate_per_day",
            1.0,
            "1/d",
            "endothelial activation/resolution rate",
            "modelmd",
            "E",
            lower=0.01,
            upper=100.0,
        ),
        P(
            "endothelial_il6_half_pg_ml",
            100.0,
            "pg/mL",
            "total IL-6 for half-maximal activation",
            "modelmd",
            "E",
            lower=1.0,
            upper=10000.0,
        ),
        P(
            "endothelial_car_t_half_per_ul",
            50.0,
            "cells/uL",
            "CAR T in blood for half-maximal activation",
            "modelmd",
            "E",
            lower=0.5,
            upper=5000.0,
        ),
    ),
    assignments=(
        Assignment(
            "endothelial_activation_0",
            "0.5*il6_baseline_pg_ml**2/(il6_baseline_pg_ml**2 + endothelial_il6_half_pg_ml**2)",
            "1",
            "pre-treatment activation",
        ),
    ),
    expressions=(
        Expression(
            "car_t_blood_per_ul", "(car_t_effector + car_t_memory)*per_ul_of_blood", "cells/uL", "CAR T cells in blood"
        ),
        Expression(
            "endothelial_drive",
            "0.5*il6**2/(il6**2 + endothelial_il6_half_pg_ml**2)"
            " + 0.5*car_t_blood_per_ul**2/(car_t_blood_per_ul**2 + endothelial_car_t_half_per_ul**2)",
            "1",
            "activation drive by IL-6 and CAR T",
        ),
    ),
    states=(
        State(
            "endothelial_activation",
            "1",
            "endothelial activation index (0-1)",
            "endothelial_rate_per_day*(endothelial_drive - endothelial_activation)",
            "endothelial_activation_0",
            1e-3,
        ),
    ),
)
