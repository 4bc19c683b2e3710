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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, TiffImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import ExifFacts, Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.raster import (
    NativeFrame,
    applied,
    check_dimensions,
    exif_facts,
    native_from_array,
    pillow_errors,
    same_layout,
    orientation_note,
    to_native,
    turn_array,
)
from img2dcm.readers.exif import TAG_ORIENTATION as ORIENTATION
from img2dcm.readers.exif import valid_orientation

log = logging.getLogger(__name__)

#: Classic TIFF and BigTIFF byte-order marks and magic numbers.
MAGICS: tuple[bytes, ...] = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

# Baseline TIFF tags (TIFF 6.0).
NEW_SUBFILE_TYPE = 254
BITS_PER_SAMPLE = 258
COMPRESSION = 259
PHOTOMETRIC = 262
SAMPLES_PER_PIXEL = 277

REDUCED_RESOLUTION = 0x1  # NewSubfileType bit 0

#: Orientation -> the transpose that undoes what Pillow applied on load (input.orientation ignore).
INVERSE_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
WHITE_IS_ZERO = 0

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


def _bits(page: Image.Image) -> tuple[int, ...]:
    value = page.tag_v2.get(BITS_PER_SAMPLE, (1,))
    return tuple(value) if isinstance(value, (tuple, list)) else (int(value),)


class TiffReader:
    """Tagged Image File Format, all full-resolution pages as frames."""

    name = "tiff"

    def accepts(self, prefix: bytes) -> bool:
        """TIFF files start with II*\\0 or MM\\0* (BigTIFF: II+\\0, MM\\0+)."""
        return prefix[:4] in MAGICS

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Decode every page; reject pages that do not match the first."""
        notes: list[str] = []
        warns: list[str] = []
        frames: list[Frame] = []
        first: PixelDescription | None = None
        icc: bytes | None = None
        exif: ExifFacts | None = None
        lossy = False
        skipped = 0
        with pillow_errors(path), libtiff_decoding():
            with Image.open(path, formats=[TiffImagePlugin.TiffImageFile.format]) as image:
                for number, page in enumerate(ImageSequence.Iterator(image), start=1):
                    where = f"page {number}: "
                    if int(page.tag_v2.get(NEW_SUBFILE_TYPE, 0)) & REDUCED_RESOLUTION:
                        skipped += 1
                        continue
                    check_dimensions(page.width, page.height, path, where)
                    bits = _bits(page)
                    samples = int(page.tag_v2.get(SAMPLES_PER_PIXEL, 1))
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
                    orientation = valid_orientation(page.tag_v2.get(ORIENTATION))
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
        photometric = page.photometric.name if page.photometric is not None else "?"
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
