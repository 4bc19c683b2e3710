"""WebP reader: lossless (VP8L) and lossy (VP8) stills and animations, decoded by Pillow.

The RIFF chunks are walked (not decoded) to learn whether any image data is lossy
VP8: such a source is marked lossy. DICOM defines no Lossy Image Compression
Method for VP8, so none is written and the report says so.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import Image, ImageSequence, WebPImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import LossyFacts, SourceImage
from img2dcm.readers.raster import (
    NativeFrame,
    check_dimensions,
    decoded_ratio,
    pillow_errors,
    source_from_frames,
    to_native,
    upright,
)

#: Chunks whose payload holds other chunks (animation frames).
NESTED = {b"ANMF": 16}  # ANMF: 16 bytes of frame header, then the frame's chunks


def image_chunks(data: bytes, path: Path) -> list[tuple[bytes, int]]:
    """(fourcc, payload size) of every image-data chunk (VP8, VP8L, ALPH), frames included."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise InputError("not a WebP file: no RIFF/WEBP header", path)
    found: list[tuple[bytes, int]] = []

    def walk(start: int, end: int) -> None:
        offset = start
        while offset + 8 <= end:
            fourcc, size = data[offset:offset + 4], struct.unpack_from("<I", data, offset + 4)[0]
            body = offset + 8
            if body + size > end:
                raise InputError(f"WebP chunk {fourcc.decode('latin-1')!r} runs past the end of the file", path)
            if fourcc in NESTED:
                walk(body + NESTED[fourcc], body + size)
            elif fourcc in (b"VP8 ", b"VP8L", b"ALPH"):
                found.append((fourcc, size))
            offset = body + size + (size & 1)

    walk(12, len(data))
    return found


class WebpReader:
    """WebP, still or animated."""

    name = "webp"

    def accepts(self, prefix: bytes) -> bool:
        return prefix[:4] == b"RIFF" and prefix[8:12] == b"WEBP"

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path) from exc
        chunks = image_chunks(data, path)
        lossy_bytes = sum(size for fourcc, size in chunks if fourcc in (b"VP8 ", b"ALPH"))
        lossy = any(fourcc == b"VP8 " for fourcc, _ in chunks)
        notes = [f"WebP {'lossy (VP8)' if lossy else 'lossless (VP8L)'}"]
        natives: list[NativeFrame] = []
        with pillow_errors(path):
            with Image.open(path, formats=[WebPImagePlugin.WebPImageFile.format]) as image:
                check_dimensions(image.width, image.height, path)
                count = getattr(image, "n_frames", 1)
                if count > 1:
                    notes.append(f"animation of {count} frames, composited as shown")
                durations = []
                for frame in ImageSequence.Iterator(image):
                    if count > 1:
                        durations.append(float(frame.info.get("duration") or 0))
                    picture, turned = upright(frame.copy(), options)
                    if turned and not natives:
                        notes.append(turned)
                    natives.append(to_native(picture, path, options=options))
                icc = image.info.get("icc_profile") or None
        facts = None
        if lossy:
            facts = LossyFacts(None, decoded_ratio(natives, lossy_bytes or len(data)), "WebP lossy (VP8)")
            notes.append("lossy source: Lossy Image Compression 01; DICOM defines no method term for VP8")
        return source_from_frames(path, "webp", natives, lossy=facts, icc=icc, notes=tuple(notes),
                                  durations=tuple(durations))
