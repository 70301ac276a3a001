"""Registry of every clinical instrument, for the common bad-input sweeps in ``test_common.py``.

Adding an instrument means one entry here: a valid call, and for each argument the bad values it must refuse.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lupuscart import clinical

NAN = math.nan


@dataclass(frozen=True)
class Instrument:
    name: str
    func: Callable[..., Any]
    valid: dict[str, Any]
    #: argument → values that must raise InvalidInputError naming the argument
    bad: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    positional: tuple[Any, ...] = ()


ALL_INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument(
        "sledai2k",
        clinical.sledai2k,
        {"arthritis_joints": 3, "rash": True, "temperature_c": 37.0},
        {
            "arthritis_joints": (-1, 2.5, "3", True, NAN),
            "rash": ("yes", 1, NAN),
            "temperature_c": (NAN, math.inf, "38", 101.0),
            "platelets_10e9_per_l": (-5.0, 150000.0),
            "proteinuria_g_per_24h": (500.0,),
            "window_days": (7, "10", True),
            "not_due_to_sle": (["sunburn"], "fever"),
            "days_since": ({"rash": -1}, {"freckles": 1}, [1]),
            "unknown_descriptor": (True,),
        },
    ),
    Instrument(
        "doris_remission",
        clinical.doris_remission,
        {"clinical_sledai": 0, "pga": 0.2, "prednisone_mg_per_day": 5.0},
        {
            "clinical_sledai": (-1, 0.5, "0", NAN),
            "pga": (NAN, -0.1, 3.5, "low"),
            "prednisone_mg_per_day": (NAN, -1.0),
            "definition": ("2017", 2021),
        },
    ),
    Instrument(
        "lldas",
        clinical.lldas,
        {"pga": 1.0, "prednisone_mg_per_day": 7.5},
        {
            "pga": (NAN, 4.0),
            "prednisone_mg_per_day": (NAN, -2.0),
            "hemolytic_anemia": ("no", NAN),
            "gi_activity": (0,),
            "standard_maintenance": (None,),
            "previous": (42,),
        },
        positional=({"rash": True},),
    ),
    Instrument(
        "sri",
        clinical.sri,
        {"baseline_sledai": 10, "followup_sledai": 4, "baseline_pga": 1.0, "followup_pga": 1.0},
        {
            "baseline_sledai": (-1, 106, NAN),
            "followup_sledai": (2.5,),
            "baseline_pga": (NAN, 3.1),
            "followup_pga": ("1",),
            "new_bilag_a": (-1,),
            "new_bilag_b": (NAN,),
            "threshold": (0, 4.5, True),
        },
    ),
    Instrument(
        "crs_grade",
        clinical.crs_grade,
        {"temperature_c": 38.5},
        {
            "temperature_c": (NAN, 101.0, "hot"),
            "hypotension": ("yes",),
            "vasopressors": ("norepinephrine", ["noradrenaline"], [1]),
            "oxygen": ("mask", "", None),
            "oxygen_l_per_min": (NAN, -1.0),
            "anticytokine_or_antipyretic_given": (1,),
        },
    ),
    Instrument(
        "ice_score",
        clinical.ice_score,
        {"orientation": 4, "naming": 3, "follows_commands": True, "writing": True, "attention": True},
        {
            "orientation": (5, -1, 2.5, NAN),
            "naming": (4,),
            "follows_commands": (1,),
            "writing": ("yes",),
            "attention": (None,),
        },
    ),
    Instrument(
        "icans_grade",
        clinical.icans_grade,
        {"ice": 10},
        {
            "ice": (11, -1, 7.5, NAN, "9"),
            "consciousness": ("drowsy",),
            "seizure": ("brief",),
            "motor_weakness": ("left",),
            "cerebral_edema": ("global",),
        },
    ),
    Instrument(
        "ctcae_grade",
        clinical.ctcae_grade,
        {"lln": 2.0},
        {"lln": (NAN, -1.0, 1.0)},
        positional=("neutrophil_count_decreased", 1.0),
    ),
    Instrument(
        "licats_grade",
        clinical.licats_grade,
        {"resolved_spontaneously": True, "glucocorticoids": False, "hospitalized": False, "icu": False},
        {"glucocorticoids": (1, NAN), "hospitalized": ("no",), "icu": (None,), "resolved_spontaneously": (0,)},
    ),
    Instrument(
        "licats_steroid_indicated",
        clinical.licats_steroid_indicated,
        {"symptom_days": 3.0, "inner_organ_involvement": False},
        {"symptom_days": (NAN, -1.0), "inner_organ_involvement": ("kidney",)},
    ),
    Instrument(
        "car_hematotox",
        clinical.car_hematotox,
        {
            "platelets_10e9_per_l": 150.0,
            "anc_10e9_per_l": 2.0,
            "hemoglobin_g_per_dl": 12.0,
            "crp_mg_per_dl": 0.5,
            "ferritin_ng_per_ml": 300.0,
        },
        {
            "platelets_10e9_per_l": (NAN, -1.0),
            "anc_10e9_per_l": ("2",),
            "hemoglobin_g_per_dl": (120.0,),
            "crp_mg_per_dl": (NAN,),
            "ferritin_ng_per_ml": (-5.0,),
        },
    ),
    Instrument(
        "tocilizumab_dose_mg",
        clinical.tocilizumab_dose_mg,
        {"weight_kg": 70.0},
        {"weight_kg": (0.0, NAN, -70.0, "70", 700.0)},
    ),
)
