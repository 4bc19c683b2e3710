"""Seed files for every fuzz target, and the header offsets worth hitting in each.

Images: the corpus's JPEG, JPEG-LS and BMP files plus PNG and TIFF made with Pillow (every
colour type and TIFF compression we read), JPEG 2000 / HTJ2K made by OpenJPEG and OpenJPH,
and video clips made by ffmpeg (the codecs tests' encoders). Templates: corpus DICOM files, dcm2xml
documents made from them, dump files. Profiles: the example profiles with absolute paths.
"""

from __future__ import annotations

import io
import pickle
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image

from tests.bombs import BOMBS
from tests.tools import CORPUS, ROOT

MAX_SEED_BYTES = 48 * 1024  # small seeds keep a case in milliseconds
#: The clean input every template and profile case converts.
GOOD_IMAGE = CORPUS / "jpeg" / "ljt_testorig.jpg"


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    hot: tuple[int, ...] = ()


def jpeg_hot(data: bytes) -> tuple[int, ...]:
    """Segment lengths, SOF sizes and component counts, SOS headers."""
    hot: list[int] = []
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        length = struct.unpack_from(">H", data, at + 2)[0]
        hot.append(at + 2)
        if 0xC0 <= marker <= 0xF7 and marker not in (0xC4, 0xC8, 0xCC, 0xDA):
            hot += [at + 4, at + 5, at + 7, at + 9]
        if marker == 0xDA:
            hot += [at + 4, at + 5]
            break
        at += 2 + length
    return tuple(hot)


def png_hot(data: bytes) -> tuple[int, ...]:
    hot: list[int] = [16, 20, 24, 25]
    at = 8
    while at + 8 <= len(data):
        hot.append(at)
        at += 12 + struct.unpack_from(">I", data, at)[0]
    return tuple(hot)


def tiff_hot(data: bytes) -> tuple[int, ...]:
    order = "<" if data[:2] == b"II" else ">"
    ifd = struct.unpack_from(order + "I", data, 4)[0]
    if ifd + 2 > len(data):
        return (4,)
    hot: list[int] = [4, ifd]
    for index in range(struct.unpack_from(order + "H", data, ifd)[0]):
        entry = ifd + 2 + 12 * index
        hot += [entry + 2, entry + 4, entry + 8]
    return tuple(hot)


BMP_HOT = (2, 10, 14, 18, 22, 26, 28, 30, 34, 46, 50)


def _small(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.stat().st_size <= MAX_SEED_BYTES)


def _pillow(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _gradient(mode: str, size: tuple[int, int] = (23, 17)) -> Image.Image:
    image = Image.linear_gradient("L").resize(size)
    if mode in ("L", "1"):
        return image.convert(mode)
    if mode == "I;16":
        return image.convert("I").point(lambda v: v * 257).convert("I;16")
    if mode == "P":
        return image.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    return Image.merge("RGB", (image, image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), image)).convert(mode)


def png_seeds() -> list[Seed]:
    exif = Image.Exif()
    exif[0x010F] = "Maker"
    exif[0x0112] = 6
    made = {
        "grey.png": _pillow(_gradient("L"), "PNG"),
        "grey16.png": _pillow(_gradient("I;16"), "PNG"),
        "rgb.png": _pillow(_gradient("RGB"), "PNG", exif=exif.tobytes()),
        "rgba.png": _pillow(_gradient("RGBA"), "PNG"),
        "palette.png": _pillow(_gradient("P"), "PNG", transparency=3),
        "bilevel.png": _pillow(_gradient("1"), "PNG"),
        "interlaced.png": _pillow(_gradient("RGB"), "PNG", interlace=1),
        "icc.png": _pillow(_gradient("RGB"), "PNG", icc_profile=b"\0" * 128),
    }
    return [Seed(name, data, png_hot(data)) for name, data in made.items()]


def tiff_seeds() -> list[Seed]:
    pages = [_gradient("L"), _gradient("L").rotate(180)]
    made = {
        "raw.tif": _pillow(_gradient("L"), "TIFF"),
        "rgb-lzw.tif": _pillow(_gradient("RGB"), "TIFF", compression="tiff_lzw"),
        "packbits.tif": _pillow(_gradient("L"), "TIFF", compression="packbits"),
        "deflate.tif": _pillow(_gradient("RGB"), "TIFF", compression="tiff_adobe_deflate"),
        "jpeg.tif": _pillow(_gradient("RGB", (32, 16)), "TIFF", compression="jpeg"),
        "g4.tif": _pillow(_gradient("1"), "TIFF", compression="group4"),
        "grey16.tif": _pillow(_gradient("I;16"), "TIFF"),
        "palette.tif": _pillow(_gradient("P"), "TIFF"),
        "pages.tif": _pillow(pages[0], "TIFF", save_all=True, append_images=pages[1:]),
    }
    return [Seed(name, data, tiff_hot(data)) for name, data in made.items()]


def profile_seeds() -> list[Seed]:
    """Example profiles with template and input paths made absolute, output left to argv."""
    seeds = []
    for source in sorted((ROOT / "profiles" / "examples").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        template = data.get("template") or {}
        for kind in ("dicom", "xml", "dump"):
            if kind in template:
                template[kind] = str((source.parent / template[kind]).resolve())
        batch = data.get("batch") or {}
        if "manifest" in batch:
            batch["manifest"] = str((source.parent / batch["manifest"]).resolve())
        data.pop("run", None)
        seeds.append(Seed(source.name, yaml.safe_dump(data, sort_keys=False).encode("utf-8")))
    return seeds


def xml_seeds(dicom_files: list[Path]) -> list[Seed]:
    """dcm2xml documents of a few corpus files (DCMTK is a test dependency)."""
    from tests.tools import require_tool

    tool = require_tool("dcm2xml")
    seeds = []
    for path in dicom_files:
        result = subprocess.run([tool, str(path)], capture_output=True, timeout=60)
        if result.returncode == 0 and len(result.stdout) <= MAX_SEED_BYTES * 2:
            seeds.append(Seed(path.stem + ".xml", result.stdout))
    return seeds


def photo_seeds() -> list[Seed]:
    """PNM, WebP, GIF (animated too) and HEIC made with Pillow and pillow-heif."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    frames = [_gradient("P"), _gradient("P").rotate(180)]
    made = {
        "grey.pgm": _pillow(_gradient("L"), "PPM"),
        "rgb.ppm": _pillow(_gradient("RGB"), "PPM"),
        "bilevel.pbm": _pillow(_gradient("1"), "PPM"),
        "lossless.webp": _pillow(_gradient("RGB"), "WEBP", lossless=True),
        "lossy.webp": _pillow(_gradient("RGBA"), "WEBP", quality=50),
        "still.gif": _pillow(_gradient("P"), "GIF"),
        "animated.gif": _pillow(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100),
        "photo.heic": _pillow(_gradient("RGB", (64, 48)), "HEIF", quality=60),
    }
    return [Seed(name, data) for name, data in made.items()]


def j2k_seeds(work: Path) -> list[Seed]:
    """JPEG 2000 and HTJ2K codestreams and files, made by OpenJPEG and OpenJPH."""
    from tests.codecs.encoders import jph_file, ojph_compress, opj_compress, sample_array

    grey, rgb = sample_array(8, 1), sample_array(8, 3)
    made = {
        "grey.j2k": opj_compress(grey, 8, ".j2k", ["-n", "3"], work),
        "rgb.jp2": opj_compress(rgb, 8, ".jp2", ["-n", "3"], work),
        "tiled.j2k": opj_compress(rgb, 8, ".j2k", ["-n", "3", "-t", "16,16"], work),
        "lossy.j2k": opj_compress(rgb, 8, ".j2k", ["-n", "3", "-r", "20"], work),
        "grey16.j2k": opj_compress(sample_array(16, 1), 16, ".j2k", ["-n", "3"], work),
        "ht.j2c": ojph_compress(grey, 8, ["-reversible", "true"], work),
        "rgb.jph": jph_file(ojph_compress(rgb, 8, ["-reversible", "true"], work), 20, 24, 3, 8),
    }
    return [Seed(name, data) for name, data in made.items()]


def video_seeds(work: Path) -> list[Seed]:
    """Tiny clips made by ffmpeg: H.264 and HEVC in MP4, H.264 in MPEG-TS, MPEG-2 program stream."""
    from tests.codecs.encoders import ffmpeg_clip

    h264 = ["-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p"]
    hevc = ["-c:v", "libx265", "-x265-params", "log-level=error", "-profile:v", "main", "-pix_fmt", "yuv420p"]
    clips = {
        "h264.mp4": h264,
        "hevc.mp4": hevc,
        "h264.ts": [*h264, "-f", "mpegts"],
        "mpeg2.mpg": ["-c:v", "mpeg2video", "-f", "mpeg"],
    }
    return [Seed(name, ffmpeg_clip(work / name, options, size="64x48", frames=3).read_bytes())
            for name, options in clips.items()]


def all_seeds() -> dict[str, list[Seed]]:
    """target -> seeds. Image targets are named by format; templates by kind."""
    dicom = _small(CORPUS / "dicom", "*.dcm") + _small(CORPUS / "dicom" / "charset", "*.dcm")[:4]
    seeds = {
        "jpeg": [Seed(p.name, p.read_bytes()) for p in _small(CORPUS / "jpeg", "*.jpg")],
        "jpegls": [Seed(p.name, p.read_bytes()) for p in _small(CORPUS / "jpegls", "*.jls")],
        "bmp": [Seed(p.name, p.read_bytes(), BMP_HOT) for p in _small(CORPUS / "bmp" / "good", "*.bmp")],
        "png": png_seeds(),
        "tiff": tiff_seeds(),
        "dicom": [Seed(p.name, p.read_bytes()) for p in dicom],
        "xml": xml_seeds(dicom[:3]),
        "dump": [Seed(p.name, p.read_bytes()) for p in sorted((ROOT / "profiles" / "templates").glob("*.dump"))
                 + _small(CORPUS / "dicom" / "dcmtk-templates", "*.dump")],
        "profile": profile_seeds(),
        "photo": photo_seeds(),
    }
    with tempfile.TemporaryDirectory() as folder:
        seeds["j2k"] = j2k_seeds(Path(folder))
        seeds["video"] = video_seeds(Path(folder))
    for name, data in BOMBS.items():  # extreme headers as seeds too: mutations around the limits
        target = {"bmp": "bmp", "png": "png", "tif": "tiff", "jpg": "jpeg"}[name.rsplit(".", 1)[1]]
        seeds[target].append(Seed("bomb-" + name, data))
    for target in ("jpeg", "jpegls"):
        seeds[target] = [Seed(s.name, s.data, s.hot or jpeg_hot(s.data)) for s in seeds[target]]
    return seeds


def write_seeds(folder: Path) -> Path:
    """Pickle the seeds once for the worker processes; returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "seeds.pickle"
    target.write_bytes(pickle.dumps(all_seeds()))
    return target
