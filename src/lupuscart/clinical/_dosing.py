"""Tocilizumab dose for CRS (ASCO guideline, Santomasso BD et al. J Clin Oncol 2021)."""

from __future__ import annotations

from ._validate import check_real

TOCILIZUMAB_MG_PER_KG = 8.0
TOCILIZUMAB_MAX_MG = 800.0


def tocilizumab_dose_mg(weight_kg: float) -> float:
    """Tocilizumab dose for CRS: 8 mg/kg IV over 1 h, at most 800 mg per dose.

    Parameters
    ----------
    weight_kg : float
        Body weight in kg, in (0, 350].

    Returns
    -------
    float
        Dose in mg. The cap applies from 100 kg on. Repeat q8h if no improvement, at most 3 doses in 24 h
        and 4 in total (not enforced here).

    References
    ----------
    Santomasso BD et al. J Clin Oncol 2021;39:3978–92 (ASCO guideline).

    Examples
    --------
    >>> tocilizumab_dose_mg(70)
    560.0
    >>> tocilizumab_dose_mg(120)
    800.0
    """
    w = check_real("weight_kg", weight_kg, low=0, high=350, low_inclusive=False, unit="kg")
    return min(TOCILIZUMAB_MG_PER_KG * w, TOCILIZUMAB_MAX_MG)
