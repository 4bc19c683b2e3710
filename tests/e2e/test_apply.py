"""`img2dcm apply` / `validate` / `schema` behaviour that users and CI rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom import dcmread

from tests.tools import CORPUS, ROOT, SC_PROFILE, dciodvfy, run_cli

GOOD = CORPUS / "jpeg" / "ljt_testorig.jpg"
GREY = CORPUS / "jpeg" / "mozilla_jpg-gray.jpg"
TRUNCATED = CORPUS / "jpeg" / "pillow_truncated_jpeg.jpg"
PROFILES = sorted((ROOT / "profiles").rglob("*.yaml"))


def test_dry_run_shows_steps_classes_and_attribute_sources_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, "--dry-run", GOOD, out)
    assert result.code == 0, result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    text = result.stdout
    # Short words only: the table may wrap long sources (the JSON test checks them exactly).
    for expected in ("Dry run: nothing written", "Steps, in order", "image pixel module", "SOP class:",
                     "Secondary Capture", "transfer syntax:", "JPEG Baseline", "photometric interpretation:",
                     "YBR_FULL_422", "PatientName", "key", "inserted", "reader", "generated"):
        assert expected in text, expected


def test_dry_run_json_has_the_same_data(tmp_path: Path) -> None:
    result = run_cli("apply", SC_PROFILE, "--dry-run", "--format", "json", GOOD, tmp_path / "o.dcm")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sop_class"]["uid"] == "1.2.840.10008.5.1.4.1.1.7"
    assert data["transfer_syntax"]["uid"] == "1.2.840.10008.1.2.4.50"
    assert data["photometric_interpretation"] == "YBR_FULL_422"
    by_keyword = {row["keyword"]: row for row in data["attributes"]}
    assert by_keyword["PatientName"]["source"].startswith(f"key ({SC_PROFILE}:")
    assert by_keyword["Rows"]["source"] == "reader (jpeg ljt_testorig.jpg)"
    assert by_keyword["StudyDate"]["source"].startswith("inserted empty")
    assert by_keyword["SOPInstanceUID"]["source"].startswith("generated")
    assert [step["title"] for step in data["steps"]][:2] == ["UIDs", "image pixel module"]
    assert not (tmp_path / "o.dcm").exists()


def test_output_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "o.dcm"
    assert run_cli("apply", SC_PROFILE, GOOD, out).code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_real_run_writes_the_same_attributes_the_dry_run_showed(tmp_path: Path) -> None:
    out = tmp_path / "o.dcm"
    shown = json.loads(run_cli("apply", SC_PROFILE, "--dry-run", "--format", "json", GOOD, out).stdout)
    assert run_cli("apply", SC_PROFILE, GOOD, out).code == 0
    written = {elem.keyword for elem in dcmread(out) if elem.keyword}
    assert {row["keyword"] for row in shown["attributes"]} - {""} <= written


def test_batch_into_a_folder_converts_good_files_despite_a_bad_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("apply", SC_PROFILE, GOOD, TRUNCATED, GREY, out)
    assert result.code == 1
    assert sorted(p.name for p in out.glob("*.dcm")) == ["ljt_testorig.dcm", "mozilla_jpg-gray.dcm"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert len(errors) == 1 and str(TRUNCATED) in errors[0]
    for written in out.glob("*.dcm"):
        assert dciodvfy(written).errors == []


def test_several_inputs_into_single_frame_class_fail_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o.dcm"
    result = run_cli("apply", SC_PROFILE, GOOD, GOOD, out)
    assert result.code == 1
    assert "multiframe-secondary-capture" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_dash_writes_the_object_to_stdout(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "img2dcm", "apply", str(SC_PROFILE), str(GOOD), "-"],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout[128:132] == b"DICM"
    target = tmp_path / "stdout.dcm"
    target.write_bytes(result.stdout)
    assert dciodvfy(target).errors == []


def test_explicit_format_that_does_not_match_the_file_is_an_error(tmp_path: Path) -> None:
    result = run_cli("apply", SC_PROFILE, "--set", "input.format=bmp", GOOD, tmp_path / "o.dcm")
    assert result.code == 1
    assert f"{GOOD}: not a BMP file (it looks like JPEG)" in result.stderr


@pytest.mark.parametrize("content,reason", [(b"", "empty"), (b"hello, not an image", "unrecognised image format")])
def test_unrecognised_inputs_fail_with_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    source = tmp_path / "in.jpg"
    source.write_bytes(content)
    result = run_cli("apply", SC_PROFILE, source, tmp_path / "o.dcm")
    assert result.code == 1 and reason in result.stderr and str(source) in result.stderr
    assert not (tmp_path / "o.dcm").exists()


def test_missing_input_and_missing_output_folder(tmp_path: Path) -> None:
    result = run_cli("apply", SC_PROFILE, tmp_path / "nope.jpg", tmp_path / "o.dcm")
    assert result.code == 1 and "nope.jpg: file not found" in result.stderr
    result = run_cli("apply", SC_PROFILE, GOOD, tmp_path / "no" / "such" / "o.dcm")
    assert result.code == 1 and "output folder does not exist" in result.stderr


def test_one_path_only_is_a_usage_error() -> None:
    result = run_cli("apply", SC_PROFILE, GOOD)
    assert result.code == 2 and "OUTPUT" in result.stderr


def test_profile_run_defaults_are_used_without_paths(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(f"version: 1\nrun:\n  inputs: [{GREY}]\n  output: {tmp_path}/out/\n")
    assert run_cli("apply", profile).code == 0
    assert (tmp_path / "out" / "mozilla_jpg-gray.dcm").is_file()


@pytest.mark.parametrize("profile", PROFILES, ids=[str(p.relative_to(ROOT)) for p in PROFILES])
def test_shipped_profiles_are_valid(profile: Path) -> None:
    result = run_cli("validate", profile)
    assert result.code == 0, result.stderr


def test_validate_reports_file_line_field_for_an_invalid_profile(tmp_path: Path) -> None:
    bad = tmp_path / "site.yaml"
    bad.write_text("version: 1\noutput:\n  sop_class: vl-foto\n")
    result = run_cli("validate", bad)
    assert result.code == 1
    assert result.stderr.splitlines()[0].startswith(f"{bad}:3: output.sop_class: 'vl-foto' is not one of")


def test_validate_checks_referenced_files(tmp_path: Path) -> None:
    bad = tmp_path / "site.yaml"
    bad.write_text("version: 1\ntemplate:\n  dicom: missing.dcm\n")
    result = run_cli("validate", bad, "--format", "json")
    assert result.code == 1
    [entry] = json.loads(result.stdout)["profiles"]
    assert entry["problems"] == [f"{bad}:3: template.dicom: file not found: {tmp_path / 'missing.dcm'}"]


def test_schema_command_prints_the_shipped_schema() -> None:
    result = run_cli("schema")
    assert json.loads(result.stdout) == json.loads((ROOT / "schemas" / "profile.schema.json").read_text())


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "img2dcm", "validate", str(SC_PROFILE)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_an_unexpected_bug_is_one_line_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from img2dcm import readers

    real = readers.read_image

    def flaky(path: Path, options: object):  # type: ignore[no-untyped-def]
        if path == GREY:
            raise RuntimeError("simulated bug")
        return real(path, options)  # type: ignore[arg-type]

    monkeypatch.setattr(readers, "read_image", flaky)
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("apply", SC_PROFILE, GREY, GOOD, out)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert f"{GREY}: internal error: RuntimeError: simulated bug" in result.stderr
    assert [p.name for p in out.glob("*.dcm")] == ["ljt_testorig.dcm"]


def test_an_unexpected_bug_outside_a_job_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from img2dcm.profile import schema

    def broken() -> str:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(schema, "schema_text", broken)
    result = run_cli("schema")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert "internal error: RuntimeError: simulated bug" in result.stderr
