"""Character sets: one target Specific Character Set, every text value encodable in it.

Values travel as Unicode: pydicom decodes templates and study/series files with
their own sets, and keys are Unicode. The target set is the template's (or a
key's); without one, a study/series file's set is adopted, and when nothing
gives one and a value needs more than ASCII, ISO_IR 192 is chosen. Every text
value is then checked against the target with the profile's policy: strict
(fail naming the attribute, the character and where it came from),
transliterate or discard. See docs/charsets.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydicom import config
from pydicom.charset import convert_encodings, encode_string, python_encoding
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

from img2dcm.errors import CharsetError
from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind

#: VRs whose values are encoded with Specific Character Set (PS3.5 §6.1.2.3).
CHARSET_VRS = frozenset({"SH", "LO", "ST", "LT", "UC", "UT", "PN"})
UTF8 = "ISO_IR 192"

#: pydicom's codec name for the default repertoire (ISO IR 6). Python reads it as
#: Latin-1, which would let 'é' through; for checks it must mean ASCII.
PYDICOM_DEFAULT = "iso8859"

#: Provenance kinds whose detail names a file or a profile/command-line position,
#: so an error about their text can start with that location.
LOCATED_KINDS = frozenset({SourceKind.TEMPLATE, SourceKind.STUDY_FILE, SourceKind.SERIES_FILE, SourceKind.KEY})

#: The policies of ``charset.conversion`` (DCMTK -Ct / -Cd; strict is the default).
POLICIES = ("strict", "transliterate", "discard")


class Unencodable(Exception):
    """A character the target set cannot hold (internal; turned into CharsetError)."""

    def __init__(self, char: str) -> None:
        self.char = char
        super().__init__(char)


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


def unknown_terms(terms: Sequence[str]) -> list[str]:
    """Terms pydicom has no codec for (it would silently fall back to ASCII)."""
    return [term for term in terms if term and term not in python_encoding]


def python_encodings(terms: Sequence[str]) -> list[str]:
    """Python codecs for ``terms``, in order; the first stands for a missing first value."""
    return convert_encodings(list(terms) or [""])


def check_encodings(encodings: Sequence[str]) -> list[str]:
    """``encodings`` with the default repertoire taken as strict ASCII."""
    return ["ascii" if encoding == PYDICOM_DEFAULT else encoding for encoding in encodings]


def encodes(text: str, encodings: Sequence[str]) -> bool:
    """True when ``text`` can be written in ``encodings`` without replacement."""
    previous = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = config.RAISE
    try:
        encode_string(text, check_encodings(encodings))
        return True
    except (UnicodeError, ValueError, LookupError):
        return False
    finally:
        config.settings.writing_validation_mode = previous


def transliterate(char: str, encodings: Sequence[str]) -> str:
    """A stand-in the target can hold: the letter without its accents, else '?'.

    '?' for letters without a decomposition (Ł, ß) is what DCMTK 3.7.0's -Ct gives.
    """
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base != char and encodes(base, encodings) else "?"


def fit(text: str, encodings: Sequence[str], policy: str) -> str:
    """``text`` made encodable under ``policy``; raise :class:`Unencodable` when strict."""
    if encodes(text, encodings):
        return text
    out = []
    for char in text:
        if encodes(char, encodings):
            out.append(char)
        elif policy == "strict":
            raise Unencodable(char)
        elif policy == "transliterate":
            out.append(transliterate(char, encodings))
    return "".join(out)


#: Readers split the encoded bytes of multi-valued VRs on 0x5C before decoding them (pydicom
#: does). In sets with two-byte codes (ISO 2022 IR 87 and 159 in G0, GBK, GB18030) 0x5C can be
#: half of a character: JIS X 0208 'к' is 0x27 0x5C. (PN's '^' and '=' are not checked: the
#: standard's own ISO 2022 IR 87 examples, PS3.5 Annex H, hold 0x5E inside 'ま', and readers
#: split names after decoding.)
SINGLE_VALUED_VRS = frozenset({"LT", "ST", "UT", "UR"})


def delimiters(vr: str) -> str:
    """The characters whose bytes a reader of ``vr`` splits values on before decoding."""
    return "" if vr in SINGLE_VALUED_VRS else "\\"


def ambiguous_byte(text: str, vr: str, encodings: Sequence[str]) -> str | None:
    """A delimiter whose byte the encoded ``text`` holds more often than the text has the character.

    Such a value is split by readers where it should not be; None when unambiguous.
    """
    marks = delimiters(vr)
    if not marks or text.isascii():
        return None
    previous = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = config.RAISE
    try:
        encoded = encode_string(text, check_encodings(encodings))
    except (UnicodeError, ValueError, LookupError):
        return None  # not encodable at all: reported as such elsewhere
    finally:
        config.settings.writing_validation_mode = previous
    for mark in marks:
        if encoded.count(mark.encode("ascii")) > text.count(mark):
            return mark
    return None


def char_label(char: str) -> str:
    """A character for a message: quoted, or only its code point when it cannot be printed (a lone surrogate)."""
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"U+{ord(char):04X} (a lone surrogate, not a character: the input was not valid UTF-8/UTF-16)"
    return f"'{char}' (U+{ord(char):04X})"


@dataclass(frozen=True)
class TextValue:
    """One charset-affected element, where it sits, and the top-level tag owning it."""

    where: str  # "PatientName" or "RequestAttributesSequence[0].ScheduledProcedureStepID"
    top: BaseTag
    dataset: Dataset
    elem: DataElement


def text_elements(dataset: Dataset, prefix: str = "", top: BaseTag | None = None) -> Iterator[TextValue]:
    """Every non-empty charset-affected element, recursively, in dataset order."""
    for elem in dataset:
        owner = top if top is not None else elem.tag
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                yield from text_elements(item, f"{prefix}{elem.keyword or elem.tag}[{index}].", owner)
        elif elem.VR in CHARSET_VRS and elem.value not in (None, ""):
            yield TextValue(f"{prefix}{elem.keyword or elem.tag}", owner, dataset, elem)


def values_of(elem: DataElement) -> list[str]:
    """The element's values as text (one entry per value)."""
    values = elem.value if elem.VM > 1 else [elem.value]
    return [str(v) for v in values]


def needs_more_than_ascii(dataset: Dataset) -> bool:
    return any(not all(v.isascii() for v in values_of(t.elem)) for t in text_elements(dataset))


def location(source: Source | None) -> str | None:
    """The file or FILE:LINE an error about text from ``source`` should start with."""
    if source is not None and source.kind in LOCATED_KINDS and source.detail:
        return source.detail
    return None


def described(source: Source) -> str:
    """'the template t.dcm', 'the key at p.yaml:4', 'the generated (...)' for messages."""
    if source.kind is SourceKind.KEY:
        return f"the key at {source.detail}"
    if source.kind in LOCATED_KINDS:
        return f"the {source.kind.value} {source.detail}"
    return f"the {source}"


def origin_phrase(source: Source | None) -> str:
    """'the study file', 'the key', 'the reader (jpeg a.jpg)' ... for messages."""
    if source is None:
        return "an unknown source"
    if source.kind in LOCATED_KINDS:
        return f"the {source.kind.value}"
    return f"the {source}"


def unencodable_error(value: TextValue, char: str, terms: Sequence[str], source: Source | None,
                      target: Source | None) -> CharsetError:
    """One line naming the attribute, the character, where it came from and the target set."""
    chosen_by = f" of {described(target)}" if target is not None else ""
    way_out = ("fix the text's encoding" if 0xD800 <= ord(char) <= 0xDFFF
               else "use a template with a wider set such as ISO_IR 192")
    return CharsetError(
        f"{value.where}: character {char_label(char)} from {origin_phrase(source)} cannot be written "
        f"in Specific Character Set '{multi(terms)}'{chosen_by}; {way_out}, or charset.conversion "
        "transliterate or discard (-Ct/-Cd)",
        location(source),
    )


def as_text(value: object) -> object:
    """Person names as plain Unicode, so they are encoded afresh in the target set."""
    if isinstance(value, PersonName):
        return str(value)
    if isinstance(value, MultiValue) and any(isinstance(v, PersonName) for v in value):
        return [str(v) for v in value]
    return value


def import_with_charset(ctx: Context, source: Dataset, names: Sequence[str], origin: Source) -> list[str]:
    """Copy ``names`` from a study/series file as Unicode; absent ones become empty.

    Returns the names the source lacked. When the output has no character set
    yet, the source's whole Specific Character Set is adopted (multi-valued ISO
    2022 sets kept whole, unlike DCMTK which keeps the first value). Only the
    copied values are later checked against the target, not the whole file
    (DCMTK converts the whole file, reference §18.14).
    """
    source.decode()
    builder = ctx.builder
    source_terms = target_terms(source)
    if source_terms and not target_terms(builder.dataset):
        builder.put("SpecificCharacterSet", source_terms if len(source_terms) > 1 else source_terms[0], origin)
    lacking: list[str] = []
    for name in names:
        if name in source and source[name].value not in (None, ""):
            elem = source[name]
            builder.put(name, as_text(elem.value), origin, vr=elem.VR)
        else:
            lacking.append(name)
            builder.put_empty(name, origin)
    return lacking
