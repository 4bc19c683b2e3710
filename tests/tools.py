"""Shared test helpers: the corpus manifest, external oracles (dciodvfy, DCMTK), running our CLI.

External tools are real test dependencies: when one is missing the test fails
in CI (CI=true) and only locally is it reported as an error telling how to install it.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CORPUS = TESTS / "corpus"
SC_PROFILE = ROOT / "profiles" / "examples" / "secondary-capture.yaml"


@dataclass(frozen=True)
class CorpusRow:
    path: str
    kind: str
    facts: str
    expect: str
    dcmtk_370: str

    @property
    def file(self) -> Path:
        return CORPUS / self.path

    @property
    def dcmtk_converts(self) -> bool:
        return self.expect.startswith("convert")


def manifest(prefix: str = "") -> list[CorpusRow]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [CorpusRow(r["path"], r["kind"], r["facts"], r["expect"], r["dcmtk_370"])
                for r in rows if r["path"].startswith(prefix)]


def require_tool(name: str) -> str:
    """Absolute path of an external oracle; never a silent skip."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is required (apt-get install dcmtk dicom3tools; .ci/run does this)")
    return found


@dataclass(frozen=True)
class Dciodvfy:
    errors: list[str]
    warnings: list[str]  # excluding the "needed to build DICOMDIR" ones
    output: str


def dciodvfy(path: Path) -> Dciodvfy:
    tool = require_tool("dciodvfy")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, errors="replace", timeout=60)
    text = result.stdout + result.stderr
    lines = text.splitlines()
    errors = [line for line in lines if line.startswith("Error")]
    warnings = [line for line in lines if line.startswith("Warning") and "DICOMDIR" not in line]
    return Dciodvfy(errors, warnings, text)


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    """Run our CLI in-process (fast); any exception escaping main() fails the test."""
    from img2dcm.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        import logging

        code = main([str(a) for a in args])
        logging.getLogger().handlers.clear()
    return CliResult(code, out.getvalue(), err.getvalue())


#: Encapsulated syntaxes dciodvfy 1.00~20220618 does not know (it then misreads
#: Pixel Data as native) -> a known syntax with the same encapsulation rules.
DCIODVFY_STAND_INS = {
    "1.2.840.10008.1.2.4.201": "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.202": "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.203": "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.107": "1.2.840.10008.1.2.4.102",  # HEVC in MP4 -> H.264 in MP4
    "1.2.840.10008.1.2.4.100.1": "1.2.840.10008.1.2.4.100",
    "1.2.840.10008.1.2.4.101.1": "1.2.840.10008.1.2.4.101",
    "1.2.840.10008.1.2.4.102.1": "1.2.840.10008.1.2.4.102",
    "1.2.840.10008.1.2.4.104.1": "1.2.840.10008.1.2.4.104",
}


def dciodvfy_any_syntax(path: Path) -> Dciodvfy:
    """dciodvfy on ``path``; for a syntax it does not know, on a copy relabelled with a stand-in.

    Only the File Meta transfer syntax changes in the copy, so the dataset dciodvfy
    judges is byte for byte ours.
    """
    from pydicom import dcmread

    ds = dcmread(path)
    stand_in = DCIODVFY_STAND_INS.get(str(ds.file_meta.TransferSyntaxUID))
    if stand_in is None:
        return dciodvfy(path)
    ds.file_meta.TransferSyntaxUID = stand_in
    copy = path.with_name(path.stem + ".stand-in.dcm")
    ds.save_as(copy, enforce_file_format=True)
    try:
        return dciodvfy(copy)
    finally:
        copy.unlink()
