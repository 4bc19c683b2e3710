"""Read a dcm2xml document (DCMTK's own XML format, not the Native DICOM Model).

The parser never resolves entities, loads DTDs or touches the network, and documents
that declare entities or name an external DTD are refused outright: a template must not
be able to pull local files or expand into gigabytes (XXE, billion laughs).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import warnings
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from lxml import etree
from pydicom.charset import convert_encodings
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag, Tag
from pydicom.valuerep import CUSTOMIZABLE_CHARSET_VR

from img2dcm.errors import TemplateError
from img2dcm.templates.dicom import ILLEGAL_GROUPS, pydicom_warnings
from img2dcm.templates.dump import TEXT_VRS, encode_binary, read_beside, read_template_bytes, resolve_vr

logger = logging.getLogger(__name__)

#: Root namespace dcm2xml writes with +Xn; required with +Vn (check_namespace).
DCMTK_NAMESPACE = "http://dicom.offis.de/dcmtk"

#: Text values arrive as Unicode from lxml; they are handed to pydicom as UTF-8 bytes.
_UTF8: list[str] = convert_encodings(["ISO_IR 192"])

#: Stands in for an ESC byte, which dcm2xml writes as ``&#27;`` (not legal XML 1.0): a
#: private-use character that a byte-quoted value cannot otherwise contain.
_ESC_MARK = "\ue01b"
_ESC_REFS = (b"&#27;", b"&#x1b;", b"&#x1B;", b"&#x001b;", b"&#x001B;", b"&#027;")

#: An XML declaration that names the document's encoding (a BOM does too).
_DECLARED = re.compile(rb"^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)|^\s*<\?xml[^>]*\bencoding\s*=")


@dataclass(frozen=True)
class _Text:
    """How text values of this document are to be read.

    ``quoted``: dcm2xml wrote the document without an encoding declaration because it
    could not convert the data set's character set (GB18030, ISO 2022 ...): every
    character of a value is then one byte of the data set, quoted as ``&#NNN;``, to be
    decoded with the Specific Character Set in force (as DCMTK's xml2dcm does). Without a
    set, or with ISO_IR 192, values are Unicode text as written.
    """

    quoted: bool
    encodings: list[str] | None = None  # None: values are Unicode text (no set, or UTF-8)

    @property
    def byte_values(self) -> bool:
        return self.quoted and self.encodings is not None


_TAG_RE = re.compile(r"^\s*([0-9A-Fa-f]{1,8}),([0-9A-Fa-f]{1,8})\s*$")
_PIXEL_DATA = 0x7FE00010
#: Pixel data of the template is dropped (cleanup would remove it anyway), so a
#: dcm2xml document written without +Wb/+M, which omits it, is still usable.
_SKIPPED_PIXELS: frozenset[int] = frozenset({0x7FE00008, 0x7FE00009, _PIXEL_DATA})


def _parser() -> etree.XMLParser:
    """An lxml parser that cannot be made to read anything but the document itself."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _dtd() -> etree.DTD:
    """Our shipped dcm2xml DTD (never the one a document points to)."""
    resource = files("img2dcm") / "data" / "dcm2xml.dtd"
    with resource.open("rb") as fh:
        return etree.DTD(fh)


def _local(node: etree._Element) -> str:
    """Element name without namespace."""
    return etree.QName(node).localname


def _fail(path: Path, node: etree._Element | None, reason: str) -> TemplateError:
    """An error naming ``file:line`` of ``node``."""
    line = getattr(node, "sourceline", None)
    return TemplateError(reason, f"{path}:{line}" if line else path)


def _refuse_dangerous(path: Path, tree: etree._ElementTree) -> None:
    """Refuse entity declarations and external DTD references."""
    info = tree.docinfo
    internal = info.internalDTD
    has_entities = internal is not None and any(True for _ in internal.iterentities())
    has_refs = any(True for _ in tree.iter(etree.Entity))
    if info.system_url or info.public_id or has_entities or has_refs:
        raise TemplateError("XML template declares entities/external DTD: refused", path)


def _parse_tag(path: Path, node: etree._Element) -> int:
    """The ``tag`` attribute "gggg,eeee" (extra leading zeros tolerated) as an int."""
    text = node.get("tag")
    m = _TAG_RE.match(text or "")
    if m is None:
        raise _fail(path, node, f"invalid or missing tag attribute '{text}'")
    group, element = int(m.group(1), 16), int(m.group(2), 16)
    if group > 0xFFFF or element > 0xFFFF:
        raise _fail(path, node, f"invalid tag attribute '{text}'")
    return group << 16 | element


def _quoted_bytes(path: Path, node: etree._Element, label: str, text: str) -> bytes:
    """The data set bytes a dcm2xml value without document encoding stands for."""
    try:
        return text.replace(_ESC_MARK, "\x1b").encode("latin-1")
    except UnicodeEncodeError as exc:
        raise _fail(path, node, (
            f"{label}: character U+{ord(text[exc.start]):04X} cannot be a byte of the data set; a document "
            "without encoding declaration is read as dcm2xml writes it (one &#NNN; per byte): declare the "
            "encoding (<?xml version=\"1.0\" encoding=\"UTF-8\"?>) or write it with dcm2xml +U8")) from None


def _value_bytes(path: Path, node: etree._Element, tag: int, vr: str,
                 text_mode: _Text | None = None) -> tuple[bytes, list[str] | None]:
    """Value bytes of an ``element`` and the encodings they are in (None: not text)."""
    binary = node.get("binary", "no")
    text = node.text or ""
    label = f"element ({tag >> 16:04x},{tag & 0xFFFF:04x})"
    if _ESC_MARK in text and (text_mode is None or not text_mode.byte_values):
        raise _fail(path, node, f"{label}: an ISO 2022 escape (&#27;) in a document with an encoding "
                                "declaration: write it with dcm2xml +U8, or without a declaration as dcm2xml does")
    if binary == "hidden":
        raise _fail(path, node, f"{label} has no value (binary=hidden)")
    if node.get("loaded") == "no":
        raise _fail(path, node, f"{label} has no value (loaded=no; run dcm2xml with +M)")
    try:
        if binary == "base64":
            return base64.b64decode("".join(text.split()), validate=True), None
        if binary == "file":
            return read_beside(path, text.strip()), None
        if binary not in ("no", "yes"):
            raise ValueError(f"unknown binary='{binary}'")
        if vr in TEXT_VRS and binary == "no":
            if text_mode is not None and text_mode.byte_values and vr in CUSTOMIZABLE_CHARSET_VR:
                return _quoted_bytes(path, node, label, text), text_mode.encodings
            return text.encode("utf-8"), _UTF8
        return encode_binary(vr, text), None
    except (ValueError, binascii.Error) as exc:
        raise _fail(path, node, f"{label}: {exc}") from None


def _level_text(path: Path, node: etree._Element, text_mode: _Text) -> _Text:
    """The text mode after this level's Specific Character Set element."""
    terms = [t.strip() for t in (node.text or "").split("\\")]
    if not any(terms) or terms == ["ISO_IR 192"] or terms == ["ISO_IR 6"]:
        return _Text(text_mode.quoted)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return _Text(text_mode.quoted, convert_encodings(terms))
        except (LookupError, ValueError, UserWarning) as exc:
            raise _fail(path, node, f"unknown Specific Character Set '{node.text}': {exc}") from None


def _convert(path: Path, node: etree._Element, raw: RawDataElement, encodings: list[str], ds: Dataset,
             strict: bool) -> DataElement:
    """pydicom's conversion; with ``strict`` a value its character set cannot decode fails."""
    with warnings.catch_warnings():
        if strict:
            warnings.simplefilter("error")
        try:
            return convert_raw_data_element(raw, encoding=encodings, ds=ds)
        except (ValueError, TypeError, LookupError) as exc:
            raise _fail(path, node, str(exc)) from exc
        except UserWarning as exc:
            raise _fail(path, node, f"element ({raw.tag.group:04x},{raw.tag.element:04x}) cannot be decoded "
                                    f"with the data set's Specific Character Set: {exc}") from None


def _read_level(path: Path, parent: etree._Element, ds: Dataset, top: bool,
                text_mode: _Text | None = None) -> None:
    """Add the ``element``/``sequence`` children of ``parent`` to ``ds``."""
    text_mode = text_mode or _Text(False)
    for node in parent:
        if not isinstance(node.tag, str):
            continue
        kind = _local(node)
        if kind not in ("element", "sequence"):
            raise _fail(path, node, f"unexpected <{kind}> (expected element or sequence)")
        tag = _parse_tag(path, node)
        if tag >> 16 == 0x0002:
            continue  # meta information belongs to the file, ours is written anew
        if top and tag in _SKIPPED_PIXELS:
            logger.debug("%s: template pixel data (%08x) skipped", path, tag)
            continue
        try:
            vr = resolve_vr(tag, node.get("vr"))
        except ValueError as exc:
            raise _fail(path, node, str(exc)) from None
        if tag in ds:
            raise _fail(path, node, f"({tag >> 16:04x},{tag & 0xFFFF:04x}) appears twice")
        if tag >> 16 in ILLEGAL_GROUPS:
            raise _fail(path, node, f"({tag >> 16:04x},{tag & 0xFFFF:04x}) is in group {tag >> 16:04x}, "
                                    "which DICOM does not allow")
        if kind == "sequence":
            if any(isinstance(c.tag, str) and _local(c) == "pixel-item" for c in node):
                raise _fail(path, node, "pixel items outside the top-level (7fe0,0010)")
            items: list[Dataset] = []
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                if _local(child) != "item":
                    raise _fail(path, child, f"unexpected <{_local(child)}> in a sequence")
                item = Dataset()
                _read_level(path, child, item, top=False, text_mode=text_mode)
                items.append(item)
            ds.add(DataElement(BaseTag(tag), "SQ", Sequence(items)))
            continue
        if vr == "SQ":
            raise _fail(path, node, "an element with VR SQ must be written as <sequence>")
        if tag == 0x00080005 and text_mode.quoted:
            text_mode = _level_text(path, node, text_mode)
        value, encodings = _value_bytes(path, node, tag, vr, text_mode)
        raw = RawDataElement(Tag(tag), vr, len(value), value, 0, False, True)
        ds.add(_convert(path, node, raw, encodings or _UTF8, ds,
                        strict=encodings is not None and encodings is not _UTF8))


def load_xml(path: str | Path, validate: bool = False, check_namespace: bool = False) -> Dataset:
    """Parse a dcm2xml document; ``validate`` = +Vd, ``check_namespace`` = +Vn."""
    p = Path(path)
    data = read_template_bytes(p)
    quoted = _DECLARED.match(data) is None
    for ref in _ESC_REFS:
        data = data.replace(ref, f"&#x{ord(_ESC_MARK):X};".encode("ascii"))
    try:
        root = etree.fromstring(data, _parser(), base_url=p.as_uri())
    except etree.XMLSyntaxError as exc:
        where = f"{p}:{exc.lineno}" if exc.lineno else p
        raise TemplateError(f"XML parse error: {exc.msg}", where) from None
    tree = root.getroottree()
    _refuse_dangerous(p, tree)
    qname = etree.QName(root)
    if qname.localname == "NativeDicomModel":
        raise _fail(p, root, "the Native DICOM Model (dcm2xml -nat) is not the dcm2xml format")
    if check_namespace and qname.namespace != DCMTK_NAMESPACE:
        raise _fail(p, root, f"root element is not in the namespace '{DCMTK_NAMESPACE}'")
    if qname.namespace not in (None, DCMTK_NAMESPACE):
        raise _fail(p, root, f"unexpected root namespace '{qname.namespace}'")
    if validate:
        dtd = _dtd()
        if not dtd.validate(tree):
            first = dtd.error_log.filter_from_errors()[0]
            raise TemplateError(f"not valid by dcm2xml.dtd: {first.message}", f"{p}:{first.line}")
    if qname.localname == "file-format":
        data_sets = [c for c in root if isinstance(c.tag, str) and _local(c) == "data-set"]
        if len(data_sets) != 1:
            raise _fail(p, root, "file-format must contain exactly one data-set")
        data_set = data_sets[0]
    elif qname.localname == "data-set":
        data_set = root
    else:
        raise _fail(p, root, f"document of the wrong type: <{qname.localname}>, expected data-set")
    ds = Dataset()
    with pydicom_warnings(p):
        _read_level(p, data_set, ds, top=True, text_mode=_Text(quoted))
    return ds
