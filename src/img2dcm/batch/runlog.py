"""The run log: one JSON line per input, appended as each finishes, read back by ``--resume``.

Each line is written with a single ``write`` and flushed, so a run killed at any
moment leaves whole lines (a torn last line is ignored when reading). The latest
line for an input wins. Lines that carry a ``destination`` belong to delivery and
are ignored here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

RUN_LOG_NAME = "img2dcm-run.jsonl"


class RunLog:
    """Appends records to the log file (created with its folder when needed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle: IO[str] = path.open("a", encoding="utf-8")

    def append(self, line: str) -> None:
        self.handle.write(line + "\n")
        self.handle.flush()

    def close(self) -> None:
        """Flush the log; the objects, written without a sync each, reach the disk here too."""
        self.handle.flush()
        os.sync()
        self.handle.close()


def latest_records(path: Path) -> dict[str, dict[str, Any]]:
    """The last item record for each input path in the log (empty when there is no log)."""
    records: dict[str, dict[str, Any]] = {}
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return records
    with handle:
        for line in handle:
            try:
                data = json.loads(line)
            except ValueError:
                continue  # a line torn by a kill
            if isinstance(data, dict) and "input" in data and "destination" not in data:
                records[str(data["input"])] = data
    return records


def done_before(record: dict[str, Any] | None, sha256: str) -> bool:
    """``--resume`` skips an input logged as written whose output is still there, whole, and whose
    content is unchanged (a size other than the logged one means a crash cut the file short)."""
    if not record or record.get("status") != "written" or record.get("sha256") != sha256:
        return False
    output = record.get("output")
    if not output:
        return False
    try:
        return Path(output).stat().st_size == record.get("bytes")
    except OSError:
        return False
