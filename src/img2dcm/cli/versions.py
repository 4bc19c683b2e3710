"""``--version``: our version and those of the libraries that shape the output."""

from __future__ import annotations

import platform
from importlib import metadata

from img2dcm import __version__

#: Distributions whose version affects what we read or write.
LIBRARIES = ("pydicom", "PyYAML", "jsonschema", "lxml", "rich", "pillow", "numpy",
             # optional extras: decoders (heic, tiff) and output.compression encoders (rle, jpeg-ls, jpeg2000)
             "pillow-heif", "tifffile", "imagecodecs", "pylibjpeg-rle", "pyjpegls", "pylibjpeg-openjpeg")


def version_lines() -> list[str]:
    """One line for us, then one per library (``not installed`` when missing)."""
    lines = [f"img2dcm {__version__} (classic DCMTK 3.7.0 img2dcm command line)",
             f"  Python {platform.python_version()}"]
    for name in LIBRARIES:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "not installed"
        lines.append(f"  {name} {found}")
    return lines
