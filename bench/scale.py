"""Benchmark of issue 13 (scale): a cluster batch, cold start and a large multi-frame object.

Each workload runs ours, DCMTK and the physical floor in the same run, interleaved, and prints
medians and ratios (wall time; CPU time user+sys and peak RSS from GNU time where it matters).

1. ``cluster``: N copies of the 33 KB camera JPEG into a folder with ``apply --dask local:2``
   (the LocalCluster's start-up included), with ``apply --jobs 2`` (local processes), with
   DCMTK's ``img2dcm`` started once per file, and ``cp -r`` (the floor). Target (batch issue):
   ours ≥ 10× faster than DCMTK.
2. ``cold``: one ``img2dcm IMG.jpg OUT.dcm`` process against ``python -c "import pydicom"``
   with the same interpreter, and DCMTK; ``img2dcm --version`` and ``img2dcm -h``. Targets:
   ≤ 1.15× ``import pydicom``; ``--version`` and ``-h`` under 0.15 s.
3. ``mf``: 100 JPEGs of about 7 MB into one Multi-frame Secondary Capture object, with the
   classic ``img2dcm -nsc`` (random UIDs, as DCMTK) and with ``apply`` and the example profile
   (deterministic UIDs: every input is hashed too), against ``cat`` of the same inputs into one
   file followed by ``sync`` (the floor), with peak RSS.
   DCMTK 3.6.7 takes one input per object, so it converts the 100 files one by one (the same
   bytes moved). Targets: ≤ 2× cat+sync, peak ≤ 100 MiB.

    python bench/scale.py [--only cluster|cold|mf] [--repeat N] [--files N]

Needs DCMTK and GNU time (``apt-get install dcmtk time``) and ``img2dcm[dask]``. Not a test:
numbers depend on the machine and on what else runs on it (say so when recording them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAMERA_JPEG = ROOT / "tests" / "corpus" / "jpeg" / "pillow_flower.jpg"
SC_PROFILE = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
MF_PROFILE = ROOT / "profiles" / "examples" / "multiframe-secondary-capture.yaml"
DCMTK = Path("/usr/bin/img2dcm")
GNU_TIME = Path("/usr/bin/time")
PYTHON = sys.executable
OURS = [PYTHON, "-m", "img2dcm"]


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds
    rss: int  # KiB


def measure(command: list[str] | str, shell: bool = False) -> Run:
    """Wall time, CPU time and peak RSS of a command (GNU time: its own child, not our high-water mark)."""
    args = [str(GNU_TIME), "-f", "@@%U %S %M", *(["sh", "-c", command] if shell else command)]
    start = time.perf_counter()
    result = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {command}\n{result.stderr}")
    user, system, rss = result.stderr.rsplit("@@", 1)[1].split()
    return Run(wall, float(user) + float(system), int(rss))


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.rss for r in runs))


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def camera_copies(folder: Path, count: int) -> Path:
    """``count`` distinct files (a numbered comment segment each) of the camera JPEG."""
    folder.mkdir(parents=True, exist_ok=True)
    source = CAMERA_JPEG.read_bytes()
    for index in range(count):
        (folder / f"img{index:05d}.jpg").write_bytes(source[:2] + b"\xff\xfe\x00\x08" + f"{index:06d}".encode()
                                                     + source[2:])
    return folder


def large_jpegs(folder: Path, count: int) -> list[Path]:
    """``count`` JPEGs of about 7 MB (4000×3000, noise over gradients, quality 96), distinct bytes."""
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:3000, 0:4000]
    base = np.stack([(x * 255 // 4000), (y * 255 // 3000), ((x + y) % 256)], axis=-1)
    image = Image.fromarray(np.clip(base + rng.integers(0, 40, size=(3000, 4000, 3)), 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=96)
    source = buffer.getvalue()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"frame{index:03d}.jpg"
        path.write_bytes(source[:2] + b"\xff\xfe\x00\x08" + f"{index:06d}".encode() + source[2:])
        paths.append(path)
    return paths


def dcmtk_each(inputs: list[Path], out: Path) -> str:
    """A shell loop: DCMTK once per file (what a site script does without img2dcm apply)."""
    out.mkdir(parents=True, exist_ok=True)
    return "; ".join(f"{DCMTK} {p} {out / (p.stem + '.dcm')} >/dev/null 2>&1" for p in inputs) + "; sync"


def cluster_workload(work: Path, repeat: int, files: int) -> None:
    inputs = camera_copies(work / "in", files)
    os.sync()  # the inputs' writeback must not land inside a measurement
    listed = sorted(inputs.iterdir())
    runs: dict[str, list[Run]] = {"cp -r + sync": [], "DCMTK per file": [], "ours --jobs 2": [],
                                  "ours --dask local:2": []}
    for _ in range(repeat):
        runs["cp -r + sync"].append(measure(f"cp -r {inputs} {fresh(work / 'cp')} && sync", shell=True))
        runs["DCMTK per file"].append(measure(dcmtk_each(listed, fresh(work / "dcmtk")), shell=True))
        runs["ours --jobs 2"].append(measure([*OURS, "apply", str(SC_PROFILE), str(inputs),
                                              f"{fresh(work / 'jobs')}/", "--jobs", "2"]))
        runs["ours --dask local:2"].append(measure([*OURS, "apply", str(SC_PROFILE), str(inputs),
                                                    f"{fresh(work / 'dask')}/", "--dask", "local:2"]))
    med = {name: median(r) for name, r in runs.items()}
    print(f"\n1. cluster batch: {files} x 33 KB camera JPEG into a folder (median of {repeat})")
    for name, run in med.items():
        print(f"   {name:22} {run.wall:8.2f} s wall  {run.cpu:7.2f} s cpu")
    dcmtk, floor = med["DCMTK per file"].wall, med["cp -r + sync"].wall
    for name in ("ours --jobs 2", "ours --dask local:2"):
        print(f"   DCMTK / {name:20} = {dcmtk / med[name].wall:5.1f}x (target >= 10x)   "
              f"{name} / cp = {med[name].wall / floor:5.1f}x")


def cold_workload(work: Path, repeat: int) -> None:
    source = CAMERA_JPEG
    runs: dict[str, list[Run]] = {"python -c 'import pydicom'": [], "DCMTK img2dcm": [], "ours img2dcm IMG OUT": [],
                                  "ours --version": [], "ours -h": []}
    script = shutil.which("img2dcm", path=str(Path(PYTHON).parent))  # the console script, as users start it
    ours = [script] if script else OURS
    for _ in range(repeat):
        runs["python -c 'import pydicom'"].append(measure([PYTHON, "-c", "import pydicom"]))
        runs["DCMTK img2dcm"].append(measure([str(DCMTK), str(source), str(work / "dcmtk.dcm")]))
        runs["ours img2dcm IMG OUT"].append(measure([*ours, str(source), str(work / "ours.dcm")]))
        runs["ours --version"].append(measure([*ours, "--version"]))
        runs["ours -h"].append(measure([*ours, "-h"]))
    med = {name: median(r) for name, r in runs.items()}
    print(f"\n2. cold start: one process, a 33 KB camera JPEG (median of {repeat}; {' '.join(ours)})")
    for name, run in med.items():
        print(f"   {name:28} {run.wall * 1e3:7.0f} ms wall  {run.cpu * 1e3:6.0f} ms cpu  {run.rss / 1024:6.1f} MiB")
    floor = med["python -c 'import pydicom'"]
    convert = med["ours img2dcm IMG OUT"]
    print(f"   ours / import pydicom = {convert.wall / floor.wall:4.2f}x wall, {convert.cpu / floor.cpu:4.2f}x cpu "
          f"(target <= 1.15x)   ours / DCMTK = {convert.wall / med['DCMTK img2dcm'].wall:4.1f}x")
    print(f"   --version {med['ours --version'].wall:5.3f} s, -h {med['ours -h'].wall:5.3f} s (target < 0.15 s)")


def mf_workload(work: Path, repeat: int) -> None:
    inputs = large_jpegs(work / "frames", 100)
    total = sum(p.stat().st_size for p in inputs)
    os.sync()
    subprocess.run(["cat", *map(str, inputs)], stdout=subprocess.DEVNULL, check=True)  # all in the page cache
    quoted = " ".join(map(str, inputs))
    ours_classic, ours_profile = "ours img2dcm -nsc (random UIDs)", "ours apply profile (deterministic UIDs)"
    runs: dict[str, list[Run]] = {"cat + sync": [], ours_classic: [], ours_profile: [],
                                  "DCMTK, 100 single-frame objects": []}
    target = work / "mf.dcm"
    for _ in range(repeat):
        (work / "cat.bin").unlink(missing_ok=True)
        runs["cat + sync"].append(measure(f"cat {quoted} > {work / 'cat.bin'} && sync", shell=True))
        (work / "cat.bin").unlink()
        runs[ours_classic].append(measure([*OURS, "-nsc", *map(str, inputs), str(target)]))
        target.unlink()
        runs[ours_profile].append(measure([*OURS, "apply", str(MF_PROFILE), *map(str, inputs), str(target)]))
        target.unlink()
        runs["DCMTK, 100 single-frame objects"].append(measure(dcmtk_each(inputs, fresh(work / "dcmtk")), shell=True))
        shutil.rmtree(work / "dcmtk")
    med = {name: median(r) for name, r in runs.items()}
    print(f"\n3. large multi-frame: 100 JPEGs, {total / 1e6:.0f} MB in all, into one MF-SC object (median of {repeat})")
    for name, run in med.items():
        print(f"   {name:40} {run.wall:7.2f} s wall  {run.cpu:6.2f} s cpu  peak {run.rss / 1024:7.1f} MiB")
    floor, dcmtk = med["cat + sync"], med["DCMTK, 100 single-frame objects"]
    for name in (ours_classic, ours_profile):
        ours = med[name]
        print(f"   {name}: / (cat + sync) = {ours.wall / floor.wall:4.2f}x wall (target <= 2x), "
              f"/ DCMTK = {ours.wall / dcmtk.wall:4.2f}x, peak {ours.rss / 1024:.0f} MiB (target <= 100 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("cluster", "cold", "mf"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", type=int, default=500, help="files in the cluster workload")
    args = parser.parse_args()
    for tool, package in ((DCMTK, "dcmtk"), (GNU_TIME, "time")):
        if not tool.is_file():
            raise SystemExit(f"{tool} not found: apt-get install {package}")
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    # Bytecode as a pip install has it (with PYTHONDONTWRITEBYTECODE set, a source checkout
    # would compile every module of ours on every start).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src" / "img2dcm")], check=True)
    load = os.getloadavg()[0]
    print(f"img2dcm scale benchmark; python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {load:.1f}")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        work = Path(tmp)
        if args.only in (None, "cluster"):
            cluster_workload(work / "cluster", max(1, args.repeat // 2), args.files)
        if args.only in (None, "cold"):
            cold_workload(work, args.repeat * 2)
        if args.only in (None, "mf"):
            mf_workload(work / "mf", args.repeat)


if __name__ == "__main__":
    main()
