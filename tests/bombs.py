"""Tiny files whose headers claim huge images (decompression bombs), built in code.

Shared by the limit tests and the fuzzing harness (as extreme-header seeds).
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.tools import CORPUS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bmp_rle(bits: int, width: int = 65535, height: int = 65535, size: int = 120) -> bytes:
    """An RLE8/RLE4 BMP of ``size`` bytes: a 2-entry palette and an end-of-bitmap marker."""
    palette = b"\0\0\0\0\xff\xff\xff\0"
    data = b"\x00\x01"
    offset = 14 + 40 + len(palette)
    compression = 1 if bits == 8 else 2
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, bits, compression, len(data), 2835, 2835, 2, 0)
    head = b"BM" + struct.pack("<IHHI", size, 0, 0, offset) + info + palette + data
    return head + b"\0" * (size - len(head))


def png(width: int = 60000, height: int = 60000, colour_type: int = 0) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` with ten rows of real data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    idat = zlib.compress(b"\0" * 10 * (width + 1))
    return PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png_chunk_past_end() -> bytes:
    """A valid 8x8 PNG followed by a chunk whose length runs 4 GiB past the end of the file."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 7).save(buffer, "PNG")
    good = buffer.getvalue()
    iend = good.rindex(b"IEND") - 4
    return good[:iend] + struct.pack(">I", 0xFFFFFFF0) + b"tEXt" + b"abc" + good[iend:]


def tiff(width: int = 60000, height: int = 60000, compression: str | None = None) -> bytes:
    """A small grey TIFF whose ImageWidth/ImageLength/RowsPerStrip are patched to claim more."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8)).save(buffer, "TIFF", compression=compression)
    data = bytearray(buffer.getvalue())
    ifd = struct.unpack_from("<I", data, 4)[0]
    for index in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * index
        tag, kind = struct.unpack_from("<HH", data, entry)
        if tag in (256, 257, 278):
            value = width if tag == 256 else height
            if kind == 3:
                struct.pack_into("<H", data, entry + 8, value)
            else:
                struct.pack_into("<I", data, entry + 8, value)
    return bytes(data)


def jpeg(width: int = 60000, height: int = 60000) -> bytes:
    """A real baseline JPEG whose SOF claims ``width`` x ``height``."""
    data = bytearray((CORPUS / "jpeg" / "ljt_testorig.jpg").read_bytes())
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack_from(">H", data, at + 2)[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            struct.pack_into(">HH", data, at + 5, height, width)
            return bytes(data)
        at += 2 + length
    raise AssertionError("no SOF in the corpus JPEG")


#: name -> bytes: every format claiming far more pixels than its few bytes can hold.
BOMBS: dict[str, bytes] = {
    "rle8.bmp": bmp_rle(8),
    "rle4.bmp": bmp_rle(4),
    "rle8-16000.bmp": bmp_rle(8, 16000, 16000),
    "huge.png": png(),
    "mid-rgb.png": png(5000, 5000, 2),
    "huge.tif": tiff(),
    "huge-deflate.tif": tiff(compression="tiff_adobe_deflate"),
    "mid-lzw.tif": tiff(9000, 9000, compression="tiff_lzw"),
    "huge.jpg": jpeg(),
    "chunk-past-end.png": png_chunk_past_end(),
}
