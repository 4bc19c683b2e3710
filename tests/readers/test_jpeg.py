"""JpegReader: corpus conformance, pass-through bytes, APPn policies, colour, ICC, EXIF."""

from __future__ import annotations

import csv
import io
import random
import re
import struct
from dataclasses import replace
from pathlib import Path

import jpeg_ls
import libjpeg
import numpy as np
import pytest
from pydicom.encaps import encapsulate_buffer

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions, JpegOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.jpeg import JpegReader
from img2dcm.readers.segments import RangeStream, open_ranges

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
READER = JpegReader()

#: Rows where we deliberately differ from DCMTK 3.7.0 (docs/input-jpeg.md):
#: a stream without SOS, and subsampled JPEG-LS components, are rejected.
DELIBERATE_REJECTS = {
    "jpeg/jd_crash_missing-sos.jpg",
    "jpegls/t8sse0.jls",
    "jpegls/t8sse3.jls",
}


#: Rows DCMTK 3.7.0 rejects that we convert (lossless JPEG, docs/input-codecs.md).
OUR_CONVERSIONS = {
    "jpeg/jd_lossless_sel1.jpg": "convert: JPEG Lossless SV1 1.2.840.10008.1.2.4.70; MONOCHROME2; "
    "BitsAllocated 16, BitsStored 16",
}


def _manifest_rows() -> list[tuple[str, str]]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(r["path"], OUR_CONVERSIONS.get(r["path"], r["expect"]))
            for r in rows if r["path"].startswith(("jpeg/", "jpegls/"))]


MANIFEST = _manifest_rows()
CONVERTED = [path for path, expect in MANIFEST if expect.startswith("convert:") and path not in DELIBERATE_REJECTS]


def read(path: Path | str, **jpeg: object) -> SourceImage:
    """Pass-through reading as DCMTK does it: progressive streams accepted, not decoded."""
    jpeg.setdefault("progressive", "accept")
    options = InputOptions(jpeg=JpegOptions(**jpeg))  # type: ignore[arg-type]
    return READER.read(CORPUS / path if isinstance(path, str) else path, options)


def frame_bytes(image: SourceImage) -> bytes:
    assert len(image.frames) == 1
    with image.frames[0].open() as stream:
        data = stream.read()
    assert len(data) == image.frames[0].length
    return data


# -- an independent, minimal marker walker for the assertions -------------------------

def ref_segments(data: bytes) -> tuple[list[tuple[int, int, int]], int]:
    """(code, offset, size) of every marker segment, and the end of EOI."""
    out: list[tuple[int, int, int]] = [(0xD8, 0, 2)]
    pos, in_scan, ls = 2, False, False
    while True:
        if data[pos] != 0xFF or (in_scan and (data[pos + 1] in (0x00, 0xFF) or 0xD0 <= data[pos + 1] <= 0xD7
                                              or (ls and data[pos + 1] < 0x80))):
            pos += 1
            continue
        while data[pos + 1] == 0xFF:
            pos += 1
        code = data[pos + 1]
        if code == 0x00:
            pos += 2
            continue
        if code == 0xD9:
            out.append((code, pos, 2))
            return out, pos + 2
        if 0xD0 <= code <= 0xD7 or code == 0x01:
            out.append((code, pos, 2))
            pos += 2
            continue
        size = 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        out.append((code, pos, size))
        ls = ls or code == 0xF7
        in_scan = code == 0xDA
        pos += size


def without(data: bytes, drop: list[tuple[int, int, int]], end: int) -> bytes:
    out, cursor = bytearray(), 0
    for _code, offset, size in sorted(drop, key=lambda s: s[1]):
        out += data[cursor:offset]
        cursor = offset + size
    return bytes(out + data[cursor:end])


def apps(data: bytes) -> list[tuple[int, bytes]]:
    """(APPn number, identifier bytes) of each APPn segment in a stream."""
    segs, _end = ref_segments(data)
    return [(code - 0xE0, data[off + 4 : off + 4 + 12]) for code, off, _size in segs if 0xE0 <= code <= 0xEF]


def write(tmp_path: Path, data: bytes, name: str = "x.jpg") -> Path:
    target = tmp_path / name
    target.write_bytes(data)
    return target


def segment_at(data: bytes, code: int) -> tuple[int, int]:
    """(offset, size) of the first segment with ``code``."""
    segs, _ = ref_segments(data)
    return next((off, size) for c, off, size in segs if c == code)


def insert_after_soi(data: bytes, segment: bytes) -> bytes:
    return data[:2] + segment + data[2:]


def app_segment(n: int, payload: bytes) -> bytes:
    return bytes([0xFF, 0xE0 + n]) + struct.pack(">H", len(payload) + 2) + payload


def adobe(transform: int) -> bytes:
    return app_segment(14, b"Adobe" + struct.pack(">HHHB", 100, 0, 0, transform))


# -- the corpus -----------------------------------------------------------------------

def test_manifest_has_all_jpeg_rows() -> None:
    assert len(MANIFEST) == 89
    assert len(CONVERTED) == 59


@pytest.mark.parametrize(("path", "expect"), MANIFEST, ids=[p for p, _ in MANIFEST])
def test_corpus_row_matches_expectation(path: str, expect: str) -> None:
    if expect.startswith("reject:") or path in DELIBERATE_REJECTS:
        with pytest.raises(InputError) as info:
            read(path)
        assert str(CORPUS / path) in str(info.value)
        assert "\n" not in str(info.value)
        return
    assert expect.startswith("convert:")
    image = read(path)
    uid = re.search(r"1\.2\.840\.10008\.1\.2\.4\.\d+", expect)
    bits = re.search(r"BitsAllocated (\d+), BitsStored (\d+)", expect)
    assert uid and bits
    photometric = expect.split(";")[1].strip()
    px = image.pixels
    assert px.transfer_syntax == uid.group(0)
    assert px.photometric_interpretation == photometric
    assert (px.bits_allocated, px.bits_stored) == (int(bits.group(1)), int(bits.group(2)))
    assert px.high_bit == px.bits_stored - 1
    assert px.pixel_representation == 0
    assert px.planar_configuration == (0 if px.samples_per_pixel == 3 else None)
    assert image.format == ("jpeg-ls" if path.startswith("jpegls/") else "jpeg")


@pytest.mark.parametrize("path", CONVERTED)
def test_frame_is_source_minus_exactly_the_app_segments(path: str) -> None:
    source = (CORPUS / path).read_bytes()
    segs, end = ref_segments(source)
    dropped = [s for s in segs if 0xE0 <= s[0] <= 0xEF]
    assert frame_bytes(read(path)) == without(source, dropped, end)


@pytest.mark.parametrize("path", CONVERTED)
def test_frame_decodes_like_the_source(path: str) -> None:
    source = (CORPUS / path).read_bytes()
    frame = frame_bytes(read(path))

    def decode(data: bytes) -> np.ndarray:
        if path.startswith("jpegls/"):
            return jpeg_ls.decode(np.frombuffer(data, dtype=np.uint8))
        return libjpeg.decode(data)

    try:
        expected = decode(source)
    except Exception:  # undecodable source (fuzzed/hand-edited): the frame must be too
        with pytest.raises(Exception):  # noqa: B017,PT011
            decode(frame)
        return
    np.testing.assert_array_equal(decode(frame), expected)


def test_most_converted_files_are_decodable() -> None:
    """Guards the decode test against silently comparing nothing."""
    ok = 0
    for path in CONVERTED:
        data = (CORPUS / path).read_bytes()
        try:
            if path.startswith("jpegls/"):
                jpeg_ls.decode(np.frombuffer(data, dtype=np.uint8))
            else:
                libjpeg.decode(data)
            ok += 1
        except Exception:  # noqa: BLE001
            pass
    assert ok >= 50


def test_deliberate_rejections_say_why() -> None:
    with pytest.raises(InputError, match="no start-of-scan"):
        read("jpeg/jd_crash_missing-sos.jpg")
    with pytest.raises(InputError, match="subsampled JPEG-LS components .*2x4,2x1,1x2"):
        read("jpegls/t8sse0.jls")


def test_reject_messages_name_the_problem() -> None:
    cases = {
        "jpeg/jd_crash_empty.jpg": "not a JPEG file",
        "jpeg/iso10918-2_B1.jpg": "no frame header",
        "jpeg/iso10918-2_A1.jpg": "4 image components",
        "jpeg/iso10918-2_O1.jpg": "4 image components",
        "jpeg/iso10918-2_O2.jpg": "4 image components",
        "jpeg/ljt_testimgari.jpg": "SOF9.*arithmetic",
        "jpeg/pillow_truncated_jpeg.jpg": "stream ends before EOI",
        "jpeg/jd_crash_missing-sof.jpg": "runs past the end",
        "jpeg/jd_crash_null_height.jpg": "width or height = 0",
        "jpegls/charls_banny-hp2.jls": "mrfx.*HP2",
        "jpegls/wic_8bit_120x120_rgba_interleave_line.jls": "4 image components",
    }
    for path, pattern in cases.items():
        with pytest.raises(InputError, match=pattern):
            read(path)


# -- the frame stream ---------------------------------------------------------------------

def test_frame_stream_is_lazy_seekable_and_encapsulates(tmp_path: Path) -> None:
    image = read("jpeg/pillow_exif_gps.jpg")
    frame = image.frames[0]
    expected = frame_bytes(image)
    stream = frame.open()
    assert isinstance(stream, io.BufferedIOBase)
    assert stream.seekable() and stream.tell() == 0
    assert stream.seek(0, io.SEEK_END) == frame.length
    stream.seek(10)
    assert stream.read(5) == expected[10:15]
    stream.close()
    buffered = encapsulate_buffer([frame.open()])
    value = buffered.read()
    # BOT item (8 + 4) then the frame item: tag, length, data, padding.
    padded = frame.length + frame.length % 2
    assert value[12:20] == b"\xfe\xff\x00\xe0" + padded.to_bytes(4, "little")
    assert value[20 : 20 + frame.length] == expected


def test_range_stream_reads_across_ranges(tmp_path: Path) -> None:
    target = write(tmp_path, bytes(range(100)), "r.bin")
    ranges = [(0, 10), (10, 5), (50, 0), (60, 20), (95, 5)]
    expected = bytes(range(15)) + bytes(range(60, 80)) + bytes(range(95, 100))
    with open_ranges(target, ranges) as stream:
        assert stream.read() == expected
        stream.seek(-7, io.SEEK_END)
        assert stream.read() == expected[-7:]
        stream.seek(12)
        assert stream.read(6) == expected[12:18]
        assert stream.seek(3, io.SEEK_CUR) == 21
    raw = RangeStream(target, ranges)
    buf = bytearray(100)
    assert raw.readinto(buf) == 15  # one merged range per call is enough
    raw.close()


def test_range_stream_mixes_literal_pieces(tmp_path: Path) -> None:
    target = write(tmp_path, bytes(range(100)), "r.bin")
    ranges = [(0, 2), b"", b"XYZ", (10, 4), b"Q", (14, 2)]
    expected = bytes([0, 1]) + b"XYZ" + bytes(range(10, 14)) + b"Q" + bytes([14, 15])
    with open_ranges(target, ranges) as stream:
        assert stream.read() == expected
        stream.seek(3)
        assert stream.read(5) == expected[3:8]
    assert RangeStream(target, ranges).length == len(expected)


def test_range_stream_fails_cleanly_when_the_file_shrinks(tmp_path: Path) -> None:
    target = write(tmp_path, bytes(50), "r.bin")
    stream = open_ranges(target, [(0, 50)])
    target.write_bytes(bytes(10))
    with pytest.raises(InputError, match="shrank"):
        stream.read()
    stream.close()


# -- options: -dp, -de, -jf -----------------------------------------------------------

def test_progressive_is_accepted_with_a_retired_warning() -> None:
    image = read("jpeg/ljt_testimgp.jpg")
    assert image.pixels.transfer_syntax == "1.2.840.10008.1.2.4.55"
    assert any("retired" in w for w in image.warnings)


def test_progressive_jpeg_is_rejected_with_disable_progr() -> None:
    with pytest.raises(InputError, match=r"progressive JPEG found but progressive support is disabled \(-dp\)"):
        read("jpeg/ljt_testimgp.jpg", progressive="reject")
    assert read("jpeg/ljt_testorig.jpg", progressive="reject").pixels.transfer_syntax.endswith(".50")


def test_extended_jpeg_is_rejected_with_disable_ext() -> None:
    with pytest.raises(InputError, match=r"extended.*disabled \(-de\)"):
        read("jpeg/ljt_testorig12.jpg", extended="reject")
    assert read("jpeg/ljt_testimgp.jpg", extended="reject").pixels.transfer_syntax.endswith(".55")


def test_require_jfif_rejects_files_without_jfif() -> None:
    with pytest.raises(InputError, match="JFIF"):
        read("jpeg/pillow_app13.jpg", require_jfif=True)
    assert read("jpeg/ljt_testorig.jpg", require_jfif=True).pixels.rows == 149


# -- APPn and COM policies -------------------------------------------------------------

def test_strip_drops_every_app_segment() -> None:
    assert apps(frame_bytes(read("jpeg/pillow_pil_sample_rgb.jpg"))) == []


def test_keep_keeps_all_app_segments_but_jfif() -> None:
    source = (CORPUS / "jpeg/pillow_pil_sample_rgb.jpg").read_bytes()
    kept = apps(frame_bytes(read("jpeg/pillow_pil_sample_rgb.jpg", app_segments="keep")))
    assert kept == [a for a in apps(source) if not a[1].startswith(b"JFIF\x00")]
    assert {n for n, _ in kept} == {1, 2, 13, 14}


def test_keep_colour_keeps_only_icc_and_adobe() -> None:
    kept = apps(frame_bytes(read("jpeg/pillow_pil_sample_rgb.jpg", app_segments="keep-colour")))
    assert [(n, ident[:5]) for n, ident in kept] == [(2, b"ICC_P"), (14, b"Adobe")]


def test_comments_are_kept_unless_removed() -> None:
    def has_com(data: bytes) -> bool:
        return any(code == 0xFE for code, _o, _s in ref_segments(data)[0])

    assert has_com(frame_bytes(read("jpeg/pillow_hopper.jpg")))
    image = read("jpeg/pillow_hopper.jpg", comments="remove")
    assert not has_com(frame_bytes(image))
    assert any("COM" in note and "dropped" in note for note in image.notes)


def test_notes_list_kept_and_dropped_segments() -> None:
    notes = read("jpeg/pillow_exif_gps.jpg").notes
    assert any(n.startswith("segments kept:") and "SOF0" in n for n in notes)
    assert any(n.startswith("segments dropped") and "APP0 JFIF" in n and "APP1 Exif" in n for n in notes)


# -- colour ----------------------------------------------------------------------------

def without_jfif(data: bytes) -> bytes:
    offset, size = segment_at(data, 0xE0)
    assert data[offset + 4 : offset + 9] == b"JFIF\0"
    return data[:offset] + data[offset + size :]


def with_rgb_ids(data: bytes) -> bytes:
    patched = bytearray(data)
    sof, _ = segment_at(data, 0xC0)
    sos, _ = segment_at(data, 0xDA)
    for i, ident in enumerate(b"RGB"):
        patched[sof + 10 + 3 * i] = ident
        patched[sos + 5 + 2 * i] = ident
    return bytes(patched)


def test_jfif_means_ybr_even_with_adobe_transform_1() -> None:
    image = read("jpeg/pillow_pil_sample_rgb.jpg")
    assert image.pixels.photometric_interpretation == "YBR_FULL_422"
    assert any("JFIF APP0 means YCbCr" in n for n in image.notes)
    assert image.warnings == ()


def test_adobe_transform_1_without_jfif_means_ybr(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/pillow_pil_sample_rgb.jpg").read_bytes()
    image = READER.read(write(tmp_path, without_jfif(source)), InputOptions())
    assert image.pixels.photometric_interpretation == "YBR_FULL_422"
    assert any("APP14 transform 1" in n for n in image.notes)


def frame_ids(data: bytes) -> list[bytes]:
    """Component ids of the frame's SOF0 and of each SOS."""
    segs, _ = ref_segments(data)
    out = []
    for code, off, _size in segs:
        if code == 0xC0:
            out.append(bytes(data[off + 10 + 3 * i] for i in range(data[off + 9])))
        elif code == 0xDA:
            out.append(bytes(data[off + 5 + 2 * i] for i in range(data[off + 4])))
    return out


@pytest.mark.parametrize("policy", ["strip", "keep", "keep-colour"])
def test_jfif_overrules_adobe_transform_0_which_never_travels(tmp_path: Path, policy: str) -> None:
    # libjpeg: a JFIF APP0 means YCbCr before APP14 is looked at (jdapimin.c).
    source = (CORPUS / "jpeg/pillow_pil_sample_rgb.jpg").read_bytes()
    offset, _size = segment_at(source, 0xEE)
    assert source[offset + 4 : offset + 9] == b"Adobe"
    patched = bytearray(source)
    patched[offset + 4 + 11] = 0
    image = read(write(tmp_path, bytes(patched)), app_segments=policy)
    assert image.pixels.photometric_interpretation == "YBR_FULL_422"
    assert 14 not in [n for n, _ in apps(frame_bytes(image))]
    assert any("contradict" in w and "following JFIF" in w for w in image.warnings)


def test_adobe_transform_0_without_jfif_means_rgb_and_app14_is_kept_under_strip(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/pillow_pil_sample_rgb.jpg").read_bytes()
    offset, _size = segment_at(source, 0xEE)
    patched = bytearray(source)
    patched[offset + 4 + 11] = 0
    image = READER.read(write(tmp_path, without_jfif(bytes(patched))), InputOptions())
    assert image.pixels.photometric_interpretation == "RGB"
    assert [n for n, _ in apps(frame_bytes(image))] == [14]
    assert any("APP14 Adobe (transform 0) kept despite app_segments=strip" in n for n in image.notes)
    assert image.warnings == ()


def test_inserted_adobe_transform_0_without_jfif(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/jd_restarts.jpg").read_bytes()
    offset, size = segment_at(source, 0xE0)
    data = source[:offset] + adobe(0) + source[offset + size :]  # replace JFIF by Adobe
    image = READER.read(write(tmp_path, data), InputOptions())
    assert image.pixels.photometric_interpretation == "RGB"
    assert image.warnings == ()
    assert frame_bytes(image) == data[: ref_segments(data)[1]]


def test_rgb_component_ids_with_jfif_mean_ybr_and_are_rewritten(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/jd_restarts.jpg").read_bytes()
    data = with_rgb_ids(source)
    for policy in ("strip", "keep", "keep-colour"):
        image = read(write(tmp_path, data), app_segments=policy)
        assert image.pixels.photometric_interpretation == "YBR_FULL_422"
        frame = frame_bytes(image)
        assert frame_ids(frame) == [b"\x01\x02\x03"] * 2, policy
        assert any("component ids 'R','G','B' contradict" in w for w in image.warnings)
        assert "component ids rewritten in 2 SOF/SOS segment(s): 82->1, 71->2, 66->3" in image.notes
    # Only the ids changed: the stream is the source's without JFIF.
    assert frame == without_jfif(source)[: ref_segments(without_jfif(source))[1]]


def test_rgb_component_ids_without_jfif_or_app14_mean_rgb(tmp_path: Path) -> None:
    data = without_jfif(with_rgb_ids((CORPUS / "jpeg/jd_restarts.jpg").read_bytes()))
    image = READER.read(write(tmp_path, data, "a.jpg"), InputOptions())
    assert image.pixels.photometric_interpretation == "RGB"
    assert any("'R','G','B'" in n for n in image.notes)
    assert image.warnings == ()
    # An APP14 transform 0 follows SOI so decoders that look only for APP14 also see RGB.
    frame = frame_bytes(image)
    assert frame == data[:2] + adobe(0) + data[2 : ref_segments(data)[1]]
    # libjpeg decodes subsampled 'R','G','B' components as RGB too: same label, with a warning.
    data = without_jfif(with_rgb_ids((CORPUS / "jpeg/ljt_testorig.jpg").read_bytes()))
    image = READER.read(write(tmp_path, data, "b.jpg"), InputOptions())
    assert image.pixels.photometric_interpretation == "RGB"
    assert any("RGB components with chroma-style subsampling" in w for w in image.warnings)


@pytest.mark.parametrize(
    ("sampling", "warning"),
    [
        (0x21, None),
        (0x11, None),
        (0x22, "non-standard 4:2:0 subsampling"),
        (0x41, "non-standard 4:1:1 subsampling"),
        (0x12, "non-standard subsampling"),
    ],
)
def test_subsampling_warnings(tmp_path: Path, sampling: int, warning: str | None) -> None:
    data = bytearray((CORPUS / "jpeg/ljt_testorig.jpg").read_bytes())
    sof, _ = segment_at(bytes(data), 0xC0)
    data[sof + 11] = sampling
    image = READER.read(write(tmp_path, bytes(data)), InputOptions())
    found = [w for w in image.warnings if "subsampling" in w]
    assert found == ([f"JPEG file contains {warning}"] if warning else [])
    assert image.pixels.photometric_interpretation == "YBR_FULL_422"


def test_colour_reasoning_is_in_the_notes() -> None:
    notes = read("jpeg/ljt_testorig.jpg").notes
    assert "colour: 3 components, ids 1,2,3, sampling 2x2,1x1,1x1, JFIF present, JFIF APP0 means YCbCr -> YBR_FULL_422" in notes


# -- JFIF and pixel aspect ratio -------------------------------------------------------

def test_jfif_density_gives_vertical_horizontal_aspect() -> None:
    # Xdensity 1, Ydensity 2: pixels are twice as wide as tall -> vertical:horizontal 1:2
    # (DCMTK writes 2\1, which is inverted).
    assert read("jpeg/pillow_jfif_unit_cm.jpg").pixels.pixel_aspect_ratio == (1, 2)
    assert read("jpeg/ljt_testorig.jpg").pixels.pixel_aspect_ratio is None


@pytest.mark.parametrize(("x", "y", "ratio"), [(200, 100, (2, 1)), (0, 200, None), (300, 300, None), (4, 6, (2, 3))])
def test_aspect_ratio_from_densities(tmp_path: Path, x: int, y: int, ratio: tuple[int, int] | None) -> None:
    data = bytearray((CORPUS / "jpeg/ljt_testorig.jpg").read_bytes())
    app0, _ = segment_at(bytes(data), 0xE0)
    data[app0 + 12 : app0 + 16] = struct.pack(">HH", x, y)
    assert READER.read(write(tmp_path, bytes(data)), InputOptions()).pixels.pixel_aspect_ratio == ratio


# -- lossy facts and JPEG-LS -----------------------------------------------------------

def test_lossy_facts() -> None:
    assert read("jpeg/ljt_testorig.jpg").pixels.lossy.method == "ISO_10918_1"  # type: ignore[union-attr]
    assert read("jpegls/t8c0e0.jls").pixels.lossy is None
    assert read("jpegls/t8c0e3.jls").pixels.lossy.method == "ISO_14495_1"  # type: ignore[union-attr]


def test_jpeg_ls_stuffing_and_trailing_bytes() -> None:
    path = "jpegls/charls_ff_in_entropy_data.jls"
    image = read(path)
    size = (CORPUS / path).stat().st_size
    assert image.frames[0].length == size - 2 - 9  # 2 bytes after EOI; the 9-byte APP8 mrfx is dropped
    assert any("bytes after EOI ignored" in n for n in image.notes)


def test_jpeg_ls_spiff_header_is_rejected(tmp_path: Path) -> None:
    source = (CORPUS / "jpegls/t8c0e0.jls").read_bytes()
    spiff = app_segment(8, b"SPIFF\x00" + bytes(26))
    with pytest.raises(InputError, match="SPIFF"):
        READER.read(write(tmp_path, insert_after_soi(source, spiff), "s.jls"), InputOptions())
    bad_mrfx = app_segment(8, b"mrfx\x00\x00")
    with pytest.raises(InputError, match="mrfx"):
        READER.read(write(tmp_path, insert_after_soi(source, bad_mrfx), "m.jls"), InputOptions())


def test_jpeg_ls_extensions_sof57_are_rejected(tmp_path: Path) -> None:
    data = bytearray((CORPUS / "jpegls/t8c0e0.jls").read_bytes())
    sof, _ = segment_at(bytes(data), 0xF7)
    data[sof + 1] = 0xF9
    with pytest.raises(InputError, match="SOF57"):
        READER.read(write(tmp_path, bytes(data), "e.jls"), InputOptions())


def test_jpeg_ls_app14_is_not_consulted_and_stripped() -> None:
    image = read("jpegls/charls_test8_ilv_none_rm_7.jls")
    assert image.pixels.photometric_interpretation == "RGB"
    assert apps(frame_bytes(image)) == []
    assert any("not consulted" in n for n in image.notes)


# -- ICC ------------------------------------------------------------------------------

def test_icc_profile_is_reassembled_whatever_the_policy() -> None:
    for name in ("jpeg/mozilla_jpg-srgb-icc.jpg", "jpeg/ljt_monkey12.jpg"):
        profile = read(name).icc_profile
        assert profile is not None
        assert struct.unpack(">I", profile[:4])[0] == len(profile)
        assert profile[36:40] == b"acsp"
        assert read(name, app_segments="keep").icc_profile == profile


def test_icc_chunks_after_the_frame_header_do_not_duplicate() -> None:
    image = read("jpeg/pillow_icc-after-SOF.jpg")
    assert image.icc_profile == b"profile"
    assert image.warnings == ()


def _with_icc_chunks(chunks: list[tuple[int, int, bytes]]) -> bytes:
    source = (CORPUS / "jpeg/mozilla_jpg-gray.jpg").read_bytes()
    segs = b"".join(app_segment(2, b"ICC_PROFILE\x00" + bytes([seq, total]) + data) for seq, total, data in chunks)
    return insert_after_soi(source, segs)


def test_icc_chunks_are_joined_in_sequence_order(tmp_path: Path) -> None:
    data = _with_icc_chunks([(3, 3, b"CC"), (1, 3, b"AA"), (2, 3, b"BB")])
    assert READER.read(write(tmp_path, data), InputOptions()).icc_profile == b"AABBCC"


@pytest.mark.parametrize("chunks", [[(1, 2, b"AA")], [(1, 2, b"AA"), (1, 2, b"BB")], [(1, 1, b"A"), (2, 2, b"B")]])
def test_malformed_icc_chunks_warn_and_give_no_profile(tmp_path: Path, chunks: list[tuple[int, int, bytes]]) -> None:
    image = READER.read(write(tmp_path, _with_icc_chunks(chunks)), InputOptions())
    assert image.icc_profile is None
    assert any("ICC" in w for w in image.warnings)


# -- EXIF ------------------------------------------------------------------------------

def test_exif_fields_are_extracted() -> None:
    gps = read("jpeg/pillow_exif_gps.jpg").exif
    assert gps is not None
    assert (gps.make, gps.model, gps.date_time_original) == ("Make", "XXX-XXX", "2099:09:29 10:10:10")
    flower = read("jpeg/pillow_flower.jpg")
    assert flower.exif is not None
    assert (flower.exif.make, flower.exif.model, flower.exif.orientation) == ("Canon", "Canon PowerShot S40", 1)
    assert flower.exif.date_time_original == "2003:12:14 12:01:44"
    assert "EXIF: Make, Model, Orientation, DateTimeOriginal" in flower.notes
    assert read("jpeg/pillow_orientation_rectangle.jpg").exif.orientation == 8  # type: ignore[union-attr]


def test_exif_is_not_read_when_disabled() -> None:
    options = InputOptions(exif=False)
    assert READER.read(CORPUS / "jpeg/pillow_flower.jpg", options).exif is None


def test_malformed_exif_warns_and_is_ignored(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/mozilla_jpg-gray.jpg").read_bytes()
    data = insert_after_soi(source, app_segment(1, b"Exif\x00\x00XX*\x00garbage"))
    image = READER.read(write(tmp_path, data), InputOptions())
    assert image.exif is None
    assert any("EXIF" in w for w in image.warnings)


# -- structure and robustness ----------------------------------------------------------

def test_accepts_only_soi_followed_by_a_marker() -> None:
    assert READER.accepts(b"\xff\xd8\xff\xe0")
    assert not READER.accepts(b"\xff\xd8\x00")
    assert not READER.accepts(b"BM")
    assert not READER.accepts(b"")


def test_garbage_between_segments_warns_and_is_kept(tmp_path: Path) -> None:
    source = (CORPUS / "jpeg/ljt_testorig.jpg").read_bytes()
    dqt, _ = segment_at(source, 0xDB)
    data = source[:dqt] + b"\x01\x02\x03" + source[dqt:]
    image = READER.read(write(tmp_path, data), InputOptions())
    assert any("garbage data found in JPEG file (3 bytes" in w for w in image.warnings)
    np.testing.assert_array_equal(libjpeg.decode(frame_bytes(image)), libjpeg.decode(source))


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        ("dhp", "hierarchical"),
        ("sof_length", "bogus SOF0 marker length"),
        ("two_components", "2 image components"),
        ("precision", "12-bit samples are not valid for SOF0"),
        ("short_length", "invalid length 1"),
        ("no_eoi", "stream ends before EOI"),
    ],
)
def test_structural_problems_are_rejected(tmp_path: Path, edit: str, pattern: str) -> None:
    data = bytearray((CORPUS / "jpeg/mozilla_jpg-gray.jpg").read_bytes())
    sof, size = segment_at(bytes(data), 0xC0)
    if edit == "dhp":
        data[2:2] = b"\xff\xde\x00\x0b\x08\x00\x10\x00\x10\x01\x01\x11\x00"
    elif edit == "sof_length":
        data[sof + 3] += 3
    elif edit == "two_components":
        data = bytearray((CORPUS / "jpeg/ljt_testorig.jpg").read_bytes())
        sof, size = segment_at(bytes(data), 0xC0)
        data[sof + 3] = 8 + 3 * 2  # shorten the segment; the third spec becomes garbage
        data[sof + 9] = 2
    elif edit == "precision":
        data[sof + 4] = 12
    elif edit == "short_length":
        data[sof + 2 : sof + 4] = b"\x00\x01"
    elif edit == "no_eoi":
        del data[-2:]
    with pytest.raises(InputError, match=pattern):
        READER.read(write(tmp_path, bytes(data)), InputOptions())


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        READER.read(tmp_path / "nope.jpg", InputOptions())


@pytest.mark.parametrize("name", ["jpeg/pillow_pil_sample_rgb.jpg", "jpeg/ljt_testimgp.jpg", "jpegls/t8c1e3.jls"])
def test_mutated_files_only_ever_raise_input_error(tmp_path: Path, name: str) -> None:
    source = (CORPUS / name).read_bytes()
    rng = random.Random(name)
    target = tmp_path / "m.jpg"
    header_end = min(len(source), 2000)
    for round_ in range(120):
        data = bytearray(source)
        if round_ % 3 == 0:
            del data[rng.randrange(1, len(data)) :]
        else:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(0, header_end)] = rng.choice((0x00, 0xFF, 0x01, rng.randrange(256)))
        target.write_bytes(bytes(data))
        try:
            image = READER.read(target, replace(InputOptions(), exif=True))
        except InputError as exc:
            assert str(target) in str(exc)
            continue
        if image.pixels.transfer_syntax != "1.2.840.10008.1.2.1":  # passed through, not decoded
            assert image.frames[0].length <= len(data)
        assert len(frame_bytes(image)) == image.frames[0].length
