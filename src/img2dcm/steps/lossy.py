"""Lossy Image Compression attributes, written last as DCMTK does (reference §7.4).

Unlike DCMTK, lossiness and method come from *every* frame, not the last file:
mixing is refused earlier by the multi-frame step, so all frames agree here.
"""

from __future__ import annotations

from pydicom.uid import UID

from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind


def format_ratio(value: float) -> str:
    """C printf ``%.5G``: 5 significant digits, trailing zeros stripped (DCMTK 3.7.0)."""
    return f"{value:.5G}"


class LossyCompressionAttributes:
    title = "lossy compression"

    def describe(self) -> str:
        return "Lossy Image Compression 01, Ratio and Method for lossy sources"

    def apply(self, ctx: Context) -> None:
        lossy = [image for image in ctx.images if image.pixels.lossy is not None]
        if not lossy:
            return
        # A ratio is only known for streams passed through; a decoded lossy
        # source (JPEG-in-TIFF) keeps flag and method but states no ratio.
        ratios = [
            image.pixels.frame_pixel_bytes() / frame.length
            for image in ctx.images
            if UID(image.pixels.transfer_syntax).is_encapsulated and image.video is None
            for frame in image.frames
            if frame.length
        ] + [  # a video: all its pictures against the whole stream
            image.pixels.frame_pixel_bytes() * image.frame_count / sum(frame.length for frame in image.frames)
            for image in ctx.images
            if image.video is not None
        ]
        computed = Source(SourceKind.COMPUTED, "from the source codec")
        ctx.builder.put("LossyImageCompression", "01", computed)
        if ratios:
            ctx.builder.put("LossyImageCompressionRatio", format_ratio(sum(ratios) / len(ratios)), computed)
        ctx.builder.put("LossyImageCompressionMethod", lossy[0].pixels.lossy.method, computed)  # type: ignore[union-attr]
