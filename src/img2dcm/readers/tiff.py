"""TIFF reader: every page becomes a frame, decoded by Pillow.

Pages must agree in size and pixel format (one Image Pixel module covers all
frames). Reduced-resolution pages (thumbnails, pyramid levels) are skipped.
16-bit colour, which Pillow narrows to 8 bits, is decoded by tifffile (optional
extra ``tiff``); JPEG-compressed TIFF is converted but marked lossy, since its
pixels went through JPEG.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import numpy as np
from PIL import Image, ImageSequence, TiffImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import ExifFacts, Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.exif import TAG_ORIENTATION as ORIENTATION
from img2dcm.readers.exif import valid_orientation
from img2dcm.readers.limits import check_frame, check_frames, check_stored
from img2dcm.readers.native_stderr import native_stderr
from img2dcm.readers.raster import (
    NativeFrame,
    applied,
    check_dimensions,
    exif_facts,
    native_from_array,
    orientation_note,
    pillow_errors,
    same_layout,
    to_native,
    turn_array,
)

log = logging.getLogger(__name__)

#: Classic TIFF and BigTIFF byte-order marks and magic numbers.
MAGICS: tuple[bytes, ...] = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

# Baseline TIFF tags (TIFF 6.0).
NEW_SUBFILE_TYPE = 254
BITS_PER_SAMPLE = 258
COMPRESSION = 259
PHOTOMETRIC = 262
SAMPLES_PER_PIXEL = 277
#: (offsets, byte counts) tag pairs of strips and tiles.
DATA_TAGS: tuple[tuple[int, int], ...] = ((273, 279), (324, 325))

REDUCED_RESOLUTION = 0x1  # NewSubfileType bit 0

#: Orientation -> the transpose that undoes what Pillow applied on load (input.orientation ignore).
INVERSE_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
WHITE_IS_ZERO = 0

#: libtiff stderr lines that mean the pixel data itself was corrupt (module names).
DECODER_ERROR = re.compile(r"^(\w*Decode\w*|Fax[34]\w*|JPEGLib|TIFFFill\w*|TIFFRead(Encoded|Raw)\w*|"
                           r"TIFFReadScanline)\b")

#: Compression tag values whose pixels went through lossy JPEG (old- and new-style).
JPEG_COMPRESSIONS: frozenset[int] = frozenset({6, 7})


@contextmanager
def libtiff_decoding() -> Iterator[None]:
    """Decode every page with libtiff: Pillow 13's own decoder turns uncompressed L, I;16, P and
    RGBA pages with Orientation 5-8 into scrambled pixels (measured; libtiff's path is right)."""
    saved = TiffImagePlugin.READ_LIBTIFF
    TiffImagePlugin.READ_LIBTIFF = True
    try:
        yield
    finally:
        TiffImagePlugin.READ_LIBTIFF = saved


def _stored_bytes(page: Any, file_size: int) -> int:
    """Bytes of strip or tile data a page really has in the file (clipped at its end)."""
    for offsets_tag, counts_tag in DATA_TAGS:
        offsets, counts = page.tag_v2.get(offsets_tag), page.tag_v2.get(counts_tag)
        if offsets is None or counts is None:
            continue
        offsets = offsets if isinstance(offsets, (tuple, list)) else (offsets,)
        counts = counts if isinstance(counts, (tuple, list)) else (counts,)
        return sum(
            max(0, min(int(count), file_size - int(offset))) for offset, count in zip(offsets, counts, strict=False)
        )
    return 0


def _bits(page: Image.Image) -> tuple[int, ...]:
    value = cast(TiffImagePlugin.TiffImageFile, page).tag_v2.get(BITS_PER_SAMPLE, (1,))
    return tuple(value) if isinstance(value, (tuple, list)) else (int(value),)


class TiffReader:
    """Tagged Image File Format, all full-resolution pages as frames."""

    name = "tiff"

    def accepts(self, prefix: bytes) -> bool:
        """TIFF files start with II*\\0 or MM\\0* (BigTIFF: II+\\0, MM\\0+)."""
        return prefix[:4] in MAGICS

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Decode every page; reject pages that do not match the first.

        libtiff's own stderr lines are caught: a decoder error (corrupt strip data that
        Pillow may still return as pixels) refuses the file; directory chatter is debug.
        """
        with native_stderr() as native:
            source = self._read(path, options)
        broken = [line for line in native if DECODER_ERROR.search(line)]
        if broken:
            raise InputError(f"TIFF decoder reported: {broken[0]}", path)
        for line in native:
            log.debug("%s: libtiff: %s", path, line)
        return source

    def _read(self, path: Path, options: InputOptions) -> SourceImage:
        notes: list[str] = []
        warns: list[str] = []
        frames: list[Frame] = []
        first: PixelDescription | None = None
        icc: bytes | None = None
        exif: ExifFacts | None = None
        lossy = False
        skipped = 0
        file_size = path.stat().st_size
        with pillow_errors(path), libtiff_decoding():
            with Image.open(path, formats=[TiffImagePlugin.TiffImageFile.format]) as image:
                for number, page in enumerate(ImageSequence.Iterator(image), start=1):
                    where = f"page {number}: "
                    tags = cast(TiffImagePlugin.TiffImageFile, page).tag_v2
                    if int(tags.get(NEW_SUBFILE_TYPE, 0)) & REDUCED_RESOLUTION:
                        skipped += 1
                        continue
                    check_dimensions(page.width, page.height, path, where)
                    check_frames(options.limits, path, len(frames) + 1)
                    bits = _bits(page)
                    samples = int(tags.get(SAMPLES_PER_PIXEL, 1))
                    check_frame(options.limits, path, page.width, page.height,
                                1 if samples == 1 and max(bits) <= 8 else 3 * ((max(bits) + 7) // 8), where)
                    check_stored(path, page.height * ((page.width * samples * max(bits) + 7) // 8),
                                 _stored_bytes(page, file_size), page.info.get("compression", "raw"), where)
                    compression = int(tags.get(COMPRESSION, 1))
                    white_is_zero = (
                        tags.get(PHOTOMETRIC) == WHITE_IS_ZERO and max(bits) > 8
                    )
                    if first is None:
                        icc = page.info.get("icc_profile") or None
                        if options.exif:
                            exif, exif_warnings = exif_facts(page)
                            warns.extend(exif_warnings)
                        notes.append(
                            f"TIFF {'/'.join(map(str, bits))}-bit, {samples} sample(s), "
                            f"compression {page.info.get('compression', compression)}"
                        )
                    if compression in JPEG_COMPRESSIONS:
                        lossy = True
                    orientation = valid_orientation(tags.get(ORIENTATION))
                    if samples > 1 and max(bits) > 8:  # Pillow would narrow it to 8 bits
                        native = deep_colour_page(path, number - 1, bits, options, orientation)
                    else:
                        page.load()  # Pillow turns TIFF pages upright while loading
                        if orientation not in (None, 1) and options.orientation != "apply":
                            page = page.transpose(INVERSE_TRANSPOSE[orientation])
                        native = to_native(page, path, white_is_zero=white_is_zero, options=options)
                    turned = orientation_note(orientation, options)
                    if turned and first is None:
                        notes.append(turned)
                        exif = applied(exif, turned)
                    if first is None:
                        first = native.pixels
                        notes.extend(native.notes)
                        warns.extend(native.warnings)
                    elif not same_layout(first, native.pixels):
                        got, want = native.pixels, first
                        raise InputError(
                            f"{where}{got.columns}x{got.rows} {got.photometric_interpretation} "
                            f"{got.bits_allocated}-bit differs from the first page's "
                            f"{want.columns}x{want.rows} {want.photometric_interpretation} "
                            f"{want.bits_allocated}-bit",
                            path,
                        )
                    else:
                        warns.extend(w for w in native.warnings if w not in warns)
                    frames.append(native.frame)
        if first is None:
            raise InputError("TIFF file has no full-resolution page", path)
        if len(frames) > 1:
            notes.append(f"{len(frames)} pages as frames")
        if skipped:
            notes.append(f"{skipped} reduced-resolution page(s) skipped")
        if icc:
            notes.append(f"ICC profile ({len(icc)} bytes)")
        if exif:
            notes.append("EXIF present")
        if lossy:
            ratio = sum(frame.length for frame in frames) / max(path.stat().st_size, 1)
            first = dataclasses.replace(first, lossy=LossyFacts("ISO_10918_1", ratio, "JPEG-compressed TIFF"))
            warns.append("JPEG-compressed TIFF: pixels are marked as lossy-compressed")
        return SourceImage(
            path=path,
            format="tiff",
            pixels=first,
            frames=tuple(frames),
            icc_profile=icc,
            exif=exif,
            notes=tuple(notes),
            warnings=tuple(warns),
        )


def deep_colour_page(path: Path, index: int, bits: tuple[int, ...], options: InputOptions,
                     orientation: int | None = None) -> NativeFrame:
    """A 9-16-bit colour page through tifffile (Pillow narrows such pages to 8 bits)."""
    try:
        import tifffile
    except ImportError:
        raise InputError(f"page {index + 1}: {max(bits)}-bit colour TIFF needs tifffile: "
                         "pip install 'img2dcm[tiff]'", path) from None
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[index]
        try:
            array = page.asarray()
        except (KeyError, ValueError, RuntimeError) as exc:  # e.g. a codec that needs imagecodecs
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"page {index + 1}: cannot decode {max(bits)}-bit colour: {detail} "
                             "(pip install 'img2dcm[tiff]' brings the codecs)", path) from None
        tag = getattr(page, "photometric", None)  # a TiffFrame has none
        photometric = getattr(tag, "name", "?") if tag is not None else "?"
    if photometric != "RGB" or array.ndim != 3 or array.shape[2] not in (3, 4) or array.dtype != np.uint16:
        raise InputError(f"page {index + 1}: {max(bits)}-bit {photometric} with shape {array.shape} is not "
                         "supported (16-bit RGB is)", path)
    if array.shape[2] == 4:
        alpha = array[..., 3]
        if int(alpha.min()) < 0xFFFF and options.alpha != "drop":
            raise InputError(f"page {index + 1}: 16-bit RGBA with transparency: only input.alpha drop is "
                             "supported", path)
        array = array[..., :3]
    if options.orientation == "apply" and orientation not in (None, 1):
        array = turn_array(array, orientation)
    return native_from_array(array, path, 16, ("16-bit RGB decoded by tifffile",))
