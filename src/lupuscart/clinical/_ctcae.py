"""CTCAE v5.0 grades for the haematology terms used after CAR T cell therapy (NCI, 27 Nov 2017)."""

from __future__ import annotations

from dataclasses import dataclass

from ._validate import check_choice, check_real, fail


@dataclass(frozen=True)
class CtcaeTerm:
    """Grade thresholds of one term: grade g+1 when the value is below ``bounds[g]`` (g = 0 is the G2 bound).

    ``bounds`` holds the upper limits of grades 2, 3, 4 (G1 is ``< LLN`` down to the G2 bound inclusive).
    ``default_lln`` is used only when the lab's LLN is not given; ``high`` catches unit mix-ups.
    """

    name: str
    unit: str
    bounds: tuple[float, ...]
    default_lln: float
    high: float
    hint: str


#: CTCAE v5.0 "<A – B" bands: below A down to B inclusive. Default LLNs are typical adult reference limits
#: (an assumption, not CTCAE; pass the lab's own ``lln``).
TERMS: dict[str, CtcaeTerm] = {
    t.name: t
    for t in (
        CtcaeTerm("neutrophil_count_decreased", "×10⁹/L", (1.5, 1.0, 0.5), 1.8, 200, "; ×10⁹/L, not /µL"),
        CtcaeTerm("platelet_count_decreased", "×10⁹/L", (75.0, 50.0, 25.0), 150.0, 5000, "; ×10⁹/L, not /µL"),
        CtcaeTerm("white_blood_cell_decreased", "×10⁹/L", (3.0, 2.0, 1.0), 4.0, 500, "; ×10⁹/L, not /µL"),
        CtcaeTerm("lymphocyte_count_decreased", "×10⁹/L", (0.8, 0.5, 0.2), 1.0, 500, "; ×10⁹/L, not /µL"),
        CtcaeTerm("anemia", "g/dL", (10.0, 8.0), 12.0, 25, "; haemoglobin is in g/dL (divide g/L by 10)"),
    )
}


def ctcae_grade(term: str, value: float, *, lln: float | None = None) -> int:
    """CTCAE v5.0 grade of a decreased blood count.

    Parameters
    ----------
    term : str
        ``neutrophil_count_decreased``, ``platelet_count_decreased``, ``white_blood_cell_decreased``,
        ``lymphocyte_count_decreased`` (value in ×10⁹/L) or ``anemia`` (haemoglobin in g/dL).
    value : float
        The measured count or haemoglobin.
    lln : float, optional
        The laboratory's lower limit of normal, same unit; must be above the grade-2 bound. Default: a typical
        adult LLN (ANC 1.8, platelets 150, WBC 4.0, lymphocytes 1.0 ×10⁹/L; Hb 12.0 g/dL).

    Returns
    -------
    int
        0 when ``value >= lln``; otherwise 1–4 (``anemia`` at most 3: grade 4 needs a clinical judgement,
        "life-threatening", that a number cannot carry).

    Notes
    -----
    "<A – B" means below A down to B inclusive, so a value exactly on a bound takes the milder grade:
    ANC 1.5 → 1, 1.0 → 2, 0.5 → 3, 0.49 → 4; platelets 75 → 1, 50 → 2, 25 → 3; WBC 3.0 → 1, 2.0 → 2,
    1.0 → 3; lymphocytes 0.8 → 1, 0.5 → 2, 0.2 → 3; Hb 10.0 → 1, 8.0 → 2, 7.9 → 3.

    References
    ----------
    National Cancer Institute. Common Terminology Criteria for Adverse Events v5.0, 27 Nov 2017.

    Examples
    --------
    >>> ctcae_grade("neutrophil_count_decreased", 0.4)
    4
    >>> ctcae_grade("neutrophil_count_decreased", 1.5, lln=2.0)
    1
    >>> ctcae_grade("anemia", 9.5)
    2
    """
    spec = TERMS[check_choice("term", term, tuple(TERMS))]
    x = check_real("value", value, low=0, high=spec.high, unit=spec.unit, hint=spec.hint)
    if lln is None:
        limit = spec.default_lln
    else:
        limit = check_real("lln", lln, low=0, high=spec.high, low_inclusive=False, unit=spec.unit)
        if limit <= spec.bounds[0]:
            raise fail("lln", f"above the grade-2 bound {spec.bounds[0]:g} {spec.unit} for {term}", lln)
    if x >= limit:
        return 0
    return 1 + sum(x < bound for bound in spec.bounds)
