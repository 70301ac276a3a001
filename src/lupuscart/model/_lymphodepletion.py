"""Lymphodepleting chemotherapy: fludarabine (F-ara-A) and cyclophosphamide pharmacokinetics and lymphocyte kill.

Fludarabine follows the three-compartment model of Langenhorst 2019 (clearance scales with renal function and
allometric weight); cyclophosphamide the one-compartment model of Ahmed 2020 without BSA scaling of V (model.md
A.0 convention 1, t½ ≈ 6 h). Doses enter as boluses (the Flu dose in mg as given, A.0 convention 2). The drug
concentrations drive a first-order lymphocyte kill rate ``ld_kill_per_day`` used by the T-cell, CAR T, marrow
and B-lineage blocks.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="lymphodepletion",
    description=__doc__ or "",
    parameters=(
        P("weight_kg", 70.0, "kg", "body weight", "Mackensen2022", "R", 25.0, 250.0),
        P("bsa_m2", 1.8, "m^2", "body surface area (Mosteller, set by the journey)", "modelmd", "D", 0.5, 3.5),
        P("egfr_ml_min", 100.0, "mL/min", "absolute glomerular filtration rate", "modelmd", "E", 5.0, 200.0),
        P("flu_reference_weight_kg", 70.0, "kg", "reference weight of the F-ara-A model", "Langenhorst2019", "R", 1.0),
        P("flu_cl_nonrenal_l_h", 3.2, "L/h", "F-ara-A non-renal clearance at 70 kg", "Langenhorst2019", "R"),
        P("flu_cl_per_gfr", 0.78, "1", "F-ara-A renal clearance per unit GFR (both L/h)", "Langenhorst2019", "R"),
        P("flu_v1_l", 39.0, "L", "F-ara-A central volume at 70 kg", "Langenhorst2019", "R"),
        P("flu_v2_l", 20.0, "L", "F-ara-A first peripheral volume at 70 kg", "Langenhorst2019", "R"),
        P("flu_v3_l", 50.0, "L", "F-ara-A second peripheral volume at 70 kg", "Langenhorst2019", "R"),
        P("flu_q2_l_h", 8.6, "L/h", "F-ara-A intercompartmental clearance 1 at 70 kg", "Langenhorst2019", "R"),
        P("flu_q3_l_h", 3.8, "L/h", "F-ara-A intercompartmental clearance 2 at 70 kg", "Langenhorst2019", "R"),
        P("cy_cl_l_h", 5.41, "L/h", "cyclophosphamide clearance", "Ahmed2020", "R"),
        P("cy_v_l", 46.5, "L", "cyclophosphamide volume (no BSA scaling, model.md A.0)", "Ahmed2020", "R"),
        P("flu_kill_l_per_mg_day", 2.1, "L/mg/d", "lymphocyte kill per F-ara-A concentration", "modelmd", "E"),
        P(
            "cy_kill_l_per_mg_day",
            0.108,
            "L/mg/d",
            "lymphocyte kill per cyclophosphamide concentration",
            "modelmd",
            "E",
        ),
    ),
    assignments=(
        Assignment(
            "flu_cl_l_day",
            "24*(flu_cl_nonrenal_l_h + flu_cl_per_gfr*0.06*egfr_ml_min)*(weight_kg/flu_reference_weight_kg)**0.75",
            "L/d",
            "F-ara-A clearance (eGFR mL/min x 0.06 = L/h)",
        ),
        Assignment("flu_v1_ind_l", "flu_v1_l*weight_kg/flu_reference_weight_kg", "L", "individual central volume"),
        Assignment("flu_v2_ind_l", "flu_v2_l*weight_kg/flu_reference_weight_kg", "L", "individual peripheral volume 1"),
        Assignment("flu_v3_ind_l", "flu_v3_l*weight_kg/flu_reference_weight_kg", "L", "individual peripheral volume 2"),
        Assignment("flu_q2_l_day", "24*flu_q2_l_h*(weight_kg/flu_reference_weight_kg)**0.75", "L/d", "individual Q2"),
        Assignment("flu_q3_l_day", "24*flu_q3_l_h*(weight_kg/flu_reference_weight_kg)**0.75", "L/d", "individual Q3"),
        Assignment("cy_k_per_day", "24*cy_cl_l_h/cy_v_l", "1/d", "cyclophosphamide elimination rate constant"),
    ),
    expressions=(
        Expression("flu_conc_mg_l", "flu_central_mg/flu_v1_ind_l", "mg/L", "F-ara-A plasma concentration"),
        Expression("cy_conc_mg_l", "cy_mg/cy_v_l", "mg/L", "cyclophosphamide plasma concentration"),
        Expression(
            "ld_kill_per_day",
            "flu_kill_l_per_mg_day*flu_conc_mg_l + cy_kill_l_per_mg_day*cy_conc_mg_l",
            "1/d",
            "lymphocyte kill rate by lymphodepletion",
        ),
    ),
    states=(
        State(
            "flu_central_mg",
            "mg",
            "F-ara-A, central compartment",
            "-flu_cl_l_day*flu_conc_mg_l",
            "0",
            10.0,
            dose_target=True,
        ),
        State(
            "flu_peripheral1_mg",
            "mg",
            "F-ara-A, first peripheral compartment",
            "",
            "0",
            10.0,
        ),
        State(
            "flu_peripheral2_mg",
            "mg",
            "F-ara-A, second peripheral compartment",
            "",
            "0",
            10.0,
        ),
        State("cy_mg", "mg", "cyclophosphamide amount", "-cy_k_per_day*cy_mg", "0", 100.0, dose_target=True),
    ),
    fluxes=(
        Flux(
            "flu_distribution1_flux",
            "flu_central_mg",
            "flu_peripheral1_mg",
            "flu_q2_l_day*flu_conc_mg_l",
            "mg/d",
            "F-ara-A distribution to the first peripheral compartment",
        ),
        Flux(
            "flu_return1_flux",
            "flu_peripheral1_mg",
            "flu_central_mg",
            "flu_q2_l_day*flu_peripheral1_mg/flu_v2_ind_l",
            "mg/d",
            "F-ara-A return from the first peripheral compartment",
        ),
        Flux(
            "flu_distribution2_flux",
            "flu_central_mg",
            "flu_peripheral2_mg",
            "flu_q3_l_day*flu_conc_mg_l",
            "mg/d",
            "F-ara-A distribution to the second peripheral compartment",
        ),
        Flux(
            "flu_return2_flux",
            "flu_peripheral2_mg",
            "flu_central_mg",
            "flu_q3_l_day*flu_peripheral2_mg/flu_v3_ind_l",
            "mg/d",
            "F-ara-A return from the second peripheral compartment",
        ),
    ),
)
