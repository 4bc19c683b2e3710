"""JPEG streams that are decoded instead of passed through: progressive and CMYK/YCCK.

A progressive stream passed through needs the retired Full Progression syntax
(.4.55), which pydicom cannot decode and Orthanc's DICOMweb answers with HTTP 500;
a 4-component stream has no DICOM photometric interpretation at all. With
``input.jpeg.progressive: decode`` / ``input.jpeg.cmyk: decode`` such a file is
decoded by libjpeg-turbo (through Pillow) into native pixels, written with
``output.compression`` and marked lossy (01, ISO_10918_1, ratio decoded/file bytes):
its pixels went through lossy JPEG. CMYK is turned into RGB through the file's
embedded ICC profile when it has one (LittleCMS), else with Pillow's plain formula.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageCms, JpegImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import LossyFacts, SourceImage
from img2dcm.readers.jpeg_tables import METHOD_JPEG
from img2dcm.readers.raster import decoded_ratio, exif_and_upright, pillow_errors, source_from_frames, to_native

#: Why a stream is decoded -> what the report says.
REASONS = {
    "progressive": "progressive JPEG decoded (input.jpeg.progressive decode): passed through it would need the "
                   "retired syntax 1.2.840.10008.1.2.4.55, which many receivers cannot display",
    "cmyk": "4-component (CMYK/YCCK) JPEG decoded to RGB (input.jpeg.cmyk decode): DICOM has no CMYK "
            "photometric interpretation",
}


def _cmyk_to_rgb(image: Image.Image, notes: list[str]) -> tuple[Image.Image, bytes | None]:
    """RGB through the embedded ICC profile (to sRGB), or Pillow's plain formula without one."""
    embedded = image.info.get("icc_profile")
    if embedded:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
            srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
            notes.append("CMYK converted to sRGB through the embedded ICC profile (LittleCMS)")
            return converted, srgb.tobytes()
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            notes.append(f"embedded ICC profile unusable ({exc}); CMYK converted with Pillow's plain formula")
    else:
        notes.append("no ICC profile: CMYK converted with Pillow's plain formula (R = 255 - min(255, C + K)...)")
    return image.convert("RGB"), None


def decode_jpeg(path: Path, options: InputOptions, reason: str, precision: int) -> SourceImage:
    """Decode the whole JPEG into one native frame, marked lossy, with the reason noted."""
    if precision != 8:
        choice = "input.jpeg.progressive accept" if reason == "progressive" else "another tool"
        raise InputError(f"{precision}-bit {reason} JPEG cannot be decoded here (8-bit only); use {choice}", path)
    notes = [REASONS[reason]]
    warns: list[str] = []
    icc: bytes | None = None
    with pillow_errors(path):
        with Image.open(path, formats=[JpegImagePlugin.JpegImageFile.format]) as image:
            image.load()
            picture, exif = exif_and_upright(image, options, notes, warns)
            if picture.mode == "CMYK":
                picture, icc = _cmyk_to_rgb(picture, notes)
            else:
                icc = image.info.get("icc_profile") or None
            native = to_native(picture, path, options=options)
    ratio = decoded_ratio([native], path.stat().st_size)
    facts = LossyFacts(METHOD_JPEG, ratio, f"{reason} JPEG")
    return source_from_frames(path, "jpeg", [native], lossy=facts, icc=icc, exif=exif, notes=tuple(notes),
                              warnings=tuple(warns))
