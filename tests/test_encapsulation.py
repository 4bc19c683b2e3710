"""Encapsulated Pixel Data: offsets, padding, the Extended Offset Table past 4 GiB, refusals.

Sizes over 4 GiB are decided from the readers' frame lengths alone, so they are tested
here without writing 4 GiB: frames are lengths with a stream that must never be opened.
The Extended Offset Table itself is written for real on a small object with the 4 GiB
limit lowered, and read back by pydicom and judged by dciodvfy.
"""

from __future__ import annotations

import io
import struct
from contextlib import ExitStack
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.encaps import generate_frames

from img2dcm import encapsulation
from img2dcm.encapsulation import BASIC, EMPTY, EXTENDED, MAX_VALUE, check_native_length, encapsulated_stream, plan_layout
from img2dcm.errors import ConversionError
from img2dcm.readers.base import Frame, PixelDescription, SourceImage
from img2dcm.write import attach_pixel_data
from tests.tools import CORPUS, ROOT, dciodvfy, run_cli

JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
MF_PROFILE = ROOT / "profiles" / "examples" / "multiframe-secondary-capture.yaml"
GiB = 1 << 30


def never_opened() -> io.BufferedIOBase:
    raise AssertionError("the size decision must not read pixel data")


def sized(length: int) -> Frame:
    return Frame(length, never_opened)


def test_small_frames_get_a_basic_offset_table_of_padded_item_offsets() -> None:
    layout = plan_layout([10, 7, 4])
    assert layout.table == BASIC
    assert layout.item_lengths == (10, 8, 4)  # the odd frame gets its pad byte
    assert layout.offsets == (0, 18, 34)
    assert layout.basic_table == b"\xfe\xff\x00\xe0" + struct.pack("<4I", 12, 0, 18, 34)
    frames = [Frame.from_bytes(b"A" * 10), Frame.from_bytes(b"B" * 7), Frame.from_bytes(b"C" * 4)]
    value = encapsulated_stream(frames, layout).read()
    assert len(value) == layout.value_length
    assert [bytes(f) for f in generate_frames(value, number_of_frames=3)] == [b"A" * 10, b"B" * 7 + b"\0", b"C" * 4]


def test_a_100_frame_object_of_45_mb_frames_needs_the_extended_offset_table() -> None:
    """4.5 GB of pixel data: the last frames start past 4 GiB, which 32-bit offsets cannot say."""
    lengths = [45_000_001] * 100
    layout = plan_layout(lengths)
    assert layout.table == EXTENDED
    assert layout.basic_table == b"\xfe\xff\x00\xe0\x00\x00\x00\x00"  # empty when the extended table is there
    assert struct.unpack("<100Q", layout.extended_offsets) == tuple(i * 45_000_010 for i in range(100))
    assert struct.unpack("<100Q", layout.extended_lengths) == (45_000_002,) * 100
    assert layout.value_length == 8 + 100 * 45_000_010 > 4 * GiB


def test_the_table_switches_exactly_when_an_offset_passes_32_bits() -> None:
    last_fits = 0xFFFFFFFF - 8  # the second frame then starts at offset 0xFFFFFFFF
    assert plan_layout([last_fits - 1, 2]).table == BASIC
    assert plan_layout([last_fits + 1, 2]).table == EXTENDED
    assert plan_layout([MAX_VALUE]).table == BASIC  # one frame of the largest fragment


def test_the_pieces_of_one_video_stream_get_an_empty_table_whatever_their_size() -> None:
    layout = plan_layout([3, 0xFFFFFF00, 0xFFFFFF00], with_offsets=False)
    assert layout.table == EMPTY
    assert layout.basic_table == b"\xfe\xff\x00\xe0\x00\x00\x00\x00"
    assert layout.item_lengths == (4, 0xFFFFFF00, 0xFFFFFF00)


def test_a_frame_larger_than_a_fragment_can_hold_is_refused() -> None:
    with pytest.raises(ConversionError, match=r"frame 2 is 4294967295 bytes: more than one fragment can hold"):
        plan_layout([100, 0xFFFFFFFF])
    check_native_length(MAX_VALUE)
    with pytest.raises(ConversionError, match="native pixel data of 4294967295 bytes exceeds"):
        check_native_length(0xFFFFFFFF)


def pixels(transfer_syntax: str) -> PixelDescription:
    return PixelDescription(rows=3000, columns=4000, samples_per_pixel=3, photometric_interpretation="YBR_FULL_422",
                            bits_allocated=8, bits_stored=8, high_bit=7, transfer_syntax=transfer_syntax,
                            planar_configuration=0)


def test_the_writer_decides_from_the_readers_frame_lengths_without_reading_them() -> None:
    images = tuple(SourceImage(Path(f"f{i}.jpg"), "jpeg", pixels(JPEG_BASELINE), [sized(45_000_001)])
                   for i in range(100))
    dataset = Dataset()
    with ExitStack() as stack:
        attach_pixel_data(dataset, images, JPEG_BASELINE, stack)
        assert struct.unpack("<100Q", dataset.ExtendedOffsetTable)[-1] == 99 * 45_000_010
        assert len(dataset.ExtendedOffsetTableLengths) == 800
        value = dataset["PixelData"].value
        assert value.seek(0, io.SEEK_END) == 8 + 100 * 45_000_010
    assert "ExtendedOffsetTable" not in dataset  # the dataset is left as it was for the next object


def test_native_pixel_data_over_4_gib_is_refused_before_anything_is_written() -> None:
    native = pixels("1.2.840.10008.1.2.1")
    images = tuple(SourceImage(Path(f"f{i}.bmp"), "bmp", native, [sized(36_000_000)]) for i in range(120))
    with ExitStack() as stack, pytest.raises(ConversionError, match="use a compressed transfer syntax"):
        attach_pixel_data(Dataset(), images, "1.2.840.10008.1.2.1", stack)


def test_an_extended_offset_table_object_is_valid_and_its_frames_read_back(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encapsulation, "MAX_OFFSET", 100)  # as if each small JPEG were 2 GiB
    source = CORPUS / "jpeg" / "ljt_testorig.jpg"
    output = tmp_path / "mf.dcm"
    result = run_cli("apply", MF_PROFILE, source, source, source, output)
    assert result.code == 0, result.stderr
    ds = dcmread(output)
    assert ds.NumberOfFrames == 3
    offsets = struct.unpack("<3Q", ds.ExtendedOffsetTable)
    lengths = struct.unpack("<3Q", ds.ExtendedOffsetTableLengths)
    frames = list(generate_frames(ds.PixelData, number_of_frames=3, extended_offsets=(offsets, lengths)))
    code_stream = bytes(frames[0])
    assert frames == [code_stream] * 3 and code_stream.startswith(b"\xff\xd8")
    assert offsets == (0, lengths[0] + 8, 2 * (lengths[0] + 8))
    assert ds.PixelData[:8] == b"\xfe\xff\x00\xe0\x00\x00\x00\x00"  # empty Basic Offset Table
    assert dciodvfy(output).errors == []


def test_a_refused_object_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encapsulation, "MAX_VALUE", 1000)  # as if the photo were over 4 GiB
    source = CORPUS / "jpeg" / "ljt_testorig.jpg"
    result = run_cli("apply", MF_PROFILE, source, source, tmp_path / "mf.dcm")
    assert result.code == 1
    assert "more than one fragment can hold" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
