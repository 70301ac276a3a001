"""Parameter uncertainty in trials: replicate trials with the calibrated parameters drawn from their uncertainty.

A trial's 95 % intervals (Wilson, order statistics, t) describe Monte Carlo sampling *given* the calibrated
parameters; they shrink to nothing as the trial grows, although those parameters are uncertain. With
``replicates = R`` the trial is repeated R times, as rxode2's ``nStud`` repeats a study (Fidler 2019): each
replicate draws the calibrated typical values from the calibration's covariance (``uncertainty`` in the packaged
calibration record, :mod:`lupuscart.calibrate._uncertainty`: ``log θ ~ N(log θ̂, Σ)``) and simulates a fresh
population of the same size under every arm. The 2.5th-97.5th percentiles of an endpoint over the replicates are
its 95 % *prediction interval* (``<key>_pi``): the range a real trial of that size would see, given both what the
calibration does not pin down and the sampling of its patients. The main trial (point estimate, ``<key>_ci``)
is unchanged.

Replicate ``r`` (1-based) draws its parameters from ``SeedSequence([seed, 0x57D, r])`` and its patients from a
seed derived from the same sequence, so replicates are reproducible and independent of workers and chunking.
Parameters that an arm or the protocol sets explicitly (``model_parameters``) are not drawn: the user fixed them.
With ``--checkpoint DIR`` replicate ``r`` keeps its chunk store in ``DIR/replicates/NNNN`` and resumes like the main
trial.

References: Fidler M et al. Nonlinear mixed-effects model development and simulation using nlmixr and related R
open-source packages. CPT Pharmacometrics Syst Pharmacol 2019;8:621-33, doi:10.1002/psp4.12445.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .._run_arguments import check_run_arguments
from ..exceptions import InvalidInputError
from ..model import calibration_record, default_model
from ._config import TrialConfig
from ._dask import _client
from ._endpoint_registry import ENDPOINTS, INTERVALS, PREDICTION_INTERVAL
from ._execute import TrialResult, run_trial

_STREAM = 0x57D


def _sequence(seed: int, replicate: int) -> np.random.SeedSequence:
    return np.random.SeedSequence([seed, _STREAM, replicate])


def replicate_seed(seed: int, replicate: int) -> int:
    """The patient seed of replicate ``replicate`` of a trial with ``seed`` (an int64-safe integer).

    >>> replicate_seed(1, 1) == replicate_seed(1, 1) != replicate_seed(1, 2)
    True
    """
    hi, lo = _sequence(seed, replicate).spawn(2)[1].generate_state(2, dtype=np.uint32)
    return int((int(hi) & 0x7FFFFFFF) << 32 | int(lo))


def draw_typical(uncertainty: dict[str, Any], typical: dict[str, float], seed: int, replicate: int) -> dict[str, float]:
    """Replicate ``replicate``'s typical values: ``θ̂·exp(δ)``, ``δ ~ N(0, Σ)``, cut to the parameters' bounds.

    >>> u = {"parameters": ["il6_induction_max"], "log_covariance": [[0.04]]}
    >>> a = draw_typical(u, {"il6_induction_max": 10.0}, seed=0, replicate=1)
    >>> a == draw_typical(u, {"il6_induction_max": 10.0}, seed=0, replicate=1), 5 < a["il6_induction_max"] < 20
    (True, True)
    """
    names = list(uncertainty["parameters"])
    cov = np.asarray(uncertainty["log_covariance"], dtype=float)
    w, v = np.linalg.eigh(cov)
    root = v * np.sqrt(np.clip(w, 0.0, None))
    rng = np.random.default_rng(_sequence(seed, replicate).spawn(2)[0])
    delta = root @ rng.standard_normal(len(names))
    params = {p.name: p for p in default_model().definition.parameters}
    out = {}
    for name, d in zip(names, delta, strict=True):
        p = params[name]
        out[name] = float(np.clip(typical.get(name, p.value) * math.exp(float(d)), p.lower, p.upper))
    return out


def _replicate_config(config: TrialConfig, drawn: dict[str, float]) -> TrialConfig:
    fixed = set((config.protocol.get("model_parameters") or {}).keys())
    protocol = dict(config.protocol)
    own = protocol.get("model_parameters") or {}
    protocol["model_parameters"] = {**{k: v for k, v in drawn.items() if k not in fixed}, **own}
    return config.model_copy(update={"protocol": protocol})


def add_prediction_intervals(
    result: TrialResult,
    replicates: int,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    checkpoint: str | Path | None = None,
    chunk_size: int | None = None,
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Run ``replicates`` replicate trials of ``result``'s size and add ``<key>_pi`` to its endpoints.

    Every arm's endpoints (and the top level, the first arm's) gain, for each registered endpoint with an
    estimate, ``<key>_pi``: the 2.5th and 97.5th percentiles over the replicates. ``result.endpoints`` also gains
    ``parameter_uncertainty`` (replicates, the parameters drawn and how) and ``interval_definitions`` (what
    ``_ci`` and ``_pi`` mean for each kind); ``result.metadata`` records every replicate's draws and seed.

    Returns the replicates' endpoint objects.

    Raises
    ------
    InvalidInputError
        If the population is not the calibrated one, or the packaged calibration has no uncertainty.
    """
    check_run_arguments(caller="add_prediction_intervals", replicates=replicates, workers=workers)
    config = result.config
    uncertainty = calibration_record().get("uncertainty")
    if not config.population.calibrated or not uncertainty:
        raise InvalidInputError(
            "The '--replicates' option needs the calibrated population and a calibration record with an "
            "'uncertainty' entry (scripts/calibrate.py writes it); this trial has population.calibrated = "
            f"{config.population.calibrated} and {'an' if uncertainty else 'no'} uncertainty entry."
        )
    typical = {k: float(v) for k, v in calibration_record().get("typical", {}).items()}
    if replicates < 1:
        raise InvalidInputError(f"The 'replicates' argument must be at least 1. Got {replicates} instead.")
    client = None
    if scheduler is None and workers > 1:
        client = _client(None, workers)  # one local cluster for every replicate
        scheduler = str(client.cluster.scheduler_address)
    runs: list[dict[str, Any]] = []
    draws: list[dict[str, Any]] = []
    try:
        for r in range(1, replicates + 1):
            drawn = draw_typical(uncertainty, typical, config.seed, r)
            seed_r = replicate_seed(config.seed, r)
            ckpt = None if checkpoint is None else Path(checkpoint) / "replicates" / f"{r:04d}"
            rep = run_trial(
                _replicate_config(config, drawn),
                seed=seed_r,
                scheduler=scheduler,
                checkpoint=ckpt,
                chunk_size=chunk_size,
                progress=progress,
            )
            runs.append(rep.endpoints)
            draws.append({"replicate": r, "seed": seed_r, "typical": drawn})
    finally:
        if client is not None:
            client.close()
            client.cluster.close()
    _attach(result.endpoints, runs, list(config.arms))
    result.endpoints["parameter_uncertainty"] = {
        "replicates": replicates,
        "parameters": list(uncertainty["parameters"]),
        "log_sd": uncertainty.get("log_sd", {}),
        "method": uncertainty.get("method", ""),
    }
    result.endpoints["interval_definitions"] = interval_definitions()
    result.metadata["replicates"] = draws
    return runs


def interval_definitions() -> dict[str, dict[str, str]]:
    """What ``<key>_ci`` and ``<key>_pi`` mean, by endpoint kind (from the endpoint registry)."""
    return {
        "ci": {str(k): v for k, v in INTERVALS.items()},
        "pi": {kind: PREDICTION_INTERVAL for kind in INTERVALS if kind != "count"},
    }


def _attach(endpoints: dict[str, Any], runs: list[dict[str, Any]], arms: list[str]) -> None:
    for arm in arms:
        target = endpoints["arms"][arm]
        for e in ENDPOINTS:
            if e.prediction_interval is None:
                continue
            values = [r["arms"][arm].get(e.key) for r in runs]
            x = np.array([v for v in values if v is not None and v == v], dtype=float)
            target[f"{e.key}_pi"] = [float(q) for q in np.percentile(x, [2.5, 97.5])] if x.size else [None, None]
    first = arms[0]
    for e in ENDPOINTS:
        if f"{e.key}_pi" in endpoints["arms"][first]:
            endpoints[f"{e.key}_pi"] = endpoints["arms"][first][f"{e.key}_pi"]
