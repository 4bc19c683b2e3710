"""Long fuzzing runs for release checks: ``python bench/fuzz.py --cases 100000``.

Same harness and checks as the CI stage (tests/fuzz/test_fuzz.py), more cases. Findings are
printed and, with ``--save DIR``, their mutated files are written there for a regression test.
Exit code 1 when any case broke a promise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.harness import SUFFIX, run_campaign  # noqa: E402
from tests.fuzz.seeds import write_seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--start", type=int, default=0, help="first case number")
    parser.add_argument("--seed", type=int, default=0, help="base seed (another seed, other cases)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", type=Path, help="write each finding's mutated file here")
    args = parser.parse_args()
    started = time.monotonic()
    findings = 0
    slowest = peak = 0.0
    with tempfile.TemporaryDirectory() as folder:
        seeds = write_seeds(Path(folder))
        numbers = range(args.start, args.start + args.cases)
        for done, outcome in enumerate(run_campaign(numbers, seeds, workers=args.workers,
                                                    base_seed=args.seed), start=1):
            slowest, peak = max(slowest, outcome.seconds), max(peak, outcome.peak_mib)
            if outcome.problems:
                findings += 1
                print(outcome.describe(), flush=True)
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    name = f"{args.seed}-{outcome.number}-{outcome.target}{SUFFIX[outcome.target]}"
                    (args.save / name).write_bytes(outcome.data)
            if done % 1000 == 0:
                print(f"{done} cases, {findings} findings, {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"{args.cases} cases in {time.monotonic() - started:.0f} s: {findings} findings; "
          f"slowest case {slowest:.2f} s, highest worker peak RSS {peak:.0f} MiB")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
