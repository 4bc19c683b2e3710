"""Lossless JPEG (T.81 process 14, SOF3): the scans decide .70 or .57, the markers the colour.

DICOM has two syntaxes for one process: 1.2.840.10008.1.2.4.70 when the predictor
is selection value 1 (the default lossless syntax, PS3.5 §8.2.1) and .57 for any
predictor. We read *every* scan header, not only the first: a non-interleaved
stream has one scan per component, each with its own predictor. A point
transform (Al > 0) means the encoder dropped low bits, so the pixels are not
the source's: .57 with Lossy Image Compression 01. Sources: T.81 §B.2.3 (scan
header), §H.1.2.1 (predictors), §H.1.1 (point transform).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from img2dcm.readers.base import LossyFacts
from img2dcm.readers.jpeg_colour import Colour, find_adobe_app14, jfif_marker
from img2dcm.readers.jpeg_context import ReadContext, Reject
from img2dcm.readers.jpeg_frame import FrameHeader, sampling_text
from img2dcm.readers.jpeg_markers import SOS, Segment
from img2dcm.readers.jpeg_tables import (
    METHOD_JPEG,
    RGB_IDS,
    TS_JPEG_LOSSLESS,
    TS_JPEG_LOSSLESS_SV1,
    YCBCR_IDS,
)

#: T.81 Table H.1: the selection values a lossless scan may use (0 is hierarchical-only).
PREDICTORS = range(1, 8)


@dataclass(frozen=True)
class LosslessScan:
    """What one SOS of a lossless stream says: components, predictor, point transform."""

    components: int
    predictor: int  # Ss
    point_transform: int  # Al


@dataclass(frozen=True)
class LosslessCoding:
    """The transfer syntax and lossiness the scans imply."""

    transfer_syntax: str
    lossy: LossyFacts | None


def read_scans(ctx: ReadContext, segments: Sequence[Segment]) -> list[LosslessScan]:
    """Every scan header: Ns, then Ns x (Cs, Td/Ta), then Ss, Se, Ah/Al (T.81 §B.2.3)."""
    scans = []
    for seg in segments:
        if seg.code != SOS:
            continue
        body = ctx.payload(seg)
        count = body[0] if body else 0
        if count == 0 or len(body) < 4 + 2 * count:
            raise Reject(f"bogus SOS marker at offset {seg.offset} (scan header too short)")
        at = 1 + 2 * count
        scans.append(LosslessScan(count, body[at], body[at + 2] & 0x0F))
    return scans


def lossless_coding(ctx: ReadContext, segments: Sequence[Segment]) -> LosslessCoding:
    """.70 when every scan uses predictor 1 without point transform, else .57; Al > 0 is lossy."""
    scans = read_scans(ctx, segments)
    bad = [scan.predictor for scan in scans if scan.predictor not in PREDICTORS]
    if bad:
        raise Reject(f"lossless JPEG scan with predictor {bad[0]} (valid: 1..7)")
    predictors = sorted({scan.predictor for scan in scans})
    shifts = sorted({scan.point_transform for scan in scans})
    ctx.notes.append(
        f"lossless scans: {len(scans)}, predictor(s) {','.join(map(str, predictors))}, "
        f"point transform(s) {','.join(map(str, shifts))}"
    )
    if shifts != [0]:
        ctx.warnings.append(
            f"lossless JPEG with point transform {max(shifts)}: the encoder dropped low bits, "
            "so the pixels are not the source's; labelled lossy (Lossy Image Compression 01)"
        )
        return LosslessCoding(TS_JPEG_LOSSLESS, LossyFacts(METHOD_JPEG))
    return LosslessCoding(TS_JPEG_LOSSLESS_SV1 if predictors == [1] else TS_JPEG_LOSSLESS, None)


def colour_for_lossless(ctx: ReadContext, frame: FrameHeader, apps: Sequence[Segment]) -> Colour:
    """MONOCHROME2, RGB or YBR_FULL; subsampled colour is refused.

    PS3.5 Table 8.2.1-2 allows RGB and YBR_FULL. Lossless encoders normally code
    the samples as they are (RGB, as dcm4che and GDCM label it); YBR_FULL needs
    positive evidence of a colour transform: a JFIF APP0, or an Adobe APP14
    transform 1, which is also what libjpeg decodes as YCbCr.
    """
    comps = frame.components
    if len(comps) == 1:
        return Colour("MONOCHROME2", "1 component")
    if len({(c.h, c.v) for c in comps}) > 1:  # equal factors (ffmpeg writes 1x2 x3) are no subsampling
        raise Reject(
            f"subsampled lossless JPEG components (sampling {sampling_text(comps)}): DICOM describes "
            "lossless JPEG colour only as RGB or YBR_FULL, without subsampling"
        )
    jfif = jfif_marker(ctx, apps)
    adobe = find_adobe_app14(ctx, apps)
    if jfif is not None:
        rgb_ids = tuple(c.ident for c in comps) == RGB_IDS
        return Colour(
            "YBR_FULL",
            "3 components, lossless, JFIF APP0 means YCbCr",
            drop_segment=adobe[0] if adobe is not None and adobe[1] == 0 else None,
            id_map=dict(zip(RGB_IDS, YCBCR_IDS, strict=True)) if rgb_ids else None,
        )
    if adobe is not None and adobe[1] == 0:
        return Colour("RGB", "3 components, lossless, Adobe APP14 transform 0", keep_segment=adobe[0])
    if adobe is not None:
        return Colour("YBR_FULL", f"3 components, lossless, Adobe APP14 transform {adobe[1]} (YCbCr)")
    return Colour("RGB", "3 components, lossless, no JFIF or Adobe APP14: samples coded as they are")
