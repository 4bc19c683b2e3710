"""Seekable streams that present several byte sources as one, read lazily.

Pixel data is never concatenated in memory: frames (and their even-length pad
byte) are read from their sources only when the writer asks for them.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Sequence

from img2dcm.readers.base import Frame


class ChainedStream(io.RawIOBase):
    """Read-only, seekable concatenation of frames, padded to an even length."""

    def __init__(self, frames: Sequence[Frame], pad_even: bool = True) -> None:
        self.frames = list(frames)
        self.starts: list[int] = []
        total = 0
        for frame in self.frames:
            self.starts.append(total)
            total += frame.length
        self.data_length = total
        self.length = total + (1 if pad_even and total % 2 else 0)
        self.position = 0
        self.current: tuple[int, io.BufferedIOBase] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _stream_for(self, index: int) -> io.BufferedIOBase:
        if self.current is None or self.current[0] != index:
            self.close_current()
            self.current = (index, self.frames[index].open())
        return self.current[1]

    def close_current(self) -> None:
        if self.current is not None:
            self.current[1].close()
            self.current = None

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self.position < self.length:
            if self.position >= self.data_length:  # the pad byte
                view[written] = 0
                written += 1
                self.position += 1
                continue
            index = bisect.bisect_right(self.starts, self.position) - 1  # the last frame starting here: not empty
            offset = self.position - self.starts[index]
            stream = self._stream_for(index)
            if stream.tell() != offset:
                stream.seek(offset)
            want = min(len(view) - written, self.frames[index].length - offset)
            got = stream.readinto(view[written:written + want])  # straight into the caller's buffer
            if not got:
                raise OSError(f"frame {index + 1} ended early (source file changed or truncated?)")
            written += got
            self.position += got
        return written

    def close(self) -> None:
        self.close_current()
        super().close()


def buffered(frames: Sequence[Frame], pad_even: bool = True) -> io.BufferedReader:
    """A buffered, seekable reader over ``frames`` (what pydicom 3 streams from)."""
    return io.BufferedReader(ChainedStream(frames, pad_even), buffer_size=1 << 20)
