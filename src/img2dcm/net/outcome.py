"""What one attempt to deliver one object came to, before retries decide the record."""

from __future__ import annotations

from dataclasses import dataclass

from img2dcm.net.runlog import SENT, SENT_WITH_WARNING, UNSENT


@dataclass(frozen=True)
class Outcome:
    """``transient`` failures (connection, abort, timeout) are retried; a peer's verdict is not.

    ``peer_refuses`` marks a verdict about us rather than the object (a permanent association
    rejection, HTTP 401/403): the destination is given up for the rest of the run at once.
    """

    status: str
    message: str
    transient: bool = False
    peer_refuses: bool = False

    @classmethod
    def sent(cls, message: str = "") -> Outcome:
        return cls(SENT, message)

    @classmethod
    def warning(cls, message: str) -> Outcome:
        return cls(SENT_WITH_WARNING, message)

    @classmethod
    def failed(cls, message: str, transient: bool = False, peer_refuses: bool = False) -> Outcome:
        return cls(UNSENT, message, transient, peer_refuses)
