"""A trial's chunk store: one Parquet file per finished chunk, written atomically, checked before it is reused.

Every run writes its results here as chunks finish (into ``--checkpoint DIR``, or a temporary directory that is
removed afterwards), so the process that drives the trial holds no rows while it runs. The layout is::

    DIR/lock                          the run using the store: pid, host, start time (held with flock)
    DIR/manifest.json                 what was run: configuration, patients, seed, versions; chunk size and count
    DIR/patients/chunk-000012.parquet one row per patient and arm of chunk 12
    DIR/visits/chunk-000012.parquet   one row per scored visit of chunk 12
    DIR/chunks/chunk-000012.json      the commit record: run key, patient range, row counts, SHA-256 of both files

*One run at a time.* A run holds an exclusive ``flock`` on ``DIR/lock`` for as long as it uses the store; the
file names its owner (pid, host, start), so a second run on the same directory is refused with who holds it.
The operating system drops the lock when its owner dies, even by SIGKILL, so a stale lock (the owner is gone)
is taken over by the next run without anyone deleting it.

*Nothing that decides the result is unchecked.* The manifest carries the SHA-256 of the run key and of its own
body (format, run key, chunk size, number of chunks), and the number of chunks must follow from the patients
and the chunk size. Each commit record carries the run key's SHA-256, the chunk's patient range, the row
counts and the files' SHA-256, and its own SHA-256 over all of that. Before a chunk is reused its record must
match the manifest's run key and the chunk's expected patient range, its files their SHA-256, and the rows of
its Parquet files must be exactly the expected (arm, patient) pairs with the run's seed. After the run the store
must account for every patient of every arm exactly once (:meth:`ChunkStore.read` checks it). Checksums catch
accidents and edits, not a forger who recomputes them; the content checks catch chunks of another run.

A chunk is finished when its commit record exists. Each file is written with
:func:`~lupuscart._atomic.atomic_file` (temporary sibling, ``fsync``, rename), and the record *after* both data
files, so a run killed at any moment leaves either a finished chunk or files that the next run overwrites. On
resume the manifest must match the new run (else :class:`~lupuscart.exceptions.InvalidInputError` names what
differs) and every finished chunk must pass the checks above (else the error names the file and says to delete
that chunk's record so that it is recomputed).

The manifest also fixes the chunk size: a resumed run reuses it, whatever ``--workers`` is now, since results do
not depend on the chunking.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import socket
import tempfile
import time
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__, model
from .._atomic import atomic_file
from .._run_arguments import MAX_CHUNK_SIZE
from ..exceptions import InvalidInputError, LupuscartError, shorten
from ._config import TrialConfig

MANIFEST = "manifest.json"
LOCK = "lock"
#: 2: rows keyed by patient_id (the scorer's vocabulary); 3: the lock file, sealed manifest and chunk records.
FORMAT = 3
#: Prefix of the scratch stores of runs without ``--checkpoint`` (in the system's temporary directory).
SCRATCH_PREFIX = "lupuscart-trial-"
_KINDS = ("patients", "visits")


class CheckpointIncompleteError(LupuscartError):
    """The store does not account for every patient after a run; this is a bug, please report it."""


def run_key(config: TrialConfig) -> dict[str, Any]:
    """What a checkpoint must agree on to be reused: the configuration as run and the code that runs it.

    >>> from lupuscart.trial import load_trial_config
    >>> sorted(run_key(load_trial_config({"patients": 3})))
    ['config', 'lupuscart_version', 'model_fingerprint', 'model_version', 'patients', 'seed']
    """
    return {
        "patients": config.patients,
        "seed": config.seed,
        "config": config.model_dump(mode="json"),
        "lupuscart_version": __version__,
        "model_version": model.MODEL_VERSION,  # read when called: a test stands in another version
        "model_fingerprint": model.default_model().definition.fingerprint,
    }


def _canonical(x: Any) -> bytes:
    return json.dumps(x, sort_keys=True, separators=(",", ":")).encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sealed(body: dict[str, Any], field: str) -> dict[str, Any]:
    """``body`` with ``field`` set to the SHA-256 of the rest of it."""
    return {**body, field: _sha256(_canonical({k: v for k, v in body.items() if k != field}))}


def _is_sealed(body: dict[str, Any], field: str) -> bool:
    return bool(body.get(field) == _sealed(body, field)[field])


def _write(path: Path, data: bytes) -> None:
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)


def _parquet_bytes(rows: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False).replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    names = {"patients": "--patients", "seed": "--seed", "lupuscart_version": "lupuscart version"}
    out = []
    for k in ("patients", "seed", "lupuscart_version", "model_version", "model_fingerprint"):
        if old.get(k) != new.get(k):
            out.append(f"{names.get(k, k.replace('_', ' '))} (checkpoint {old.get(k)!r}, now {new.get(k)!r})")
    oc, nc = old.get("config") or {}, new.get("config") or {}
    keys = sorted(k for k in set(oc) | set(nc) if k not in {"patients", "seed"} and oc.get(k) != nc.get(k))
    if keys:
        out.append("the trial configuration (--config: " + ", ".join(keys) + ")")
    return out or ["the checkpoint's run key (its manifest was edited)"]


class StoreLock:
    """An exclusive ``flock`` on ``root/lock`` naming its owner (pid, host, start time); see the module docstring.

    Raises
    ------
    InvalidInputError
        Another live process holds it (the message names the owner and what to do).
    """

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK
        self._fd: int | None = None
        self.took_over: dict[str, Any] | None = None

    def acquire(self) -> StoreLock:
        for _ in range(20):  # retried only if the file was replaced between open and flock
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                owner = _owner(fd)
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise self._busy(owner) from None
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the previous owner removed the file after we opened it: lock the new one
                os.close(fd)
                continue
            self.took_over = _owner(fd) or None  # a previous owner that died without releasing
            me = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode() + b"\n", 0)
            os.fsync(fd)
            self._fd = fd
            return self
        raise InvalidInputError(f"the checkpoint lock {str(self.path)!r} keeps being replaced; is another run busy?")

    def _busy(self, owner: dict[str, Any]) -> InvalidInputError:
        who = (
            f"pid {owner.get('pid')} on host {owner.get('host')!r}, started {owner.get('started')}"
            if owner
            else "another process"
        )
        return InvalidInputError(
            f"the checkpoint directory {str(self.path.parent)!r} is in use by another run ({who}); wait for it to "
            "finish, or use another --checkpoint directory. The lock is released when that process ends, even if "
            "it is killed."
        )

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)  # closing drops the flock
        self._fd = None


def _owner(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        owner = json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _one_row_each(rows: pd.DataFrame, first: int, last: int, n_arms: int) -> bool:
    """Whether ``rows`` hold exactly one row per (arm, patient) for patients ``first``..``last`` in ``n_arms`` arms."""
    ids = rows["patient_id"].astype("int64")
    pairs = set(zip(rows["arm"], ids, strict=True))
    return (
        len(rows) == (last - first + 1) * n_arms
        and len(pairs) == len(rows)
        and rows["arm"].nunique() == n_arms
        and set(ids) == set(range(first, last + 1))
    )


def _holds_files(root: Path) -> bool:
    """Whether ``root`` holds anything besides the lock and a store's partial writes (another run may be
    creating its manifest this very moment: that is for the lock to sort out, not a foreign directory)."""
    return any(p.name != LOCK and not (p.name.startswith(".") and p.name.endswith(".partial")) for p in root.iterdir())


#: Age (seconds since the last change) after which a lock-less scratch store is taken for abandoned.
UNLOCKED_SCRATCH_MAX_AGE_S = 24 * 3600


def sweep_scratch(directory: str | Path | None = None) -> list[Path]:
    """Remove the scratch stores (``lupuscart-trial-*``) of runs that died without cleaning up (SIGKILL, power
    loss): those whose lock no live process holds. Returns what was removed.

    A store whose lock is held belongs to a running trial and is left alone. A store without a lock file was made
    by a run that died before locking it, or by a lupuscart without locks that may still be running: it is left
    alone for :data:`UNLOCKED_SCRATCH_MAX_AGE_S` (a day) after its last change.
    """
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(SCRATCH_PREFIX + "*"):
        lock = path / LOCK
        try:
            if not path.is_dir() or path.is_symlink():
                continue
            if not lock.exists():
                if time.time() - path.stat().st_mtime < UNLOCKED_SCRATCH_MAX_AGE_S:
                    continue
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
                continue
            held = StoreLock(path).acquire()
        except (OSError, InvalidInputError):
            continue  # held by a live run, or not ours to touch
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            held.release()
    return removed


class ChunkStore:
    """The chunk files of one trial run in ``root`` (see the module docstring).

    Use :meth:`open`, which locks the directory, creates it and its manifest, or checks them when resuming; use
    the store as a context manager (``with ChunkStore.open(...) as store:``) or call :meth:`close` to release the
    lock (it is also released when the store is garbage-collected or the process ends).
    """

    def __init__(self, root: Path, config: TrialConfig, chunk_size: int, n_chunks: int, key_sha256: str) -> None:
        self.root = root
        self.config = config
        self.chunk_size = chunk_size
        self.n_chunks = n_chunks
        self.key_sha256 = key_sha256
        self._release: Any = None
        for kind in (*_KINDS, "chunks"):
            (root / kind).mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ChunkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the directory's lock (the store's files stay)."""
        if self._release is not None:
            self._release()

    @classmethod
    def open(cls, root: str | Path, config: TrialConfig, chunk_size: int) -> ChunkStore:
        """Lock ``root``, then create the store (empty ``root``) or reopen it for resuming (same run key; its chunk
        size wins). The lock is held until :meth:`close` (or the end of a ``with`` block).

        Raises
        ------
        InvalidInputError
            If ``root`` is a file, is locked by another live run, holds something other than a lupuscart
            checkpoint, or is the checkpoint of a different run (the message names what differs), or its manifest
            was modified.
        """
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise InvalidInputError(f"The '--checkpoint' option must be a directory. Got {str(root)!r}, a file.")
        if root.exists() and not (root / MANIFEST).exists() and _holds_files(root):
            raise InvalidInputError(
                f"the checkpoint directory {str(root)!r} is not empty and has no {MANIFEST}: it is not a "
                "lupuscart checkpoint; choose a new or empty directory"
            )
        root.mkdir(parents=True, exist_ok=True)
        lock = StoreLock(root).acquire()
        try:
            store = cls._opened(root, config, chunk_size)
        except BaseException:
            lock.release()
            raise
        store._release = weakref.finalize(store, lock.release)
        return store

    @classmethod
    def _opened(cls, root: Path, config: TrialConfig, chunk_size: int) -> ChunkStore:
        key = run_key(config)
        key_sha = _sha256(_canonical(key))
        manifest = root / MANIFEST
        if not manifest.exists():
            for stale in root.glob(".*.partial"):  # a manifest write cut short by a killed run
                stale.unlink(missing_ok=True)
            if _holds_files(root):  # checked again under the lock
                raise InvalidInputError(
                    f"the checkpoint directory {str(root)!r} is not empty and has no {MANIFEST}: it is not a "
                    "lupuscart checkpoint; choose a new or empty directory"
                )
            n_chunks = -(-config.patients // chunk_size)
            body = {"format": FORMAT, "key_sha256": key_sha, "chunk_size": chunk_size, "n_chunks": n_chunks, "key": key}
            _write(manifest, json.dumps(_sealed(body, "manifest_sha256"), indent=2, sort_keys=True).encode() + b"\n")
            return cls(root, config, chunk_size, n_chunks, key_sha)
        untrusted = (
            f"the checkpoint manifest {str(manifest)!r} was modified or is damaged"
            " ({}); it cannot be trusted: delete the checkpoint directory and start again"
        )
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
            old_key, size, n_chunks = old["key"], old["chunk_size"], old["n_chunks"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInputError(untrusted.format(f"unreadable: {shorten(str(exc), 100)}")) from None
        if old.get("format") != FORMAT:
            raise InvalidInputError(
                f"the checkpoint {str(root)!r} was written by another version of lupuscart (checkpoint format "
                f"{old.get('format')!r}, this one reads {FORMAT}); use a new --checkpoint directory"
            )
        if not _is_sealed(old, "manifest_sha256"):
            raise InvalidInputError(untrusted.format("its SHA-256 does not match its content"))
        if old.get("key_sha256") != _sha256(_canonical(old_key)):
            raise InvalidInputError(untrusted.format("the run key does not match its SHA-256"))
        if old.get("key_sha256") != key_sha:
            raise InvalidInputError(
                f"the checkpoint {str(root)!r} belongs to a different run and is refused, not mixed in: "
                + "; ".join(_differences(old_key, key))
                + ". Rerun with the checkpoint's arguments, or use a new --checkpoint directory."
            )
        integers = all(isinstance(v, int) and not isinstance(v, bool) for v in (size, n_chunks))
        if not integers or not 1 <= size <= MAX_CHUNK_SIZE or n_chunks != -(-config.patients // size):
            raise InvalidInputError(
                untrusted.format(
                    f"chunk_size {size!r} and n_chunks {n_chunks!r} do not cover {config.patients} patients"
                )
            )
        store = cls(root, config, size, n_chunks, key_sha)
        for kind in (*_KINDS, "chunks"):  # files of writes cut short by a killed run
            for stale in (root / kind).glob(".*.partial"):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
        return store

    def _record(self, chunk_id: int) -> Path:
        return self.root / "chunks" / f"chunk-{chunk_id:06d}.json"

    def chunk_range(self, chunk_id: int) -> tuple[int, int]:
        """First and last patient index of a chunk."""
        first = chunk_id * self.chunk_size
        return first, min(first + self.chunk_size, self.config.patients) - 1

    def finished(self) -> set[int]:
        """Ids of the finished chunks, after checking each against the manifest (see the module docstring).

        Raises
        ------
        InvalidInputError
            Naming the first corrupted, truncated, foreign or missing file and how to proceed.
        """
        done: set[int] = set()
        for rec in sorted((self.root / "chunks").glob("chunk-*.json")):
            self._check_chunk(rec)
            done.add(int(rec.stem.removeprefix("chunk-")))
        return done

    def _check_chunk(self, rec: Path) -> None:
        advice = f"delete {str(rec)!r} so that its chunk is recomputed, then rerun"

        def refuse(what: str) -> InvalidInputError:
            return InvalidInputError(f"corrupted checkpoint file {str(rec)!r}: {what}; {advice}")

        try:
            body = json.loads(rec.read_text(encoding="utf-8"))
            chunk_id, first, last, run = body["chunk"], body["first"], body["last"], body["run"]
            files = {k: body[k] for k in _KINDS}
            rows = {k: files[k]["rows"] for k in _KINDS}
        except (ValueError, KeyError, TypeError):
            raise refuse("unreadable record") from None
        if not _is_sealed(body, "record_sha256"):
            raise refuse("its SHA-256 does not match its content (modified)")
        if run != self.key_sha256:
            raise refuse("it belongs to another run (its run key differs from the manifest's)")
        if not isinstance(chunk_id, int) or rec != self._record(chunk_id) or not 0 <= chunk_id < self.n_chunks:
            raise refuse("wrong chunk id")
        if (first, last) != self.chunk_range(chunk_id):
            raise refuse(f"it holds patients {first}-{last}, chunk {chunk_id} is {self.chunk_range(chunk_id)}")
        arms = list(self.config.arms)
        if rows["patients"] != (last - first + 1) * len(arms):
            raise refuse(f"{rows['patients']} patient rows recorded for {last - first + 1} patients")
        for kind, f in files.items():
            if f["rows"] == 0:
                continue
            path = self.root / kind / f["file"]
            if not path.is_file() or path.parent != self.root / kind:
                raise InvalidInputError(f"checkpoint file {str(path)!r} is missing; {advice}")
            if _sha256(path.read_bytes()) != f["sha256"]:
                raise InvalidInputError(
                    f"corrupted checkpoint file {str(path)!r}: its SHA-256 differs from the one recorded when "
                    f"it was written (truncated or modified); {advice}"
                )
        self._check_rows(rec, first, last, rows, refuse)

    def _check_rows(self, rec: Path, first: int, last: int, rows: dict[str, int], refuse: Any) -> None:
        import pyarrow.parquet as pq

        name = rec.stem + ".parquet"
        path = self.root / "patients" / name
        columns = [c for c in ("arm", "patient_id", "trial_seed") if c in pq.read_schema(path).names]
        got = pq.read_table(path, columns=columns).to_pandas()
        if not {"arm", "patient_id"} <= set(got) or not _one_row_each(got, first, last, len(self.config.arms)):
            raise refuse("its patient rows are not this chunk's patients (indices or arms differ)")
        if len(got) != rows["patients"] or ("trial_seed" in got and set(got["trial_seed"]) != {self.config.seed}):
            raise refuse("its patient rows are not this run's (row count or seed differ)")
        arms = set(got["arm"])
        if rows["visits"]:
            visits = pq.read_table(self.root / "visits" / name, columns=["arm", "patient_id"]).to_pandas()
            inside = visits["patient_id"].between(first, last).all() and set(visits["arm"]) <= arms
            if len(visits) != rows["visits"] or not inside:
                raise refuse("its visit rows are not this chunk's patients")

    def write(self, chunk_id: int, patients: list[dict[str, Any]], visits: list[dict[str, Any]]) -> None:
        """Write one finished chunk: both Parquet files, then the sealed commit record (each atomically)."""
        first, last = self.chunk_range(chunk_id)
        record: dict[str, Any] = {"format": FORMAT, "chunk": chunk_id, "first": first, "last": last}
        record["run"] = self.key_sha256
        for kind, rows in zip(_KINDS, (patients, visits), strict=True):
            name = f"chunk-{chunk_id:06d}.parquet"
            if not rows:
                record[kind] = {"file": None, "rows": 0, "sha256": None}
                continue
            data = _parquet_bytes(rows)
            _write(self.root / kind / name, data)
            record[kind] = {"file": name, "rows": len(rows), "sha256": _sha256(data)}
        sealed = _sealed(record, "record_sha256")
        _write(self._record(chunk_id), json.dumps(sealed, sort_keys=True).encode() + b"\n")

    def iter_tables(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """Each chunk's rows of ``kind`` (``patients`` or ``visits``), one chunk at a time in chunk order (an empty
        frame for a chunk without such rows); only those of ``columns`` the chunk has, when given.

        Raises
        ------
        CheckpointIncompleteError
            A chunk is unfinished.
        """
        for table in self._arrow_tables(kind, columns):
            yield pd.DataFrame() if table is None else table.to_pandas()

    def chunk_paths(self, kind: str) -> list[Path | None]:
        """The Parquet file of ``kind`` of every chunk in chunk order (``None`` for a chunk without such rows).

        Raises
        ------
        CheckpointIncompleteError
            A chunk is unfinished.
        """
        missing = [k for k in range(self.n_chunks) if not self._record(k).exists()]
        if missing:
            raise CheckpointIncompleteError(
                f"chunks {missing[:10]} of {str(self.root)!r} are not finished after the run; this is a bug, please "
                "report it"
            )
        paths: list[Path | None] = []
        for chunk_id in range(self.n_chunks):
            rows = json.loads(self._record(chunk_id).read_text(encoding="utf-8"))[kind]["rows"]
            paths.append(self.root / kind / f"chunk-{chunk_id:06d}.parquet" if rows else None)
        return paths

    def _arrow_tables(self, kind: str, columns: Sequence[str] | None) -> Iterator[Any]:
        import pyarrow.parquet as pq

        for path in self.chunk_paths(kind):
            if path is None:
                yield None
                continue
            wanted = None if columns is None else [c for c in columns if c in pq.read_schema(path).names]
            yield pq.read_table(path, columns=wanted)

    def read(self, kind: str, arms: Sequence[str], columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All chunks' rows of ``kind`` (``patients`` or ``visits``), sorted by arm (in ``arms`` order), patient
        and day; only ``columns`` when given.

        Raises
        ------
        CheckpointIncompleteError
            A chunk is unfinished, or (``patients``) the rows are not exactly one per patient and arm.
        """
        import pyarrow as pa

        tables = [t for t in self._arrow_tables(kind, columns) if t is not None]
        df: pd.DataFrame = (
            pa.concat_tables(tables, promote_options="permissive").to_pandas() if tables else pd.DataFrame()
        )
        if kind == "patients":
            self.check_every_patient(df, arms)
        if df.empty:
            return df
        order = {a: k for k, a in enumerate(arms)}
        by = ["arm", "patient_id"] if kind == "patients" else ["arm", "patient_id", "day"]
        df = df.sort_values(by, key=lambda s: s.map(order) if s.name == "arm" else s, kind="stable")
        return df.reset_index(drop=True)

    def check_every_patient(self, df: pd.DataFrame, arms: Sequence[str]) -> None:
        """Refuse a table that is not exactly one row per patient and arm (``arm`` and ``patient_id`` columns)."""
        n = self.config.patients
        if len(df) and {"arm", "patient_id"} <= set(df) and _one_row_each(df, 0, n - 1, len(arms)):
            return
        raise CheckpointIncompleteError(
            f"the store {str(self.root)!r} holds {len(df)} patient rows, not one for each of the {n} patients in "
            f"each of the {len(arms)} arm(s); this is a bug, please report it"
        )
