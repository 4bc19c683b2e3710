"""Step 3: increment Instance Number (DCMTK -ii)."""

from __future__ import annotations

from img2dcm.errors import ConversionError
from img2dcm.plan import Context
from img2dcm.provenance import Source, SourceKind


class IncrementInstanceNumber:
    title = "instance number"

    def describe(self) -> str:
        return "increment Instance Number taken from the template or source file"

    def apply(self, ctx: Context) -> None:
        value = ctx.builder.dataset.get("InstanceNumber")
        try:
            number = int(str(value).strip()) if value is not None else int("")
        except (TypeError, ValueError):
            raise ConversionError("cannot increment Instance Number: the template or source file has no "
                                  "numeric Instance Number (give one, or drop increment_instance)") from None
        previous = ctx.builder.source_of("InstanceNumber")
        detail = f"{previous} + 1" if previous else "+1"
        ctx.builder.put("InstanceNumber", str(number + 1), Source(SourceKind.COMPUTED, detail))
