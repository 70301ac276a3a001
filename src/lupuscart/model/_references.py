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
            "Wang2021",
            "Wang Y et al. Humoral immune reconstitution after anti-BCMA CAR T-cell therapy in "
            "relapsed/refractory multiple myeloma. Blood Adv 2021;5:5290-9 (n = 40: marrow plasma cells first "
            "redetected on median day 212, IgG recovery on median day 386).",
            "10.1182/bloodadvances.2021004603",
        ),
        Reference(
            "Junghans1996",
            "Junghans RP, Anderson CL. The protection receptor for IgG catabolism is the beta2-microglobulin-"
            "containing neonatal intestinal transport receptor. Proc Natl Acad Sci USA 1996;93:5512-6.",
            "10.1073/pnas.93.11.5512",
        ),
        Reference(
            "Giavridis2018",
            "Giavridis T, van der Stegen SJC, Eyquem J, et al. CAR T cell-induced cytokine release syndrome is "
            "mediated by macrophages and abated by IL-1 blockade. Nat Med 2018;24:731-8.",
            "10.1038/s41591-018-0041-7",
        ),
        Reference(
            "Norelli2018",
            "Norelli M, Camisa B, Barbiera G, et al. Monocyte-derived IL-1 and IL-6 are differentially required for "
            "cytokine-release syndrome and neurotoxicity due to CAR T cells. Nat Med 2018;24:739-48.",
            "10.1038/s41591-018-0036-4",
        ),
        Reference(
            "Hay2017",
            "Hay KA, Hanafi LA, Li D, et al. Kinetics and biomarkers of severe cytokine release syndrome after "
            "CD19 chimeric antigen receptor-modified T-cell therapy. Blood 2017;130:2295-306 (n = 133: higher dose "
            "and marrow tumour burden predict CRS).",
            "10.1182/blood-2017-06-793141",
        ),
        Reference(
            "Caimi2021",
            "Caimi PF, Pacheco Sanchez G, Sharma A, et al. Prophylactic tocilizumab prior to anti-CD19 CAR-T cell "
            "therapy for non-Hodgkin lymphoma. Front Immunol 2021;12:745320.",
            "10.3389/fimmu.2021.745320",
        ),
        Reference(
            "Feng2025",
            "Feng J, Huo D, Hong R, et al. Co-infusion of CD19-targeting and BCMA-targeting CAR-T cells for "
            "treatment-refractory systemic lupus erythematosus: a phase 1 trial. Nat Med 2025;31:3725-36 (n = 15: "
            "grade-1 CRS in 86.7 %, 12 of 15 in LLDAS/DORIS by week 12).",
            "10.1038/s41591-025-03937-8",
        ),
        Reference(
            "Muller2025",
            "Müller F et al. Case report, Nat Med 2025: Jo-1 anti-synthetase syndrome in remission after CD19 CAR T, "
            "relapse after 9 months, no re-expansion on reinfusion, remission again after BCMA CAR T.",
            "10.1038/s41591-025-03718-3",
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
