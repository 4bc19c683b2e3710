"""Shared helpers for the template tests: DCMTK tools and data set comparison."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dicom"
CHARSET = CORPUS / "charset"
DCMTK_TEMPLATES = CORPUS / "dcmtk-templates"


def dcmtk(tool: str) -> str:
    """Path of a DCMTK tool; the tools are a hard requirement of this test suite."""
    exe = shutil.which(tool)
    if exe is None:
        where = "in CI" if os.environ.get("CI") == "true" else "locally"
        pytest.fail(f"DCMTK tool '{tool}' not found {where}; install dcmtk")
    return exe


def run(tool: str, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """Run a DCMTK tool and fail the test on a non-zero exit."""
    result = subprocess.run([dcmtk(tool), *map(str, args)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


def _plain(value: object) -> object:
    """A comparable form of an element value (names as text, lists as tuples)."""
    if isinstance(value, PersonName):
        return str(value)
    if isinstance(value, (MultiValue, list, tuple)):
        return tuple(_plain(v) for v in value)
    if value is None or value == "" or value == b"":
        return None
    return value


def differences(
    got: Dataset, want: Dataset, skip: frozenset[int] = frozenset(), where: str = ""
) -> list[str]:
    """Element-by-element differences (tag set, VR, value), recursing into sequences."""
    problems: list[str] = []
    got_tags = {t for t in got.keys() if t not in skip}
    want_tags = {t for t in want.keys() if t not in skip}
    for tag in sorted(got_tags ^ want_tags):
        problems.append(f"{where}{tag}: only in {'loaded' if tag in got_tags else 'reference'}")
    for tag in sorted(got_tags & want_tags):
        a, b = got[tag], want[tag]
        if a.VR != b.VR:
            problems.append(f"{where}{tag}: VR {a.VR} != {b.VR}")
        elif a.VR == "SQ":
            if len(a.value) != len(b.value):
                problems.append(f"{where}{tag}: {len(a.value)} items != {len(b.value)}")
            for i, (x, y) in enumerate(zip(a.value, b.value, strict=False)):
                problems += differences(x, y, frozenset(), f"{where}{tag}[{i}].")
        elif _plain(a.value) != _plain(b.value):
            problems.append(f"{where}{tag}: {a.value!r} != {b.value!r}")
    return problems


def not_pixels_or_meta(ds: Dataset) -> frozenset[int]:
    """Top-level tags a template loader drops on purpose: group 0002 and pixel data."""
    return frozenset(t for t in ds.keys() if t >> 16 == 0x0002 or t >> 16 == 0x7FE0)
