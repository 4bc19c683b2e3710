"""``input.alpha``: opaque alpha dropped silently, real transparency rejected, dropped or flattened.

Inputs are made with Pillow; flattening is checked against the exact blend
round(c·a/255 + bg·(255 − a)/255) computed here in floating point.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image
from tests.tools import SC_PROFILE, dciodvfy, run_cli

RNG = np.random.default_rng(12)


def frame_of(path: Path, options: InputOptions) -> tuple[np.ndarray, object]:
    source = read_image(path, options)
    px = source.pixels
    with source.frames[0].open() as stream:
        data = stream.read()
    dtype = "<u2" if px.bits_allocated == 16 else np.uint8
    shape = (px.rows, px.columns, px.samples_per_pixel) if px.samples_per_pixel > 1 else (px.rows, px.columns)
    return np.frombuffer(data, dtype=dtype).reshape(shape), source


def blend(colour: np.ndarray, alpha: np.ndarray, background: tuple[int, ...]) -> np.ndarray:
    a = alpha.astype(np.float64)[..., None] / 255
    exact = colour.astype(np.float64) * a + np.asarray(background, dtype=np.float64) * (1 - a)
    return np.round(exact).astype(np.uint8)


def rgba_png(tmp_path: Path, opaque: bool = False) -> tuple[Path, np.ndarray]:
    values = RNG.integers(0, 256, (6, 9, 4), dtype=np.uint8)
    values[..., 3] = 255
    if not opaque:
        values[0, :, 3] = 0  # a fully transparent row, as screenshots with rounded corners have
        values[2, 3, 3] = 128  # and one half-transparent pixel
    path = tmp_path / "rgba.png"
    Image.fromarray(values).save(path)
    return path, values


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_opaque_alpha_is_dropped_silently(suffix: str, tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (5, 7, 4), dtype=np.uint8)
    values[..., 3] = 255
    path = tmp_path / f"opaque{suffix}"
    Image.fromarray(values).save(path)
    frame, source = frame_of(path, InputOptions())
    assert np.array_equal(frame, values[..., :3])
    assert source.warnings == ()
    assert any("opaque everywhere" in note for note in source.notes)


def test_real_alpha_is_rejected_by_default_naming_the_policy(tmp_path: Path) -> None:
    path, _ = rgba_png(tmp_path)
    with pytest.raises(InputError) as caught:
        read_image(path, InputOptions())
    assert "input.alpha" in caught.value.message and "flatten" in caught.value.message
    assert "10 of 54 pixels are not opaque" in caught.value.message


@pytest.mark.parametrize("background", [(255, 255, 255), (0, 0, 0), (12, 200, 99)])
def test_rgba_flatten(background: tuple[int, int, int], tmp_path: Path) -> None:
    path, values = rgba_png(tmp_path)
    frame, source = frame_of(path, InputOptions(alpha="flatten", background=background))
    assert source.pixels.photometric_interpretation == "RGB"
    assert np.array_equal(frame, blend(values[..., :3], values[..., 3], background))
    assert np.array_equal(frame[0], np.broadcast_to(background, (9, 3)))


def test_rgba_drop_keeps_colour_values(tmp_path: Path) -> None:
    path, values = rgba_png(tmp_path)
    frame, source = frame_of(path, InputOptions(alpha="drop"))
    assert np.array_equal(frame, values[..., :3])
    assert source.warnings == ("alpha channel dropped (10 of 54 pixels are not opaque; input.alpha drop)",)


@pytest.mark.parametrize("background,photometric", [((128, 128, 128), "MONOCHROME2"), ((255, 0, 0), "RGB")])
def test_grey_alpha_flatten(background: tuple[int, int, int], photometric: str, tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (4, 6, 2), dtype=np.uint8)
    path = tmp_path / "la.png"
    Image.fromarray(values, "LA").save(path)
    frame, source = frame_of(path, InputOptions(alpha="flatten", background=background))
    assert source.pixels.photometric_interpretation == photometric
    grey = np.repeat(values[..., :1], 3, axis=-1)
    expected = blend(grey, values[..., 1], background)
    assert np.array_equal(frame, expected[..., 0] if photometric == "MONOCHROME2" else expected)


def test_palette_transparency_flatten(tmp_path: Path) -> None:
    table = np.array([[255, 0, 0], [0, 0, 255], [10, 20, 30]], dtype=np.uint8)
    indices = np.array([[0, 1, 2], [2, 1, 0]], dtype=np.uint8)
    image = Image.fromarray(indices, "P")
    image.putpalette(table.reshape(-1).tolist())
    path = tmp_path / "p.png"
    image.save(path, transparency=1)
    with pytest.raises(InputError, match="input.alpha"):
        read_image(path, InputOptions())
    frame, _ = frame_of(path, InputOptions(alpha="flatten", background=(0, 255, 0)))
    expected = table[indices]
    expected[indices == 1] = (0, 255, 0)
    assert np.array_equal(frame, expected)


def test_keyed_grey_and_rgb_transparency(tmp_path: Path) -> None:
    grey = np.array([[5, 7, 5], [9, 5, 1]], dtype=np.uint8)
    path = tmp_path / "l.png"
    Image.fromarray(grey).save(path, transparency=5)
    with pytest.raises(InputError, match="3 of 6 pixels"):
        read_image(path, InputOptions())
    frame, _ = frame_of(path, InputOptions(alpha="flatten", background=(200, 200, 200)))
    assert np.array_equal(frame, np.where(grey == 5, 200, grey))

    rgb = RNG.integers(0, 4, (3, 3, 3), dtype=np.uint8)
    rgb[1, 1] = (1, 2, 3)
    path = tmp_path / "rgb.png"
    Image.fromarray(rgb).save(path, transparency=(1, 2, 3))
    frame, _ = frame_of(path, InputOptions(alpha="flatten", background=(9, 9, 9)))
    keyed = np.all(rgb == (1, 2, 3), axis=-1)
    assert np.array_equal(frame, np.where(keyed[..., None], 9, rgb))


def test_16_bit_grey_keyed_transparency(tmp_path: Path) -> None:
    grey = np.array([[1000, 65535], [1000, 7]], dtype=np.uint16)
    path = tmp_path / "g16.png"
    Image.fromarray(grey).save(path, transparency=1000)
    frame, source = frame_of(path, InputOptions(alpha="flatten", background=(16, 16, 16)))
    assert source.pixels.bits_stored == 16
    assert np.array_equal(frame, np.where(grey == 1000, 16 * 257, grey))
    with pytest.raises(InputError, match="grey background"):
        read_image(path, InputOptions(alpha="flatten", background=(1, 2, 3)))


def test_cli_rgba_png_fails_by_default_and_converts_with_flatten(tmp_path: Path) -> None:
    path, values = rgba_png(tmp_path)
    out = tmp_path / "out.dcm"
    result = run_cli(path, out)
    assert result.code == 1 and "input.alpha" in result.stderr and "--alpha" in result.stderr
    assert not out.exists()
    result = run_cli(path, out, "--alpha", "flatten", "--background", "0", "0", "0", "--compression", "rle")
    assert result.code == 0, result.stderr
    assert np.array_equal(dcmread(out).pixel_array, blend(values[..., :3], values[..., 3], (0, 0, 0)))
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output
    result = run_cli("apply", SC_PROFILE, "--set", "input.alpha=drop", path, out)
    assert result.code == 0 and "alpha channel dropped" in result.stderr
