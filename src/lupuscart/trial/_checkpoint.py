"""A trial's chunk store: one Parquet file per finished chunk, written atomically, checked before it is reused.

Every run writes its results here as chunks finish (into ``--checkpoint DIR``, or a temporary directory that is
removed afterwards), so the process that drives the trial holds no rows while it runs. The layout is::

    DIR/manifest.json                 what was run: configuration, patients, seed, lupuscart and model versions
    DIR/patients/chunk-000012.parquet one row per patient and arm of chunk 12
    DIR/visits/chunk-000012.parquet   one row per scored visit of chunk 12
    DIR/chunks/chunk-000012.json      the commit record: file names, row counts, SHA-256 of both files

A chunk is finished when its commit record exists. Each file is written to a temporary name, flushed to disk
(``fsync``) and renamed, and the record is written the same way *after* both data files, so a run killed at any
moment leaves either a finished chunk or files that the next run overwrites: no patient is lost or counted twice.
On resume the manifest must match the new run (else :class:`~lupuscart.exceptions.InvalidInputError` names what
differs) and every finished chunk's files must match their recorded SHA-256 (else the error names the file and
says to delete that chunk's record so that it is recomputed).

The manifest also fixes the chunk size: a resumed run reuses it, whatever ``--workers`` is now, since results do
not depend on the chunking.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import InvalidInputError
from ._config import TrialConfig

MANIFEST = "manifest.json"
FORMAT = 2  # 2: patients and visits keyed by patient_id (the scorer's vocabulary)
_KINDS = ("patients", "visits")


def run_key(config: TrialConfig) -> dict[str, Any]:
    """What a checkpoint must agree on to be reused: the configuration as run and the code that runs it.

    >>> from lupuscart.trial import load_trial_config
    >>> sorted(run_key(load_trial_config({"patients": 3})))
    ['config', 'lupuscart_version', 'model_fingerprint', 'model_version', 'patients', 'seed']
    """
    from .. import __version__
    from ..model import MODEL_VERSION, default_model

    return {
        "patients": config.patients,
        "seed": config.seed,
        "config": config.model_dump(mode="json"),
        "lupuscart_version": __version__,
        "model_version": MODEL_VERSION,
        "model_fingerprint": default_model().definition.fingerprint,
    }


def _canonical(x: Any) -> bytes:
    return json.dumps(x, sort_keys=True, separators=(",", ":")).encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees either the old file or all of the new one."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


class ChunkStore:
    """The chunk files of one trial run in ``root`` (see the module docstring).

    Use :meth:`open`, which creates the directory and its manifest, or checks them when resuming.
    """

    def __init__(self, root: Path, chunk_size: int, n_chunks: int) -> None:
        self.root = root
        self.chunk_size = chunk_size
        self.n_chunks = n_chunks
        for kind in (*_KINDS, "chunks"):
            (root / kind).mkdir(parents=True, exist_ok=True)

    @classmethod
    def open(cls, root: str | Path, config: TrialConfig, chunk_size: int) -> ChunkStore:
        """Create the store (empty ``root``) or reopen it for resuming (same run key; its chunk size wins).

        Raises
        ------
        InvalidInputError
            If ``root`` is a file, holds something other than a lupuscart checkpoint, or is the checkpoint of a
            different run (the message names what differs).
        """
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise InvalidInputError(f"The '--checkpoint' option must be a directory. Got {str(root)!r}, a file.")
        key = run_key(config)
        manifest = root / MANIFEST
        if not manifest.exists():
            if root.exists() and any(root.iterdir()):
                raise InvalidInputError(
                    f"the checkpoint directory {str(root)!r} is not empty and has no {MANIFEST}: it is not a "
                    "lupuscart checkpoint; choose a new or empty directory"
                )
            root.mkdir(parents=True, exist_ok=True)
            n_chunks = -(-config.patients // chunk_size)
            body = {
                "format": FORMAT,
                "key_sha256": _sha256(_canonical(key)),
                "chunk_size": chunk_size,
                "n_chunks": n_chunks,
                "key": key,
            }
            _atomic_write(manifest, json.dumps(body, indent=2, sort_keys=True).encode() + b"\n")
            return cls(root, chunk_size, n_chunks)
        try:
            old = json.loads(manifest.read_text())
            old_key, size, n_chunks = old["key"], int(old["chunk_size"]), int(old["n_chunks"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInputError(
                f"the checkpoint manifest {str(manifest)!r} is unreadable ({exc}); it cannot be trusted: delete the "
                "checkpoint directory and start again"
            ) from None
        if old.get("format") != FORMAT or old.get("key_sha256") != _sha256(_canonical(key)):
            raise InvalidInputError(
                f"the checkpoint {str(root)!r} belongs to a different run and is refused, not mixed in: "
                + "; ".join(_differences(old_key, key))
                + ". Rerun with the checkpoint's arguments, or use a new --checkpoint directory."
            )
        store = cls(root, size, n_chunks)
        for kind in (*_KINDS, "chunks"):
            for stale in (root / kind).glob(".*.tmp-*"):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
        return store

    def _record(self, chunk_id: int) -> Path:
        return self.root / "chunks" / f"chunk-{chunk_id:06d}.json"

    def finished(self) -> set[int]:
        """Ids of the finished chunks, after checking every file against its recorded SHA-256.

        Raises
        ------
        InvalidInputError
            Naming the first corrupted, truncated or missing file and how to proceed.
        """
        done: set[int] = set()
        for rec in sorted((self.root / "chunks").glob("chunk-*.json")):
            advice = f"delete {str(rec)!r} so that its chunk is recomputed, then rerun"
            try:
                body = json.loads(rec.read_text())
                chunk_id = int(body["chunk"])
                files = {k: body[k] for k in _KINDS}
            except (ValueError, KeyError, TypeError):
                raise InvalidInputError(
                    f"corrupted checkpoint file {str(rec)!r}: unreadable record; {advice}"
                ) from None
            if rec != self._record(chunk_id) or not 0 <= chunk_id < self.n_chunks:
                raise InvalidInputError(f"corrupted checkpoint file {str(rec)!r}: wrong chunk id; {advice}")
            for kind, f in files.items():
                if f["rows"] == 0:
                    continue
                path = self.root / kind / f["file"]
                if not path.is_file():
                    raise InvalidInputError(f"checkpoint file {str(path)!r} is missing; {advice}")
                if _sha256(path.read_bytes()) != f["sha256"]:
                    raise InvalidInputError(
                        f"corrupted checkpoint file {str(path)!r}: its SHA-256 differs from the one recorded when "
                        f"it was written (truncated or modified); {advice}"
                    )
            done.add(chunk_id)
        return done

    def write(self, chunk_id: int, patients: list[dict[str, Any]], visits: list[dict[str, Any]]) -> None:
        """Write one finished chunk: both Parquet files, then the commit record (each atomically)."""
        record: dict[str, Any] = {"format": FORMAT, "chunk": chunk_id}
        for kind, rows in zip(_KINDS, (patients, visits), strict=True):
            name = f"chunk-{chunk_id:06d}.parquet"
            if not rows:
                record[kind] = {"file": None, "rows": 0, "sha256": None}
                continue
            data = _parquet_bytes(rows)
            _atomic_write(self.root / kind / name, data)
            record[kind] = {"file": name, "rows": len(rows), "sha256": _sha256(data)}
        _atomic_write(self._record(chunk_id), json.dumps(record, sort_keys=True).encode() + b"\n")

    def read(self, kind: str, arms: Sequence[str], columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All finished chunks' rows of ``kind`` (``patients`` or ``visits``), sorted by arm (in ``arms``
        order), patient and day; only ``columns`` when given."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = []
        for chunk_id in range(self.n_chunks):
            path = self.root / kind / f"chunk-{chunk_id:06d}.parquet"
            rec = self._record(chunk_id)
            if rec.exists() and json.loads(rec.read_text())[kind]["rows"]:
                tables.append(pq.read_table(path, columns=list(columns) if columns else None))
        if not tables:
            return pd.DataFrame()
        df: pd.DataFrame = pa.concat_tables(tables, promote_options="permissive").to_pandas()
        order = {a: k for k, a in enumerate(arms)}
        by = ["arm", "patient_id"] if kind == "patients" else ["arm", "patient_id", "day"]
        df = df.sort_values(by, key=lambda s: s.map(order) if s.name == "arm" else s, kind="stable")
        return df.reset_index(drop=True)
