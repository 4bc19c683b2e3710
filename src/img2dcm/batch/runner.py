"""A batch run: inputs → scan (sniff, hash) → manifest row → resume → identity → convert → log.

Everything before conversion is a generator, so a run over 100 000 files holds
only their paths, the groups seen so far and the items in flight. Conversion is
:func:`img2dcm.batch.item.convert_item`, run in this process or in worker
processes (:mod:`img2dcm.batch.executors`).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from img2dcm.batch.executors import Stop, Work, run_pool, run_serial
from img2dcm.batch.grouping import Candidate, Grouper, base_dataset
from img2dcm.batch.inputs import InputItem, expand_inputs
from img2dcm.batch.item import (
    FAILED,
    SKIPPED,
    WRITTEN,
    ItemRecord,
    ItemTask,
    RunSettings,
)
from img2dcm.batch.manifest import Manifest, load_manifest
from img2dcm.batch.naming import template_fields
from img2dcm.batch.options import RunOptions
from img2dcm.batch.progress import ProgressDisplay, Summary
from img2dcm.batch.runlog import RUN_LOG_NAME, RunLog, done_before, latest_records
from img2dcm.profile.model import Profile

__all__ = ["RunOptions", "run_batch"]

log = logging.getLogger("img2dcm")

NOT_AN_IMAGE = "not an image"
DONE_EARLIER = "already converted (--resume)"
SNIFF_BYTES = 16


def skipped(item: InputItem, reason: str, sha256: str = "", output: str | None = None) -> ItemRecord:
    return ItemRecord(input=str(item.path), sha256=sha256, output=output, sop_instance_uid=None, status=SKIPPED,
                      message=reason, seconds=0.0)


def scan(item: InputItem) -> tuple[str, bytes]:
    """SHA-256 and first bytes of an input, in one read."""
    import hashlib

    digest = hashlib.sha256()
    with item.path.open("rb") as handle:
        prefix = handle.read(SNIFF_BYTES)
        digest.update(prefix)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest(), prefix


def row_failure(manifest: Manifest | None, candidate: Candidate, required: bool) -> str | None:
    if manifest is None:
        return None
    row = candidate.row
    if row is None:
        if required:
            return (f"{candidate.first.path}: no row in the manifest {manifest.path} "
                    "(batch.require_manifest_row: a photo never leaves without its patient)")
        return None
    if row.problems:
        more = f" (and {len(row.problems) - 1} more)" if len(row.problems) > 1 else ""
        return f"{candidate.first.path}: manifest row rejected: {row.problems[0]}{more}"
    return None


def plan_work(profile: Profile, items: list[InputItem], manifest: Manifest | None,
              previous: dict[str, dict[str, Any]] | None) -> Iterator[Work]:
    """Tasks in input order; skipped inputs as records. Every input gets its number, done or not."""
    from img2dcm.readers import sniff

    grouper = Grouper(profile, base_dataset(profile))
    required = profile.batch.requires_row
    for item in items:
        try:
            sha256, prefix = scan(item)
        except FileNotFoundError:
            sha256, prefix = "", b""  # converting it says "file not found"
        except OSError as exc:
            yield ItemRecord(input=str(item.path), sha256="", output=None, sop_instance_uid=None, status=FAILED,
                             message=f"{item.path}: cannot read: {exc.strerror or exc}", seconds=0.0)
            continue
        if item.found and sniff(prefix) is None:
            yield skipped(item, NOT_AN_IMAGE, sha256)
            continue
        row = manifest.row_for(item.path) if manifest is not None else None
        candidate = Candidate(inputs=(item,), sha256=(sha256,), row=row)
        identity = grouper.assign(candidate)
        earlier = previous.get(str(item.path)) if previous is not None else None
        if earlier is not None and done_before(earlier, sha256):
            yield skipped(item, DONE_EARLIER, sha256, earlier.get("output"))
            continue
        yield ItemTask(candidate=candidate, identity=identity, failure=row_failure(manifest, candidate, required))


@contextmanager
def stop_on_signals(stop: Stop) -> Iterator[None]:
    """SIGINT/SIGTERM: finish the items in flight, start no new one; a second signal stops at once."""

    def handler(signum: int, frame: Any) -> None:
        if stop.requested:
            raise KeyboardInterrupt
        stop.requested = True

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class Collisions:
    """Two inputs of one run mapping to one output: both fail and the file goes (never a silent overwrite)."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}

    def check(self, record: ItemRecord) -> list[ItemRecord]:
        """Records to log for ``record`` (itself, or failures replacing it and its twin)."""
        if record.output is None or record.output == "-":
            return [record]
        if record.status == SKIPPED:  # done by an earlier run: its output is taken
            self.owner.setdefault(record.output, record.input)
            return [record]
        if record.status != WRITTEN:
            return [record]
        first = self.owner.get(record.output)
        if first is None:
            self.owner[record.output] = record.input
            return [record]
        Path(record.output).unlink(missing_ok=True)
        message = f"{record.output}: inputs {first} and {record.input} map to the same output (batch.output_path)"
        failed = [ItemRecord(input=name, sha256=record.sha256 if name == record.input else "",
                             output=None, sop_instance_uid=None, status=FAILED, message=message, seconds=0.0)
                  for name in ((first,) if first != "(collided)" else ()) + (record.input,)]
        self.owner[record.output] = "(collided)"
        return failed


def pick_executor(work: Iterator[Work], settings: RunSettings, options: RunOptions,
                  stop: Stop) -> Iterator[ItemRecord]:
    """The cluster with --dask, worker processes with --jobs N, else this process (and for dry runs)."""
    if options.dry_run:
        return run_serial(work, settings, stop)
    if options.dask:
        from img2dcm.batch.cluster import parse_spec, run_dask

        return run_dask(work, settings, parse_spec(options.dask), stop)
    if options.jobs <= 1:
        return run_serial(work, settings, stop)
    return run_pool(work, settings, options.jobs, stop)


def run_batch(profile: Profile, arguments: list[Path], out_dir: Path, options: RunOptions,
              display: ProgressDisplay, on_report: Any = None, on_record: Any = None) -> Summary:
    """Convert every input into ``out_dir``; return the summary (records go to the run log)."""
    if options.manifest is not None:
        from dataclasses import replace

        profile = replace(profile, batch=replace(profile.batch, manifest=options.manifest.absolute()))
    template_fields(profile.batch.output_path)  # a bad template stops the run before anything is written
    manifest = load_manifest(profile.batch.manifest) if profile.batch.manifest is not None else None
    log_path = (options.run_log or out_dir / RUN_LOG_NAME).absolute()
    exclude = {log_path} | ({manifest.path.absolute()} if manifest is not None else set())
    items = expand_inputs(arguments, frozenset(exclude))
    previous = latest_records(log_path) if options.resume else None
    settings = RunSettings(profile=profile, out_dir=out_dir.absolute(), dry_run=options.dry_run,
                           now=options.now or datetime.now().astimezone())
    summary = Summary()
    stop = Stop()
    work = plan_work(profile, items, manifest, previous)
    try:
        run_log = None if options.dry_run else RunLog(log_path)
    except OSError as exc:
        from img2dcm.errors import ConversionError

        raise ConversionError(f"cannot write the run log: {exc.strerror or exc}", log_path) from None
    sender = open_sender(profile, options, log_path)
    collisions = Collisions()
    try:
        with stop_on_signals(stop):
            records = pick_executor(work, settings, options, stop)
            for record in records:
                if display.done == 0:  # after the first item: worker processes are forked before the bar's thread
                    display.start(len(items))
                for final in collisions.check(record):
                    summary.add(final)
                    if final.status == FAILED:
                        display.failure(final.message)
                    elif final.status == WRITTEN and not options.dry_run:
                        log.info("%s: written (%s)", final.output, final.message)
                    if run_log is not None and final.message != DONE_EARLIER:
                        run_log.append(final.log_line())
                    if sender is not None and run_log is not None and final.output and final.status != FAILED:
                        for sent in sender.deliver(final.output, only_pending=final.status == SKIPPED):
                            run_log.append(sent.to_json())
                    if final.report is not None and on_report is not None:
                        on_report(final.report)
                    if on_record is not None:
                        on_record(final)
                display.advance(summary)
        if manifest is not None:
            for problem in manifest.problems:
                summary.failed += 1
                display.failure(problem)
    finally:
        display.stop()
        if sender is not None:
            sender.close()
            summary.send_lines, summary.unsent = sender.summary_lines(), sender.unsent
        if run_log is not None:
            run_log.close()
    summary.interrupted = stop.requested
    return summary


def open_sender(profile: Profile, options: RunOptions, log_path: Path) -> Any:
    """A RunDelivery when the profile or ``--send`` names destinations (never for a dry run)."""
    if options.dry_run or not (profile.send.destinations or options.send):
        return None
    from img2dcm.net.batch import RunDelivery, run_destinations

    return RunDelivery(run_destinations(profile.send, options.send), profile.send, log_path, options.resume)
