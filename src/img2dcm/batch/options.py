"""How a batch runs: the command line's batch options, in a module light enough to import always.

The classic command line and ``apply IMAGE OUT.dcm`` pass these through without running a
batch, so they must not pull in the runner (its worker pool imports multiprocessing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs (command line options; none of them changes an object's content)."""

    jobs: int = 1
    run_log: Path | None = None
    resume: bool = False
    dry_run: bool = False
    manifest: Path | None = None  # overrides batch.manifest
    dask: str | None = None  # run items on a Dask cluster: a scheduler address, a scheduler file, local[:N]
    now: datetime | None = None  # the run's time for every object (default: when the run starts)
    send: tuple[str, ...] = ()  # --send destinations, besides the profile's send list
