"""Ours: the source's ICC profile into ICC Profile (0028,2000).

A template's profile was removed with the other pixel attributes: it described
other pixels (PS3.3 §C.11.15).
"""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind


class SourceIccProfile:
    title = "ICC profile"

    def describe(self) -> str:
        return "copy the first image's embedded ICC profile, if any, into ICC Profile"

    def apply(self, ctx: Context) -> None:
        first = ctx.images[0]
        if first.icc_profile and first.pixels.samples_per_pixel == 3:
            data = first.icc_profile + (b"\0" if len(first.icc_profile) % 2 else b"")
            ctx.builder.put("ICCProfile", data, Source(SourceKind.READER, f"ICC in {first.path.name}"))
        elif first.icc_profile:
            ctx.builder.note(f"{first.path.name}: ICC profile of a grey image not copied "
                             "(the ICC Profile module applies to colour images)")
