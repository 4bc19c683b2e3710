"""Ours: camera facts from EXIF, before keys so keys and templates can override them.

DateTimeOriginal is when the picture was taken: it fills AcquisitionDateTime and
ContentDate/ContentTime (instead of the conversion time DCMTK uses). Make and
Model fill Manufacturer / ManufacturerModelName. A value a template already gave
is kept.
"""

from __future__ import annotations

import logging
import re

from pydicom.uid import UID

from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind

log = logging.getLogger(__name__)

EXIF_DATETIME = re.compile(r"^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def dicom_datetime(text: str, subsec: str | None, offset: str | None) -> tuple[str, str, str] | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" → (DT, DA, TM), or None when malformed."""
    match = EXIF_DATETIME.match(text.strip())
    if not match or match.group(1) == "0000":
        return None
    year, month, day, hour, minute, second = match.groups()
    date = f"{year}{month}{day}"
    time = f"{hour}{minute}{second}"
    fraction = re.sub(r"\D", "", subsec or "")[:6]
    if fraction:
        time += f".{fraction}"
    zone = ""
    if offset and (m := EXIF_OFFSET.match(offset.strip())):
        zone = f"{m.group(1)}{m.group(2)}{m.group(3)}"
    return date + time + zone, date, time


class ExifAttributes:
    title = "EXIF"

    def describe(self) -> str:
        return "capture date/time and camera make/model from EXIF, where present and not already set"

    def apply(self, ctx: Context) -> None:
        first = ctx.images[0]
        exif = first.exif
        if exif is None:
            return
        source = Source(SourceKind.EXIF, first.path.name)
        builder = ctx.builder
        if exif.date_time_original:
            parsed = dicom_datetime(exif.date_time_original, exif.subsec_time_original, exif.offset_time_original)
            if parsed is None:
                builder.note(f"{first.path.name}: EXIF DateTimeOriginal '{exif.date_time_original}' ignored (malformed)")
            else:
                for name, value in zip(("AcquisitionDateTime", "ContentDate", "ContentTime"), parsed, strict=True):
                    if not builder.has_value(name):
                        builder.put(name, value, source)
        for name, value in (("Manufacturer", exif.make), ("ManufacturerModelName", exif.model)):
            text = (value or "").strip().strip("\0")[:64]
            if text and not builder.has_value(name):
                builder.put(name, text, source)
        if exif.orientation not in (None, 1) and not exif.orientation_applied:
            why = ("pass-through cannot rotate it" if UID(first.pixels.transfer_syntax).is_encapsulated
                   else "input.orientation is ignore, so the pixels are stored as coded")
            message = (f"{first.path.name}: EXIF Orientation is {exif.orientation}: the picture is meant to be "
                       f"shown rotated/flipped, and {why}")
            log.warning(message)
            builder.note(message)
