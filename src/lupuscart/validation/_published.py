"""Published numbers the virtual trial can be compared with, each with its citation, cohort and role.

``role`` says what the number is to the model: ``calibration`` (Mackensen 2022, the calibration set: fitted, so
agreement is expected, not evidence), ``parameter source`` (a number a parameter was set from, e.g. the LICATS
hazard from Hagen 2025: agreement shows the journey reproduces it, it is not independent) or ``validation``
(cohorts kept out of the fit). Counts ``k/n`` are compared through their Wilson 95 % interval; continuous
summaries through a stated relative tolerance, since the cohorts are small and differ from the virtual population
(e.g. Wang 2021 is multiple myeloma, not SLE).

A comparison is a *check* (its disagreement fails ``lupuscart validate``) when the published cohort received what
the suite's arm simulates; otherwise ``not_like_for_like`` says what differs, and the comparison is reported with
its agreement but does not decide the exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["calibration", "parameter source", "validation"]


@dataclass(frozen=True)
class Published:
    """One published number: ``k`` of ``n`` (a proportion) or a ``value`` (with a relative ``tolerance``)."""

    key: str
    arm: str
    endpoint: str
    what: str
    source: str
    cohort: str
    n: int
    role: Role
    k: int | None = None
    value: float | None = None
    tolerance: float = 0.5
    not_like_for_like: str = ""

    @property
    def published(self) -> str:
        """The published number as text (``3/5``, ``386``)."""
        return f"{self.k}/{self.n}" if self.k is not None else f"{self.value:g}"


FENG = (
    "two CAR T products co-infused in a dose-escalation phase 1 (doses not in the abstract); the arm is one "
    "compound BCMA-CD19 product at 1e6/kg after Erlangen lymphodepletion"
)
WANG = "multiple myeloma treated with a BCMA CAR T, not SLE with a BCMA-CD19 product"
P = Published
#: The comparisons of the shipped suite (arm names of ``data/validation_suite.yaml``).
PUBLISHED: tuple[Published, ...] = (
    P(
        "mackensen_doris",
        "cd19_1e6_erlangen",
        "doris_month3_rate",
        "DORIS remission at month 3",
        "Mackensen2022",
        "SLE, CD19 CAR T 1e6/kg",
        5,
        "calibration",
        k=5,
    ),
    P(
        "mackensen_crs",
        "cd19_1e6_erlangen",
        "crs_any_rate",
        "CRS any grade",
        "Mackensen2022",
        "SLE, CD19 CAR T 1e6/kg",
        5,
        "calibration",
        k=3,
    ),
    P(
        "mackensen_crs2",
        "cd19_1e6_erlangen",
        "crs_grade2plus_rate",
        "CRS grade ≥ 2",
        "Mackensen2022",
        "SLE, CD19 CAR T 1e6/kg",
        5,
        "calibration",
        k=0,
    ),
    P(
        "mackensen_b_return",
        "cd19_1e6_erlangen",
        "b_cell_recovery_day_mean",
        "B-cell return day, mean",
        "Mackensen2022",
        "SLE, CD19 CAR T 1e6/kg",
        5,
        "calibration",
        value=110.0,
        tolerance=0.3,
    ),
    P(
        "muller_crs",
        "cd19_1e6_erlangen",
        "crs_any_rate",
        "CRS any grade (10 grade 1, 1 grade 2)",
        "Muller2024",
        "SLE, myositis, systemic sclerosis; CD19 CAR T (5 of the 8 SLE patients are Mackensen's)",
        15,
        "validation",
        k=11,
    ),
    P(
        "muller_crs2",
        "cd19_1e6_erlangen",
        "crs_grade2plus_rate",
        "CRS grade ≥ 2",
        "Muller2024",
        "SLE, myositis, systemic sclerosis; CD19 CAR T",
        15,
        "validation",
        k=1,
    ),
    P(
        "muller_icans",
        "cd19_1e6_erlangen",
        "icans_any_rate",
        "ICANS any grade",
        "Muller2024",
        "SLE, myositis, systemic sclerosis; CD19 CAR T",
        15,
        "validation",
        k=1,
    ),
    P(
        "muller_doris",
        "cd19_1e6_erlangen",
        "doris_month6_rate",
        "DORIS remission (SLE) at month 6",
        "Muller2024",
        "SLE, CD19 CAR T",
        8,
        "validation",
        k=8,
    ),
    P(
        "muller_relapse",
        "cd19_1e6_erlangen",
        "relapse_by_month24_rate",
        "SLE relapse (follow-up to 29 months)",
        "Muller2024",
        "SLE, CD19 CAR T",
        8,
        "validation",
        k=0,
    ),
    P(
        "feng_crs",
        "bcma_cd19_1e6",
        "crs_any_rate",
        "CRS any grade (all grade 1)",
        "Feng2025",
        "SLE, co-infused BCMA and CD19 CAR T",
        15,
        "validation",
        k=13,
        not_like_for_like=FENG,
    ),
    P(
        "feng_crs2",
        "bcma_cd19_1e6",
        "crs_grade2plus_rate",
        "CRS grade ≥ 2",
        "Feng2025",
        "SLE, co-infused BCMA and CD19 CAR T",
        15,
        "validation",
        k=0,
        not_like_for_like=FENG,
    ),
    P(
        "feng_nonresponse",
        "bcma_cd19_1e6",
        "nonresponse_month3_rate",
        "neither DORIS nor LLDAS at week 12",
        "Feng2025",
        "SLE, co-infused BCMA and CD19 CAR T",
        15,
        "validation",
        k=3,
        not_like_for_like=FENG,
    ),
    P(
        "wang_igg",
        "bcma_cd19_1e6",
        "igg_recovery_day_median",
        "IgG recovery day, median",
        "Wang2021",
        "multiple myeloma, BCMA CAR T (tolerance ±50 %)",
        40,
        "validation",
        value=386.0,
        not_like_for_like=WANG,
    ),
    P(
        "hagen_licats",
        "cd19_1e6_erlangen",
        "licats_any_rate",
        "LICATS, any",
        "Hagen2025",
        "SLE, myositis, systemic sclerosis; CD19 CAR T",
        39,
        "parameter source",
        k=30,
    ),
    P(
        "hagen_licats_g3",
        "cd19_1e6_erlangen",
        "licats_grade3plus_rate",
        "LICATS grade 3",
        "Hagen2025",
        "SLE, myositis, systemic sclerosis; CD19 CAR T",
        39,
        "parameter source",
        k=3,
    ),
    P(
        "hagen_licats_events",
        "cd19_1e6_erlangen",
        "licats_events_per_patient_mean",
        "LICATS events per patient",
        "Hagen2025",
        "54 events in 39 patients",
        39,
        "parameter source",
        value=54 / 39,
        tolerance=0.3,
    ),
    P(
        "hagen_licats_onset",
        "cd19_1e6_erlangen",
        "licats_onset_day_median",
        "LICATS onset day, median",
        "Hagen2025",
        "SLE, myositis, systemic sclerosis; CD19 CAR T (median over events)",
        39,
        "parameter source",
        value=10.0,
        tolerance=0.3,
    ),
)
