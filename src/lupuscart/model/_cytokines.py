"""Cytokine release: myeloid activation and IL-6 (the CRS drivers), tocilizumab and dexamethasone.

Activated CAR T cells (``car_t_activation``) activate monocytes and macrophages (through GM-CSF, IFN-γ and CD40L
contact), and these myeloid cells, not the CAR T cells, make most of the IL-6 and the IL-1 of CRS (Giavridis 2018,
Norelli 2018): ``myeloid_activation`` follows the activated effector CAR T count through a cooperative (Hill 2)
saturating function, so it rises with the dose and with the antigen load (more targets keep more CAR T activated for
longer; Hay 2017: dose and burden predict CRS). IL-6 production rises with myeloid activation and with the killing
flux (CD19⁺ cells killed per day), and both are suppressed by glucocorticoids; part of its clearance is
IL-6-receptor mediated, so tocilizumab raises total IL-6 while abolishing its signalling (model.md A.3). Tocilizumab
follows Frey 2010 (two compartments, parallel linear and Michaelis-Menten elimination; typical values for BSA 1.8
m²). Dexamethasone is a one-compartment drug whose receptor occupancy scales the glucocorticoid effects.
"""

from __future__ import annotations

import math

from ._spec import Assignment, Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="cytokines",
    description=__doc__ or "",
    inputs=(
        "b_targets",
        "car_kill_rate_per_day",
        "car_t_activated_cells",
        "weight_kg",
    ),
    parameters=(
        P(
            "il6_baseline_pg_ml",
            2.0,
            "pg/mL",
            "baseline serum IL-6 (about 1 pg/mL in health)",
            "modelmd",
            "E",
            0.01,
            1e3,
        ),
        P("il6_turnover_per_day", 2.0, "1/d", "effective IL-6 turnover", "modelmd", "E", lower=0.02, upper=200.0),
        P(
            "il6_induction_max",
            2.0,
            "1",
            "maximal fold induction of IL-6 production by the killing flux (dying cells; myeloid IL-6 dominates)",
            "modelmd",
            "E",
            lower=0.3,
            upper=3000.0,
        ),
        P(
            "il6_induction_half_cells_day",
            3e9,
            "cells/d",
            "killing flux for half-maximal IL-6 induction",
            "modelmd",
            "E",
            lower=30000000.0,
            upper=300000000000.0,
        ),
        P(
            "il6_receptor_clearance_share",
            0.5,
            "1",
            "share of IL-6 clearance that is IL-6R mediated",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
        P(
            "myeloid_rate_per_day",
            1.0,
            "1/d",
            "activation/resolution rate of monocytes and macrophages",
            "Giavridis2018",
            "E",
            lower=0.01,
            upper=100.0,
        ),
        P(
            "myeloid_half_activated_cells",
            3e9,
            "cells",
            "activated effector CAR T for half-maximal myeloid activation (about 60 per uL of blood)",
            "Giavridis2018",
            "E",
            lower=30000000.0,
            upper=300000000000.0,
        ),
        P(
            "il6_myeloid_max",
            100.0,
            "1",
            "fold induction of IL-6 production by fully activated myeloid cells",
            "Norelli2018",
            "E",
            lower=1.0,
            upper=10000.0,
        ),
        P(
            "steroid_myeloid_inhibition_max",
            0.8,
            "1",
            "maximal glucocorticoid suppression of myeloid activation",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
        P(
            "toc_ec50_mg_l",
            1.0,
            "mg/L",
            "tocilizumab concentration for half IL-6R occupancy",
            "modelmd",
            "E",
            lower=0.01,
            upper=100.0,
        ),
        P("toc_cl_l_day", 0.3, "L/d", "tocilizumab linear clearance", "Frey2010", "R", lower=0.003, upper=30.0),
        P("toc_v1_l", 3.5, "L", "tocilizumab central volume", "Frey2010", "R", lower=0.035, upper=350.0),
        P(
            "toc_q_l_day",
            0.2,
            "L/d",
            "tocilizumab intercompartmental clearance",
            "Frey2010",
            "R",
            lower=0.002,
            upper=20.0,
        ),
        P("toc_v2_l", 2.9, "L", "tocilizumab peripheral volume", "Frey2010", "R", lower=0.029, upper=290.0),
        P(
            "toc_vmax_mg_day",
            7.5,
            "mg/d",
            "tocilizumab Michaelis-Menten Vmax",
            "Frey2010",
            "R",
            lower=0.075,
            upper=750.0,
        ),
        P("toc_km_mg_l", 2.7, "mg/L", "tocilizumab Michaelis-Menten Km", "Frey2010", "R", lower=0.027, upper=270.0),
        P(
            "dex_volume_l_per_kg",
            0.8,
            "L/kg",
            "dexamethasone volume of distribution",
            "modelmd",
            "L",
            lower=0.008,
            upper=80.0,
        ),
        P("dex_half_life_h", 4.0, "h", "dexamethasone plasma half-life", "modelmd", "L", lower=0.04, upper=400.0),
        P(
            "dex_ec50_mg_l",
            0.02,
            "mg/L",
            "dexamethasone concentration for half-maximal effect",
            "modelmd",
            "E",
            lower=0.0002,
            upper=2.0,
        ),
        P(
            "steroid_il6_inhibition_max",
            0.8,
            "1",
            "maximal glucocorticoid suppression of IL-6 production",
            "modelmd",
            "E",
            0.0,
            1.0,
        ),
    ),
    assignments=(
        Assignment("dex_k_per_day", f"{math.log(2)}*24/dex_half_life_h", "1/d", "dexamethasone elimination"),
        Assignment("dex_volume_l", "dex_volume_l_per_kg*weight_kg", "L", "dexamethasone volume"),
    ),
    expressions=(
        Expression(
            "kill_flux_cells_day", "car_kill_rate_per_day*b_targets", "cells/d", "CD19+ cells killed per day by CAR T"
        ),
        Expression("toc_conc_mg_l", "toc_central_mg/toc_v1_l", "mg/L", "tocilizumab serum concentration"),
        Expression(
            "toc_receptor_occupancy",
            "toc_conc_mg_l/(toc_conc_mg_l + toc_ec50_mg_l)",
            "1",
            "IL-6 receptor occupancy by tocilizumab",
        ),
        Expression(
            "steroid_occupancy",
            "dex_mg/dex_volume_l/(dex_mg/dex_volume_l + dex_ec50_mg_l)",
            "1",
            "glucocorticoid receptor occupancy by dexamethasone",
        ),
        Expression(
            "il6_signalling",
            "il6*(1 - toc_receptor_occupancy)",
            "pg/mL",
            "IL-6 available for signalling (total IL-6 minus blocked receptors)",
        ),
    ),
    states=(
        State(
            "il6",
            "pg/mL",
            "total serum IL-6",
            "il6_turnover_per_day*il6_baseline_pg_ml*(1 + il6_induction_max*kill_flux_cells_day"
            "/(kill_flux_cells_day + il6_induction_half_cells_day) + il6_myeloid_max*myeloid_activation)"
            "*(1 - steroid_il6_inhibition_max"
            "*steroid_occupancy) - il6_turnover_per_day*(1 - il6_receptor_clearance_share"
            "*toc_receptor_occupancy)*il6",
            "il6_baseline_pg_ml",
            0.1,
        ),
        State(
            "myeloid_activation",
            "1",
            "activated share of monocytes and macrophages (0 before treatment)",
            "myeloid_rate_per_day*(car_t_activated_cells**2"
            "/(car_t_activated_cells**2 + myeloid_half_activated_cells**2)"
            "*(1 - steroid_myeloid_inhibition_max*steroid_occupancy) - myeloid_activation)",
            "0",
            1e-3,
        ),
        State(
            "toc_central_mg",
            "mg",
            "tocilizumab, central compartment",
            "-toc_cl_l_day*toc_conc_mg_l - toc_vmax_mg_day*toc_conc_mg_l/(toc_km_mg_l + toc_conc_mg_l)",
            "0",
            10.0,
            dose_target=True,
        ),
        State(
            "toc_peripheral_mg",
            "mg",
            "tocilizumab, peripheral compartment",
            "",
            "0",
            10.0,
        ),
        State("dex_mg", "mg", "dexamethasone amount", "-dex_k_per_day*dex_mg", "0", 0.1, dose_target=True),
    ),
    fluxes=(
        Flux(
            "toc_distribution_flux",
            "toc_central_mg",
            "toc_peripheral_mg",
            "toc_q_l_day*toc_conc_mg_l",
            "mg/d",
            "tocilizumab distribution to the peripheral compartment",
        ),
        Flux(
            "toc_return_flux",
            "toc_peripheral_mg",
            "toc_central_mg",
            "toc_q_l_day*toc_peripheral_mg/toc_v2_l",
            "mg/d",
            "tocilizumab return from the peripheral compartment",
        ),
    ),
)
