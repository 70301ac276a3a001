"""CRS vitals as model observables: body temperature and the vascular-leak signal that the bedside grades.

Fever follows a pyrogenic signal: IL-6 signalling (blocked by tocilizumab) plus IL-1 from activated myeloid cells
(not blocked by tocilizumab; Norelli 2018, Giavridis 2018), through a Hill function (38.0 °C at 10 pg/mL, model.md
A.3). Hypotension and hypoxia follow a vascular-leak signal: IL-6 signalling plus the endothelial activation by
the other myeloid cytokines (Hay 2017: severe CRS is endothelial activation, capillary leak). Tocilizumab therefore
lowers the severity of CRS (hypotension, hypoxia) more than its occurrence (fever), as prophylaxis does in the
clinic (Caimi 2021). The journey reads the two observables at each assessment and compares the vascular signal
with the thresholds below (ASTCT grading, Lee 2019); the same formulas serve the reference and the compiled
journey.
"""

from __future__ import annotations

from ._spec import Block, Expression, Observable, Parameter

P = Parameter
BLOCK = Block(
    name="crs_vitals",
    description=__doc__ or "",
    inputs=("il6_signalling", "myeloid_activation"),
    parameters=(
        P(
            "afebrile_temperature_c",
            36.8,
            "degC",
            "body temperature during monitoring without CRS fever",
            "modelmd",
            "E",
            35.0,
            38.0,
        ),
        P(
            "fever_il6_half_pg_ml",
            11.18,
            "pg/mL",
            "pyrogenic signal at which temperature reaches 36.8 + 1.35 degC (38.0 degC at 10 pg/mL)",
            "modelmd",
            "E",
            lower=0.1118,
            upper=1118.0,
        ),
        P("fever_max_rise_c", 2.7, "degC", "maximal CRS fever above 36.8 degC", "modelmd", "E", lower=0.0, upper=5.0),
        P(
            "hypotension_il6_pg_ml",
            100.0,
            "pg/mL",
            "vascular signal above which hypotension needs fluids",
            "modelmd",
            "E",
            lower=1.0,
            upper=10000.0,
        ),
        P(
            "vasopressor_il6_pg_ml",
            500.0,
            "pg/mL",
            "vascular signal above which one vasopressor is needed",
            "modelmd",
            "E",
            lower=5.0,
            upper=50000.0,
        ),
        P(
            "multiple_vasopressor_il6_pg_ml",
            2000.0,
            "pg/mL",
            "vascular signal needing several vasopressors",
            "modelmd",
            "E",
            lower=20.0,
            upper=200000.0,
        ),
        P(
            "low_flow_oxygen_il6_pg_ml",
            150.0,
            "pg/mL",
            "vascular signal needing low-flow oxygen",
            "modelmd",
            "E",
            lower=1.5,
            upper=15000.0,
        ),
        P(
            "high_flow_oxygen_il6_pg_ml",
            600.0,
            "pg/mL",
            "vascular signal needing high-flow oxygen",
            "modelmd",
            "E",
            lower=6.0,
            upper=60000.0,
        ),
        P(
            "ventilation_il6_pg_ml",
            2500.0,
            "pg/mL",
            "vascular signal needing positive-pressure ventilation",
            "modelmd",
            "E",
            lower=25.0,
            upper=250000.0,
        ),
        P(
            "fever_il1_pg_ml",
            300.0,
            "pg/mL",
            "pyrogenic signal of IL-1 from fully activated myeloid cells (IL-6 signalling equivalent)",
            "Norelli2018",
            "E",
            lower=3.0,
            upper=30000.0,
        ),
        P(
            "vascular_myeloid_pg_ml",
            25.0,
            "pg/mL",
            "vascular-leak signal of fully activated myeloid cells beyond IL-6 (IL-6 signalling equivalent)",
            "Hay2017",
            "E",
            lower=0.25,
            upper=2500.0,
        ),
    ),
    expressions=(
        Expression(
            "pyrogenic_signal_pg_ml",
            "il6_signalling + fever_il1_pg_ml*myeloid_activation",
            "pg/mL",
            "fever drive: IL-6 signalling plus myeloid IL-1",
        ),
    ),
    observables=(
        Observable(
            "crs_temperature_c",
            "afebrile_temperature_c + fever_max_rise_c*pyrogenic_signal_pg_ml**2"
            "/(pyrogenic_signal_pg_ml**2 + fever_il6_half_pg_ml**2)",
            "degC",
            "body temperature during CAR T monitoring",
        ),
        Observable(
            "crs_vascular_signal_pg_ml",
            "il6_signalling + vascular_myeloid_pg_ml*myeloid_activation",
            "pg/mL",
            "vascular-leak signal graded for hypotension and hypoxia",
        ),
    ),
)
