"""The twin's outputs: the JSON record and the files of ``lupuscart fit --out DIR``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..model import MODEL_VERSION, default_model
from ._figure import twin_figure
from ._fit import TwinFit
from ._predict import TwinPrediction


def twin_record(visits: pd.DataFrame, fit: TwinFit, prediction: TwinPrediction, seed: int) -> dict[str, Any]:
    """Everything a reader needs to check and reproduce the twin (``twin.json``, ``fit --json``)."""
    data = fit.problem.data
    return {
        "patient_id": str(visits["patient_id"].iloc[0]),
        "until": fit.problem.until,
        "measurements_fitted": len(data),
        "measurements_fitted_by_variable": {str(k): int(v) for k, v in data["variable"].value_counts().items()},
        "baselines": fit.problem.baselines,
        "baseline_rows": fit.problem.baseline_rows,
        "fit": {
            "method": "maximum a posteriori (scipy.optimize.least_squares), Laplace covariance",
            "success": fit.success,
            "evaluations": fit.evaluations,
            "cost": fit.cost,
            "message": fit.message,
        },
        "parameters": fit.table().to_dict("records"),
        "prediction": prediction.summary(),
        "seed": seed,
        "lupuscart_version": __version__,
        "model_version": MODEL_VERSION,
        "model_fingerprint": default_model().definition.fingerprint,
    }


def write_twin(
    out_dir: str | Path, visits: pd.DataFrame, fit: TwinFit, prediction: TwinPrediction, body: dict[str, Any]
) -> list[Path]:
    """Write parameters.csv, prediction.csv, outcomes.csv, twin.json and observed_vs_predicted.png."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "parameters.csv", out / "prediction.csv", out / "outcomes.csv", out / "twin.json"]
    fit.table().to_csv(paths[0], index=False, lineterminator="\n")
    prediction.bands.to_csv(paths[1], index=False, lineterminator="\n")
    prediction.outcomes.to_csv(paths[2], index=False, lineterminator="\n")
    paths[3].write_text(json.dumps(body, indent=2) + "\n")
    paths.append(twin_figure(visits, prediction, fit.problem.until, out / "observed_vs_predicted.png"))
    return paths
