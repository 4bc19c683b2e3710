"""BMP reader against every bmp/ row of the corpus, pixels checked bit for bit.

The expected decision is DCMTK 3.7.0's observed result (MANIFEST column
``dcmtk_370``) unless the file is listed in OUR_DIFFERENCES, which mirrors the
table in docs/input-raster.md.
"""

from __future__ import annotations

import csv
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers import bmp as bmp_module
from img2dcm.readers.base import SourceImage
from img2dcm.readers.bmp import BmpReader, check_header

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

#: file -> our decision where it deliberately differs from DCMTK 3.7.0:
#: a Photometric Interpretation (convert) or "reject: <text in the message>".
OUR_DIFFERENCES: dict[str, str] = {
    "bmp/bad/badwidth.bmp": "reject: width -127",
    "bmp/good/imagers_Core_1_Bit.bmp": "MONOCHROME2",
    "bmp/good/imagers_V4_R5_G6_B5.bmp": "RGB",
    "bmp/good/imagers_V5_A1_R5_G5_B5.bmp": "RGB",
    "bmp/good/imagers_V5_A8_R8_G8_B8_Rgb.bmp": "RGB",
    "bmp/good/pal4rle.bmp": "RGB",
    "bmp/good/pal8os2.bmp": "RGB",
    "bmp/good/pal8rle.bmp": "RGB",
    "bmp/good/pal8v4.bmp": "RGB",
    "bmp/good/pal8v5.bmp": "RGB",
    "bmp/good/pillow_hopper_rle8_grayscale.bmp": "MONOCHROME2",
    "bmp/good/rgb16-565.bmp": "RGB",
    "bmp/good/rgb16-565pal.bmp": "RGB",
    "bmp/good/rgb16bfdef.bmp": "RGB",
    "bmp/good/rgb24pal.bmp": "RGB",
    "bmp/good/rgb32bfdef.bmp": "RGB",
    "bmp/questionable/imagers_V3_R5_G6_B5.bmp": "RGB",
    "bmp/questionable/imagers_V3_X8_R8_G8_B8_Top_Down.bmp": "RGB",
    "bmp/questionable/pal2.bmp": "MONOCHROME2",
    "bmp/questionable/pal2color.bmp": "RGB",
    "bmp/questionable/pal4rlecut.bmp": "RGB",
    "bmp/questionable/pal4rletrns.bmp": "RGB",
    "bmp/questionable/pal8os2-hs.bmp": "RGB",
    "bmp/questionable/pal8os2-sz.bmp": "RGB",
    "bmp/questionable/pal8os2sp.bmp": "RGB",
    "bmp/questionable/pal8os2v2-sz.bmp": "RGB",
    "bmp/questionable/pal8os2v2.bmp": "RGB",
    "bmp/questionable/pal8rlecut.bmp": "RGB",
    "bmp/questionable/pal8rletrns.bmp": "RGB",
    "bmp/questionable/rgb24largepal.bmp": "RGB",
    "bmp/questionable/rgb24lprof.bmp": "RGB",
    "bmp/questionable/rgb24prof.bmp": "RGB",
    "bmp/questionable/rgb24prof2.bmp": "RGB",
    "bmp/questionable/rgb32-xbgr.bmp": "RGB",
    "bmp/questionable/rgb32h52.bmp": "RGB",
    "bmp/questionable/rgba16-5551.bmp": "RGB",
    "bmp/questionable/rgba32-1.bmp": "reject: choose input.alpha",
    "bmp/questionable/rgba32-2.bmp": "reject: choose input.alpha",
    "bmp/questionable/rgba32h56.bmp": "reject: choose input.alpha",
}

#: RLE files whose stream ends early: compared with the uncompressed drawing of the same picture.
UNCOMPRESSED_SIBLING: dict[str, str] = {
    "bmp/questionable/pal8rlecut.bmp": "bmp/good/pal8.bmp",
    "bmp/questionable/pal4rlecut.bmp": "bmp/good/pal4.bmp",
}


def _manifest_rows() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["path"].startswith("bmp/")]


ROWS = _manifest_rows()


def _expected(row: dict[str, str]) -> str:
    """A PI to convert to, or "reject: ..." (DCMTK's observation unless we differ)."""
    if row["path"] in OUR_DIFFERENCES:
        return OUR_DIFFERENCES[row["path"]]
    observed = row["dcmtk_370"]
    match = re.match(r"ok =LittleEndianExplicit (\S+) 8 8", observed)
    return match.group(1) if match else "reject: "


def _frame_array(source: SourceImage) -> np.ndarray:
    pixels = source.pixels
    with source.frames[0].open() as stream:
        data = stream.read()
    assert len(data) == source.frames[0].length
    shape = (pixels.rows, pixels.columns, pixels.samples_per_pixel)
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)


def _reference_2bit(path: Path, photometric: str) -> np.ndarray:
    """Independent 2-bit decode: unpack indices MSB first, look them up in the table."""
    data = path.read_bytes()
    offset, header_size = struct.unpack_from("<II", data, 10)
    width, height, _, bits, _, _, _, _, used = struct.unpack_from("<iiHHIIiiI", data, 18)
    assert bits == 2
    table = np.frombuffer(data, np.uint8, (used or 4) * 4, 14 + header_size).reshape(-1, 4)
    stride = (width * 2 + 31) // 32 * 4
    rows = np.frombuffer(data, np.uint8, stride * abs(height), offset).reshape(abs(height), stride)
    indices = np.stack([(rows >> s) & 3 for s in (6, 4, 2, 0)], axis=2).reshape(abs(height), -1)
    indices = indices[:, :width]
    if height > 0:
        indices = indices[::-1]
    rgb = table[:, 2::-1][indices]
    return rgb[:, :, :1] if photometric == "MONOCHROME2" else rgb


def _reference(path: Path, photometric: str) -> np.ndarray:
    with Image.open(path) as image:
        if photometric == "MONOCHROME2":
            return np.asarray(image.convert("L"))[:, :, None]
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
def test_corpus_decision_and_pixels(row: dict[str, str]) -> None:
    path = CORPUS / row["path"]
    expected = _expected(row)
    reader = BmpReader()
    if expected.startswith("reject"):
        with pytest.raises(InputError) as caught:
            reader.read(path, InputOptions())
        assert caught.value.path == str(path)
        assert str(path) in caught.value.line()
        assert "\n" not in caught.value.line()
        assert expected.removeprefix("reject: ") in caught.value.message
        return

    source = reader.read(path, InputOptions())
    pixels = source.pixels
    assert source.format == "bmp"
    assert pixels.photometric_interpretation == expected
    assert (pixels.bits_allocated, pixels.bits_stored, pixels.high_bit) == (8, 8, 7)
    assert pixels.samples_per_pixel == (1 if expected == "MONOCHROME2" else 3)
    assert pixels.planar_configuration == (None if expected == "MONOCHROME2" else 0)
    assert pixels.transfer_syntax == "1.2.840.10008.1.2.1"
    assert pixels.pixel_representation == 0 and pixels.lossy is None
    assert pixels.pixel_aspect_ratio is None
    actual = _frame_array(source)

    if row["path"] in UNCOMPRESSED_SIBLING:
        reference = _reference(CORPUS / UNCOMPRESSED_SIBLING[row["path"]], expected)
        undefined = int(re.search(r"leave (\d+) pixels", " ".join(source.warnings)).group(1))
        differs = (actual != reference).any(axis=2)
        assert 0 < differs.sum() <= undefined
        data = path.read_bytes()  # colour-table entry 0 (B, G, R) right after the info header
        table = 14 + struct.unpack_from("<I", data, 14)[0]
        index0 = np.frombuffer(data, np.uint8, 3, table)[::-1]
        assert (actual[differs] == index0).all()
    elif "pal2" in row["path"]:
        assert np.array_equal(actual, _reference_2bit(path, expected))
    else:
        assert np.array_equal(actual, _reference(path, expected))


def test_bad_palette_index_is_rejected_against_the_real_table_size() -> None:
    path = CORPUS / "bmp/bad/pal8badindex.bmp"
    with pytest.raises(InputError, match="beyond the 101-entry colour table"):
        BmpReader().read(path, InputOptions())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bmp/bad/reallybig.bmp", "width 3000000 is more than 65535"),
        ("bmp/bad/pillow_l2rgb_read.bmp", "width 3158064"),
        ("bmp/bad/shortfile.bmp", "header promises 1024 bytes of pixels but the file has 211"),
        ("bmp/bad/badplanes.bmp", "planes is 30000"),
        ("bmp/bad/badpalettesize.bmp", "colour table of 305402420 entries"),
        ("bmp/bad/badbitcount.bmp", "30000 bits per pixel"),
    ],
)
def test_lying_headers_are_rejected_before_pillow_allocates(
    name: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("Pillow must not be reached")

    monkeypatch.setattr(bmp_module.Image, "open", no_decoding)
    with pytest.raises(InputError, match=re.escape(message)):
        BmpReader().read(CORPUS / name, InputOptions())


def test_check_header_reports_the_pixel_shortfall() -> None:
    data = (CORPUS / "bmp/good/rgb24.bmp").read_bytes()
    with pytest.raises(InputError, match="header promises 24576 bytes of pixels but the file has 100"):
        check_header(data[:154], 154)
    header = check_header(data, len(data))
    assert (header.width, header.height, header.bit_count, header.kind) == (
        127,
        64,
        24,
        "BITMAPINFOHEADER",
    )


def test_truncated_file_header_is_rejected() -> None:
    with pytest.raises(InputError, match="too short"):
        check_header(b"BM\x00\x00", 4)


@pytest.mark.parametrize("error", [struct.error("bad"), SyntaxError("bad"), ValueError("x"), OSError("y")])
def test_any_pillow_exception_becomes_input_error(
    error: Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(bmp_module.Image, "open", failing)
    path = CORPUS / "bmp/good/rgb24.bmp"
    with pytest.raises(InputError) as caught:
        BmpReader().read(path, InputOptions())
    assert caught.value.path == str(path)


def test_decompression_bomb_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(InputError, match="too large"):
        BmpReader().read(CORPUS / "bmp/good/rgb24.bmp", InputOptions())


def test_v5_embedded_icc_profile_is_returned() -> None:
    source = BmpReader().read(CORPUS / "bmp/questionable/rgb24prof.bmp", InputOptions())
    assert source.icc_profile is not None and source.icc_profile[36:40] == b"acsp"
    assert len(source.icc_profile) == struct.unpack(">I", source.icc_profile[:4])[0]


@pytest.mark.parametrize("name", ["rgba32-1", "rgba32-2", "rgba32h56"])
def test_real_alpha_converts_with_drop_or_flatten(name: str) -> None:
    path = CORPUS / f"bmp/questionable/{name}.bmp"
    with Image.open(path) as image:
        rgba = np.asarray(image.convert("RGBA")).astype(np.uint32)
    dropped = BmpReader().read(path, InputOptions(alpha="drop"))
    assert any(w.startswith("alpha channel dropped") for w in dropped.warnings)
    assert np.array_equal(_frame_array(dropped), rgba[..., :3])
    flat = BmpReader().read(path, InputOptions(alpha="flatten", background=(0, 0, 0)))
    alpha = rgba[..., 3:]
    assert np.array_equal(_frame_array(flat), (rgba[..., :3] * alpha + 127) // 255)


def test_grey_table_of_a_24_bit_file_is_ignored() -> None:
    source = BmpReader().read(CORPUS / "bmp/good/rgb24pal.bmp", InputOptions())
    assert source.pixels.photometric_interpretation == "RGB"
    assert any("optional colour table of 256 entries ignored" in n for n in source.notes)


def test_accepts_only_bm_magic() -> None:
    assert BmpReader().accepts(b"BM\x36\x00")
    assert not BmpReader().accepts(b"BA\x00\x00")
    assert not BmpReader().accepts(b"")
