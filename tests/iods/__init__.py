"""Harness for the IOD tests: fake inputs, a Plan-like step sequence, a pydicom writer.

Builds datasets the way the pipeline does (UIDs, Image Pixel module from the first
image, SOP class, multi-frame, keys, completion, lossy attributes, validation) but
without depending on the readers or the writer, so the IOD side is tested alone.
"""

from __future__ import annotations

import struct
from datetime import datetime, timezone
from pathlib import Path

from pydicom.dataset import FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian

from img2dcm.context import Context
from img2dcm.profile.model import (
    Checks,
    KeySpec,
    MultiFrameOptions,
    OutputOptions,
    Profile,
)
from img2dcm.provenance import DatasetBuilder
from img2dcm.readers.base import Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.steps.completion import CompleteIod
from img2dcm.steps.multiframe import MultiFrameAttributes
from img2dcm.steps.sop_class import ApplySopClass
from img2dcm.steps.validation import ValidateIod
from img2dcm.uids import UidFactory
from tests.tools import CORPUS

NOW = datetime(2024, 5, 17, 9, 30, 15, tzinfo=timezone.utc)
NATIVE = "1.2.840.10008.1.2.1"

#: Corpus code streams used as real JPEG / JPEG-LS frames.
STREAMS = {
    "jpeg-ybr": (CORPUS / "jpeg" / "ljt_testorig.jpg", "1.2.840.10008.1.2.4.50", "YBR_FULL_422", 3, 8),
    "jpeg-grey": (CORPUS / "jpeg" / "ljt_testimggray.jpg", "1.2.840.10008.1.2.4.50", "MONOCHROME2", 1, 8),
    "jpeg-12": (CORPUS / "jpeg" / "ljt_testorig12.jpg", "1.2.840.10008.1.2.4.51", "YBR_FULL_422", 3, 12),
    "jls-rgb": (CORPUS / "jpegls" / "t8c0e0.jls", "1.2.840.10008.1.2.4.80", "RGB", 3, 8),
}

#: Native formats: (samples, photometric, bits allocated, bits stored).
NATIVE_KINDS = {
    "grey8": (1, "MONOCHROME2", 8, 8),
    "grey16": (1, "MONOCHROME2", 16, 16),
    "grey12": (1, "MONOCHROME2", 16, 12),
    "rgb8": (3, "RGB", 8, 8),
    "bit1": (1, "MONOCHROME2", 1, 1),
}

ALL_KINDS = tuple(NATIVE_KINDS) + tuple(STREAMS)


def still_families() -> list[str]:
    """The families that take still images (the video-* ones take video streams only:
    tests/codecs/test_video.py covers them with real clips)."""
    from img2dcm.iods.registry import FAMILIES, takes_video

    return [name for name, tables in FAMILIES.items() if not any(takes_video(t) for t in tables)]


def _sof(data: bytes) -> tuple[int, int]:
    """(rows, columns) from a JPEG / JPEG-LS frame header."""
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xF7):
            rows, cols = struct.unpack(">HH", data[i + 5:i + 9])
            return rows, cols
        i += 2 + length
    raise ValueError("no SOF")


def fake_image(kind: str, frames: int = 1, name: str | None = None, rows: int = 6, columns: int = 8) -> SourceImage:
    """A SourceImage of ``kind`` with ``frames`` frames (real code streams for JPEG kinds)."""
    if kind in STREAMS:
        path, ts, pi, spp, bits = STREAMS[kind]
        data = path.read_bytes()
        rows, columns = _sof(data)
        lossy = LossyFacts("ISO_10918_1") if ts.endswith((".50", ".51")) else None
        pixels = PixelDescription(
            rows=rows, columns=columns, samples_per_pixel=spp, photometric_interpretation=pi,
            bits_allocated=8 if bits <= 8 else 16, bits_stored=bits, high_bit=bits - 1,
            transfer_syntax=ts, planar_configuration=0 if spp > 1 else None, lossy=lossy,
        )
        return SourceImage(Path(name or path.name), kind, pixels, tuple(Frame.from_bytes(data) for _ in range(frames)))
    spp, pi, allocated, stored = NATIVE_KINDS[kind]
    pixels = PixelDescription(
        rows=rows, columns=columns, samples_per_pixel=spp, photometric_interpretation=pi,
        bits_allocated=allocated, bits_stored=stored, high_bit=stored - 1,
        transfer_syntax=NATIVE, planar_configuration=0 if spp > 1 else None,
    )
    size = rows * columns * spp * allocated // 8
    return SourceImage(
        Path(name or f"{kind}.raw"), "raw", pixels,
        tuple(Frame.from_bytes(bytes([(17 * f + 1) % 256]) * size) for f in range(frames)),
    )


def make_context(
    family: str,
    images: list[SourceImage],
    checks: Checks = Checks(),
    multiframe: MultiFrameOptions = MultiFrameOptions(),
) -> Context:
    profile = Profile(output=OutputOptions(sop_class=family, multiframe=multiframe), checks=checks)
    return Context(profile=profile, images=tuple(images), builder=DatasetBuilder(),
                   uids=UidFactory(), now=NOW)


def pixel_module(ctx: Context) -> None:
    """The real UID and Image Pixel steps, which run before ours (reference §6, §7.1)."""
    from img2dcm.steps.pixels import ImagePixelModule
    from img2dcm.steps.uids import GenerateUids

    GenerateUids().apply(ctx)
    ImagePixelModule().apply(ctx)


def apply_keys(ctx: Context, keys: dict[str, object]) -> None:
    """The real keys step on ``{path: value}`` (None = zero length)."""
    from img2dcm.keys import apply_key
    from img2dcm.profile.load import key_value_text

    for path, value in keys.items():
        apply_key(ctx.builder, KeySpec(path, key_value_text(value), "test"))


def lossy_step(ctx: Context) -> None:
    """The real lossy compression step, which runs after completion."""
    from img2dcm.steps.lossy import LossyCompressionAttributes

    LossyCompressionAttributes().apply(ctx)


def run(
    family: str,
    images: list[SourceImage],
    keys: dict[str, object] | None = None,
    checks: Checks = Checks(),
    multiframe: MultiFrameOptions = MultiFrameOptions(),
    template: dict[str, object] | None = None,
) -> Context:
    """The pipeline's order, with our steps: returns the context after validation."""
    ctx = make_context(family, images, checks, multiframe)
    if template:
        apply_keys(ctx, template)
    pixel_module(ctx)
    ApplySopClass(family).apply(ctx)
    MultiFrameAttributes(multiframe).apply(ctx)
    if keys:
        apply_keys(ctx, keys)
    if checks.enabled:
        CompleteIod(checks).apply(ctx)
    lossy_step(ctx)
    ValidateIod().apply(ctx)
    return ctx


def write(ctx: Context, path: Path) -> Path:
    """Save with pydicom: native pixel data, or one fragment per frame with an offset table."""
    ds = ctx.builder.dataset
    frames = [f.open().read() for image in ctx.images for f in image.frames]
    meta = FileMetaDataset()
    meta.TransferSyntaxUID = ctx.transfer_syntax
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta = meta
    if ctx.transfer_syntax == ExplicitVRLittleEndian:
        data = b"".join(frames)
        if len(data) % 2:
            data += b"\0"
        ds.add_new("PixelData", "OW" if ds.BitsAllocated > 8 else "OB", data)
    else:
        ds.add_new("PixelData", "OB", encapsulate(frames, has_bot=True))
        ds["PixelData"].is_undefined_length = True
    ds.save_as(path, enforce_file_format=True)
    return path
