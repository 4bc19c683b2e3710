"""Network delivery and worklist: C-ECHO, C-STORE, STOW-RS, Modality Worklist (docs/network.md).

Needs the optional extra ``img2dcm[net]`` (pynetdicom, httpx).
"""

from __future__ import annotations

from img2dcm.net.delivery import Delivery, deliver
from img2dcm.net.destination import Destination, parse_destination
from img2dcm.net.errors import DestinationError, NetworkError, WorklistError
from img2dcm.net.runlog import RunLog, SendRecord, read_run_log

__all__ = [
    "Delivery",
    "Destination",
    "DestinationError",
    "NetworkError",
    "RunLog",
    "SendRecord",
    "WorklistError",
    "deliver",
    "parse_destination",
    "read_run_log",
]
