"""The colour rule for JPEG (T.81): Photometric Interpretation from ids, sampling and Adobe APP14.

A JPEG stream does not say whether it holds RGB or YCbCr. Every decoder built on
libjpeg (Pillow, DCMTK, GDCM, browsers) decides in one order: a JFIF APP0 means
YCbCr whatever else the file says; else the Adobe APP14 transform flag (Adobe TN
5116) decides; only then do component ids 'R','G','B' mean RGB (libjpeg
jdapimin.c ``default_decompress_parms``). We label the same way, so viewers that
trust the DICOM attribute show what viewers of the JPEG file show, and warn about
chroma subsampling that YBR_FULL_422 does not name. docs/input-jpeg.md
"The colour rule" has the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.readers.jpeg_context import ReadContext
from img2dcm.readers.jpeg_frame import Component, FrameHeader, sampling_text
from img2dcm.readers.jpeg_markers import APP0, Segment
from img2dcm.readers.jpeg_tables import APP14, ID_ADOBE, ID_JFIF, JFIF_MIN_PAYLOAD, RGB_IDS, YCBCR_IDS


@dataclass(frozen=True)
class Colour:
    """The colour decision: PI, why, and the segment that must travel with the frame."""

    photometric: str
    reason: str
    #: The Adobe APP14 (transform 0) that decided RGB: it travels with the frame
    #: whatever the APPn policy, so the stream alone also decodes as RGB.
    keep_segment: Segment | None = None
    #: An Adobe APP14 (transform 0) that JFIF overruled: it never travels.
    drop_segment: Segment | None = None
    #: Component ids to rewrite in SOF and SOS (old -> new) when JFIF overruled
    #: ids 'R','G','B': with ids 1,2,3 every decoder (libjpeg, pydicom, GDCM)
    #: sees YCbCr even without the JFIF APP0. Only header bytes change.
    id_map: dict[int, int] | None = None
    #: A segment to insert after SOI: an Adobe APP14 transform 0 when only the ids
    #: 'R','G','B' say RGB, because some decoders (pydicom's Pillow plugin) look
    #: for APP14 and would otherwise treat the samples as YCbCr.
    insert_after_soi: bytes | None = None


def colour_for_jpeg(ctx: ReadContext, frame: FrameHeader, apps: Sequence[Segment]) -> Colour:
    """MONOCHROME2, RGB or YBR_FULL_422 in libjpeg's precedence: JFIF, then Adobe APP14, then ids.

    libjpeg counts any APP0 'JFIF' of 14 or more bytes, even one whose density
    fields we ignore, so :func:`jfif_marker` looks for it rather than ``read_jfif``.
    """
    comps = frame.components
    if len(comps) == 1:
        return Colour("MONOCHROME2", "1 component")
    jfif = jfif_marker(ctx, apps)
    ids = ",".join(component_id_text(c.ident) for c in comps)
    sampling = sampling_text(comps)
    facts = f"3 components, ids {ids}, sampling {sampling}, JFIF {'present' if jfif is not None else 'absent'}"
    warn_nonstandard_subsampling(ctx, comps)
    adobe = find_adobe_app14(ctx, apps)
    rgb_ids = tuple(c.ident for c in comps) == RGB_IDS

    if jfif is not None:
        overruled = adobe is not None and adobe[1] == 0
        against = [text for text, present in (
            ("Adobe APP14 transform 0 (RGB)", overruled), ("component ids 'R','G','B'", rgb_ids),
        ) if present]
        if not against:
            return Colour("YBR_FULL_422", f"{facts}, JFIF APP0 means YCbCr")
        ctx.warnings.append(
            f"JFIF APP0 (YCbCr) and {' and '.join(against)} contradict each other; "
            "following JFIF as libjpeg does: YCbCr"
            + (", component ids rewritten to 1,2,3" if rgb_ids else "")
            + (", APP14 dropped" if overruled else "")
        )
        return Colour(
            "YBR_FULL_422",
            f"{facts}, JFIF APP0 means YCbCr (over {' and '.join(against)})",
            drop_segment=adobe[0] if adobe is not None and overruled else None,
            id_map=dict(zip(RGB_IDS, YCBCR_IDS, strict=True)) if rgb_ids else None,
        )
    if adobe is not None:
        seg, transform = adobe
        if transform == 0:
            return Colour("RGB", f"{facts}, Adobe APP14 transform 0 (no colour transform)", keep_segment=seg)
        if transform != 1:
            ctx.warnings.append(
                f"Adobe APP14 transform {transform} is not valid for 3 components; assuming YCbCr"
            )
        return Colour("YBR_FULL_422", f"{facts}, Adobe APP14 transform {transform} (YCbCr)")
    if rgb_ids:
        if any((c.h, c.v) != (1, 1) for c in comps):
            ctx.warnings.append(f"RGB components with chroma-style subsampling {sampling}; decoders upsample them as RGB")
        return Colour("RGB", f"{facts}, no Adobe APP14, ids 'R','G','B'", insert_after_soi=ADOBE_RGB_APP14)
    return Colour("YBR_FULL_422", f"{facts}, no Adobe APP14")


#: Adobe APP14 saying "no colour transform" (Adobe TN 5116: version 100, flags 0, 0, transform 0).
ADOBE_RGB_APP14 = b"\xff\xee\x00\x0e" + ID_ADOBE + bytes([0, 100, 0, 0, 0, 0, 0])


def warn_nonstandard_subsampling(ctx: ReadContext, comps: Sequence[Component]) -> None:
    """DCMTK 3.7.0's warnings for chroma subsampling that YBR_FULL_422 does not name."""
    luma = (comps[0].h, comps[0].v)
    chroma_1x1 = all((c.h, c.v) == (1, 1) for c in comps[1:])
    if chroma_1x1 and luma in ((1, 1), (2, 1)):
        return
    if chroma_1x1 and luma == (2, 2):
        ctx.warnings.append("JPEG file contains non-standard 4:2:0 subsampling")
    elif chroma_1x1 and luma == (4, 1):
        ctx.warnings.append("JPEG file contains non-standard 4:1:1 subsampling")
    else:
        ctx.warnings.append("JPEG file contains non-standard subsampling")


def jfif_marker(ctx: ReadContext, apps: Sequence[Segment]) -> Segment | None:
    """The first APP0 'JFIF' segment libjpeg counts (identifier plus at least 14 bytes)."""
    for seg in apps:
        if seg.code == APP0 and seg.size - 4 >= JFIF_MIN_PAYLOAD and ctx.payload(seg).startswith(ID_JFIF):
            return seg
    return None


def find_adobe_app14(ctx: ReadContext, apps: Sequence[Segment]) -> tuple[Segment, int] | None:
    """The first APP14 'Adobe' segment with its transform flag, if readable."""
    for seg in apps:
        if seg.code != APP14:
            continue
        body = ctx.payload(seg)
        if not body.startswith(ID_ADOBE):
            continue
        if len(body) < 12:
            ctx.warnings.append(f"Adobe APP14 at offset {seg.offset} is too short ({len(body)} bytes); ignored")
            continue
        return seg, body[11]
    return None


def component_id_text(ident: int) -> str:
    """Component id as number, or as 'R' style when it is a printable letter."""
    return f"'{chr(ident)}'" if 0x41 <= ident <= 0x5A or 0x61 <= ident <= 0x7A else str(ident)
