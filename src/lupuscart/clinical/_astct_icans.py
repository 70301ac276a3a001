"""ICE score and ASTCT ICANS grade for adults (Lee DW et al. Biol Blood Marrow Transplant 2019;25:625–38,
doi:10.1016/j.bbmt.2018.12.758)."""

from __future__ import annotations

from ._validate import check_bool, check_choice, check_count, fail

CONSCIOUSNESS_GRADE: dict[str, int] = {
    "alert": 0,
    "awakens_spontaneously": 1,
    "awakens_to_voice": 2,
    "awakens_to_touch": 3,
    "unarousable": 4,
}
SEIZURE_GRADE: dict[str, int] = {"none": 0, "rapidly_resolving": 3, "prolonged": 4}
CEREBRAL_EDEMA_GRADE: dict[str, int] = {"none": 0, "focal": 3, "diffuse": 4}


def ice_score(*, orientation: int, naming: int, follows_commands: bool, writing: bool, attention: bool) -> int:
    """Immune effector Cell-associated Encephalopathy (ICE) score, 0–10 (10 = normal).

    Parameters
    ----------
    orientation : int
        Correct answers for year, month, city, hospital (0–4).
    naming : int
        Objects named (0–3).
    follows_commands, writing, attention : bool
        Follows simple commands; writes a standard sentence; counts backwards from 100 by 10 (1 point each).

    Returns
    -------
    int

    References
    ----------
    Lee DW et al. Biol Blood Marrow Transplant 2019;25:625–38, doi:10.1016/j.bbmt.2018.12.758.

    Examples
    --------
    >>> ice_score(orientation=4, naming=3, follows_commands=True, writing=True, attention=True)
    10
    >>> ice_score(orientation=3, naming=2, follows_commands=True, writing=False, attention=True)
    7
    """
    o = check_count("orientation", orientation, high=4)
    n = check_count("naming", naming, high=3)
    f = check_bool("follows_commands", follows_commands)
    w = check_bool("writing", writing)
    a = check_bool("attention", attention)
    return o + n + int(f) + int(w) + int(a)


def icans_grade(
    *,
    ice: int | None,
    consciousness: str = "alert",
    seizure: str = "none",
    motor_weakness: bool = False,
    cerebral_edema: str = "none",
) -> int:
    """ASTCT ICANS grade for adults, 0–4: the most severe of five domains not attributable to another cause.

    Parameters
    ----------
    ice : int or None
        ICE score 0–10: 7–9 → grade 1, 3–6 → 2, 0–2 → 3. ``None`` = not assessable, allowed only with
        depressed consciousness (an unarousable patient is grade 4 through the consciousness domain).
    consciousness : str
        ``alert``; ``awakens_spontaneously`` (1); ``awakens_to_voice`` (2); ``awakens_to_touch`` (3);
        ``unarousable`` (4, incl. stupor/coma or vigorous repetitive stimuli needed). Not due to sedation.
    seizure : str
        ``none``; ``rapidly_resolving`` (any clinical or EEG seizure resolving rapidly/with intervention, 3);
        ``prolonged`` (> 5 min, or repetitive without return to baseline, 4).
    motor_weakness : bool
        Deep focal motor weakness (hemiparesis, paraparesis) → 4.
    cerebral_edema : str
        ``none``; ``focal`` (3); ``diffuse`` (or posturing, CN VI palsy, papilloedema, Cushing's triad, 4).

    Returns
    -------
    int

    Notes
    -----
    Boundaries: ICE 10 alone → 0; 9 and 7 → 1; 6 and 3 → 2; 2 and 0 → 3. ICE 0 in an awake patient (global
    aphasia) → 3; unarousable → 4. ``ice=None`` with ``consciousness="alert"`` is refused rather than
    guessed (give ``ice=0`` for an awake patient who cannot do the test). Tremor and myoclonus are CTCAE,
    intracranial haemorrhage is not ICANS. Age < 12 years uses CAPD, not covered here.

    References
    ----------
    Lee DW et al. Biol Blood Marrow Transplant 2019;25:625–38, doi:10.1016/j.bbmt.2018.12.758.

    Examples
    --------
    >>> icans_grade(ice=8)
    1
    >>> icans_grade(ice=8, consciousness="awakens_to_voice")
    2
    >>> icans_grade(ice=None, consciousness="unarousable")
    4
    """
    level = check_choice("consciousness", consciousness, tuple(CONSCIOUSNESS_GRADE))
    if ice is None:
        if level == "alert":
            raise fail("ice", "an ICE score 0–10 when the patient is alert (None only if not arousable)", ice)
        ice_grade = 0
    else:
        score = check_count("ice", ice, high=10)
        ice_grade = 0 if score == 10 else 1 if score >= 7 else 2 if score >= 3 else 3
    seizure_grade = SEIZURE_GRADE[check_choice("seizure", seizure, tuple(SEIZURE_GRADE))]
    motor_grade = 4 if check_bool("motor_weakness", motor_weakness) else 0
    edema = check_choice("cerebral_edema", cerebral_edema, tuple(CEREBRAL_EDEMA_GRADE))
    return max(ice_grade, CONSCIOUSNESS_GRADE[level], seizure_grade, motor_grade, CEREBRAL_EDEMA_GRADE[edema])
