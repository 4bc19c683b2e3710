"""Encapsulated Pixel Data (PS3.5 §A.4) streamed from frames, with the offset table it needs.

Lengths are 32-bit fields: an item (fragment) holds at most 0xFFFFFFFE bytes, and so does a
native Pixel Data element (PS3.5 §7.1.2). The Basic Offset Table holds 32-bit offsets, so an
object whose last frame starts 4 GiB or more after the first fragment uses the Extended Offset
Table instead (PS3.3 §C.7.6.3.1.8: 64-bit offsets and lengths, one fragment per frame, the
Basic Offset Table then empty). Everything is decided from the frames' lengths before a byte is
written; what cannot be written is refused then, with nothing left on disk.

pydicom's ``encapsulate_buffer`` recomputes every offset on each read (quadratic in the number
of frames) and refuses offsets over 4 GiB; this stream locates a read with one bisection.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.errors import ConversionError
from img2dcm.readers.base import Frame

ITEM_TAG = b"\xfe\xff\x00\xe0"  # (FFFE,E000) little endian
MAX_VALUE = 0xFFFFFFFE  # the longest even value a 32-bit length field allows
MAX_OFFSET = 0xFFFFFFFF  # the largest Basic Offset Table entry
BASIC, EXTENDED, EMPTY = "basic", "extended", "empty"


@dataclass(frozen=True)
class Layout:
    """Where each fragment goes, and which offset table says so."""

    item_lengths: tuple[int, ...]  # each fragment's value length, padded to even
    offsets: tuple[int, ...]  # of each fragment's item tag, from the first fragment's
    table: str  # BASIC, EXTENDED or EMPTY

    @property
    def basic_table(self) -> bytes:
        """The Basic Offset Table item (empty unless the table is BASIC)."""
        values = self.offsets if self.table == BASIC else ()
        return ITEM_TAG + struct.pack(f"<I{len(values)}I", 4 * len(values), *values)

    @property
    def extended_offsets(self) -> bytes:
        return struct.pack(f"<{len(self.offsets)}Q", *self.offsets)

    @property
    def extended_lengths(self) -> bytes:
        return struct.pack(f"<{len(self.item_lengths)}Q", *self.item_lengths)

    @property
    def value_length(self) -> int:
        """Bytes between the Pixel Data header and its Sequence Delimitation Item."""
        return len(self.basic_table) + sum(8 + n for n in self.item_lengths)


def plan_layout(lengths: Sequence[int], with_offsets: bool = True) -> Layout:
    """The layout for fragments of ``lengths`` bytes (one per frame, unless ``with_offsets`` is
    False: the pieces of one stream, as video, with an empty table); raise if one cannot fit."""
    padded = tuple(n + n % 2 for n in lengths)
    for index, length in enumerate(padded):
        if length > MAX_VALUE:
            raise ConversionError(f"frame {index + 1} is {lengths[index]} bytes: more than one fragment "
                                  f"can hold ({MAX_VALUE} bytes, PS3.5 A.4); nothing was written")
    offsets, position = [], 0
    for length in padded:
        offsets.append(position)
        position += 8 + length
    if not with_offsets:
        table = EMPTY
    elif offsets and offsets[-1] > MAX_OFFSET:
        table = EXTENDED
    else:
        table = BASIC
    return Layout(padded, tuple(offsets), table)


def check_native_length(length: int) -> None:
    """Native pixel data is one element with a 32-bit length: refuse before writing what cannot fit."""
    if length + length % 2 > MAX_VALUE:
        raise ConversionError(f"native pixel data of {length} bytes exceeds the {MAX_VALUE} bytes one "
                              "element can hold (PS3.5 7.1.2); use a compressed transfer syntax or fewer "
                              "frames; nothing was written")


def encapsulated_pieces(frames: Sequence[Frame], layout: Layout) -> list[Frame]:
    """The Pixel Data value as pieces: offset table item, then each item header, frame and pad byte."""
    pieces = [Frame.from_bytes(layout.basic_table)]
    for frame, length in zip(frames, layout.item_lengths, strict=True):
        pieces.append(Frame.from_bytes(ITEM_TAG + struct.pack("<I", length)))
        pieces.append(frame)
        if length != frame.length:
            pieces.append(Frame.from_bytes(b"\x00"))
    return pieces


def encapsulated_stream(frames: Sequence[Frame], layout: Layout) -> io.BufferedReader:
    """A seekable stream of the whole encapsulated value (the caller writes the delimiter)."""
    from img2dcm.streams import buffered

    return buffered(encapsulated_pieces(frames, layout), pad_even=False)
