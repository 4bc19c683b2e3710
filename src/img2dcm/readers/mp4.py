"""MP4 / QuickTime (ISO/IEC 14496-12, -14, -15) boxes: the video track's facts, without decoding.

DICOM keeps the MP4 container in Pixel Data (PS3.5 §8.2.8, §8.2.11), so we only
read: each track's handler (vide/soun), media timescale and duration (mdhd),
sample count (stsz) and sample durations (stts), and the video sample entry
(avc1/avc3 with avcC, hvc1/hev1 with hvcC) for size, profile, level, chroma
format and bit depth. ``mdat`` is skipped by its length, never read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from img2dcm.readers.boxes import Box, BoxError, boxes


#: Container errors are box errors (user-facing messages).
Mp4Error = BoxError


#: ftyp major/compatible brands of video files (mp4ra.org). HEIF brands (heic, mif1,
#: avif...) are images and belong to the raster reader.
VIDEO_BRANDS = frozenset({
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VP", b"qt  ",
    b"hvc1", b"hev1", b"dash", b"3gp4", b"3gp5", b"3gp6", b"MSNV", b"XAVC", b"mp71",
})
#: Top-level box types a QuickTime file may start with when it has no ftyp.
QUICKTIME_FIRST = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip"})
#: Sample entry types of the codecs DICOM carries in MP4 (14496-15 §5.4, §8.4).
AVC_ENTRIES = frozenset({b"avc1", b"avc3"})
HEVC_ENTRIES = frozenset({b"hvc1", b"hev1"})
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"})
#: The boxes whose payload we read; stsd is walked in place.
READ_BOXES = frozenset({b"hdlr", b"mdhd", b"stsz", b"stts"})


@dataclass
class Track:
    """One trak: what it carries and how long it lasts."""

    handler: bytes = b""
    timescale: int = 0
    duration: int = 0
    sample_count: int = 0
    durations: list[tuple[int, int]] = field(default_factory=list)  # stts (count, delta)
    entry: bytes = b""  # sample entry type, e.g. avc1
    width: int = 0
    height: int = 0
    config: bytes = b""  # avcC / hvcC payload


@dataclass(frozen=True)
class Movie:
    brand: str
    tracks: tuple[Track, ...]


def looks_like_video(prefix: bytes) -> bool:
    """ftyp with a video brand, or a QuickTime file starting with moov/mdat/wide/free."""
    if len(prefix) < 12:
        return False
    kind = prefix[4:8]
    if kind == b"ftyp":
        return prefix[8:12] in VIDEO_BRANDS
    return kind in QUICKTIME_FIRST


def read_movie(data: bytes, size: int) -> Movie:
    """Every track of the file's moov box."""
    brand = ""
    moov: Box | None = None
    for box in boxes(data, 0, size):
        if box.kind == b"ftyp":
            brand = bytes(data[box.start : box.start + 4]).decode("latin-1").strip()
        elif box.kind == b"moov":
            moov = box
    if moov is None:
        raise Mp4Error("no movie box (moov): not a complete MP4/QuickTime file")
    tracks = tuple(_track(data, box) for box in boxes(data, moov.start, moov.end) if box.kind == b"trak")
    return Movie(brand or "qt", tracks)


def _track(data: bytes, trak: Box) -> Track:
    track = Track()
    for box in _walk(data, trak):
        if box.kind not in READ_BOXES:
            continue
        # The first 32 bytes hold every field we read, except stts's table.
        payload = bytes(data[box.start : box.end if box.kind == b"stts" else min(box.end, box.start + 32)])
        if box.kind == b"hdlr" and not track.handler:  # mdia's; QuickTime's minf has a data handler too
            track.handler = payload[8:12]
        elif box.kind == b"mdhd":
            if payload[0] == 1:
                track.timescale, track.duration = struct.unpack_from(">IQ", payload, 20)
            else:
                track.timescale, track.duration = struct.unpack_from(">II", payload, 12)
        elif box.kind == b"stsz":
            track.sample_count = struct.unpack_from(">I", payload, 8)[0]
        elif box.kind == b"stts":
            count = struct.unpack_from(">I", payload, 4)[0]
            track.durations = [struct.unpack_from(">II", payload, 8 + 8 * i) for i in range(count)]
    for box in _walk(data, trak):
        if box.kind == b"stsd":
            _sample_entry(data, box, track)
            break
    return track


def _walk(data: bytes, parent: Box) -> Iterator[Box]:
    for box in boxes(data, parent.start, parent.end):
        yield box
        if box.kind in CONTAINERS:
            yield from _walk(data, box)


def _sample_entry(data: bytes, stsd: Box, track: Track) -> None:
    """The first sample entry; for video, its size and the avcC/hvcC record (14496-12 §12.1.3)."""
    entries = list(boxes(data, stsd.start + 8, stsd.end))
    if not entries:
        return
    entry = entries[0]
    track.entry = entry.kind
    if entry.kind in AVC_ENTRIES | HEVC_ENTRIES or track.handler == b"vide":
        if entry.end - entry.start >= 78:
            track.width, track.height = struct.unpack_from(">HH", data, entry.start + 24)
        for child in boxes(data, entry.start + 78, entry.end):
            if child.kind in (b"avcC", b"hvcC"):
                track.config = bytes(data[child.start : child.end])
