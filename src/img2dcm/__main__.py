"""Allow ``python -m img2dcm``."""

from img2dcm.cli.main import run

run()
