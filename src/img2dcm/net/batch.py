"""Sending from a conversion run: each object right after it is written (store-and-forward).

The batch runner calls :meth:`RunDelivery.deliver` in its own process as records
arrive (workers only convert), so one association per destination carries the
whole batch. On ``--resume``, an object converted earlier is sent again only to
the destinations whose latest record for it is not ``sent``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from img2dcm.net.delivery import Delivery
from img2dcm.net.extra import require_net_extra
from img2dcm.net.runlog import DELIVERED, UNSENT, SendRecord, output_key, read_run_log
from img2dcm.profile.model import SendOptions

log = logging.getLogger("img2dcm")


def run_destinations(options: SendOptions, extra: Sequence[str]) -> tuple[str, ...]:
    """The profile's ``send`` list plus ``--send`` ones, each once."""
    return tuple(dict.fromkeys((*options.destinations, *extra)))


class RunDelivery:
    """Sessions to the run's destinations and what the run log already says was delivered."""

    def __init__(self, destinations: Sequence[str], options: SendOptions, run_log: Path | None = None,
                 resume: bool = False) -> None:
        require_net_extra()
        self.delivery = Delivery(destinations, options)
        self.latest: dict[tuple[str, str], str] = {}
        if resume and run_log is not None and run_log.exists():
            self.latest = read_run_log(run_log).latest
        self.counts: Counter[tuple[str, str]] = Counter()  # (destination label, status) -> count

    def deliver(self, output: str | Path, only_pending: bool = False) -> list[SendRecord]:
        """Send one written object; ``only_pending`` skips destinations that already have it."""
        key = output_key(output)
        wanted = [d for d in self.delivery.destinations
                  if not only_pending or self.latest.get((key, d.url)) not in DELIVERED]
        if not wanted:
            return []
        records = self.delivery.send(output, only=wanted)
        for destination, record in zip(wanted, records):
            self.counts[(destination.label, record.status)] += 1
        return records

    @property
    def unsent(self) -> int:
        return sum(count for (_, status), count in self.counts.items() if status == UNSENT)

    def summary_lines(self) -> list[tuple[int, str]]:
        """One line per destination, an error when something stayed unsent."""
        lines = []
        for destination in self.delivery.destinations:
            sent, warned, unsent = (self.counts[(destination.label, s)] for s in ("sent", "sent-with-warning", UNSENT))
            text = f"{destination.label}: {sent} sent, {warned} sent with a warning, {unsent} unsent"
            if unsent:
                text += "; resume with --resume (apply) or img2dcm send DEST --resume RUNLOG"
            lines.append((logging.ERROR if unsent else logging.INFO, text))
        return lines

    def close(self) -> None:
        self.delivery.close()
