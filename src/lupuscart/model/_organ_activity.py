"""Organ-level lupus activity and the clinical readouts that SLEDAI-2K scores (model.md B1).

Each organ's activity (1 = pre-treatment active disease) relaxes towards the immune-complex feedback relative to
baseline, at its own resolution rate: skin and serosa heal in weeks, glomeruli in months. A patient's baseline
manifestation profile (which organs are involved and how severely) turns activity into readouts: proteinuria and
urine sediment, active joints, rash, alopecia, ulcers, pleurisy, pericarditis, platelets and fever. Chronic damage
(scarred glomeruli) leaves residual proteinuria that the immune reset cannot remove. Binary manifestations are
scored as present when severity × activity exceeds one half (lupuscart's convention, documented in
``journey/_visits.py``).
"""

from __future__ import annotations

from ._spec import Block, Expression, Observable, Parameter, State

P = Parameter


def _organ(name: str, rate_per_day: float, what: str) -> tuple[Parameter, State]:
    return (
        P(
            f"{name}_resolution_per_day",
            rate_per_day,
            "1/d",
            f"resolution rate of {what} activity",
            "modelmd",
            "C",
            lower=rate_per_day / 100,
            upper=rate_per_day * 100,
        ),
        State(
            f"{name}_activity",
            "1",
            f"{what} lupus activity (1 = baseline active disease)",
            f"{name}_resolution_per_day*(organ_drive - {name}_activity)",
            "1",
            0.01,
        ),
    )


_ORGANS = (
    _organ("renal", 0.035, "renal (glomerular)"),
    _organ("mucocutaneous", 0.1, "mucocutaneous"),
    _organ("musculoskeletal", 0.08, "musculoskeletal"),
    _organ("serosal", 0.15, "serosal"),
    _organ("haematological", 0.05, "haematological"),
    _organ("constitutional", 0.3, "constitutional"),
)

BLOCK = Block(
    name="organ_activity",
    description=__doc__ or "",
    inputs=(
        "ic_feedback",
        "ic_feedback_0",
    ),
    parameters=(
        *(o[0] for o in _ORGANS),
        P("proteinuria_baseline_g_24h", 1.5, "g/d", "baseline proteinuria", "Mackensen2022", "E", 0.0, 20.0),
        P(
            "proteinuria_chronic_g_24h",
            0.15,
            "g/d",
            "residual proteinuria from chronic damage",
            "modelmd",
            "E",
            0.0,
            20.0,
        ),
        P("hematuria_baseline_rbc_hpf", 12.0, "RBC/hpf", "baseline urine red cells", "modelmd", "E", 0.0, 500.0),
        P("pyuria_baseline_wbc_hpf", 2.0, "WBC/hpf", "baseline urine white cells", "modelmd", "E", 0.0, 500.0),
        P("urinary_casts_severity", 0.0, "1", "heme-granular/RBC casts at baseline (0-1)", "modelmd", "E", 0, 1),
        P("arthritis_baseline_joints", 4.0, "joints", "baseline active joints", "modelmd", "E", 0.0, 68.0),
        P("rash_severity", 0.0, "1", "baseline inflammatory rash (0-1)", "modelmd", "E", 0.0, 1.0),
        P("alopecia_severity", 0.0, "1", "baseline alopecia (0-1)", "modelmd", "E", 0.0, 1.0),
        P("mucosal_ulcers_severity", 0.0, "1", "baseline mucosal ulcers (0-1)", "modelmd", "E", 0.0, 1.0),
        P("pleurisy_severity", 0.0, "1", "baseline pleurisy (0-1)", "modelmd", "E", 0.0, 1.0),
        P("pericarditis_severity", 0.0, "1", "baseline pericarditis (0-1)", "modelmd", "E", 0.0, 1.0),
        P("platelets_normal_10e9_l", 250.0, "1e9/L", "platelets without lupus activity", "modelmd", "L", 10.0, 1000.0),
        P("platelets_baseline_10e9_l", 250.0, "1e9/L", "baseline platelets", "modelmd", "E", 1.0, 1000.0),
        P("normal_body_temperature_c", 37.0, "degC", "body temperature without fever", "modelmd", "L", 35.0, 38.0),
        P("sle_fever_baseline_c", 0.0, "degC", "lupus fever above 37 degC at baseline", "modelmd", "E", 0.0, 4.0),
    ),
    expressions=(
        Expression(
            "organ_drive",
            "ic_feedback/ic_feedback_0",
            "1",
            "immune-complex drive of organ inflammation relative to baseline",
        ),
    ),
    states=tuple(o[1] for o in _ORGANS),
    observables=(
        Observable(
            "proteinuria_g_24h",
            "proteinuria_chronic_g_24h + (proteinuria_baseline_g_24h - proteinuria_chronic_g_24h)*renal_activity",
            "g/d",
            "urine protein",
        ),
        Observable("hematuria_rbc_per_hpf", "hematuria_baseline_rbc_hpf*renal_activity", "RBC/hpf", "urine red cells"),
        Observable("pyuria_wbc_per_hpf", "pyuria_baseline_wbc_hpf*renal_activity", "WBC/hpf", "urine white cells"),
        Observable("urinary_casts_score", "urinary_casts_severity*renal_activity", "1", "casts (present > 0.5)"),
        Observable(
            "arthritis_joints",
            "arthritis_baseline_joints*musculoskeletal_activity",
            "joints",
            "active joints (rounded when scored)",
        ),
        Observable("rash_score", "rash_severity*mucocutaneous_activity", "1", "rash (present > 0.5)"),
        Observable("alopecia_score", "alopecia_severity*mucocutaneous_activity", "1", "alopecia (present > 0.5)"),
        Observable(
            "mucosal_ulcers_score",
            "mucosal_ulcers_severity*mucocutaneous_activity",
            "1",
            "mucosal ulcers (present > 0.5)",
        ),
        Observable("pleurisy_score", "pleurisy_severity*serosal_activity", "1", "pleurisy (present > 0.5)"),
        Observable("pericarditis_score", "pericarditis_severity*serosal_activity", "1", "pericarditis (present > 0.5)"),
        Observable(
            "platelets_10e9_l",
            "platelets_normal_10e9_l - (platelets_normal_10e9_l - platelets_baseline_10e9_l)*haematological_activity",
            "1e9/L",
            "platelet count",
        ),
        Observable(
            "sle_temperature_c",
            "normal_body_temperature_c + sle_fever_baseline_c*constitutional_activity",
            "degC",
            "body temperature attributable to lupus",
        ),
    ),
)
