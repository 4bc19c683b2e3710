"""Send results as JSON lines, appended to a run log; the last record for a pair wins.

One record per (output file, destination) attempt outcome::

    {"output": PATH, "destination": URL, "status": "sent"|"sent-with-warning"|"unsent",
     "message": TEXT, "seconds": FLOAT}

The batch runner's own item records (``"status": "written"`` with an ``"output"``)
share the file; reading them lets ``send --resume`` deliver a batch's outputs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from img2dcm.errors import InputError

SENT = "sent"
SENT_WITH_WARNING = "sent-with-warning"
UNSENT = "unsent"
#: Statuses that mean "the peer has it": --resume skips these.
DELIVERED = frozenset({SENT, SENT_WITH_WARNING})
#: The batch runner's status for an object written to disk.
WRITTEN = "written"


@dataclass(frozen=True)
class SendRecord:
    """The outcome of delivering one output file to one destination."""

    output: str
    destination: str
    status: str
    message: str
    seconds: float

    @property
    def delivered(self) -> bool:
        return self.status in DELIVERED

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def output_key(path: str | Path) -> str:
    """The run-log spelling of a file: absolute and normalised, so two spellings are one file."""
    return os.path.abspath(os.fspath(path))


class RunLog:
    """Append-only JSON-lines file; each record is flushed at once (a crash loses nothing written)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def append(self, records: Iterable[SendRecord]) -> Iterator[SendRecord]:
        """Write each record as it comes and pass it on."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for record in records:
                handle.write(record.to_json() + "\n")
                handle.flush()
                yield record


@dataclass
class LogState:
    """What a run log says: the outputs it knows, and the latest send status per pair."""

    outputs: list[str]
    latest: dict[tuple[str, str], str]

    def pending(self, destination: str, candidates: Iterable[str] | None = None) -> list[str]:
        """Outputs whose latest status for ``destination`` is not delivered, in log order."""
        pool = self.outputs if candidates is None else [output_key(c) for c in candidates]
        return [o for o in pool if self.latest.get((o, destination)) not in DELIVERED]


def read_run_log(path: str | Path) -> LogState:
    """Read our send records and the batch runner's written items; a broken line is an error naming it."""
    path = Path(path)
    outputs: dict[str, None] = {}
    latest: dict[tuple[str, str], str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("run log not found", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the run log: {exc}", path) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):  # a line cut short by a crash: everything before it stands
                break
            raise InputError(f"line {number} is not JSON", path) from None
        if not isinstance(record, dict) or not isinstance(record.get("output"), str):
            continue  # other record kinds (run headers, summaries) carry no output
        output = _resolve(record["output"], path.parent)
        status = record.get("status")
        if "destination" in record:
            outputs.setdefault(output)
            latest[(output, str(record["destination"]))] = str(status)
        elif status == WRITTEN:
            outputs.setdefault(output)
    return LogState(list(outputs), latest)


def _resolve(text: str, log_dir: Path) -> str:
    """Relative outputs are taken relative to the working folder, else to the log's folder."""
    if os.path.isabs(text) or os.path.exists(text):
        return output_key(text)
    return output_key(log_dir / text)
