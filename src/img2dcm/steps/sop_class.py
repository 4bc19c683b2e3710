"""SOP class step: choose the exact class from the pixels and set what the class implies.

Runs after the Image Pixel module (DCMTK's plugin ``convert()``, reference §3):
SOP Class UID, the class-fixed values of its table (Modality OT/XC/OP, the grey
multi-frame SC rescale and Presentation LUT attributes...) and the pixel-format /
photometric / transfer-syntax permission check, failing with a message that names
a class accepting the image.
"""

from __future__ import annotations

from img2dcm.iods import registry
from img2dcm.iods.model import DefaultContext, PixelFacts
from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind


def default_context(ctx: Context) -> DefaultContext:
    """What table defaults may use: the run's clock and UIDs, the sources' lossiness."""
    return DefaultContext(
        now=ctx.now,
        new_uid=ctx.uids.new,
        lossy=any(image.pixels.lossy is not None for image in ctx.images),
    )


def frame_count(ctx: Context) -> int:
    """All frames of all inputs (a multi-page TIFF is one image with several frames, a video many)."""
    return sum(image.frame_count for image in ctx.images)


class ApplySopClass:
    """Pick the SOP class of a family (``output.sop_class``) and apply its fixed values."""

    title = "SOP class"

    def __init__(self, family: str) -> None:
        registry.tables_of(family)  # unknown names fail at compile time
        self.family = family

    def describe(self) -> str:
        names = ", ".join(t.name for t in registry.tables_of(self.family))
        if len(registry.tables_of(self.family)) == 1:
            return f"{names}; check the pixel format, set SOP Class UID and class values"
        return f"{self.family}: one of {names}, chosen from the pixels; set class values"

    def apply(self, ctx: Context) -> None:
        builder = ctx.builder
        facts = PixelFacts.from_dataset(builder.dataset, ctx.transfer_syntax)
        table = registry.choose(self.family, facts, frame_count(ctx))
        ctx.sop_class_uid = table.uid
        ctx.sop_class_name = table.name
        source = Source(SourceKind.SOP_CLASS, table.name)
        builder.put("SOPClassUID", table.uid, source)
        dctx = default_context(ctx)
        for fixed in table.fixed:
            if fixed.when is not None and not fixed.when.holds(builder.dataset):
                continue
            if not fixed.overwrite and builder.has_value(fixed.keyword):
                continue
            builder.put(fixed.keyword, fixed.default.resolve(dctx), source)
        builder.note(f"SOP class {table.name} ({table.uid}, PS3.3 §{table.section}) for {facts.describe()}")
