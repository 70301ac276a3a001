"""PEtab export of the calibration problem: the model, the Mackensen 2022 time course and what is estimated.

PEtab (Schmiester 2021) states a parameter-estimation problem in tables any PEtab tool reads (pyPESTO, AMICI,
COPASI, Data2Dynamics). :func:`write_petab` writes, into one directory:

* ``model.xml`` — the default patient's SBML (:func:`lupuscart.io.to_sbml`: calibrated parameter set, Erlangen
  Flu/Cy and the CAR T dose as events); SBML time 0 is the journey start, so a measurement on day ``d`` after
  infusion has PEtab time ``d − t_start`` (``t_start`` = −42 for the default patient);
* ``conditions.tsv`` — one condition, the default patient and protocol;
* ``observables.tsv`` — the published fractions as formulas of the model's observables: CAR T of their own peak
  (the peak is a scaling parameter to estimate), B cells, anti-dsDNA and proteinuria of their baseline, C3 of the
  0.9 g/L lower limit, and B cells in cells/µL for the day-110 return; log-normal noise (``log``
  transformation, normal noise, SD on the natural-log scale);
* ``measurements.tsv`` — the packaged time course (``lupuscart/data/mackensen2022.json``), noise SD by tag
  (σ = 0.1 for [R], 0.15 for [R2], 0.3 for [A], as the calibration weighs them);
* ``parameters.tsv`` — the calibrated parameters fitted to this time course (stage 1 of the calibration) to be
  estimated on log10 scale, with bounds ×/÷ e^1.5 around the model's starting value and a normal prior on that
  scale centred on the starting value with the spread its evidence tag gives (1 SD = the sensitivity analysis'
  fold); the other calibrated parameters (fitted to cohort rates, which PEtab v1 cannot express) fixed at their
  calibrated values; the nuisance parameters of the observables;
* ``problem.yaml`` — the PEtab v1 problem tying them together.

Left out, because PEtab v1 has no way to state them: the SLEDAI-2K targets (a clinical score of visits, not a
model quantity), "anti-dsDNA negative at day 90" (a censored statement) and the cohort rates of CRS and ICANS
(population-level outcomes of stochastic events).

References: Schmiester L et al. PEtab—Interoperable specification of parameter estimation problems in systems
biology. PLoS Comput Biol 2021;17:e1008646, doi:10.1371/journal.pcbi.1008646.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pandas.errors
import yaml

from ..exceptions import InvalidInputError
from ..model import calibrated_values, default_model
from ._sbml import to_sbml

if TYPE_CHECKING:
    from ..journey import PatientPlan

CONDITION = "erlangen_default"
#: Log-normal noise SD by target tag (the calibration's relative σ).
NOISE_BY_TAG = {"R": 0.1, "R2": 0.15, "A": 0.3}
#: Bounds of the estimated parameters: ×/÷ e^1.5 around the starting value (the calibration's own).
BOUND_LOG_FOLD = 1.5
C3_LLN_G_L = 0.9
#: Observables: id -> (formula, name). ``observableParameter1_<id>`` placeholders are set per measurement.
OBSERVABLES: dict[str, tuple[str, str]] = {
    "car_t_fraction": ("car_t_per_ul / observableParameter1_car_t_fraction", "CAR T, fraction of own peak"),
    "b_cells_fraction": ("b_cells_per_ul / b_cells_baseline_per_ul", "B cells, fraction of baseline"),
    "anti_dsdna_fraction": ("anti_dsdna_iu_ml / anti_dsdna_baseline_iu_ml", "anti-dsDNA, fraction of baseline"),
    "c3_fraction_lln": (f"c3_g_l / {C3_LLN_G_L}", "C3, fraction of the lower limit of normal"),
    "proteinuria_fraction": ("proteinuria_g_24h / proteinuria_baseline_g_24h", "proteinuria, fraction of baseline"),
    "b_cells_count": ("b_cells_per_ul", "B cells (cells/uL): 1/uL on the day of return"),
}


def _tables(plan: PatientPlan) -> dict[str, pd.DataFrame]:
    from ..calibrate import STAGE1_PARAMETERS, mackensen2022
    from ..sensitivity import FOLD_BY_EVIDENCE

    data = mackensen2022()
    model = default_model()
    d = model.definition
    observables = pd.DataFrame(
        [
            {
                "observableId": oid,
                "observableName": name,
                "observableFormula": formula,
                "observableTransformation": "log",
                "noiseFormula": f"noiseParameter1_{oid}",
                "noiseDistribution": "normal",
            }
            for oid, (formula, name) in OBSERVABLES.items()
        ]
    )
    rows: list[dict[str, Any]] = []
    for t in data["time_course"]:
        if t["observable"] not in OBSERVABLES:
            continue
        rows.append(
            {
                "observableId": t["observable"],
                "simulationConditionId": CONDITION,
                "measurement": float(t["value"]),
                "time": float(t["day"]) - plan.t_start,
                "observableParameters": "car_t_peak_per_ul" if t["observable"] == "car_t_fraction" else "",
                "noiseParameters": NOISE_BY_TAG[t["tag"]],
                "datasetId": f"mackensen2022_{t['tag']}",
            }
        )
    b = data["outcomes"]["b_cell_reappearance_day"]
    rows.append(
        {
            "observableId": "b_cells_count",
            "simulationConditionId": CONDITION,
            "measurement": 1.0,
            "time": float(b["mean"]) - plan.t_start,
            "observableParameters": "",
            "noiseParameters": NOISE_BY_TAG[b["tag"]],
            "datasetId": f"mackensen2022_{b['tag']}",
        }
    )
    measurements = pd.DataFrame(rows)
    if (measurements["measurement"] <= 0).any():
        raise RuntimeError("a log-normal measurement is not positive; this is a bug, please report it")
    y0 = model.initial_state(plan.full_parameters)
    b0 = float(model.observables(y0[:, None], plan.full_parameters)["b_cells_per_ul"][0])
    params = {p.name: p for p in d.parameters}
    calibrated = calibrated_values()
    prows: list[dict[str, Any]] = []
    for name, value in calibrated.items():
        p = params[name]
        estimate = name in STAGE1_PARAMETERS
        start = p.value
        row: dict[str, Any] = {
            "parameterId": name,
            "parameterName": p.description,
            "parameterScale": "log10",
            "lowerBound": min(max(start * math.exp(-BOUND_LOG_FOLD), p.lower), value) if estimate else value,
            "upperBound": max(min(start * math.exp(BOUND_LOG_FOLD), p.upper), value) if estimate else value,
            "nominalValue": value,
            "estimate": int(estimate),
        }
        if estimate:
            row["objectivePriorType"] = "parameterScaleNormal"
            sd = math.log10(FOLD_BY_EVIDENCE[p.evidence if p.evidence != "C" else "E"])
            row["objectivePriorParameters"] = f"{math.log10(start)};{sd}"
        prows.append(row)
    prows.append(
        {
            "parameterId": "car_t_peak_per_ul",
            "parameterName": "CAR T peak (cells/uL), scaling of the CAR T fraction",
            "parameterScale": "log10",
            "lowerBound": 1.0,
            "upperBound": 1000.0,
            "nominalValue": float(_car_t_peak(plan)),
            "estimate": 1,
        }
    )
    prows.append(
        {
            "parameterId": "b_cells_baseline_per_ul",
            "parameterName": "B cells at the journey start (cells/uL): the baseline of the B-cell fraction",
            "parameterScale": "lin",
            "lowerBound": b0,
            "upperBound": b0,
            "nominalValue": b0,
            "estimate": 0,
        }
    )
    parameters = pd.DataFrame(prows)
    conditions = pd.DataFrame(
        [{"conditionId": CONDITION, "conditionName": "default patient, Erlangen Flu/Cy, CD19 CAR T 1e6/kg"}]
    )
    return {
        "observables": observables,
        "measurements": measurements,
        "parameters": parameters,
        "conditions": conditions,
    }


def _car_t_peak(plan: PatientPlan) -> float:
    from ..journey import simulate_patient

    r = simulate_patient(plan.config, management=False)
    return float(r.summary.car_t_peak_per_ul)


def _pandas4_warning() -> type[Warning]:
    """pandas' warning class for deprecations due in pandas 4 (``FutureWarning`` where it does not exist)."""
    found: type[Warning] = getattr(pandas.errors, "Pandas4Warning", FutureWarning)
    return found


def write_petab(directory: str | Path, config: str | Path | dict[str, Any] | None = None) -> list[Path]:
    """Write the calibration problem as PEtab v1 into ``directory`` and check it with the PEtab linter.

    Returns the written files (``problem.yaml`` first).

    Raises
    ------
    InvalidInputError
        If ``directory`` is a file or not empty.
    RuntimeError
        If the PEtab linter finds an error (a bug of this exporter).
    """
    import petab.v1 as petab

    from ..journey import load_config, plan_patient

    out = Path(directory)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInputError(f"The 'DIR' argument must be a new or empty directory. Got {str(out)!r}.")
    if not out.parent.is_dir():
        raise InvalidInputError(f"The 'DIR' argument must be in an existing directory. Got {str(out)!r}.")
    plan = plan_patient(load_config(config))
    tables = _tables(plan)
    # Written next to DIR and renamed when the linter has passed: never a partial or invalid problem in DIR.
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with warnings.catch_warnings():
            # petab 0.8 uses pandas arguments that pandas >= 3.1 deprecates (inplace, float_precision): not our code.
            warnings.filterwarnings("ignore", category=_pandas4_warning())
            (tmp / "model.xml").write_text(to_sbml(plan), encoding="utf-8")
            names = {k: f"{k}.tsv" for k in ("conditions", "observables", "measurements", "parameters")}
            petab.write_condition_df(tables["conditions"].set_index("conditionId"), tmp / names["conditions"])
            petab.write_observable_df(tables["observables"].set_index("observableId"), tmp / names["observables"])
            petab.write_measurement_df(tables["measurements"], tmp / names["measurements"])
            petab.write_parameter_df(tables["parameters"].set_index("parameterId"), tmp / names["parameters"])
            problem = {
                "format_version": 1,
                "parameter_file": names["parameters"],
                "problems": [
                    {
                        "sbml_files": ["model.xml"],
                        "condition_files": [names["conditions"]],
                        "measurement_files": [names["measurements"]],
                        "observable_files": [names["observables"]],
                    }
                ],
            }
            (tmp / "problem.yaml").write_text(yaml.safe_dump(problem, sort_keys=False))
            quiet = logging.getLogger("petab")
            level = quiet.level
            # "no visualization table" is a warning; the linter reports its findings as errors.
            quiet.setLevel(logging.ERROR)
            try:
                failed = petab.lint_problem(petab.Problem.from_yaml(tmp / "problem.yaml"))
            finally:
                quiet.setLevel(level)
            if failed:
                raise RuntimeError("the PEtab linter found errors (logged above); this is a bug, please report it")
            if out.exists():
                out.rmdir()
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / "problem.yaml", out / "model.xml", *(out / n for n in names.values())]
