"""Serology: anti-dsDNA, total IgG and complement C3.

Antibodies are cleared with the IgG half-life (21 d). Total IgG comes from plasmablasts (a minority share, which
sets the modest IgG drop of about 18-20 % after CD19 depletion, cf. -17.5 % in Walti 2019) and from the protective
long-lived plasma-cell pool. C3 is consumed in proportion to the immune-complex load, so it recovers towards
normal as anti-dsDNA falls. Production rates are derived from the pre-treatment steady state.
"""

from __future__ import annotations

import math

from ._spec import Assignment, Block, Parameter, State

P = Parameter
BLOCK = Block(
    name="serology",
    description=__doc__ or "",
    parameters=(
        P(
            "igg_clearance_per_day",
            math.log(2) / 21,
            "1/d",
            "IgG clearance (t1/2 21 d)",
            "modelmd",
            "L",
            lower=0.00033007,
            upper=3.3007,
        ),
        P("anti_dsdna_baseline_iu_ml", 200.0, "IU/mL", "baseline anti-dsDNA", "modelmd", "E", 1e-3, 1e5),
        P("igg_baseline_g_l", 12.0, "g/L", "baseline total IgG", "modelmd", "E", 0.5, 60.0),
        P("igg_plasmablast_share", 0.2, "1", "share of total IgG made by plasmablasts", "Walti2019", "E", 0.0, 0.99),
        P("c3_baseline_g_l", 0.6, "g/L", "C3 in active disease (baseline)", "modelmd", "E", 0.01, 3.0),
        P("c3_normal_g_l", 1.1, "g/L", "C3 without immune-complex consumption", "modelmd", "E", 0.1, 3.0),
        P("c3_turnover_per_day", 0.5, "1/d", "C3 turnover", "modelmd", "E", lower=0.005, upper=50),
    ),
    assignments=(
        Assignment(
            "igg_production_plasmablast",
            "igg_clearance_per_day*igg_baseline_g_l*igg_plasmablast_share/(plasmablasts_auto_0 + plasmablasts_other_0)",
            "g/L/cell/d",
            "IgG secretion per plasmablast",
        ),
        Assignment(
            "igg_production_llpc",
            "igg_clearance_per_day*igg_baseline_g_l*(1 - igg_plasmablast_share)",
            "g/L/d",
            "IgG secretion by the protective long-lived pool at baseline",
        ),
        Assignment(
            "c3_consumption_per_day",
            "c3_turnover_per_day*(c3_normal_g_l/c3_baseline_g_l - 1)",
            "1/d",
            "C3 consumption per unit immune-complex load",
        ),
    ),
    states=(
        State(
            "anti_dsdna",
            "IU/mL",
            "anti-dsDNA IgG",
            "anti_dsdna_production_per_cell*(plasmablasts_auto + llpc_auto) - igg_clearance_per_day*anti_dsdna",
            "anti_dsdna_baseline_iu_ml",
            1.0,
        ),
        State(
            "igg",
            "g/L",
            "total IgG",
            "igg_production_plasmablast*(plasmablasts_auto + plasmablasts_other)"
            " + igg_production_llpc*llpc_vaccine - igg_clearance_per_day*igg",
            "igg_baseline_g_l",
            1.0,
        ),
        State(
            "c3",
            "g/L",
            "complement C3",
            "c3_turnover_per_day*c3_normal_g_l - (c3_turnover_per_day + c3_consumption_per_day*immune_complex)*c3",
            "c3_baseline_g_l",
            0.1,
        ),
    ),
)
