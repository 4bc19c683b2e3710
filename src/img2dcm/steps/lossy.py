"""Lossy Image Compression attributes, written last as DCMTK does (reference §7.4).

Unlike DCMTK, lossiness and method come from *every* frame, not the last file:
mixing is refused earlier by the multi-frame step, so all frames agree here.
Passed-through streams give their ratio from the stream sizes; decoded lossy
sources (JPEG-in-TIFF, lossy WebP, HEIC) from the reader's decoded/compressed
sizes. A source whose codec has no defined term (WebP's VP8) gets no method,
with a note, and a class that requires one fails naming the key to give.
"""

from __future__ import annotations

from pydicom.uid import UID

from img2dcm.errors import ConversionError
from img2dcm.iods import registry
from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind


def format_ratio(value: float) -> str:
    """C printf ``%.5G``: 5 significant digits, trailing zeros stripped (DCMTK 3.7.0)."""
    return f"{value:.5G}"


class LossyCompressionAttributes:
    title = "lossy compression"

    def describe(self) -> str:
        return "Lossy Image Compression 01, Ratio and Method for lossy sources; 00 for lossless ones"

    def apply(self, ctx: Context) -> None:
        lossy = [image for image in ctx.images if image.pixels.lossy is not None]
        if not lossy:
            # Every source is lossless (PNG, lossless WebP, GIF, PNM, BMP, JPEG-LS NEAR 0...): say so,
            # also where the attribute is optional (type 3), unless a key or template already did.
            if not ctx.builder.has_value("LossyImageCompression"):
                ctx.builder.put("LossyImageCompression", "00", Source(SourceKind.COMPUTED, "lossless sources"))
            return
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
        ratios += [image.pixels.lossy.ratio for image in lossy  # type: ignore[union-attr, misc]
                   if not UID(image.pixels.transfer_syntax).is_encapsulated and image.pixels.lossy.ratio]  # type: ignore[union-attr]
        computed = Source(SourceKind.COMPUTED, "from the source codec")
        ctx.builder.put("LossyImageCompression", "01", computed)
        if ratios:
            ctx.builder.put("LossyImageCompressionRatio", format_ratio(sum(ratios) / len(ratios)), computed)
        facts = lossy[0].pixels.lossy
        assert facts is not None
        if facts.method is not None:
            ctx.builder.put("LossyImageCompressionMethod", facts.method, computed)
            return
        what = facts.codec or lossy[0].format
        if ctx.builder.has_value("LossyImageCompressionMethod"):
            return  # given by a key or template: the user's word
        table = registry.table_for_uid(ctx.sop_class_uid)
        rule = table.rule("LossyImageCompressionMethod") if table is not None else None
        if rule is not None and rule.type in ("1", "1C"):
            raise ConversionError(
                f"{table.name} requires Lossy Image Compression Method, and DICOM defines no term for "  # type: ignore[union-attr]
                f"{what}; give one with -k LossyImageCompressionMethod=... or use secondary-capture, "
                "multiframe-secondary-capture or vl-photographic"
            )
        ctx.builder.note(f"Lossy Image Compression Method left out: DICOM defines no term for {what}")
