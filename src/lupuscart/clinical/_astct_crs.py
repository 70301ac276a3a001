"""ASTCT consensus grading of cytokine release syndrome (Lee DW et al. Biol Blood Marrow Transplant
2019;25:625–38, doi:10.1016/j.bbmt.2018.12.758)."""

from __future__ import annotations

from collections.abc import Sequence

from ._validate import check_bool, check_choice, check_real, fail

#: Vasopressors recognised by name; vasopressin never counts toward "multiple vasopressors".
VASOPRESSORS: tuple[str, ...] = (
    "norepinephrine",
    "epinephrine",
    "phenylephrine",
    "dopamine",
    "vasopressin",
    "angiotensin_ii",
)
#: Oxygen device → hypoxia grade (the nasal cannula depends on flow, see :func:`crs_grade`).
OXYGEN_GRADE: dict[str, int] = {
    "none": 0,
    "nasal_cannula": 2,
    "blow_by": 2,
    "high_flow_nasal_cannula": 3,
    "facemask": 3,
    "non_rebreather": 3,
    "venturi": 3,
    "cpap": 4,
    "bipap": 4,
    "mechanical_ventilation": 4,
}
LOW_FLOW_MAX_L_PER_MIN = 6.0
FEVER_C = 38.0


def crs_grade(
    *,
    temperature_c: float,
    hypotension: bool = False,
    vasopressors: Sequence[str] = (),
    oxygen: str = "none",
    oxygen_l_per_min: float = 0.0,
    anticytokine_or_antipyretic_given: bool = False,
) -> int:
    """ASTCT consensus CRS grade (Lee 2019), 0–4.

    Grade is driven by the worse of hypotension and hypoxia in a patient with fever ≥ 38.0 °C; fever is no
    longer required once antipyretics or anti-cytokine therapy (tocilizumab, steroids) have been given.
    Grade 5 (death) is an outcome and is not computed from vitals.

    Parameters
    ----------
    temperature_c : float
        Highest temperature in °C (25–45).
    hypotension : bool
        Hypotension needing fluids (without vasopressors) — grade 2.
    vasopressors : sequence of str
        Vasopressor drugs running, from ``VASOPRESSORS``. One vasopressor (± vasopressin) → grade 3; two or
        more *excluding vasopressin* → grade 4. Vasopressors imply hypotension.
    oxygen : str
        Device: ``none``; ``nasal_cannula`` (≤ 6 L/min) or ``blow_by`` → grade 2; nasal cannula > 6 L/min,
        ``high_flow_nasal_cannula``, ``facemask``, ``non_rebreather``, ``venturi`` → grade 3; ``cpap``,
        ``bipap``, ``mechanical_ventilation`` → grade 4.
    oxygen_l_per_min : float
        Oxygen flow in L/min (only decides low vs high flow for a nasal cannula; must be 0 with no device).
    anticytokine_or_antipyretic_given : bool
        Fever is then not required.

    Returns
    -------
    int
        0 (no CRS) to 4.

    Notes
    -----
    Boundaries: fever is ≥ 38.0 °C (ASTCT; unlike the SLEDAI-2K fever item, which is > 38 °C); a nasal
    cannula at exactly 6 L/min is low flow (grade 2), above 6 is high flow (grade 3) — some tools use
    "≥ 6 L/min" for high flow, which ASTCT does not; vasopressin alone counts as one vasopressor (grade 3)
    and never makes "multiple"; the device, not the flow, decides for masks (a Venturi mask at low flow is
    grade 3). A patient without fever after tocilizumab and without hypotension or hypoxia is grade 0.
    Organ toxicities (CTCAE) do not change the CRS grade. Oxygen "for comfort" should be entered as ``none``.

    References
    ----------
    Lee DW et al. Biol Blood Marrow Transplant 2019;25:625–38, doi:10.1016/j.bbmt.2018.12.758.

    Examples
    --------
    >>> crs_grade(temperature_c=38.5)
    1
    >>> crs_grade(temperature_c=38.5, vasopressors=["norepinephrine"], oxygen="nasal_cannula",
    ...           oxygen_l_per_min=2)
    3
    >>> crs_grade(temperature_c=38.5, vasopressors=["norepinephrine", "vasopressin"])
    3
    >>> crs_grade(temperature_c=37.0, oxygen="bipap", anticytokine_or_antipyretic_given=True)
    4
    """
    t = check_real("temperature_c", temperature_c, low=25, high=45, unit="°C", hint="; not °F")
    hypo = check_bool("hypotension", hypotension)
    if isinstance(vasopressors, str) or not isinstance(vasopressors, Sequence):
        raise fail("vasopressors", f"a sequence of names from {list(VASOPRESSORS)}", vasopressors)
    drugs = {check_choice("vasopressors", v, VASOPRESSORS) for v in vasopressors}
    device = check_choice("oxygen", oxygen, tuple(OXYGEN_GRADE))
    flow = check_real("oxygen_l_per_min", oxygen_l_per_min, low=0, high=80, unit="L/min")
    if device == "none" and flow > 0:
        raise fail("oxygen_l_per_min", "0 when oxygen is 'none' (name the device)", oxygen_l_per_min)
    treated = check_bool("anticytokine_or_antipyretic_given", anticytokine_or_antipyretic_given)

    pressors = len(drugs - {"vasopressin"})
    if pressors >= 2:
        hypotension_grade = 4
    elif drugs:
        hypotension_grade = 3
    else:
        hypotension_grade = 2 if hypo else 0
    hypoxia_grade = OXYGEN_GRADE[device]
    if device == "nasal_cannula" and flow > LOW_FLOW_MAX_L_PER_MIN:
        hypoxia_grade = 3
    if t < FEVER_C and not treated:
        return 0
    return max(1 if t >= FEVER_C else 0, hypotension_grade, hypoxia_grade)
