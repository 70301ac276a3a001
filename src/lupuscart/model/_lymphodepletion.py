"""Lymphodepleting chemotherapy: fludarabine (F-ara-A) and cyclophosphamide pharmacokinetics and lymphocyte kill.

Fludarabine follows the three-compartment model of Langenhorst 2019 (clearance scales with renal function and
allometric weight); cyclophosphamide the one-compartment model of Ahmed 2020 without BSA scaling of V (model.md
A.0 convention 1, t½ ≈ 6 h). Doses enter as boluses (the Flu dose in mg as given, A.0 convention 2). The drug
concentrations drive a first-order lymphocyte kill rate ``ld_kill_per_day`` used by the T-cell, CAR T, marrow
and B-lineage blocks.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Parameter, State

P = Parameter
BLOCK = Block(
    name="lymphodepletion",
    description=__doc__ or "",
    parameters=(
        P("weight_kg", 70.0, "kg", "body weight", "Mackensen2022", "R", 25.0, 250.0),
        P("bsa_m2", 1.8, "m2", "body surface area (Mosteller, set by the journey)", "modelmd", "D", 0.5, 3.5),
        P("egfr_ml_min", 100.0, "mL/min", "absolute glomerular filtration rate", "modelmd", "E", 5.0, 200.0),
        P(
            "flu_cl_nonrenal_l_h",
            3.2,
            "L/h",
            "F-ara-A non-renal clearance at 70 kg",
            "Langenhorst2019",
            "R",
            lower=0.032,
            upper=320,
        ),
        P(
            "flu_cl_per_gfr",
            0.78,
            "1",
            "F-ara-A renal clearance per unit GFR (both L/h)",
            "Langenhorst2019",
            "R",
            lower=0.0078,
            upper=78,
        ),
        P("flu_v1_l", 39.0, "L", "F-ara-A central volume at 70 kg", "Langenhorst2019", "R", lower=0.39, upper=3900),
        P(
            "flu_v2_l",
            20.0,
            "L",
            "F-ara-A first peripheral volume at 70 kg",
            "Langenhorst2019",
            "R",
            lower=0.2,
            upper=2000,
        ),
        P(
            "flu_v3_l",
            50.0,
            "L",
            "F-ara-A second peripheral volume at 70 kg",
            "Langenhorst2019",
            "R",
            lower=0.5,
            upper=5000,
        ),
        P(
            "flu_q2_l_h",
            8.6,
            "L/h",
            "F-ara-A intercompartmental clearance 1 at 70 kg",
            "Langenhorst2019",
            "R",
            lower=0.086,
            upper=860,
        ),
        P(
            "flu_q3_l_h",
            3.8,
            "L/h",
            "F-ara-A intercompartmental clearance 2 at 70 kg",
            "Langenhorst2019",
            "R",
            lower=0.038,
            upper=380,
        ),
        P("cy_cl_l_h", 5.41, "L/h", "cyclophosphamide clearance", "Ahmed2020", "R", lower=0.541, upper=541),
        P(
            "cy_v_l",
            46.5,
            "L",
            "cyclophosphamide volume (no BSA scaling, model.md A.0)",
            "Ahmed2020",
            "R",
            lower=0.465,
            upper=4650,
        ),
        P(
            "flu_kill_l_per_mg_day",
            2.1,
            "L/mg/d",
            "lymphocyte kill per F-ara-A concentration",
            "modelmd",
            "E",
            lower=0.021,
            upper=21,
        ),
        P(
            "cy_kill_l_per_mg_day",
            0.108,
            "L/mg/d",
            "lymphocyte kill per cyclophosphamide concentration",
            "modelmd",
            "E",
            lower=0.00108,
            upper=1.08,
        ),
    ),
    assignments=(
        Assignment(
            "flu_cl_l_day",
            "24*(flu_cl_nonrenal_l_h + flu_cl_per_gfr*0.06*egfr_ml_min)*(weight_kg/70)**0.75",
            "L/d",
            "F-ara-A clearance (eGFR mL/min x 0.06 = L/h)",
        ),
        Assignment("flu_v1_ind_l", "flu_v1_l*weight_kg/70", "L", "individual central volume"),
        Assignment("flu_v2_ind_l", "flu_v2_l*weight_kg/70", "L", "individual peripheral volume 1"),
        Assignment("flu_v3_ind_l", "flu_v3_l*weight_kg/70", "L", "individual peripheral volume 2"),
        Assignment("flu_q2_l_day", "24*flu_q2_l_h*(weight_kg/70)**0.75", "L/d", "individual Q2"),
        Assignment("flu_q3_l_day", "24*flu_q3_l_h*(weight_kg/70)**0.75", "L/d", "individual Q3"),
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
            "-(flu_cl_l_day + flu_q2_l_day + flu_q3_l_day)*flu_conc_mg_l"
            " + flu_q2_l_day*flu_peripheral1_mg/flu_v2_ind_l + flu_q3_l_day*flu_peripheral2_mg/flu_v3_ind_l",
            "0",
            10.0,
            dose_target=True,
        ),
        State(
            "flu_peripheral1_mg",
            "mg",
            "F-ara-A, first peripheral compartment",
            "flu_q2_l_day*flu_conc_mg_l - flu_q2_l_day*flu_peripheral1_mg/flu_v2_ind_l",
            "0",
            10.0,
        ),
        State(
            "flu_peripheral2_mg",
            "mg",
            "F-ara-A, second peripheral compartment",
            "flu_q3_l_day*flu_conc_mg_l - flu_q3_l_day*flu_peripheral2_mg/flu_v3_ind_l",
            "0",
            10.0,
        ),
        State("cy_mg", "mg", "cyclophosphamide amount", "-cy_k_per_day*cy_mg", "0", 100.0, dose_target=True),
    ),
)
