"""TIFF reader: every page becomes a frame, decoded by Pillow.

Pages must agree in size and pixel format (one Image Pixel module covers all
frames). Reduced-resolution pages (thumbnails, pyramid levels) are skipped.
16-bit colour is refused because Pillow narrows it to 8 bits; JPEG-compressed
TIFF is converted but marked lossy, since its pixels went through JPEG.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import cast

from PIL import Image, ImageSequence, TiffImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import ExifFacts, Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.limits import check_frame, check_frames, check_stored
from img2dcm.readers.native_stderr import native_stderr
from img2dcm.readers.raster import (
    check_dimensions,
    exif_facts,
    pillow_errors,
    same_layout,
    to_native,
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
WHITE_IS_ZERO = 0

#: libtiff stderr lines that mean the pixel data itself was corrupt (module names).
DECODER_ERROR = re.compile(r"^(\w*Decode\w*|Fax[34]\w*|JPEGLib|TIFFFill\w*|TIFFRead(Encoded|Raw)\w*|"
                           r"TIFFReadScanline)\b")

#: Compression tag values whose pixels went through lossy JPEG (old- and new-style).
JPEG_COMPRESSIONS: frozenset[int] = frozenset({6, 7})


def _stored_bytes(page: TiffImagePlugin.TiffImageFile, file_size: int) -> int:
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


def _bits(page: TiffImagePlugin.TiffImageFile) -> tuple[int, ...]:
    value = page.tag_v2.get(BITS_PER_SAMPLE, (1,))
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
        with pillow_errors(path):
            with Image.open(path, formats=[TiffImagePlugin.TiffImageFile.format]) as image:
                for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    page = cast(TiffImagePlugin.TiffImageFile, frame)
                    where = f"page {number}: "
                    if int(page.tag_v2.get(NEW_SUBFILE_TYPE, 0)) & REDUCED_RESOLUTION:
                        skipped += 1
                        continue
                    check_dimensions(page.width, page.height, path, where)
                    check_frames(options.limits, path, len(frames) + 1)
                    bits = _bits(page)
                    samples = int(page.tag_v2.get(SAMPLES_PER_PIXEL, 1))
                    check_frame(options.limits, path, page.width, page.height,
                                1 if samples == 1 and max(bits) <= 8 else 3, where)
                    check_stored(path, page.height * ((page.width * samples * max(bits) + 7) // 8),
                                 _stored_bytes(page, file_size), page.info.get("compression", "raw"), where)
                    if samples > 1 and max(bits) > 8:
                        raise InputError(
                            f"{where}{max(bits)}-bit colour is not supported: it would lose "
                            "precision (only grey is kept at 16 bits)",
                            path,
                        )
                    compression = int(page.tag_v2.get(COMPRESSION, 1))
                    white_is_zero = (
                        page.tag_v2.get(PHOTOMETRIC) == WHITE_IS_ZERO and max(bits) > 8
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
                    native = to_native(page, path, white_is_zero=white_is_zero)
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
            first = dataclasses.replace(first, lossy=LossyFacts("ISO_10918_1"))
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
