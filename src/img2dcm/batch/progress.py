"""What a person sees during and after a batch: a progress bar (or failure lines) and a summary.

On a terminal a rich progress bar shows done/total, files per second, the time left
and the failures so far; piped, there is no bar and each failure is one ``E:`` line
as it happens. Warnings are collected and printed once each, with how many files
had them, so the 4:2:0 note of every camera JPEG is one line, not thousands.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from img2dcm.batch.item import SKIPPED, WRITTEN, ItemRecord

log = logging.getLogger("img2dcm")


def size_text(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


@dataclass
class Summary:
    """Counts of a run, kept as records arrive (no record is kept)."""

    written: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    by_sop_class: Counter[str] = field(default_factory=Counter)
    bytes: int = 0
    warnings: dict[str, list[Any]] = field(default_factory=dict)  # text -> [count, first input]
    started: float = field(default_factory=time.perf_counter)
    interrupted: bool = False
    send_lines: list[tuple[int, str]] = field(default_factory=list)  # per destination (docs/network.md)
    unsent: int = 0

    def add(self, record: ItemRecord) -> None:
        if record.status == WRITTEN:
            self.written += 1
            self.by_sop_class[record.sop_class] += 1
            self.bytes += record.bytes
        elif record.status == SKIPPED:
            self.skipped[record.message] += 1
        else:
            self.failed += 1
        for text in dict.fromkeys(record.warnings):
            entry = self.warnings.setdefault(text, [0, record.input])
            entry[0] += 1
            entry[1] = min(entry[1], record.input)  # the example does not depend on which worker finished first

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def warning_lines(self) -> list[tuple[int, str]]:
        lines = []
        for text, (count, first) in self.warnings.items():
            level = logging.ERROR if text.startswith("error:") else logging.WARNING
            lines.append((level, f"{first}: {text}" if count == 1 else f"{text} ({count} files, e.g. {first})"))
        return lines

    def lines(self) -> list[str]:
        elapsed = self.elapsed
        rate = self.written / elapsed if elapsed > 0 else 0.0
        skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        out = [f"converted {self.written}, failed {self.failed}, skipped {sum(self.skipped.values())}"
               + (f" ({skipped})" if skipped else "")]
        if self.by_sop_class:
            out.append("by SOP class: " + ", ".join(f"{name} {count}" for name, count in
                                                    sorted(self.by_sop_class.items())))
        out.append(f"{size_text(self.bytes)} written in {elapsed:.2f} s, {rate:.1f} files/s")
        if self.interrupted:
            out.append("interrupted: finished objects are kept; run again with --resume to complete the job")
        return out


class ProgressDisplay:
    """A rich bar on a terminal, nothing but failure lines otherwise."""

    def __init__(self, enabled: bool | None = None, console: Any = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.console = console
        self.bar: Any = None
        self.task: Any = None
        self.failures = 0
        self.done = 0

    def start(self, total: int) -> None:
        if not self.enabled or total < 2:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} files/s"), TimeRemainingColumn(),
                            TextColumn("{task.fields[failed]} failed"),
                            console=self.console or Console(stderr=True), transient=True)
        self.task = self.bar.add_task("batch", total=total, rate="0.0", failed=0)
        self.bar.start()

    def failure(self, line: str) -> None:
        self.failures += 1
        if self.bar is not None:
            self.bar.console.print(f"E: {line}", markup=False, highlight=False)
        else:
            log.error("%s", line)

    def advance(self, summary: Summary) -> None:
        self.done += 1
        if self.bar is not None:
            rate = summary.written / summary.elapsed if summary.elapsed > 0 else 0.0
            self.bar.update(self.task, completed=self.done, rate=f"{rate:.1f}", failed=self.failures)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
