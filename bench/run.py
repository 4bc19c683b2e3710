"""Benchmark: img2dcm against DCMTK's img2dcm and a plain file copy, in the same run.

Prints, per workload, the median wall time of each contender and the ratios
ours/DCMTK and ours/copy, plus peak memory (max RSS) to show that pixel data is
streamed: the memory of a conversion must not grow with the image size.

    python bench/run.py [--repeat N]

Needs DCMTK (``apt-get install dcmtk``); it is called by absolute path so ours
does not shadow it. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
DCMTK = Path("/usr/bin/img2dcm")
GNU_TIME = Path("/usr/bin/time")  # Debian package "time"
OURS = [sys.executable, "-m", "img2dcm"]


def large_jpeg(folder: Path, width: int, height: int) -> Path:
    """A camera-sized JPEG made here (noise + gradients, so it does not compress to nothing)."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 255 // width), (y * 255 // height), ((x + y) % 256)], axis=-1)
    noise = rng.integers(0, 40, size=(height, width, 3))
    image = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGB")
    path = folder / f"large_{width}x{height}.jpg"
    image.save(path, quality=92)
    return path


def timed(command: list[str]) -> tuple[float, int]:
    """Wall time (s) and the command's own peak RSS (KiB).

    Peak RSS comes from GNU time: a child forked straight from this (large)
    process would inherit its high-water mark, GNU time's own child does not.
    """
    start = time.perf_counter()
    result = subprocess.run([str(GNU_TIME), "-f", "maxrss=%M", *command], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    return elapsed, int(result.stderr.rsplit("maxrss=", 1)[1])


def copy_time(source: Path, target: Path) -> float:
    start = time.perf_counter()
    shutil.copyfile(source, target)
    return time.perf_counter() - start


def in_process_time(source: Path, target: Path) -> float:
    """Our conversion without interpreter start-up (what a batch of many files costs)."""
    from contextlib import redirect_stderr

    from img2dcm.cli.main import main

    start = time.perf_counter()
    with redirect_stderr(io.StringIO()):
        code = main([str(source), str(target)])
    if code != 0:
        raise SystemExit(f"our conversion failed on {source}")
    return time.perf_counter() - start


def bench(name: str, source: Path, folder: Path, repeat: int) -> None:
    copies, dcmtk, ours, ours_inproc = [], [], [], []
    rss_dcmtk = rss_ours = 0
    for _ in range(repeat):
        copies.append(copy_time(source, folder / "copy.bin"))
        t, rss_dcmtk = timed([str(DCMTK), str(source), str(folder / "dcmtk.dcm")])
        dcmtk.append(t)
        t, rss_ours = timed(OURS + [str(source), str(folder / "ours.dcm")])
        ours.append(t)
        ours_inproc.append(in_process_time(source, folder / "ours-inproc.dcm"))
    med = statistics.median
    size = source.stat().st_size
    print(f"{name:28} {size / 1e6:8.2f} MB  copy {med(copies) * 1e3:7.2f} ms  "
          f"dcmtk {med(dcmtk) * 1e3:7.1f} ms  ours {med(ours) * 1e3:7.1f} ms  "
          f"ours in-process {med(ours_inproc) * 1e3:7.1f} ms  "
          f"ours/dcmtk {med(ours) / med(dcmtk):5.2f}  in-process/dcmtk {med(ours_inproc) / med(dcmtk):5.2f}  "
          f"in-process/copy {med(ours_inproc) / med(copies):7.1f}  "
          f"peak RSS ours {rss_ours / 1024:6.1f} MiB, dcmtk {rss_dcmtk / 1024:6.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for tool, package in ((DCMTK, "dcmtk"), (GNU_TIME, "time")):
        if not tool.is_file():
            raise SystemExit(f"{tool} not found: apt-get install {package}")
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workloads = [
            ("small JPEG (ljt_testorig)", CORPUS / "jpeg" / "ljt_testorig.jpg"),
            ("camera JPEG (pillow_flower)", CORPUS / "jpeg" / "pillow_flower.jpg"),
            ("large JPEG 4000x3000", large_jpeg(folder, 4000, 3000)),
            ("huge JPEG 8000x6000", large_jpeg(folder, 8000, 6000)),
        ]
        print(f"img2dcm benchmark, {args.repeat} runs each, median; python {sys.version.split()[0]}, "
              f"{os.cpu_count()} cpus")
        for name, path in workloads:
            bench(name, path, folder, args.repeat)


if __name__ == "__main__":
    main()
