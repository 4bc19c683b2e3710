"""PNG reader: decoded by Pillow into MONOCHROME2 8/16-bit or RGB 8-bit.

The IHDR is checked first: Pillow silently reduces 16-bit colour and 16-bit
grey+alpha PNGs to 8 bits, which would lose data, so those are refused.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

from PIL import Image, PngImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import ExifFacts, SourceImage
from img2dcm.readers.raster import check_dimensions, exif_and_upright, pillow_errors, to_native

log = logging.getLogger(__name__)

SIGNATURE = b"\x89PNG\r\n\x1a\n"
IHDR_END = 8 + 8 + 13

#: PNG colour types (PNG spec, IHDR) -> name.
COLOUR_TYPES: dict[int, str] = {
    0: "grey",
    2: "RGB",
    3: "palette",
    4: "grey+alpha",
    6: "RGBA",
}

#: Colour types whose 16-bit samples Pillow reduces to 8 bits.
NARROWED_16BIT: frozenset[int] = frozenset({2, 4, 6})


class PngReader:
    """Portable Network Graphics, first (default) image only."""

    name = "png"

    def accepts(self, prefix: bytes) -> bool:
        """PNG files start with the 8-byte PNG signature."""
        return prefix[:8] == SIGNATURE

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Check IHDR, decode with Pillow, apply the grey/colour/alpha rule."""
        try:
            with path.open("rb") as handle:
                head = handle.read(IHDR_END)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path) from exc
        if head[:8] != SIGNATURE:
            raise InputError("not a PNG file: no PNG signature", path)
        if len(head) < IHDR_END or head[12:16] != b"IHDR":
            raise InputError("PNG file has no IHDR header", path)
        width, height, depth, colour_type = struct.unpack_from(">IIBB", head, 16)
        check_dimensions(width, height, path)
        colour = COLOUR_TYPES.get(colour_type, f"colour type {colour_type}")
        if depth == 16 and colour_type in NARROWED_16BIT:
            raise InputError(
                f"16-bit {colour} PNG is not supported: it would lose precision "
                "(only 16-bit grey is kept at 16 bits)",
                path,
            )
        notes = [f"PNG {depth}-bit {colour}"]
        warns: list[str] = []
        exif: ExifFacts | None = None
        with pillow_errors(path):
            with Image.open(path, formats=[PngImagePlugin.PngImageFile.format]) as image:
                image.load()
                if image.info.get("interlace"):
                    notes.append("interlaced (Adam7)")
                if getattr(image, "n_frames", 1) > 1:
                    warns.append(
                        f"animated PNG with {image.n_frames} frames: only the default image is converted"
                    )
                icc = image.info.get("icc_profile") or None
                image, exif = exif_and_upright(image, options, notes, warns)
                native = to_native(image, path, options=options)
        if icc:
            notes.append(f"ICC profile ({len(icc)} bytes)")
        if exif:
            notes.append("EXIF present")
        return SourceImage(
            path=path,
            format="png",
            pixels=native.pixels,
            frames=(native.frame,),
            icc_profile=icc,
            exif=exif,
            notes=tuple(notes) + native.notes,
            warnings=tuple(warns) + native.warnings,
        )
