"""Output encoding options: group lengths, sequence lengths, padding (DCMTK +g, +e, +p).

All lengths are those of the encoding we write: explicit VR little endian.
Work is done bottom-up: the items of a sequence are finished (their own group
lengths and item padding) before the enclosing dataset's group lengths are
computed, because those include the items' encoded size. Streamed Pixel Data is
never read to measure it: encapsulated buffers know their encoded length and
native streams are measured by seeking.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.encaps import EncapsulatedBuffer
from pydicom.filebase import DicomBytesIO, DicomFileLike, DicomIO
from pydicom.fileutil import buffer_length
from pydicom.filewriter import correct_ambiguous_vr, dcmwrite, write_data_element, write_file_meta_info
from pydicom.tag import Tag

from img2dcm.profile.model import OutputOptions

#: (FFFC,FFFC) Dataset Trailing Padding, PS3.10 §7.2.
PADDING_TAG = Tag(0xFFFC, 0xFFFC)
#: Groups never given a group length: File Meta (written by the file writer) and padding.
NO_GROUP_LENGTH = frozenset({0x0002, 0xFFFC})
#: Explicit VR LE header sizes: VRs with a 4-byte length field have a 12-byte header.
LONG_HEADER_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"})
#: An item, sequence or Pixel Data delimitation item: tag + zero length.
DELIMITER_LENGTH = 8


def walk_sequences(dataset: Dataset) -> Iterator[DataElement]:
    """Every sequence element, depth first (used by tests and callers that inspect)."""
    for elem in dataset:
        if elem.VR == "SQ":
            yield elem
            for item in elem.value or []:
                yield from walk_sequences(item)


def encodings_of(dataset: Dataset, inherited: list[str] | str | None) -> list[str] | str | None:
    """The character sets text is encoded with at this level (items inherit)."""
    value = dataset.get("SpecificCharacterSet")
    return value if value else inherited


def encoded_length(elem: DataElement, encodings: list[str] | str | None) -> int:
    """Bytes ``elem`` takes in explicit VR little endian, header and delimiters included."""
    if elem.is_buffered:
        value = elem.value
        if isinstance(value, EncapsulatedBuffer):
            body = value.encapsulated_length
        else:
            body = buffer_length(value)
            body += body % 2
        header = 12 if elem.VR in LONG_HEADER_VRS else 8
        return header + body + (DELIMITER_LENGTH if elem.is_undefined_length else 0)
    fp = new_buffer()
    write_element(fp, elem, encodings)
    return len(fp.getvalue())


def new_buffer() -> DicomBytesIO:
    """An in-memory explicit VR little endian target."""
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = False
    return fp


# pydicom's writer never writes (gggg,0000) for groups above 6 (PS3.5 §7.2 retired them),
# so datasets that carry group lengths (+g, or +g= on a template that had them) are
# written by the few functions below, which hand every non-sequence element to pydicom.

ITEM_TAG, ITEM_DELIMITER, SEQUENCE_DELIMITER = 0xE000, 0xE00D, 0xE0DD
UNDEFINED = 0xFFFFFFFF


def _item_header(fp: DicomIO, element: int, length: int) -> None:
    fp.write(struct.pack("<HHI", 0xFFFE, element, length))


def write_element(fp: DicomIO, elem: DataElement, encodings: list[str] | str | None) -> None:
    """One element; sequences through :func:`write_sequence` so items keep their group lengths."""
    if elem.VR != "SQ":
        write_data_element(fp, elem, encodings)
        return
    body = new_buffer()
    for item in elem.value or []:
        content = new_buffer()
        write_elements(content, item, encodings)
        undefined_item = bool(getattr(item, "is_undefined_length_sequence_item", False))
        _item_header(body, ITEM_TAG, UNDEFINED if undefined_item else len(content.getvalue()))
        body.write(content.getvalue())
        if undefined_item:
            _item_header(body, ITEM_DELIMITER, 0)
    data = body.getvalue()
    fp.write(struct.pack("<HH2sHI", elem.tag.group, elem.tag.element, b"SQ", 0,
                         UNDEFINED if elem.is_undefined_length else len(data)))
    fp.write(data)
    if elem.is_undefined_length:
        _item_header(fp, SEQUENCE_DELIMITER, 0)


def write_elements(fp: DicomIO, dataset: Dataset, inherited: list[str] | str | None) -> None:
    """Every element of ``dataset`` in tag order, group lengths included."""
    encodings = encodings_of(dataset, inherited)
    for tag in sorted(dataset.keys()):
        write_element(fp, dataset[tag], encodings)


def has_group_lengths(dataset: Dataset) -> bool:
    """True if any level holds a (gggg,0000) that pydicom's writer would drop."""
    if any(tag.element == 0 and tag.group > 6 for tag in dataset.keys()):
        return True
    return any(has_group_lengths(item) for elem in walk_sequences(dataset) for item in elem.value or [])


def write_encoded(out: BinaryIO, dataset: Dataset, as_file: bool) -> None:
    """Write ``dataset`` (explicit VR LE) as a Part 10 file or a bare dataset, group lengths kept.

    Without group length elements this is pydicom's own writer; with them, the
    preamble and File Meta come from pydicom and the dataset from :func:`write_elements`.
    """
    if not has_group_lengths(dataset):
        if as_file:
            dcmwrite(out, dataset, enforce_file_format=True)
        else:
            dcmwrite(out, dataset, implicit_vr=False, little_endian=True)
        return
    correct_ambiguous_vr(dataset, True)
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = False
    if as_file:
        fp.write(bytes(128) + b"DICM")
        write_file_meta_info(fp, dataset.file_meta, enforce_standard=True)
    out.write(fp.getvalue())
    stream = DicomFileLike(out)
    stream.is_little_endian = True
    stream.is_implicit_VR = False
    write_elements(stream, dataset, None)


def padding_needed(length: int, multiple: int) -> int | None:
    """Value length of a padding element that makes ``length`` a multiple, or None.

    Element values must have even length, so an odd ``multiple`` is doubled: the
    result is still a multiple of what was asked for.
    """
    if multiple <= 0 or length % multiple == 0:
        return None
    step = multiple if multiple % 2 == 0 else 2 * multiple
    return (-(length + 12)) % step


def set_group_lengths(dataset: Dataset, mode: str, encodings: list[str] | str | None) -> None:
    """``remove``: drop (gggg,0000); ``create``: add one per group; ``recalc``: fix existing ones."""
    present = [tag for tag in dataset.keys() if tag.element == 0 and tag.group not in NO_GROUP_LENGTH]
    if mode == "remove":
        for tag in present:
            del dataset[tag]
        return
    if mode == "create":
        groups = sorted({tag.group for tag in dataset.keys()} - NO_GROUP_LENGTH)
    else:
        groups = [tag.group for tag in present]
    for group in groups:
        total = sum(encoded_length(dataset[tag], encodings) for tag in list(dataset.keys())
                    if tag.group == group and tag.element != 0)
        dataset.add_new(Tag(group, 0), "UL", total)


def pad_item(item: Dataset, multiple: int, encodings: list[str] | str | None) -> None:
    """Add Dataset Trailing Padding so the item's value length is a multiple of ``multiple``."""
    length = sum(encoded_length(elem, encodings) for elem in item)
    needed = padding_needed(length, multiple)
    if needed is not None:
        item.add_new(PADDING_TAG, "OB", bytes(needed))


def prepare(dataset: Dataset, options: OutputOptions, inherited: list[str] | str | None, in_item: bool) -> None:
    """Apply every encoding option to ``dataset`` and, first, to its items."""
    if PADDING_TAG in dataset:  # inherited padding is never right for the new content
        del dataset[PADDING_TAG]
    encodings = encodings_of(dataset, inherited)
    undefined = options.sequence_length == "undefined"
    for tag in list(dataset.keys()):
        elem = dataset[tag]
        if elem.VR != "SQ":
            continue
        elem.is_undefined_length = undefined
        for item in elem.value or []:
            item.is_undefined_length_sequence_item = undefined
            prepare(item, options, encodings, in_item=True)
    set_group_lengths(dataset, options.group_length, encodings)
    if in_item and options.padding.item:
        pad_item(dataset, options.padding.item, encodings)


def apply_encoding_options(dataset: Dataset, options: OutputOptions) -> None:
    """Sequence/item length encoding, group length elements and item padding, before writing.

    Call it last, after Pixel Data is attached: group lengths include it.
    """
    prepare(dataset, options, None, in_item=False)


def padding_element(value_length: int) -> bytes:
    """(FFFC,FFFC) OB with ``value_length`` zero bytes, explicit VR little endian."""
    return struct.pack("<HH2sHI", 0xFFFC, 0xFFFC, b"OB", 0, value_length) + bytes(value_length)


def pad_file(out: BinaryIO, multiple: int) -> None:
    """Append Dataset Trailing Padding so the written length is a multiple of ``multiple`` (0 = none).

    ``out`` must be positioned at the end of what was written (the whole file,
    preamble and meta included, or the bare dataset with ``-F``).
    """
    needed = padding_needed(out.tell(), multiple)
    if needed is not None:
        out.write(padding_element(needed))
