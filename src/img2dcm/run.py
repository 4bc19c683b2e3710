"""Run a profile on inputs: one object from all inputs, or one object per input (batch).

Shared by ``img2dcm apply`` and the classic command line. Both shapes go through
the same per-item function (:func:`img2dcm.batch.item.convert_item`); a folder
output adds the batch machinery around it (manifest, grouping, workers, run log,
resume, progress and summary). Errors of one batch item are reported and the
others still convert; nothing partial is left behind.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from img2dcm.batch.grouping import Candidate, Grouper, base_dataset, file_sha256
from img2dcm.batch.inputs import InputItem
from img2dcm.batch.item import WRITTEN, ItemTask, RunSettings, convert_item
from img2dcm.batch.options import RunOptions
from img2dcm.errors import EXIT_CONVERSION, EXIT_OK, UsageError
from img2dcm.identity import Identity
from img2dcm.profile.model import Profile
from img2dcm.write import STDOUT

log = logging.getLogger("img2dcm")
MAPPED_HASH_SIZE = 1 << 20


def is_folder_output(output: str) -> bool:
    """A folder: an existing one, or a name ending in a separator (a Path would forget it)."""
    return output != str(STDOUT) and (Path(output).is_dir() or output.endswith(("/", os.sep)))


def console_for_reports() -> Any:
    from rich.console import Console

    # Piped output is not wrapped at 80 columns: the attribute table stays readable.
    return Console(width=None if sys.stdout.isatty() else 160)


def show_report(data: dict[str, Any], fmt: str, console: Any) -> None:
    from img2dcm.report import render

    if fmt == "json":
        console.print_json(json.dumps(data))
    else:
        render(data, console, dry_run=True)


def single_identity(profile: Profile, candidate: Candidate) -> Identity | None:
    """Deterministic UIDs for a single object (random mode: None, the plan draws them)."""
    if profile.uid_mode == "random":
        return None
    identity = Grouper(profile, base_dataset(profile)).assign(candidate)
    return replace(identity, series_number=None, instance_number=None)  # numbering is for batches


def digest_or_empty(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAPPED_HASH_SIZE:
                import hashlib
                import mmap

                # One call for the whole file: the GIL is released once, not per 256 KiB chunk,
                # so hashing on a thread is not starved by the marker walk on the main thread.
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                    return hashlib.sha256(mapped).hexdigest()
        return file_sha256(path)
    except (OSError, ValueError):
        return ""  # reading it for conversion names the problem


def read_while_hashing(profile: Profile, paths: list[Path]) -> tuple[tuple[str, ...], tuple[Any, ...] | None]:
    """SHA-256 of each input on worker threads while this thread reads the images' headers.

    hashlib and file reads release the GIL and the JPEG marker walk does not, so for the 100
    frames of a large multi-frame object the two overlap on two cores. The images are None
    when one cannot be read: converting reads them again and reports the problem as always.
    Random UIDs (the classic command line) need no content hash: nothing is hashed then, and
    large inputs are read on every core instead (:mod:`img2dcm.readers.parallel`).
    """
    if profile.uid_mode == "random":
        from img2dcm.readers.parallel import read_images

        return ("",) * len(paths), read_images(paths, profile.input) if len(paths) > 1 else None
    if len(paths) < 2:
        return tuple(digest_or_empty(path) for path in paths), None
    from concurrent.futures import ThreadPoolExecutor

    from img2dcm.readers import read_image

    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1, 8)) as pool:
        hashes = pool.map(digest_or_empty, paths)
        try:
            images = tuple(read_image(path, profile.input) for path in paths)
        except Exception:  # noqa: BLE001 - reported by convert_item, with the file named
            images = None
        return tuple(hashes), images


def convert_single(profile: Profile, inputs: list[Path], output: str, *, dry_run: bool, fmt: str,
                   console: Any, manifest: Path | None = None, send: tuple[str, ...] = ()) -> int:
    """All inputs → one object (or stdout)."""
    from img2dcm.outputs import refuse_overwriting_inputs

    if output != str(STDOUT):
        refuse_overwriting_inputs(Path(output), inputs, output)
    items = tuple(InputItem(p.absolute(), p.absolute().parent) for p in inputs)
    row = None
    manifest = manifest or profile.batch.manifest
    if manifest is not None:
        from img2dcm.batch.manifest import load_manifest

        row = load_manifest(manifest).row_for(items[0].path)
    hashes, images = read_while_hashing(profile, [i.path for i in items])
    candidate = Candidate(inputs=items, sha256=hashes, row=row)
    task = ItemTask(candidate=candidate, identity=single_identity(profile, candidate), output=Path(output))
    record = convert_item(task, RunSettings(profile=profile, out_dir=None, dry_run=dry_run), images)
    if record.status != WRITTEN:
        log.error("%s", record.message)
        return EXIT_CONVERSION
    if record.report is not None:
        show_report(record.report, fmt, console or console_for_reports())
        return EXIT_OK
    for warning in record.warnings:
        finding = warning.startswith(("error:", "warning:"))  # IOD findings name the output
        level = logging.ERROR if warning.startswith("error:") else logging.WARNING
        if finding:
            log.log(level, "%s: %s", record.output, warning)
        else:
            log.log(level, "%s", warning if len(inputs) > 1 else f"{record.input}: {warning}")
    log.info("%s: written (%s)", record.output, record.message)
    return send_single(profile, record.output, send) if record.output and record.output != "-" else EXIT_OK


def send_single(profile: Profile, output: str, extra: tuple[str, ...]) -> int:
    """``apply IMAGE OUT.dcm --send DEST`` (or a profile send list): deliver the one object."""
    if not (profile.send.destinations or extra):
        return EXIT_OK
    from img2dcm.net.batch import RunDelivery, run_destinations

    sender = RunDelivery(run_destinations(profile.send, extra), profile.send)
    try:
        sender.deliver(output)
    finally:
        sender.close()
    for level, line in sender.summary_lines():
        log.log(level, "%s", line)
    return EXIT_CONVERSION if sender.unsent else EXIT_OK


def convert_batch(profile: Profile, inputs: list[Path], output: str, options: RunOptions, fmt: str,
                  console: Any, summary_lines: bool) -> int:
    """One object per input into the folder ``output``."""
    from img2dcm.batch.progress import ProgressDisplay
    from img2dcm.batch.runlog import RUN_LOG_NAME
    from img2dcm.batch.runner import run_batch
    from img2dcm.outputs import create_folder, remove_created

    folder = Path(output)
    created = [] if options.dry_run else create_folder(folder, output)
    reports: list[Any] = [console]  # made on the first report: a real run never imports rich for it

    def report(data: dict[str, Any]) -> None:
        reports[0] = reports[0] or console_for_reports()
        show_report(data, fmt, reports[0])

    display = ProgressDisplay(enabled=None if summary_lines and not options.dry_run else False)
    try:
        summary = run_batch(profile, inputs, folder, options, display, on_report=report)
    except BaseException:
        remove_created(created)  # a run stopped before it began leaves no folder behind
        raise
    if created and not summary.written:
        (folder / RUN_LOG_NAME).unlink(missing_ok=True)  # nothing converted: no folder, no log left behind
        remove_created(created)
    for level, line in summary.warning_lines() + [s for s in summary.send_lines if s[0] > logging.INFO]:
        log.log(level, "%s", line)
    if summary_lines and not options.dry_run:
        for line in summary.lines() + [text for level, text in summary.send_lines if level <= logging.INFO]:
            print(f"I: {line}", file=sys.stderr)
    return EXIT_CONVERSION if summary.failed or summary.interrupted or summary.unsent else EXIT_OK


def convert(profile: Profile, inputs: list[Path], output: str | Path | None, *, dry_run: bool = False,
            fmt: str = "text", console: Any = None, options: RunOptions | None = None,
            summary: bool = False) -> int:
    """Run the conversion; return the exit code (1 when any input failed)."""
    inputs = inputs or list(profile.run.inputs)
    output = str(output) if output is not None else profile.run.output
    if not inputs or not output:
        raise UsageError("give the input image(s) and the output file (or set run.inputs/run.output in the profile)")
    options = replace(options or RunOptions(), dry_run=dry_run)
    if options.dask and not is_folder_output(output):
        raise UsageError(f"--dask converts into a folder, one object per input: '{output}' is not one (end it with /)")
    if is_folder_output(output):
        return convert_batch(profile, inputs, output, options, fmt, console, summary)
    return convert_single(profile, inputs, output, dry_run=dry_run, fmt=fmt, console=console,
                          manifest=options.manifest, send=options.send)
