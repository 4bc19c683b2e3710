"""``output.verify``: decode the pixel data just written and compare it with the source.

Runs on the temporary file before it is renamed into place, so an encoder fault
can never leave a wrong object behind. Frames are decoded one at a time from the
file (pydicom's ``iter_pixels``); a deflated file or a bare dataset (``-F``) has
to be read whole first, because pydicom can only stream plain Part 10 files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

import numpy as np
from pydicom import dcmread
from pydicom.dataset import FileMetaDataset
from pydicom.pixels import iter_pixels
from pydicom.uid import UID

from img2dcm.compression import decoder_plugin
from img2dcm.errors import ConversionError
from img2dcm.iods.syntaxes import syntax_name
from img2dcm.readers.base import Frame


def _decoded_frames(handle: BinaryIO, transfer_syntax: str, as_file: bool) -> Iterator[np.ndarray]:
    handle.seek(0)
    plugin = decoder_plugin(transfer_syntax)
    if as_file and not UID(transfer_syntax).is_deflated:
        yield from iter_pixels(handle, raw=True, decoding_plugin=plugin)
        return
    dataset = dcmread(handle, force=True)
    if not as_file:
        dataset.file_meta = FileMetaDataset()
        dataset.file_meta.TransferSyntaxUID = UID(transfer_syntax)
    yield from iter_pixels(dataset, raw=True, decoding_plugin=plugin)


def _native(frame: Frame, dtype: np.dtype) -> np.ndarray:
    with frame.open() as stream:
        return np.frombuffer(stream.read(frame.length), dtype=dtype)


def verify_written(handle: BinaryIO, transfer_syntax: str, source_frames: Sequence[Frame], as_file: bool) -> None:
    """Raise ConversionError unless every decoded frame equals its source frame bit for bit."""
    name = syntax_name(transfer_syntax)
    count = 0
    try:
        for count, decoded in enumerate(_decoded_frames(handle, transfer_syntax, as_file), start=1):
            if count > len(source_frames):
                break
            expected = _native(source_frames[count - 1], decoded.dtype.newbyteorder("<"))
            got = np.ascontiguousarray(decoded).ravel()
            if got.shape != expected.shape or not np.array_equal(got, expected):
                where = int(np.argmax(got != expected)) if got.shape == expected.shape else None
                detail = f" (first difference at sample {where})" if where is not None else " (size differs)"
                raise ConversionError(
                    f"verification failed: frame {count} decoded from the written {name} pixel data "
                    f"differs from the source{detail}; nothing was written"
                )
    except ConversionError:
        raise
    except Exception as exc:  # noqa: BLE001 - a decoder failure is a verification failure
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConversionError(f"verification failed: the written {name} pixel data cannot be decoded: {detail}; "
                              "nothing was written") from exc
    if count != len(source_frames):
        raise ConversionError(f"verification failed: {count} frame(s) decoded from the written {name} pixel data, "
                              f"{len(source_frames)} expected; nothing was written")
