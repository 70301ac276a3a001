"""Parameter uncertainty in trials: draws from the calibration covariance, replicate trials, prediction intervals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lupuscart.exceptions import InvalidInputError
from lupuscart.model import calibration_record
from lupuscart.trial import (
    ENDPOINTS,
    PREDICTION_INTERVAL,
    add_prediction_intervals,
    draw_typical,
    load_trial_config,
    run_trial,
)

SHORT = {"engine": "fast", "protocol": {"followup": {"days": 60}}, "small_trial": {"sizes": [], "draws": 10}}


def test_draws_follow_the_calibration_covariance() -> None:
    """4000 draws: the spread of log θ matches the record's (each log-sd within 5 %), the mean within 4 SE of 0."""
    u = calibration_record()["uncertainty"]
    typical = calibration_record()["typical"]
    logs = np.array(
        [
            [np.log(d[k] / typical[k]) for k in u["parameters"]]
            for d in (draw_typical(u, typical, 7, r) for r in range(1, 4001))
        ]
    )
    cov = np.asarray(u["log_covariance"])
    sd = np.sqrt(np.diag(cov))
    # Parameters whose bounds cut the draw would show a smaller spread; none of the calibrated ones is near a bound.
    np.testing.assert_allclose(logs.std(axis=0, ddof=1), sd, rtol=0.05)
    assert np.all(np.abs(logs.mean(axis=0)) < 4 * sd / np.sqrt(len(logs)))


def test_packaged_record_has_an_uncertainty_for_every_calibrated_parameter() -> None:
    record = calibration_record()
    u = record["uncertainty"]
    assert set(u["parameters"]) == set(record["typical"])
    cov = np.asarray(u["log_covariance"])
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    assert all(0.01 < s < 3 for s in u["log_sd"].values())


def test_replicates_add_labelled_prediction_intervals(tmp_path: Path) -> None:
    cfg = load_trial_config(SHORT)
    result = run_trial(cfg, patients=3, seed=4)
    runs = add_prediction_intervals(result, 2, checkpoint=tmp_path / "ck")
    e = result.endpoints
    assert len(runs) == 2
    assert e["parameter_uncertainty"]["replicates"] == 2
    assert e["interval_definitions"]["pi"]["rate"] == PREDICTION_INTERVAL
    assert e["interval_definitions"]["ci"]["rate"].startswith("Wilson")
    arm = e["arms"]["cd19_1e6_erlangen"]
    for ep in ENDPOINTS:
        if ep.kind == "count":
            assert f"{ep.key}_pi" not in arm
            continue
        values = [r["arms"]["cd19_1e6_erlangen"].get(ep.key) for r in runs]
        values = [v for v in values if v is not None and v == v]
        if values:
            assert arm[f"{ep.key}_pi"] == pytest.approx(list(np.percentile(values, [2.5, 97.5])))
    assert e["crs_any_rate_pi"] == arm["crs_any_rate_pi"]
    # The replicates drew different parameters and patients; a rerun on the checkpoint recomputes nothing.
    draws = result.metadata["replicates"]
    assert draws[0]["typical"] != draws[1]["typical"]
    assert draws[0]["seed"] != draws[1]["seed"]
    assert sorted(p.name for p in (tmp_path / "ck" / "replicates").iterdir()) == ["0001", "0002"]
    again = run_trial(cfg, patients=3, seed=4)
    add_prediction_intervals(again, 2, checkpoint=tmp_path / "ck")
    assert json.dumps(again.endpoints, sort_keys=True, default=str) == json.dumps(e, sort_keys=True, default=str)


def test_replicates_need_the_calibrated_population() -> None:
    result = run_trial(load_trial_config({**SHORT, "population": {"calibrated": False}}), patients=1, seed=1)
    with pytest.raises(InvalidInputError, match="needs the calibrated population"):
        add_prediction_intervals(result, 2)


def test_bad_replicates_are_refused_like_every_run_argument(capsys: pytest.CaptureFixture[str]) -> None:
    from lupuscart.cli import main
    from lupuscart.trial import RUN_ARGUMENTS

    high = RUN_ARGUMENTS["replicates"].high
    with pytest.raises(SystemExit) as exc:
        main(["trial", "--replicates", str(high + 1)])
    assert exc.value.code == 2
    assert (
        f"The '--replicates' option must be an integer in [0, {high}]. Got {high + 1} instead."
        in capsys.readouterr().err
    )
    result = run_trial(load_trial_config(SHORT), patients=1, seed=1)
    with pytest.raises(InvalidInputError, match="must be at least 1"):
        add_prediction_intervals(result, 0)
