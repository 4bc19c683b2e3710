"""Step 8: keys (dcmodify paths), in order, after everything else and before the checks.

A batch manifest row is applied by the same step right after the profile's keys,
through the same VR checks, recorded as ``manifest (FILE:LINE)``.
"""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.profile.model import KeySpec
from img2dcm.provenance import SourceKind


class ApplyKeys:
    def __init__(self, keys: tuple[KeySpec, ...], kind: SourceKind = SourceKind.KEY) -> None:
        self.keys = keys
        self.kind = kind
        self.title = "keys" if kind is SourceKind.KEY else "manifest row"

    def describe(self) -> str:
        shown = ", ".join(k.path for k in self.keys[:4]) + (" ..." if len(self.keys) > 4 else "")
        if self.kind is SourceKind.MANIFEST:
            return f"apply the manifest row {self.keys[0].origin}: {shown}"
        return f"apply {len(self.keys)} key(s) in order: {shown}"

    def apply(self, ctx: Context) -> None:
        from img2dcm.errors import KeyPathError
        from img2dcm.keys.apply import apply_key

        for spec in self.keys:
            try:
                apply_key(ctx.builder, spec, self.kind)
            except KeyPathError as exc:  # name the key's FILE:LINE / -k position, not the input image
                raise KeyPathError(exc.message, spec.origin or exc.path) from None
