"""What every reader produces: a description of the pixels and a way to stream them.

Readers are independent of each other and of the output side. A reader looks at
one file and returns a :class:`SourceImage`; it never builds DICOM attributes.
JPEG-family readers never decode pixels: their frames are byte ranges of the file.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from img2dcm.profile.model import InputOptions


@dataclass(frozen=True)
class LossyFacts:
    """The source was lossy-compressed: what DICOM's Lossy Image Compression needs."""

    method: str | None  # defined term, e.g. ISO_10918_1 or ISO_14495_1; None: DICOM defines none (WebP VP8)
    #: Decoded sources only: decoded pixel bytes / compressed source bytes (None when unknown).
    ratio: float | None = None
    #: Decoded sources only: what the lossy codec was, for the report (e.g. "WebP lossy (VP8)").
    codec: str = ""


@dataclass(frozen=True)
class PixelDescription:
    """The Image Pixel module as the source describes it."""

    rows: int
    columns: int
    samples_per_pixel: int
    photometric_interpretation: str
    bits_allocated: int
    bits_stored: int
    high_bit: int
    transfer_syntax: str
    pixel_representation: int = 0
    planar_configuration: int | None = None  # None when samples_per_pixel == 1
    pixel_aspect_ratio: tuple[int, int] | None = None  # (vertical, horizontal), only if not 1:1
    lossy: LossyFacts | None = None

    def frame_pixel_bytes(self) -> int:
        """Size of one frame's native pixel data (used by the lossy ratio)."""
        return self.rows * self.columns * self.samples_per_pixel * self.bits_stored // 8


@dataclass(frozen=True)
class Frame:
    """One frame's bytes, opened lazily so pixel data can stream to disk.

    ``length`` is the size before any even-length padding; ``open`` returns a
    seekable binary stream positioned at 0 that yields exactly ``length`` bytes.
    ``source``, for frames passed through from a file, says which bytes of which file they
    are (``(offset, length)`` ranges and literal ``bytes``), so the writer can have the kernel
    copy them file to file (:mod:`img2dcm.pixelcopy`).
    """

    length: int
    open: Callable[[], io.BufferedIOBase]
    source: tuple[Path, tuple[tuple[int, int] | bytes, ...]] | None = None

    @staticmethod
    def from_bytes(data: bytes) -> Frame:
        return Frame(len(data), functools.partial(io.BytesIO, data))  # picklable: sent back by worker processes


@dataclass(frozen=True)
class ExifFacts:
    """The EXIF fields we map to DICOM (all optional, raw EXIF strings)."""

    date_time_original: str | None = None  # "YYYY:MM:DD HH:MM:SS"
    offset_time_original: str | None = None  # "+01:00"
    subsec_time_original: str | None = None
    make: str | None = None
    model: str | None = None
    orientation: int | None = None
    #: True when a decoding reader already turned the pixels upright (input.orientation apply).
    orientation_applied: bool = False


@dataclass(frozen=True)
class VideoFacts:
    """A video stream: its frames are pictures inside one encapsulated stream, not fragments."""

    codec: str  # "MPEG-2", "H.264/AVC", "HEVC/H.265"
    profile_level: str  # as the stream names it, e.g. "High@4.1"
    container: str  # "MP4", "QuickTime", "program stream"...
    number_of_frames: int
    frame_time_ms: float
    cine_rate: int
    audio: str | None = None  # audio track kept in the container, if any


@dataclass(frozen=True)
class SourceImage:
    """Everything a reader learned about one input file."""

    path: Path
    format: str  # "jpeg", "jpeg-ls", "bmp", "png", "tiff"
    pixels: PixelDescription
    frames: Sequence[Frame]
    icc_profile: bytes | None = None
    exif: ExifFacts | None = None
    #: Human-readable detection facts for the dry-run report
    #: (codec process, colour reasoning, segments kept/dropped...).
    notes: tuple[str, ...] = ()
    #: Warnings to log (non-standard subsampling, alpha dropped...).
    warnings: tuple[str, ...] = field(default=())
    #: Display time of each frame in ms, when the source is an animation that says (GIF, WebP).
    frame_durations: tuple[float, ...] = ()
    #: Set by the video reader: ``frames`` are then fragments of one stream.
    video: VideoFacts | None = None

    @property
    def frame_count(self) -> int:
        """Frames of the image (a video's pictures, else one per Frame)."""
        return self.video.number_of_frames if self.video is not None else len(self.frames)


class Reader(Protocol):
    """One input format. Registered in :mod:`img2dcm.readers`."""

    name: str

    def accepts(self, prefix: bytes) -> bool:
        """True when the first bytes of a file look like this format."""
        ...

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Read headers (JPEG family) or decode (rasters); raise InputError on bad input."""
        ...
