"""Benchmark of batch conversion (issue: batch), against DCMTK and the physical floor in one run.

Three workloads, each printed with its ratios:

1. 200 (and 1 000) copies of a 33 KB camera JPEG into a folder: one ``img2dcm apply`` process
   (default ``--jobs``: the number of CPUs) against DCMTK's ``img2dcm`` started once per file,
   and against ``cp -r`` of the folder (the floor). Target: ours ≥ 10× faster than DCMTK (wall)
   at 200 files; 1 000 files show how the ratio grows once start-up is paid.
2. The in-process cost per file with ``--jobs 1`` (the per-item function, run log and
   scanning included, interpreter start-up excluded). Target: ≤ 3 ms.
3. Peak RSS of a 10 000-file batch against a 100-file batch (``--jobs 1``, GNU time).
   Target: no more than 20 MiB above.

    python bench/batch.py [--repeat N] [--big N] [--files N ...] [--only folder|inproc|memory]

Needs DCMTK and GNU time (``apt-get install dcmtk time``). Not a test: numbers depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
DCMTK = Path("/usr/bin/img2dcm")
GNU_TIME = Path("/usr/bin/time")
OURS = [sys.executable, "-m", "img2dcm"]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import camera_copies, fresh  # noqa: E402 - the bench scripts share their input makers


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def dcmtk_per_file(inputs: Path, out: Path) -> float:
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    for path in sorted(inputs.iterdir()):
        subprocess.run([str(DCMTK), str(path), str(out / f"{path.stem}.dcm")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def folder_workload(work: Path, repeat: int, counts: list[int]) -> None:
    """For each count: one ``apply`` into a folder against DCMTK once per file and ``cp -r``."""
    for count in counts:
        inputs = camera_copies(work / f"in{count}", count)
        ours, dcmtk, floor = [], [], []
        for _ in range(repeat):
            floor.append(wall(["cp", "-r", str(inputs), str(fresh(work / "cp"))]))
            ours.append(wall([*OURS, "apply", str(PROFILE), str(inputs), f"{fresh(work / 'ours')}/"]))
            dcmtk.append(dcmtk_per_file(inputs, fresh(work / "dcmtk")))
        o, d, f = (statistics.median(v) for v in (ours, dcmtk, floor))
        print(f"{count} x 33 KB JPEG, one folder: cp -r {f * 1e3:7.1f} ms | DCMTK once per file {d * 1e3:7.1f} ms "
              f"({d / count * 1e3:4.1f} ms/file) | ours, one apply (--jobs {os.cpu_count()}) {o * 1e3:7.1f} ms")
        print(f"  DCMTK / ours = {d / o:5.1f}x (target >= 10x at 200 files)   ours / cp = {o / f:5.1f}x")


def in_process_workload(work: Path, repeat: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from img2dcm.cli.main import main

    inputs = camera_copies(work / "in200", 200)
    times = []
    for _ in range(repeat + 1):  # the first run imports and warms caches
        out = fresh(work / "inproc")
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            code = main(["apply", str(PROFILE), str(inputs), f"{out}/", "--jobs", "1"])
        times.append(time.perf_counter() - start)
        if code != 0:
            raise SystemExit("our batch failed")
    per_file = statistics.median(times[1:]) / 200
    start = time.perf_counter()
    for path in sorted(inputs.iterdir()):
        shutil.copyfile(path, work / "copy.tmp")
    copy = (time.perf_counter() - start) / 200
    print(f"in-process, --jobs 1: {per_file * 1e3:5.2f} ms per file (target <= 3 ms); "
          f"copyfile {copy * 1e3:5.2f} ms per file; ours / copy = {per_file / copy:5.1f}x")


def peak_rss(inputs: Path, out: Path) -> int:
    result = subprocess.run([str(GNU_TIME), "-f", "maxrss=%M", *OURS, "apply", str(PROFILE), str(inputs),
                             f"{fresh(out)}/", "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return int(result.stderr.rsplit("maxrss=", 1)[1])


def memory_workload(work: Path, big: int) -> None:
    small_rss = peak_rss(camera_copies(work / "in100", 100), work / "out100")
    big_rss = peak_rss(camera_copies(work / f"in{big}", big), work / f"out{big}")
    print(f"peak RSS, --jobs 1: 100 files {small_rss / 1024:6.1f} MiB, {big} files {big_rss / 1024:6.1f} MiB, "
          f"difference {(big_rss - small_rss) / 1024:5.1f} MiB (target <= 20 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", type=int, default=10_000, help="files in the large memory workload")
    parser.add_argument("--only", choices=("folder", "inproc", "memory"))
    parser.add_argument("--files", type=int, nargs="+", default=[200, 1000], help="batch sizes of the folder workload")
    args = parser.parse_args()
    for tool, package in ((DCMTK, "dcmtk"), (GNU_TIME, "time")):
        if not tool.is_file():
            raise SystemExit(f"{tool} not found: apt-get install {package}")
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    # Bytecode as a pip install has it (PYTHONDONTWRITEBYTECODE would make every start compile ours).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "img2dcm")], check=True)
    print(f"img2dcm batch benchmark, median of {args.repeat}; python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "folder"):
            folder_workload(work, args.repeat, args.files)
        if args.only in (None, "inproc"):
            in_process_workload(work, args.repeat)
        if args.only in (None, "memory"):
            memory_workload(work, args.big)


if __name__ == "__main__":
    main()
