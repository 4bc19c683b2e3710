"""``img2dcm echo DEST``: is the peer there, does it accept us, how long does a round trip take."""

from __future__ import annotations

import argparse
import sys

from img2dcm.cli.netopts import network_options
from img2dcm.errors import EXIT_OK
from img2dcm.net.extra import require_net_extra


def run_echo(args: argparse.Namespace) -> int:
    """C-ECHO (DIMSE) or a QIDO-RS search (DICOMweb); a failure raises one line naming the peer."""
    from img2dcm.net.destination import parse_destination

    require_net_extra()
    destination = parse_destination(args.destination)
    options = network_options(args)
    if destination.family == "dimse":
        from img2dcm.net.dimse import echo
    else:
        from img2dcm.net.dicomweb import echo
    seconds = echo(destination, options)
    kind = "C-ECHO" if destination.family == "dimse" else "QIDO-RS"
    print(f"{destination.label}: {kind} ok in {seconds * 1000:.1f} ms", file=sys.stdout)
    return EXIT_OK
