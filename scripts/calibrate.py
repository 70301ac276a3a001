"""Refit the default model and population to Mackensen 2022 and regenerate the calibration outputs.

Usage (about 3-5 minutes on 2 cores)::

    .venv/bin/python scripts/calibrate.py [--patients 80] [--check-patients 200] [--workers 2]

Writes ``src/lupuscart/data/calibrated_parameters.json`` (read by ``lupuscart.population`` as the typical values),
``docs/figures/calibration.png`` and ``docs/calibration.md``. See ``lupuscart.calibrate`` for the method.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_JSON = ROOT / "src" / "lupuscart" / "data" / "calibrated_parameters.json"
FIGURE = ROOT / "docs" / "figures" / "calibration.png"
DOC = ROOT / "docs" / "calibration.md"

CHECK_KEYS = (
    ("doris_month3_rate", "DORIS at month 3", "5/5 [R]"),
    ("sledai2k_baseline_median", "SLEDAI-2K baseline, median", "16 (8-16) [R]"),
    ("sledai2k_month3_median", "SLEDAI-2K month 3, median", "0 (0-2) [R]"),
    ("b_cell_recovery_day_mean", "B-cell reappearance day, mean", "110 [R]"),
    ("b_cell_recovery_day_sd", "B-cell reappearance day, SD", "32 [R]"),
    ("crs_any_rate", "CRS any grade", "3/5 [R]"),
    ("crs_grade2plus_rate", "CRS grade >= 2", "0/5 [R]"),
    ("icans_any_rate", "ICANS any grade", "0/5 [R2]"),
    ("car_t_peak_day_median", "CAR T peak day, median", "7-14 [A]"),
    ("drug_free_remission_month12_rate", "Drug-free remission at month 12", "median 8 (5-17) months [R]"),
)


def _fmt(v: object, ci: object = None) -> str:
    if v is None:
        return "-"
    s = f"{v:.3g}" if isinstance(v, float) else str(v)
    if isinstance(ci, list) and None not in ci:
        s += f" ({ci[0]:.3g}-{ci[1]:.3g})"
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", type=int, default=80, help="virtual patients for the CRS stage")
    ap.add_argument("--check-patients", type=int, default=200, help="virtual patients for the check trial")
    ap.add_argument("--figure-patients", type=int, default=100, help="virtual patients for the figure")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument(
        "--uncertainty-only", action="store_true", help="only (re)compute the packaged record's uncertainty (~5 s)"
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    from lupuscart.calibrate import calibration_uncertainty

    if args.uncertainty_only:
        record = json.loads(OUT_JSON.read_text())
        record["uncertainty"] = calibration_uncertainty(record)
        OUT_JSON.write_text(json.dumps(record, indent=2) + "\n")
        print(f"wrote the uncertainty of {OUT_JSON.relative_to(ROOT)}: {record['uncertainty']['log_sd']}")
        return

    from lupuscart.calibrate import calibrate
    from lupuscart.calibrate._check import DAYS, population_fractions
    from lupuscart.calibrate._fit import STAGE2
    from lupuscart.model import calibration_record
    from lupuscart.report import calibration_figure
    from lupuscart.trial import load_trial_config, run_trial

    result = calibrate(patients=args.patients, seed=args.seed, workers=args.workers)
    OUT_JSON.write_text(json.dumps(result, indent=2) + "\n")
    calibration_record.cache_clear()
    print(f"wrote {OUT_JSON.relative_to(ROOT)}")

    check_config = load_trial_config({"engine": "fast"})
    check = run_trial(check_config, patients=args.check_patients, seed=args.seed + 1, workers=args.workers)
    # Stage 4: one fixed-point step on the population mean of the B-cell return (day ~ 1 / marrow regrowth).
    mean_day = check.endpoints["b_cell_recovery_day_mean"]
    factor = mean_day / 110.0
    result["typical"]["marrow_regrowth_per_day"] *= factor
    result["fit"]["stage4"] = {"population_mean_before": mean_day, "factor": factor}
    OUT_JSON.write_text(json.dumps(result, indent=2) + "\n")
    calibration_record.cache_clear()
    print(f"stage 4: B-cell return mean {mean_day:.1f} d -> marrow_regrowth_per_day x {factor:.3f}")
    check = run_trial(check_config, patients=args.check_patients, seed=args.seed + 1, workers=args.workers)
    e = check.endpoints
    result["check"] = {
        "patients": args.check_patients,
        "seed": args.seed + 1,
        "endpoints": {k: e[k] for k, _, _ in CHECK_KEYS} | {f"{k}_ci": e.get(f"{k}_ci") for k, _, _ in CHECK_KEYS},
    }
    result["uncertainty"] = calibration_uncertainty(result)
    OUT_JSON.write_text(json.dumps(result, indent=2) + "\n")

    fractions = population_fractions(args.figure_patients, args.seed + 2, args.workers)
    calibration_figure(DAYS, fractions, FIGURE)
    print(f"wrote {FIGURE.relative_to(ROOT)}")

    from lupuscart.model import default_model

    defs = {p.name: p for p in default_model().definition.parameters}
    stage1 = result["fit"]["stage1"]
    rows = [
        f"| `{k}` | {defs[k].value:.4g} | {v:.4g} | {defs[k].unit} | {defs[k].description} |"
        for k, v in result["typical"].items()
    ]
    checks = [f"| {label} | {_fmt(e[k], e.get(f'{k}_ci'))} | {target} |" for k, label, target in CHECK_KEYS]
    hist = "\n".join(
        f"| {h[STAGE2]:.3g} | {h['crs_any']:.2f} | {h['crs_grade2plus']:.2f} | {h['icans']:.2f} |"
        for h in result["fit"]["stage2"]["history"]
    )
    tp = stage1["typical_patient"]
    DOC.write_text(
        DOC_TEMPLATE.format(
            params="\n".join(rows),
            checks="\n".join(checks),
            hist=hist,
            n=args.check_patients,
            seed=args.seed + 1,
            crs_patients=args.patients,
            cost=stage1["cost"],
            nfev=stage1["evaluations"],
            tp="\n".join(f"| {k} | {_fmt(v)} |" for k, v in tp.items()),
            minutes=(time.perf_counter() - t0) / 60,
        )
    )
    print(f"wrote {DOC.relative_to(ROOT)} ({(time.perf_counter() - t0) / 60:.1f} min)")


DOC_TEMPLATE = """# Calibration to Mackensen 2022

Generated by `scripts/calibrate.py` ({minutes:.1f} min on 2 cores); rerun it to refit. Data: Mackensen A et al.
Anti-CD19 CAR T cell therapy for refractory systemic lupus erythematosus. Nat Med 2022;28:2124-32,
doi:10.1038/s41591-022-02017-5, packaged as `lupuscart/data/mackensen2022.json` with its tags ([R] read in the
publication = hard target, [A] approximation = soft prior). Other cohorts (Müller 2024) are **not** used: they are
kept for validation.

## Method

1. **Typical patient** (default patient, Erlangen protocol): weighted least squares (`scipy.optimize.least_squares`,
   trust-region reflective, log parameters, bounds ×/÷ e^1.5 around the defaults) of three [E] parameters.
   Residuals (σ = 0.1 for [R], 0.3 for [A], relative): B cells cross 1/µL on day 110 [R]; renal activity ≤ 0.08 at
   day 90 so that PGA < 0.5 and DORIS are reachable by month 3 [R]; proteinuria 60 % / 30 % of baseline on days
   28 / 90 [A]; CAR T 20 % of their peak on day 28 [A]. Final cost {cost:.3g} after {nfev} evaluations.
2. **Population** (covariates and log-normal IIV of `lupuscart.population`, common random numbers, {crs_patients}
   virtual patients, follow-up cut to 60 days): bisection of the typical `myeloid_half_activated_cells` (the
   activated CAR T count that half-activates monocytes and macrophages) so that the CRS any-grade rate is 3/5 =
   60 % [R]. CRS grade ≥ 2 (0/5 [R]) is checked, not fitted.
3. **ICANS** (same virtual patients): bisection of `icans_hazard_per_activation_day` (ICANS onsets per unit
   endothelial activation) so that ICANS stays rare (≤ 3 %, model.md B4; 0/5 in Mackensen 2022 [R2]). The ICANS
   column of the stage-2 table below was therefore computed *before* this stage, with the model's default hazard;
   the check at the end uses the final values.
4. **B-cell return** (the check trial below): one fixed-point step that scales `marrow_regrowth_per_day` by the
   population's mean B-cell return day / 110 d [R].

Published cohorts other than Mackensen 2022 stay out of the fit: they are the validation set of
`lupuscart validate` ([validation.md](validation.md)).

The fitted values are the default parameter set everywhere: the typical values of every virtual population
(`PopulationSpec(calibrated=True)`) and the parameters of `lupuscart simulate` (configuration key
`parameter_set: calibrated`, the default; `parameter_set: starting` gives the values of
[docs/model-sources.md](model-sources.md) without the calibration).

## Fitted values (evidence tag C)

| Parameter | Model default | Calibrated | Unit | Meaning |
|---|---|---|---|---|
{params}

Typical patient after stage 1:

| Quantity | Value |
|---|---|
{tp}

Stage 2 (bisection on CRS any-grade rate):

| myeloid_half_activated_cells | CRS any | CRS ≥ 2 | ICANS (before stage 3) |
|---|---|---|---|
{hist}

## Check: default virtual trial ({n} patients, seed {seed}) against the cohort

Rates with Wilson 95 % intervals; medians with distribution-free order-statistic intervals; mean with a t
interval.

| Endpoint | Simulated | Mackensen 2022 |
|---|---|---|
{checks}

![calibration](figures/calibration.png)

*Simulated median (line) and 5-95 % band (shaded) of a calibrated virtual population, against the published
points: filled = [R], open squares = [A] soft priors with their ranges.*
"""


if __name__ == "__main__":
    main()
