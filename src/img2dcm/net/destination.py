"""Destinations: one syntax everywhere.

``dicom://CALLED_AE@HOST:PORT``  DIMSE (C-ECHO, C-STORE, C-FIND)
``dicoms://CALLED_AE@HOST:PORT`` the same over TLS
``http(s)://HOST[:PORT]/PATH``   a DICOMweb base URL (STOW-RS to BASE/studies)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from img2dcm.net.errors import DestinationError

#: scheme -> (protocol family, default port). PS3.8 Annex G: 104 / 2762 (TLS) are the registered ports.
SCHEMES: dict[str, tuple[str, int]] = {
    "dicom": ("dimse", 104),
    "dicoms": ("dimse", 2762),
    "http": ("dicomweb", 80),
    "https": ("dicomweb", 443),
}

#: PS3.5 §6.2: an AE title is at most 16 characters, no backslash or control characters.
AE_MAX = 16


@dataclass(frozen=True)
class Destination:
    """A parsed destination; ``url`` is the canonical text used as the run-log key."""

    url: str
    scheme: str
    host: str
    port: int
    called_ae: str = ""  # DIMSE only
    path: str = ""  # DICOMweb base path, without a trailing slash

    @property
    def family(self) -> str:
        return SCHEMES[self.scheme][0]

    @property
    def tls(self) -> bool:
        return self.scheme in ("dicoms", "https")

    @property
    def label(self) -> str:
        """How the peer is named in every message."""
        if self.family == "dimse":
            return f"{self.called_ae}@{self.host}:{self.port}"
        return self.url

    @property
    def base_url(self) -> str:
        """DICOMweb base URL (``http://host:port/path``)."""
        return f"{self.scheme}://{self.host}:{self.port}{self.path}"


def parse_destination(text: str) -> Destination:
    """Parse and canonicalise a destination; a bad one is a one-line error naming it."""
    parts = urlsplit(text.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise DestinationError(f"unknown destination scheme '{parts.scheme}' (use dicom://AE@HOST:PORT, "
                               "dicoms://AE@HOST:PORT or http(s)://HOST[:PORT]/PATH)", text)
    try:
        port = SCHEMES[scheme][1] if parts.port is None else parts.port
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise DestinationError("the port is not a number from 1 to 65535", text)
    host = parts.hostname or ""
    if not host:
        raise DestinationError("no host given", text)
    if SCHEMES[scheme][0] == "dicomweb":
        if parts.username or parts.password:
            raise DestinationError("credentials never go in the URL; name environment variables in the "
                                   "profile (send.auth)", text)
        path = parts.path.rstrip("/")
        shown_port = f":{port}" if parts.port else ""
        return Destination(f"{scheme}://{host}{shown_port}{path}", scheme, host, port, path=path)
    called = parts.username or ""
    if not called:
        raise DestinationError("no called AE title: write dicom://AE@HOST:PORT", text)
    check_ae_title(called, text)
    if parts.path not in ("", "/") or parts.query:
        raise DestinationError("a DIMSE destination has no path or query: write dicom://AE@HOST:PORT", text)
    return Destination(f"{scheme}://{called}@{host}:{port}", scheme, host, port, called_ae=called)


def check_ae_title(title: str, where: str) -> None:
    """PS3.5 AE VR: 1-16 characters, no backslash, no control characters, not all spaces."""
    if not title.strip() or len(title) > AE_MAX or "\\" in title or any(ord(c) < 32 or ord(c) > 126 for c in title):
        raise DestinationError(f"AE title '{title}' is not valid (1-16 printable ASCII characters, no backslash)",
                               where)
