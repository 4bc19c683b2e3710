"""Entry point: dispatch to the profile subcommands or the classic command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from img2dcm.cli import app

    return app.main(sys.argv[1:] if argv is None else argv)
