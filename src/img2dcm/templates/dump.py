"""Read a dump2dcm text dump (dcmdump's default output) as a template.

Text values are bytes in the dump's SpecificCharacterSet, so every value is first turned
into the bytes a DICOM file would hold and then converted by pydicom's own raw-element
conversion with the character set in force at that level, exactly as when reading a file.
"""

from __future__ import annotations

import logging
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from pydicom._uid_dict import UID_dictionary
from pydicom.charset import convert_encodings, default_encoding
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag, Tag

from img2dcm.errors import TemplateError
from img2dcm.templates.dicom import ILLEGAL_GROUPS, pydicom_warnings

logger = logging.getLogger(__name__)

#: struct format of one value of each binary number VR (little endian on disk).
NUMBER_FORMATS: dict[str, str] = {
    "US": "H", "SS": "h", "UL": "L", "SL": "l", "UV": "Q", "SV": "q",
    "FL": "f", "FD": "d", "OF": "f", "OD": "d", "OL": "L", "OV": "Q",
}  # fmt: skip

#: Bytes per hexadecimal token for the byte/word VRs written as hex by DCMTK.
HEX_WIDTHS: dict[str, int] = {"OB": 1, "UN": 1, "OW": 2}

#: VRs a value of which is text (bytes in the data set's character set).
TEXT_VRS: frozenset[str] = frozenset(
    "AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT".split()
)

#: Every VR a dump or XML document may name for a data element.
KNOWN_VRS: frozenset[str] = TEXT_VRS | frozenset(NUMBER_FORMATS) | frozenset(HEX_WIDTHS) | {
    "AT",
    "SQ",
}

#: DCMTK-internal VR names (dcmdump/dcm2xml) and what we store instead; ambiguous
#: dictionary VRs ("US or SS", "OB or OW", ...) take their first alternative.
INTERNAL_VRS: dict[str, str] = {"xs": "US", "ox": "OB", "lt": "OW", "up": "UL", "??": "UN"}

#: DCMTK's UID names (dcuid.h, as printed by dcmdump 3.6.7) that match neither pydicom's
#: UID keyword nor its UID name; found by dumping every UID in pydicom's dictionary.
DCMTK_UID_NAMES: dict[str, str] = {
    "LittleEndianImplicit": "1.2.840.10008.1.2",
    "LittleEndianExplicit": "1.2.840.10008.1.2.1",
    "DeflatedLittleEndianExplicit": "1.2.840.10008.1.2.1.99",
    "BigEndianExplicit": "1.2.840.10008.1.2.2",
    "JPEGBaseline": "1.2.840.10008.1.2.4.50",
    "JPEGExtended:Process2+4": "1.2.840.10008.1.2.4.51",
    "JPEGExtended:Process3+5": "1.2.840.10008.1.2.4.52",
    "JPEGSpectralSelection:Non-hierarchical:Process6+8": "1.2.840.10008.1.2.4.53",
    "JPEGSpectralSelection:Non-hierarchical:Process7+9": "1.2.840.10008.1.2.4.54",
    "JPEGFullProgression:Non-hierarchical:Process10+12": "1.2.840.10008.1.2.4.55",
    "JPEGFullProgression:Non-hierarchical:Process11+13": "1.2.840.10008.1.2.4.56",
    "JPEGExtended:Hierarchical:Process16+18": "1.2.840.10008.1.2.4.59",
    "JPEGExtended:Hierarchical:Process17+19": "1.2.840.10008.1.2.4.60",
    "JPEGSpectralSelection:Hierarchical:Process20+22": "1.2.840.10008.1.2.4.61",
    "JPEGSpectralSelection:Hierarchical:Process21+23": "1.2.840.10008.1.2.4.62",
    "JPEGFullProgression:Hierarchical:Process24+26": "1.2.840.10008.1.2.4.63",
    "JPEGFullProgression:Hierarchical:Process25+27": "1.2.840.10008.1.2.4.64",
    "JPEGLossless:Non-hierarchical-1stOrderPrediction": "1.2.840.10008.1.2.4.70",
    "JPEGLSLossy": "1.2.840.10008.1.2.4.81",
    "JPEG2000LosslessOnly": "1.2.840.10008.1.2.4.90",
    "JPEG2000MulticomponentLosslessOnly": "1.2.840.10008.1.2.4.92",
    "JPEG2000Multicomponent": "1.2.840.10008.1.2.4.93",
    "MPEG4HighProfile/Level4.1": "1.2.840.10008.1.2.4.102",
    "MPEG4BDcompatibleHighProfile/Level4.1": "1.2.840.10008.1.2.4.103",
    "MPEG4HighProfile/Level4.2For2DVideo": "1.2.840.10008.1.2.4.104",
    "MPEG4HighProfile/Level4.2For3DVideo": "1.2.840.10008.1.2.4.105",
    "MPEG4StereoHighProfile/Level4.2": "1.2.840.10008.1.2.4.106",
    "HEVCMainProfile/Level5.1": "1.2.840.10008.1.2.4.107",
    "HEVCMain10Profile/Level5.1": "1.2.840.10008.1.2.4.108",
    "DICOMUIDRegistryCodingScheme": "1.2.840.10008.2.6.1",
    "DICOMControlledTerminologyCodingScheme": "1.2.840.10008.2.16.4",
    "StandardApplicationContext": "1.2.840.10008.3.1.1.1",
    "RETIRED_VLImageStorage": "1.2.840.10008.5.1.4.1.1.77.1",
    "RETIRED_VLMultiframeImageStorage": "1.2.840.10008.5.1.4.1.1.77.2",
    "DRAFT_SRTextStorage": "1.2.840.10008.5.1.4.1.1.88.1",
    "DRAFT_SRAudioStorage": "1.2.840.10008.5.1.4.1.1.88.2",
    "DRAFT_SRDetailStorage": "1.2.840.10008.5.1.4.1.1.88.3",
    "DRAFT_SRComprehensiveStorage": "1.2.840.10008.5.1.4.1.1.88.4",
    "ImplantationPlanSRDocumentStorage": "1.2.840.10008.5.1.4.1.1.88.70",
    "DRAFT_UnifiedProcedureStepPushSOPClass": "1.2.840.10008.5.1.4.34.4.1",
    "DRAFT_UnifiedProcedureStepWatchSOPClass": "1.2.840.10008.5.1.4.34.4.2",
    "DRAFT_UnifiedProcedureStepPullSOPClass": "1.2.840.10008.5.1.4.34.4.3",
    "DRAFT_UnifiedProcedureStepEventSOPClass": "1.2.840.10008.5.1.4.34.4.4",
    "FINDColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.2",
    "MOVEColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.3",
    "GETColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.4",
    "UniversalCoordinatedTimeSynchronizationFrameOfReference": "1.2.840.10008.15.1.1",
    "StandardRoboticCoordinateSystemFrameOfReference": "1.2.840.10008.1.4.3.2",
    "SRI24FrameOfReferenc": "1.2.840.10008.1.4.4.1",  # (sic) spelled so by DCMTK
}

_TAG_RE = re.compile(rb"^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)")
_AT_RE = re.compile(r"^\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\)?$")
_ITEM, _ITEM_END, _SEQ_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
_PIXEL_DATA = 0x7FE00010


def _normalise(name: str) -> str:
    """Lower-case ``name`` and drop everything but letters and digits."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _uid_indexes() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Normalised pydicom UID keywords and names, each mapping to the UIDs carrying it."""
    by_keyword: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for uid, entry in UID_dictionary.items():
        by_keyword.setdefault(_normalise(entry[4]), set()).add(uid)
        by_name.setdefault(_normalise(entry[0]), set()).add(uid)
    return by_keyword, by_name


_UIDS_BY_KEYWORD, _UIDS_BY_NAME = _uid_indexes()


def _name_candidates(name: str) -> list[str]:
    """Spellings of a DCMTK UID name in pydicom's style (prefix/suffix conventions differ)."""
    body, suffix = name, ""
    m = re.match(r"(RETIRED|DRAFT|DICONDE|LDAP)_(.*)", body)
    if m:
        body, suffix = m.group(2), {"RETIRED": "Retired", "DRAFT": "Trial"}.get(m.group(1), "")
    unprefixed = [body + suffix, body]
    body = re.sub(r"SOPClass$", "", body)
    body = re.sub(r"SOPInstance$", "Instance", body)
    body = re.sub(r"FrameOfReference$", "", body)
    m = re.match(r"(FIND|MOVE|GET)(.+)", body)
    if m:
        body = m.group(2) + m.group(1).capitalize()
    return [name, *unprefixed, body + suffix, body]


def resolve_uid_name(name: str) -> str | None:
    """The UID a ``=Name`` in a dump stands for (DCMTK or pydicom spelling), or None."""
    if name in DCMTK_UID_NAMES:
        return DCMTK_UID_NAMES[name]
    for index in (_UIDS_BY_KEYWORD, _UIDS_BY_NAME):
        for candidate in _name_candidates(name):
            hits = index.get(_normalise(candidate))
            if hits and len(hits) == 1:
                return next(iter(hits))
    return None


def resolve_vr(tag: int, vr: str | None) -> str:
    """The VR to store: the given one if valid, else the dictionary's (ValueError if none)."""
    if vr is not None:
        if vr in KNOWN_VRS:
            return vr
        if vr in INTERNAL_VRS:
            return INTERNAL_VRS[vr]
    try:
        known = dictionary_VR(tag)
    except KeyError:
        raise ValueError(
            f"unknown VR for ({tag >> 16:04x},{tag & 0xFFFF:04x}): give one of the DICOM VRs"
        ) from None
    return known.split(" or ")[0]


def encode_tags(text: str) -> bytes:
    """``(gggg,eeee)\\(gggg,eeee)`` (also without brackets/comma) as AT bytes."""
    out = bytearray()
    for token in filter(None, (t.strip() for t in text.split("\\"))):
        m = _AT_RE.match(token)
        if m is None:
            raise ValueError(f"invalid AT value '{token}', expected (gggg,eeee)")
        out += struct.pack("<HH", int(m.group(1), 16), int(m.group(2), 16))
    return bytes(out)


def encode_numbers(vr: str, text: str) -> bytes:
    """Backslash-separated numbers as the little-endian bytes of ``vr``."""
    fmt = NUMBER_FORMATS[vr]
    out = bytearray()
    for token in filter(None, (t.strip() for t in text.split("\\"))):
        try:
            number: int | float = float(token) if fmt in "fd" else int(token, 10)
            out += struct.pack("<" + fmt, number)
        except (ValueError, struct.error):
            raise ValueError(f"invalid {vr} value '{token}'") from None
    return bytes(out)


def encode_hex(vr: str, text: str) -> bytes:
    """Backslash-separated hex numbers (bytes for OB/UN, words for OW) as bytes."""
    width = HEX_WIDTHS.get(vr, 1)
    fmt = {1: "B", 2: "H", 4: "L", 8: "Q"}[width]
    out = bytearray()
    for token in filter(None, (t.strip() for t in text.split("\\"))):
        try:
            out += struct.pack("<" + fmt, int(token, 16))
        except (ValueError, struct.error):
            raise ValueError(f"invalid {vr} hex value '{token}'") from None
    return bytes(out)


def encode_binary(vr: str, text: str) -> bytes:
    """Value bytes of a non-text, non-sequence VR written as text (dump or XML)."""
    if vr == "AT":
        return encode_tags(text)
    if vr in NUMBER_FORMATS:
        return encode_numbers(vr, text)
    return encode_hex(vr, text)


def read_beside(base: Path, name: str) -> bytes:
    """Raw bytes of ``name`` relative to ``base``'s folder; it must stay inside that folder."""
    folder = base.resolve().parent
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):
        raise ValueError(f"value file '{name}' is outside the template's folder")
    try:
        return target.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read value file '{name}': {exc.strerror}") from None


@dataclass
class _Node:
    """One element of the dump before character-set decoding."""

    tag: int
    vr: str
    value: bytes = b""
    items: list[dict[int, "_Node"]] | None = None
    line: int = 0


@dataclass
class _Open:
    """A sequence being read: where its items go and where it started."""

    node: _Node
    item: dict[int, _Node] | None = None
    line: int = 0
    skipped: bool = False  # encapsulated pixel data: items are read and dropped


@dataclass
class _Parser:
    """Line-by-line state of one dump."""

    path: Path
    top: dict[int, _Node] = field(default_factory=dict)
    stack: list[_Open] = field(default_factory=list)

    def fail(self, line: int, reason: str) -> TemplateError:
        """An error naming ``file:line``."""
        return TemplateError(reason, f"{self.path}:{line}")

    def level(self, line: int) -> dict[int, _Node] | None:
        """The data set new elements go into (None while skipping pixel items)."""
        if not self.stack:
            return self.top
        current = self.stack[-1]
        if current.skipped:
            return None
        if current.item is None:
            raise self.fail(line, "element inside a sequence but outside an item")
        return current.item

    def feed(self, number: int, raw: bytes) -> None:
        """Handle one line of the dump."""
        text = raw.strip()
        if not text or text.startswith(b"#"):
            return
        m = _TAG_RE.match(text)
        if m is None:
            raise self.fail(number, "expected '(gggg,eeee)' at the start of the line")
        tag = int(m.group(1) + m.group(2), 16)
        rest = text[m.end() :].lstrip()
        vr: str | None = None
        vr_match = re.match(rb"^(\S\S)(\s|$)", rest)
        if vr_match is not None:
            token = vr_match.group(1).decode("ascii", "replace")
            if token in KNOWN_VRS or token in INTERNAL_VRS or token in ("na", "pi"):
                vr = token
                rest = rest[2:].lstrip()
        if tag >> 16 == 0xFFFE:
            self.delimiter(number, tag)
            return
        target = self.level(number)
        if target is None:
            return
        if tag >> 16 == 0x0002:
            return  # meta header: ours is written anew
        if tag == _PIXEL_DATA:
            if rest.startswith(b"(PixelSequence"):
                self.stack.append(_Open(_Node(tag, "OB"), line=number, skipped=True))
            return
        try:
            vr = resolve_vr(tag, vr)
        except ValueError as exc:
            raise self.fail(number, str(exc)) from None
        if tag in target:
            raise self.fail(number, f"({tag >> 16:04x},{tag & 0xFFFF:04x}) appears twice")
        if tag >> 16 in ILLEGAL_GROUPS:
            raise self.fail(number, f"({tag >> 16:04x},{tag & 0xFFFF:04x}) is in group {tag >> 16:04x}, "
                                    "which DICOM does not allow")
        node = _Node(tag, vr, line=number)
        target[tag] = node
        if vr == "SQ":
            node.items = []
            self.stack.append(_Open(node, line=number))
            return
        try:
            node.value = self.value(vr, rest)
        except ValueError as exc:
            raise self.fail(number, f"({tag >> 16:04x},{tag & 0xFFFF:04x}) {exc}") from None

    def delimiter(self, number: int, tag: int) -> None:
        """Item start/end and sequence end lines."""
        if not self.stack:
            raise self.fail(number, "item or sequence delimiter outside a sequence")
        current = self.stack[-1]
        if tag == _ITEM:
            if current.item is not None and not current.skipped:
                raise self.fail(number, "new item before the previous one was closed")
            if not current.skipped:
                current.item = {}
                assert current.node.items is not None
                current.node.items.append(current.item)
        elif tag == _ITEM_END:
            if current.item is None and not current.skipped:
                raise self.fail(number, "item end without an open item")
            current.item = None
        elif tag == _SEQ_END:
            if current.item is not None:
                raise self.fail(number, "sequence end inside an open item")
            self.stack.pop()
        else:
            raise self.fail(number, f"unexpected (fffe,{tag & 0xFFFF:04x})")

    def value(self, vr: str, rest: bytes) -> bytes:
        """The value bytes of one line (``rest`` is what follows tag and VR)."""
        if not rest or rest.startswith(b"#") or rest.startswith(b"(") and vr != "AT":
            return b""
        if rest.startswith(b"["):
            end = rest.rfind(b"]")
            if end <= 0:
                raise ValueError("value starts with '[' but has no closing ']'")
            inner = rest[1:end]
            return inner if vr in TEXT_VRS else encode_binary(vr, inner.decode("latin-1"))
        token = rest.split()[0]
        if token.startswith(b"="):
            name = token[1:].decode("latin-1")
            if vr == "UI":
                uid = resolve_uid_name(name)
                if uid is None:
                    raise ValueError(f"unknown UID name '={name}': write the UID itself")
                return uid.encode("ascii")
            if vr in ("OB", "OW", "UN"):
                return read_beside(self.path, name)
        if vr in TEXT_VRS:
            return token
        return encode_binary(vr, token.decode("latin-1"))

    def finish(self) -> None:
        """Fail if a sequence is still open at the end of the file."""
        if self.stack:
            raise self.fail(self.stack[-1].line, "sequence is not closed by the end of the file")


def _character_set(level: dict[int, _Node], inherited: list[str]) -> list[str]:
    """The encodings for a level: its own SpecificCharacterSet or the one inherited."""
    node = level.get(0x00080005)
    if node is None or not node.value.strip():
        return inherited
    terms = [t.strip().decode("ascii", "replace") for t in node.value.split(b"\\")]
    return convert_encodings(terms)


def _build(path: Path, level: dict[int, _Node], inherited: list[str]) -> Dataset:
    """Turn parsed nodes into a dataset, decoding text with the level's character set."""
    encodings = _character_set(level, inherited)
    ds = Dataset()
    for tag in sorted(level):
        node = level[tag]
        if node.items is not None:
            items = [_build(path, item, encodings) for item in node.items]
            ds.add(DataElement(BaseTag(tag), "SQ", Sequence(items)))
            continue
        raw = RawDataElement(Tag(tag), node.vr, len(node.value), node.value, 0, False, True)
        try:
            ds.add(convert_raw_data_element(raw, encoding=encodings, ds=ds))
        except (ValueError, TypeError, LookupError) as exc:
            raise TemplateError(str(exc), f"{path}:{node.line}") from exc
    return ds


def read_template_bytes(path: Path) -> bytes:
    """A text template's bytes, or one TemplateError line naming the file."""
    if path.is_dir():
        raise TemplateError("is a folder, not a file", path)
    if not path.is_file():
        raise TemplateError("file not found", path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot read file: {exc.strerror}", path) from exc


def load_dump(path: str | Path) -> Dataset:
    """Parse a dump2dcm text file into a data set (meta group and pixel data skipped)."""
    p = Path(path)
    data = read_template_bytes(p)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parser = _Parser(p)
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        parser.feed(number, raw.rstrip(b"\r"))
    parser.finish()
    with pydicom_warnings(p):
        return _build(p, parser.top, [default_encoding])
