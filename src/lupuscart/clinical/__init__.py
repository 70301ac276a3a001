"""Clinical instruments: score real and virtual patients with the same code.

Disease activity and response (SLEDAI-2K, DORIS, LLDAS, SRI), CAR T toxicity grading (ASTCT CRS, ICE,
ICANS, CTCAE v5 haematology, LICATS, CAR-HEMATOTOX) and tocilizumab dosing, as defined in
``docs/clinical-instruments.md``. Every function validates its inputs and raises
:class:`~lupuscart.exceptions.InvalidInputError` (a :class:`ValueError`) naming the field, what is allowed and
what came in. :func:`score_visits` scores a whole table of visits with the same declarations, vectorised.
"""

from __future__ import annotations

from ._astct_crs import crs_grade as crs_grade
from ._astct_icans import icans_grade as icans_grade
from ._astct_icans import ice_score as ice_score
from ._ctcae import ctcae_grade as ctcae_grade
from ._dosing import tocilizumab_dose_mg as tocilizumab_dose_mg
from ._flare import drug_free_remission as drug_free_remission
from ._flare import first_flare as first_flare
from ._hematotox import HematotoxScore as HematotoxScore
from ._hematotox import car_hematotox as car_hematotox
from ._licats import licats_grade as licats_grade
from ._licats import licats_steroid_indicated as licats_steroid_indicated
from ._licats import licats_timing as licats_timing
from ._remission import doris_remission as doris_remission
from ._remission import doris_remission_2021_array as doris_remission_2021_array
from ._remission import lldas as lldas
from ._remission import sri as sri
from ._sledai2k import DESCRIPTOR_NAMES as DESCRIPTOR_NAMES
from ._sledai2k import DESCRIPTORS as DESCRIPTORS
from ._sledai2k import MEASUREMENT_RULES as MEASUREMENT_RULES
from ._sledai2k import Sledai2kScore as Sledai2kScore
from ._sledai2k import Sledai2kTable as Sledai2kTable
from ._sledai2k import sledai2k as sledai2k
from ._sledai2k import sledai2k_table as sledai2k_table
from ._visit_cells import VISIT_COLUMNS as VISIT_COLUMNS
from ._visit_csv import read_visits_csv as read_visits_csv
from ._visit_csv import score_visits_csv as score_visits_csv
from ._visit_csv import scored_csv_text as scored_csv_text
from ._visit_table import score_visits as score_visits

__all__ = [
    "DESCRIPTORS",
    "DESCRIPTOR_NAMES",
    "MEASUREMENT_RULES",
    "VISIT_COLUMNS",
    "HematotoxScore",
    "Sledai2kScore",
    "Sledai2kTable",
    "car_hematotox",
    "crs_grade",
    "ctcae_grade",
    "doris_remission",
    "doris_remission_2021_array",
    "drug_free_remission",
    "first_flare",
    "icans_grade",
    "ice_score",
    "licats_grade",
    "licats_steroid_indicated",
    "licats_timing",
    "lldas",
    "read_visits_csv",
    "score_visits",
    "score_visits_csv",
    "scored_csv_text",
    "sledai2k",
    "sledai2k_table",
    "sri",
    "tocilizumab_dose_mg",
]
