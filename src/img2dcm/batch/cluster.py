"""Run the per-item function on a Dask cluster: ``apply --dask ADDRESS`` or ``--dask local[:N]``.

The same contract as :mod:`img2dcm.batch.executors`: an iterator of tasks (or records
already decided, which pass straight through) in, records out as items finish. Items go
a few per Dask task (a task costs the scheduler milliseconds, as much as a camera photo),
and only a few tasks per worker thread are in flight, so memory stays flat whatever the
batch size. Dask reschedules the tasks of a worker that is lost; a task that keeps killing
workers comes back as ``KilledWorker`` and its items are tried once more, each alone and
when nothing else runs (at the end of the run), before one is recorded as failed: an item
that merely shared a dying worker converts, since it can no longer meet the one that kills.
Inputs and outputs must be on a file system every worker sees (docs/scale.md).
``distributed`` is imported only here: ``img2dcm[dask]``.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from img2dcm.batch.executors import Stop, Work, died
from img2dcm.batch.item import FAILED, ItemRecord, ItemTask, RunSettings, convert_item
from img2dcm.errors import Img2DcmError, UsageError

log = logging.getLogger("img2dcm")

LOCAL = "local"
LIMIT_REFRESH = 2.0  # seconds between looks at the cluster's size (workers come and go)
RESUBMITS = 1  # extra rounds for an item Dask gave up on (KilledWorker)
MAX_CHUNK = 8  # items per Dask task once a run is under way
IN_FLIGHT_PER_THREAD = 4  # Dask tasks submitted and not yet finished, per worker thread
INSTALL_HINT = "--dask needs the 'distributed' package: pip install 'img2dcm[dask]'"

Convert = Callable[[ItemTask, RunSettings], ItemRecord]


@dataclass(frozen=True)
class ClusterSpec:
    """Where items run: a scheduler address, a scheduler file, or a LocalCluster here."""

    address: str | None = None
    scheduler_file: Path | None = None
    workers: int | None = None  # LocalCluster: worker processes (None: one per CPU)

    @property
    def local(self) -> bool:
        return self.address is None and self.scheduler_file is None


def parse_spec(text: str) -> ClusterSpec:
    """``local``, ``local:N``, a scheduler file (``*.json``) or a scheduler address."""
    if text == LOCAL or text.startswith(LOCAL + ":"):
        count = text.partition(":")[2]
        if not count:
            return ClusterSpec()
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--dask {text}: the number of local workers must be 1 or more")
        return ClusterSpec(workers=int(count))
    if text.endswith(".json"):
        return ClusterSpec(scheduler_file=Path(text))
    if not text.strip():
        raise UsageError("--dask: give a scheduler address (tcp://HOST:PORT), a scheduler file or local[:N]")
    return ClusterSpec(address=text)


def describe(spec: ClusterSpec) -> str:
    if spec.scheduler_file is not None:
        return f"Dask scheduler file {spec.scheduler_file}"
    return f"Dask scheduler {spec.address}" if spec.address else "local Dask cluster"


def leave_process_group() -> None:
    """On LocalCluster workers: Ctrl-C reaches the terminal's process group, but only we decide to stop
    (the items in flight finish, as with --jobs)."""
    os.setpgid(0, 0)


def worker_version() -> str:
    import img2dcm

    return str(img2dcm.__version__)


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A Client on the cluster (starting a LocalCluster for ``local``); closed on the way out."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise Img2DcmError(INSTALL_HINT) from None
    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines are about Dask, not our run
    cluster = None
    try:
        if spec.local:
            # Servers of ours listen on loopback only, on free ports.
            cluster = LocalCluster(n_workers=spec.workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0")
            client = Client(cluster)
            client.run(leave_process_group)
        elif spec.scheduler_file is not None:
            client = Client(scheduler_file=str(spec.scheduler_file))  # waits distributed.comm.timeouts.connect (30 s)
        else:
            client = Client(spec.address)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise Img2DcmError(f"{describe(spec)}: cannot connect: {exc}") from None
    try:
        check_versions(client, spec)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def check_versions(client: Any, spec: ClusterSpec) -> None:
    """Workers must run our version: another one could write other objects under the same UIDs."""
    ours = worker_version()
    try:
        theirs = client.run(worker_version)
    except ImportError as exc:
        raise Img2DcmError(f"{describe(spec)}: a worker cannot import img2dcm ({exc}); "
                           "install the same img2dcm on every worker") from None
    for worker, version in sorted(theirs.items()):
        if version != ours:
            raise Img2DcmError(f"{describe(spec)}: worker {worker} runs img2dcm {version}, this is {ours}; "
                               "install the same version everywhere")


class InFlight:
    """How many Dask tasks may be submitted and not yet finished: a few per worker thread."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.checked = float("-inf")
        self.threads = 1

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self.checked > LIMIT_REFRESH:
            self.threads = max(1, sum(self.client.nthreads().values()))
            self.checked = now

    def limit(self) -> int:
        self.refresh()
        return self.threads * IN_FLIGHT_PER_THREAD


def convert_chunk(tasks: list[ItemTask], settings: RunSettings, convert: Convert) -> list[ItemRecord]:
    """Runs on a worker: a few items per Dask task, since a task costs the scheduler about as
    many milliseconds as converting a camera photo."""
    return [convert(task, settings) for task in tasks]


def cluster_failure(task: ItemTask, exc: BaseException) -> ItemRecord:
    candidate = task.candidate
    return ItemRecord(input=", ".join(str(i.path) for i in candidate.inputs), sha256=",".join(candidate.sha256),
                      output=None, sop_instance_uid=None, status=FAILED, seconds=0.0,
                      message=f"{candidate.first.path}: failed on the Dask cluster: {type(exc).__name__}: {exc}")


def run_dask(work: Iterator[Work], settings: RunSettings, spec: ClusterSpec, stop: Stop,
             convert: Convert = convert_item) -> Iterator[ItemRecord]:
    """Convert the tasks on the cluster, a few per Dask task; yield records as their futures finish.

    Chunks start at one item (a small batch still spreads over every worker) and grow to
    MAX_CHUNK as the run goes on.
    """
    with connect(spec) as client:  # first: it names the extra to install when distributed is missing
        from distributed import KilledWorker, as_completed

        running: dict[Any, tuple[list[ItemTask], int]] = {}
        suspects: deque[ItemTask] = deque()  # items of tasks that killed workers: retried alone, at the end
        finished = as_completed()
        in_flight = InFlight(client)
        submitted = 0

        def submit(tasks: list[ItemTask], round_: int) -> None:
            # The settings travel with each task (a few kB): a scattered copy dies with its workers.
            future = client.submit(convert_chunk, tasks, settings, convert, pure=False)
            running[future] = (tasks, round_)
            finished.add(future)

        def collect() -> Iterator[ItemRecord]:
            for future in finished.next_batch(block=True):
                tasks, round_ = running.pop(future)
                try:
                    records = future.result()
                except KilledWorker:
                    if round_ < RESUBMITS:
                        suspects.extend(tasks)
                        continue
                    records = [died(task) for task in tasks]
                except Exception as exc:  # noqa: BLE001 - one item's trouble never stops the others
                    records = [cluster_failure(task, exc) for task in tasks]
                future.release()
                yield from records

        pending: list[ItemTask] = []
        try:
            for item in work:
                if stop.requested:
                    break
                if isinstance(item, ItemRecord):
                    yield item
                    continue
                pending.append(item)
                in_flight.refresh()
                if len(pending) >= min(MAX_CHUNK, 1 + submitted // (2 * in_flight.threads)):
                    while len(running) >= in_flight.limit():
                        yield from collect()
                    submit(pending, 0)
                    submitted, pending = submitted + 1, []
            if pending and not stop.requested:
                submit(pending, 0)
            while running or suspects:  # suspects were started before any stop: they finish
                if not running:  # alone on the cluster: only the item that kills workers fails again
                    task = suspects.popleft()
                    submit([task], RESUBMITS)
                yield from collect()
        finally:
            if running:
                client.cancel(list(running))
            sync_workers(client)


def sync_workers(client: Any) -> None:
    """Workers wrote without a sync each, as a local batch does: one sync on each at the end."""
    try:
        client.run(os.sync)
    except Exception as exc:  # noqa: BLE001 - the scheduler may be gone; --resume checks sizes anyway
        log.warning("could not sync the Dask workers' file systems: %s: %s", type(exc).__name__, exc)
