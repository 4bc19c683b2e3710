"""The JPEG frame header (SOFn): which coding process, and the image it declares.

The process decides the transfer syntax or a refusal; the frame header gives
rows, columns, precision and the components the colour rule looks at.
Source: ITU-T T.81 §B.2.2 (frame header), ITU-T T.87 §C.2.2 (JPEG-LS).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.readers.jpeg_context import ReadContext, Reject
from img2dcm.readers.jpeg_markers import DAC, DHP, DHT, Segment
from img2dcm.readers.jpeg_tables import PRECISION, SOF_KINDS, SofKind


@dataclass(frozen=True)
class Component:
    """One image component: its identifier and sampling factors."""

    ident: int
    h: int
    v: int


@dataclass(frozen=True)
class FrameHeader:
    """The parts of a frame header the Image Pixel module needs."""

    precision: int
    rows: int
    columns: int
    components: tuple[Component, ...]


def first_frame_header(ctx: ReadContext, segments: Sequence[Segment]) -> Segment:
    """The SOFn that describes the image; hierarchical and frame-less streams are refused."""
    if any(seg.code == DHP for seg in segments):
        raise Reject("hierarchical JPEG (DHP marker) is not supported: no DICOM transfer syntax we pass through")
    sofs = [seg for seg in segments if seg.code in SOF_KINDS or (0xC0 <= seg.code <= 0xCF and seg.code not in (DHT, DAC))]
    if not sofs:
        raise Reject("no frame header (SOFn marker) found: no image data in JPEG file")
    sof = sofs[0]
    if len(sofs) > 1:
        ctx.warnings.append(f"{len(sofs)} frame headers found; only the first ({sof.name}) is used")
    return sof


def check_process(ctx: ReadContext, kind: SofKind) -> None:
    """Refuse processes with no pass-through transfer syntax, or ones the options disable."""
    if kind.transfer_syntax is None:
        what = " and ".join(kind.unsupported)
        raise Reject(f"JPEG encoding '{kind.name}: {kind.process}' not supported ({what} JPEG cannot be passed through)")
    if kind.name == "SOF2" and ctx.jpeg.progressive == "reject":
        raise Reject("progressive JPEG found but progressive support is disabled (-dp)")
    if kind.name == "SOF1" and ctx.jpeg.extended == "reject":
        raise Reject("extended sequential JPEG found but extended support is disabled (-de)")


def parse_frame_header(ctx: ReadContext, sof: Segment, kind: SofKind) -> FrameHeader:
    """Read and check the frame header; only 1 or 3 components fit DICOM's Image Pixel module."""
    body = ctx.payload(sof)
    if len(body) < 6:
        raise Reject(f"bogus {sof.name} marker length {sof.size - 2} (frame header too short)")
    precision, rows, columns, count = struct.unpack_from(">BHHB", body, 0)
    if sof.size - 2 != 8 + 3 * count:
        raise Reject(f"bogus {sof.name} marker length {sof.size - 2} (expected 8 + 3 x {count} components = {8 + 3 * count})")
    if rows == 0 or columns == 0:
        raise Reject(f"invalid image size {columns}x{rows} in {sof.name} (width or height = 0; DNL is not supported)")
    if count not in (1, 3):
        extra = " (CMYK/YCCK or RGBA)" if count == 4 else ""
        if count == 4 and sof.code in (0xC0, 0xC1, 0xC2):
            extra += "; set input.jpeg.cmyk: decode (--cmyk decode) to decode it to RGB"
        raise Reject(f"{count} image components{extra}: only 1 (grey) or 3 (colour) samples per pixel can be stored")
    allowed = PRECISION[sof.code]
    if precision not in allowed:
        span = f"{allowed[0]}..{allowed[-1]}" if len(allowed) > 2 else " or ".join(map(str, allowed))
        raise Reject(f"{precision}-bit samples are not valid for {kind.name} ({kind.process}: {span} bits)")
    components = tuple(
        Component(body[6 + 3 * i], body[7 + 3 * i] >> 4, body[7 + 3 * i] & 0x0F) for i in range(count)
    )
    ctx.notes.append(
        f"frame: {columns}x{rows}, {count} component(s), {precision}-bit, "
        f"ids {','.join(str(c.ident) for c in components)}, sampling {sampling_text(components)}"
    )
    return FrameHeader(precision, rows, columns, components)


def sampling_text(comps: Sequence[Component]) -> str:
    """Sampling factors for notes and messages, e.g. '2x2,1x1,1x1'."""
    return ",".join(f"{c.h}x{c.v}" for c in comps)
