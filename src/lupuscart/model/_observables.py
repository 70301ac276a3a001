"""What the clinic measures: blood counts and serum values reported in ``timecourse.csv`` and the SBML export.

Names carry their units and match the ``timecourse.csv`` contract (architecture.md). Cell concentrations are
total-body numbers times ``per_ul_of_blood``; the naive fraction is N/(N + M + A) (model.md A.0 convention 7).
"""

from __future__ import annotations

from ._spec import Block, Observable

BLOCK = Block(
    name="observables",
    description=__doc__ or "",
    inputs=(
        "b_autoreactive_0",
        "b_autoreactive_tissue",
        "b_autoreactive_tissue_0",
        "igg_total_g_l",
        "llpc_regenerated",
        "myeloid_activation",
        "anc_circulating",
        "anti_dsdna",
        "b_autoreactive",
        "b_memory",
        "b_naive",
        "c3",
        "car_t_effector",
        "car_t_memory",
        "cy_conc_mg_l",
        "dex_mg",
        "dex_volume_l",
        "endothelial_activation",
        "flu_conc_mg_l",
        "igg",
        "il6",
        "il6_signalling",
        "immune_complex",
        "llpc_vaccine",
        "marrow_capacity",
        "per_ul_of_blood",
        "t_cells",
        "toc_conc_mg_l",
    ),
    observables=(
        Observable(
            "car_t_per_ul", "(car_t_effector + car_t_memory)*per_ul_of_blood", "cells/uL", "CAR T cells in blood"
        ),
        Observable("t_cells_per_ul", "t_cells*per_ul_of_blood", "cells/uL", "endogenous T cells in blood"),
        Observable(
            "b_cells_per_ul",
            "(b_naive + b_memory + b_autoreactive)*per_ul_of_blood",
            "cells/uL",
            "CD19+ B cells in blood",
        ),
        Observable(
            "naive_b_fraction",
            "b_naive/(b_naive + b_memory + b_autoreactive)",
            "1",
            "naive/transitional share of blood B cells",
        ),
        Observable("anti_dsdna_iu_ml", "anti_dsdna", "IU/mL", "anti-dsDNA"),
        Observable("c3_g_l", "c3", "g/L", "complement C3"),
        Observable("igg_g_l", "igg_total_g_l", "g/L", "serum IgG (endogenous plus infused immunoglobulin)"),
        Observable("igg_endogenous_g_l", "igg", "g/L", "IgG made by the patient's own plasma cells and plasmablasts"),
        Observable(
            "plasma_cell_niche_fraction",
            "llpc_vaccine + llpc_regenerated",
            "1",
            "protective long-lived plasma cells relative to baseline",
        ),
        Observable(
            "autoreactive_b_fraction",
            "(b_autoreactive + b_autoreactive_tissue)/(b_autoreactive_0 + b_autoreactive_tissue_0)",
            "1",
            "autoreactive B cells (circulating and tissue-resident) relative to baseline",
        ),
        Observable("myeloid_activation_index", "myeloid_activation", "1", "activated share of monocytes/macrophages"),
        Observable("vaccine_igg_fraction", "llpc_vaccine", "1", "vaccine-specific IgG relative to baseline"),
        Observable("il6_pg_ml", "il6", "pg/mL", "total serum IL-6"),
        Observable("il6_signalling_pg_ml", "il6_signalling", "pg/mL", "IL-6 not blocked by tocilizumab"),
        Observable("tocilizumab_mg_l", "toc_conc_mg_l", "mg/L", "serum tocilizumab"),
        Observable("dexamethasone_mg_l", "dex_mg/dex_volume_l", "mg/L", "plasma dexamethasone"),
        Observable("anc_10e9_l", "anc_circulating", "1e9 cells/L", "absolute neutrophil count"),
        Observable(
            "lymphocytes_10e9_l",
            "(t_cells + car_t_effector + car_t_memory + b_naive + b_memory + b_autoreactive)*per_ul_of_blood/1000",
            "1e9 cells/L",
            "blood lymphocytes (T, CAR T, B)",
        ),
        Observable("marrow_capacity_fraction", "marrow_capacity", "1", "marrow B-lymphopoietic capacity"),
        Observable("endothelial_activation_index", "endothelial_activation", "1", "ICANS latent state"),
        Observable("immune_complex_load", "immune_complex", "1", "immune complexes relative to baseline"),
        Observable("fludarabine_mg_l", "flu_conc_mg_l", "mg/L", "plasma F-ara-A"),
        Observable("cyclophosphamide_mg_l", "cy_conc_mg_l", "mg/L", "plasma cyclophosphamide"),
    ),
)
