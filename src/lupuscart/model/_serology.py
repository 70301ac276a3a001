"""Serology: anti-dsDNA, total IgG, IgG replacement and complement C3.

IgG antibodies are cleared by pinocytosis and rescued from lysosomal degradation by the saturable neonatal Fc
receptor (FcRn; Brambell's protection receptor, Junghans 1996), so their fractional catabolic rate rises with the
total IgG concentration: ``igg_fcr_per_day`` goes from ``igg_clearance_floor_per_day`` when FcRn is unsaturated
(low IgG: longer half-life) through ``igg_clearance_per_day`` (half-life 21 d) at the reference IgG
``igg_reference_g_l``, towards twice that at high IgG. Infused immunoglobulin (``ivig_g``, a dose target of the
management's IgG replacement) shares the same clearance. Total IgG comes from plasmablasts (a minority share, which
sets the modest IgG drop of about 18-20 % after CD19 depletion, cf. -17.5 % in Walti 2019) and from the protective
long-lived plasma-cell pool. C3 is consumed in proportion to the immune-complex load, so it recovers towards
normal as anti-dsDNA falls. Production rates are derived from the pre-treatment steady state.
"""

from __future__ import annotations

import math

from ._spec import Assignment, Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="serology",
    description=__doc__ or "",
    inputs=(
        "weight_kg",
        "llpc_regenerated",
        "anti_dsdna_production_per_cell",
        "immune_complex",
        "llpc_auto",
        "llpc_vaccine",
        "plasmablasts_auto",
        "plasmablasts_auto_0",
        "plasmablasts_other",
        "plasmablasts_other_0",
    ),
    parameters=(
        P(
            "igg_clearance_per_day",
            math.log(2) / 21,
            "1/d",
            "IgG clearance at the reference IgG (t1/2 21 d)",
            "modelmd",
            "L",
            lower=0.00033007,
            upper=3.3007,
        ),
        P(
            "igg_clearance_floor_per_day",
            math.log(2) / 30,
            "1/d",
            "IgG clearance with FcRn unsaturated (low IgG; t1/2 30 d)",
            "Junghans1996",
            "E",
            lower=0.00033,
            upper=0.033,
        ),
        P(
            "igg_reference_g_l",
            12.0,
            "g/L",
            "IgG at which clearance is igg_clearance_per_day",
            "modelmd",
            "L",
            lower=1.0,
            upper=1200.0,
        ),
        P(
            "ivig_volume_l_per_kg",
            0.07,
            "L/kg",
            "distribution volume of infused IgG",
            "modelmd",
            "E",
            0.01,
            1.0,
        ),
        P("anti_dsdna_baseline_iu_ml", 200.0, "IU/mL", "baseline anti-dsDNA", "modelmd", "E", 1e-3, 1e5),
        P("igg_baseline_g_l", 12.0, "g/L", "baseline total IgG", "modelmd", "E", 0.5, 60.0),
        P("igg_plasmablast_share", 0.2, "1", "share of total IgG made by plasmablasts", "Walti2019", "E", 0.0, 0.99),
        P("c3_baseline_g_l", 0.6, "g/L", "C3 in active disease (baseline)", "modelmd", "E", 0.01, 3.0),
        P("c3_normal_g_l", 1.1, "g/L", "C3 without immune-complex consumption", "modelmd", "E", 0.1, 3.0),
        P("c3_turnover_per_day", 0.5, "1/d", "C3 turnover", "modelmd", "E", lower=0.005, upper=50.0),
    ),
    assignments=(
        Assignment(
            "igg_fcr_0_per_day",
            "igg_clearance_floor_per_day + 2*(igg_clearance_per_day - igg_clearance_floor_per_day)*igg_baseline_g_l"
            "/(igg_baseline_g_l + igg_reference_g_l)",
            "1/d",
            "IgG fractional catabolic rate at the patient's baseline IgG",
        ),
        Assignment("ivig_volume_l", "ivig_volume_l_per_kg*weight_kg", "L", "distribution volume of infused IgG"),
        Assignment(
            "igg_production_plasmablast",
            "igg_fcr_0_per_day*igg_baseline_g_l*igg_plasmablast_share/(plasmablasts_auto_0 + plasmablasts_other_0)",
            "g/L/cell/d",
            "IgG secretion per plasmablast",
        ),
        Assignment(
            "igg_production_llpc",
            "igg_fcr_0_per_day*igg_baseline_g_l*(1 - igg_plasmablast_share)",
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
    expressions=(
        Expression(
            "igg_total_g_l", "igg + ivig_g/ivig_volume_l", "g/L", "serum IgG: endogenous plus infused immunoglobulin"
        ),
        Expression(
            "igg_fcr_per_day",
            "igg_clearance_floor_per_day + 2*(igg_clearance_per_day - igg_clearance_floor_per_day)*igg_total_g_l"
            "/(igg_total_g_l + igg_reference_g_l)",
            "1/d",
            "IgG fractional catabolic rate (FcRn saturation)",
        ),
    ),
    states=(
        State(
            "anti_dsdna",
            "IU/mL",
            "anti-dsDNA IgG",
            "anti_dsdna_production_per_cell*(plasmablasts_auto + llpc_auto) - igg_fcr_per_day*anti_dsdna",
            "anti_dsdna_baseline_iu_ml",
            1.0,
        ),
        State(
            "igg",
            "g/L",
            "endogenous total IgG",
            "igg_production_plasmablast*(plasmablasts_auto + plasmablasts_other)"
            " + igg_production_llpc*(llpc_vaccine + llpc_regenerated) - igg_fcr_per_day*igg",
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
        State(
            "ivig_g",
            "g",
            "infused immunoglobulin in the body (IgG replacement)",
            "-igg_fcr_per_day*ivig_g",
            "0",
            1.0,
            dose_target=True,
        ),
    ),
)
