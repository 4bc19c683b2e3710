"""Ours: decide the target Specific Character Set and make every text value fit it.

Runs after the keys, so key values are checked like everything else. Errors name
the attribute, the character and where the text came from (template, study or
series file, key at FILE:LINE), never just the input image.
"""

from __future__ import annotations

from img2dcm.charset import (
    UTF8,
    TextValue,
    ambiguous_byte,
    char_label,
    described,
    origin_phrase,
    Unencodable,
    fit,
    location,
    multi,
    needs_more_than_ascii,
    python_encodings,
    target_terms,
    text_elements,
    unencodable_error,
    unknown_terms,
    values_of,
)
from img2dcm.errors import CharsetError
from img2dcm.context import Context
from img2dcm.provenance import DatasetBuilder, Source, SourceKind

#: Sources whose Specific Character Set is binding. One adopted from a study/series
#: file is not: when another value needs more, ISO_IR 192 replaces it losslessly.
BINDING_KINDS = frozenset({SourceKind.TEMPLATE, SourceKind.KEY})


class ResolveCharacterSet:
    """Decide the target set and make every text value fit it."""

    title = "character set"

    def __init__(self, policy: str) -> None:
        self.policy = policy

    def describe(self) -> str:
        return (f"check every text value against the target Specific Character Set ({self.policy}); "
                "ISO_IR 192 when none is given and a value needs it")

    def apply(self, ctx: Context) -> None:
        builder = ctx.builder
        terms = target_terms(builder.dataset)
        target = builder.source_of("SpecificCharacterSet")
        owner = described(target) if target is not None else "the data set"
        if not terms:
            if needs_more_than_ascii(builder.dataset):
                choose_utf8(builder, "text values need more than ASCII and no character set was given")
                self.fit_all(builder, [UTF8], builder.source_of("SpecificCharacterSet"), binding=True)
            return
        binding = target is not None and target.kind in BINDING_KINDS
        unknown = unknown_terms(terms)
        if unknown:
            raise CharsetError(f"Specific Character Set '{multi(terms)}' of {owner}: '{unknown[0]}' is not a "
                               "defined term we can encode", location(target))
        problem = self.fit_all(builder, terms, target, binding)
        if problem is not None:
            choose_utf8(builder, f"{problem}, which '{multi(terms)}' of {owner} cannot hold unambiguously")
            self.fit_all(builder, [UTF8], builder.source_of("SpecificCharacterSet"), binding=True)

    def fit_all(self, builder: DatasetBuilder, terms: list[str], target: Source | None, binding: bool) -> str | None:
        """Fit every text value to ``terms``; a binding set fails, another returns why it cannot serve."""
        encodings = python_encodings(terms)
        for value in list(text_elements(builder.dataset)):
            source = builder.source_of(value.top)
            try:
                self.fit_value(builder, value, encodings, self.policy if binding else "strict", terms)
            except Unencodable as exc:
                if binding:
                    raise unencodable_error(value, exc.char, terms, source, target) from None
                return f"{value.where} from {source} needs {char_label(exc.char)}"
            for text in values_of(value.elem):
                mark = ambiguous_byte(text, value.elem.VR, encodings)
                if mark is None:
                    continue
                if binding:
                    raise ambiguous_error(value, text, mark, terms, source, target)
                return f"{value.where} from {source} encodes to a byte readers take as '{mark}'"
        return None

    def fit_value(self, builder: DatasetBuilder, value: TextValue, encodings: list[str], policy: str,
                  terms: list[str]) -> None:
        """Replace the element's values by fitted ones, noting any change for the report."""
        values = values_of(value.elem)
        fitted = [fit(v, encodings, policy) for v in values]
        if fitted != values:
            verb = "transliterated" if policy == "transliterate" else "discarded"
            shown = multi(values).encode("utf-8", "backslashreplace").decode("utf-8")
            builder.note(f"{value.where}: characters outside '{multi(terms)}' {verb}: "
                         f"'{shown}' -> '{multi(fitted)}'")
            value.dataset[value.elem.tag].value = fitted if value.elem.VM > 1 else fitted[0]


def ambiguous_error(value: TextValue, text: str, mark: str, terms: list[str], source: Source | None,
                    target: Source | None) -> CharsetError:
    """One line: the value would be split by readers in the target set."""
    chosen_by = f" of {described(target)}" if target is not None else ""
    return CharsetError(
        f"{value.where}: '{text}' from {origin_phrase(source)} encoded in Specific Character Set "
        f"'{multi(terms)}'{chosen_by} holds the byte of the value separator '{mark}' (0x5C) inside a two-byte "
        "character, which readers split into two values; use a template with ISO_IR 192 or change the value",
        location(source),
    )


def choose_utf8(builder: DatasetBuilder, reason: str) -> None:
    """Write ISO_IR 192 (UTF-8 holds every character) and say why in the report."""
    builder.put("SpecificCharacterSet", UTF8, Source(SourceKind.INVENTED, "non-ASCII text needs it"))
    builder.note(f"Specific Character Set {UTF8} (UTF-8) chosen: {reason}")
