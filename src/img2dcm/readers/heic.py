"""HEIC/HEIF reader (phones): the primary image, decoded by pillow-heif (libheif + libde265).

HEIC pixels are HEVC-coded, so the source is lossy: Lossy Image Compression 01,
method ISO_23008_2, ratio decoded bytes / file bytes. 10- and 12-bit images stay
above 8 bits (Bits Stored 10/12 in 16 bits allocated); pillow-heif hands them over
shifted to the top of 16 bits, which is undone here. libheif applies the
container's rotation and mirroring (irot/imir) while decoding.
pillow-heif is an optional extra: ``pip install 'img2dcm[heic]'``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import ExifFacts, LossyFacts, SourceImage
from img2dcm.readers.raster import (
    NativeFrame,
    check_dimensions,
    decoded_ratio,
    exif_facts,
    native_from_array,
    pillow_errors,
    source_from_frames,
    to_native,
)

#: ftyp major brands of HEIF images coded with HEVC (ISO/IEC 23008-12 Annex B).
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
METHOD_HEVC = "ISO_23008_2"


def _open_heif(path: Path):  # noqa: ANN202 - pillow_heif is optional, no type at import time
    try:
        import pillow_heif
    except ImportError:
        raise InputError("HEIC/HEIF needs pillow-heif: pip install 'img2dcm[heic]'", path) from None
    return pillow_heif.open_heif(path, convert_hdr_to_8bit=False)


class HeicReader:
    """HEIF images with HEVC coding (HEIC)."""

    name = "heic"

    def accepts(self, prefix: bytes) -> bool:
        return prefix[4:8] == b"ftyp" and prefix[8:12] in HEIF_BRANDS

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        notes: list[str] = []
        warns: list[str] = []
        exif: ExifFacts | None = None
        with pillow_errors(path):
            heif = _open_heif(path)
            width, height = heif.size
            check_dimensions(width, height, path)
            depth = int(heif.info.get("bit_depth", 8))
            notes.append(f"HEIF {heif.mode}, {depth}-bit, chroma {heif.info.get('chroma', '?')}")
            if len(heif) > 1:
                notes.append(f"{len(heif)} images in the file: the primary one is converted")
            icc = heif.info.get("icc_profile") or None
            if depth <= 8:
                image = heif.to_pillow()
                turned = image.info.get("original_orientation")
                if turned not in (None, 1):
                    notes.append(f"orientation {turned} applied by libheif from the container (irot/imir)")
                if options.exif:
                    exif, exif_warnings = exif_facts(image)
                    warns.extend(exif_warnings)
                native = to_native(image, path, options=options)
            else:
                native = self._deep(heif, depth, path)
        natives: list[NativeFrame] = [native]
        facts = LossyFacts(METHOD_HEVC, decoded_ratio(natives, path.stat().st_size), "HEIC (HEVC)")
        notes.append("lossy source (HEVC): Lossy Image Compression 01, method ISO_23008_2")
        return source_from_frames(path, "heic", natives, lossy=facts, icc=icc, exif=exif, notes=tuple(notes),
                                  warnings=tuple(warns))

    @staticmethod
    def _deep(heif, depth: int, path: Path) -> NativeFrame:  # noqa: ANN001
        """10/12-bit pixels: shifted back down from the top of 16 bits, never rescaled."""
        if heif.has_alpha:
            raise InputError(f"{depth}-bit HEIF with an alpha channel is not supported", path)
        array = np.asarray(heif)
        array = array >> (16 - depth)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[..., 0]
        return native_from_array(array.astype(np.uint16), path, depth, (f"{depth}-bit kept in 16 bits allocated",))
