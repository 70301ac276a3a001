"""Running a sensitivity analysis: Morris screening, then Sobol indices of the factors that matter.

Each stage is a :class:`~lupuscart.sensitivity._design.SampleDesign` whose sample points are evaluated in chunks
by the trial's machinery (:func:`lupuscart.trial.drive_chunks` with a serial or Dask mapper) into the trial's
chunk store (:class:`lupuscart.trial._checkpoint.ChunkStore`): in this process, on a local Dask cluster
(``workers`` > 1) or an existing scheduler, resumable from ``checkpoint``. The layout of a checkpoint is::

    DIR/design.json     the analysis configuration (a rerun with another one is refused, naming what differs)
    DIR/morris/         the Morris stage's chunk store (manifest, chunk files, commit records)
    DIR/sobol/          the Sobol stage's chunk store

The Sobol stage analyses ``sobol.top`` factors chosen from the Morris screening, each output's most influential
ones in turn (:func:`~lupuscart.sensitivity.top_factors`; ``method: morris+sobol``), or every factor
(``method: sobol``). Sample points are evaluated deterministically
(one seed, common random numbers) and read back sorted, so the indices do not depend on workers or chunking.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..exceptions import InvalidInputError
from ..model import MODEL_VERSION, default_model
from ..population import calibrated_parameters
from ..trial import JobMapper, check_run_arguments, dask_task_mapper, make_chunks, serial_task_mapper
from ..trial._checkpoint import ChunkStore
from ..trial._execute import drive_chunks
from ._analysis import morris_indices, sobol_indices, top_factors
from ._design import SampleDesign, SensitivityConfig, Stage, evaluate_chunk
from ._factors import Factor

DESIGN_FILE = "design.json"


@dataclass
class SensitivityResult:
    """A finished analysis.

    Attributes
    ----------
    config : SensitivityConfig
        The configuration run.
    indices : pandas.DataFrame
        One row per (method, output, factor, index): ``value`` with its bootstrap 95 % interval ``ci_low``,
        ``ci_high`` (μ* for Morris; S1 and ST for Sobol).
    summary : dict
        The ``sensitivity --json`` object (see :meth:`to_json`).
    """

    config: SensitivityConfig
    indices: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    def ranking(self, output: str, method: str | None = None) -> list[str]:
        """Factors of ``output`` from most to least influential (ST for Sobol, μ* for Morris)."""
        method = method or ("sobol" if "sobol" in self.config.method else "morris")
        index = "ST" if method == "sobol" else "mu_star"
        t = self.indices
        t = t[(t["method"] == method) & (t["output"] == output) & (t["index"] == index)]
        return [str(f) for f in t.sort_values(["value", "factor"], ascending=[False, True])["factor"]]

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``indices.parquet``, ``indices.csv`` and ``sensitivity.json`` to ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "indices.parquet", out / "indices.csv", out / "sensitivity.json"]
        self.indices.to_parquet(paths[0], index=False)
        self.indices.to_csv(paths[1], index=False, lineterminator="\n")
        paths[2].write_text(json.dumps(self.summary, indent=2) + "\n")
        return paths


def _design(config: SensitivityConfig, stage: Stage, factors: list[Factor]) -> SampleDesign:
    base = config.trial_base().model_copy(update={"arms": {stage: {}}})
    return SampleDesign(
        stage=stage,
        factors=tuple(factors),
        samples=config.morris.trajectories if stage == "morris" else config.sobol.samples,
        levels=config.morris.levels,
        second_order=config.sobol.second_order if stage == "sobol" else False,
        seed=config.seed,
        model=config.model,
        trial=base,
    )


def _check_design_record(root: Path, config: SensitivityConfig) -> None:
    """Write ``DIR/design.json``, or check that a resumed checkpoint was started with the same configuration."""
    body: dict[str, Any] = {"lupuscart_version": __version__, "config": config.model_dump(mode="json")}
    path = root / DESIGN_FILE
    if path.exists():
        try:
            old = json.loads(path.read_text())
        except ValueError:
            raise InvalidInputError(
                f"the checkpoint file {str(path)!r} is unreadable; delete the checkpoint directory and start again"
            ) from None
        if old != body:
            oc, nc = old.get("config", {}), body["config"]
            keys = sorted(k for k in set(oc) | set(nc) if oc.get(k) != nc.get(k))
            what = ", ".join(keys) if keys else "lupuscart version"
            raise InvalidInputError(
                f"the checkpoint {str(root)!r} belongs to a different sensitivity analysis ({what} differ) and is "
                "refused, not mixed in. Rerun with its arguments, or use a new --checkpoint directory."
            )
        return
    if root.exists() and any(root.iterdir()):
        raise InvalidInputError(
            f"the checkpoint directory {str(root)!r} is not empty and has no {DESIGN_FILE}: it is not a lupuscart "
            "sensitivity checkpoint; choose a new or empty directory"
        )
    root.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")


def _evaluate(
    design: SampleDesign,
    root: Path,
    run: JobMapper[SampleDesign],
    chunk_size: int,
    progress: bool,
) -> pd.DataFrame:
    with ChunkStore.open(root, design.store_config(), chunk_size) as store:  # locked while it runs
        chunks = make_chunks(design.evaluations, store.chunk_size)
        done = store.finished()
        todo = [c for k, c in enumerate(chunks) if k not in done]
        title = f"[bold]sensitivity[/] {design.stage} ({len(design.factors)} factors, {design.evaluations} points)"
        drive_chunks(design, run, chunks, todo, store, progress=progress, title=title)
        return store.read("patients", [design.stage])


def run_sensitivity(
    config: SensitivityConfig,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    checkpoint: str | Path | None = None,
    chunk_size: int | None = None,
    progress: bool = False,
    mapper: JobMapper[SampleDesign] | None = None,
) -> SensitivityResult:
    """Run the analysis ``config`` (see the module docstring).

    Parameters
    ----------
    config:
        A validated :class:`SensitivityConfig` (:func:`load_sensitivity_config`).
    workers, scheduler, checkpoint, chunk_size, progress:
        As for :func:`lupuscart.trial.run_trial`; the indices do not depend on ``workers`` or ``chunk_size``.
    mapper:
        Custom executor of :func:`~lupuscart.sensitivity._design.evaluate_chunk` over chunks (overrides
        ``workers`` and ``scheduler``).

    Examples
    --------
    >>> from lupuscart.sensitivity import load_sensitivity_config
    >>> cfg = load_sensitivity_config({"model": "ishigami", "method": "sobol", "sobol": {"samples": 64}})
    >>> r = run_sensitivity(cfg)
    >>> r.ranking("ishigami")
    ['x1', 'x2', 'x3']
    """
    check_run_arguments(caller="run_sensitivity", workers=workers, chunk_size=chunk_size)
    scratch = None if checkpoint is not None else Path(tempfile.mkdtemp(prefix="lupuscart-sensitivity-"))
    root = Path(checkpoint) if checkpoint is not None else scratch
    assert root is not None
    if mapper is not None:
        run = mapper
    elif scheduler is not None:
        run = dask_task_mapper(evaluate_chunk, scheduler)
    elif workers > 1:
        run = dask_task_mapper(evaluate_chunk, None, workers)
    else:
        run = serial_task_mapper(evaluate_chunk)
    outputs = config.output_objects()
    tables: list[pd.DataFrame] = []
    summary: dict[str, Any] = {"outputs": {o.key: {"label": o.label, "unit": o.unit, "kind": o.kind} for o in outputs}}
    factors_used: dict[str, list[dict[str, Any]]] = {}
    try:
        if root.exists() and not root.is_dir():
            raise InvalidInputError(f"The '--checkpoint' option must be a directory. Got {str(root)!r}, a file.")
        _check_design_record(root, config)
        factors = config.factors()
        stages: list[tuple[Stage, list[Factor]]] = []
        if config.method in ("morris", "morris+sobol"):
            stages.append(("morris", factors))
        if config.method == "sobol":
            stages.append(("sobol", factors))
        for stage, stage_factors in stages:
            _run_stage(config, stage, stage_factors, root, run, chunk_size, workers, progress, tables, summary)
            factors_used[stage] = [asdict(f) for f in stage_factors]
        if config.method == "morris+sobol":
            chosen = set(top_factors(tables[0], config.sobol.top))
            top = [f for f in factors if f.name in chosen]
            _run_stage(config, "sobol", top, root, run, chunk_size, workers, progress, tables, summary)
            factors_used["sobol"] = [asdict(f) for f in top]
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    indices = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    summary["factors"] = factors_used
    summary.update(_stamp(config))
    result = SensitivityResult(config, indices, summary)
    for o in outputs:
        for method in ("morris", "sobol"):
            if method in summary["outputs"][o.key]:
                summary["outputs"][o.key][method]["indices"] = _index_records(indices, method, o.key)
    return result


def _run_stage(
    config: SensitivityConfig,
    stage: Stage,
    factors: list[Factor],
    root: Path,
    run: JobMapper[SampleDesign],
    chunk_size: int | None,
    workers: int,
    progress: bool,
    tables: list[pd.DataFrame],
    summary: dict[str, Any],
) -> None:
    design = _design(config, stage, factors)
    size = chunk_size or max(1, min(25, math.ceil(design.evaluations / (4 * workers))))
    rows = _evaluate(design, root / stage, run, size, progress)
    analyse = morris_indices if stage == "morris" else sobol_indices
    table, stats = analyse(design, rows, config.output_objects(), config.resamples, config.seed)
    tables.append(table)
    for key, s in stats.items():
        summary["outputs"][key][stage] = {**s, "evaluations": design.evaluations}
    if "status" in rows:
        summary.setdefault("solver_failures", {})[stage] = int((rows["status"] == "solver_failed").sum())


def _index_records(indices: pd.DataFrame, method: str, key: str) -> list[dict[str, Any]]:
    """Per factor, the indices of one output as JSON records, most influential first."""
    t = indices[(indices["method"] == method) & (indices["output"] == key)]
    order = "ST" if method == "sobol" else "mu_star"
    out: dict[str, dict[str, Any]] = {}
    for r in t.to_dict("records"):
        rec = out.setdefault(str(r["factor"]), {"factor": str(r["factor"]), "kind": str(r["kind"])})
        name = str(r["index"])
        rec[name] = _num(r["value"])
        if name in ("mu_star", "S1", "ST", "S2"):
            rec[f"{name}_ci"] = [_num(r["ci_low"]), _num(r["ci_high"])]
    records = [r for r in out.values() if order in r]
    return sorted(records, key=lambda r: (-(r[order] if r[order] is not None else -math.inf), r["factor"]))


def _num(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _stamp(config: SensitivityConfig) -> dict[str, Any]:
    return {
        "method": config.method,
        "model": config.model,
        "seed": config.seed,
        "engine": config.engine,
        "config": config.model_dump(mode="json"),
        "lupuscart_version": __version__,
        "model_version": MODEL_VERSION,
        "model_fingerprint": default_model().definition.fingerprint,
        "calibrated_parameters": calibrated_parameters().get("typical", {}) if config.population.calibrated else {},
    }
