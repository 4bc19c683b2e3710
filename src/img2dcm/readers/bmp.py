"""BMP reader: every variant Pillow decodes, checked by us before Pillow allocates.

DCMTK accepts only uncompressed 40-byte BITMAPINFOHEADER files. We accept every
header Pillow knows (OS/2 1.x/2.x, V2-V5), RLE4/RLE8, bitfields and 2 bpp, but
first check the header ourselves (:func:`~img2dcm.readers.bmp_header.check_header`)
so a lying header is rejected with a one-line reason instead of a huge
allocation. RLE streams are decoded by :mod:`img2dcm.readers.bmp_rle` because
Pillow silently clips runs that overflow the image (bmpsuite's ``badrle*``);
2-bit files are unpacked with Pillow's raw unpacker because its BMP plugin does
not read them. See docs/input-raster.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PIL import BmpImagePlugin, Image

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.bmp_header import (
    BI_RLE4,
    BI_RLE8,
    CS_EMBEDDED,
    CS_LINKED,
    FILE_HEADER_SIZE,
    HEAD_BYTES,
    MAGIC,
    BmpHeader,
    check_header,
)
from img2dcm.readers.bmp_rle import decode_rle
from img2dcm.readers.raster import pillow_errors, to_native

log = logging.getLogger(__name__)


def _palette_rgb(header: BmpHeader) -> list[int]:
    """The colour table as flat R, G, B values (file stores B, G, R[, x])."""
    table = np.frombuffer(header.palette, dtype=np.uint8).reshape(-1, header.entry_size)
    return table[:, 2::-1].reshape(-1).tolist()


class BmpReader:
    """Windows and OS/2 bitmaps, decoded to MONOCHROME2 or RGB 8-bit."""

    name = "bmp"

    def accepts(self, prefix: bytes) -> bool:
        """BMP files start with "BM"."""
        return prefix[:2] == MAGIC

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Check the headers, decode the pixels, apply the grey/colour rule."""
        try:
            with path.open("rb") as handle:
                handle.seek(0, 2)
                file_size = handle.tell()
                handle.seek(0)
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path) from exc
        header = check_header(head, file_size, path)
        notes = [
            f"BMP {header.kind} ({header.header_size} bytes)",
            f"{header.bit_count} bits per pixel, {header.compression_name}"
            + (f", masks {'/'.join(f'{m:08X}' for m in header.masks)}" if header.masks else ""),
            "top-down rows" if header.top_down else "bottom-up rows",
        ]
        warns: list[str] = []
        if header.ignored_table:
            notes.append(f"optional colour table of {header.ignored_table} entries ignored")

        image = self._decode(path, header, warns)
        if header.bit_count <= 8 and image.mode == "L":
            # Pillow turns an identity grey table into mode L: values are indices.
            highest = int(np.asarray(image).max())
            if highest >= header.palette_entries:
                raise InputError(
                    f"pixel index {highest} is beyond the {header.palette_entries}-entry "
                    "colour table",
                    path,
                )
        native = to_native(
            image, path, palette_entries=header.palette_entries if header.bit_count <= 8 else None,
            options=options,
        )
        icc = self._icc_profile(path, header, file_size, notes, warns)
        return SourceImage(
            path=path,
            format="bmp",
            pixels=native.pixels,
            frames=(native.frame,),
            icc_profile=icc,
            exif=None,
            notes=tuple(notes) + native.notes,
            warnings=tuple(warns) + native.warnings,
        )

    @staticmethod
    def _decode(path: Path, header: BmpHeader, warns: list[str]) -> Image.Image:
        """RLE and 2 bpp decoded here; everything else by Pillow's BMP plugin."""
        if header.compression in (BI_RLE4, BI_RLE8):
            with path.open("rb") as handle:
                handle.seek(header.pixel_offset)
                stream = handle.read()
            bits = 8 if header.compression == BI_RLE8 else 4
            try:
                indices, undefined = decode_rle(stream, header.width, header.height, bits)
            except ValueError as exc:
                raise InputError(str(exc), path) from exc
            if undefined:
                warns.append(
                    f"RLE data leave {undefined} pixels undefined; they take colour index 0"
                )
            image = Image.frombytes("P", (header.width, header.height), indices.tobytes())
            image.putpalette(_palette_rgb(header))
            return image
        if header.bit_count == 2:
            with path.open("rb") as handle:
                handle.seek(header.pixel_offset)
                raw = handle.read(header.row_stride * header.height)
            orientation = 1 if header.top_down else -1
            image = Image.frombuffer(
                "P", (header.width, header.height), raw, "raw", "P;2", header.row_stride,
                orientation,
            )
            image.putpalette(_palette_rgb(header))
            return image
        try:
            with pillow_errors(path):
                with Image.open(path, formats=[BmpImagePlugin.BmpImageFile.format]) as image:
                    image.load()
        except InputError as exc:
            if header.masks:
                masks = "/".join(f"{m:08X}" for m in header.masks)
                raise InputError(
                    f"{header.compression_name} masks {masks} are not a layout the decoder "
                    f"supports ({exc.message})",
                    path,
                ) from exc
            raise
        return image

    @staticmethod
    def _icc_profile(
        path: Path, header: BmpHeader, file_size: int, notes: list[str], warns: list[str]
    ) -> bytes | None:
        """A V5 header's embedded profile; a linked one (a file name) is only noted."""
        if header.cs_type == CS_LINKED:
            warns.append("ICC profile linked by file name is ignored")
            return None
        if header.cs_type != CS_EMBEDDED or not header.profile_size:
            return None
        start = FILE_HEADER_SIZE + header.profile_offset
        if start + header.profile_size > file_size:
            warns.append("embedded ICC profile lies outside the file; ignored")
            return None
        with path.open("rb") as handle:
            handle.seek(start)
            profile = handle.read(header.profile_size)
        notes.append(f"embedded ICC profile ({len(profile)} bytes)")
        return profile


#: check_header and decode_rle are imported from here by tests and callers.
__all__ = ["BmpHeader", "BmpReader", "check_header", "decode_rle"]
