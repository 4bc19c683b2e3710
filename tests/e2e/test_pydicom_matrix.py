"""Issue 15: every pydicom test and charset file as -df, -dx (plain and +U8), -stf and -sef -ii.

Each file that ships in the pydicom package (``pydicom.data``: its test_files, including the
DICOMDIR test tree, and its charset_files; the pydicom-data downloads are not available
offline and are not used) is the source of a conversion of a colour and a grey JPEG:

* ``-df`` into Secondary Capture, VL Photographic and Ophthalmic Photography, each on both JPEGs
  (what a template contributes depends on the IOD and on the image's pixel module), and once
  more with ``+tp`` (template.keep_private) into SC;
* ``-dx`` of its plain ``dcm2xml +Wb +M`` output and of its ``+U8`` output, ``-stf`` and
  ``-sef -ii``, into SC and VLP, pairwise with the images so that each of these modes meets
  both IODs and both images (SC colour + VLP grey, or SC grey + VLP colour): what they bring
  does not depend on the image, and the pairs keep the matrix within about a minute and a
  half on two cores.

Every run ends in exactly one of two ways: exit 0 with an object dciodvfy reports no error in,
whose names (PN, LO, SH) are the source's as Unicode; or exit 1, no output file and exactly one
``E:`` line. No run prints a traceback or pydicom's raw warning text. The runs are spread over
two processes, each converting in-process and calling dciodvfy on its outputs.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import subprocess
import tempfile
import warnings
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.data import get_charset_files, get_testdata_files

from img2dcm.templates.cleanup import CLEANUP_KEYWORDS
from img2dcm.templates.contribution import contributions
from tests.tools import CORPUS, require_tool

IMAGES = {"colour": CORPUS / "jpeg" / "ljt_testorig.jpg", "grey": CORPUS / "jpeg" / "ljt_testimggray.jpg"}
OP_KEYS = ("-k", "ImageLaterality=R", "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
           "-k", "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
           "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera")
TARGETS = {"secondary-capture": (), "vl-photographic": ("-vlp",), "ophthalmic-photography": ("-oph", *OP_KEYS)}
_EVERY = tuple((t, i) for t in TARGETS for i in IMAGES)
_PAIRS = (("secondary-capture", "colour"), ("vl-photographic", "grey"))
_OTHER_PAIRS = (("secondary-capture", "grey"), ("vl-photographic", "colour"))
#: (mode, (target, image) pairs): what each source file is used as.
PLAN: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("df", _EVERY),
    ("df+tp", (("secondary-capture", "grey"),)),  # template.keep_private: private text is checked too
    ("dx", _PAIRS),
    ("dx+U8", _OTHER_PAIRS),
    ("stf", _PAIRS),
    ("sef", _OTHER_PAIRS),
)
#: What -stf / -sef copy that is text (reference §4).
STUDY_NAMES = ("PatientName", "PatientID", "ReferringPhysicianName", "StudyID", "AccessionNumber")
SERIES_NAMES = STUDY_NAMES + ("Manufacturer",)
NAME_VRS = ("PN", "LO", "SH")
#: Raw warning text that must never reach the user (Python's warning format, pydicom's source).
RAW_WARNING_MARKS = ("Warning: ", "warn_and_log", ".py:", "Traceback")


def pydicom_files() -> list[Path]:
    files = sorted({Path(p) for p in get_testdata_files() + get_charset_files() if os.path.isfile(p)})
    return files


SOURCES = pydicom_files()


@dataclass(frozen=True)
class Run:
    mode: str
    target: str
    image: str
    code: int | None  # None: dcm2xml could not write the document, nothing to convert
    stderr: str
    errors: tuple[str, ...]  # dciodvfy errors of the output
    names: dict[str, str]  # the output's top-level PN/LO/SH values
    output_left: bool

    @property
    def label(self) -> str:
        return f"{self.mode} {self.target} {self.image}"


def _names(path: Path) -> dict[str, str]:
    ds = dcmread(path)
    return {e.keyword: str(e.value) for e in ds if e.VR in NAME_VRS and e.keyword and e.value not in (None, "")}


def _convert(args: list[str]) -> tuple[int, str]:
    from img2dcm.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(args)
        finally:
            logging.getLogger().handlers.clear()
    return code, err.getvalue() + out.getvalue()


def _xml(source: Path, folder: Path, u8: bool) -> Path | None:
    xml = folder / ("u8.xml" if u8 else "plain.xml")
    done = subprocess.run(["dcm2xml", "+Wb", "+M", "-q", *(["+U8"] if u8 else []), str(source), str(xml)],
                          capture_output=True, timeout=60)
    return xml if done.returncode == 0 and xml.exists() else None


def runs_for(source: Path) -> list[Run]:
    """Every conversion of the plan with ``source``, checked by dciodvfy."""
    results: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        documents = {"dx": _xml(source, folder, False), "dx+U8": _xml(source, folder, True)}
        for mode, pairs in PLAN:
            if mode in documents and documents[mode] is None:
                results.extend(Run(mode, t, i, None, "", (), {}, False) for t, i in pairs)
                continue
            given = {"df": ["-df", str(source)], "df+tp": ["-df", str(source), "+tp"], "stf": ["-stf", str(source)],
                     "sef": ["-sef", str(source), "-ii"]}.get(mode) or ["-dx", str(documents[mode])]
            for target, image in pairs:
                out = folder / "out.dcm"
                code, stderr = _convert(["-i", "JPEG", *given, *TARGETS[target], str(IMAGES[image]), str(out)])
                errors: tuple[str, ...] = ()
                names: dict[str, str] = {}
                left = out.exists()
                if code == 0 and left:
                    checked = subprocess.run(["dciodvfy", str(out)], capture_output=True, text=True,
                                             errors="replace", timeout=60)
                    text = checked.stdout + checked.stderr
                    errors = tuple(line for line in text.splitlines() if line.startswith("Error"))
                    names = _names(out)
                if left:
                    out.unlink()
                results.append(Run(mode, target, image, code, stderr, errors, names, left))
    return results


@pytest.fixture(scope="module")
def matrix() -> dict[Path, list[Run]]:
    require_tool("dciodvfy")
    require_tool("dcm2xml")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(runs_for, SOURCES, chunksize=2)
    return dict(zip(SOURCES, results, strict=True))


def test_the_pydicom_package_ships_its_test_and_charset_files() -> None:
    assert len(SOURCES) >= 100, "pydicom's test_files/charset_files are missing from the installed package"
    assert {p.name for p in SOURCES} >= {"CT_small.dcm", "rtplan_truncated.dcm", "chrX2.dcm", "DICOMDIR"}


def expected_names(source: Path, mode: str, target: str) -> dict[str, str]:
    """The source's names the output must hold, as Unicode."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom's opinion of the source's values; ours is under test
        original = dcmread(source, force=True)
    values = {e.keyword: str(e.value) for e in original
              if e.VR in NAME_VRS and e.keyword and e.value not in (None, "")}
    if mode in ("stf", "sef"):  # df+tp: as df
        copied = STUDY_NAMES if mode == "stf" else SERIES_NAMES
        return {k: v for k, v in values.items() if k in copied}
    allowed = contributions(target)[0]
    return {k: v for k, v in values.items() if k in allowed and k not in CLEANUP_KEYWORDS}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_pydicom_file_gives_a_valid_object_or_one_clear_error(source: Path, matrix: dict[Path, list[Run]]) -> None:
    problems: list[str] = []
    for run in matrix[source]:
        if run.code is None:
            continue
        raw = [mark for mark in RAW_WARNING_MARKS if mark in run.stderr]
        if raw:
            problems.append(f"{run.label}: raw warning text {raw}: {run.stderr!r}")
        if run.code != 0:
            lines = [line for line in run.stderr.splitlines() if line.startswith(("E:", "F:"))]
            if run.code != 1 or len(lines) != 1 or not lines[0].startswith("E: ") or run.output_left:
                problems.append(f"{run.label}: exit {run.code}, error lines {lines}, file left {run.output_left}")
            continue
        if run.errors:
            problems.append(f"{run.label}: dciodvfy {list(run.errors)}")
        want = expected_names(source, run.mode, run.target)  # names survive as Unicode
        got = {k: run.names.get(k) for k in want}
        if got != want:
            problems.append(f"{run.label}: names {got} != source {want}")
    assert problems == []


def test_every_mode_converts_some_files_and_refuses_the_broken_ones(matrix: dict[Path, list[Run]]) -> None:
    by_name = {source.name: runs for source, runs in matrix.items()}
    for mode, _targets in PLAN:
        converted = {(r.target, r.image) for runs in matrix.values() for r in runs if r.mode == mode and r.code == 0}
        count = sum(1 for runs in matrix.values() for r in runs if r.mode == mode and r.code == 0)
        assert count > 100 * len(_targets) and len(converted) == len(_targets), f"{mode}: {count}, {converted}"
    for broken in ("rtplan_truncated.dcm", "MR_truncated.dcm", "nested_priv_SQ.dcm"):
        for run in by_name[broken]:
            if run.mode in ("df", "stf", "sef"):
                assert run.code == 1 and "not valid DICOM" in run.stderr, (broken, run)
    chinese = [r for r in by_name["chrX2.dcm"] if r.mode == "dx" and r.code == 0]
    assert chinese and all(r.names["PatientName"] == "Wang^XiaoDong=王^小东" for r in chinese)
