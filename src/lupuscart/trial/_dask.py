"""Running a trial's chunks on a Dask cluster: a local one started for the run, or an existing scheduler.

Each chunk is one task (``client.submit(run_chunk, config, chunk, pure=False, retries=...)``); results come back
to the client as they finish (``as_completed``) and are written to the chunk store there, so the workers need no
shared file system. A worker that dies (killed, out of memory) loses only its running chunk, which the scheduler
gives to another worker; ``retries`` bounds how often one chunk is re-run after errors. Results do not depend
on which worker ran which chunk: every patient's random streams derive from ``(seed, patient index)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._run_arguments import check_run_arguments
from ..exceptions import InvalidInputError, excerpt, shorten

if TYPE_CHECKING:
    from ._execute import Chunk, ChunkResult, JobMapper

#: Seconds to wait for an existing scheduler before giving up with a clear message.
CONNECT_TIMEOUT_S = 5.0
#: Re-runs of a chunk whose task raised (a lost worker is rescheduled by Dask on its own).
RETRIES = 2

J = TypeVar("J")


def _client(address: str | None, workers: int) -> Any:
    from distributed import Client, LocalCluster

    if address is None:
        # Loopback only: the scheduler's HTTP endpoint (always started; the dashboard proper needs bokeh) goes on
        # a free loopback port, so nothing listens beyond this machine and two runs never fight over port 8787.
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
            env={"NUMBA_NUM_THREADS": "1"},  # one core per worker process (numba's default: all cores each)
        )
        return Client(cluster, set_as_default=False)  # type: ignore[no-untyped-call]
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)  # type: ignore[no-untyped-call]
    except Exception as exc:  # whatever the transport raises, the user gets one paragraph
        raise InvalidInputError(
            f"The '--scheduler' option must be the address of a running Dask scheduler (e.g. tcp://127.0.0.1:8786). "
            f"Got {excerpt(address, 80)}, which did not answer within {CONNECT_TIMEOUT_S:g} s "
            f"({type(exc).__name__}: {shorten(str(exc), 200)}). "
            "Start one with 'dask scheduler' and 'dask worker ADDRESS', or drop --scheduler to run locally."
        ) from None


def dask_task_mapper(
    task: Callable[[J, Sequence[int]], ChunkResult], address: str | None = None, workers: int = 2
) -> JobMapper[J]:
    """Like :func:`~lupuscart.trial.dask_mapper`, for any picklable ``task(job, chunk) -> ChunkResult`` (the trial's is
    :func:`~lupuscart.trial.run_chunk`; ``lupuscart.sensitivity`` maps its sample points the same way)."""
    if address is None:
        check_run_arguments(caller="dask_mapper", workers=workers)
    else:
        check_run_arguments(caller="dask_mapper", scheduler=address)

    def mapper(job: J, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        if not chunks:
            return
        from distributed import as_completed

        client = _client(address, workers)
        cluster = client.cluster
        try:
            futures = [client.submit(task, job, c, pure=False, retries=RETRIES) for c in chunks]
            done = as_completed(futures, loop=client.loop)  # type: ignore[no-untyped-call]
            futures.clear()
            for f in done:
                result: ChunkResult = f.result()
                f.release()
                yield result
        finally:
            client.close()
            if cluster is not None and address is None:
                cluster.close()

    return mapper
