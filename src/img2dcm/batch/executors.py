"""Run the per-item function in this process or in a pool of worker processes.

Both take an iterator of tasks (or of records already decided, such as skipped
files, which pass straight through) and yield records as items finish. The pool
keeps only a few tasks in flight, so memory does not grow with the batch; a
worker that dies fails only the items it held, and a new pool takes over.
Workers ignore SIGINT/SIGTERM: the parent decides when to stop, and lets the
items in flight finish so that no temporary file is left behind.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from img2dcm.batch.item import FAILED, ItemRecord, ItemTask, RunSettings, convert_item

Work = ItemTask | ItemRecord
#: Items go to a worker a few at a time: each hand-over (pickling, queues, a future) costs
#: about as much as a third of an item's conversion, paid once per chunk instead of per item.
CHUNK_ITEMS = 4
IN_FLIGHT_PER_WORKER = 2  # chunks
_settings: RunSettings | None = None


class Stop:
    """Set by the runner's signal handler: no new item starts once it is set."""

    requested = False


def run_serial(work: Iterator[Work], settings: RunSettings, stop: Stop) -> Iterator[ItemRecord]:
    for item in work:
        if stop.requested:
            return
        yield item if isinstance(item, ItemRecord) else convert_item(item, settings)


def _init_worker(settings: RunSettings) -> None:
    global _settings
    _settings = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _convert_in_worker(tasks: list[ItemTask]) -> list[ItemRecord]:
    assert _settings is not None
    return [convert_item(task, _settings) for task in tasks]


def _new_pool(jobs: int, settings: RunSettings) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork")  # workers start with our modules already imported
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(settings,))


def died(task: ItemTask) -> ItemRecord:
    candidate = task.candidate
    return ItemRecord(input=", ".join(str(i.path) for i in candidate.inputs), sha256=",".join(candidate.sha256),
                      output=None, sop_instance_uid=None, status=FAILED, seconds=0.0,
                      message=f"{candidate.first.path}: the worker process converting it died "
                              "(out of memory or killed); nothing was written")


def warm_up(task: ItemTask, settings: RunSettings) -> None:
    """Build the first object's dataset here (nothing is written), so that every forked worker
    starts with the modules, tables and caches it needs: start-up imports are lazy, and would
    otherwise be paid once per worker. Any failure is left for the worker to report.
    """
    from img2dcm.batch.item import build_item

    try:
        build_item(task, replace(settings, dry_run=True))
    except Exception:  # noqa: BLE001, S110 - the worker converts it again and reports the problem
        pass


def run_pool(work: Iterator[Work], settings: RunSettings, jobs: int, stop: Stop) -> Iterator[ItemRecord]:
    """Convert on ``jobs`` worker processes: one that dies fails only the item that killed it."""
    running: dict[Future[list[ItemRecord]], list[ItemTask]] = {}
    pool: ProcessPoolExecutor | None = None
    chunk: list[ItemTask] = []
    try:
        for item in work:
            if pool is None and isinstance(item, ItemTask):
                warm_up(item, settings)
                pool = _new_pool(jobs, settings)
            if stop.requested:
                chunk = []  # not started: a stopped run starts nothing new
                break
            if isinstance(item, ItemRecord):
                yield item
                continue
            chunk.append(item)
            if len(chunk) < CHUNK_ITEMS:
                continue
            assert pool is not None
            while len(running) >= jobs * IN_FLIGHT_PER_WORKER:
                pool = yield from _collect(running, pool, jobs, settings)
            running[pool.submit(_convert_in_worker, chunk)] = chunk
            chunk = []
        if chunk and pool is not None and not stop.requested:
            running[pool.submit(_convert_in_worker, chunk)] = chunk
        while running:
            assert pool is not None
            pool = yield from _collect(running, pool, jobs, settings)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _collect(running: dict[Future[list[ItemRecord]], list[ItemTask]], pool: ProcessPoolExecutor, jobs: int,
             settings: RunSettings) -> Generator[ItemRecord, None, ProcessPoolExecutor]:
    """Yield the records of finished items; when a worker died, find which item killed it.

    A dead worker breaks the whole pool, so every item in flight is a suspect. Each is
    tried again alone in a new pool: the culprit fails again and is recorded as failed,
    the others convert. Nothing is lost.
    """
    finished, _ = _wait(running)
    suspects: list[ItemTask] = []
    for future in finished:
        tasks = running.pop(future)
        try:
            yield from future.result()
        except BrokenProcessPool:
            suspects += tasks
    if not suspects:
        return pool
    suspects += [task for tasks in running.values() for task in tasks]
    running.clear()
    pool.shutdown(wait=False, cancel_futures=True)
    for task in suspects:
        pool = _new_pool(1, settings)
        try:
            yield pool.submit(_convert_in_worker, [task]).result()[0]
        except BrokenProcessPool:
            yield died(task)
        finally:
            pool.shutdown(wait=True)
    return _new_pool(jobs, settings)


def _wait(running: dict[Future[list[ItemRecord]], list[ItemTask]]
          ) -> tuple[set[Future[list[ItemRecord]]], set[Future[list[ItemRecord]]]]:
    """Wait for at least one item (signals only set :class:`Stop`; a second one ends the run)."""
    return wait(running, return_when=FIRST_COMPLETED)
