"""BMP header checks: what a file's headers promise, validated before any decoding.

Pillow would allocate whatever a lying header asks for; :func:`check_header`
rejects unknown headers, impossible sizes and unsupported compressions with a
one-line reason first. See docs/input-raster.md.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from img2dcm.errors import InputError

MAGIC = b"BM"
FILE_HEADER_SIZE = 14
MAX_DIMENSION = 0xFFFF
MAX_PALETTE = 256

#: Info-header sizes we know (size -> name). Microsoft "Bitmap Header Types";
#: 56 is Adobe's undocumented V3, 16 and 64 are OS/2 2.x.
HEADER_KINDS: dict[int, str] = {
    12: "OS/2 1.x BITMAPCOREHEADER",
    16: "short OS/2 2.x header",
    40: "BITMAPINFOHEADER",
    52: "BITMAPV2INFOHEADER",
    56: "BITMAPV3INFOHEADER",
    64: "OS/2 2.x BITMAPCOREHEADER2",
    108: "BITMAPV4HEADER",
    124: "BITMAPV5HEADER",
}

#: Known headers the decoder cannot read (size -> reason).
UNSUPPORTED_HEADERS: dict[int, str] = {
    16: "the short 16-byte OS/2 2.x info header is not supported",
}

OS2_CORE = 12
OS2_V2 = 64

BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS = 0, 1, 2, 3, 6

#: biCompression names (Windows headers).
COMPRESSION_NAMES: dict[int, str] = {
    0: "BI_RGB",
    1: "BI_RLE8",
    2: "BI_RLE4",
    3: "BI_BITFIELDS",
    4: "BI_JPEG",
    5: "BI_PNG",
    6: "BI_ALPHABITFIELDS",
    11: "BI_CMYK",
    12: "BI_CMYKRLE8",
    13: "BI_CMYKRLE4",
}

#: The same codes mean something else in an OS/2 2.x header.
OS2_COMPRESSION_NAMES: dict[int, str] = {3: "OS/2 Huffman 1D", 4: "OS/2 RLE24"}

#: Compression -> bit counts we decode with it.
SUPPORTED: dict[int, frozenset[int]] = {
    BI_RGB: frozenset({1, 2, 4, 8, 16, 24, 32}),
    BI_RLE8: frozenset({8}),
    BI_RLE4: frozenset({4}),
    BI_BITFIELDS: frozenset({16, 32}),
}

#: Why some compressions are refused (name -> advice).
REFUSED_COMPRESSION: dict[str, str] = {
    "BI_JPEG": "the BMP wraps a JPEG stream; convert the JPEG itself",
    "BI_PNG": "the BMP wraps a PNG stream; convert the PNG itself",
}

#: bV5CSType values (LCS_* four-character codes, stored little-endian).
CS_EMBEDDED = 0x4D424544  # 'MBED'
CS_LINKED = 0x4C494E4B  # 'LINK'

#: Enough bytes for the file header, the largest info header, masks and a full palette.
HEAD_BYTES = FILE_HEADER_SIZE + 124 + 16 + MAX_PALETTE * 4


@dataclass(frozen=True)
class BmpHeader:
    """What the BMP headers promise, after our sanity checks."""

    pixel_offset: int
    header_size: int
    width: int
    height: int  # absolute value
    top_down: bool
    bit_count: int
    compression: int
    palette_entries: int  # real colour-table size for <= 8 bpp, else 0
    palette: bytes  # raw table, entry_size bytes per entry (B, G, R[, x])
    entry_size: int
    masks: tuple[int, ...]  # R, G, B[, A] for bitfields, else ()
    ignored_table: int  # optional colour table entries of a > 8 bpp file
    cs_type: int | None
    profile_offset: int  # from the start of the info header; 0 when none
    profile_size: int

    @property
    def kind(self) -> str:
        return HEADER_KINDS[self.header_size]

    @property
    def compression_name(self) -> str:
        if self.header_size == OS2_V2 and self.compression in OS2_COMPRESSION_NAMES:
            return OS2_COMPRESSION_NAMES[self.compression]
        return COMPRESSION_NAMES.get(self.compression, f"compression {self.compression}")

    @property
    def row_stride(self) -> int:
        """Bytes per stored row of uncompressed data (padded to 4 bytes)."""
        return (self.width * self.bit_count + 31) // 32 * 4


def _u16(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<H", data, at)[0])


def _u32(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


def _i32(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<i", data, at)[0])


def check_header(head: bytes, file_size: int, path: Path | None = None) -> BmpHeader:
    """Validate a BMP's headers before anything is decoded; raise InputError if broken.

    ``head`` is the start of the file (at least :data:`HEAD_BYTES` when the file
    is that long), ``file_size`` its full length. Rejects unknown headers,
    planes != 1, empty or > 65535 dimensions, bad bit counts and compressions,
    colour tables over 256 entries and files too short for the pixels promised.
    """

    def bad(reason: str) -> InputError:
        return InputError(reason, path)

    if head[:2] != MAGIC:
        raise bad('not a BMP file: no "BM" signature')
    if len(head) < FILE_HEADER_SIZE + 4:
        raise bad(f"file is only {file_size} bytes, too short for the BMP headers")
    pixel_offset = _u32(head, 10)
    header_size = _u32(head, 14)
    if header_size not in HEADER_KINDS:
        raise bad(f"unknown BMP info header size {header_size}")
    if header_size in UNSUPPORTED_HEADERS:
        raise bad(UNSUPPORTED_HEADERS[header_size])
    info_end = FILE_HEADER_SIZE + header_size
    if len(head) < info_end:
        raise bad(f"file is only {file_size} bytes, too short for its {HEADER_KINDS[header_size]}")

    at = FILE_HEADER_SIZE
    if header_size == OS2_CORE:
        width, height = _u16(head, at + 4), _u16(head, at + 6)
        planes, bit_count = _u16(head, at + 8), _u16(head, at + 10)
        compression, clr_used = BI_RGB, 0
    else:
        width, height = _i32(head, at + 4), _i32(head, at + 8)
        planes, bit_count = _u16(head, at + 12), _u16(head, at + 14)
        compression, clr_used = _u32(head, at + 16), _u32(head, at + 32)

    if width <= 0:
        raise bad(
            f"width {width} is not defined by the BMP format"
            if width < 0
            else "width is 0"
        )
    if width > MAX_DIMENSION:
        raise bad(f"width {width} is more than {MAX_DIMENSION}")
    top_down = height < 0
    height = abs(height)
    if height == 0:
        raise bad("height is 0")
    if height > MAX_DIMENSION:
        raise bad(f"height {height} is more than {MAX_DIMENSION}")
    if planes != 1:
        raise bad(f"number of planes is {planes}, must be 1")

    if header_size == OS2_V2 and compression in OS2_COMPRESSION_NAMES:
        raise bad(f"{OS2_COMPRESSION_NAMES[compression]} compression is not supported")
    compression_name = COMPRESSION_NAMES.get(compression, f"compression {compression}")
    if compression_name in REFUSED_COMPRESSION:
        raise bad(f"{compression_name} is not supported: {REFUSED_COMPRESSION[compression_name]}")
    if compression not in SUPPORTED:
        raise bad(f"{compression_name} is not supported")
    if bit_count not in SUPPORTED[BI_RGB]:
        raise bad(f"{bit_count} bits per pixel is not supported")
    if bit_count not in SUPPORTED[compression]:
        raise bad(f"{compression_name} with {bit_count} bits per pixel is not valid")
    if top_down and compression in (BI_RLE4, BI_RLE8):
        raise bad(f"top-down (negative height) {compression_name} is not allowed by the BMP format")

    masks: tuple[int, ...] = ()
    table_start = info_end
    if compression in (BI_BITFIELDS, BI_ALPHABITFIELDS):
        if header_size >= 52:
            count = 4 if header_size >= 56 else 3
            masks = tuple(_u32(head, at + 40 + 4 * i) for i in range(count))
        else:
            count = 4 if compression == BI_ALPHABITFIELDS else 3
            if len(head) < info_end + 4 * count:
                raise bad("file ends inside the bitfield masks")
            masks = tuple(_u32(head, info_end + 4 * i) for i in range(count))
            table_start += 4 * count

    entry_size = 3 if header_size == OS2_CORE else 4
    if pixel_offset < table_start or pixel_offset > file_size:
        raise bad(f"pixel data offset {pixel_offset} is outside {table_start}..{file_size}")
    room = (pixel_offset - table_start) // entry_size
    palette_entries, ignored_table = 0, 0
    if bit_count <= 8:
        if clr_used > MAX_PALETTE:
            raise bad(f"colour table of {clr_used} entries, more than {MAX_PALETTE}")
        # No count given: the full 2^bpp table, or what fits before the pixels (OS/2 files).
        palette_entries = clr_used or min(1 << bit_count, room)
        if palette_entries == 0:
            raise bad(f"{bit_count}-bit image without a colour table")
        if table_start + palette_entries * entry_size > file_size:
            raise bad(f"file ends inside the {palette_entries}-entry colour table")
    else:
        ignored_table = min(clr_used, room)
    palette = head[table_start : table_start + palette_entries * entry_size]

    cs_type, profile_offset, profile_size = None, 0, 0
    if header_size >= 108:
        cs_type = _u32(head, at + 56)
    if header_size >= 124:
        profile_offset, profile_size = _u32(head, at + 112), _u32(head, at + 116)

    header = BmpHeader(
        pixel_offset=pixel_offset,
        header_size=header_size,
        width=width,
        height=height,
        top_down=top_down,
        bit_count=bit_count,
        compression=compression,
        palette_entries=palette_entries,
        palette=palette,
        entry_size=entry_size,
        masks=masks,
        ignored_table=ignored_table,
        cs_type=cs_type,
        profile_offset=profile_offset,
        profile_size=profile_size,
    )
    if compression in (BI_RGB, BI_BITFIELDS):
        needed = header.row_stride * height
        available = file_size - pixel_offset
        if needed > available:
            raise bad(f"header promises {needed} bytes of pixels but the file has {available}")
    elif pixel_offset >= file_size:
        raise bad("no compressed pixel data after the headers")
    return header
