"""Kill, tamper and race the checkpoint store (issue 12, defects 2, 3 and 11's SIGTERM): two runs on one new
directory, foreign chunks, edited manifests and records, SIGKILL and SIGTERM mid-run, stale locks and scratch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lupuscart.trial import load_trial_config, run_trial
from lupuscart.trial._checkpoint import (
    LOCK,
    SCRATCH_PREFIX,
    CheckpointIncompleteError,
    ChunkStore,
    StoreLock,
    _sealed,
    sweep_scratch,
)

from ._cli import assert_refused, lupuscart, spawn, tree
from ._trial import SMALL, canonical, write_config

N, SEED = 6, 3
pytestmark = pytest.mark.xdist_group("checkpoint-store")


def _args(cfg: Path, ckpt: Path, seed: int = SEED, patients: int = N) -> list[str | Path]:
    return ["trial", "--config", cfg, "--patients", str(patients), "--seed", str(seed), "--checkpoint", ckpt]


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="module")
def expected() -> str:
    """The endpoints of the uninterrupted run, as ``--json`` prints them."""
    return canonical(run_trial(load_trial_config(SMALL), patients=N, seed=SEED).endpoints)


@pytest.fixture
def finished(cfg: Path, tmp_path: Path) -> Path:
    """A finished checkpoint of the run (chunks of 2 patients: 3 chunks)."""
    ckpt = tmp_path / "ckpt"
    done = lupuscart(*_args(cfg, ckpt), "--chunk-size", "2", "--json")
    assert done.returncode == 0, done.stderr
    return ckpt


def _json(path: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(path.read_text())
    return body


def _put(path: Path, body: dict[str, Any], seal: str | None = None) -> None:
    path.write_text(json.dumps(_sealed(body, seal) if seal else body, sort_keys=True))


def _resume(cfg: Path, ckpt: Path, *names: str) -> str:
    return assert_refused(lupuscart(*_args(cfg, ckpt), "--json"), *names)


# -- races (defect 2) --------------------------------------------------------------------------------------------


def test_two_runs_started_together_on_one_new_directory(cfg: Path, tmp_path: Path, expected: str) -> None:
    ckpt = tmp_path / "ckpt"
    procs = {seed: spawn(*_args(cfg, ckpt, seed=seed), "--chunk-size", "1", "--json") for seed in (SEED, SEED + 1)}
    out = {seed: (p.wait(timeout=300), *p.communicate()) for seed, p in procs.items()}
    codes = sorted(code for code, _, _ in out.values())
    assert codes == [0, 2], {s: (c, e[-500:]) for s, (c, _, e) in out.items()}
    loser = next(e for c, _, e in out.values() if c == 2)
    assert "in use by another run" in loser or "belongs to a different run" in loser
    assert "Traceback" not in loser
    winner = next(s for s, (c, _, _) in out.items() if c == 0)
    # Only the winner's chunks are there: a later resume of the winner reuses them all, the other seed is refused.
    seeds = {pd.read_parquet(p, columns=["trial_seed"])["trial_seed"].iloc[0] for p in (ckpt / "patients").iterdir()}
    assert seeds == {winner}
    assert not (ckpt / LOCK).exists()
    other = SEED + 1 if winner == SEED else SEED
    assert_refused(lupuscart(*_args(cfg, ckpt, seed=other), "--json"), "belongs to a different run", "--seed")
    if winner == SEED:
        again = lupuscart(*_args(cfg, ckpt), "--json")
        assert canonical(json.loads(again.stdout)) == expected


def test_a_directory_locked_by_a_live_run_is_refused_naming_it(cfg: Path, tmp_path: Path) -> None:
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    lock = StoreLock(ckpt).acquire()
    try:
        message = assert_refused(lupuscart(*_args(cfg, ckpt)), "in use by another run", f"pid {os.getpid()}")
        assert socket.gethostname() in message
        assert sorted(p.name for p in ckpt.iterdir()) == [LOCK]  # nothing written by the refused run
    finally:
        lock.release()
    assert lupuscart(*_args(cfg, ckpt), "--json").returncode == 0


def test_a_run_creating_its_manifest_is_not_taken_for_a_foreign_directory(cfg: Path, tmp_path: Path) -> None:
    """The moment between the winner's lock and its manifest's rename: the loser must say 'in use'."""
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    lock = StoreLock(ckpt).acquire()
    (ckpt / ".manifest.json.x1y2.partial").write_text("{")
    try:
        assert_refused(lupuscart(*_args(cfg, ckpt)), "in use by another run")
    finally:
        lock.release()
    done = lupuscart(*_args(cfg, ckpt), "--json")  # the dead writer's partial manifest is cleared
    assert done.returncode == 0, done.stderr
    assert not list(ckpt.glob(".*.partial"))


def test_a_stale_lock_of_a_dead_run_is_taken_over(cfg: Path, tmp_path: Path, expected: str) -> None:
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    code = "import os, signal, sys; from lupuscart.trial._checkpoint import StoreLock; from pathlib import Path; "
    code += "StoreLock(Path(sys.argv[1])).acquire(); os.kill(os.getpid(), signal.SIGKILL)"
    subprocess.run([sys.executable, "-c", code, str(ckpt)], check=False, timeout=60)
    owner = _json(ckpt / LOCK)
    assert owner["host"] == socket.gethostname()  # the dead owner's record is still there
    done = lupuscart(*_args(cfg, ckpt), "--json")
    assert done.returncode == 0, done.stderr
    assert canonical(json.loads(done.stdout)) == expected
    assert not (ckpt / LOCK).exists()


# -- foreign chunks (defect 2) -----------------------------------------------------------------------------------


def _copy_chunk(source: Path, target: Path, chunk: int) -> Path:
    name = f"chunk-{chunk:06d}"
    for kind, ext in (("patients", "parquet"), ("visits", "parquet"), ("chunks", "json")):
        shutil.copy(source / kind / f"{name}.{ext}", target / kind / f"{name}.{ext}")
    return target / "chunks" / f"{name}.json"


def test_a_chunk_of_another_run_is_refused(cfg: Path, finished: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert lupuscart(*_args(cfg, other, seed=SEED + 7), "--chunk-size", "2").returncode == 0
    record = _copy_chunk(other, finished, 1)
    _resume(cfg, finished, "corrupted checkpoint file", str(record), "belongs to another run")


def test_a_foreign_chunk_relabelled_with_this_runs_key_is_still_refused(
    cfg: Path, finished: Path, tmp_path: Path
) -> None:
    """Even with its record forged (this run's key, a valid SHA-256), the rows are of another seed."""
    other = tmp_path / "other"
    assert lupuscart(*_args(cfg, other, seed=SEED + 7), "--chunk-size", "2").returncode == 0
    run = _json(finished / "chunks" / "chunk-000001.json")["run"]
    record = _copy_chunk(other, finished, 1)
    body = _json(record)
    _put(record, {**body, "run": run}, "record_sha256")
    _resume(cfg, finished, "not this run's")


def test_a_chunk_moved_to_another_id_is_refused(cfg: Path, finished: Path) -> None:
    chunks = finished / "chunks"
    body = _json(chunks / "chunk-000000.json")
    _put(chunks / "chunk-000002.json", {**body, "chunk": 2}, "record_sha256")
    _resume(cfg, finished, "chunk-000002.json", "holds patients 0-1")


# -- tampering (defect 3) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reseal", "named"),
    [
        ("n_chunks", 2, False, "SHA-256 does not match"),
        ("n_chunks", 2, True, "do not cover 6 patients"),
        ("chunk_size", 3, False, "SHA-256 does not match"),
        ("chunk_size", 3, True, "do not cover 6 patients"),
        ("chunk_size", "2", True, "do not cover 6 patients"),
    ],
)
def test_edited_manifest_is_refused(
    cfg: Path, finished: Path, field: str, value: object, reseal: bool, named: str
) -> None:
    manifest = finished / "manifest.json"
    _put(manifest, {**_json(manifest), field: value}, "manifest_sha256" if reseal else None)
    _resume(cfg, finished, "manifest", named)


def test_chunk_size_and_count_edited_consistently_meet_the_records(cfg: Path, finished: Path) -> None:
    """chunk_size 3 with n_chunks 2 covers 6 patients, but the records were written for chunks of 2."""
    manifest = finished / "manifest.json"
    _put(manifest, {**_json(manifest), "chunk_size": 3, "n_chunks": 2}, "manifest_sha256")
    _resume(cfg, finished, "corrupted checkpoint file", "holds patients 0-1, chunk 0 is (0, 2)")


def test_edited_run_key_is_refused(cfg: Path, finished: Path) -> None:
    manifest = finished / "manifest.json"
    body = _json(manifest)
    body["key"]["patients"] = 4
    _put(manifest, body, "manifest_sha256")
    _resume(cfg, finished, "manifest", "run key does not match")


@pytest.mark.parametrize(
    ("kind", "rows", "reseal", "named"),
    [
        ("patients", 1, False, "SHA-256 does not match its content"),
        ("patients", 1, True, "1 patient rows recorded for 2 patients"),
        ("visits", 3, True, "visit rows are not this chunk's"),
    ],
)
def test_edited_row_counts_are_refused(
    cfg: Path, finished: Path, kind: str, rows: int, reseal: bool, named: str
) -> None:
    record = finished / "chunks" / "chunk-000001.json"
    body = _json(record)
    body[kind] = {**body[kind], "rows": rows}
    _put(record, body, "record_sha256" if reseal else None)
    _resume(cfg, finished, str(record), named)


def test_a_missing_data_file_is_refused(cfg: Path, finished: Path) -> None:
    (finished / "visits" / "chunk-000002.parquet").unlink()
    _resume(cfg, finished, "chunk-000002.parquet", "is missing", "chunk-000002.json")


def test_a_refused_resume_writes_nothing(cfg: Path, finished: Path) -> None:
    manifest = finished / "manifest.json"
    _put(manifest, {**_json(manifest), "n_chunks": 5})
    before = tree(finished)
    _resume(cfg, finished, "manifest")
    assert tree(finished) == before


def test_a_run_that_loses_rows_is_an_error_not_a_smaller_trial(tmp_path: Path) -> None:
    """Whatever happens to the chunks, a run accounts for every patient or fails (never 50 of 80)."""
    config = load_trial_config({**SMALL, "patients": 4})
    with ChunkStore.open(tmp_path / "s", config, 2) as store:
        rows = [{"arm": "cd19_1e6_erlangen", "patient_id": i, "trial_seed": 0, "status": "ok"} for i in (0, 1)]
        store.write(0, rows, [])
        store.write(1, rows, [])  # the patients of chunk 0 again, in chunk 1
        with pytest.raises(CheckpointIncompleteError, match="not one for each of the 4 patients"):
            store.read("patients", list(config.arms))


# -- SIGKILL and SIGTERM -----------------------------------------------------------------------------------------


def _wait_for_chunks(proc: subprocess.Popen[str], records: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if records.is_dir() and len(list(records.glob("chunk-*.json"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the run ended (or stalled) before {count} chunks: {proc.poll()}")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_mid_run_then_resumed_accounts_for_every_patient(
    cfg: Path, tmp_path: Path, expected: str, sig: signal.Signals
) -> None:
    ckpt = tmp_path / "ckpt"
    proc = spawn(*_args(cfg, ckpt), "--chunk-size", "1", "--json")
    try:
        _wait_for_chunks(proc, ckpt / "chunks", 2)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        code = proc.returncode
    finally:
        proc.kill()
        proc.communicate()
    if sig == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM
        assert "terminated (SIGTERM)" in err
        assert "Traceback" not in err
        assert not (ckpt / LOCK).exists()  # released on the way out
    else:
        assert code == -signal.SIGKILL
    done = lupuscart(*_args(cfg, ckpt), "--chunk-size", "1", "--json")
    assert done.returncode == 0, done.stderr
    assert canonical(json.loads(done.stdout)) == expected
    assert len(list((ckpt / "chunks").glob("chunk-*.json"))) == N
    assert not list(ckpt.rglob(".*.partial"))


def test_sigterm_leaves_no_scratch_folder(tmp_path: Path) -> None:
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    cfg = write_config(tmp_path)
    proc = spawn("trial", "--config", cfg, "--patients", "40", "--chunk-size", "1", env={"TMPDIR": str(scratch_root)})
    try:
        deadline = time.monotonic() + 120
        while not list(scratch_root.glob(f"{SCRATCH_PREFIX}*/chunks/chunk-*.json")):
            assert time.monotonic() < deadline, "no chunk was written"
            assert proc.poll() is None, "the run ended before it could be terminated"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, err[-500:]
    assert list(scratch_root.iterdir()) == []


def test_scratch_of_a_killed_run_is_swept_by_the_next(tmp_path: Path) -> None:
    dead, alive = tmp_path / f"{SCRATCH_PREFIX}dead", tmp_path / f"{SCRATCH_PREFIX}alive"
    dead.mkdir()
    alive.mkdir()
    code = "import os, signal, sys; from lupuscart.trial._checkpoint import StoreLock; from pathlib import Path; "
    code += "StoreLock(Path(sys.argv[1])).acquire(); os.kill(os.getpid(), signal.SIGKILL)"
    subprocess.run([sys.executable, "-c", code, str(dead)], check=False, timeout=60)
    held = StoreLock(alive).acquire()
    try:
        assert sweep_scratch(tmp_path) == [dead]
        assert alive.is_dir()  # a live run's scratch is left alone
    finally:
        held.release()


def test_scratch_without_a_lock_is_left_alone_for_a_day(tmp_path: Path) -> None:
    """A lock-less store may belong to a running lupuscart without locks (an older version): only stale ones go."""
    import os
    import time

    from lupuscart.trial._checkpoint import UNLOCKED_SCRATCH_MAX_AGE_S

    fresh, stale = tmp_path / f"{SCRATCH_PREFIX}fresh", tmp_path / f"{SCRATCH_PREFIX}stale"
    for path in (fresh, stale):
        (path / "patients").mkdir(parents=True)
    old = time.time() - UNLOCKED_SCRATCH_MAX_AGE_S - 60
    os.utime(stale, (old, old))
    assert sweep_scratch(tmp_path) == [stale]
    assert fresh.is_dir()
