"""The state one JPEG read shares among the jpeg_* modules: bytes, options, notes, warnings.

Each rule (frame header, colour, APPn policy, JPEG-LS checks) lives in its own
module and reports through one :class:`ReadContext`, so notes and warnings come
out in the order the reader applies the rules.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from pathlib import Path

from img2dcm.profile.model import InputOptions, JpegOptions
from img2dcm.readers.jpeg_markers import APP0, APP15, Segment


class Reject(Exception):
    """Abort reading with a user-facing message; JpegReader turns it into InputError."""


@dataclass
class ReadContext:
    """One read of one file; collects warnings and notes along the way."""

    path: Path
    data: bytes | mmap.mmap
    options: InputOptions
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def jpeg(self) -> JpegOptions:
        """The JPEG part of the input options."""
        return self.options.jpeg

    def payload(self, seg: Segment) -> bytes:
        """The segment's bytes after its length field."""
        return bytes(self.data[seg.payload_offset : seg.end])

    def app_id(self, seg: Segment) -> str:
        """Printable identifier at the start of an APPn payload ('' if none)."""
        head = bytes(self.data[seg.payload_offset : min(seg.end, seg.payload_offset + 32)])
        ident = head.split(b"\x00", 1)[0]
        printable = bytearray()
        for byte in ident:
            if 0x20 <= byte < 0x7F:
                printable.append(byte)
            else:
                break
        return printable.decode("ascii")

    def label(self, seg: Segment) -> str:
        """How notes name a segment: 'APP1 Exif' for APPn, else the marker name."""
        if APP0 <= seg.code <= APP15:
            ident = self.app_id(seg)
            return f"{seg.name} {ident}" if ident else seg.name
        return seg.name
