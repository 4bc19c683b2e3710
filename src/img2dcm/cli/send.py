"""``img2dcm send DEST FILE_OR_FOLDER... [--resume RUNLOG] [--run-log FILE]``: deliver existing files."""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from pathlib import Path

from img2dcm.cli.netopts import network_options
from img2dcm.errors import EXIT_CONVERSION, EXIT_OK, UsageError
from img2dcm.net.extra import require_net_extra

log = logging.getLogger("img2dcm")


def run_send(args: argparse.Namespace) -> int:
    from img2dcm.net.delivery import deliver
    from img2dcm.net.destination import parse_destination
    from img2dcm.net.runlog import RunLog, output_key, read_run_log

    require_net_extra()
    destination = parse_destination(args.destination)
    options = network_options(args)
    files = collect_files([Path(p) for p in args.paths])
    if args.resume is not None:
        state = read_run_log(args.resume)
        candidates = dict.fromkeys(state.outputs + [output_key(f) for f in files])
        files = [Path(p) for p in state.pending(destination.url, candidates)]
        log.info("%s: %d object(s) not yet delivered to %s", args.resume, len(files), destination.label)
    elif not files:
        raise UsageError("give the DICOM files or folders to send (or --resume RUNLOG)")
    log_path = args.run_log or args.resume
    records = deliver(files, [destination], options)
    if log_path is not None:
        records = RunLog(log_path).append(records)
    counts = Counter(record.status for record in records)
    unsent = counts.get("unsent", 0)
    summary = (f"{destination.label}: {counts.get('sent', 0)} sent, {counts.get('sent-with-warning', 0)} "
               f"sent with a warning, {unsent} unsent")
    if unsent:
        hint = f"; send them later with: img2dcm send {destination.url} --resume {log_path}" if log_path else \
            "; give --run-log FILE to resume them later with --resume FILE"
        log.error("%s%s", summary, hint)
        return EXIT_CONVERSION
    print(summary)
    return EXIT_OK


def collect_files(paths: list[Path]) -> list[Path]:
    """Named files as given; folders walked in name order, keeping only files that look like DICOM."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*")) if p.is_file() and looks_like_dicom(p)]
        else:
            found.append(path)  # a named non-DICOM file gets its own "unsent" record
    return found


def looks_like_dicom(path: Path) -> bool:
    """PS3.10: 128-byte preamble then ``DICM``; run logs and images next to the outputs are skipped."""
    try:
        with path.open("rb") as handle:
            return handle.read(132)[128:] == b"DICM"
    except OSError:
        return False
