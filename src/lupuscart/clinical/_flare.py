"""Flares and drug-free remission over a patient's visits.

A *flare* is a clinically meaningful rise in disease activity: a clinical SLEDAI-2K rise of at least 4 points over
the previous visit, or, once the patient has been in DORIS remission, clinical SLEDAI-2K of 4 or more. Four points
is the change the SLE Responder Index treats as clinically meaningful (SRI-4, Furie 2009); the rule itself is a
lupuscart convention (evidence tag E), not a published flare index. Early visits are not judged (``after_day``),
because activity is still settling after treatment. *Drug-free remission* at a visit is DORIS remission with no
glucocorticoid at all and no flare up to that visit — the endpoint of the SLE CAR T case series (Mackensen 2022,
Müller 2024), where immunosuppressants were stopped before treatment.

References
----------
Furie RA et al. Novel evidence-based systemic lupus erythematosus responder index. Arthritis Rheum
2009;61:1143-51, doi:10.1002/art.24698. van Vollenhoven RF et al. DORIS definition of remission. Lupus Sci Med
2021;8:e000538, doi:10.1136/lupus-2021-000538.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._validate import check_count, check_real, fail

#: Clinical SLEDAI-2K rise over the previous visit that is a flare (the SRI-4 meaningful change; convention, E).
FLARE_RISE_POINTS = 4
#: Clinical SLEDAI-2K that is a flare once DORIS remission has been reached.
FLARE_AFTER_REMISSION_POINTS = 4
#: Visits on or before this day after treatment are not judged for flares (activity still settling).
FLARE_JUDGED_AFTER_DAY = 90.0


def first_flare(
    days: Sequence[float],
    clinical_sledai: Sequence[int],
    doris: Sequence[bool],
    *,
    after_day: float = FLARE_JUDGED_AFTER_DAY,
) -> int | None:
    """Index of the first visit that is a flare, or ``None``.

    Parameters
    ----------
    days : sequence of float
        Visit days, increasing (day 0 = treatment).
    clinical_sledai : sequence of int
        Clinical SLEDAI-2K at each visit (0-101).
    doris : sequence of bool
        DORIS remission at each visit, as scored before any flare (remission at an earlier visit makes a
        clinical SLEDAI-2K ≥ 4 a flare).
    after_day : float
        Only visits after this day can be flares.

    Examples
    --------
    >>> first_flare([0, 90, 180, 365], [16, 0, 0, 6], [False, True, True, False])
    3
    >>> first_flare([0, 90, 180], [16, 2, 4], [False, False, False]) is None  # rise of 2 only
    True
    """
    n = len(days)
    if len(clinical_sledai) != n or len(doris) != n:
        raise fail(
            "clinical_sledai", "one value per visit day", f"{len(clinical_sledai)} and {len(doris)} for {n} days"
        )
    remission_seen = False
    for k in range(n):
        day = check_real("days", days[k])
        score = check_count("clinical_sledai", clinical_sledai[k], high=101)
        if k and day <= days[k - 1]:
            raise fail("days", "increasing visit days", f"{days[k - 1]} then {day}")
        if k and day > after_day:
            rise = score - int(clinical_sledai[k - 1])
            if rise >= FLARE_RISE_POINTS or (remission_seen and score >= FLARE_AFTER_REMISSION_POINTS):
                return k
        remission_seen = remission_seen or bool(doris[k])
    return None


def drug_free_remission(*, doris: bool, prednisone_mg_per_day: float, flared: bool) -> bool:
    """Drug-free remission at a visit: DORIS remission, no glucocorticoid, and no flare up to this visit.

    Examples
    --------
    >>> drug_free_remission(doris=True, prednisone_mg_per_day=0.0, flared=False)
    True
    >>> drug_free_remission(doris=True, prednisone_mg_per_day=2.5, flared=False)  # DORIS allows ≤ 5 mg
    False
    """
    pred = check_real("prednisone_mg_per_day", prednisone_mg_per_day, low=0, high=2000, unit="mg/day")
    return bool(doris) and pred == 0 and not flared
