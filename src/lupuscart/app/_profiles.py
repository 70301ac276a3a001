"""Named patient profiles offered by the dashboard (configuration overrides on top of the embedded defaults).

Each profile is a partial configuration in the :func:`lupuscart.journey.load_config` schema; the protocol
(dose, regimen, product, management) is chosen separately on the page.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import InvalidInputError

#: name -> (label, ``patient`` section overrides).
PROFILES: dict[str, tuple[str, dict[str, Any]]] = {
    "nephritis": ("Lupus nephritis with arthritis, SLEDAI-2K 16 (cohort median; default)", {}),
    "mucocutaneous": (
        "Skin, joints and mucosa, little renal involvement",
        {
            "manifestations": {
                "proteinuria_g_24h": 0.2,
                "proteinuria_chronic_g_24h": 0.1,
                "hematuria_rbc_per_hpf": 2.0,
                "arthritis_joints": 8.0,
                "rash": 1.0,
                "alopecia": 1.0,
                "mucosal_ulcers": 1.0,
            }
        },
    ),
    "serositis": (
        "Severe: nephritis, serositis, thrombocytopenia, high anti-dsDNA",
        {
            "anti_dsdna_iu_ml": 800.0,
            "c3_g_l": 0.4,
            "prednisone_mg_per_day": 20.0,
            "pga": 2.5,
            "manifestations": {
                "proteinuria_g_24h": 3.0,
                "pleurisy": 1.0,
                "pericarditis": 1.0,
                "platelets_10e9_l": 80.0,
                "fever_c": 1.0,
            },
        },
    ),
    "small_renal_impaired": (
        "Small patient (50 kg) with reduced kidney function (eGFR 40 mL/min)",
        {"weight_kg": 50.0, "height_cm": 155.0, "age_years": 35.0, "egfr_ml_min": 40.0},
    ),
}


def protocol_config(
    profile: str,
    *,
    dose_million_per_kg: float,
    regimen: str,
    product: str,
    tocilizumab: str,
) -> dict[str, Any]:
    """The configuration mapping for a profile and a protocol choice (validated later by ``load_config``).

    Examples
    --------
    >>> from lupuscart.journey import load_config
    >>> cfg = protocol_config("serositis", dose_million_per_kg=2, regimen="erlangen", product="cd19",
    ...                       tocilizumab="prophylactic")
    >>> load_config(cfg).product.dose_per_kg
    2000000.0
    """
    if profile not in PROFILES:
        raise InvalidInputError(f"The patient profile must be one of {sorted(PROFILES)}. Got {profile!r} instead.")
    return {
        "patient": PROFILES[profile][1],
        "product": {"name": product, "dose_per_kg": float(dose_million_per_kg) * 1e6},
        "lymphodepletion": {"regimen": regimen},
        "management": {"tocilizumab": tocilizumab},
    }
