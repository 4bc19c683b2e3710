"""Ours: decide the target Specific Character Set and make every text value fit it."""

from __future__ import annotations

from pydicom.charset import convert_encodings

from img2dcm.charset import UTF8, fit, multi, needs_more_than_ascii, target_terms, text_elements, values_of
from img2dcm.errors import CharsetError
from img2dcm.plan import Context
from img2dcm.provenance import Source, SourceKind


class ResolveCharacterSet:
    """Ours: decide the target set and make every text value fit it."""

    title = "character set"

    def __init__(self, policy: str) -> None:
        self.policy = policy

    def describe(self) -> str:
        return (f"check every text value against the target Specific Character Set ({self.policy}); "
                "ISO_IR 192 when none is given and a value needs it")

    def apply(self, ctx: Context) -> None:
        builder = ctx.builder
        terms = target_terms(builder.dataset)
        if not terms:
            if needs_more_than_ascii(builder.dataset):
                builder.put("SpecificCharacterSet", UTF8, Source(SourceKind.INVENTED, "non-ASCII text needs it"))
                builder.note("Specific Character Set ISO_IR 192 (UTF-8) chosen: text values need more than ASCII")
            return
        try:
            encodings = convert_encodings(terms)
        except (LookupError, ValueError) as exc:
            raise CharsetError(f"Specific Character Set '{multi(terms)}' is not supported: {exc}") from None
        for where, dataset, elem in list(text_elements(builder.dataset)):
            values = values_of(elem)
            fitted = [fit(v, encodings, self.policy, where, multi(terms)) for v in values]
            if fitted != values:
                builder.note(f"{where}: characters outside '{multi(terms)}' {self.policy}d")
                new = fitted if elem.VM > 1 else fitted[0]
                dataset[elem.tag].value = new
