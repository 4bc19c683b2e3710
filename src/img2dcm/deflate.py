"""A write-only stream that deflates what is written into another stream (PS3.5 §A.5).

pydicom 3.0 deflates a dataset only after encoding all of it in memory; writing
through this sink lets the native pixel data stream through zlib chunk by chunk.
"""

from __future__ import annotations

import zlib
from types import TracebackType
from typing import BinaryIO


class DeflatingWriter:
    """Raw deflate (no zlib header, PS3.5 §A.5) into ``target``; odd output padded with one NUL."""

    def __init__(self, target: BinaryIO, level: int = zlib.Z_DEFAULT_COMPRESSION) -> None:
        self.target = target
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.written = 0  # bytes accepted (before compression)
        self.emitted = 0  # compressed bytes written to the target

    def write(self, data: bytes | bytearray | memoryview) -> int:
        size = len(data)
        self._emit(self.compressor.compress(data))
        self.written += size
        return size

    def tell(self) -> int:
        return self.written

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only "stay where you are" is possible in a compressed stream (pydicom asks for it)."""
        target = {0: offset, 1: self.written + offset}.get(whence)
        if target != self.written:
            raise OSError("a deflated stream cannot seek")
        return self.written

    def flush(self) -> None:
        """Nothing to do: zlib keeps what it needs until :meth:`finish`."""

    def _emit(self, chunk: bytes) -> None:
        if chunk:
            self.target.write(chunk)
            self.emitted += len(chunk)

    def finish(self) -> None:
        """End the deflate stream and keep the file even-length (PS3.5 §A.5)."""
        self._emit(self.compressor.flush())
        if self.emitted % 2:
            self._emit(b"\x00")

    def __enter__(self) -> "DeflatingWriter":
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.finish()
