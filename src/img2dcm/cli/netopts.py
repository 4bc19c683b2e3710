"""Options shared by ``echo`` and ``send``: the profile's ``send:`` settings, overridden by flags."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from img2dcm.profile.model import SendOptions


def add_network_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", type=Path, metavar="PROFILE",
                        help="take calling AE, TLS files, credentials, retries and timeout from its send: field")
    parser.add_argument("--calling-ae", metavar="AE", help="our AE title (default: the profile's, else IMG2DCM)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="connection and reply timeout (default 30)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each object sent")


def network_options(args: argparse.Namespace) -> SendOptions:
    """SendOptions from ``--profile`` (if any) with the command-line flags applied on top."""
    options = SendOptions()
    if args.profile is not None:
        from img2dcm.profile.load import load_profile

        options = load_profile(args.profile).send
    changes: dict[str, object] = {}
    if args.calling_ae:
        from img2dcm.net.destination import check_ae_title

        check_ae_title(args.calling_ae, "--calling-ae")
        changes["calling_ae"] = args.calling_ae
    if args.timeout is not None:
        changes["timeout"] = args.timeout
    if getattr(args, "retries", None) is not None:
        changes["retries"] = args.retries
    return dataclasses.replace(options, **changes)  # type: ignore[arg-type]
