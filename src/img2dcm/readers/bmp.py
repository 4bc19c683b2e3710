"""BMP reader: every variant Pillow decodes, checked by us before Pillow allocates.

DCMTK accepts only uncompressed 40-byte BITMAPINFOHEADER files. We accept every
header Pillow knows (OS/2 1.x/2.x, V2-V5), RLE4/RLE8, bitfields and 2 bpp, but
first check the header ourselves (:func:`check_header`) so a lying header is
rejected with a one-line reason instead of a huge allocation. RLE streams are
walked and decoded here because Pillow silently clips runs that overflow the
image (bmpsuite's ``badrle*``); 2-bit files are unpacked with Pillow's raw
unpacker because its BMP plugin does not read them. See docs/input-raster.md.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import BmpImagePlugin, Image

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.raster import pillow_errors, to_native

log = logging.getLogger(__name__)

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


def decode_rle(data: bytes, width: int, height: int, bits: int) -> tuple[np.ndarray, int]:
    """Decode a BI_RLE8 (bits=8) or BI_RLE4 (bits=4) stream into colour indices.

    Returns rows in display order (top first) and the number of pixels the
    stream never set (left 0). Raises ValueError when a run or delta leaves the
    image or the data ends before every row is reached, which Pillow would clip.
    """
    out = np.zeros((height, width), dtype=np.uint8)
    x = y = 0
    written = 0
    pos, end = 0, len(data)

    def put(values: np.ndarray) -> None:
        nonlocal x, written
        count = values.size
        if y >= height:
            raise ValueError(f"RLE data continues past the last row ({height})")
        if x + count > width:
            raise ValueError(f"RLE run of {count} pixels at column {x} overflows row {y}")
        out[y, x : x + count] = values
        x += count
        written += count

    while True:
        if pos + 2 > end:
            if y >= height or (y == height - 1 and x == width):
                break  # complete image, end-of-bitmap marker missing
            raise ValueError(f"RLE data ends at row {y} of {height} (truncated)")
        first, second = data[pos], data[pos + 1]
        pos += 2
        if first:  # encoded run: `first` pixels of one (RLE8) or two alternating (RLE4) values
            if bits == 8:
                put(np.full(first, second, dtype=np.uint8))
            else:
                pair = np.array([second >> 4, second & 0x0F], dtype=np.uint8)
                put(np.resize(pair, first))
        elif second == 0:  # end of line
            y, x = y + 1, 0
        elif second == 1:  # end of bitmap
            break
        elif second == 2:  # delta
            if pos + 2 > end:
                raise ValueError("RLE delta cut short (truncated)")
            x, y = x + data[pos], y + data[pos + 1]
            pos += 2
            if x > width or y > height:
                raise ValueError(f"RLE delta moves outside the image to ({x}, {y})")
        else:  # absolute run of `second` literal pixels, padded to 16 bits
            size = second if bits == 8 else (second + 1) // 2
            if pos + size > end:
                raise ValueError("RLE literal run cut short (truncated)")
            raw = np.frombuffer(data, dtype=np.uint8, count=size, offset=pos)
            if bits == 4:
                raw = np.stack([raw >> 4, raw & 0x0F], axis=1).reshape(-1)[:second]
            put(raw)
            pos += size + (size & 1)
    return np.flipud(out), width * height - written


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
            image, path, palette_entries=header.palette_entries if header.bit_count <= 8 else None
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
