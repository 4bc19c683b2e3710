"""TLS settings for ``dicoms://`` and ``https://`` peers, from the profile's file names."""

from __future__ import annotations

import ssl

from img2dcm.net.destination import Destination
from img2dcm.net.errors import DestinationError
from img2dcm.profile.model import TlsFiles


def ssl_context(destination: Destination, files: TlsFiles) -> ssl.SSLContext:
    """Verify the peer (system CAs, or ``tls.ca``) and present our certificate when given."""
    for name in ("ca", "cert", "key"):
        path = getattr(files, name)
        if path is not None and not path.is_file():
            raise DestinationError(f"send.tls.{name}: file not found: {path}", destination.label)
    if (files.cert is None) != (files.key is None):
        raise DestinationError("send.tls needs both cert and key for a client certificate", destination.label)
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH,
                                             cafile=str(files.ca) if files.ca else None)
        if files.cert is not None and files.key is not None:
            context.load_cert_chain(str(files.cert), str(files.key))
    except (ssl.SSLError, OSError) as exc:
        raise DestinationError(f"TLS files unusable: {exc}", destination.label) from None
    return context
