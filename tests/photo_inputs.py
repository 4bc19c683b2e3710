"""Small photo-format inputs made at test time (Pillow, pillow-heif, tifffile), with their reference pixels.

Each maker writes one file and returns (path, expected pixels as the decoder of the
format's own library gives them, or as written for lossless formats).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pillow_heif
import tifffile
from PIL import Image, ImageSequence

RNG = np.random.default_rng(2026)
SIZE = (23, 31)  # rows, columns: odd, to catch padding and stride bugs


def smooth_rgb(seed: int = 0) -> np.ndarray:
    y, x = np.mgrid[0:SIZE[0], 0:SIZE[1]]
    base = np.stack([x * 8, y * 10, (x + y) * 4 + seed * 20], axis=-1)
    return (base % 256).astype(np.uint8)


def webp_lossless(tmp: Path) -> tuple[Path, np.ndarray]:
    array = RNG.integers(0, 256, (*SIZE, 3), dtype=np.uint8)
    path = tmp / "lossless.webp"
    Image.fromarray(array).save(path, lossless=True)
    return path, array


def webp_lossy(tmp: Path) -> tuple[Path, np.ndarray]:
    path = tmp / "lossy.webp"
    Image.fromarray(smooth_rgb()).save(path, quality=75)
    with Image.open(path) as image:
        return path, np.asarray(image.convert("RGB"))


def gif_animated(tmp: Path, frames: int = 3) -> tuple[Path, np.ndarray]:
    pictures = [Image.fromarray(smooth_rgb(i)).quantize(32) for i in range(frames)]
    path = tmp / "anim.gif"
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=80, loop=0, disposal=1)
    with Image.open(path) as image:
        shown = [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]
    return path, np.stack(shown)


def gif_still_grey(tmp: Path) -> tuple[Path, np.ndarray]:
    array = RNG.integers(0, 256, SIZE, dtype=np.uint8)
    path = tmp / "grey.gif"
    Image.fromarray(array).save(path)
    with Image.open(path) as image:
        return path, np.asarray(image.convert("L"))


def pgm16(tmp: Path) -> tuple[Path, np.ndarray]:
    array = RNG.integers(0, 65536, SIZE).astype(np.uint16)
    path = tmp / "deep.pgm"
    path.write_bytes(b"P5\n# made by the tests\n%d %d\n65535\n" % (SIZE[1], SIZE[0]) + array.astype(">u2").tobytes())
    return path, array


def tiff_rgb16(tmp: Path, compression: str | None = "zlib", tile: tuple[int, int] | None = (16, 16)) -> tuple[Path, np.ndarray]:
    array = RNG.integers(0, 65536, (*SIZE, 3)).astype(np.uint16)
    path = tmp / "deep.tif"
    tifffile.imwrite(path, array, photometric="rgb", compression=compression, tile=tile)
    return path, array


def heic(tmp: Path) -> tuple[Path, np.ndarray]:
    path = tmp / "photo.heic"
    pillow_heif.from_bytes(mode="RGB", size=(SIZE[1], SIZE[0]), data=smooth_rgb().tobytes()).save(path, quality=85)
    return path, np.asarray(pillow_heif.open_heif(path).to_pillow())


def heic10(tmp: Path) -> tuple[Path, np.ndarray]:
    values = RNG.integers(0, 1024, (*SIZE, 3)).astype(np.uint16)
    path = tmp / "deep.heic"
    pillow_heif.from_bytes(mode="RGB;16", size=(SIZE[1], SIZE[0]), data=(values << 6).tobytes()).save(path, quality=90)
    return path, np.asarray(pillow_heif.open_heif(path, convert_hdr_to_8bit=False)) >> 6


def tiff_jpeg(tmp: Path) -> tuple[Path, np.ndarray]:
    path = tmp / "jpeg.tif"
    Image.fromarray(smooth_rgb()).save(path, compression="jpeg")
    with Image.open(path) as image:
        return path, np.asarray(image.convert("RGB"))


#: name -> (maker, families whose IODs permit the pixels, expected LossyImageCompressionMethod or None)
PHOTOS = {
    "webp-lossless": (webp_lossless, ("secondary-capture", "multiframe-secondary-capture", "vl-photographic",
                                      "ophthalmic-photography"), None),
    "webp-lossy": (webp_lossy, ("secondary-capture", "multiframe-secondary-capture", "vl-photographic"), None),
    "gif-animated": (gif_animated, ("multiframe-secondary-capture", "ophthalmic-photography"), None),
    "gif-grey": (gif_still_grey, ("secondary-capture", "multiframe-secondary-capture", "vl-photographic",
                                  "ophthalmic-photography"), None),
    "pgm16": (pgm16, ("secondary-capture", "multiframe-secondary-capture", "ophthalmic-photography"), None),
    "tiff-rgb16": (tiff_rgb16, ("secondary-capture", "ophthalmic-photography"), None),
    "tiff-jpeg": (tiff_jpeg, ("secondary-capture", "multiframe-secondary-capture", "vl-photographic",
                              "ophthalmic-photography"), "ISO_10918_1"),
    "heic": (heic, ("secondary-capture", "multiframe-secondary-capture", "vl-photographic",
                    "ophthalmic-photography"), "ISO_23008_2"),
    "heic-10bit": (heic10, ("secondary-capture",), "ISO_23008_2"),
}
