"""JP2 / JPH file boxes (ISO/IEC 15444-1 Annex I, 15444-15 Annex D): find the codestream.

DICOM stores the bare codestream: "the optional JP2 file format header shall
NOT be included" (PS3.5 §A.4.4). We walk the boxes to the Contiguous Codestream
box and keep exactly its contents, bounded by the box length (dcm4che copies to
the end of the file, GDCM copies the whole file). The Colour Specification box
is read because sYCC there is the only sign of YCbCr samples without an MCT.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from img2dcm.readers.boxes import BoxError, boxes

#: The JPEG 2000 signature box, first 12 bytes of every JP2-family file (15444-1 §I.5.1).
SIGNATURE_BOX = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
#: File type brands we accept: JP2 (Part 1) and JPH (Part 15). JPX ('jpx ') is Part 2.
BRANDS = {b"jp2 ": "JP2", b"jph ": "JPH"}
#: Enumerated colour spaces of the 'colr' box (15444-1 Table I.10).
ENUM_SRGB, ENUM_GREYSCALE, ENUM_SYCC = 16, 17, 18


@dataclass(frozen=True)
class Boxes:
    """Where the codestream is, and what the header boxes say."""

    brand: str  # "JP2" or "JPH"
    codestream_offset: int
    codestream_length: int
    enumerated_colour: int | None = None  # colr method 1 EnumCS


def walk_boxes(data: bytes, size: int) -> Boxes:
    """Boxes of a JP2/JPH file: ``data`` holds the file (or its mmap), ``size`` its length."""
    if data[:12] != SIGNATURE_BOX:
        raise BoxError("not a JP2 file (no JPEG 2000 signature box)")
    brand: str | None = None
    colour: int | None = None
    for box in boxes(data, 12, size):
        if box.kind == b"ftyp":
            major = bytes(data[box.start : box.start + 4])
            compatible = bytes(data[box.start + 8 : box.end])
            found = BRANDS.get(major) or next(
                (name for code, name in BRANDS.items() if code in [compatible[i : i + 4] for i in range(0, len(compatible), 4)]),
                None,
            )
            if found is None:
                raise BoxError(
                    f"JPEG 2000 file brand '{major.decode('latin-1')}' is not JP2 or JPH "
                    "(JPX / Part 2 files cannot be stored in DICOM here)"
                )
            brand = found
        elif box.kind == b"jp2h":
            colour = _colour_in_header(data, box.start, box.end)
        elif box.kind == b"jp2c":
            if brand is None:
                raise BoxError("codestream box before the file type box (not a valid JP2 file)")
            return Boxes(brand, box.start, box.end - box.start, colour)
    raise BoxError("no codestream box (jp2c) found in the JP2 file")


def _colour_in_header(data: bytes, start: int, end: int) -> int | None:
    """EnumCS of the first 'colr' box with method 1 inside the JP2 header box."""
    for box in boxes(data, start, end):
        if box.kind == b"colr" and box.end - box.start >= 7 and data[box.start] == 1:
            return int(struct.unpack_from(">I", data, box.start + 3)[0])
    return None
