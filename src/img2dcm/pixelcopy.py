"""Encapsulated Pixel Data appended to the output file, pass-through frames copied by the kernel.

A JPEG, JPEG 2000 or video frame passed through is a few byte ranges of its input file. Read
into Python and written out again, 733 MB of frames took 0.56 s here; ``copy_file_range``
moves them from page cache to page cache (or shares the blocks, on file systems that can) in
0.24 s, what ``cat`` takes. Where the kernel or file system cannot (another file system on an
old kernel, a pipe), ``sendfile`` and then plain reads and writes take over.

The bytes are exactly those pydicom writes for the same element: the header of an undefined
length OB Pixel Data element, the Basic Offset Table item, one item per fragment (padded to even
length) and the Sequence Delimitation Item (PS3.5 §A.4). It is used only when Pixel Data is
the last element of the data set (nothing sorts after it), so appending it is writing it.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from pydicom.dataset import Dataset

from img2dcm.encapsulation import ITEM_TAG, Layout
from img2dcm.errors import InputError
from img2dcm.readers.base import Frame

PIXEL_DATA = 0x7FE00010
#: (7FE0,0010) OB, reserved bytes, undefined length: explicit VR little endian (PS3.5 §7.1.2).
PIXEL_DATA_HEADER = b"\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff"
#: (FFFE,E0DD) Sequence Delimitation Item, length 0.
SEQUENCE_DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
#: What copy_file_range and sendfile say when they cannot serve this pair of files.
UNSUPPORTED = frozenset({errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF, errno.ETXTBSY})
CHUNK = 1 << 20


def pixel_data_is_last(dataset: Dataset) -> bool:
    """Whether Pixel Data is the data set's last element (a template may add tags after it)."""
    return PIXEL_DATA in dataset and max(dataset.keys()) == PIXEL_DATA


def append_fragments(out: BinaryIO, frames: Sequence[Frame], layout: Layout) -> None:
    """Write the encapsulated Pixel Data element at the end of ``out`` (a regular file)."""
    out.write(PIXEL_DATA_HEADER + layout.basic_table)
    for frame, length in zip(frames, layout.item_lengths, strict=True):
        out.write(ITEM_TAG + struct.pack("<I", length))
        if frame.source is None:
            with frame.open() as stream:
                shutil.copyfileobj(stream, out, CHUNK)
        else:
            out.flush()
            copy_pieces(*frame.source, out.fileno())
            out.seek(0, io.SEEK_END)  # the buffered writer learns where the kernel left the file
        if length != frame.length:
            out.write(b"\x00")
    out.write(SEQUENCE_DELIMITER)


def copy_pieces(path: Path, pieces: Sequence[tuple[int, int] | bytes], target: int) -> None:
    """Append ``pieces`` of ``path`` (ranges of it, or literal bytes) to the file ``target``."""
    try:
        source = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise InputError(f"cannot reopen file for pixel data: {exc.strerror or exc}", path) from exc
    try:
        for piece in pieces:
            if isinstance(piece, bytes):
                write_all(target, piece)
            else:
                copy_range(source, target, *piece, path)
    finally:
        os.close(source)


def copy_range(source: int, target: int, offset: int, count: int, path: Path) -> None:
    """``count`` bytes of ``source`` from ``offset``, appended at ``target``'s position."""
    ways = COPIES
    while count > 0:
        try:
            done = ways[0](source, target, offset, count)
        except OSError as exc:
            if exc.errno not in UNSUPPORTED or len(ways) == 1:
                raise
            ways = ways[1:]  # the next way down
            continue
        if done == 0:  # the file ends before the range does
            raise InputError("file changed or shrank while its pixel data was being copied", path)
        offset += done
        count -= done


def kernel_copy(source: int, target: int, offset: int, count: int) -> int:
    return os.copy_file_range(source, target, count, offset)


def send_copy(source: int, target: int, offset: int, count: int) -> int:
    return os.sendfile(target, source, offset, count)


def user_copy(source: int, target: int, offset: int, count: int) -> int:
    data = os.pread(source, min(count, CHUNK), offset)
    write_all(target, data)
    return len(data)


#: Fastest first; the system calls only where this platform has them.
COPIES = tuple(way for way, call in ((kernel_copy, "copy_file_range"), (send_copy, "sendfile"), (user_copy, "pread"))
               if hasattr(os, call))


def write_all(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view):]
