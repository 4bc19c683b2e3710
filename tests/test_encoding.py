"""Output encoding options checked on the written bytes: group lengths, sequence lengths, padding."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

import pytest
from pydicom import dcmwrite
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate_buffer
from pydicom.sequence import Sequence

from img2dcm.encoding import (
    apply_encoding_options,
    encoded_length,
    new_buffer,
    pad_file,
    padding_needed,
    write_elements,
    write_encoded,
)
from img2dcm.profile.model import OutputOptions, Padding

LONG = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
UNDEFINED = 0xFFFFFFFF


@dataclass
class Raw:
    """One element as found in the bytes: tag, where it starts/ends, declared length, items."""

    group: int
    element: int
    start: int
    end: int
    length: int
    value: bytes = b""
    items: list[list[Raw]] = field(default_factory=list)
    item_lengths: list[int] = field(default_factory=list)


def parse(data: bytes, pos: int, end: int) -> tuple[list[Raw], int]:
    """Explicit VR LE elements from ``pos`` until ``end`` or an item/sequence delimiter."""
    found: list[Raw] = []
    while pos < end:
        group, element = struct.unpack_from("<HH", data, pos)
        if group == 0xFFFE:  # delimiter of the enclosing item/sequence
            return found, pos + 8
        vr = data[pos + 4:pos + 6]
        if vr in LONG:
            length, header = struct.unpack_from("<I", data, pos + 8)[0], 12
        else:
            length, header = struct.unpack_from("<H", data, pos + 6)[0], 8
        raw = Raw(group, element, pos, 0, length)
        pos += header
        if vr == b"SQ":
            stop = end if length == UNDEFINED else pos + length
            while pos < stop:
                tag = struct.unpack_from("<HH", data, pos)
                item_length = struct.unpack_from("<I", data, pos + 4)[0]
                pos += 8
                if tag == (0xFFFE, 0xE0DD):
                    break
                item_end = end if item_length == UNDEFINED else pos + item_length
                children, pos = parse(data, pos, item_end)
                raw.items.append(children)
                raw.item_lengths.append(item_length)
        elif length == UNDEFINED:  # encapsulated pixel data: items until the delimiter
            while True:
                tag = struct.unpack_from("<HH", data, pos)
                item_length = struct.unpack_from("<I", data, pos + 4)[0]
                pos += 8 + item_length
                if tag == (0xFFFE, 0xE0DD):
                    break
        else:
            raw.value = data[pos:pos + length]
            pos += length
        raw.end = pos
        found.append(raw)
    return found, pos


def dataset_part(data: bytes) -> list[Raw]:
    meta_length = struct.unpack_from("<I", data, 132 + 8)[0]
    return parse(data, 132 + 12 + meta_length, len(data))[0]


def make_dataset() -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "1.2.3.4"
    ds.PatientName = "Müller^André"
    ds.PatientID = "X"
    item = Dataset()
    item.CodeValue = "81745001"
    item.CodingSchemeDesignator = "SCT"
    item.CodeMeaning = "Eye"
    inner = Dataset()
    inner.CodeValue = "1"
    item.add_new(0x00080104, "LO", "Eye")
    ds.AnatomicRegionSequence = Sequence([item])
    ds.add_new(0x00400555, "SQ", Sequence([Dataset(), inner]))  # AcquisitionContextSequence
    ds.Rows = 1
    frames = [io.BufferedReader(io.BytesIO(b"\xff\xd8abc\xff\xd9"))]
    ds.add_new(0x7FE00010, "OB", encapsulate_buffer(frames, has_bot=True))
    ds["PixelData"].is_undefined_length = True
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.50"
    return ds


def written(ds: Dataset, *, as_file: bool = True, **options: object) -> bytes:
    opts = OutputOptions(**options)  # type: ignore[arg-type]
    apply_encoding_options(ds, opts)
    out = io.BytesIO()
    write_encoded(out, ds, as_file)
    pad_file(out, opts.padding.file)
    return out.getvalue()


def assert_group_lengths_true(elements: list[Raw]) -> int:
    """Every (gggg,0000) equals the bytes its group takes; returns how many were checked."""
    checked = 0
    for raw in elements:
        for item in raw.items:
            checked += assert_group_lengths_true(item)
        if raw.element == 0:
            value = struct.unpack("<I", raw.value)[0]
            actual = sum(r.end - r.start for r in elements if r.group == raw.group and r.element != 0)
            assert value == actual, f"({raw.group:04X},0000) says {value}, group takes {actual}"
            checked += 1
    return checked


def test_create_adds_correct_group_lengths_everywhere_including_items_and_pixel_data() -> None:
    elements = dataset_part(written(make_dataset(), group_length="create"))
    groups = {r.group for r in elements}
    assert {r.group for r in elements if r.element == 0} == groups
    sequence = next(r for r in elements if (r.group, r.element) == (0x0008, 0x2218))
    assert any(r.element == 0 for r in sequence.items[0])
    assert assert_group_lengths_true(elements) >= len(groups) + 1


def test_create_with_undefined_lengths_counts_the_delimiters() -> None:
    elements = dataset_part(written(make_dataset(), group_length="create", sequence_length="undefined"))
    assert assert_group_lengths_true(elements) > 0


def test_recalc_fixes_existing_group_lengths_and_adds_none() -> None:
    ds = make_dataset()
    ds.add_new(0x00100000, "UL", 9999)  # wrong, as a template might carry
    ds.AnatomicRegionSequence[0].add_new(0x00080000, "UL", 1)
    elements = dataset_part(written(ds, group_length="recalc"))
    assert [(r.group, r.element) for r in elements if r.element == 0] == [(0x0010, 0)]
    assert assert_group_lengths_true(elements) == 2


def test_remove_drops_every_group_length_but_meta() -> None:
    ds = make_dataset()
    ds.add_new(0x00100000, "UL", 1)
    ds.AnatomicRegionSequence[0].add_new(0x00080000, "UL", 1)
    data = written(ds, group_length="remove")
    assert struct.unpack_from("<HH", data, 132) == (0x0002, 0x0000)
    elements = dataset_part(data)
    assert not [r for r in elements if r.element == 0]
    assert not [r for r in elements[0].items[0] if r.element == 0] if elements[0].items else True
    sequence = next(r for r in elements if r.element == 0x2218)
    assert not [r for r in sequence.items[0] if r.element == 0]


@pytest.mark.parametrize("mode", ["explicit", "undefined"])
def test_sequence_and_item_lengths(mode: str) -> None:
    elements = dataset_part(written(make_dataset(), sequence_length=mode))
    sequences = [r for r in elements if r.items]
    assert len(sequences) == 2
    for raw in sequences:
        assert (raw.length == UNDEFINED) == (mode == "undefined")
        assert all((n == UNDEFINED) == (mode == "undefined") for n in raw.item_lengths)


def test_undefined_lengths_write_item_and_sequence_delimiters() -> None:
    data = written(make_dataset(), sequence_length="undefined")
    assert struct.pack("<HHI", 0xFFFE, 0xE00D, 0) in data
    assert data.count(struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)) >= 3  # 2 sequences + pixel data


@pytest.mark.parametrize("mode", ["explicit", "undefined"])
def test_our_writer_equals_pydicom_bytes_element_for_element(mode: str) -> None:
    ds = make_dataset()
    apply_encoding_options(ds, OutputOptions(sequence_length=mode))
    ours = new_buffer()
    write_elements(ours, ds, None)
    ds["PixelData"].value.seek(0)
    del ds.file_meta
    theirs = io.BytesIO()
    dcmwrite(theirs, ds, implicit_vr=False, little_endian=True)
    assert ours.getvalue() == theirs.getvalue()


@pytest.mark.parametrize("multiple", [8, 16, 100, 1024])
def test_file_padding_aligns_the_whole_file(multiple: int) -> None:
    data = written(make_dataset(), padding=Padding(file=multiple, item=0))
    assert len(data) % multiple == 0
    last = dataset_part(data)[-1]
    assert (last.group, last.element) == (0xFFFC, 0xFFFC) or len(written(make_dataset())) % multiple == 0


def test_file_padding_of_a_bare_dataset() -> None:
    data = written(make_dataset(), as_file=False, file_format="dataset", padding=Padding(file=64, item=0))
    assert not data.startswith(bytes(128)) and len(data) % 64 == 0


def test_item_padding_aligns_every_item() -> None:
    elements = dataset_part(written(make_dataset(), padding=Padding(file=0, item=32)))
    for raw in elements:
        for length, item in zip(raw.item_lengths, raw.items, strict=True):
            assert length % 32 == 0
            if length:
                assert (item[-1].group, item[-1].element) == (0xFFFC, 0xFFFC) or length % 32 == 0


def test_odd_multiples_are_doubled_to_keep_values_even() -> None:
    assert padding_needed(10, 3) == 2  # 10 + 12 + 2 = 24 = 8 * 3
    assert padding_needed(12, 3) is None
    assert padding_needed(100, 0) is None
    data = written(make_dataset(), padding=Padding(file=7, item=0))
    assert len(data) % 7 == 0


def test_inherited_padding_is_removed_when_padding_is_off() -> None:
    ds = make_dataset()
    ds.add_new(0xFFFCFFFC, "OB", bytes(100))
    ds.AnatomicRegionSequence[0].add_new(0xFFFCFFFC, "OB", bytes(10))
    data = written(ds)
    assert b"\xfc\xff\xfc\xff" not in data


def test_pixel_data_length_is_known_without_reading_the_stream() -> None:
    class Unreadable(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def seek(self, offset: int, whence: int = 0) -> int:
            return 1000 if whence == io.SEEK_END else 0

        def tell(self) -> int:
            return 0

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            raise AssertionError("pixel data was read to measure it")

    ds = Dataset()
    ds.add_new(0x7FE00010, "OB", encapsulate_buffer([io.BufferedReader(Unreadable())], has_bot=True))
    ds["PixelData"].is_undefined_length = True
    # 12 header + BOT item (8 + 4) + fragment item (8 + 1000) + delimiter 8
    assert encoded_length(ds["PixelData"], None) == 12 + 12 + 1008 + 8
