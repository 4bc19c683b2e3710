"""Deliver written files to destinations: retries with backoff, one record per (file, destination).

``deliver()`` is what the batch runner and ``img2dcm send`` call. A failure of one
object never stops the others; a destination that stays unreachable after every
retry is marked down for the rest of the session, so the remaining objects are
recorded ``unsent`` at once instead of each waiting through the same retries.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from img2dcm.errors import Img2DcmError
from img2dcm.net.contexts import ObjectHeader, read_header
from img2dcm.net.destination import Destination, parse_destination
from img2dcm.net.outcome import Outcome
from img2dcm.net.runlog import UNSENT, SendRecord, output_key
from img2dcm.profile.model import SendOptions

log = logging.getLogger("img2dcm")


class Session(Protocol):
    """One open line to one destination (an association, or an HTTP connection)."""

    def prepare(self, headers: Iterable[ObjectHeader]) -> None: ...

    def send(self, header: ObjectHeader) -> Outcome: ...

    def close(self) -> None: ...


def open_session(destination: Destination, options: SendOptions) -> Session:
    """The session kind for the destination's protocol family (imports stay lazy)."""
    if destination.family == "dimse":
        from img2dcm.net.dimse import StoreSession

        return StoreSession(destination, options)
    from img2dcm.net.dicomweb import StowSession

    return StowSession(destination, options)


class Delivery:
    """Sessions to several destinations, kept open across many objects; use as a context manager."""

    def __init__(self, destinations: Sequence[str | Destination], options: SendOptions | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options or SendOptions()
        self.destinations = [d if isinstance(d, Destination) else parse_destination(d) for d in destinations]
        self.sessions: dict[str, Session] = {}
        self.down: dict[str, str] = {}  # destination url -> why it was given up
        self.sleep = sleep

    def __enter__(self) -> Delivery:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(self, headers: Sequence[ObjectHeader]) -> None:
        """Tell every session the whole list up front (one association for all their contexts)."""
        for destination in self.destinations:
            self._session(destination).prepare(headers)

    def send(self, path: str | Path, header: ObjectHeader | None = None,
             only: Sequence[Destination] | None = None) -> list[SendRecord]:
        """Deliver one file to every destination (or to ``only`` those); one record each."""
        destinations = self.destinations if only is None else only
        try:
            header = header or read_header(Path(path))
        except Img2DcmError as exc:
            return [SendRecord(output_key(path), d.url, UNSENT, exc.message, 0.0) for d in destinations]
        return [self._send_one(header, destination) for destination in destinations]

    def _send_one(self, header: ObjectHeader, destination: Destination) -> SendRecord:
        start = time.monotonic()
        if destination.url in self.down:
            outcome = Outcome.failed(f"not attempted: {destination.label} gave up earlier in this run "
                                     f"({self.down[destination.url]})")
        else:
            outcome = self._with_retries(header, destination)
        record = SendRecord(output_key(header.path), destination.url, outcome.status,
                            outcome.message, round(time.monotonic() - start, 3))
        if record.status == UNSENT:
            log.error("%s: not sent to %s: %s", header.path, destination.label, outcome.message)
        elif record.message:
            log.warning("%s: sent to %s with a warning: %s", header.path, destination.label, outcome.message)
        else:
            log.info("%s: sent to %s", header.path, destination.label)
        return record

    def _with_retries(self, header: ObjectHeader, destination: Destination) -> Outcome:
        """First attempt plus ``send.retries`` retries, waiting backoff, 2*backoff, 4*backoff ... between."""
        session = self._session(destination)
        outcome = Outcome.failed("not attempted")
        for attempt in range(self.options.retries + 1):
            if attempt:
                self.sleep(self.options.backoff * 2 ** (attempt - 1))
            try:
                outcome = session.send(header)
            except Img2DcmError as exc:  # e.g. TLS files or credentials: retrying cannot help
                outcome = Outcome.failed(exc.message)
            except Exception as exc:  # noqa: BLE001 - one object's failure never stops the batch
                log.debug("internal error while sending", exc_info=True)
                session.close()
                outcome = Outcome.failed(f"internal error: {type(exc).__name__}: {exc}", transient=True)
            if outcome.peer_refuses:
                self.down[destination.url] = outcome.message
            if not outcome.transient:
                return outcome
        attempts = self.options.retries + 1
        self.down[destination.url] = outcome.message
        return Outcome.failed(f"{outcome.message} (after {attempts} attempt{'s' if attempts > 1 else ''})")

    def _session(self, destination: Destination) -> Session:
        if destination.url not in self.sessions:
            self.sessions[destination.url] = open_session(destination, self.options)
        return self.sessions[destination.url]

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()
        self.sessions.clear()


def deliver(paths: Iterable[str | Path], destinations: Sequence[str | Destination],
            options: SendOptions | None = None) -> Iterator[SendRecord]:
    """Send every file to every destination; yield one record per (file, destination) as it completes.

    A list of paths is read up front so that each DIMSE destination gets one
    association proposing every context the files need.
    """
    paths = list(paths)
    with Delivery(destinations, options) as delivery:
        headers: dict[int, ObjectHeader] = {}
        for index, path in enumerate(paths):
            try:
                headers[index] = read_header(Path(path))
            except Img2DcmError:
                pass  # reported per destination by send()
        delivery.prepare(list(headers.values()))
        for index, path in enumerate(paths):
            yield from delivery.send(path, headers.get(index))
