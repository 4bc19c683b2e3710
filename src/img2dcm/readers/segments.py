"""A seekable, lazy view of byte ranges of one file, read as one stream.

Pass-through readers (JPEG, JPEG-LS) describe a frame as "these byte ranges of the
input file, concatenated" (SOI..EOI minus the dropped APPn/COM segments). This
module turns such a description into an ``io.BufferedIOBase`` that pydicom's
``encapsulate_buffer`` can measure and stream, so pixel data never has to sit in
memory as a whole.
"""

from __future__ import annotations

import bisect
import functools
import io
import os
from collections.abc import Sequence
from pathlib import Path

from img2dcm.errors import InputError
from img2dcm.readers.base import Frame

#: A piece of a frame: ``(offset, length)`` of the file, or literal bytes
#: (a rewritten header segment, e.g. JPEG component ids).
Piece = tuple[int, int] | bytes


def merge_ranges(ranges: Sequence[Piece]) -> tuple[Piece, ...]:
    """Drop empty ``(offset, length)`` ranges and join ranges that touch.

    Fewer, larger ranges mean fewer seeks when the stream is read. Literal
    ``bytes`` pieces are kept as they are, in order.
    """
    merged: list[Piece] = []
    for piece in ranges:
        if isinstance(piece, bytes):
            if piece:
                merged.append(piece)
            continue
        offset, length = piece
        if length < 0 or offset < 0:
            raise ValueError(f"invalid byte range ({offset}, {length})")
        if length == 0:
            continue
        last = merged[-1] if merged else None
        if isinstance(last, tuple) and last[0] + last[1] == offset:
            merged[-1] = (last[0], last[1] + length)
        else:
            merged.append((offset, length))
    return tuple(merged)


class RangeStream(io.RawIOBase):
    """Read-only, seekable concatenation of ``(offset, length)`` ranges of a file.

    The file is opened on the first read and closed with the stream, so creating
    a stream is cheap and many frames can be described without open handles.
    """

    def __init__(self, path: str | os.PathLike[str], ranges: Sequence[Piece]) -> None:
        super().__init__()
        self._path = Path(path)
        self._ranges = merge_ranges(ranges)
        #: Position of each range's first byte within the concatenated stream.
        self._starts: list[int] = []
        total = 0
        for piece in self._ranges:
            self._starts.append(total)
            total += len(piece) if isinstance(piece, bytes) else piece[1]
        self._length = total
        self._pos = 0
        self._file: io.BufferedReader | None = None

    @property
    def length(self) -> int:
        """Total number of bytes the stream yields."""
        return self._length

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._checkClosed()  # type: ignore[attr-defined]
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._checkClosed()  # type: ignore[attr-defined]
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            target = self._length + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        self._pos = target
        return target

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from at most one range; 0 means end of stream."""
        self._checkClosed()  # type: ignore[attr-defined]
        view = memoryview(buffer).cast("B")
        if self._pos >= self._length or len(view) == 0:
            return 0
        index = bisect.bisect_right(self._starts, self._pos) - 1
        piece = self._ranges[index]
        within = self._pos - self._starts[index]
        if isinstance(piece, bytes):
            count = min(len(view), len(piece) - within)
            view[:count] = piece[within : within + count]
            self._pos += count
            return count
        file_offset, length = piece
        count = min(len(view), length - within)
        handle = self._handle()
        handle.seek(file_offset + within)
        got = handle.readinto(view[:count])
        if not got or got < count:
            # The file shrank since its headers were read: fail loudly rather
            # than let the writer emit an item shorter than its declared length.
            raise InputError("file changed or shrank while its pixel data was being copied", self._path)
        self._pos += got
        return got

    def _handle(self) -> io.BufferedReader:
        if self._file is None:
            try:
                self._file = open(self._path, "rb")  # noqa: SIM115 - closed in close()
            except OSError as exc:
                raise InputError(f"cannot reopen file for pixel data: {exc.strerror or exc}", self._path) from exc
        return self._file

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


def open_ranges(path: str | os.PathLike[str], ranges: Sequence[Piece]) -> io.BufferedReader:
    """A buffered, seekable stream over ``ranges`` of ``path``, positioned at 0."""
    return io.BufferedReader(RangeStream(path, ranges))


def file_frame(path: str | os.PathLike[str], ranges: Sequence[Piece]) -> Frame:
    """A frame made of ``ranges`` of ``path``: streamed when read, copied by the kernel when written."""
    merged = merge_ranges(ranges)
    length = sum(len(piece) if isinstance(piece, bytes) else piece[1] for piece in merged)
    return Frame(length, functools.partial(open_ranges, path, merged), source=(Path(path), merged))
