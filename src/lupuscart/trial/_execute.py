"""Running a virtual trial: patients in chunks, in this process or on a Dask cluster, results in Parquet.

The unit of work is a *chunk*: a list of patient indices. :func:`run_chunk` samples each patient (from
``SeedSequence([seed, index])``), simulates it under every arm and returns plain rows. A *mapper* applies
``run_chunk`` to chunks and yields results in any order (:func:`serial_mapper`, :func:`process_mapper`,
:func:`~lupuscart.trial.dask_mapper`). Each finished chunk goes straight to a chunk store of Parquet files
(:mod:`._checkpoint`), the tables are read back sorted by (arm, patient), so the output is identical for any
number of workers, any chunk size and any order of completion, and a run with a checkpoint resumes where it
stopped.

A patient whose solve fails (:class:`~lupuscart.exceptions.SolverError`, or a floating-point error inside the
solver) is simulated again with a tighter tolerance (``rtol`` 1e-8, from 1e-6); if that fails too the patient is
recorded with ``status = "solver_failed"`` and a ``failure_reason``, and the trial goes on (style.md 8).
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from .. import journey
from .._run_arguments import check_run_arguments
from .._spreadsheet import formula_safe
from ..clinical import drug_free_remission
from ..engine import SolverStatus
from ..exceptions import SolverError
from ..journey import PatientResult, simulate_patients
from ..model import MODEL_VERSION, default_model
from ..population import calibrated_parameters, sample_patients, to_config
from ._analysis import ANALYSIS_COLUMNS, collect, visit_fields
from ._checkpoint import SCRATCH_PREFIX, ChunkStore, sweep_scratch
from ._config import TrialConfig
from ._dask import dask_task_mapper
from ._endpoints import compute_endpoints
from ._vpc import published_fractions

Rows = list[dict[str, Any]]
ChunkResult = tuple[Rows, Rows]
Chunk = tuple[int, ...]
J = TypeVar("J")
#: Runs ``task(job, chunk)`` for every chunk of a job and yields the results (any order).
JobMapper = Callable[[J, Sequence[Chunk]], Iterator[ChunkResult]]
#: A mapper runs ``run_chunk(config, chunk)`` for every chunk and yields the results (any order).
Mapper = JobMapper[TrialConfig]

_DROP = {"model_version", "model_fingerprint", "seed", "serious_infection_days"}


class BatchFallbackWarning(RuntimeWarning):
    """A trial arm's compiled batch failed and its patients were simulated one by one (same results, slower).

    It is a bug; the test suite turns it into an error, so a broken batch path cannot hide behind the fallback."""


#: Relative tolerances tried in turn for one patient; the later ones only after a failed solve.
RTOLS = (1e-6, 1e-8)


def _base_row(config: TrialConfig, arm: str, vp: Any) -> dict[str, Any]:
    """The columns every patient row has: arm, indices, seeds and the sampled covariates and η."""
    base = {"arm": arm, "patient_id": vp.index, "trial_seed": config.seed, "journey_seed": vp.journey_seed}
    base.update(vp.row())
    base.pop("patient", None)
    return base


def _result_rows(base: dict[str, Any], arm: str, r: PatientResult) -> ChunkResult:
    """A finished patient as one patient row and one row per scored visit."""
    s = r.summary
    row = {**base, **{k: v for k, v in s.as_dict().items() if k not in _DROP}}
    serious = s.serious_infection_days
    row["serious_infection_month12"] = any(d <= 365 for d in serious)
    row["first_serious_infection_day"] = min(serious) if serious else None
    row.update(swimmer_fields(r))
    row.update(published_fractions(r))
    flare = s.flare_day
    visits: Rows = []
    for v in r.visits:
        drug_free = drug_free_remission(
            doris=v.doris, prednisone_mg_per_day=v.prednisone_mg_per_day, flared=flare is not None and flare <= v.day
        )
        visits.append(
            {
                "arm": arm,
                "patient_id": base["patient_id"],
                "day": float(v.day),
                "sledai2k": v.sledai2k,
                "clinical_sledai2k": v.clinical_sledai2k,
                "pga": v.pga,
                "prednisone_mg_per_day": v.prednisone_mg_per_day,
                "doris_2021": bool(v.doris),
                "drug_free_remission": drug_free,
            }
        )
    row["drug_free_remission_day730"] = next((x["drug_free_remission"] for x in visits if x["day"] == 730), None)
    row.update(
        visit_fields(
            [x["day"] for x in visits],
            [x["doris_2021"] for x in visits],
            [x["sledai2k"] for x in visits],
            [x["drug_free_remission"] for x in visits],
        )
    )
    row["end_of_followup_day"] = float(r.days[-1])
    row["remission_onset_day"] = next((x["day"] for x in visits if x["day"] > 0 and x["doris_2021"]), None)
    return [row], visits


def outcome_rows(r: PatientResult, arm: str, patient: int) -> tuple[dict[str, Any], Rows]:
    """One simulated patient as a patient row (summary fields and the derived ones the endpoints read, e.g.
    ``drug_free_remission_day730``, ``end_of_followup_day``, ``remission_onset_day``) and its visit rows.

    The one adapter from a :class:`~lupuscart.journey.PatientResult` to table fields, shared by trials,
    ``lupuscart.sensitivity`` and ``lupuscart.twin``, so a change of the summary's shape is one edit.
    """
    patients, visits = _result_rows({"arm": arm, "patient_id": patient}, arm, r)
    return patients[0], visits


def swimmer_fields(r: PatientResult) -> dict[str, Any]:
    """Per-patient event days for the trial's swimmer plot: CRS and ICANS episodes (first and last graded day),
    LICATS onsets and infection days (``;``-separated, so the patient table stays flat for CSV and Parquet)."""

    def span(by_day: dict[int, int]) -> tuple[float | None, float | None]:
        days = sorted(d for d, g in by_day.items() if g > 0)
        return (float(days[0]), float(days[-1]) + 1.0) if days else (None, None)

    crs = span(r.crs_grade_by_day)
    icans = span(r.icans_grade_by_day)
    licats = [e.day for e in r.events if e.kind == "licats"]
    infections = [e.day for e in r.events if e.kind == "infection"]
    return {
        "crs_onset_day": crs[0],
        "crs_end_day": crs[1],
        "icans_onset_day": icans[0],
        "icans_end_day": icans[1],
        "licats_onset_days": ";".join(f"{d:g}" for d in licats),
        "infection_days": ";".join(f"{d:g}" for d in infections),
    }


def _failed_row(base: dict[str, Any], reasons: Sequence[str]) -> ChunkResult:
    row = {
        **base,
        "status": "solver_failed",
        "failure_reason": "; ".join(reasons)
        + " (excluded from the endpoints; the sampled parameters are in this row: check them, or try the "
        "other engine)",
    }
    return [row], []


def _bug_row(base: dict[str, Any], exc: Exception) -> ChunkResult:
    """A patient that hit a bug is a value, not a crashed trial (style.md 8)."""
    return [{**base, "status": f"error: {type(exc).__name__}: {exc} (this is a bug, please report it)"}], []


def _simulate_one(config: TrialConfig, arm: str, vp: Any) -> ChunkResult:
    """One patient on one arm, each tolerance of :data:`RTOLS` in turn until the solve succeeds."""
    base = _base_row(config, arm, vp)
    reasons: list[str] = []
    for rtol in RTOLS:
        try:
            cfg = to_config(vp, config.arm_config(arm), config.population.calibrated)
            r = journey.simulate_patient(  # read when called: tests stand in failing solves
                cfg, seed=vp.journey_seed, management=config.management, rtol=rtol, engine=config.engine
            )
            return _result_rows(base, arm, r)
        except (SolverError, FloatingPointError, ZeroDivisionError) as exc:
            reasons.append(f"rtol {rtol:g}: {type(exc).__name__}: {exc}")
        except Exception as exc:
            return _bug_row(base, exc)
    return _failed_row(base, reasons)


def _simulate_arm_batch(config: TrialConfig, arm: str, vps: Sequence[Any]) -> ChunkResult:
    """Every patient of a chunk on one arm in one compiled batch (``engine: fast``); patients whose solve failed
    are retried at the next tolerance of :data:`RTOLS`, as a batch."""
    patients: Rows = []
    visits: Rows = []
    try:
        configs = [to_config(vp, config.arm_config(arm), config.population.calibrated) for vp in vps]
    except Exception:  # isolate the patient whose configuration is the problem
        return _concat([_simulate_one(config, arm, vp) for vp in vps])
    todo = list(range(len(vps)))
    reasons: dict[int, list[str]] = {i: [] for i in todo}
    for rtol in RTOLS:
        if not todo:
            break
        results = simulate_patients(
            [configs[i] for i in todo], [vps[i].journey_seed for i in todo], management=config.management,
            rtol=rtol, engine="fast", compact=True,
        )  # fmt: skip
        failed = []
        for i, r in zip(todo, results, strict=True):
            if isinstance(r, SolverStatus):
                reasons[i].append(f"rtol {rtol:g}: {r.message}")
                failed.append(i)
            else:
                p, v = _result_rows(_base_row(config, arm, vps[i]), arm, r)
                patients += p
                visits += v
        todo = failed
    for i in todo:
        patients += _failed_row(_base_row(config, arm, vps[i]), reasons[i])[0]
    return patients, visits


def _concat(parts: Sequence[ChunkResult]) -> ChunkResult:
    return [r for p, _ in parts for r in p], [r for _, v in parts for r in v]


def run_chunk(config: TrialConfig, chunk: Sequence[int]) -> ChunkResult:
    """Simulate the patients ``chunk`` (indices) under every arm; returns (patient rows, visit rows).

    With ``engine: fast`` each arm's patients run as one compiled batch; otherwise one patient at a time.
    """
    return simulate_virtual_patients(config, sample_patients(chunk, config.seed, config.population))


def simulate_virtual_patients(config: TrialConfig, vps: Sequence[Any]) -> ChunkResult:
    """Simulate given virtual patients under every arm of ``config`` (the body of :func:`run_chunk`, also used for
    designed patients, e.g. the sample points of ``lupuscart.sensitivity``)."""
    parts: list[ChunkResult] = []
    for arm in config.arms:
        if config.engine == "fast":
            try:
                parts.append(_simulate_arm_batch(config, arm, vps))
                continue
            except Exception as exc:  # a bug in the batch path: find the patient by running them one by one
                warnings.warn(
                    f"the compiled batch of arm {arm!r} failed ({type(exc).__name__}: {exc}; this is a bug, please "
                    "report it); its patients are simulated one by one instead",
                    BatchFallbackWarning,
                    stacklevel=2,
                )
        parts += [_simulate_one(config, arm, vp) for vp in vps]
    return _concat(parts)


def serial_mapper(config: TrialConfig, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
    """Run chunks one after the other in this process."""
    for c in chunks:
        yield run_chunk(config, c)


def serial_task_mapper(task: Callable[[J, Sequence[int]], ChunkResult]) -> JobMapper[J]:
    """Like :func:`serial_mapper`, for any ``task(job, chunk)`` (see :func:`~lupuscart.trial.dask_task_mapper`)."""

    def mapper(job: J, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        for c in chunks:
            yield task(job, c)

    return mapper


def one_numba_thread() -> None:
    """Start of a worker process: its compiled batches run on one numba thread.

    numba's default is one thread per core in every process, so ``workers`` processes would each start as many
    threads as there are cores and oversubscribe the machine; with one thread each, ``--workers`` is the number
    of cores a trial uses.
    """
    import numba  # heavy (~0.3 s); only worker processes need it here

    numba.set_num_threads(1)


def process_mapper(workers: int) -> Mapper:
    """Run chunks in a pool of ``workers`` processes (``concurrent.futures``), yielding as they finish."""

    def mapper(config: TrialConfig, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        with ProcessPoolExecutor(max_workers=workers, initializer=one_numba_thread) as pool:
            futures = [pool.submit(run_chunk, config, c) for c in chunks]
            for f in as_completed(futures):
                yield f.result()

    return mapper


def dask_mapper(address: str | None = None, workers: int = 2) -> Mapper:
    """A :data:`~lupuscart.trial.Mapper` that runs chunks on Dask.

    Parameters
    ----------
    address:
        Scheduler address (``tcp://host:port``) of an existing cluster; ``None`` starts a ``LocalCluster`` of
        ``workers`` single-threaded worker processes on 127.0.0.1 for the duration of the run.
    workers:
        Worker processes of the local cluster; ignored with ``address``.

    Raises
    ------
    InvalidInputError
        When iterated, if the scheduler at ``address`` does not answer within
        :data:`~lupuscart.trial._dask.CONNECT_TIMEOUT_S` seconds.

    Notes
    -----
    No cluster is started when there is nothing to run (every chunk already in the checkpoint).
    """
    return dask_task_mapper(run_chunk, address, workers)


def make_chunks(n: int, chunk_size: int) -> list[Chunk]:
    """Split patient indices ``0..n-1`` into consecutive chunks.

    >>> make_chunks(5, 2)
    [(0, 1), (2, 3), (4,)]
    """
    return [tuple(range(a, min(a + chunk_size, n))) for a in range(0, n, chunk_size)]


class TrialTables:
    """A finished trial's rows, kept where the run wrote them (its chunk store) and read when asked for.

    ``patients`` and ``visits`` read every chunk once and keep the table; :meth:`write` streams the chunks to the
    output files without holding them, so a large trial's tables never need to fit in memory. A store in a scratch
    folder (a run without ``--checkpoint``) is removed when the tables object is garbage collected.
    """

    def __init__(self, store: Any, arms: Sequence[str], scratch: str | None = None) -> None:
        self._store = store
        self.arms = list(arms)
        self._cache: dict[str, pd.DataFrame] = {}
        if scratch is not None:
            weakref.finalize(self, shutil.rmtree, scratch, True)

    def read(self, kind: str) -> pd.DataFrame:
        """All rows of ``kind`` (``patients`` or ``visits``), sorted by arm, patient (and day)."""
        if kind not in self._cache:
            self._cache[kind] = self._store.read(kind, self.arms)
        return self._cache[kind]

    def write(self, out: Path) -> list[Path]:
        """Stream ``patients.parquet``, ``patients.csv`` and ``visits.parquet`` into ``out``, arm by arm and chunk
        by group of chunks (:data:`WRITE_GROUP_CHUNKS`), in the order of :meth:`read`; one group is in memory at a
        time."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        paths = [out / "patients.parquet", out / "patients.csv", out / "visits.parquet"]
        for kind, parquet in (("patients", paths[0]), ("visits", paths[2])):
            files = [f for f in self._store.chunk_paths(kind) if f is not None]
            if not files:
                pd.DataFrame().to_parquet(parquet, index=False)
                if kind == "patients":
                    paths[1].write_text("\n", encoding="utf-8")
                continue
            schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
            order = [("patient_id", "ascending")] + ([("day", "ascending")] if kind == "visits" else [])
            csv = open(paths[1], "w", encoding="utf-8", newline="") if kind == "patients" else None  # noqa: SIM115
            try:
                with pq.ParquetWriter(parquet, schema) as writer:
                    for arm in self.arms:
                        for first in range(0, len(files), WRITE_GROUP_CHUNKS):
                            group = files[first : first + WRITE_GROUP_CHUNKS]
                            table = pa.concat_tables([_conform(pq.read_table(f), schema) for f in group])
                            rows = table.filter(pc.equal(table["arm"], arm)).sort_by(order)
                            if not rows.num_rows:
                                continue
                            writer.write_table(rows)
                            if csv is not None:
                                formula_safe(rows.to_pandas()).to_csv(
                                    csv, index=False, header=csv.tell() == 0, lineterminator="\n"
                                )
            finally:
                if csv is not None:
                    csv.close()
        return paths


#: Largest default chunk (patients per unit of work). Each chunk costs a fixed overhead (sampling set-up, a kernel
#: call, a task, Parquet files and a sealed record in the store): with 25 patients a trial patient cost 6.8 ms of
#: CPU, with 100 5.5 ms and with 256 5.2 ms (2000 patients, one thread). 250 keeps that overhead small while a
#: chunk still finishes in about a second per worker, so progress and an interrupted run lose little.
MAX_DEFAULT_CHUNK = 250

#: Chunk files read, sorted and written together by :meth:`TrialTables.write`: consecutive chunks hold consecutive
#: patients, so each group sorted on its own is in global order, and a group costs one pandas/CSV round trip
#: instead of one per chunk (small chunks, e.g. ``--chunk-size 25``, made that dominate). Memory: one group, at most
#: 16 × :data:`MAX_DEFAULT_CHUNK` patients with default chunks (≈ 10 MB of patient rows).
WRITE_GROUP_CHUNKS = 16


def _conform(table: Any, schema: Any) -> Any:
    """``table`` with exactly the columns and types of ``schema`` (absent columns as nulls)."""
    import pyarrow as pa

    columns = [
        table[name].cast(f.type) if name in table.column_names else pa.nulls(table.num_rows, f.type)
        for name, f in zip(schema.names, schema, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=schema)


@dataclass
class TrialResult:
    """A finished virtual trial.

    Attributes
    ----------
    config : TrialConfig
        The validated configuration actually run (``patients`` and ``seed`` as run).
    endpoints : dict
        The ``trial --json`` object: the architecture.md keys of the first arm at the top level, every arm under
        ``arms[name]`` (same keys), plus ``arm``, ``model_version``, ``model_fingerprint``, ``small_trial``.
    tables : TrialTables
        The rows, read on demand as :attr:`patients` and :attr:`visits`.
    """

    config: TrialConfig
    endpoints: dict[str, Any]
    tables: TrialTables
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def patients(self) -> pd.DataFrame:
        """One row per patient and arm: arm, patient_id, trial_seed, journey_seed, covariates, η, summary fields,
        visit fields, the event days of the swimmer plot (:func:`swimmer_fields`) and the published-day
        fractions (VPC)."""
        return self.tables.read("patients")

    @property
    def visits(self) -> pd.DataFrame:
        """One row per scored visit: arm, patient_id, day, sledai2k, clinical_sledai2k, pga,
        prednisone_mg_per_day, doris_2021, drug_free_remission (the column names of ``lupuscart score``)."""
        return self.tables.read("visits")

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write patients.parquet/.csv, visits.parquet, endpoints.json and trial.json (config, seed, model).

        The tables are streamed from the run's chunks, so writing does not hold them in memory. In
        ``patients.csv`` text cells a spreadsheet would run as a formula are neutralised
        (:func:`lupuscart._spreadsheet.formula_safe`); the Parquet tables keep every value as it is.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = self.tables.write(out)
        paths.append(out / "endpoints.json")
        paths[-1].write_text(json.dumps(self.endpoints, indent=2, default=_json_default) + "\n")
        paths.append(out / "trial.json")
        paths[-1].write_text(json.dumps(self.metadata, indent=2, default=_json_default) + "\n")
        return paths


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, tuple | set):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def run_trial(
    config: TrialConfig,
    *,
    patients: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: bool = False,
    chunk_size: int | None = None,
    mapper: Mapper | None = None,
    scheduler: str | None = None,
    checkpoint: str | Path | None = None,
) -> TrialResult:
    """Run a virtual trial and compute its endpoints.

    Parameters
    ----------
    config:
        A validated :class:`TrialConfig` (:func:`load_trial_config`).
    patients, seed:
        Override the configuration's number of patients per arm and seed.
    workers:
        1 runs in this process; more start a local Dask cluster of that many single-threaded worker processes
        on 127.0.0.1. The result does not depend on it.
    progress:
        Show a progress bar on standard error.
    chunk_size:
        Patients per unit of work (default: about four chunks per worker, at most :data:`MAX_DEFAULT_CHUNK`). A resumed
        checkpoint keeps the chunk size it was started with.
    mapper:
        Custom executor (see :data:`Mapper`); overrides ``workers`` and ``scheduler``.
    scheduler:
        Address of an existing Dask scheduler (``tcp://host:port``) to run the chunks on; ``workers`` is then
        ignored.
    checkpoint:
        Directory of the chunk store. Finished chunks found there are checked and reused, the others are run;
        a checkpoint of different arguments or another model version is refused. Without it the chunks go to a
        temporary directory that is removed at the end.

    Raises
    ------
    InvalidInputError
        Bad arguments, an unreachable scheduler, a checkpoint of another run, a corrupted checkpoint file.

    Notes
    -----
    Memory: while the trial runs, this process holds only the chunks in flight (their rows are written to
    Parquet as soon as each chunk finishes); the workers hold one chunk each. The endpoints are computed from the
    analysis set gathered chunk by chunk (:mod:`._analysis`: the few dozen numbers per patient and arm the
    endpoints read, and exact counts of SLEDAI-2K per visit day), never from the whole tables; the result's
    :attr:`TrialResult.patients` and :attr:`TrialResult.visits` are read from the chunks only when asked for, and
    :meth:`TrialResult.write` streams them.

    Examples
    --------
    >>> from lupuscart.trial import load_trial_config
    >>> r = run_trial(load_trial_config(), patients=2, seed=1)
    >>> r.endpoints["patients"], len(r.patients)
    (2, 2)
    """
    check_run_arguments(patients=patients, seed=seed, workers=workers, chunk_size=chunk_size, scheduler=scheduler)
    update: dict[str, Any] = {}
    if patients is not None:
        update["patients"] = patients
    if seed is not None:
        update["seed"] = seed
    config = config.model_copy(update=update)
    n = config.patients
    size = chunk_size or max(1, min(MAX_DEFAULT_CHUNK, math.ceil(n / (4 * workers))))
    scratch = None
    if checkpoint is None:
        sweep_scratch()  # stores left by runs that were killed (SIGKILL) before they could remove them
        scratch = tempfile.mkdtemp(prefix=SCRATCH_PREFIX)
    try:
        with ChunkStore.open(checkpoint if checkpoint is not None else scratch or "", config, size) as store:
            chunks = make_chunks(n, store.chunk_size)
            done = store.finished()
            todo = [c for k, c in enumerate(chunks) if k not in done]
            if mapper is None and scheduler is not None:
                mapper = dask_mapper(scheduler)
            elif mapper is None and workers > 1:
                mapper = dask_mapper(None, workers)
            run = mapper or serial_mapper
            _drive(config, run, todo, store, progress)
            analysis = collect(
                store.iter_tables("patients", ANALYSIS_COLUMNS),
                store.iter_tables("visits", ("arm", "patient_id", "day", "sledai2k")),
                list(config.arms),
            )
            store.check_every_patient(analysis.patients, list(config.arms))
        endpoints = compute_endpoints(config, analysis)
    except BaseException:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    metadata = {
        "model_version": MODEL_VERSION,
        "model_fingerprint": default_model().definition.fingerprint,
        "seed": config.seed,
        "patients_per_arm": n,
        "arms": list(config.arms),
        "config": config.model_dump(mode="json"),
        "calibrated_parameters": _calibration_stamp(config),
        "chunk_size": store.chunk_size,
        "resumed_chunks": len(done),
    }
    return TrialResult(config, endpoints, TrialTables(store, list(config.arms), scratch), metadata)


def _drive(config: TrialConfig, run: Mapper, todo: list[Chunk], store: Any, progress: bool) -> None:
    """Run the chunks ``todo`` and write each to ``store`` as it finishes (showing a bar on stderr)."""
    drive_chunks(
        config,
        run,
        make_chunks(config.patients, store.chunk_size),
        todo,
        store,
        progress=progress,
        title=f"[bold]virtual trial[/] {config.name} ({len(config.arms)} arm(s))",
        rows_per_unit=len(config.arms),
    )


def drive_chunks(
    job: J,
    run: JobMapper[J],
    chunks: Sequence[Chunk],
    todo: Sequence[Chunk],
    store: Any,
    *,
    progress: bool,
    title: str,
    rows_per_unit: int = 1,
) -> None:
    """Map the chunks ``todo`` of ``job`` with ``run`` and write each to ``store`` (a
    :class:`~lupuscart.trial._checkpoint.ChunkStore`) as it finishes, with a progress bar on stderr.

    ``chunks`` are all the job's chunks (their position is the chunk id); each result's rows carry
    ``patient_id`` (the unit of work), and ``rows_per_unit`` rows are written per unit (one per arm).
    """
    first = {c[0]: k for k, c in enumerate(chunks)}
    total = sum(len(c) for c in chunks)

    def consume(advance: Callable[[int], None]) -> None:
        for p, v in run(job, list(todo)):
            chunk_id = first[min(int(r["patient_id"]) for r in p)]
            store.write(chunk_id, p, v)
            advance(len(p) // rows_per_unit)

    if not progress:
        consume(lambda k: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(title, total=total)
        bar.advance(task, total - sum(len(c) for c in todo))
        consume(lambda k: bar.advance(task, k))


def _calibration_stamp(config: TrialConfig) -> dict[str, Any]:
    if not config.population.calibrated:
        return {}
    c = calibrated_parameters()
    return {"typical": c.get("typical", {}), "fit": c.get("fit", {})}
