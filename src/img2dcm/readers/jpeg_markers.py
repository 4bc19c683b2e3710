"""Marker walk over a JPEG (ITU-T T.81) or JPEG-LS (ITU-T T.87) code stream.

The walk finds every marker segment from SOI to EOI without decoding anything:
it is what lets the JPEG reader pass the code stream through byte for byte while
dropping exactly the segments a policy says to drop. It knows the byte-level
syntax only (lengths, stuffing, restart markers, fill bytes); the meaning of the
segments is the reader's business.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field

#: Marker codes (the byte after 0xFF). Source: ITU-T T.81 Table B.1 and
#: ITU-T T.87 Table C.1 (SOF55, LSE); names as the standards spell them.
SOI = 0xD8
EOI = 0xD9
SOS = 0xDA
DQT = 0xDB
DNL = 0xDC
DRI = 0xDD
DHP = 0xDE
EXP = 0xDF
DHT = 0xC4
JPG = 0xC8
DAC = 0xCC
COM = 0xFE
TEM = 0x01
SOF3 = 0xC3  # lossless, Huffman (T.81 process 14)
SOF55 = 0xF7  # JPEG-LS frame header (T.87)
LSE = 0xF8  # JPEG-LS preset parameters (T.87)
SOF57 = 0xF9  # JPEG-LS extensions frame header (T.870)
APP0 = 0xE0
APP15 = 0xEF
RST0 = 0xD0
RST7 = 0xD7

#: Names for the markers we may mention in notes and messages (T.81 Table B.1, T.87 Table C.1).
MARKER_NAMES: dict[int, str] = {
    **{0xC0 + n: f"SOF{n}" for n in range(16) if n not in (4, 8, 12)},
    DHT: "DHT",
    JPG: "JPG",
    DAC: "DAC",
    **{RST0 + n: f"RST{n}" for n in range(8)},
    SOI: "SOI",
    EOI: "EOI",
    SOS: "SOS",
    DQT: "DQT",
    DNL: "DNL",
    DRI: "DRI",
    DHP: "DHP",
    EXP: "EXP",
    **{APP0 + n: f"APP{n}" for n in range(16)},
    SOF55: "SOF55",
    SOF57: "SOF57",
    LSE: "LSE",
    COM: "COM",
    TEM: "TEM",
}

#: Markers that stand alone (no length field): T.81 §B.1.1.3 and §B.1.1.4.
STANDALONE = frozenset({SOI, EOI, TEM, *range(RST0, RST7 + 1)})


def marker_name(code: int) -> str:
    """A readable name for a marker code, e.g. ``APP14`` or ``FF05``."""
    return MARKER_NAMES.get(code, f"FF{code:02X}")


class MarkerError(ValueError):
    """The byte stream breaks the marker syntax; the message is user-facing."""


@dataclass(frozen=True)
class Segment:
    """One marker (and its segment, if it has a length field) in the file.

    ``offset`` is the position of the 0xFF that introduces the marker;
    ``size`` covers marker, length field and payload (2 for standalone markers).
    """

    code: int
    offset: int
    size: int

    @property
    def name(self) -> str:
        return marker_name(self.code)

    @property
    def payload_offset(self) -> int:
        """First byte after the length field (equal to end for standalone markers)."""
        return self.offset + (2 if self.code in STANDALONE else 4)

    @property
    def end(self) -> int:
        return self.offset + self.size


@dataclass(frozen=True)
class MarkerWalk:
    """The result of walking SOI..EOI."""

    segments: tuple[Segment, ...]
    #: Offset just past the EOI marker: the end of the code stream.
    end: int
    #: Bytes after EOI (ignored, like DCMTK).
    trailing: int
    #: ``(offset, count)`` of non-marker bytes found between segments.
    garbage: tuple[tuple[int, int], ...] = field(default=())
    #: True once a SOF55 (or SOF57) was seen (JPEG-LS stuffing rules apply from then on).
    jpeg_ls: bool = False


def walk_markers(data: bytes | mmap.mmap) -> MarkerWalk:
    """Walk the markers of ``data`` (bytes or mmap) from SOI to EOI.

    Raises :class:`MarkerError` for anything that makes the stream unusable:
    no SOI, a segment length below 2 or past the end, or no EOI.
    Entropy-coded data is skipped using the stuffing rules of T.81 §B.1.1.5
    (``FF 00``) or, after a SOF55, T.87 §9.1 (``FF`` followed by 0x00..0x7F);
    RSTn markers and ``FF`` fill bytes inside the scan are kept as scan data.
    """
    base = memoryview(data)
    view = base.cast("B")
    try:
        return _walk(data, view)
    finally:
        # Release the exports at once so the caller can close an mmap.
        view.release()
        base.release()


def _walk(data: bytes | mmap.mmap, view: memoryview) -> MarkerWalk:
    size = len(view)
    if size < 2 or view[0] != 0xFF or view[1] != SOI:
        raise MarkerError("not a JPEG file (no SOI marker FF D8 at offset 0)")

    segments: list[Segment] = [Segment(SOI, 0, 2)]
    garbage: list[tuple[int, int]] = []
    jpeg_ls = False
    in_scan = False
    pos = 2
    find = data.find  # bytes and mmap both have find()

    while True:
        if in_scan:
            # Entropy-coded data: look for the next real marker.
            ff = find(b"\xff", pos)
            if ff < 0 or ff + 1 >= size:
                raise MarkerError("stream ends before EOI (truncated)")
            code = view[ff + 1]
            if code == 0xFF:  # fill byte, the marker (if any) follows
                pos = ff + 1
                continue
            if code == 0x00 or (jpeg_ls and code < 0x80) or RST0 <= code <= RST7:
                pos = ff + 2
                continue
            marker_at = ff
        else:
            # Between segments a marker must follow; anything else is garbage.
            start = pos
            marker_at = -1
            while pos < size:
                ff = find(b"\xff", pos)
                if ff < 0:
                    pos = size
                    break
                run = ff
                while run + 1 < size and view[run + 1] == 0xFF:
                    run += 1
                if run + 1 >= size:
                    pos = size
                    break
                code = view[run + 1]
                if code == 0x00:  # not a marker outside a scan: garbage
                    pos = run + 2
                    continue
                marker_at = run
                break
            if marker_at < 0:
                raise MarkerError("stream ends before EOI (truncated)")
            # Count non-FF bytes skipped (FF fill bytes are legal padding).
            skipped = sum(1 for b in view[start:marker_at] if b != 0xFF)
            if skipped:
                garbage.append((start, skipped))

        code = view[marker_at + 1]
        if code in STANDALONE:
            segments.append(Segment(code, marker_at, 2))
            pos = marker_at + 2
            if code == EOI:
                return MarkerWalk(tuple(segments), pos, size - pos, tuple(garbage), jpeg_ls)
            continue

        if marker_at + 4 > size:
            raise MarkerError(
                f"stream ends inside the {marker_name(code)} marker at offset {marker_at} (truncated)"
            )
        length = (view[marker_at + 2] << 8) | view[marker_at + 3]
        if length < 2:
            raise MarkerError(
                f"invalid length {length} of the {marker_name(code)} segment at offset {marker_at}"
            )
        if marker_at + 2 + length > size:
            raise MarkerError(
                f"the {marker_name(code)} segment at offset {marker_at} runs past the end of the file (truncated)"
            )
        segments.append(Segment(code, marker_at, 2 + length))
        pos = marker_at + 2 + length
        if code in (SOF55, SOF57):
            jpeg_ls = True
        in_scan = code == SOS
