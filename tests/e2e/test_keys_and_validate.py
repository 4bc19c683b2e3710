"""Keys in profiles: `img2dcm validate` reports bad paths and values as FILE:LINE, apply names the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom import dcmread

from tests.e2e.test_templates_and_sources import JPEG, assert_valid
from tests.tools import CORPUS, run_cli

BAD_KEYS = [
    ("FooBar", "x", "unknown DICOM keyword 'FooBar'"),
    ("OtherPatientIDsSequence.PatientID", "y", "needs an item index"),
    ("PatientName[0].PatientID", "y", "non-sequence tag"),
    ("(0010,0010", "z", "unbalanced parenthesis"),
    ("OtherPatientIDsSequence[-1].PatientID", "y", ""),
    ("PatientBirthDate", "2024-01-01", "DA (date) allows at most 8"),
    ("SeriesNumber", "seven", "IS"),
    ("Rows", "70000", "US"),
    ("ReferencedImageSequence", "x", ""),
]


def profile_with(folder: Path, path: str, value: str) -> tuple[Path, int]:
    """A profile whose key ``path`` sits on a known line (the 4th)."""
    text = ("version: 1\nkeys:\n  PatientName: \"Doe^Jane\"\n"
            f"  {json.dumps(path)}: {json.dumps(value)}\n  PatientID: \"ID-1\"\n")
    profile = folder / "site.yaml"
    profile.write_text(text, encoding="utf-8")
    return profile, 4


@pytest.mark.parametrize(("path", "value", "reason"), BAD_KEYS, ids=[k[0] + "=" + k[1] for k in BAD_KEYS])
def test_validate_reports_a_bad_key_with_file_and_line(path: str, value: str, reason: str, tmp_path: Path) -> None:
    profile, line = profile_with(tmp_path, path, value)
    result = run_cli("validate", profile)
    assert result.code == 1
    problems = result.stderr.strip().splitlines()
    assert len(problems) == 1, result.stderr
    assert problems[0].startswith(f"{profile}:{line}: keys[\"{path}\"]: "), problems[0]
    assert reason in problems[0]


@pytest.mark.parametrize(("path", "value", "reason"), BAD_KEYS[:3] + BAD_KEYS[5:6], ids=["kw", "dot", "nonseq", "da"])
def test_apply_with_a_bad_key_names_the_key_line_and_writes_nothing(path: str, value: str, reason: str,
                                                                    tmp_path: Path) -> None:
    profile, line = profile_with(tmp_path, path, value)
    out = tmp_path / "out.dcm"
    result = run_cli("apply", profile, JPEG, out)
    assert result.code == 1 and not out.exists()
    errors = [text for text in result.stderr.splitlines() if text.startswith("E:")]
    assert len(errors) == 1 and errors[0].startswith(f"E: {profile}:{line}: ") and reason in errors[0]


def test_validate_json_lists_the_problem(tmp_path: Path) -> None:
    profile, line = profile_with(tmp_path, "FooBar", "x")
    result = run_cli("validate", "--format", "json", profile)
    data = json.loads(result.stdout)
    assert result.code == 1 and data["valid"] is False
    assert data["profiles"][0]["problems"][0].startswith(f"{profile}:{line}: ")


def test_good_keys_validate_and_apply_in_order_after_everything_else(tmp_path: Path) -> None:
    template = CORPUS / "dicom" / "charset" / "chrFren.dcm"
    profile = tmp_path / "site.yaml"
    profile.write_text(
        "version: 1\n"
        f"template: {{dicom: {json.dumps(str(template))}}}\n"
        "sources: {increment_instance: true}\n"
        "keys:\n"
        "  PatientName: \"Doe^Jane\"\n"
        "  ImageType: [DERIVED, SECONDARY]\n"
        "  \"OtherPatientIDsSequence[1].PatientID\": \"X\"\n"
        "  \"OtherPatientIDsSequence[*].TypeOfPatientID\": \"TEXT\"\n"
        "  \"(0020,0011)\": \"7\"\n"
        "  InstanceNumber: \"9\"\n"
        "  PatientSex: null\n",
        encoding="utf-8")
    assert run_cli("validate", profile).code == 0
    out = tmp_path / "out.dcm"
    result = run_cli("apply", profile, JPEG, out)
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert str(ds.PatientName) == "Doe^Jane" and list(ds.ImageType) == ["DERIVED", "SECONDARY"]
    assert [item.get("PatientID") for item in ds.OtherPatientIDsSequence] == [None, "X"]
    assert [item.TypeOfPatientID for item in ds.OtherPatientIDsSequence] == ["TEXT", "TEXT"]
    assert ds.SeriesNumber == 7 and ds.InstanceNumber == 9  # the key wins over -ii (keys come later)
    assert ds["PatientSex"].value in (None, "")
    assert ds.SOPInstanceUID != dcmread(template).SOPInstanceUID


def test_a_key_may_set_the_sop_instance_uid(tmp_path: Path) -> None:
    profile = tmp_path / "site.yaml"
    profile.write_text("version: 1\nkeys: {SOPInstanceUID: \"1.2.826.0.1.3680043.9.9999.1\"}\n", encoding="utf-8")
    out = tmp_path / "out.dcm"
    assert run_cli("apply", profile, JPEG, out).code == 0
    ds = dcmread(out)
    assert ds.SOPInstanceUID == "1.2.826.0.1.3680043.9.9999.1" == ds.file_meta.MediaStorageSOPInstanceUID


def test_uid_root_from_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "site.yaml"
    profile.write_text("version: 1\nuids: {root: \"1.2.826.0.1.3680043.9.9999\"}\n", encoding="utf-8")
    out = tmp_path / "out.dcm"
    assert run_cli("apply", profile, JPEG, out).code == 0
    assert_valid(out)
    ds = dcmread(out)
    for name in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        assert str(ds[name].value).startswith("1.2.826.0.1.3680043.9.9999."), name


def test_bad_uid_root_fails_validate_with_its_line(tmp_path: Path) -> None:
    profile = tmp_path / "site.yaml"
    profile.write_text("version: 1\nuids:\n  root: \"1.2.03\"\n", encoding="utf-8")
    result = run_cli("validate", profile)
    assert result.code == 1 and f"{profile}:3: uids.root" in result.stderr
