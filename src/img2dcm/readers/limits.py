"""Decompression-bomb guards: refuse what a header claims before anything is allocated.

Two checks, both cheap and both run before a decoder sees the file:

* explicit limits (``input.limits`` in a profile: pixels and decoded bytes per
  frame, frames per file), which a profile may raise for legitimately huge images;
* plausibility: the decoded size a header claims must fit in the bytes the file
  really stores, at the best ratio the codec can achieve (:data:`MAX_EXPANSION`).
  A file cannot hold more than that, so this never refuses a real image.

See docs/limits.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from img2dcm.errors import InputError
from img2dcm.profile.model import Limits

#: Most decoded bytes one stored byte can become, per codec; None means the codec has no
#: useful bound (CCITT fax, LZMA, Zstandard, WebP) and only the explicit limits apply.
#: deflate: 258-byte matches coded in about 2 bits (RFC 1951), about 1032:1;
#: LZW: one 12-bit code yields at most 4096 bytes; PackBits: 2 bytes yield 128;
#: baseline JPEG: at least 2 bits (DC + EOB) per 8x8 block, 256:1, doubled for margin.
MAX_EXPANSION: dict[str, int | None] = {
    "raw": 1,
    "packbits": 64,
    "tiff_deflate": 1032,
    "tiff_adobe_deflate": 1032,
    "png": 1032,
    "tiff_lzw": 4096 * 8 // 12,
    "gif": 4096 * 8 // 12,  # LZW too; one byte per decoded pixel
    "jpeg": 512,
    "tiff_jpeg": 512,
    "tiff_ccitt": None,
    "group3": None,
    "group4": None,
    "tiff_raw_16": 1,
    "tiff_thunderscan": None,
    "tiff_sgilog": None,
    "tiff_sgilog24": None,
    "lzma": None,
    "zstd": None,
    "webp": None,
}

#: BMP RLE4/RLE8: an encoded run of 2 bytes defines at most 255 pixels. Deltas and early
#: ends of line may skip pixels, but a stream that could not define even half of the
#: pixels its header claims is refused (the rest would be invented as colour index 0).
RLE_PIXELS_PER_BYTE = 255

#: Most pixels one byte of a decoded file can describe. Measured extremes of real encoders: a
#: one-colour lossless WebP about 26 000, a blank CCITT G4 page about 10 000 per byte at fax
#: sizes, a one-colour 1-bit PNG about 8 000; 131 072 leaves room above them.
MAX_PIXELS_PER_BYTE = 1 << 17

#: Slack for headers and tiny images, so small legitimate files are never refused.
SLACK_BYTES = 4096


def check_frame(
    limits: Limits, path: Path, columns: int, rows: int, bytes_per_pixel: float, where: str = ""
) -> None:
    """Refuse a frame over ``input.limits`` (pixels, decoded bytes) before decoding it.

    Also DICOM's own bound: Rows and Columns are US, 1 to 65535, whatever the limits say.
    """
    if not (0 < columns <= 0xFFFF and 0 < rows <= 0xFFFF):
        raise InputError(f"{where}image is {columns}x{rows}; DICOM needs 1 to 65535 rows and columns", path)
    pixels = columns * rows
    if pixels > limits.max_pixels:
        raise InputError(
            f"{where}image is {columns}x{rows} = {pixels} pixels, over the limit of "
            f"{limits.max_pixels} (raise input.limits.max_pixels for larger images)",
            path,
        )
    size = int(pixels * bytes_per_pixel)
    if size > limits.max_frame_bytes:
        raise InputError(
            f"{where}one frame would need {size} bytes, over the limit of "
            f"{limits.max_frame_bytes} (raise input.limits.max_frame_bytes)",
            path,
        )


def check_frames(limits: Limits, path: Path, count: int) -> None:
    """Refuse more frames than ``input.limits.max_frames``."""
    if count > limits.max_frames:
        raise InputError(
            f"more than {limits.max_frames} frames (raise input.limits.max_frames)", path
        )


def check_stored(
    path: Path, decoded: int, stored: int, codec: str, where: str = ""
) -> None:
    """Refuse when ``decoded`` bytes cannot come out of ``stored`` bytes with ``codec``."""
    ratio = MAX_EXPANSION.get(codec)
    if ratio is None:
        return
    if decoded > stored * ratio + SLACK_BYTES:
        raise InputError(
            f"{where}header claims {decoded} bytes of pixels but the file stores only {stored} "
            f"bytes of {codec} data, which cannot hold them",
            path,
        )


def check_pixels_per_byte(pixels: int, path: Path, where: str = "") -> None:
    """Refuse a decoded image claiming more pixels than any codec we decode packs into its file.

    The bound for codecs without a useful ratio of their own (WebP, HEIC, GIF, CCITT fax...)
    and a second line for all: see :data:`MAX_PIXELS_PER_BYTE`.
    """
    try:
        size = path.stat().st_size
    except (OSError, ValueError):
        return  # the reader reports an unreadable file itself
    if pixels > MAX_PIXELS_PER_BYTE * size:
        raise InputError(
            f"{where}header claims {pixels} pixels but the file has only {size} bytes; no image format "
            f"we decode packs more than {MAX_PIXELS_PER_BYTE} pixels into one byte",
            path,
        )


@contextmanager
def pillow_pixel_limit(limits: Limits) -> Iterator[None]:
    """Make Pillow's own bomb check (a backstop) use our limit instead of its default.

    Pillow warns above MAX_IMAGE_PIXELS and :func:`~img2dcm.readers.raster.pillow_errors`
    turns that warning into a refusal.
    """
    from PIL import Image  # here, so reading a JPEG never imports Pillow

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous
