"""CAR-HEMATOTOX: baseline risk of haematotoxicity after CAR T cells (Rejeski K et al. Blood
2021;138:2499–2513, doi:10.1182/blood.2020010543)."""

from __future__ import annotations

from dataclasses import dataclass

from ._validate import check_real


@dataclass(frozen=True)
class HematotoxScore:
    """CAR-HEMATOTOX score.

    Attributes
    ----------
    score : int
        Total 0–7.
    risk : str
        ``"low"`` (0–1) or ``"high"`` (≥ 2).
    platelets, anc, hemoglobin, crp, ferritin : int
        Points from each marker (platelets and ferritin 0–2, the others 0–1).
    """

    score: int
    risk: str
    platelets: int
    anc: int
    hemoglobin: int
    crp: int
    ferritin: int


def car_hematotox(
    *,
    platelets_10e9_per_l: float,
    anc_10e9_per_l: float,
    hemoglobin_g_per_dl: float,
    crp_mg_per_dl: float,
    ferritin_ng_per_ml: float,
) -> HematotoxScore:
    """CAR-HEMATOTOX score from five markers before lymphodepletion (about day −5).

    Platelets ≤ 75 → 2, ≤ 175 → 1; ANC < 1.2 → 1; haemoglobin ≤ 9.0 → 1; CRP ≥ 3.0 mg/dL → 1;
    ferritin > 2000 → 2, ≥ 650 → 1. Low risk 0–1, high risk ≥ 2.

    Parameters
    ----------
    platelets_10e9_per_l : float
        Platelets, ×10⁹/L.
    anc_10e9_per_l : float
        Absolute neutrophil count, ×10⁹/L.
    hemoglobin_g_per_dl : float
        Haemoglobin, g/dL.
    crp_mg_per_dl : float
        C-reactive protein in **mg/dL** (divide mg/L by 10: 30 mg/L = 3.0 mg/dL).
    ferritin_ng_per_ml : float
        Ferritin, ng/mL (= µg/L).

    Returns
    -------
    HematotoxScore

    Notes
    -----
    Exact-boundary inclusivity is not unambiguous in the publication; this follows the one public
    implementation whose cut-offs match the paper's structure: PLT 75 → 2 and 175 → 1 (175.1 → 0); ANC 1.2 → 0
    (1.19 → 1); Hb 9.0 → 1 (9.1 → 0); CRP 3.0 → 1 (2.99 → 0); ferritin 650 → 1 (649 → 0), 2000 → 1
    (2000.1 → 2). Derived in large B-cell lymphoma; not validated in autoimmune disease (EBMT 2024).

    References
    ----------
    Rejeski K et al. Blood 2021;138:2499–2513, doi:10.1182/blood.2020010543.

    Examples
    --------
    >>> s = car_hematotox(platelets_10e9_per_l=150, anc_10e9_per_l=2.0, hemoglobin_g_per_dl=12,
    ...                   crp_mg_per_dl=0.5, ferritin_ng_per_ml=300)
    >>> s.score, s.risk
    (1, 'low')
    """
    plt = check_real("platelets_10e9_per_l", platelets_10e9_per_l, low=0, high=5000, unit="×10⁹/L")
    anc = check_real("anc_10e9_per_l", anc_10e9_per_l, low=0, high=200, unit="×10⁹/L")
    hb = check_real("hemoglobin_g_per_dl", hemoglobin_g_per_dl, low=0, high=25, unit="g/dL", hint="; not g/L")
    crp = check_real("crp_mg_per_dl", crp_mg_per_dl, low=0, high=100, unit="mg/dL")
    ferritin = check_real("ferritin_ng_per_ml", ferritin_ng_per_ml, low=0, high=1e6, unit="ng/mL")
    points = (
        2 if plt <= 75 else 1 if plt <= 175 else 0,
        int(anc < 1.2),
        int(hb <= 9.0),
        int(crp >= 3.0),
        2 if ferritin > 2000 else 1 if ferritin >= 650 else 0,
    )
    total = sum(points)
    return HematotoxScore(total, "high" if total >= 2 else "low", *points)
