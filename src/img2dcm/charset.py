"""Character sets: one target Specific Character Set, every text value encodable in it.

Values travel as Unicode (pydicom decodes sources; keys are Unicode). At the end
of the pipeline the target set is decided (template's, else the study/series
file's, else ISO_IR 192 when a value needs more than ASCII) and every text value
is checked against it with the profile's policy: strict (fail naming the
attribute and character), transliterate, or discard.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from pydicom import config
from pydicom.charset import encode_string
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.valuerep import PersonName

from img2dcm.errors import CharsetError
from img2dcm.plan import Context
from img2dcm.provenance import Source

#: VRs whose values are encoded with Specific Character Set (PS3.5 §6.1.2.3).
CHARSET_VRS = frozenset({"SH", "LO", "ST", "LT", "UC", "UT", "PN"})
UTF8 = "ISO_IR 192"


def target_terms(dataset: Dataset) -> list[str]:
    """The dataset's Specific Character Set as a list of defined terms ([] = default)."""
    value = dataset.get("SpecificCharacterSet")
    if value is None or value == "":
        return []
    terms = [value] if isinstance(value, str) else list(value)
    return [str(term).strip() for term in terms]


def multi(values: Sequence[str]) -> str:
    """DICOM multi-value text: backslash-separated."""
    return "\\".join(values)


def encodes(text: str, encodings: Sequence[str]) -> bool:
    """True when ``text`` can be written in ``encodings`` without replacement."""
    previous = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = config.RAISE
    try:
        encode_string(text, encodings)
        return True
    except (UnicodeError, ValueError, LookupError):
        return False
    finally:
        config.settings.writing_validation_mode = previous


def transliterate(char: str) -> str:
    """ASCII stand-in: base letter without accents when there is one, else '?'."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base.isascii() else "?"


def fit(text: str, encodings: Sequence[str], policy: str, where: str, label: str = "") -> str:
    """Make ``text`` encodable under ``policy`` or raise CharsetError naming the character."""
    if encodes(text, encodings):
        return text
    out = []
    for char in text:
        if encodes(char, encodings):
            out.append(char)
        elif policy == "strict":
            raise CharsetError(
                f"{where}: character '{char}' (U+{ord(char):04X}) cannot be written in Specific Character Set "
                f"'{label or multi(encodings)}' (use charset conversion transliterate or discard, or a template "
                "with a wider character set such as ISO_IR 192)")
        elif policy == "transliterate":
            out.append(transliterate(char))
    return "".join(out)


def text_elements(dataset: Dataset, prefix: str = "") -> Iterator[tuple[str, Dataset, DataElement]]:
    """Every charset-affected element, recursively, with a readable location."""
    for elem in dataset:
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                yield from text_elements(item, f"{prefix}{elem.keyword or elem.tag}[{index}].")
        elif elem.VR in CHARSET_VRS and elem.value not in (None, ""):
            yield f"{prefix}{elem.keyword or elem.tag}", dataset, elem


def values_of(elem: DataElement) -> list[str]:
    values = elem.value if elem.VM > 1 else [elem.value]
    return [str(v) for v in values]


def needs_more_than_ascii(dataset: Dataset) -> bool:
    return any(not all(v.isascii() for v in values_of(elem)) for _, _, elem in text_elements(dataset))


def import_with_charset(ctx: Context, source: Dataset, names: Sequence[str], origin: Source, policy: str) -> None:
    """Copy ``names`` from a study/series file as Unicode; absent ones become empty.

    When the output has no character set yet, the source's whole Specific
    Character Set is adopted (multi-valued ISO 2022 sets kept whole, unlike DCMTK).
    """
    source.decode()
    builder = ctx.builder
    source_terms = target_terms(source)
    if source_terms and not target_terms(builder.dataset):
        builder.put("SpecificCharacterSet", source_terms if len(source_terms) > 1 else source_terms[0], origin)
    for name in names:
        if name in source and source[name].value not in (None, ""):
            elem = source[name]
            value = elem.value
            if isinstance(value, PersonName):
                value = str(value)
            builder.put(name, value, origin, vr=elem.VR)
        else:
            builder.put_empty(name, origin)
    del policy  # checked once for the whole dataset by ResolveCharacterSet
