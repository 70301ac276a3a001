"""LICATS: local immune effector cell-associated toxicity syndrome after CD19 CAR T cells in autoimmune
disease (Hagen M et al. Lancet Rheumatol 2025, doi:10.1016/S2665-9913(25)00091-8, PMID 40318690)."""

from __future__ import annotations

from ._validate import check_bool, check_real, fail

STEROID_DURATION_DAYS = 7.0
EARLY_MAX_DAYS = 14.0
INTERMEDIATE_MAX_DAYS = 30.0


def licats_grade(*, resolved_spontaneously: bool, glucocorticoids: bool, hospitalized: bool, icu: bool) -> int:
    """LICATS severity grade 1–4 from the management the event actually received.

    1: spontaneous resolution; 2: glucocorticoid treatment; 3: prolonged or new hospitalisation;
    4: intensive-care treatment. The most intensive management decides.

    Parameters
    ----------
    resolved_spontaneously, glucocorticoids, hospitalized, icu : bool
        What happened. An event that has neither resolved nor needed treatment yet is graded 1 (provisional).

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        If an event is said to resolve spontaneously *and* to have received glucocorticoids.

    Notes
    -----
    The grade follows the treatment given, not its indication; the indication for grade 2 (symptoms
    lasting more than one week, or relevant inner-organ involvement) is :func:`licats_steroid_indicated`.

    References
    ----------
    Hagen M et al. Lancet Rheumatol 2025, doi:10.1016/S2665-9913(25)00091-8.

    Examples
    --------
    >>> licats_grade(resolved_spontaneously=True, glucocorticoids=False, hospitalized=False, icu=False)
    1
    >>> licats_grade(resolved_spontaneously=False, glucocorticoids=True, hospitalized=True, icu=False)
    3
    """
    spontaneous = check_bool("resolved_spontaneously", resolved_spontaneously)
    steroids = check_bool("glucocorticoids", glucocorticoids)
    hospital = check_bool("hospitalized", hospitalized)
    intensive = check_bool("icu", icu)
    if spontaneous and steroids:
        raise fail("resolved_spontaneously", "False when glucocorticoids were given", resolved_spontaneously)
    if intensive:
        return 4
    if hospital:
        return 3
    return 2 if steroids else 1


def licats_steroid_indicated(*, symptom_days: float, inner_organ_involvement: bool) -> bool:
    """Whether a LICATS event meets the grade-2 indication: symptoms lasting more than one week, or relevant
    inner-organ involvement.

    Notes
    -----
    Boundary: "lasting > 1 week" is strict, so exactly 7 days does not indicate glucocorticoids (the event
    stays grade 1 unless an inner organ is involved); 7.5 days does.

    References
    ----------
    Hagen M et al. Lancet Rheumatol 2025, doi:10.1016/S2665-9913(25)00091-8.

    Examples
    --------
    >>> licats_steroid_indicated(symptom_days=7, inner_organ_involvement=False)
    False
    >>> licats_steroid_indicated(symptom_days=8, inner_organ_involvement=False)
    True
    """
    days = check_real("symptom_days", symptom_days, low=0, high=3650, unit="days")
    organ = check_bool("inner_organ_involvement", inner_organ_involvement)
    return days > STEROID_DURATION_DAYS or organ


def licats_timing(onset_day: float) -> str:
    """LICATS timing class from the onset day after CAR T cell infusion (day 0).

    ``early`` ≤ 14 days (2 weeks), ``intermediate`` > 14 to ≤ 30 days (1 month), ``late`` > 30 days.

    Notes
    -----
    Boundaries: day 14 is early, 14.5 intermediate; day 30 is intermediate, 30.5 late ("1 month" = 30 days).
    A negative onset day (before infusion) is refused: LICATS occurs during B-cell aplasia.

    References
    ----------
    Hagen M et al. Lancet Rheumatol 2025, doi:10.1016/S2665-9913(25)00091-8.

    Examples
    --------
    >>> licats_timing(10)
    'early'
    >>> licats_timing(30)
    'intermediate'
    >>> licats_timing(45)
    'late'
    """
    day = check_real("onset_day", onset_day, low=0, high=3650, unit="days after infusion")
    if day <= EARLY_MAX_DAYS:
        return "early"
    return "intermediate" if day <= INTERMEDIATE_MAX_DAYS else "late"
