"""Step 4: Study/Series UIDs when absent, SOP Instance UID always (DCMTK §6).

Study and Series Instance UID are kept when the template or study/series file
gives a value; an empty one in a template is replaced (as DCMTK does outside
import mode). The SOP Instance UID is always new: cleanup removed the template's
and imports never copy one; only a key, applied later, can set it.
"""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind

#: DCMTK's generation order: series, study, SOP instance (reference §6).
KEPT_IF_GIVEN = ("SeriesInstanceUID", "StudyInstanceUID")


class GenerateUids:
    title = "UIDs"

    def describe(self) -> str:
        return "new Study/Series Instance UID when absent or empty, new SOP Instance UID always"

    def apply(self, ctx: Context) -> None:
        root = ctx.uids.root
        generated = Source(SourceKind.GENERATED, f"new UID under {root}" if root else "new UID, 2.25 UUID form")
        for name in KEPT_IF_GIVEN:
            if not ctx.builder.has_value(name):
                if ctx.builder.has(name):
                    ctx.builder.note(f"{name} was empty in {ctx.builder.source_of(name)}: a new one is made")
                ctx.builder.put(name, ctx.uids.new(), generated)
        ctx.builder.put("SOPInstanceUID", ctx.uids.new(), generated)
