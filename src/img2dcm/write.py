"""Write the built dataset: pixel data streamed, file renamed into place on success.

A temporary file is created beside the target and renamed only when everything
was written, so a failed conversion never leaves a partial output file.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pydicom import config
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomFileLike
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import UID

from img2dcm import __version__
from img2dcm.encapsulation import EXTENDED, Layout, check_native_length, encapsulated_stream, plan_layout
from img2dcm.encoding import apply_encoding_options, pad_file, write_encoded
from img2dcm.errors import Img2DcmError
from img2dcm.pixelcopy import PIXEL_DATA, append_fragments, pixel_data_is_last
from img2dcm.profile.model import OutputOptions
from img2dcm.readers.base import Frame, SourceImage
from img2dcm.streams import buffered

#: Our implementation identity in the File Meta Information (PS3.10 §7.1).
IMPLEMENTATION_CLASS_UID = "1.2.826.0.1.3680043.10.1566.1." + ".".join(
    str(int(part)) for part in __version__.split(".")
)
IMPLEMENTATION_VERSION_NAME = f"IMG2DCM_{__version__.replace('.', '')}"[:16]
STDOUT = Path("-")
#: pydicom copies buffered Pixel Data in chunks of this size; its 8 KiB default
#: makes large images pay per-chunk overhead thousands of times (bench/run.py).
COPY_CHUNK = 1 << 20


def file_meta_for(dataset: Dataset, transfer_syntax: str) -> FileMetaDataset:
    """File Meta Information mirroring the dataset (also after keys changed its UIDs)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = dataset.SOPClassUID
    meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    meta.TransferSyntaxUID = UID(transfer_syntax)
    meta.ImplementationClassUID = UID(IMPLEMENTATION_CLASS_UID)
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    return meta


def has_offset_table(images: tuple[SourceImage, ...]) -> bool:
    """A Basic Offset Table points at frames; a video's fragments are pieces of one stream,
    so its table is empty (PS3.5 8.2.5-8.2.11)."""
    return not any(image.video is not None for image in images)


def output_frames(images: tuple[SourceImage, ...], transfer_syntax: str) -> list[Frame]:
    """Every frame as it is written: passed through, native, or encoded for output.compression."""
    frames = [frame for image in images for frame in image.frames]
    if UID(transfer_syntax).is_encapsulated and not UID(images[0].pixels.transfer_syntax).is_encapsulated:
        # Decoded pixels with an output.compression: each native frame encoded on its own.
        from img2dcm.compression import compression_for_syntax, encode_frames

        frames = encode_frames(compression_for_syntax(transfer_syntax), images[0].pixels, frames)
    return frames


def attach_pixel_data(dataset: Dataset, images: tuple[SourceImage, ...], transfer_syntax: str,
                      stack: ExitStack) -> Fragments | None:
    """Pixel Data as a stream: one fragment per frame with a Basic Offset Table, or native frames
    concatenated and padded to even length. Returns the fragments, when encapsulated."""
    frames = output_frames(images, transfer_syntax)
    if UID(transfer_syntax).is_encapsulated:
        # One fragment per frame; the offset table that fits is chosen before writing (encapsulation.py).
        layout = plan_layout([frame.length for frame in frames], with_offsets=has_offset_table(images))
        if layout.table == EXTENDED:
            dataset.add_new(0x7FE00001, "OV", layout.extended_offsets)
            dataset.add_new(0x7FE00002, "OV", layout.extended_lengths)
            stack.callback(lambda: [dataset.pop(tag, None) for tag in (0x7FE00001, 0x7FE00002)])
        dataset.add_new(0x7FE00010, "OB", stack.enter_context(encapsulated_stream(frames, layout)))
        dataset["PixelData"].is_undefined_length = True
        return Fragments(frames, layout)
    check_native_length(sum(frame.length for frame in frames))
    vr = "OW" if dataset.get("BitsAllocated", 8) > 8 else "OB"
    dataset.add_new(0x7FE00010, vr, stack.enter_context(buffered(frames)))
    return None


@dataclass(frozen=True)
class Fragments:
    """Encapsulated Pixel Data: its frames and where they go."""

    frames: list[Frame]
    layout: Layout


def write_appending_fragments(out: BinaryIO, dataset: Dataset, fragments: Fragments, as_file: bool) -> None:
    """Everything but Pixel Data through pydicom, then Pixel Data appended (:mod:`img2dcm.pixelcopy`)."""
    pixel_data = dataset.pop(PIXEL_DATA)
    try:
        write_encoded(out, dataset, as_file)
    finally:
        dataset[PIXEL_DATA] = pixel_data
    append_fragments(out, fragments.frames, fragments.layout)


def complete_in_memory(dataset: Dataset, images: tuple[SourceImage, ...], transfer_syntax: str) -> Dataset:
    """The finished object in memory: pixel data read whole, File Meta Information set.

    For callers that want a ``Dataset`` rather than a file (the Python API); the same
    fragments (one per frame, Basic Offset Table) or native bytes a file would hold.
    """
    from pydicom.encaps import encapsulate

    def read(frame: Frame) -> bytes:
        with frame.open() as stream:
            return stream.read(frame.length)

    frames = [read(frame) for frame in output_frames(images, transfer_syntax)]
    if UID(transfer_syntax).is_encapsulated:
        dataset.add_new(0x7FE00010, "OB", encapsulate(frames, has_bot=has_offset_table(images)))
        dataset["PixelData"].is_undefined_length = True
    else:
        data = b"".join(frames)
        vr = "OW" if dataset.get("BitsAllocated", 8) > 8 else "OB"
        dataset.add_new(0x7FE00010, vr, data + b"\0" * (len(data) % 2))
    dataset.file_meta = file_meta_for(dataset, transfer_syntax)
    return dataset


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_target(target: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """A temporary file beside ``target``, renamed into place only on success.

    ``durable`` flushes it to the disk before the rename. A batch passes False and
    syncs once at the end instead; its run log records each file's size, so a file
    that a crash left short is converted again by ``--resume``.
    """
    if target == STDOUT:
        with tempfile.TemporaryFile() as spool:
            yield spool  # type: ignore[misc]
            spool.seek(0)
            try:
                shutil.copyfileobj(spool, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except OSError as exc:  # a closed pipe: say so once, and let the exit not say it again
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise Img2DcmError(f"cannot write to standard output: {exc.strerror or exc}", "-") from None
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise Img2DcmError("output folder does not exist", directory)
    try:
        handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{target.name}.", suffix=".part", delete=False)
    except OSError as exc:  # name the output the user asked for, not our temporary file
        raise Img2DcmError(f"cannot write the output: {exc.strerror or exc}", target) from None
    try:
        with handle:
            yield handle  # type: ignore[misc]
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())  # as a plain open() would create it
        os.replace(handle.name, target)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        if exc.filename in (handle.name, None) or exc.filename2 is not None:
            raise Img2DcmError(f"cannot write the output: {exc.strerror or exc}", target) from None
        raise
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_object(dataset: Dataset, images: tuple[SourceImage, ...], transfer_syntax: str,
                 target: Path, options: OutputOptions, durable: bool = True) -> None:
    """Encode ``dataset`` with its pixel data to ``target`` (``-`` = stdout)."""
    as_file = options.file_format == "file"
    with ExitStack() as stack:
        stack.callback(setattr, config.settings, "buffered_read_size", config.settings.buffered_read_size)
        config.settings.buffered_read_size = COPY_CHUNK
        fragments = attach_pixel_data(dataset, images, transfer_syntax, stack)
        apply_encoding_options(dataset, options)
        deflated = UID(transfer_syntax).is_deflated
        if as_file and not deflated:
            dataset.file_meta = file_meta_for(dataset, transfer_syntax)
        with atomic_target(target, durable) as out:
            try:
                if deflated:
                    write_deflated(out, dataset, transfer_syntax, as_file)
                elif fragments is not None and pixel_data_is_last(dataset):
                    write_appending_fragments(out, dataset, fragments, as_file)
                else:
                    write_encoded(out, dataset, as_file)
                pad_file(out, options.padding.file)
            finally:
                del dataset["PixelData"]
            if options.verify and transfer_syntax != images[0].pixels.transfer_syntax:
                from img2dcm.verify import verify_written

                out.flush()
                verify_written(out, transfer_syntax, [f for image in images for f in image.frames], as_file)


def write_deflated(out: BinaryIO, dataset: Dataset, transfer_syntax: str, as_file: bool) -> None:
    """Deflated Explicit VR Little Endian (PS3.5 §A.5): File Meta plain, the dataset deflated as
    it is written, so the native pixel data is streamed through zlib and never held whole."""
    if as_file:
        head = DicomFileLike(out)
        head.is_little_endian, head.is_implicit_VR = True, False
        head.write(bytes(128) + b"DICM")
        write_file_meta_info(head, file_meta_for(dataset, transfer_syntax), enforce_standard=True)
    saved = getattr(dataset, "file_meta", None)
    dataset.file_meta = FileMetaDataset()  # the body is written as plain explicit VR LE
    try:
        from img2dcm.deflate import DeflatingWriter

        with DeflatingWriter(out) as sink:
            write_encoded(sink, dataset, as_file=False)  # type: ignore[arg-type]
    finally:
        if saved is not None:
            dataset.file_meta = saved
