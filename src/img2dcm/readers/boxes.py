"""ISO base media boxes (ISO/IEC 14496-12 §4.2), shared by JP2/JPH (15444-1 Annex I) and MP4/QuickTime.

A box is a 32-bit size, a 4-character type, an optional 64-bit size (size 1) and
its payload; size 0 means "to the end of the enclosing range".
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass


class BoxError(ValueError):
    """The box structure is unusable; the message is user-facing."""


@dataclass(frozen=True)
class Box:
    kind: bytes
    start: int  # first byte of the payload
    end: int


def boxes(data: bytes, start: int, end: int) -> Iterator[Box]:
    """The boxes between ``start`` and ``end``; BoxError for a truncated one."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise BoxError(f"box '{kind.decode('latin-1')}' at offset {pos} is truncated")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise BoxError(f"box '{kind.decode('latin-1')}' at offset {pos} runs past the end of the file (truncated)")
        yield Box(kind, pos + header, pos + size)
        pos += size
