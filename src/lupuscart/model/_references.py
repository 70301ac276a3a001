"""Publications the model draws on, keyed as in ``Parameter.source``."""

from __future__ import annotations

from ._spec import Reference

REFERENCES: dict[str, Reference] = {
    r.key: r
    for r in (
        Reference(
            "Mackensen2022",
            "Mackensen A et al. Anti-CD19 CAR T cell therapy for refractory systemic "
            "lupus erythematosus. Nat Med 2022;28:2124-32.",
            "10.1038/s41591-022-02017-5",
        ),
        Reference(
            "Muller2024",
            "Müller F et al. CD19 CAR T-cell therapy in autoimmune disease - a case "
            "series with follow-up. N Engl J Med 2024;390:687-700.",
            "10.1056/NEJMoa2308917",
        ),
        Reference(
            "Langenhorst2019",
            "Langenhorst JB et al. Population pharmacokinetics of fludarabine in "
            "children and adults during conditioning prior to allogeneic HCT. Clin Pharmacokinet "
            "2019;58:627-37.",
            "10.1007/s40262-018-0715-9",
        ),
        Reference(
            "Ahmed2020",
            "Ahmed et al. Population pharmacokinetics of cyclophosphamide. Front Pharmacol 2020;11:406.",
            "10.3389/fphar.2020.00406",
        ),
        Reference(
            "Frey2010",
            "Frey N, Grange S, Woodworth T. Population pharmacokinetic analysis of "
            "tocilizumab in patients with rheumatoid arthritis. J Clin Pharmacol 2010;50:754-66.",
            "10.1177/0091270009350623",
        ),
        Reference(
            "Kimmel2021",
            "Kimmel GJ, Locke FL, Altrock PM. The roles of T cell competition and stochastic extinction "
            "events in chimeric antigen receptor T cell therapy. Proc R Soc B 2021;288:20210229 "
            "(lymphopenia-driven expansion model).",
            "10.1098/rspb.2021.0229",
        ),
        Reference(
            "Stein2019",
            "Stein AM et al. Tisagenlecleucel model-based cellular kinetic analysis of "
            "chimeric antigen receptor-T cells. CPT Pharmacometrics Syst Pharmacol 2019;8:285-95.",
            "10.1002/psp4.12388",
        ),
        Reference(
            "Friberg2002",
            "Friberg LE et al. Model of chemotherapy-induced myelosuppression with "
            "parameter consistency across drugs. J Clin Oncol 2002;20:4713-21.",
            "10.1200/JCO.2002.02.140",
        ),
        Reference(
            "Macallan2005",
            "Macallan DC et al. B-cell kinetics in humans: rapid turnover of peripheral "
            "blood memory cells. Blood 2005;105:3633-40.",
            "10.1182/blood-2004-09-3740",
        ),
        Reference(
            "Amanna2007",
            "Amanna IJ, Carlson NE, Slifka MK. Duration of humoral immunity to common "
            "viral and vaccine antigens. N Engl J Med 2007;357:1903-15.",
            "10.1056/NEJMoa066092",
        ),
        Reference(
            "Walti2019",
            "Walti CS et al. Humoral immunity after CD19 CAR T-cell therapy. JCI Insight 2019;4:e129150.",
            "10.1172/jci.insight.129150",
        ),
        Reference(
            "Hagen2025",
            "Hagen M et al. Local immune effector cell-associated toxicity syndrome "
            "(LICATS) after CAR T in autoimmune disease. Lancet Rheumatol 2025.",
            "10.1016/S2665-9913(25)00091-8",
        ),
        Reference(
            "Lee2019",
            "Lee DW et al. ASTCT consensus grading for cytokine release syndrome and "
            "neurologic toxicity. Biol Blood Marrow Transplant 2019;25:625-38.",
            "10.1016/j.bbmt.2018.12.758",
        ),
        Reference(
            "modelmd",
            "lupuscart model sources (docs/model-sources.md, shipped with the package's documentation): the "
            "starting model assembled from the sources above; its [E] values are estimates to revisit.",
        ),
    )
}

#: Source keys that name a shipped document rather than a publication (key -> path in the repository).
DOCUMENTS: dict[str, str] = {
    "modelmd": "docs/model-sources.md",
    "calibrated": "docs/calibration.md",
    "expert": "docs/model-sources.md",
}
