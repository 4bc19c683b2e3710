"""Output path safety: one E: line naming the path the user gave, nothing left behind, originals kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.tools import CORPUS, ROOT, SC_PROFILE, run_cli

JPEG = CORPUS / "jpeg" / "ljt_testorig.jpg"
TRUNCATED = CORPUS / "jpeg" / "pillow_truncated_jpeg.jpg"


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("E:", "F:"))]


def test_an_output_that_is_an_input_is_refused_and_the_original_kept(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    shutil.copy(JPEG, photo)
    before = photo.read_bytes()
    for args in (("apply", SC_PROFILE, photo, photo), (photo, photo), (photo, tmp_path / "." / "photo.jpg")):
        result = run_cli(*args)
        assert result.code == 2, result.stderr
        assert errors(result.stderr) == [f"E: {args[-1]}: the output is one of the inputs; refusing to replace the "
                                         "original image"]
        assert photo.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_a_batch_output_name_that_is_an_input_fails_that_input(tmp_path: Path) -> None:
    shutil.copy(JPEG, tmp_path / "a.jpg")
    before = (tmp_path / "a.jpg").read_bytes()
    result = run_cli("apply", SC_PROFILE, tmp_path, f"{tmp_path}/", "--set", "batch.output_path={stem}.jpg")
    assert result.code == 1 and "the output is one of the inputs" in result.stderr
    assert (tmp_path / "a.jpg").read_bytes() == before


def test_an_existing_file_given_as_a_folder_is_one_line(tmp_path: Path) -> None:
    existing = tmp_path / "existing.dcm"
    existing.write_bytes(b"keep me")
    result = run_cli("apply", SC_PROFILE, JPEG, f"{existing}/")
    assert result.code == 2
    assert errors(result.stderr) == [f"E: {existing}/: exists and is not a folder (a trailing '/' asks for a folder)"]
    assert existing.read_bytes() == b"keep me"


def test_a_folder_under_a_file_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    result = run_cli("apply", SC_PROFILE, JPEG, f"{tmp_path}/file/sub/out/")
    assert result.code == 2 and "a part of the path is a file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_folder_that_refuses_new_files_is_one_line_naming_the_output() -> None:
    """CI runs as root, which ignores permission bits: /proc/1 refuses new files whoever asks."""
    target = Path("/proc/1/out.dcm")
    result = run_cli("apply", SC_PROFILE, JPEG, target)
    assert result.code == 1
    [line] = errors(result.stderr)
    assert line.startswith(f"E: {target}: cannot write the output: ") and ".part" not in line


def test_a_failed_batch_leaves_no_folder_it_created(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    result = run_cli("apply", SC_PROFILE, TRUNCATED, f"{out}/")
    assert result.code == 1 and str(TRUNCATED) in result.stderr
    assert not (tmp_path / "new").exists()
    result = run_cli("apply", SC_PROFILE, JPEG, TRUNCATED, f"{out}/")
    assert result.code == 1 and (out / "ljt_testorig.dcm").is_file()  # something written: folder and log stay
    assert (out / "img2dcm-run.jsonl").is_file()


def test_a_closed_stdout_is_one_line_and_no_traceback() -> None:
    command = [sys.executable, "-m", "img2dcm", str(JPEG), "-"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like `| head -c 0`
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=60)
    assert code == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert errors(stderr) == ["E: -: cannot write to standard output: Broken pipe"]
