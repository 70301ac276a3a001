"""Trials on Dask, on loopback only: 1 vs 2 workers, a worker killed mid-run, an external `dask scheduler`.

All tests here start Dask processes, so they share one xdist group (one pytest worker runs them in turn) and
carry the ``cluster`` mark.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from lupuscart.trial import TrialResult, dask_mapper, load_trial_config, run_trial

from ._shared import SMALL, canonical, write_config

pytestmark = [pytest.mark.cluster, pytest.mark.xdist_group("cluster")]

N, SEED = 12, 8


@pytest.fixture(scope="module")
def reference() -> TrialResult:
    return run_trial(load_trial_config(SMALL), patients=N, seed=SEED, chunk_size=2)


def _same(a: TrialResult, b: TrialResult) -> None:
    assert canonical(a.endpoints) == canonical(b.endpoints)
    pd.testing.assert_frame_equal(a.patients, b.patients)
    pd.testing.assert_frame_equal(a.visits, b.visits)


@pytest.mark.parametrize("workers", [1, 2])
def test_dask_workers_give_identical_results(reference: TrialResult, workers: int) -> None:
    cfg = load_trial_config(SMALL)
    _same(reference, run_trial(cfg, patients=N, seed=SEED, chunk_size=3, mapper=dask_mapper(None, workers)))


def test_workers_option_uses_a_local_cluster(reference: TrialResult) -> None:
    _same(reference, run_trial(load_trial_config(SMALL), patients=N, seed=SEED, workers=2))


def test_local_workers_run_one_numba_thread_each() -> None:
    """Each worker process compiles its batches on one thread: N workers use N cores, not N × cores."""
    from concurrent.futures import ProcessPoolExecutor

    from lupuscart.trial._dask import _client
    from lupuscart.trial._execute import one_numba_thread

    client = _client(None, 2)
    try:
        by_worker = client.run(lambda: __import__("numba").get_num_threads())
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    assert list(by_worker.values()) == [1, 1]
    with ProcessPoolExecutor(max_workers=1, initializer=one_numba_thread) as pool:
        assert pool.submit(_numba_threads).result() == 1


def _numba_threads() -> int:
    import numba

    return int(numba.get_num_threads())


def test_worker_killed_mid_run(reference: TrialResult, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
        ) as lc,
        Client(lc, set_as_default=False) as client,
    ):
        pids = client.run(os.getpid)
        ckpt = tmp_path / "ckpt"
        box: dict[str, object] = {}

        def go() -> None:
            try:
                box["result"] = run_trial(
                    load_trial_config(SMALL),
                    patients=N,
                    seed=SEED,
                    chunk_size=1,
                    checkpoint=ckpt,
                    mapper=dask_mapper(lc.scheduler_address),
                )
            except BaseException as exc:  # reported by the assertion below
                box["error"] = exc

        thread = threading.Thread(target=go)
        thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list((ckpt / "chunks").glob("chunk-*.json")):
            time.sleep(0.02)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        at_kill = len(list((ckpt / "chunks").glob("chunk-*.json")))
        thread.join(timeout=240)
        assert not thread.is_alive()
        assert "error" not in box, box.get("error")
        assert at_kill < N, "the trial finished before a worker could be killed"
        assert len(list((ckpt / "chunks").glob("chunk-*.json"))) == N
        client.wait_for_workers(2, timeout=60)
        assert victim not in client.run(os.getpid).values()  # the nanny restarted it under a new pid
    result = box["result"]
    assert isinstance(result, TrialResult)
    _same(reference, result)


@pytest.fixture(scope="module")
def external_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and one `dask worker` as subprocesses on 127.0.0.1, terminated at the end."""
    from distributed import Client

    dask = str(Path(sys.executable).parent / "dask")
    folder = tmp_path_factory.mktemp("dask")
    sched_file = folder / "scheduler.json"
    # The scheduler's HTTP endpoint always starts (8787 by default): a free loopback port instead.
    common = ["--dashboard-address", "127.0.0.1:0"]
    procs: list[subprocess.Popen[bytes]] = []
    log = open(folder / "dask.log", "wb")  # noqa: SIM115 (closed in the finalizer)
    try:
        procs.append(
            subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(sched_file), *common],
                stdout=log,
                stderr=log,
            )
        )
        # The scheduler creates the file before it writes it: wait until it holds a whole JSON object.
        deadline = time.monotonic() + 60
        info: dict[str, str] = {}
        while not info and time.monotonic() < deadline:
            try:
                info = json.loads(sched_file.read_text())
            except (FileNotFoundError, json.JSONDecodeError):
                time.sleep(0.1)
        assert info, (folder / "dask.log").read_text()
        address = info["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs.append(
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    address,
                    "--host",
                    "127.0.0.1",
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=log,
                stderr=log,
            )
        )
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=20)
        log.close()


def test_scheduler_option_runs_on_an_external_cluster(
    reference: TrialResult, external_scheduler: str, tmp_path: Path
) -> None:
    args = ["--config", str(write_config(tmp_path)), "--patients", str(N), "--seed", str(SEED)]
    args += ["--scheduler", external_scheduler, "--workers", "7", "--json"]
    p = subprocess.run(
        [sys.executable, "-c", "from lupuscart.cli import main; main()", "trial", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("\n") == 1
    assert canonical(json.loads(p.stdout)) == canonical(reference.endpoints)
