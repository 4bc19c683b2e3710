"""APPn and COM segments: what we read from them (JFIF, ICC, EXIF) and which ones travel.

The frame keeps the code stream byte for byte except for the APPn/COM
segments the app_segments and comments policies drop; JFIF density becomes
Pixel Aspect Ratio, APP2 chunks become the ICC profile, APP1 the EXIF facts.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.readers.base import ExifFacts
from img2dcm.readers.exif import ExifError, exif_field_names, parse_exif
from img2dcm.readers.jpeg_colour import Colour
from img2dcm.readers.jpeg_context import ReadContext
from img2dcm.readers.jpeg_markers import APP0, APP15, COM, Segment
from img2dcm.readers.jpeg_tables import (
    APP1,
    APP2,
    APP14,
    ID_ADOBE,
    ID_EXIF,
    ID_ICC,
    ID_JFIF,
    ID_JFXX,
)


@dataclass(frozen=True)
class Jfif:
    """The JFIF APP0 fields we use (JFIF 1.02)."""

    version: tuple[int, int]
    units: int
    x_density: int
    y_density: int


def read_jfif(ctx: ReadContext, apps: Sequence[Segment]) -> Jfif | None:
    """The first JFIF APP0, or None when absent or unusable (a warning says why)."""
    for seg in apps:
        if seg.code != APP0:
            continue
        body = ctx.payload(seg)
        if not body.startswith(ID_JFIF):
            continue
        if len(body) < 14:
            ctx.warnings.append(f"JFIF APP0 at offset {seg.offset} is too short; ignored")
            return None
        major, minor, units, xd, yd = struct.unpack_from(">BBBHH", body, 5)
        if units > 2:
            ctx.warnings.append(f"JFIF APP0 has invalid density units {units}; ignored")
            return None
        ctx.notes.append(f"JFIF {major}.{minor:02d}: units {units}, density {xd}x{yd}")
        return Jfif((major, minor), units, xd, yd)
    return None


def pixel_aspect_ratio(ctx: ReadContext, jfif: Jfif | None) -> tuple[int, int] | None:
    """JFIF densities as DICOM PixelAspectRatio (vertical, horizontal) when not 1:1.

    A pixel's width is 1/Xdensity and its height 1/Ydensity, so
    vertical:horizontal = Xdensity:Ydensity.
    """
    if jfif is None or jfif.x_density == 0 or jfif.y_density == 0 or jfif.x_density == jfif.y_density:
        return None
    divisor = math.gcd(jfif.x_density, jfif.y_density)
    ratio = (jfif.x_density // divisor, jfif.y_density // divisor)
    ctx.notes.append(f"pixel aspect ratio {ratio[0]}:{ratio[1]} (vertical:horizontal) from JFIF density")
    return ratio


def icc_profile(ctx: ReadContext, apps: Sequence[Segment], sof: Segment) -> bytes | None:
    """Reassemble the APP2 ICC_PROFILE chunks (ICC.1 Annex B.4) in sequence order.

    Like Pillow, chunks that precede the frame header win; chunks after it
    are used only when none precede it (libjpeg would refuse duplicates).
    """
    icc_segs = [seg for seg in apps if seg.code == APP2 and ctx.payload(seg)[: len(ID_ICC)] == ID_ICC]
    early = [seg for seg in icc_segs if seg.offset < sof.offset]
    if early and len(early) < len(icc_segs):
        ctx.notes.append(f"{len(icc_segs) - len(early)} ICC_PROFILE chunk(s) after the frame header ignored")
        icc_segs = early
    chunks: list[tuple[int, int, bytes]] = []
    for seg in icc_segs:
        body = ctx.payload(seg)
        if len(body) < 14:
            ctx.warnings.append(f"ICC profile chunk at offset {seg.offset} is too short; no ICC profile used")
            return None
        chunks.append((body[12], body[13], body[14:]))
    if not chunks:
        return None
    totals = {total for _seq, total, _data in chunks}
    numbers = sorted(seq for seq, _total, _data in chunks)
    if len(totals) != 1 or numbers != list(range(1, len(chunks) + 1)) or len(chunks) != totals.pop():
        ctx.warnings.append(
            f"malformed ICC profile in APP2 (chunk numbers {','.join(map(str, numbers))} "
            f"of {'/'.join(str(t) for _s, t, _d in chunks)}); no ICC profile used"
        )
        return None
    profile = b"".join(data for _seq, _total, data in sorted(chunks, key=lambda c: c[0]))
    if not profile:
        ctx.warnings.append("empty ICC profile in APP2; no ICC profile used")
        return None
    ctx.notes.append(f"ICC profile: {len(profile)} bytes from {len(chunks)} APP2 chunk(s)")
    return profile


def read_exif(ctx: ReadContext, apps: Sequence[Segment]) -> ExifFacts | None:
    """The mapped EXIF fields of the first APP1 'Exif' segment; malformed EXIF only warns."""
    blocks = [seg for seg in apps if seg.code == APP1 and ctx.payload(seg).startswith(ID_EXIF)]
    if not blocks:
        return None
    if len(blocks) > 1:
        ctx.notes.append(f"{len(blocks)} EXIF APP1 segments; only the first is read")
    try:
        facts = parse_exif(ctx.payload(blocks[0])[len(ID_EXIF) :])
    except ExifError as exc:
        ctx.warnings.append(f"ignoring malformed EXIF data: {exc}")
        return None
    found = exif_field_names(facts)
    ctx.notes.append(f"EXIF: {', '.join(found) if found else 'none of the mapped fields'}")
    return facts


def dropped_segments(ctx: ReadContext, segments: Sequence[Segment], colour: Colour) -> list[Segment]:
    """The APPn/COM segments the app_segments and comments policies leave out of the frame.

    ``strip`` drops every APPn except an Adobe APP14 that says RGB (an APP14 that
    JFIF overruled is dropped under every policy); ``keep`` drops
    only JFIF/JFXX APP0 (the DICOM attributes are authoritative); ``keep-colour`` keeps ICC
    APP2 and Adobe APP14.
    """
    policy = ctx.jpeg.app_segments
    dropped: list[Segment] = []
    for seg in segments:
        if seg.code == COM:
            if ctx.jpeg.comments == "remove":
                dropped.append(seg)
            continue
        if not APP0 <= seg.code <= APP15:
            continue
        if seg is colour.keep_segment:
            if policy == "strip":
                ctx.notes.append(
                    "APP14 Adobe (transform 0) kept despite app_segments=strip, so decoders that ignore "
                    "DICOM attributes also see RGB"
                )
            continue
        if seg is colour.drop_segment:
            dropped.append(seg)
            if policy != "strip":
                ctx.notes.append(
                    f"APP14 Adobe (transform 0) dropped despite app_segments={policy}: JFIF overrules it, "
                    "and without JFIF decoders would see RGB"
                )
            continue
        body_head = bytes(ctx.data[seg.payload_offset : min(seg.end, seg.payload_offset + 12)])
        if policy == "strip":
            dropped.append(seg)
        elif policy == "keep":
            if seg.code == APP0 and (body_head.startswith(ID_JFIF) or body_head.startswith(ID_JFXX)):
                dropped.append(seg)
        else:  # keep-colour
            colour_seg = (seg.code == APP2 and body_head.startswith(ID_ICC)) or (
                seg.code == APP14 and body_head.startswith(ID_ADOBE)
            )
            if not colour_seg:
                dropped.append(seg)
    gone = {id(seg) for seg in dropped}
    kept = [ctx.label(seg) for seg in segments if id(seg) not in gone]
    ctx.notes.append(f"segments kept: {tally(kept)}")
    if dropped:
        ctx.notes.append(
            f"segments dropped (app_segments={policy}, comments={ctx.jpeg.comments}): "
            f"{tally([ctx.label(seg) for seg in dropped])} ({sum(seg.size for seg in dropped)} bytes)"
        )
    return dropped


def tally(labels: Sequence[str]) -> str:
    """'DQT x2, SOF0, ...' in order of first appearance."""
    counts = Counter(labels)
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(label)
    return ", ".join(f"{label} x{counts[label]}" if counts[label] > 1 else label for label in seen)
