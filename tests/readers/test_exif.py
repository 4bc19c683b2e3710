"""parse_exif: both byte orders, the tags we map, and no crash on malformed data."""

from __future__ import annotations

import random
import struct

import pytest

from img2dcm.readers.base import ExifFacts
from img2dcm.readers.exif import ExifError, exif_field_names, parse_exif

Entry = tuple[int, int, int, bytes]  # tag, type, count, value bytes (unpadded)


def build_tiff(order: str, ifd0: list[Entry], exif: list[Entry] | None = None) -> bytes:
    """A little TIFF structure: header, IFD0, optional Exif sub-IFD, values after each IFD."""
    fmt = "<" if order == "II" else ">"
    header = (b"II*\x00" if order == "II" else b"MM\x00*") + struct.pack(fmt + "I", 8)

    def ifd(entries: list[Entry], start: int) -> bytes:
        data_at = start + 2 + 12 * len(entries) + 4
        table, heap = b"", b""
        for tag, type_, count, value in entries:
            if len(value) <= 4:
                field = value.ljust(4, b"\x00")
            else:
                field = struct.pack(fmt + "I", data_at + len(heap))
                heap += value + (b"\x00" if len(value) % 2 else b"")
            table += struct.pack(fmt + "HHI", tag, type_, count) + field
        return struct.pack(fmt + "H", len(entries)) + table + struct.pack(fmt + "I", 0) + heap

    entries = list(ifd0)
    if exif is not None:
        probe = ifd(entries + [(0x8769, 4, 1, bytes(4))], 8)
        sub_at = 8 + len(probe)
        entries = entries + [(0x8769, 4, 1, struct.pack(fmt + "I", sub_at))]
        first = ifd(entries, 8)
        assert len(first) == len(probe)
        return header + first + ifd(exif, sub_at)
    return header + ifd(entries, 8)


def ascii_entry(tag: int, text: str) -> Entry:
    raw = text.encode() + b"\x00"
    return (tag, 2, len(raw), raw)


def full(order: str) -> bytes:
    fmt = "<" if order == "II" else ">"
    return build_tiff(
        order,
        [
            ascii_entry(0x010F, "Canon"),
            ascii_entry(0x0110, "Canon PowerShot S40"),
            (0x0112, 3, 1, struct.pack(fmt + "H", 6)),
        ],
        [
            ascii_entry(0x9003, "2024:05:06 07:08:09"),
            ascii_entry(0x9011, "+01:00"),
            ascii_entry(0x9291, "42"),
        ],
    )


@pytest.mark.parametrize("order", ["II", "MM"])
def test_both_byte_orders_give_every_mapped_field(order: str) -> None:
    assert parse_exif(full(order)) == ExifFacts(
        date_time_original="2024:05:06 07:08:09",
        offset_time_original="+01:00",
        subsec_time_original="42",
        make="Canon",
        model="Canon PowerShot S40",
        orientation=6,
    )


def test_short_inline_ascii_and_missing_sub_ifd() -> None:
    facts = parse_exif(build_tiff("MM", [ascii_entry(0x010F, "HP")]))
    assert facts == ExifFacts(make="HP")
    assert exif_field_names(facts) == ["Make"]


def test_orientation_outside_1_to_8_is_ignored() -> None:
    facts = parse_exif(build_tiff("II", [(0x0112, 3, 1, struct.pack("<H", 9))]))
    assert facts.orientation is None


def test_blank_strings_become_none() -> None:
    facts = parse_exif(build_tiff("II", [ascii_entry(0x0110, "   "), ascii_entry(0x010F, " Nikon  ")]))
    assert facts.model is None and facts.make == "Nikon"


@pytest.mark.parametrize("data", [b"", b"II*\x00", b"XX*\x00\x08\x00\x00\x00", b"II*\x00\xff\xff\x00\x00"])
def test_unusable_headers_raise_exif_error(data: bytes) -> None:
    with pytest.raises(ExifError):
        parse_exif(data)


def test_broken_sub_ifd_keeps_ifd0_facts() -> None:
    data = bytearray(full("II"))
    # Point the Exif IFD far outside the data.
    at = data.find(struct.pack("<H", 0x8769))
    data[at + 8 : at + 12] = struct.pack("<I", 10_000)
    facts = parse_exif(bytes(data))
    assert facts.make == "Canon" and facts.date_time_original is None


def test_value_offsets_past_the_end_are_skipped() -> None:
    data = bytearray(full("MM"))
    at = data.find(struct.pack(">H", 0x0110))
    data[at + 8 : at + 12] = struct.pack(">I", 0xFFFFFF00)
    facts = parse_exif(bytes(data))
    assert facts.model is None and facts.make == "Canon"


def test_random_corruption_never_raises_anything_but_exif_error() -> None:
    rng = random.Random(1234)
    base = full("II")
    for _ in range(2000):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)) :]
        try:
            parse_exif(bytes(data))
        except ExifError:
            pass
