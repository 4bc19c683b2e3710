"""The colour rule for JPEG (T.81): Photometric Interpretation from ids, sampling and Adobe APP14.

A JPEG stream does not say whether it holds RGB or YCbCr; we decide from the
Adobe APP14 transform flag (Adobe TN 5116), which DCMTK 3.7.0 ignores, and from
the component ids, and warn about chroma subsampling that YBR_FULL_422 does not
name. docs/input-jpeg.md "The colour rule" has the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.readers.jpeg_context import ReadContext
from img2dcm.readers.jpeg_frame import Component, FrameHeader, sampling_text
from img2dcm.readers.jpeg_markers import Segment
from img2dcm.readers.jpeg_tables import APP14, ID_ADOBE, RGB_IDS


@dataclass(frozen=True)
class Colour:
    """The colour decision: PI, why, and the APP14 that must travel with the frame."""

    photometric: str
    reason: str
    keep_app14: Segment | None = None


def colour_for_jpeg(ctx: ReadContext, frame: FrameHeader, apps: Sequence[Segment], has_jfif: bool) -> Colour:
    """MONOCHROME2, RGB or YBR_FULL_422: Adobe APP14 first, then 'R','G','B' ids, else YCbCr."""
    comps = frame.components
    if len(comps) == 1:
        return Colour("MONOCHROME2", "1 component")
    ids = ",".join(component_id_text(c.ident) for c in comps)
    sampling = sampling_text(comps)
    facts = f"3 components, ids {ids}, sampling {sampling}, JFIF {'present' if has_jfif else 'absent'}"
    warn_nonstandard_subsampling(ctx, comps)

    adobe = find_adobe_app14(ctx, apps)
    if adobe is not None:
        seg, transform = adobe
        if transform == 0:
            if has_jfif:
                ctx.warnings.append(
                    "JFIF APP0 (implies YCbCr) and Adobe APP14 transform 0 (RGB) contradict each other; "
                    "following APP14: RGB"
                )
            return Colour("RGB", f"{facts}, Adobe APP14 transform 0 (no colour transform)", seg)
        if transform != 1:
            ctx.warnings.append(
                f"Adobe APP14 transform {transform} is not valid for 3 components; assuming YCbCr"
            )
        return Colour("YBR_FULL_422", f"{facts}, Adobe APP14 transform {transform} (YCbCr)")
    all_1x1 = all(c.h == 1 and c.v == 1 for c in comps)
    if tuple(c.ident for c in comps) == RGB_IDS and all_1x1:
        return Colour("RGB", f"{facts}, no Adobe APP14, ids 'R','G','B' unsubsampled")
    return Colour("YBR_FULL_422", f"{facts}, no Adobe APP14")


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
