"""Multi-frame step: frame agreement, Number of Frames and the Frame Increment Pointer.

DCMTK compares each extra file with the first but not the transfer syntax
(reference §8); we compare every frame's pixel description *including* the
transfer syntax and lossiness, and refuse several frames for a single-frame class
naming the families that take them.
"""

from __future__ import annotations

from pydicom.tag import Tag

from img2dcm.errors import ConversionError
from img2dcm.iods import registry
from img2dcm.iods.model import PixelFacts
from img2dcm.context import Context
from img2dcm.profile.model import MultiFrameOptions
from img2dcm.provenance import Source, SourceKind
from img2dcm.steps.sop_class import frame_count

#: Pixel description fields every frame must share (DCMTK's list plus the transfer syntax).
AGREEING_FIELDS: tuple[tuple[str, str], ...] = (
    ("rows", "Rows"),
    ("columns", "Columns"),
    ("samples_per_pixel", "SamplesPerPixel"),
    ("photometric_interpretation", "PhotometricInterpretation"),
    ("bits_allocated", "BitsAllocated"),
    ("bits_stored", "BitsStored"),
    ("high_bit", "HighBit"),
    ("pixel_representation", "PixelRepresentation"),
    ("planar_configuration", "PlanarConfiguration"),
    ("pixel_aspect_ratio", "PixelAspectRatio"),
    ("transfer_syntax", "transfer syntax"),
)

#: Where a Frame Increment Pointer may point, per ``output.multiframe.increment``.
INCREMENT_TARGETS = {"frame-time": "FrameTime", "page-number": "PageNumberVector"}

#: Attributes this step owns; template leftovers are removed when they do not apply.
MULTI_FRAME_KEYWORDS = ("NumberOfFrames", "FrameIncrementPointer", "FrameTime", "PageNumberVector")


def _format_ds(value: float) -> str:
    """A DS string (at most 16 characters) without a needless ``.0``."""
    text = f"{value:.10g}"
    return text if len(text) <= 16 else f"{value:.6g}"


def check_frames_agree(ctx: Context) -> None:
    """Every frame of every input must have the first frame's pixel description."""
    first = ctx.images[0]
    for image in ctx.images[1:]:
        for field_name, label in AGREEING_FIELDS:
            expected = getattr(first.pixels, field_name)
            actual = getattr(image.pixels, field_name)
            if expected != actual:
                raise ConversionError(
                    f"{label} differs between frames: {first.path.name} has {expected}, "
                    f"{image.path.name} has {actual}; all frames of a multi-frame image must agree"
                )
        if (first.pixels.lossy is None) != (image.pixels.lossy is None):
            raise ConversionError(
                f"lossy compression differs between frames: {first.path.name} and {image.path.name}; "
                "all frames of a multi-frame image must agree"
            )


class MultiFrameAttributes:
    """Number of Frames, Frame Increment Pointer with Frame Time or a Page Number Vector."""

    title = "multi-frame"

    def __init__(self, options: MultiFrameOptions) -> None:
        if options.increment not in INCREMENT_TARGETS:
            raise ConversionError(f"unknown frame increment '{options.increment}'")
        self.options = options

    def describe(self) -> str:
        if self.options.increment == "page-number":
            pointer = "Page Number Vector 1..n"
        else:
            pointer = f"Frame Time {_format_ds(self.options.frame_time)} ms (a video's own from its stream)"
        return f"frames must agree; Number of Frames, Frame Increment Pointer -> {pointer} (multi-frame classes)"

    def apply(self, ctx: Context) -> None:
        table = registry.table_for_uid(ctx.sop_class_uid)
        if table is None:
            raise ConversionError(f"no IOD table for SOP class '{ctx.sop_class_uid}'")
        frames = frame_count(ctx)
        builder = ctx.builder
        if table.max_frames is not None and frames > table.max_frames:
            facts = PixelFacts.from_dataset(builder.dataset, ctx.transfer_syntax)
            takers = registry.accepting_families(facts, frames) or [
                name for name, tables in registry.FAMILIES.items() if tables[0].max_frames is None
            ]
            raise ConversionError(
                f"{table.name} holds one frame but {len(ctx.images)} input(s) give {frames} frames; "
                f"use {' or '.join(takers)}"
            )
        check_frames_agree(ctx)
        if table.max_frames is not None:
            self._drop(ctx, MULTI_FRAME_KEYWORDS, f"not part of {table.name}")
            return
        computed = Source(SourceKind.COMPUTED, f"{frames} frame(s)")
        builder.put("NumberOfFrames", frames, computed)
        fip_rule = table.rule("FrameIncrementPointer")
        if frames == 1 and fip_rule is not None and fip_rule.type != "1":
            self._drop(ctx, MULTI_FRAME_KEYWORDS[1:], "only for more than one frame")
            return
        increment = self.options.increment
        if increment not in table.frame_increments:
            raise ConversionError(
                f"frame increment '{increment}' is not available in {table.name}; "
                f"use {' or '.join(table.frame_increments)}"
            )
        target = INCREMENT_TARGETS[increment]
        builder.put("FrameIncrementPointer", Tag(target), computed)
        video = ctx.images[0].video
        if target == "FrameTime" and video is not None:
            from_stream = Source(SourceKind.READER, f"{video.codec} stream timing")
            builder.put("FrameTime", _format_ds(video.frame_time_ms), from_stream)
            builder.put("CineRate", video.cine_rate, from_stream)
        elif target == "FrameTime":
            frame_time, source = self._frame_time(ctx)
            builder.put("FrameTime", _format_ds(frame_time), source)
        else:
            builder.put("PageNumberVector", list(range(1, frames + 1)), computed)
        self._drop(ctx, tuple(k for k in INCREMENT_TARGETS.values() if k != target), "not the frame increment")

    def _frame_time(self, ctx: Context) -> tuple[float, Source]:
        """The animation's own frame duration when every frame has the same one, else the profile's."""
        durations = [d for image in ctx.images for d in image.frame_durations]
        profile = (self.options.frame_time, Source(SourceKind.COMPUTED, "profile frame time"))
        if not self.options.source_timing or not durations or len(durations) != frame_count(ctx):
            return profile
        if len(set(durations)) == 1 and durations[0] > 0:
            return durations[0], Source(SourceKind.READER, f"animation frame duration, {ctx.images[0].path.name}")
        ctx.builder.note(f"frame durations vary ({min(durations):g}-{max(durations):g} ms): Frame Time is "
                         f"output.multiframe.frame_time")
        return profile

    @staticmethod
    def _drop(ctx: Context, keywords: tuple[str, ...], why: str) -> None:
        for keyword in keywords:
            if ctx.builder.has(keyword):
                ctx.builder.remove(keyword)
                ctx.builder.note(f"removed {keyword} ({why})")
