"""Network failures: one line that names the peer, never a traceback."""

from __future__ import annotations

from img2dcm.errors import Img2DcmError


class NetworkError(Img2DcmError):
    """A peer could not be reached, refused us, or answered with a failure.

    ``path`` carries the peer's label (``AE@HOST:PORT`` or the URL), so the
    printed line reads ``STORESCP@127.0.0.1:11112: association rejected ...``.
    """


class DestinationError(NetworkError):
    """A destination text or its TLS/credential settings are unusable."""

    exit_code = 2


class WorklistError(NetworkError):
    """A worklist query gave no item, several items, or failed."""


class RejectedError(NetworkError):
    """The peer rejected the association; ``permanent`` rejections are not worth retrying."""

    def __init__(self, message: str, peer: str, permanent: bool) -> None:
        super().__init__(message, peer)
        self.permanent = permanent


class NoContextError(NetworkError):
    """The peer answered but accepted none of the proposed presentation contexts."""
