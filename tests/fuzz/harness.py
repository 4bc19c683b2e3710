"""The fuzzing harness: one case = one mutated file run through the CLI's own entry point.

Cases run in-process in worker processes (``spawn``: clean interpreters whose peak RSS
is the case's, not pytest's). Every case is checked for the promises of the issue:
no traceback or internal error, a one-line ``E:`` naming a file of the case, no output or
temporary file left after a failure, at most 10 s and 300 MiB per case. A case is
reproducible from (base seed, number): ``bench/fuzz.py --start N --cases 1 --save DIR``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import os
import pickle
import random
import resource
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.fuzz.mutations import mutate
from tests.fuzz.seeds import GOOD_IMAGE, Seed
from tests.tools import SC_PROFILE

TARGETS = ("jpeg", "jpegls", "bmp", "png", "tiff", "j2k", "video", "photo", "dicom", "xml", "dump", "profile")
SUFFIX = {"jpeg": ".jpg", "jpegls": ".jls", "bmp": ".bmp", "png": ".png", "tiff": ".tif", "j2k": ".j2k",
          "video": ".mp4", "photo": ".img", "dicom": ".dcm", "xml": ".xml", "dump": ".dump", "profile": ".yaml"}
IMAGE_TARGETS = frozenset({"jpeg", "jpegls", "bmp", "png", "tiff", "j2k", "video", "photo"})
#: Classic ``-i`` names of the image targets (JPEG-LS is read by the JPEG reader; the
#: classic command line has no name for the pass-through codecs, so those are sniffed).
INPUT_FORMATS = {"jpeg": "JPEG", "jpegls": "JPEG", "bmp": "BMP", "png": "PNG", "tiff": "TIFF"}
MAX_SECONDS = 10
MAX_RSS_MIB = 300
#: Hard stop for a runaway case (the check above reports anything over MAX_SECONDS).
KILL_SECONDS = 3 * MAX_SECONDS
#: Address-space cap per worker so a bomb cannot take the machine down with it.
WORKER_ADDRESS_SPACE = 4 << 30

#: Values a structural profile mutation puts anywhere in the document.
PROFILE_VALUES: tuple[Any, ...] = (
    None, True, 0, -1, 2**31, 2**64, 1e308, float("nan"), "", "x" * 5000, "../../../etc/passwd",
    "\x00\x01", "é", [], {}, [[[[[]]]]], {"a": {"b": {"c": None}}}, "1.2.3.4.5", "(0010,0010)",
    "keys", "YES", "secondary-capture",
)


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so the CLI's own guards cannot swallow it."""


@dataclass(frozen=True)
class Outcome:
    number: int
    target: str
    seed: str
    mutation: str
    argv: tuple[str, ...]
    code: int | None
    stderr: str
    problems: tuple[str, ...]
    seconds: float
    peak_mib: float
    data: bytes = b""  # the mutated file, kept only when there are problems

    def describe(self) -> str:
        return (f"case {self.number} [{self.target} {self.seed} {self.mutation}] {' '.join(self.argv[:-2])} "
                f"code={self.code} "
                f"{self.seconds:.1f}s {self.peak_mib:.0f}MiB: {'; '.join(self.problems)}\n"
                f"  stderr: {self.stderr.strip()[:600]!r}")


@dataclass(frozen=True)
class Case:
    number: int
    target: str
    seed: str
    mutation: str
    data: bytes
    variant: str


def make_case(number: int, seeds: dict[str, list[Seed]], base_seed: int = 0) -> Case:
    """The case with this number: target by rotation, seed and mutations by a seeded RNG."""
    rng = random.Random(f"{base_seed}:{number}")
    target = TARGETS[number % len(TARGETS)]
    pool = seeds[target]
    seed = rng.choice(pool)
    others = [s.data for s in pool if s is not seed]
    variant = ""
    if target == "profile":
        variant = rng.choice(("apply", "apply", "validate"))
        if rng.random() < 0.5:
            data, mutation = _mutate_profile(seed.data, rng)
            return Case(number, target, seed.name, mutation, data, variant)
    elif target == "dicom":
        variant = rng.choice(("-df", "-df", "-stf", "-sef"))
    elif target in IMAGE_TARGETS:  # format sniffed, named with -i, or a dry run through a profile
        variant = rng.choice(("", "", "-i", "dry-run"))
    data, mutation = mutate(seed.data, rng, seed.hot, others)
    return Case(number, target, seed.name, mutation, data, variant)


def _mutate_profile(text: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Structural: replace, delete or add one field anywhere with an extreme value."""
    data = yaml.safe_load(text)
    nodes: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in list(node):
                nodes.append((node, key))
                walk(node[key])
        elif isinstance(node, list):
            for index in range(len(node)):
                nodes.append((node, index))
                walk(node[index])

    walk(data)
    parent, key = rng.choice(nodes)
    action = rng.choice(("replace", "replace", "delete", "add"))
    if action == "delete":
        del parent[key]
    elif action == "add" and isinstance(parent, dict):
        parent[rng.choice(("extra", "limits", "max_pixels", "dicom", "keys"))] = rng.choice(PROFILE_VALUES)
    else:
        parent[key] = rng.choice(PROFILE_VALUES)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")
    return dumped, f"profile-{action}:{key}"


def argv_for(case: Case, path: Path, output: Path) -> list[str]:
    """The command line a user would type for this target."""
    good, out = str(GOOD_IMAGE), str(output)
    if case.target in IMAGE_TARGETS:
        if case.variant == "-i" and case.target in INPUT_FORMATS:
            return ["-i", INPUT_FORMATS[case.target], str(path), out]
        if case.variant == "dry-run":
            return ["apply", str(SC_PROFILE), "--dry-run", str(path), out]
        return [str(path), out]
    if case.target == "dicom":
        return [case.variant, str(path), good, out]
    if case.target == "xml":
        return ["-dx", str(path), good, out]
    if case.target == "dump":
        return ["-dd", str(path), good, out]
    if case.variant == "validate":
        return ["validate", str(path)]
    return ["apply", str(path), good, out]


def problems_of(case: Case, argv: list[str], code: int | None, stdout: str, stderr: str,
                folder: Path, source: Path, output: Path) -> list[str]:
    """Everything this case broke of the promises (empty when it behaved)."""
    problems: list[str] = []
    text = stdout + stderr
    if "Traceback" in text:
        problems.append("traceback")
    if "internal error" in text:
        problems.append("internal error")
    if "not enough memory" in text:
        problems.append("a claimed size reached allocation (not enough memory)")
    lines = [line for line in stderr.splitlines() if line.strip()]
    # Exit 2 is a usage error; a profile field the batch code checks late counts as one.
    if code not in ((0, 1, 2) if case.target == "profile" else (0, 1)):
        problems.append(f"exit code {code}")
    named = {str(source), str(output), str(GOOD_IMAGE)}
    if case.variant == "validate":
        if code == 1 and not lines:
            problems.append("invalid but no message")
        # FILE:LINE of the profile, or a file it names (a manifest, a template) by its path.
        strays = [line for line in lines if not line.startswith((f"{source}:", "/"))]
        if strays:
            problems.append(f"line naming no file: {strays[0]!r}")
    else:
        errors = [line for line in lines if line.startswith(("E: ", "F: "))]
        strays = [line for line in lines if not line.startswith(("E: ", "W: ", "I: ", "F: "))]
        if strays:
            problems.append(f"stray stderr line: {strays[0]!r}")
        # With checks on, an object our IOD check rejects is not written (exit 1, one E: line);
        # with checks off (--no-checks, which fuzzed profiles may set) it is written and the
        # findings are logged as E: lines with exit 0, as documented in docs/cli.md.
        known = [line for line in errors if line.startswith(f"E: {output}: error: ")]
        if code == 0 and len(errors) > len(known):
            problems.append("exit 0 with an error line")
        if code in (1, 2):
            if not errors:
                problems.append("failed without an E: line")
            elif case.target != "profile" and len(errors) != 1:
                problems.append(f"{len(errors)} E: lines, expected one")
            if case.target == "profile":  # a profile names its own files (templates, inputs)
                named.add("/")
            unnamed = [line for line in errors if not any(name in line for name in named)]
            if unnamed:
                problems.append(f"E: line naming no file: {unnamed[0]!r}")
    left = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p != source)
    writes = case.variant not in ("validate", "dry-run")
    expected = ["out"] + (["out/out.dcm"] if code == 0 and writes else [])
    if left != expected:
        problems.append(f"files left: {left} (expected {expected})")
    return problems


# ---------------------------------------------------------------- worker side

_SEEDS: dict[str, list[Seed]] = {}
_BASE_SEED = 0
_WORK_ROOT = Path(tempfile.gettempdir())


def _alarm(signum: int, frame: object) -> None:
    raise CaseTimeout()


def init_worker(seed_file: str, base_seed: int, work_root: str) -> None:
    global _SEEDS, _BASE_SEED, _WORK_ROOT
    _SEEDS = pickle.loads(Path(seed_file).read_bytes())
    _BASE_SEED, _WORK_ROOT = base_seed, Path(work_root)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > WORKER_ADDRESS_SPACE:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_ADDRESS_SPACE, hard))
    signal.signal(signal.SIGALRM, _alarm)
    import img2dcm.cli.classic  # noqa: F401 - warm imports so the first case is not slower
    import img2dcm.cli.main  # noqa: F401


def _peak_mib() -> float:
    """This worker's peak RSS. VmHWM belongs to the process's own memory; ru_maxrss would
    carry over the size of the (pytest) process that started the worker."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def native_stderr(sink: io.StringIO) -> Iterator[None]:
    """Catch what C libraries (libtiff, libjpeg) print on file descriptor 2 themselves."""
    with tempfile.TemporaryFile() as spool:
        saved = os.dup(2)
        os.dup2(spool.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            spool.seek(0)
            sink.write(spool.read().decode("utf-8", errors="replace"))


def run_case(number: int) -> Outcome:
    """Build, run and check one numbered case in this process."""
    return execute(make_case(number, _SEEDS, _BASE_SEED))


def execute(case: Case) -> Outcome:
    """Run and check one case (a numbered one, or a stored regression file) in this process."""
    from img2dcm.cli.main import main

    number = case.number
    folder = Path(tempfile.mkdtemp(prefix=f"case-{number}-", dir=_WORK_ROOT))
    source = folder / f"input{SUFFIX[case.target]}"
    source.write_bytes(case.data)
    (folder / "out").mkdir()
    output = folder / "out" / "out.dcm"
    argv = argv_for(case, source, output)
    stdout, stderr = io.StringIO(), io.StringIO()
    before = _peak_mib()
    code: int | None = None
    problems: list[str] = []
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, KILL_SECONDS)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), native_stderr(stderr):
            code = main(argv)
    except CaseTimeout:
        problems.append(f"killed after {KILL_SECONDS} s")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - anything escaping main() is a finding
        problems.append(f"escaped main(): {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        logging.getLogger().handlers.clear()
    seconds = time.monotonic() - started
    peak = _peak_mib()
    problems += problems_of(case, argv, code, stdout.getvalue(), stderr.getvalue(), folder, source, output)
    if seconds > MAX_SECONDS:
        problems.append(f"took {seconds:.1f} s (limit {MAX_SECONDS})")
    if peak > MAX_RSS_MIB >= before:
        problems.append(f"peak RSS {peak:.0f} MiB (limit {MAX_RSS_MIB})")
    shutil.rmtree(folder, ignore_errors=True)
    return Outcome(number, case.target, case.seed, case.mutation, tuple(argv), code, stderr.getvalue(),
                   tuple(problems), seconds, peak, case.data if problems else b"")


# ---------------------------------------------------------------- parent side

def run_campaign(numbers: Iterable[int] | Iterable[Case], seed_file: Path | None, *, workers: int = 2,
                 base_seed: int = 0, work_root: Path | None = None) -> Iterator[Outcome]:
    """Run cases (numbers, or ready Case values) in a pool of fresh worker processes;
    yields every outcome as it completes."""
    root = Path(tempfile.mkdtemp(prefix="img2dcm-fuzz-", dir=work_root))
    if seed_file is None:
        seed_file = root.parent / f"{root.name}.seeds"
        seed_file.write_bytes(pickle.dumps({}))
    items = list(numbers)
    function = execute if items and isinstance(items[0], Case) else run_case
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(workers, init_worker, (str(seed_file), base_seed, str(root))) as pool:
            yield from pool.imap_unordered(function, items, chunksize=16)
        strays = list(root.iterdir())
        if strays:
            raise AssertionError(f"fuzz cases left {len(strays)} entries in {root}: {strays[:3]}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if seed_file == root.parent / f"{root.name}.seeds":
            seed_file.unlink()
