"""Numbers of the journey-level processes: ICANS, LICATS, infections and their treatment.

These processes are evaluated by the patient journey (``lupuscart.journey``) at its assessments and on its daily
grid rather than inside the ODEs, but their numbers belong to the one model definition: they carry a unit, a
source and an evidence tag like every other parameter, enter the fingerprint that caches and checkpoints use, and
can be overridden through ``model_parameters`` within their bounds. Hazards are per day unless named otherwise;
a hazard of zero switches its process off.
"""

from __future__ import annotations

from ._spec import Block, Parameter

P = Parameter
BLOCK = Block(
    name="journey",
    description=__doc__ or "",
    parameters=(
        # ICANS from endothelial activation (model.md B4; about 3 % any grade in SLE, almost all grade 1).
        P(
            "icans_hazard_per_activation_day",
            0.15,
            "1/d",
            "ICANS onset hazard per unit endothelial activation (calibrated: about 3 % ICANS in SLE, model.md B4)",
            "modelmd",
            "C",
            lower=0.0,
            upper=15.0,
        ),
        P(
            "ice_drop_per_activation",
            20.0,
            "points",
            "ICE points lost per unit endothelial activation",
            "modelmd",
            "E",
            lower=0.2,
            upper=2000.0,
        ),
        P(
            "icans_median_duration_days",
            3.0,
            "d",
            "median ICANS episode duration",
            "Lee2019",
            "E",
            lower=0.03,
            upper=300.0,
        ),
        # LICATS (Hagen 2025: 54 events in 30/39 patients, median onset day 10, median duration 11 days).
        P(
            "licats_hazard_per_car_t_organ",
            0.0037,
            "uL/cell/d",
            "LICATS hazard per CAR T/uL per involved organ during B-cell aplasia",
            "Hagen2025",
            "C",
            lower=0.0,
            upper=0.37,
        ),
        P(
            "licats_median_duration_days",
            11.0,
            "d",
            "median LICATS duration",
            "Hagen2025",
            "R",
            lower=0.11,
            upper=1100.0,
        ),
        P(
            "licats_hazard_fade_days",
            14.0,
            "d",
            "time constant of the fading LICATS hazard after infusion (half of events in 2 weeks, 20 % after 1 month)",
            "Hagen2025",
            "E",
            lower=1.0,
            upper=1400.0,
        ),
        P(
            "licats_refractory_days",
            21.0,
            "d",
            "days after an event's end before the same organ can flare again",
            "modelmd",
            "E",
            lower=0.21,
            upper=2100.0,
        ),
        P(
            "licats_max_events_per_organ",
            2.0,
            "1",
            "most LICATS events one organ can have (events are local and self-limited)",
            "Hagen2025",
            "E",
            1.0,
            10.0,
        ),
        P(
            "licats_grade2_probability",
            0.30,
            "1",
            "share of LICATS events needing glucocorticoids",
            "Hagen2025",
            "R",
            0.0,
            1.0,
        ),
        P(
            "licats_grade3_probability",
            0.055,
            "1",
            "share of events needing hospitalisation (3 of 54)",
            "Hagen2025",
            "R",
            0.0,
            1.0,
        ),
        # Infections (model.md B5).
        P(
            "infection_rate_per_year",
            0.9,
            "1/y",
            "baseline infection rate after CAR T",
            "Walti2019",
            "R",
            lower=0.0,
            upper=90.0,
        ),
        P(
            "infection_hr_neutropenia",
            10.0,
            "1",
            "hazard ratio while ANC < 0.5e9/L",
            "modelmd",
            "E",
            lower=0.1,
            upper=1000.0,
        ),
        P(
            "infection_hr_hypogammaglobulinaemia",
            2.7,
            "1",
            "hazard ratio while IgG < 6 g/L (JACI 2024 IRR)",
            "modelmd",
            "R",
            lower=0.027,
            upper=270.0,
        ),
        P(
            "infection_hr_steroids",
            2.0,
            "1",
            "hazard ratio while on glucocorticoids",
            "modelmd",
            "E",
            lower=0.02,
            upper=200.0,
        ),
        P(
            "serious_infection_probability",
            0.055,
            "1",
            "share of infections that are serious (pooled 7.6 % of patients in the first year)",
            "modelmd",
            "C",
            0.0,
            1.0,
        ),
        # LICATS treatment.
        P(
            "licats_prednisone_mg_per_day",
            20.0,
            "mg/d",
            "prednisone course for grade-2 LICATS",
            "Hagen2025",
            "E",
            lower=0.2,
            upper=2000.0,
        ),
        P(
            "licats_prednisone_days",
            14.0,
            "d",
            "length of the LICATS prednisone course",
            "Hagen2025",
            "E",
            lower=0.14,
            upper=1400.0,
        ),
    ),
)
