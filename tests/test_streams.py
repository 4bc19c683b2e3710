"""Chained frame streams: exact bytes, even padding, seeking, lazy opening."""

from __future__ import annotations

import io

from img2dcm.readers.base import Frame
from img2dcm.streams import ChainedStream, buffered


def test_frames_are_concatenated_and_padded_to_even_length() -> None:
    stream = buffered([Frame.from_bytes(b"abc"), Frame.from_bytes(b"defg")])
    assert stream.read() == b"abcdefg\0"


def test_even_total_gets_no_pad_byte() -> None:
    assert buffered([Frame.from_bytes(b"ab"), Frame.from_bytes(b"cdef")]).read() == b"abcdef"


def test_padding_can_be_switched_off() -> None:
    assert buffered([Frame.from_bytes(b"abc")], pad_even=False).read() == b"abc"


def test_seek_and_partial_reads_cross_frame_boundaries() -> None:
    raw = ChainedStream([Frame.from_bytes(b"0123"), Frame.from_bytes(b"456"), Frame.from_bytes(b"78")])
    assert raw.seek(0, io.SEEK_END) == 10
    raw.seek(3)
    buffer = bytearray(4)
    assert raw.readinto(buffer) == 4 and bytes(buffer) == b"3456"
    raw.seek(-1, io.SEEK_END)
    assert raw.read(5) == b"\0"


def test_sources_are_opened_only_when_read() -> None:
    opened: list[int] = []

    def frame(data: bytes, number: int) -> Frame:
        def open_() -> io.BufferedIOBase:
            opened.append(number)
            return io.BytesIO(data)
        return Frame(len(data), open_)

    stream = buffered([frame(b"ab", 1), frame(b"cd", 2)])
    stream.seek(0, io.SEEK_END)
    assert opened == []
    stream.seek(0)
    assert stream.read() == b"abcd"
    assert opened == [1, 2]
