"""Large inputs of one object are read on every core: the same facts as a serial read, or None."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pydicom import dcmread

import img2dcm.readers.parallel as parallel
from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image
from tests.tools import CORPUS, run_cli


def readable(path: Path) -> bool:
    try:
        read_image(path, InputOptions())
    except Exception:  # noqa: BLE001 - the corpus has streams we refuse (arithmetic coding, ...)
        return False
    return True


JPEGS = [path for path in sorted((CORPUS / "jpeg").glob("*.jpg")) if readable(path)]


CAMERA = CORPUS / "jpeg" / "pillow_flower.jpg"


def facts(image: Any) -> tuple[Any, ...]:
    """What a read found, without the frames' opener functions (compared by identity)."""
    return (image.path, image.format, image.pixels, [(f.length, f.source) for f in image.frames], image.warnings,
            image.notes, image.exif, image.icc_profile)


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)  # two workers, even on a 2-core runner


def test_the_same_images_as_a_serial_read_in_input_order(always_parallel: None) -> None:
    images = parallel.read_images(JPEGS, InputOptions())
    assert len(JPEGS) >= 8
    assert images is not None and len(images) == len(JPEGS)
    assert [facts(image) for image in images] == [facts(read_image(path, InputOptions())) for path in JPEGS]


def test_one_unreadable_input_leaves_the_reading_to_the_conversion(always_parallel: None, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(CAMERA.read_bytes()[:300])
    assert parallel.read_images([*JPEGS[:3], broken, *JPEGS[3:5]], InputOptions()) is None
    assert parallel.read_images([*JPEGS[:2], tmp_path / "missing.jpg"], InputOptions()) is None


def test_small_jobs_are_read_here() -> None:
    assert parallel.read_images(JPEGS[:3], InputOptions()) is None  # under 64 MiB: not worth a worker


def test_a_multiframe_object_read_in_parallel_equals_one_read_serially(always_parallel: None, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = []
    for index in range(6):
        inputs.append(tmp_path / f"frame{index}.jpg")
        shutil.copyfile(CAMERA, inputs[-1])
    assert run_cli("-nsc", *inputs, tmp_path / "parallel.dcm").code == 0
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 1 << 62)
    assert run_cli("-nsc", *inputs, tmp_path / "serial.dcm").code == 0
    one, other = dcmread(tmp_path / "parallel.dcm"), dcmread(tmp_path / "serial.dcm")
    assert one.NumberOfFrames == 6 and one.PixelData == other.PixelData

    broken = tmp_path / "frame3.jpg"
    broken.write_bytes(CAMERA.read_bytes()[:300])
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    result = run_cli("-nsc", *inputs, tmp_path / "none.dcm")
    assert result.code == 1 and "frame3.jpg" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "none.dcm").exists()
