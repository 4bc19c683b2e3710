"""Step 8: keys (dcmodify paths), in order, after everything else and before the checks."""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.profile.model import KeySpec


class ApplyKeys:
    title = "keys"

    def __init__(self, keys: tuple[KeySpec, ...]) -> None:
        self.keys = keys

    def describe(self) -> str:
        shown = ", ".join(k.path for k in self.keys[:4]) + (" ..." if len(self.keys) > 4 else "")
        return f"apply {len(self.keys)} key(s) in order: {shown}"

    def apply(self, ctx: Context) -> None:
        from img2dcm.errors import KeyPathError
        from img2dcm.keys.apply import apply_key

        for spec in self.keys:
            try:
                apply_key(ctx.builder, spec)
            except KeyPathError as exc:  # name the key's FILE:LINE / -k position, not the input image
                raise KeyPathError(exc.message, spec.origin or exc.path) from None
