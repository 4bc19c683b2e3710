"""Step 3: increment Instance Number (DCMTK -ii), after template and study/series import."""

from __future__ import annotations

from img2dcm.charset import location
from img2dcm.errors import ConversionError
from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind

#: DCMTK reads Instance Number as a signed 32-bit integer (reference §5).
INT32_MAX = 2**31 - 1


class IncrementInstanceNumber:
    title = "instance number"

    def describe(self) -> str:
        return "Instance Number of the template or study/series file, plus one"

    def apply(self, ctx: Context) -> None:
        elem = ctx.builder.dataset["InstanceNumber"] if ctx.builder.has("InstanceNumber") else None
        previous = ctx.builder.source_of("InstanceNumber")
        text = str(elem.value).strip() if elem is not None and elem.value is not None else ""
        try:
            number = int(text)
        except ValueError:
            where = f" ({previous} has '{text}')" if text else f" ({previous} has it empty)" if previous else ""
            raise ConversionError("cannot increment Instance Number: no numeric Instance Number in the template "
                                  f"or study/series file{where}; give one, or drop increment_instance (-ii)",
                                  location(previous)) from None
        if not -INT32_MAX - 1 <= number < INT32_MAX:
            raise ConversionError(f"cannot increment Instance Number {number}: outside the 32-bit range DICOM IS allows")
        detail = f"{previous} + 1" if previous else "+1"
        ctx.builder.put("InstanceNumber", str(number + 1), Source(SourceKind.COMPUTED, detail))
