"""Readers for PNM, WebP, GIF, HEIC and the wider TIFF: detection, pixels, lossiness, bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image, sniff
from img2dcm.readers.base import SourceImage
from tests.photo_inputs import PHOTOS, smooth_rgb

RNG = np.random.default_rng(99)


def frames(source: SourceImage) -> np.ndarray:
    px = source.pixels
    dtype = "<u2" if px.bits_allocated == 16 else np.uint8
    shape = (px.rows, px.columns, px.samples_per_pixel) if px.samples_per_pixel > 1 else (px.rows, px.columns)
    out = []
    for frame in source.frames:
        with frame.open() as stream:
            out.append(np.frombuffer(stream.read(), dtype=dtype).reshape(shape))
    return np.stack(out)


@pytest.mark.parametrize("name,fmt", [("webp-lossless", "webp"), ("webp-lossy", "webp"), ("gif-animated", "gif"),
                                      ("gif-grey", "gif"), ("pgm16", "pnm"), ("tiff-rgb16", "tiff"),
                                      ("heic", "heic")])
def test_sniffed_and_decoded(name: str, fmt: str, tmp_path: Path) -> None:
    path, expected = PHOTOS[name][0](tmp_path)
    assert sniff(path.read_bytes()[:16]) == fmt
    source = read_image(path, InputOptions())
    assert source.format == fmt
    got = frames(source)
    assert np.array_equal(got if expected.ndim == got.ndim else got[0], expected)


def test_lossy_flags(tmp_path: Path) -> None:
    lossy = read_image(PHOTOS["webp-lossy"][0](tmp_path)[0], InputOptions()).pixels.lossy
    assert lossy is not None and lossy.method is None and "VP8" in lossy.codec and lossy.ratio > 1
    assert read_image(PHOTOS["webp-lossless"][0](tmp_path)[0], InputOptions()).pixels.lossy is None
    heic = read_image(PHOTOS["heic"][0](tmp_path)[0], InputOptions()).pixels.lossy
    assert heic is not None and heic.method == "ISO_23008_2"
    assert read_image(PHOTOS["gif-grey"][0](tmp_path)[0], InputOptions()).pixels.lossy is None


def test_heic_10_bit_stays_10_bit(tmp_path: Path) -> None:
    path, expected = PHOTOS["heic-10bit"][0](tmp_path)
    source = read_image(path, InputOptions())
    px = source.pixels
    assert (px.bits_allocated, px.bits_stored, px.high_bit) == (16, 10, 9)
    assert np.array_equal(frames(source)[0], expected)


def test_heic_without_pillow_heif_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path, _ = PHOTOS["heic"][0](tmp_path)
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    with pytest.raises(InputError, match=r"pip install 'img2dcm\[heic\]'"):
        read_image(path, InputOptions())


def test_grey_gif_keeps_grey_levels(tmp_path: Path) -> None:
    path, expected = PHOTOS["gif-grey"][0](tmp_path)
    source = read_image(path, InputOptions())
    assert source.pixels.photometric_interpretation == "MONOCHROME2"
    assert np.array_equal(frames(source)[0], expected)


def test_animated_gif_with_transparency_follows_the_alpha_policy(tmp_path: Path) -> None:
    pictures = []
    for i in range(2):
        image = Image.fromarray(smooth_rgb(i)).quantize(16)
        pictures.append(image)
    path = tmp_path / "t.gif"
    pictures[0].save(path, save_all=True, append_images=pictures[1:], transparency=0, duration=50, disposal=2)
    with pytest.raises(InputError, match="input.alpha"):
        read_image(path, InputOptions())
    source = read_image(path, InputOptions(alpha="flatten", background=(0, 0, 0)))
    assert len(source.frames) == 2 and source.pixels.photometric_interpretation == "RGB"


# ---------------------------------------------------------------- PNM


def pnm(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pbm_plain_and_raw(tmp_path: Path) -> None:
    bits = np.array([[1, 0, 1], [0, 0, 1]], dtype=np.uint8)
    plain = pnm(tmp_path, "p.pbm", b"P1\n3 2\n1 0 1\n0 0 1\n")
    raw = pnm(tmp_path, "r.pbm", b"P4\n3 2\n" + bytes([0b10100000, 0b00100000]))
    for path in (plain, raw):
        source = read_image(path, InputOptions())
        assert source.pixels.photometric_interpretation == "MONOCHROME2"
        assert np.array_equal(frames(source)[0], np.where(bits == 1, 0, 255))  # PBM 1 = black


def test_pgm_and_ppm_8_bit(tmp_path: Path) -> None:
    grey = RNG.integers(0, 256, (4, 5), dtype=np.uint8)
    source = read_image(pnm(tmp_path, "g.pgm", b"P5 5 4 255\n" + grey.tobytes()), InputOptions())
    assert np.array_equal(frames(source)[0], grey)
    rgb = RNG.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    source = read_image(pnm(tmp_path, "c.ppm", b"P6\n5 4\n255\n" + rgb.tobytes()), InputOptions())
    assert np.array_equal(frames(source)[0], rgb)
    text = b"P2\n2 2\n255\n" + b" ".join(str(v).encode() for v in grey[:2, :2].ravel()) + b"\n"
    assert np.array_equal(frames(read_image(pnm(tmp_path, "t.pgm", text), InputOptions()))[0], grey[:2, :2])


def test_ppm_16_bit_and_odd_maxval_keep_their_values(tmp_path: Path) -> None:
    rgb = RNG.integers(0, 65536, (3, 4, 3)).astype(np.uint16)
    source = read_image(pnm(tmp_path, "c16.ppm", b"P6\n4 3\n65535\n" + rgb.astype(">u2").tobytes()), InputOptions())
    assert (source.pixels.bits_allocated, source.pixels.bits_stored) == (16, 16)
    assert np.array_equal(frames(source)[0], rgb)
    grey = RNG.integers(0, 1024, (3, 4)).astype(np.uint16)
    source = read_image(pnm(tmp_path, "g10.pgm", b"P5\n4 3\n1023\n" + grey.astype(">u2").tobytes()), InputOptions())
    assert (source.pixels.bits_allocated, source.pixels.bits_stored, source.pixels.high_bit) == (16, 10, 9)
    assert np.array_equal(frames(source)[0], grey)


@pytest.mark.parametrize("tuple_type,depth,maxval", [("GRAYSCALE", 1, 255), ("RGB", 3, 255), ("RGB", 3, 65535),
                                                     ("GRAYSCALE", 1, 4095)])
def test_pam(tuple_type: str, depth: int, maxval: int, tmp_path: Path) -> None:
    shape = (3, 5, depth)
    values = RNG.integers(0, maxval + 1, shape).astype(">u2" if maxval > 255 else np.uint8)
    head = f"P7\nWIDTH 5\nHEIGHT 3\nDEPTH {depth}\nMAXVAL {maxval}\nTUPLTYPE {tuple_type}\nENDHDR\n".encode()
    source = read_image(pnm(tmp_path, "a.pam", head + values.tobytes()), InputOptions())
    assert source.pixels.bits_stored == maxval.bit_length()
    assert np.array_equal(frames(source)[0], values[..., 0] if depth == 1 else values)


def test_pam_rgb_alpha_follows_the_policy(tmp_path: Path) -> None:
    values = RNG.integers(0, 256, (2, 3, 4), dtype=np.uint8)
    values[..., 3] = 255
    values[0, 0, 3] = 0
    head = b"P7\nWIDTH 3\nHEIGHT 2\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"
    path = pnm(tmp_path, "a.pam", head + values.tobytes())
    with pytest.raises(InputError, match="input.alpha"):
        read_image(path, InputOptions())
    assert np.array_equal(frames(read_image(path, InputOptions(alpha="drop")))[0], values[..., :3])


@pytest.mark.parametrize("data,message", [
    (b"P5\n4 3\n255\n" + bytes(5), "truncated"),
    (b"P5\n4 3\n0\n", "MAXVAL 0"),
    (b"P5\n4 x\n255\n", "malformed"),
    (b"P7\nWIDTH 2\nHEIGHT 1\nDEPTH 3\nMAXVAL 255\n", "ENDHDR"),
    (b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 2\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n\0\0", "TUPLTYPE"),
    (b"P5\n2 1\n1000\n" + (2000).to_bytes(2, "big") * 2, "exceeds MAXVAL"),
    (b"P3\n1 1\n65535\n1 2 3\n", "convert it to raw"),
])
def test_bad_pnm_one_line_error(data: bytes, message: str, tmp_path: Path) -> None:
    path = pnm(tmp_path, "bad.pnm", data)
    with pytest.raises(InputError, match=message) as caught:
        read_image(path, InputOptions())
    assert caught.value.path == str(path) and "\n" not in caught.value.line()


# ---------------------------------------------------------------- WebP


def test_webp_with_a_chunk_past_the_end_is_rejected(tmp_path: Path) -> None:
    path, _ = PHOTOS["webp-lossless"][0](tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-10])
    with pytest.raises(InputError, match="runs past the end"):
        read_image(path, InputOptions())


def test_animated_webp_frames(tmp_path: Path) -> None:
    pictures = [smooth_rgb(i) for i in range(3)]
    path = tmp_path / "a.webp"
    Image.fromarray(pictures[0]).save(path, save_all=True, lossless=True, duration=40,
                                      append_images=[Image.fromarray(p) for p in pictures[1:]])
    source = read_image(path, InputOptions())
    assert source.pixels.lossy is None
    assert np.array_equal(frames(source), np.stack(pictures))


# ---------------------------------------------------------------- TIFF beyond 8-bit strips


@pytest.mark.parametrize("compression", ["tiff_lzw", "tiff_adobe_deflate", "packbits"])
def test_tiff_compressions_8_bit(compression: str, tmp_path: Path) -> None:
    array = smooth_rgb()
    path = tmp_path / "c.tif"
    Image.fromarray(array).save(path, compression=compression)
    source = read_image(path, InputOptions())
    assert source.pixels.lossy is None
    assert np.array_equal(frames(source)[0], array)


@pytest.mark.parametrize("compression", [None, "zlib", "lzw", "packbits"])
def test_tiff_16_bit_rgb_tiled_and_compressed(compression: str | None, tmp_path: Path) -> None:
    array = RNG.integers(0, 65536, (20, 33, 3)).astype(np.uint16)
    path = tmp_path / "c16.tif"
    tifffile.imwrite(path, array, photometric="rgb", compression=compression, tile=(16, 16))
    source = read_image(path, InputOptions())
    assert (source.pixels.bits_allocated, source.pixels.bits_stored, source.pixels.samples_per_pixel) == (16, 16, 3)
    assert np.array_equal(frames(source)[0], array)


def test_tiled_8_bit_tiff(tmp_path: Path) -> None:
    array = smooth_rgb()
    path = tmp_path / "tiled.tif"
    tifffile.imwrite(path, array, photometric="rgb", tile=(16, 16), compression="zlib")
    assert np.array_equal(frames(read_image(path, InputOptions()))[0], array)


def test_jpeg_tiff_is_lossy_with_a_ratio(tmp_path: Path) -> None:
    path = tmp_path / "j.tif"
    Image.fromarray(smooth_rgb()).save(path, compression="jpeg")
    lossy = read_image(path, InputOptions()).pixels.lossy
    assert lossy is not None and lossy.method == "ISO_10918_1" and lossy.ratio and lossy.ratio > 0


@pytest.mark.parametrize("flag,fmt", [("PNM", "pnm"), ("WEBP", "webp"), ("GIF", "gif"), ("HEIC", "heic")])
def test_explicit_format_must_match(flag: str, fmt: str, tmp_path: Path) -> None:
    path, _ = PHOTOS["gif-grey"][0](tmp_path)
    if fmt == "gif":
        assert read_image(path, InputOptions(format="gif")).format == "gif"
        return
    with pytest.raises(InputError, match=f"not a {fmt.upper()} file .*looks like GIF"):
        read_image(path, InputOptions(format=fmt))


@pytest.mark.parametrize("name", ["webp-lossless", "webp-lossy", "gif-animated", "pgm16", "tiff-rgb16", "heic"])
def test_mutated_files_only_ever_raise_input_error(name: str, tmp_path: Path) -> None:
    """Truncated or byte-flipped files: a one-line InputError naming the file, or a clean decode."""
    import random

    path, _ = PHOTOS[name][0](tmp_path)
    source = path.read_bytes()
    rng = random.Random(name)
    target = tmp_path / f"m{path.suffix}"
    for round_ in range(40):
        data = bytearray(source)
        if round_ % 2 == 0:
            del data[rng.randrange(1, len(data)):]
        else:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(0, min(len(data), 400))] = rng.randrange(256)
        target.write_bytes(bytes(data))
        try:
            image = read_image(target, InputOptions(alpha="drop"))
        except InputError as exc:
            assert exc.path == str(target) and "\n" not in exc.line()
            continue
        assert all(frame.length for frame in image.frames)
