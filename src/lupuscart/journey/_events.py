"""The journey's event log: what happened to the patient, when (day 0 = CAR T infusion)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Event:
    """One entry of ``events.csv``: a journey step, a dose, a graded toxicity, a visit score."""

    day: float
    kind: str
    detail: str
    grade: int | None = None
    amount: float | None = None  # a dose given: amount in the compartment's unit (events.csv AMT)
    compartment: str | None = None  # a dose given: the dosed model state (events.csv CMT)


def icans_onset_event(day: float, duration_days: float) -> Event:
    """An ICANS episode starts."""
    return Event(day, "icans_onset", f"ICANS episode, {duration_days:.1f} days")


def crs_grade_event(day: float, grade: int, il6_signalling_pg_ml: float) -> Event:
    """The CRS grade changed."""
    return Event(day, "crs_grade", f"CRS grade {grade} (IL-6 signalling {il6_signalling_pg_ml:.1f} pg/mL)", grade)


def icans_grade_event(day: float, grade: int) -> Event:
    """ICANS graded during an episode."""
    return Event(day, "icans_grade", f"ICANS grade {grade}", grade)


def drug_event(day: float, drug: str, amount_mg: float, reason: str) -> Event:
    """A drug given by the management policy (with its amount and compartment, so events.csv can replay it)."""
    compartment = {"tocilizumab": "toc_central_mg", "dexamethasone": "dex_mg"}.get(drug)
    return Event(day, drug, f"{amount_mg:g} mg for {reason}", None, amount_mg, compartment)


def immunoglobulin_event(day: float, dose_g: float, threshold_g_l: float) -> Event:
    """Immunoglobulin given by the IgG replacement rule (amount in grams into ``ivig_g``, so events.csv can replay
    it)."""
    return Event(day, "immunoglobulin", f"IVIG {dose_g:g} g (IgG below {threshold_g_l:g} g/L)", None, dose_g, "ivig_g")
