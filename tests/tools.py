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
