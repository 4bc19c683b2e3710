"""A small EXIF reader: TIFF-structured bytes in, :class:`ExifFacts` out.

Only the handful of tags we map to DICOM are read (capture date and time, camera
make and model, orientation). EXIF arrives from cameras and editors of every
quality, so individual bad entries are skipped silently; only a structure that
cannot be EXIF at all (bad header, IFD0 outside the data) raises
:class:`ExifError`, which callers turn into a warning. The input is the TIFF
structure itself: a JPEG APP1 payload after ``Exif\\0\\0``, or a whole TIFF file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from img2dcm.readers.base import ExifFacts

#: Tags we read. Source: EXIF 2.32 (CIPA DC-008) §4.6.4 Tables 4, 7 and 9.
TAG_MAKE = 0x010F
TAG_MODEL = 0x0110
TAG_ORIENTATION = 0x0112
TAG_EXIF_IFD = 0x8769
TAG_DATE_TIME_ORIGINAL = 0x9003
TAG_OFFSET_TIME_ORIGINAL = 0x9011
TAG_SUBSEC_TIME_ORIGINAL = 0x9291

#: The text fields we map, wherever they stand (IFD0 or the Exif sub-IFD):
#: tag -> ExifFacts field. Shared with the Pillow-based readers (raster.py).
TEXT_FIELDS: dict[int, str] = {
    TAG_MAKE: "make",
    TAG_MODEL: "model",
    TAG_DATE_TIME_ORIGINAL: "date_time_original",
    TAG_OFFSET_TIME_ORIGINAL: "offset_time_original",
    TAG_SUBSEC_TIME_ORIGINAL: "subsec_time_original",
}
#: ExifFacts field -> EXIF tag name, for report notes.
FIELD_NAMES: dict[str, str] = {
    "make": "Make",
    "model": "Model",
    "orientation": "Orientation",
    "date_time_original": "DateTimeOriginal",
    "offset_time_original": "OffsetTimeOriginal",
    "subsec_time_original": "SubSecTimeOriginal",
}


def valid_orientation(value: object) -> int | None:
    """EXIF 2.32 Table 4 defines Orientation 1..8 only."""
    return value if isinstance(value, int) and 1 <= value <= 8 else None

#: TIFF 6.0 §2 field types we understand and their sizes in bytes.
TYPE_ASCII = 2
TYPE_SHORT = 3
TYPE_LONG = 4
TYPE_UNDEFINED = 7
TYPE_IFD = 13  # TIFF Technical Note 1 (IFD offsets)
TYPE_SIZES: dict[int, int] = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

#: An IFD with more entries than this is treated as garbage, not parsed.
MAX_ENTRIES = 4096


class ExifError(ValueError):
    """The bytes are not a usable EXIF/TIFF structure; the message says why."""


@dataclass(frozen=True)
class _Entry:
    tag: int
    type: int
    count: int
    value_offset: int  # where the value bytes start in the data


class _Tiff:
    """Byte-order aware access to a TIFF structure, bounds-checked."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 8:
            raise ExifError(f"EXIF data too short ({len(data)} bytes)")
        if data[:4] == b"II*\x00":
            self.order = "<"
        elif data[:4] == b"MM\x00*":
            self.order = ">"
        else:
            raise ExifError("EXIF data does not start with a TIFF header (II*\\0 or MM\\0*)")
        self.data = data

    def u16(self, offset: int) -> int:
        return int(struct.unpack_from(self.order + "H", self.data, offset)[0])

    def u32(self, offset: int) -> int:
        return int(struct.unpack_from(self.order + "I", self.data, offset)[0])

    def entries(self, ifd_offset: int) -> list[_Entry]:
        """The entries of the IFD at ``ifd_offset``; raises ExifError if it is unreadable."""
        if ifd_offset < 8 or ifd_offset + 2 > len(self.data):
            raise ExifError(f"IFD offset {ifd_offset} outside the EXIF data")
        count = self.u16(ifd_offset)
        if count > MAX_ENTRIES:
            raise ExifError(f"IFD at offset {ifd_offset} claims {count} entries")
        entries: list[_Entry] = []
        for index in range(count):
            at = ifd_offset + 2 + 12 * index
            if at + 12 > len(self.data):
                break  # a truncated IFD still yields its complete entries
            tag, type_, n = self.u16(at), self.u16(at + 2), self.u32(at + 4)
            size = TYPE_SIZES.get(type_, 0) * n
            value_offset = at + 8 if size <= 4 else self.u32(at + 8)
            if type_ in TYPE_SIZES and value_offset + size <= len(self.data):
                entries.append(_Entry(tag, type_, n, value_offset))
        return entries

    def text(self, entry: _Entry) -> str | None:
        """An ASCII (or, tolerated, UNDEFINED) value without NULs and outer blanks."""
        if entry.type not in (TYPE_ASCII, TYPE_UNDEFINED):
            return None
        raw = self.data[entry.value_offset : entry.value_offset + entry.count]
        text = raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace").strip()
        return text or None

    def integer(self, entry: _Entry) -> int | None:
        if entry.count < 1:
            return None
        if entry.type == TYPE_SHORT:
            return self.u16(entry.value_offset)
        if entry.type in (TYPE_LONG, TYPE_IFD):
            return self.u32(entry.value_offset)
        return None


def parse_exif(tiff_bytes: bytes) -> ExifFacts:
    """Read Make, Model, Orientation and the original capture time from EXIF.

    ``tiff_bytes`` starts with the TIFF header (``II*\\0`` or ``MM\\0*``).
    Raises :class:`ExifError` when the header or IFD0 is unusable; bad entries
    and a broken Exif sub-IFD only leave the affected fields at ``None``.
    """
    try:
        return _parse(_Tiff(bytes(tiff_bytes)))
    except (struct.error, IndexError, OverflowError) as exc:  # defensive: offsets are checked
        raise ExifError(f"malformed EXIF data: {exc}") from exc


def _parse(tiff: _Tiff) -> ExifFacts:
    ifd0 = tiff.entries(tiff.u32(4))

    values: dict[str, str | int | None] = {}
    sub_ifd: int | None = None
    for entry in ifd0:
        if entry.tag in TEXT_FIELDS:
            values[TEXT_FIELDS[entry.tag]] = tiff.text(entry)
        elif entry.tag == TAG_ORIENTATION:
            values["orientation"] = valid_orientation(tiff.integer(entry))
        elif entry.tag == TAG_EXIF_IFD:
            sub_ifd = tiff.integer(entry)

    if sub_ifd is not None:
        try:
            sub_entries = tiff.entries(sub_ifd)
        except (ExifError, struct.error):
            sub_entries = []  # IFD0 facts are still good
        for entry in sub_entries:
            if entry.tag in TEXT_FIELDS:
                values[TEXT_FIELDS[entry.tag]] = tiff.text(entry)

    return ExifFacts(**values)  # type: ignore[arg-type]


def exif_field_names(facts: ExifFacts) -> list[str]:
    """EXIF tag names of the fields that were found, for notes."""
    return [label for attr, label in FIELD_NAMES.items() if getattr(facts, attr) is not None]
