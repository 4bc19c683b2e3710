"""Benchmark: output.compression sizes and encode speeds, against the source file and `cp`.

For each workload (the BMP corpus, PNG and TIFF made from the corpus photos, and
12-megapixel photos) every ``output.compression`` is run in-process with our
classic command line. Printed per workload: source, native and compressed sizes
with the ratios the targets of issue 12 use, and encode throughput in MB/s of
native pixel data (with ``output.verify`` on, as by default, and off), next to
a ``shutil.copyfile`` of the native object (``cp``).

    python bench/compression.py [--repeat N] [--quick]

The 12-megapixel photos are the corpus photo ``pillow_flower.jpg`` scaled up to
4000x3000 (Lanczos) with Gaussian sensor-like noise of sigma 1 and 3 added: real
camera content, no network needed. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
CHOICES = ("none", "rle", "jpeg-ls", "jpeg2000", "deflate")
#: Issue 12's size targets for JPEG-LS on photos: at most this times the source PNG ...
TARGET_VS_PNG = 1.1
#: ... and at least this many times smaller than native.
TARGET_VS_NATIVE = 2.5


@dataclass
class Workload:
    name: str
    sources: list[Path]
    photo_png: bool = False  # the JPEG-LS targets apply
    sizes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def encodable(source: Path, choice: str) -> bool:
    """False for images the encoder cannot take (JPEG 2000 below 32x32): counted as native instead."""
    from img2dcm.compression import COMPRESSIONS
    from img2dcm.profile.model import InputOptions
    from img2dcm.readers import read_image

    pixels = read_image(source, InputOptions(alpha="drop")).pixels
    return min(pixels.rows, pixels.columns) >= COMPRESSIONS[choice].min_side


def convert(sources: list[Path], folder: Path, choice: str, verify: bool) -> tuple[int, float]:
    """Total output bytes and seconds for converting every source with one compression."""
    from img2dcm.cli.main import main

    total, elapsed = 0, 0.0
    for number, source in enumerate(sources):
        if not encodable(source, choice):
            choice_here = "none"
        else:
            choice_here = choice
        target = folder / f"{number}-{choice}.dcm"
        args = [str(source), str(target), "--compression", choice_here, "--alpha", "drop"]
        if not verify:
            args.append("--no-verify")
        start = time.perf_counter()
        with redirect_stderr(io.StringIO()) as errors:
            code = main(args)
        elapsed += time.perf_counter() - start
        if code != 0:
            raise SystemExit(f"{source} with {choice} failed: {errors.getvalue().strip()}")
        total += target.stat().st_size
        target.unlink()
    return total, elapsed


def copy_seconds(size: int, folder: Path) -> float:
    """``cp`` of a file of ``size`` bytes (the native object), median of 3."""
    source = folder / "native.bin"
    source.write_bytes(os.urandom(min(size, 1 << 20)) * (size // (1 << 20) + 1))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        shutil.copyfile(source, folder / "copy.bin")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def corpus_bmps() -> list[Path]:
    """Every BMP of the corpus we convert (with --alpha drop)."""
    from img2dcm.errors import InputError
    from img2dcm.profile.model import InputOptions
    from img2dcm.readers.bmp import BmpReader

    found = []
    for path in sorted((CORPUS / "bmp").rglob("*.bmp")):
        try:
            BmpReader().read(path, InputOptions(alpha="drop"))
        except InputError:
            continue
        found.append(path)
    return found


def corpus_photos() -> list[Image.Image]:
    """The decodable RGB/grey corpus JPEGs of at least 200 pixels a side (real photographs)."""
    photos = []
    for path in sorted((CORPUS / "jpeg").glob("*.jpg")):
        try:
            with Image.open(path) as image:
                image.load()
                if image.mode in ("RGB", "L") and min(image.size) >= 149:
                    photos.append(image.copy())
        except Exception:  # noqa: BLE001 - damaged corpus files are not workloads
            continue
    return photos


def twelve_megapixel(folder: Path, sigma: float) -> Path:
    with Image.open(CORPUS / "jpeg" / "pillow_flower.jpg") as image:
        large = np.asarray(image.convert("RGB").resize((4000, 3000), Image.Resampling.LANCZOS), dtype=np.float32)
    noise = np.random.default_rng(12).normal(0, sigma, large.shape)
    path = folder / f"photo-12mp-sigma{sigma:g}.png"
    Image.fromarray(np.clip(large + noise, 0, 255).round().astype(np.uint8)).save(path)
    return path


def workloads(folder: Path, quick: bool) -> list[Workload]:
    photos = corpus_photos()
    pngs, tiffs = [], []
    for number, photo in enumerate(photos):
        pngs.append(folder / f"photo{number}.png")
        photo.save(pngs[-1])
        tiffs.append(folder / f"photo{number}.tif")
        photo.save(tiffs[-1], compression="tiff_adobe_deflate")
    loads = [
        Workload(f"BMP corpus ({len(corpus_bmps())} files)", corpus_bmps()),
        Workload(f"corpus photos as PNG ({len(pngs)})", pngs, photo_png=True),
        Workload(f"corpus photos as TIFF/Deflate ({len(tiffs)})", tiffs),
        Workload("12 MP photo PNG, noise sigma 1", [twelve_megapixel(folder, 1.0)], photo_png=True),
    ]
    if not quick:
        loads.append(Workload("12 MP photo PNG, noise sigma 3", [twelve_megapixel(folder, 3.0)], photo_png=True))
    return loads


def report(load: Workload, source_bytes: int, copy_s: float) -> list[str]:
    native = load.sizes["none"]
    lines = [f"\n{load.name}: source {source_bytes / 1e6:.2f} MB, native object {native / 1e6:.2f} MB, "
             f"cp of the native object {native / 1e6 / copy_s:,.0f} MB/s"]
    lines.append(f"  {'compression':10} {'size MB':>9} {'/source':>8} {'native/x':>9} {'MB/s verify':>12} "
                 f"{'MB/s no-verify':>15}")
    for choice in CHOICES:
        size = load.sizes[choice]
        lines.append(f"  {choice:10} {size / 1e6:9.3f} {size / source_bytes:8.3f} {native / size:9.2f} "
                     f"{native / 1e6 / load.seconds[choice]:12.1f} "
                     f"{native / 1e6 / load.seconds[choice + ' no-verify']:15.1f}")
    if load.photo_png:
        jls = load.sizes["jpeg-ls"]
        vs_png, vs_native = jls / source_bytes, native / jls
        ok = vs_png <= TARGET_VS_PNG and vs_native >= TARGET_VS_NATIVE
        lines.append(f"  target JPEG-LS <= {TARGET_VS_PNG}x PNG and >= {TARGET_VS_NATIVE}x smaller than native: "
                     f"{vs_png:.3f}x PNG, {vs_native:.2f}x smaller -> {'met' if ok else 'NOT met'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the noisier 12 MP photo")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    print(f"img2dcm output.compression benchmark, median of {args.repeat}; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpus")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for load in workloads(folder, args.quick):
            source_bytes = sum(path.stat().st_size for path in load.sources)
            for choice in CHOICES:
                for verify in (True, False):
                    runs = [convert(load.sources, folder, choice, verify) for _ in range(args.repeat)]
                    key = choice if verify else f"{choice} no-verify"
                    load.sizes[choice] = runs[0][0]
                    load.seconds[key] = statistics.median(seconds for _size, seconds in runs)
            print("\n".join(report(load, source_bytes, copy_seconds(load.sizes["none"], folder))), flush=True)


if __name__ == "__main__":
    main()
