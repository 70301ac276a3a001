"""Checkpoints: chunk-size invariance, kill-and-resume equality, refusal of other runs and of corrupted files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lupuscart.cli import main
from lupuscart.exceptions import InvalidInputError
from lupuscart.trial import TrialResult, load_trial_config, run_trial

from ._shared import SMALL, canonical, write_config

N, SEED = 12, 5


@pytest.fixture(scope="module")
def reference() -> TrialResult:
    """The uninterrupted run, serial, no checkpoint."""
    return run_trial(load_trial_config(SMALL), patients=N, seed=SEED, chunk_size=3)


def _same(a: TrialResult, b: TrialResult) -> None:
    assert canonical(a.endpoints) == canonical(b.endpoints)
    pd.testing.assert_frame_equal(a.patients, b.patients)
    pd.testing.assert_frame_equal(a.visits, b.visits)


@pytest.mark.parametrize("chunk_size", [1, 5, N])
def test_chunk_size_does_not_change_results(reference: TrialResult, chunk_size: int) -> None:
    _same(reference, run_trial(load_trial_config(SMALL), patients=N, seed=SEED, chunk_size=chunk_size))


def test_checkpoint_layout_and_rerun_reuses_every_chunk(reference: TrialResult, tmp_path: Path) -> None:
    ckpt = tmp_path / "ckpt"
    first = run_trial(load_trial_config(SMALL), patients=N, seed=SEED, chunk_size=4, checkpoint=ckpt)
    _same(reference, first)
    manifest = json.loads((ckpt / "manifest.json").read_text())
    assert manifest["chunk_size"] == 4
    assert manifest["n_chunks"] == 3
    assert manifest["key"]["model_fingerprint"]
    assert sorted(p.name for p in (ckpt / "patients").iterdir()) == [f"chunk-00000{k}.parquet" for k in range(3)]
    # A rerun (another chunk size asked for: the checkpoint's own wins) computes nothing and gives the same result.
    again = run_trial(load_trial_config(SMALL), patients=N, seed=SEED, chunk_size=1, checkpoint=ckpt)
    assert again.metadata["resumed_chunks"] == 3
    _same(reference, again)


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-c", "from lupuscart.cli import main; main()", "trial", *args]


def test_sigkill_then_resume_equals_uninterrupted(reference: TrialResult, tmp_path: Path) -> None:
    ckpt = tmp_path / "ckpt"
    args = ["--config", str(write_config(tmp_path)), "--patients", str(N), "--seed", str(SEED)]
    args += ["--checkpoint", str(ckpt), "--chunk-size", "1", "--json"]
    proc = subprocess.Popen(_cli(args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    records = ckpt / "chunks"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if records.is_dir() and len(list(records.glob("chunk-*.json"))) >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    before = {p.name: p.read_bytes() for p in records.glob("chunk-*.json")}
    assert 3 <= len(before) < N
    done = subprocess.run(_cli(args), capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert canonical(json.loads(done.stdout)) == canonical(reference.endpoints)
    # The chunks finished before the kill were reused, not recomputed.
    assert all((records / name).read_bytes() == body for name, body in before.items())
    assert len(list(records.glob("chunk-*.json"))) == N


def _ok(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code in (0, None)


@pytest.fixture
def checkpointed(tmp_path: Path) -> tuple[list[str], Path]:
    ckpt = tmp_path / "ckpt"
    args = ["trial", "--config", str(write_config(tmp_path)), "--patients", "4", "--seed", "2"]
    args += ["--checkpoint", str(ckpt), "--chunk-size", "2", "--json"]
    _ok(args)
    return args, ckpt


def _exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("how", ["truncate", "flip"])
def test_corrupted_chunk_file_is_refused(
    checkpointed: tuple[list[str], Path], capsys: pytest.CaptureFixture[str], how: str
) -> None:
    args, ckpt = checkpointed
    victim = ckpt / "visits" / "chunk-000001.parquet"
    data = victim.read_bytes()
    flipped = data[:100] + bytes([data[100] ^ 1]) + data[101:]
    victim.write_bytes(data[: len(data) // 2] if how == "truncate" else flipped)
    err = _exit_2(args, capsys)
    assert "corrupted checkpoint file" in err
    assert str(victim) in err
    assert "chunk-000001.json" in err  # says what to delete to recompute that chunk
    assert "Traceback" not in err
    # Following the advice recomputes that chunk and gives the uninterrupted result.
    (ckpt / "chunks" / "chunk-000001.json").unlink()
    capsys.readouterr()
    _ok(args)
    resumed = json.loads(capsys.readouterr().out)
    expected = run_trial(load_trial_config(SMALL), patients=4, seed=2)
    assert canonical(resumed) == canonical(expected.endpoints)


def test_corrupted_record_is_refused(checkpointed: tuple[list[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    args, ckpt = checkpointed
    record = ckpt / "chunks" / "chunk-000000.json"
    record.write_text(record.read_text()[:10])
    err = _exit_2(args, capsys)
    assert f"corrupted checkpoint file {str(record)!r}" in err


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (["--seed", "3"], "--seed (checkpoint 2, now 3)"),
        (["--patients", "6"], "--patients (checkpoint 4, now 6)"),
        (["--config", "OTHER"], "the trial configuration (--config: protocol)"),
    ],
)
def test_checkpoint_of_other_arguments_is_refused(
    checkpointed: tuple[list[str], Path], capsys: pytest.CaptureFixture[str], change: list[str], named: str
) -> None:
    args, ckpt = checkpointed
    if change[1] == "OTHER":
        (ckpt.parent / "other").mkdir()
        other = dict(SMALL, protocol={"followup": {"days": 500}})
        change = [change[0], str(write_config(ckpt.parent / "other", other))]
    new = list(args)
    new[new.index(change[0]) + 1] = change[1]
    err = _exit_2(new, capsys)
    assert "belongs to a different run and is refused" in err
    assert named in err


def test_model_version_change_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_trial_config(SMALL)
    run_trial(cfg, patients=2, seed=1, checkpoint=tmp_path / "c")
    import lupuscart.model

    monkeypatch.setattr(lupuscart.model, "MODEL_VERSION", "0.0-other")
    with pytest.raises(InvalidInputError, match=r"model version \(checkpoint '.*', now '0.0-other'\)"):
        run_trial(cfg, patients=2, seed=1, checkpoint=tmp_path / "c")


def test_foreign_directory_and_file_are_refused(tmp_path: Path) -> None:
    cfg: Any = load_trial_config(SMALL)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInputError, match="not a lupuscart checkpoint"):
        run_trial(cfg, patients=2, checkpoint=tmp_path)
    with pytest.raises(InvalidInputError, match="must be a directory"):
        run_trial(cfg, patients=2, checkpoint=tmp_path / "notes.txt")
