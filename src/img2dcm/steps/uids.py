"""Step 4: Study/Series UIDs when absent, SOP Instance UID always (DCMTK §6)."""

from __future__ import annotations

from img2dcm.plan import Context
from img2dcm.provenance import Source, SourceKind


class GenerateUids:
    title = "UIDs"

    def describe(self) -> str:
        return "new Study/Series Instance UID when absent or empty, new SOP Instance UID always"

    def apply(self, ctx: Context) -> None:
        generated = Source(SourceKind.GENERATED, "new UID")
        for name in ("SeriesInstanceUID", "StudyInstanceUID"):  # DCMTK's order
            if not ctx.builder.has_value(name):
                ctx.builder.put(name, ctx.uids.new(), generated)
        ctx.builder.put("SOPInstanceUID", ctx.uids.new(), generated)
