"""The fuzz stage: thousands of seeded mutations of every input format, template kind and
profile, each checked against the promises (tests/fuzz/harness.py). Plus every file the
fuzzer ever broke us with, replayed as a regression test.

IMG2DCM_FUZZ_CASES changes the number of cases (default 2688, 224 per target);
long runs: ``python bench/fuzz.py --cases 100000``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tests.fuzz.harness import TARGETS, Case, Outcome, run_campaign
from tests.fuzz.seeds import all_seeds, write_seeds

CASES = int(os.environ.get("IMG2DCM_FUZZ_CASES", 224 * len(TARGETS)))
WORKERS = max(1, min(2, os.cpu_count() or 1))
REGRESSIONS = Path(__file__).parent / "regressions"

#: Files the fuzzer found, each with what it once did: (file, target, variant, what went wrong).
FOUND: list[tuple[str, str, str, str]] = [
    ("case149-dicom_df.dcm", "dicom", "-df", "element length of 4 GiB: read() allocated it (MemoryError)"),
    ("case95-dicom_sef.dcm", "dicom", "-sef", "unknown VR 'CM': NotImplementedError as internal error"),
    ("case1301-dicom_stf.dcm", "dicom", "-stf", "odd-length FL value: BytesLengthException as internal error"),
    ("case1805-dicom_df.dcm", "dicom", "-df", "(0002,0016) in the body: ValueError when writing"),
    ("case104-dicom_df.dcm", "dicom", "-df", "pydicom warning printed as three lines naming its source"),
    ("case159-xml.xml", "xml", "", "lxml message with a newline: a stray second stderr line"),
    ("case22-tiff.tif", "tiff", "", "libtiff printed 'PackBitsDecode: ...' on stderr itself"),
    ("case1057-tiff.tif", "tiff", "", "libjpeg in libtiff printed 'JPEGLib: ...' on stderr itself"),
    ("case670-tiff.tif", "tiff", "", "libtiff printed '_TIFFVSetField: ...' on stderr itself"),
    ("case1012-tiff.tif", "tiff", "", "'Fax4Decode: Bad code word': corrupt pixels converted, exit 0"),
    ("seed1-case68-dicom_df.dcm", "dicom", "-df", "(0000,eeee) command elements: ValueError when writing"),
    ("seed1-case24226-dump.dump", "dump", "", "(0000,eeee) command elements: ValueError when writing"),
    ("seed1-case24091-dump.dump", "dump", "", "NUL in SpecificCharacterSet: ValueError as internal error"),
    ("seed2-case6569-profile_validate.yaml", "profile", "validate", "template name too long: OSError in validate"),
    ("seed2-case7385-dicom_df.dcm", "dicom", "-df", "non-ASCII DS value: UnicodeEncodeError when writing"),
    ("seed2-case31352-dicom_sef.dcm", "dicom", "-sef", "garbage IS value imported: ValueError as internal error"),
    ("case422-profile_apply.yaml", "profile", "apply", "template name too long: OSError as internal error"),
    ("seed3-case3855-j2k.j2k", "j2k", "", "SIZ cut short: struct.error as internal error"),
    ("seed3-case33544-j2k.j2k", "j2k", "", "6291476 rows reached the writer: pydicom traceback text in E:"),
    ("seed3-case33731-j2k.j2k", "j2k", "", "65560 columns reached the writer: pydicom traceback text in E:"),
    ("seed4-case10279-j2k.j2k", "j2k", "", "no main COD marker: KeyError (pop from an empty set)"),
    ("seed4-case31228-profile_apply.yaml", "profile", "apply", "NUL in the manifest path: ValueError as internal error"),
    ("seed6-case1327-photo.webp", "photo", "", "72-byte WebP claiming 13398x10898: 642 MiB peak RSS"),
    ("seed7-case15079-photo.gif", "photo", "", "416-byte GIF claiming 65303x255 (40 000 pixels a byte): 402 MiB"),
    ("seed7-case43663-photo.gif", "photo", "", "a GIF frame reaching far past the canvas grew it: 595 MiB"),
]


def _report(findings: list[Outcome]) -> str:
    return f"{len(findings)} finding(s):\n" + "\n".join(o.describe() for o in findings[:20])


def test_seeds_cover_every_target() -> None:
    seeds = all_seeds()
    assert set(seeds) == set(TARGETS)
    assert all(len(seeds[target]) >= 3 for target in TARGETS), {t: len(s) for t, s in seeds.items()}


def test_fuzz_stage(tmp_path: Path) -> None:
    seed_file = write_seeds(tmp_path / "seeds")
    outcomes = list(run_campaign(range(CASES), seed_file, workers=WORKERS, work_root=tmp_path))
    assert len(outcomes) == CASES
    per_target = Counter(o.target for o in outcomes)
    assert set(per_target) == set(TARGETS) and min(per_target.values()) >= CASES // len(TARGETS)
    # The mutations must reach both sides: some cases convert, most are refused.
    codes = Counter(o.code for o in outcomes)
    assert codes[0] and codes[1], codes
    findings = sorted((o for o in outcomes if o.problems), key=lambda o: o.number)
    assert not findings, _report(findings)


@pytest.mark.parametrize(("name", "target", "variant", "was"), FOUND, ids=[f[0] for f in FOUND])
def test_fuzz_finding_stays_fixed(tmp_path: Path, name: str, target: str, variant: str, was: str) -> None:
    case = Case(0, target, name, "stored", (REGRESSIONS / name).read_bytes(), variant)
    [outcome] = run_campaign([case], None, workers=1, work_root=tmp_path)
    assert not outcome.problems, f"{was}: {_report([outcome])}"
