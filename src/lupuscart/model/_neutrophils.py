"""Neutrophils after lymphodepletion: a Friberg 2002 transit model driven by fludarabine and cyclophosphamide.

Proliferating precursors are killed in proportion to drug concentrations; three transit compartments delay the
nadir by about one mean transit time; the feedback (ANC₀/ANC)^γ drives recovery. Grade ≥ 3 neutropenia after
Flu/Cy is usual (model.md B5); the drug slopes are estimates calibrated to that.
"""

from __future__ import annotations

from ._spec import Assignment, Block, Expression, Flux, Parameter, State

P = Parameter
BLOCK = Block(
    name="neutrophils",
    description=__doc__ or "",
    inputs=(
        "cy_conc_mg_l",
        "flu_conc_mg_l",
    ),
    parameters=(
        P("anc_baseline_10e9_l", 3.5, "1e9 cells/L", "baseline absolute neutrophil count", "modelmd", "E", 0.1, 30.0),
        P("neutrophil_mtt_day", 5.0, "d", "mean transit time of maturing neutrophils", "Friberg2002", "L", 0.5, 30.0),
        P("neutrophil_feedback", 0.16, "1", "feedback exponent gamma", "Friberg2002", "L", 0.0, 0.5),
        P(
            "flu_myelotox_l_per_mg",
            2.0,
            "L/mg",
            "precursor kill per F-ara-A concentration (calibrated with the Cy "
            "slope to an ANC nadir of about 0.4e9/L near day 7, grade >= 3 for about a week)",
            "modelmd",
            "C",
            lower=0.02,
            upper=20.0,
        ),
        P(
            "cy_myelotox_l_per_mg",
            0.15,
            "L/mg",
            "precursor kill per cyclophosphamide concentration",
            "modelmd",
            "C",
            lower=0.0015,
            upper=1.5,
        ),
    ),
    assignments=(Assignment("neutrophil_transit_per_day", "4/neutrophil_mtt_day", "1/d", "transit rate constant"),),
    expressions=(
        Expression(
            "myelotox_effect",
            "flu_myelotox_l_per_mg*flu_conc_mg_l + cy_myelotox_l_per_mg*cy_conc_mg_l",
            "1",
            "chemotherapy effect on proliferating precursors",
        ),
    ),
    states=(
        State(
            "anc_proliferating",
            "1e9 cells/L",
            "proliferating neutrophil precursors",
            "neutrophil_transit_per_day*anc_proliferating*(1 - myelotox_effect)"
            "*(anc_baseline_10e9_l/anc_circulating)**neutrophil_feedback",
            "anc_baseline_10e9_l",
            0.1,
        ),
        State(
            "anc_transit1",
            "1e9 cells/L",
            "maturing neutrophils, transit 1",
            "",
            "anc_baseline_10e9_l",
            0.1,
        ),
        State(
            "anc_transit2",
            "1e9 cells/L",
            "maturing neutrophils, transit 2",
            "",
            "anc_baseline_10e9_l",
            0.1,
        ),
        State(
            "anc_transit3",
            "1e9 cells/L",
            "maturing neutrophils, transit 3",
            "",
            "anc_baseline_10e9_l",
            0.1,
        ),
        State(
            "anc_circulating",
            "1e9 cells/L",
            "circulating neutrophils",
            "-neutrophil_transit_per_day*anc_circulating",
            "anc_baseline_10e9_l",
            0.1,
        ),
    ),
    fluxes=(
        Flux(
            "neutrophil_maturation1_flux",
            "anc_proliferating",
            "anc_transit1",
            "neutrophil_transit_per_day*anc_proliferating",
            "1e9 cells/L/d",
            "maturing neutrophils moving on along the transit chain",
        ),
        Flux(
            "neutrophil_maturation2_flux",
            "anc_transit1",
            "anc_transit2",
            "neutrophil_transit_per_day*anc_transit1",
            "1e9 cells/L/d",
            "maturing neutrophils moving on along the transit chain",
        ),
        Flux(
            "neutrophil_maturation3_flux",
            "anc_transit2",
            "anc_transit3",
            "neutrophil_transit_per_day*anc_transit2",
            "1e9 cells/L/d",
            "maturing neutrophils moving on along the transit chain",
        ),
        Flux(
            "neutrophil_maturation4_flux",
            "anc_transit3",
            "anc_circulating",
            "neutrophil_transit_per_day*anc_transit3",
            "1e9 cells/L/d",
            "maturing neutrophils moving on along the transit chain",
        ),
    ),
)
