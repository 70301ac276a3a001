"""Remission, low disease activity and response: DORIS, LLDAS and the SLE Responder Index.

van Vollenhoven RF et al. Lupus Sci Med 2021;8:e000538, doi:10.1136/lupus-2021-000538 (DORIS 2021);
Franklyn K et al. Ann Rheum Dis 2016;75:1615–21, doi:10.1136/annrheumdis-2015-207726 (LLDAS);
Furie RA et al. Arthritis Rheum 2009;61:1143–51, doi:10.1002/art.24698 (SRI).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ._sledai2k import DESCRIPTORS, BoolArray, FloatArray, Sledai2kScore, sledai2k
from ._validate import check_bool, check_choice, check_count, check_real, fail

DORIS_DEFINITIONS: tuple[str, ...] = ("2021", "2017-clinical-on-treatment")
MAJOR_ORGAN_ITEMS: frozenset[str] = frozenset(d.name for d in DESCRIPTORS if d.major_organ)
PGA_MAX = 3.0
DORIS_PREDNISONE_MAX_MG = 5.0
DORIS_2021_PGA_BELOW = 0.5
LLDAS_SLEDAI_MAX = 4
LLDAS_PGA_MAX = 1.0
LLDAS_PREDNISONE_MAX_MG = 7.5
#: Tolerance for the SRI PGA rule so that 0.6 − 0.3 (= 0.2999… in binary) counts as a worsening of 0.3.
_PGA_EPS = 1e-9


@overload
def doris_criteria(clinical_sledai: int, pga: float, prednisone_mg_per_day: float, definition: str) -> bool: ...
@overload
def doris_criteria(
    clinical_sledai: npt.NDArray[Any], pga: FloatArray, prednisone_mg_per_day: FloatArray, definition: str
) -> BoolArray: ...
def doris_criteria(clinical_sledai: Any, pga: Any, prednisone_mg_per_day: Any, definition: str) -> Any:
    """DORIS remission from its criteria, for one visit (numbers) or a table of visits (arrays): the one definition
    that :func:`doris_remission` and :func:`~lupuscart.clinical.score_visits` both evaluate.

    Clinical SLEDAI-2K 0; PGA < 0.5 (``"2021"``) or ≤ 0.5 (``"2017-clinical-on-treatment"``); prednisone
    ≤ 5 mg/day. Inputs are not checked here (the callers do).

    >>> doris_criteria(0, 0.4, 5.0, "2021"), doris_criteria(0, 0.5, 5.0, "2021")
    (True, False)
    """
    pga_ok = pga < DORIS_2021_PGA_BELOW if definition == "2021" else pga <= DORIS_2021_PGA_BELOW
    return (clinical_sledai == 0) & pga_ok & (prednisone_mg_per_day <= DORIS_PREDNISONE_MAX_MG)


@overload
def lldas_criteria(
    *,
    sledai2k_total: int,
    major_organ_activity: bool,
    hemolytic_anemia: bool,
    gi_activity: bool,
    new_features: bool,
    pga: float,
    prednisone_mg_per_day: float,
    standard_maintenance: bool,
) -> bool: ...
@overload
def lldas_criteria(
    *,
    sledai2k_total: npt.NDArray[Any],
    major_organ_activity: BoolArray,
    hemolytic_anemia: BoolArray,
    gi_activity: BoolArray,
    new_features: BoolArray,
    pga: FloatArray,
    prednisone_mg_per_day: FloatArray,
    standard_maintenance: BoolArray,
) -> BoolArray: ...
def lldas_criteria(
    *,
    sledai2k_total: Any,
    major_organ_activity: Any,
    hemolytic_anemia: Any,
    gi_activity: Any,
    new_features: Any,
    pga: Any,
    prednisone_mg_per_day: Any,
    standard_maintenance: Any,
) -> Any:
    """LLDAS from its five criteria (Franklyn 2016), for one visit (numbers) or a table of visits (arrays): the one
    definition that :func:`lldas` and :func:`~lupuscart.clinical.score_visits` both evaluate.

    Inputs are not checked here (the callers do). Booleans are combined with ``==``/``&`` so that Python bools
    and numpy arrays give the same answer.

    >>> lldas_criteria(sledai2k_total=4, major_organ_activity=False, hemolytic_anemia=False, gi_activity=False,
    ...                new_features=False, pga=1.0, prednisone_mg_per_day=7.5, standard_maintenance=True)
    True
    """
    return (
        (sledai2k_total <= LLDAS_SLEDAI_MAX)  # 1. SLEDAI-2K ≤ 4, no major organ, no haemolysis, no GI activity
        & (major_organ_activity == False)  # noqa: E712 - elementwise for arrays, plain for bools
        & (hemolytic_anemia == False)  # noqa: E712
        & (gi_activity == False)  # noqa: E712
        & (new_features == False)  # noqa: E712 - 2. no new feature since the previous assessment
        & (pga <= LLDAS_PGA_MAX)  # 3. PGA ≤ 1
        & (prednisone_mg_per_day <= LLDAS_PREDNISONE_MAX_MG)  # 4. prednisone ≤ 7.5 mg/day
        & (standard_maintenance == True)  # noqa: E712 - 5. standard maintenance drugs and doses
    )


def doris_remission(
    *, clinical_sledai: int, pga: float, prednisone_mg_per_day: float, definition: str = "2021"
) -> bool:
    """DORIS remission in SLE: clinical SLEDAI 0, physician global assessment low, prednisone ≤ 5 mg/day.

    Serology (anti-dsDNA, low C3/C4) is ignored; antimalarials and stable immunosuppressives or biologics
    are allowed. There is no duration component.

    Parameters
    ----------
    clinical_sledai : int
        Clinical SLEDAI-2K (SLEDAI-2K without the serology items), 0–101.
    pga : float
        Physician global assessment on the 0–3 scale.
    prednisone_mg_per_day : float
        Prednisone (or equivalent) in mg/day, ≥ 0.
    definition : {"2021", "2017-clinical-on-treatment"}
        ``"2021"``: PGA < 0.5 (strict). ``"2017-clinical-on-treatment"`` (older DORIS framework): PGA ≤ 0.5.

    Returns
    -------
    bool

    Notes
    -----
    Boundaries: PGA exactly 0.5 fails "2021" and passes "2017-clinical-on-treatment" (van Vollenhoven 2021
    vs the 2017 framework, PMC7719036 Table 1). Prednisone exactly 5 mg/day passes both: the 2021 abstract
    says "5 mg/day or less" (one HTML rendering of Table 2 shows "<5"; the abstract wording is used).
    The 2017 "complete remission" (no serological activity, no glucocorticoids) needs serology and is not
    covered by this signature.

    References
    ----------
    van Vollenhoven RF et al. Lupus Sci Med 2021;8:e000538, doi:10.1136/lupus-2021-000538.

    Examples
    --------
    >>> doris_remission(clinical_sledai=0, pga=0.4, prednisone_mg_per_day=5)
    True
    >>> doris_remission(clinical_sledai=0, pga=0.5, prednisone_mg_per_day=5)
    False
    >>> doris_remission(clinical_sledai=0, pga=0.5, prednisone_mg_per_day=5,
    ...                 definition="2017-clinical-on-treatment")
    True
    """
    csledai = check_count("clinical_sledai", clinical_sledai, high=101)
    g = check_real("pga", pga, low=0, high=PGA_MAX, unit="0–3 scale")
    pred = check_real("prednisone_mg_per_day", prednisone_mg_per_day, low=0, high=2000, unit="mg/day")
    definition = check_choice("definition", definition, DORIS_DEFINITIONS)
    return bool(doris_criteria(csledai, g, pred, definition))


def doris_remission_2021_array(
    clinical_sledai: npt.ArrayLike, pga: npt.ArrayLike, prednisone_mg_per_day: npt.ArrayLike
) -> BoolArray:
    """:func:`doris_remission` (2021 definition) of many visits at once, without input checks (the same
    :func:`doris_criteria`).

    >>> doris_remission_2021_array([0, 0, 2], [0.4, 0.5, 0.0], [5.0, 0.0, 0.0]).tolist()
    [True, False, False]
    """
    c, g, p = (np.asarray(x) for x in (clinical_sledai, pga, prednisone_mg_per_day))
    return np.asarray(doris_criteria(c, g, p, "2021"), dtype=np.bool_)


def lldas(
    visit_or_score: Mapping[str, Any] | Sledai2kScore,
    *,
    pga: float,
    prednisone_mg_per_day: float,
    previous: Mapping[str, Any] | Sledai2kScore | None = None,
    hemolytic_anemia: bool = False,
    gi_activity: bool = False,
    standard_maintenance: bool = True,
) -> bool:
    """Lupus Low Disease Activity State (Franklyn 2016): all five criteria must hold.

    1. SLEDAI-2K ≤ 4 with no activity in a major organ system (CNS and vasculitis, renal, pleurisy or
       pericarditis, fever) and no haemolytic anaemia or gastrointestinal activity;
    2. no new feature of lupus activity compared with the previous assessment;
    3. physician global assessment (0–3) ≤ 1;
    4. prednisone (or equivalent) ≤ 7.5 mg/day;
    5. well-tolerated standard maintenance doses of immunosuppressants and approved biologics (no
       investigational drug).

    Parameters
    ----------
    visit_or_score : mapping or Sledai2kScore
        The visit (fields as for :func:`sledai2k`, scored with the 10-day window) or its score.
    pga : float
        Physician global assessment, 0–3.
    prednisone_mg_per_day : float
        Prednisone-equivalent dose in mg/day.
    previous : mapping or Sledai2kScore, optional
        The previous assessment. A new feature is a SLEDAI-2K descriptor that scores now and did not score
        then. ``None`` (first assessment) means no comparison is possible and criterion 2 counts as met.
    hemolytic_anemia, gi_activity : bool
        Activity outside SLEDAI-2K that criterion 1 excludes.
    standard_maintenance : bool
        Criterion 5: only standard maintenance doses and approved drugs (e.g. HCQ ≤ 400, MMF ≤ 3000 mg/day).

    Returns
    -------
    bool

    Notes
    -----
    Boundaries: SLEDAI-2K exactly 4 passes (serology may supply it: low complement + anti-dsDNA = 4); PGA
    exactly 1.0 passes; prednisone exactly 7.5 mg/day passes. "New features" is operationalised as a new
    SLEDAI-2K descriptor (studies differ; pass a previous score to control it).

    References
    ----------
    Franklyn K et al. Ann Rheum Dis 2016;75:1615–21, doi:10.1136/annrheumdis-2015-207726.

    Examples
    --------
    >>> lldas({"rash": True, "low_complement": True}, pga=1.0, prednisone_mg_per_day=7.5)
    True
    >>> lldas({"rash": True}, pga=0.5, prednisone_mg_per_day=5, previous={"rash": False})
    False
    >>> lldas({"pleurisy": True}, pga=0.5, prednisone_mg_per_day=5)
    False
    """
    now = _as_score("visit_or_score", visit_or_score)
    before = None if previous is None else _as_score("previous", previous)
    g = check_real("pga", pga, low=0, high=PGA_MAX, unit="0–3 scale")
    pred = check_real("prednisone_mg_per_day", prednisone_mg_per_day, low=0, high=2000, unit="mg/day")
    hemolysis = check_bool("hemolytic_anemia", hemolytic_anemia)
    gi = check_bool("gi_activity", gi_activity)
    maintenance = check_bool("standard_maintenance", standard_maintenance)
    return bool(
        lldas_criteria(
            sledai2k_total=now.total,
            major_organ_activity=bool(set(now.items) & MAJOR_ORGAN_ITEMS),
            hemolytic_anemia=hemolysis,
            gi_activity=gi,
            new_features=before is not None and not set(now.items) <= set(before.items),
            pga=g,
            prednisone_mg_per_day=pred,
            standard_maintenance=maintenance,
        )
    )


def _as_score(name: str, value: object) -> Sledai2kScore:
    if isinstance(value, Sledai2kScore):
        return value
    if isinstance(value, Mapping):
        return sledai2k(value)
    raise fail(name, "a visit mapping or a Sledai2kScore", value)


def sri(
    *,
    baseline_sledai: int,
    followup_sledai: int,
    baseline_pga: float,
    followup_pga: float,
    new_bilag_a: int = 0,
    new_bilag_b: int = 0,
    threshold: int = 4,
) -> bool:
    """SLE Responder Index (Furie 2009): SLEDAI reduction ≥ ``threshold``, no new BILAG A, ≤ 1 new BILAG B,
    and no PGA worsening of 0.3 or more.

    Parameters
    ----------
    baseline_sledai, followup_sledai : int
        SLEDAI at baseline and follow-up, 0–105. The original SRI used SELENA-SLEDAI; many trials substitute
        SLEDAI-2K — pass whichever index the study uses, the same at both visits.
    baseline_pga, followup_pga : float
        Physician global assessment, 0–3.
    new_bilag_a, new_bilag_b : int
        Number of new BILAG-2004 A and B domain scores.
    threshold : int
        Required reduction: 4 for SRI-4, 5–8 for SRI-5 … SRI-8.

    Returns
    -------
    bool

    Notes
    -----
    Boundaries: a reduction of exactly ``threshold`` responds; a PGA worsening of 0.29 passes and of exactly
    0.30 fails ("< 0.3 increase"), compared with a 1e-9 tolerance so that binary rounding of e.g. 0.6 − 0.3
    does not turn a 0.3 worsening into a pass.

    References
    ----------
    Furie RA et al. Arthritis Rheum 2009;61:1143–51, doi:10.1002/art.24698.

    Examples
    --------
    >>> sri(baseline_sledai=10, followup_sledai=6, baseline_pga=1.0, followup_pga=1.2)
    True
    >>> sri(baseline_sledai=10, followup_sledai=6, baseline_pga=1.0, followup_pga=1.3)
    False
    """
    base = check_count("baseline_sledai", baseline_sledai, high=105)
    follow = check_count("followup_sledai", followup_sledai, high=105)
    pga0 = check_real("baseline_pga", baseline_pga, low=0, high=PGA_MAX, unit="0–3 scale")
    pga1 = check_real("followup_pga", followup_pga, low=0, high=PGA_MAX, unit="0–3 scale")
    a = check_count("new_bilag_a", new_bilag_a, high=9)
    b = check_count("new_bilag_b", new_bilag_b, high=9)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 105:
        raise fail("threshold", "an integer in [1, 105]", threshold)
    return base - follow >= threshold and a == 0 and b <= 1 and (pga1 - pga0) < 0.3 - _PGA_EPS
