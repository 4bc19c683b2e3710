"""``input.orientation``: EXIF/TIFF Orientation applied to decoded pixels (numpy reference per EXIF 2.3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image
from pydicom import dcmread

from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image
from tests.tools import SC_PROFILE, run_cli

#: What a viewer does for each Orientation value (EXIF 2.3 Table 6, row 0 / column 0 meaning).
UPRIGHT = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
    8: lambda a: np.rot90(a, 1),
}
PICTURE = np.random.default_rng(5).integers(0, 256, (7, 11, 3), dtype=np.uint8)


def save(tmp_path: Path, suffix: str, orientation: int, array: np.ndarray = PICTURE) -> Path:
    image = Image.fromarray(array)
    exif = image.getexif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}{suffix}"
    extra = {"lossless": True} if suffix == ".webp" else {}
    image.save(path, exif=exif.tobytes(), **extra)
    return path


def pixels(path: Path, options: InputOptions) -> np.ndarray:
    source = read_image(path, options)
    px = source.pixels
    with source.frames[0].open() as stream:
        return np.frombuffer(stream.read(), np.uint8).reshape(px.rows, px.columns, px.samples_per_pixel)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("suffix", [".png", ".tif", ".webp"])
def test_applied_by_default(suffix: str, orientation: int, tmp_path: Path) -> None:
    path = save(tmp_path, suffix, orientation)
    assert np.array_equal(pixels(path, InputOptions()), UPRIGHT[orientation](PICTURE))
    assert np.array_equal(pixels(path, InputOptions(orientation="ignore")), PICTURE)


def test_grey_16_bit_tiff_is_turned_too(tmp_path: Path) -> None:
    grey = np.arange(7 * 11, dtype=np.uint16).reshape(7, 11) * 800
    image = Image.fromarray(grey)
    exif = image.getexif()
    exif[0x0112] = 6
    path = tmp_path / "g.tif"
    image.save(path, exif=exif.tobytes())
    source = read_image(path, InputOptions())
    with source.frames[0].open() as stream:
        got = np.frombuffer(stream.read(), "<u2").reshape(source.pixels.rows, source.pixels.columns)
    assert np.array_equal(got, np.rot90(grey, -1))


def test_cli_reports_it_and_ignore_warns(tmp_path: Path) -> None:
    path = save(tmp_path, ".png", 6)
    out = tmp_path / "out.dcm"
    report = run_cli("apply", SC_PROFILE, "--dry-run", path, out)
    assert "EXIF Orientation 6 (rotated 90° clockwise) applied" in report.stdout
    result = run_cli(path, out, "--orientation", "ignore")
    assert result.code == 0 and "input.orientation is ignore" in result.stderr
    assert dcmread(out).Rows == 7
    result = run_cli(path, out)
    assert result.code == 0 and "Orientation" not in result.stderr
    assert np.array_equal(dcmread(out).pixel_array, np.rot90(PICTURE, -1))


def test_heic_orientation_comes_from_the_container(tmp_path: Path) -> None:
    image = Image.fromarray(PICTURE)
    exif = image.getexif()
    exif[0x0112] = 8
    path = tmp_path / "o.heic"
    pillow_heif.register_heif_opener()
    image.save(path, exif=exif.tobytes(), quality=95)  # pillow-heif moves the orientation into irot
    source = read_image(path, InputOptions())
    assert (source.pixels.rows, source.pixels.columns) == (11, 7)
    assert any("applied by libheif" in note for note in source.notes)


@pytest.mark.parametrize("orientation", range(2, 9))
@pytest.mark.parametrize("mode", ["L", "P", "RGBA"])
@pytest.mark.parametrize("compression", ["raw", "tiff_lzw"])
def test_tiff_every_mode(mode: str, compression: str, orientation: int, tmp_path: Path) -> None:
    """Pillow 13 scrambles uncompressed L/P/RGBA TIFF with Orientation 5-8 unless libtiff decodes them."""
    image = Image.fromarray(PICTURE).convert(mode)
    exif = image.getexif()
    exif[0x0112] = orientation
    path = tmp_path / "m.tif"
    image.save(path, exif=exif.tobytes(), compression=compression)
    reference = np.asarray(Image.fromarray(PICTURE).convert(mode).convert("L" if mode == "L" else "RGB"))
    got = pixels(path, InputOptions())
    assert np.array_equal(got[..., 0] if mode == "L" else got, UPRIGHT[orientation](reference))
