"""JPEG-LS (ITU-T T.87) specifics: NEAR, the APP8 colour transform, SPIFF and subsampling.

DICOM JPEG-LS must not use a colour transform (PS3.5 §8.2.3) and has no way to
describe subsampled components, so both are refused here; NEAR of the first
scan decides lossless or near-lossless.
"""

from __future__ import annotations

from collections.abc import Sequence

from img2dcm.readers.jpeg_colour import Colour
from img2dcm.readers.jpeg_context import ReadContext, Reject
from img2dcm.readers.jpeg_frame import FrameHeader, sampling_text
from img2dcm.readers.jpeg_markers import Segment
from img2dcm.readers.jpeg_tables import APP8, ID_MRFX, ID_SPIFF


def colour_for_jpeg_ls(frame: FrameHeader) -> Colour:
    """MONOCHROME2 or RGB; subsampled components are refused (DICOM cannot describe them)."""
    comps = frame.components
    sub = [c for c in comps if (c.h, c.v) != (1, 1)]
    if sub:
        raise Reject(
            f"subsampled JPEG-LS components (sampling {sampling_text(comps)}): "
            "DICOM cannot describe subsampled JPEG-LS data"
        )
    if len(comps) == 1:
        return Colour("MONOCHROME2", "JPEG-LS, 1 component")
    return Colour("RGB", "JPEG-LS, 3 components (no colour transform; any interleave mode)")


def check_app8(ctx: ReadContext, apps: Sequence[Segment]) -> None:
    """Refuse SPIFF wrappers and HP colour transforms (APP8 'mrfx'); warn about other APP8."""
    for seg in apps:
        if seg.code != APP8:
            continue
        body = ctx.payload(seg)
        if body.startswith(ID_SPIFF):
            raise Reject("APP8 SPIFF header found: SPIFF-wrapped JPEG-LS cannot be stored in DICOM")
        if body.startswith(ID_MRFX):
            if len(body) != 5:
                raise Reject(f"APP8 'mrfx' segment has length {seg.size - 2}, expected 7")
            if body[4] != 0:
                raise Reject(
                    f"APP8 'mrfx' colour transform HP{body[4]} found: DICOM JPEG-LS must not use a colour transform"
                )
            continue
        ctx.warnings.append(f"unknown APP8 segment '{ctx.app_id(seg)}' in JPEG-LS stream; passed over")


def first_scan_near(ctx: ReadContext, sos: Segment) -> int:
    """NEAR of the first scan: 0 means lossless, anything else near-lossless."""
    body = ctx.payload(sos)
    if not body:
        raise Reject("bogus SOS marker length 2")
    count = body[0]
    if sos.size - 2 != 6 + 2 * count:
        raise Reject(f"bogus SOS marker length {sos.size - 2} (expected 6 + 2 x {count} = {6 + 2 * count})")
    near, ilv = body[1 + 2 * count], body[2 + 2 * count]
    ctx.notes.append(f"JPEG-LS first scan: NEAR={near}, interleave mode {ilv}")
    return near
