"""PNG and TIFF readers on small images generated with Pillow in each test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms
from PIL.TiffImagePlugin import ImageFileDirectory_v2

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.png import PngReader
from img2dcm.readers.tiff import TiffReader

RNG = np.random.default_rng(7)
READERS = {"png": PngReader(), "tiff": TiffReader()}
SUFFIX = {"png": ".png", "tiff": ".tif"}


def _frames(source: SourceImage) -> list[np.ndarray]:
    pixels = source.pixels
    dtype = "<u2" if pixels.bits_allocated == 16 else np.uint8
    shape = (pixels.rows, pixels.columns, pixels.samples_per_pixel)
    out = []
    for frame in source.frames:
        with frame.open() as stream:
            data = stream.read()
        assert len(data) == frame.length
        out.append(np.frombuffer(data, dtype=dtype).reshape(shape))
    return out


def _save(image: Image.Image, tmp_path: Path, fmt: str, **params: object) -> Path:
    path = tmp_path / f"img{SUFFIX[fmt]}"
    image.save(path, **params)
    return path


def _check(source: SourceImage, photometric: str, bits: int) -> None:
    pixels = source.pixels
    assert pixels.photometric_interpretation == photometric
    assert (pixels.bits_allocated, pixels.bits_stored, pixels.high_bit) == (bits, bits, bits - 1)
    assert pixels.samples_per_pixel == (3 if photometric == "RGB" else 1)
    assert pixels.planar_configuration == (0 if photometric == "RGB" else None)
    assert pixels.transfer_syntax == "1.2.840.10008.1.2.1"
    assert pixels.pixel_representation == 0 and pixels.pixel_aspect_ratio is None


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_8_bit_grey_is_monochrome2_8(fmt: str, tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (5, 7), dtype=np.uint8)
    path = _save(Image.fromarray(values), tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "MONOCHROME2", 8)
    assert source.format == fmt
    assert np.array_equal(_frames(source)[0][:, :, 0], values)


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_16_bit_grey_keeps_16_bits_little_endian(fmt: str, tmp_path: Path) -> None:
    values = RNG.integers(256, 65536, (4, 6), dtype=np.uint16)
    image = Image.frombytes("I;16", (6, 4), values.astype("<u2").tobytes())
    path = _save(image, tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "MONOCHROME2", 16)
    assert np.array_equal(_frames(source)[0][:, :, 0], values)


def test_16_bit_big_endian_tiff_is_byte_swapped(tmp_path: Path) -> None:
    values = RNG.integers(256, 65536, (3, 5), dtype=np.uint16)
    image = Image.frombytes("I;16B", (5, 3), values.astype(">u2").tobytes())
    path = _save(image, tmp_path, "tiff")
    source = TiffReader().read(path, InputOptions())
    _check(source, "MONOCHROME2", 16)
    assert np.array_equal(_frames(source)[0][:, :, 0], values)


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_rgb_is_interleaved_rgb_8(fmt: str, tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    path = _save(Image.fromarray(values), tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "RGB", 8)
    assert np.array_equal(_frames(source)[0], values)
    assert source.warnings == ()


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_rgba_drops_alpha_with_a_warning(fmt: str, tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (4, 5, 4), dtype=np.uint8)
    path = _save(Image.fromarray(values), tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions(alpha="drop"))
    _check(source, "RGB", 8)
    assert np.array_equal(_frames(source)[0], values[:, :, :3])
    assert any(w.startswith("alpha channel dropped") for w in source.warnings)


def test_grey_alpha_png_drops_alpha(tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (3, 4, 2), dtype=np.uint8)
    path = _save(Image.fromarray(values), tmp_path, "png")
    source = PngReader().read(path, InputOptions(alpha="drop"))
    _check(source, "MONOCHROME2", 8)
    assert np.array_equal(_frames(source)[0][:, :, 0], values[:, :, 0])
    assert any(w.startswith("alpha channel dropped") for w in source.warnings)


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_colour_palette_is_expanded_to_rgb(fmt: str, tmp_path: Path) -> None:
    table = RNG.integers(0, 256, (16, 3), dtype=np.uint8)
    indices = RNG.integers(0, 16, (6, 5), dtype=np.uint8)
    image = Image.frombytes("P", (5, 6), indices.tobytes())
    image.putpalette(table.reshape(-1).tolist())
    path = _save(image, tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "RGB", 8)
    assert np.array_equal(_frames(source)[0], table[indices])


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_grey_palette_gives_grey_levels_not_indices(fmt: str, tmp_path: Path) -> None:
    levels = np.array([200, 10, 90, 255], dtype=np.uint8)
    indices = RNG.integers(0, 4, (3, 8), dtype=np.uint8)
    image = Image.frombytes("P", (8, 3), indices.tobytes())
    image.putpalette(np.repeat(levels, 3).tolist())
    path = _save(image, tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "MONOCHROME2", 8)
    assert np.array_equal(_frames(source)[0][:, :, 0], levels[indices])


def test_palette_transparency_is_dropped_with_a_warning(tmp_path: Path) -> None:
    image = Image.frombytes("P", (2, 2), bytes([0, 1, 1, 0]))
    image.putpalette([255, 0, 0, 0, 0, 255])
    path = _save(image, tmp_path, "png", transparency=0)
    source = PngReader().read(path, InputOptions(alpha="drop"))
    assert any(w.startswith("alpha channel dropped") for w in source.warnings)
    assert np.array_equal(_frames(source)[0][0, 0], [255, 0, 0])


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_1_bit_becomes_0_and_255(fmt: str, tmp_path: Path) -> None:
    bits = RNG.integers(0, 2, (5, 9), dtype=np.uint8).astype(bool)
    path = _save(Image.fromarray(bits), tmp_path, fmt)
    source = READERS[fmt].read(path, InputOptions())
    _check(source, "MONOCHROME2", 8)
    assert np.array_equal(_frames(source)[0][:, :, 0], np.where(bits, 255, 0))


def test_multi_page_tiff_gives_one_frame_per_page(tmp_path: Path) -> None:
    pages = [RNG.integers(0, 256, (3, 4, 3), dtype=np.uint8) for _ in range(3)]
    images = [Image.fromarray(page) for page in pages]
    path = tmp_path / "pages.tif"
    images[0].save(path, save_all=True, append_images=images[1:])
    source = TiffReader().read(path, InputOptions())
    _check(source, "RGB", 8)
    assert len(source.frames) == 3
    for got, want in zip(_frames(source), pages, strict=True):
        assert np.array_equal(got, want)
    assert "3 pages as frames" in source.notes


def test_multi_page_tiff_with_different_sizes_is_rejected_naming_the_page(tmp_path: Path) -> None:
    path = tmp_path / "mixed.tif"
    Image.new("L", (4, 3)).save(path, save_all=True, append_images=[Image.new("L", (5, 3))])
    with pytest.raises(InputError, match="page 2: 5x3"):
        TiffReader().read(path, InputOptions())


def test_multi_page_tiff_with_different_formats_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "mixed.tif"
    Image.new("L", (4, 3)).save(path, save_all=True, append_images=[Image.new("RGB", (4, 3))])
    with pytest.raises(InputError, match="page 2: .*RGB"):
        TiffReader().read(path, InputOptions())


def test_png_icc_profile_is_returned(tmp_path: Path) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = _save(Image.new("RGB", (3, 3), (1, 2, 3)), tmp_path, "png", icc_profile=profile)
    source = PngReader().read(path, InputOptions())
    assert source.icc_profile == profile


def test_tiff_exif_is_read_from_ifd0_and_the_exif_sub_ifd(tmp_path: Path) -> None:
    tags = ImageFileDirectory_v2()
    tags[0x010F] = "Acme"
    tags[0x0110] = "Scope 9"
    tags[0x0112] = 1
    tags[0x8769] = {0x9003: "2024:05:06 07:08:09", 0x9011: "+02:00", 0x9291: "25"}
    path = _save(Image.new("L", (3, 2)), tmp_path, "tiff", tiffinfo=tags)
    exif = TiffReader().read(path, InputOptions()).exif
    assert exif is not None
    assert exif.date_time_original == "2024:05:06 07:08:09"
    assert (exif.offset_time_original, exif.subsec_time_original) == ("+02:00", "25")
    assert (exif.make, exif.model, exif.orientation) == ("Acme", "Scope 9", 1)
    assert TiffReader().read(path, InputOptions(exif=False)).exif is None


def test_png_exif_chunk_is_read(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Acme"
    exif.get_ifd(0x8769)[0x9003] = "2023:01:02 03:04:05"
    path = _save(Image.new("RGB", (2, 2)), tmp_path, "png", exif=exif)
    facts = PngReader().read(path, InputOptions()).exif
    assert facts is not None
    assert (facts.make, facts.date_time_original) == ("Acme", "2023:01:02 03:04:05")


def test_malformed_exif_never_stops_the_conversion(tmp_path: Path) -> None:
    path = _save(Image.new("L", (2, 2)), tmp_path, "png", exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7f")
    source = PngReader().read(path, InputOptions())
    assert source.exif is None
    assert source.pixels.rows == 2


def test_16_bit_rgb_png_is_rejected(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (2, 2)), tmp_path, "png")
    data = bytearray(path.read_bytes())
    data[24] = 16  # IHDR bit depth; the reader refuses before decoding
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="16-bit RGB PNG is not supported"):
        PngReader().read(path, InputOptions())


def test_cmyk_tiff_is_rejected(tmp_path: Path) -> None:
    path = _save(Image.new("CMYK", (2, 2)), tmp_path, "tiff")
    with pytest.raises(InputError, match="CMYK"):
        TiffReader().read(path, InputOptions())


def test_float_tiff_is_rejected(tmp_path: Path) -> None:
    path = _save(Image.new("F", (2, 2), 0.5), tmp_path, "tiff")
    with pytest.raises(InputError, match="floating-point"):
        TiffReader().read(path, InputOptions())


def test_jpeg_compressed_tiff_is_marked_lossy(tmp_path: Path) -> None:
    path = _save(Image.new("RGB", (16, 16), (9, 99, 199)), tmp_path, "tiff", compression="jpeg")
    source = TiffReader().read(path, InputOptions())
    assert source.pixels.lossy is not None and source.pixels.lossy.method == "ISO_10918_1"


def test_truncated_png_is_rejected(tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    path = _save(Image.fromarray(values), tmp_path, "png")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        PngReader().read(path, InputOptions())
    assert caught.value.path == str(path) and "\n" not in caught.value.line()


@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_garbage_is_rejected(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"garbage{SUFFIX[fmt]}"
    path.write_bytes(bytes(RNG.integers(0, 256, 300, dtype=np.uint8)))
    with pytest.raises(InputError) as caught:
        READERS[fmt].read(path, InputOptions())
    assert caught.value.path == str(path)


def test_garbage_after_a_tiff_magic_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.tif"
    path.write_bytes(b"II*\x00" + bytes(RNG.integers(0, 256, 200, dtype=np.uint8)))
    with pytest.raises(InputError):
        TiffReader().read(path, InputOptions())


def test_magic_bytes() -> None:
    assert PngReader().accepts(b"\x89PNG\r\n\x1a\n\x00")
    assert not PngReader().accepts(b"\x89PNX\r\n\x1a\n")
    assert TiffReader().accepts(b"II*\x00") and TiffReader().accepts(b"MM\x00*")
    assert not TiffReader().accepts(b"II\x00*")
