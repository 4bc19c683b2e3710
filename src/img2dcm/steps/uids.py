"""Step 4: Study/Series UIDs when absent, SOP Instance UID always (DCMTK §6).

Study and Series Instance UID are kept when the template or study/series file
gives a value; an empty one in a template is replaced (as DCMTK does outside
import mode). The SOP Instance UID is always new: cleanup removed the template's
and imports never copy one; only a key, applied later, can set it.

With an :class:`~img2dcm.identity.Identity` (deterministic UIDs, or a batch that
groups inputs into series) its UIDs are used instead of random ones, and a batch's
Series Number and Instance Number are set (keys and manifest rows, applied later,
still win).
"""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.identity import Identity
from img2dcm.provenance import Source, SourceKind

#: DCMTK's generation order: series, study, SOP instance (reference §6).
KEPT_IF_GIVEN = ("SeriesInstanceUID", "StudyInstanceUID")


class GenerateUids:
    title = "UIDs"

    def __init__(self, identity: Identity | None = None) -> None:
        self.identity = identity

    def describe(self) -> str:
        what = "new" if self.identity is None else self.identity.how
        return f"{what} Study/Series Instance UID when absent or empty, {what} SOP Instance UID always"

    def apply(self, ctx: Context) -> None:
        identity = self.identity
        root = ctx.uids.root
        if identity is None:
            detail = f"new UID under {root}" if root else "new UID, 2.25 UUID form"
        else:
            detail = identity.how
        generated = Source(SourceKind.GENERATED, detail)
        given = {"SeriesInstanceUID": identity.series_uid, "StudyInstanceUID": identity.study_uid} if identity else {}
        for name in KEPT_IF_GIVEN:
            if not ctx.builder.has_value(name):
                if ctx.builder.has(name):
                    ctx.builder.note(f"{name} was empty in {ctx.builder.source_of(name)}: a new one is made")
                ctx.builder.put(name, given.get(name) or ctx.uids.new(), generated)
        ctx.builder.put("SOPInstanceUID", identity.sop_uid if identity else ctx.uids.new(), generated)
        if identity is not None:
            self.number(ctx, identity)

    @staticmethod
    def number(ctx: Context, identity: Identity) -> None:
        """A batch's numbering; an imported series keeps its own Series Number."""
        grouped = Source(SourceKind.GENERATED, "batch grouping")
        if identity.series_number is not None and ctx.profile.sources.series_from is None:
            ctx.builder.put("SeriesNumber", str(identity.series_number), grouped)
        if identity.instance_number is not None:
            number = identity.instance_number
            if ctx.profile.sources.increment_instance and ctx.builder.has_value("InstanceNumber"):
                # -ii already made it "series file + 1": the batch's n-th object is "+ n"
                number += int(str(ctx.builder.dataset.InstanceNumber)) - 1
            ctx.builder.put("InstanceNumber", str(number), grouped)
