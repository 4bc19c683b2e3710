"""Character sets end to end: -Ct/-Cd/strict, ISO_IR 192 choice, keys encoded into the template's set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from tests.e2e.test_templates_and_sources import JPEG, apply, assert_valid, write_profile
from tests.tools import CORPUS, run_cli

SC_DUMP = CORPUS / "dicom" / "dcmtk-templates" / "SC.dump"  # SpecificCharacterSet ISO_IR 100
CHARSET = CORPUS / "dicom" / "charset"
POLISH = "Łukasz^Żółć"


def latin2_source(folder: Path) -> Path:
    """A study file in ISO_IR 101 (Latin-2) whose name Latin-1 cannot fully hold."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 101"
    ds.SOPClassUID, ds.SOPInstanceUID, ds.Modality = "1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", "OT"
    ds.PatientName, ds.PatientID, ds.StudyInstanceUID = POLISH, "PL-1", "1.2.3.5"
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path = folder / "latin2.dcm"
    ds.save_as(path, enforce_file_format=True)
    assert b"\xa3ukasz" in path.read_bytes()  # really Latin-2 bytes (Ł = A3)
    return path


def test_latin2_name_into_latin1_template_fails_strictly_naming_the_study_file(tmp_path: Path) -> None:
    source = latin2_source(tmp_path)
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dump": str(SC_DUMP)}, sources={"study_from": str(source)})
    assert result.code == 1 and not out.exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"E: {source}: PatientName: character 'Ł' (U+0141) from the study file ")
    assert f"'ISO_IR 100' of the template {SC_DUMP}" in errors[0]
    assert str(JPEG) not in errors[0]  # the input image is not where the text came from


@pytest.mark.parametrize(("conversion", "expected"), [("transliterate", "?ukasz^Zó?c"), ("discard", "ukasz^ó")])
def test_latin2_name_with_transliterate_or_discard(conversion: str, expected: str, tmp_path: Path) -> None:
    source = latin2_source(tmp_path)
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dump": str(SC_DUMP)}, sources={"study_from": str(source)},
                   charset={"conversion": conversion})
    assert result.code == 0, result.stderr
    assert_valid(out)
    assert dcmread(out).get_item("PatientName").value.rstrip(b" ") == expected.encode("latin-1")
    written = dcmread(out)
    assert written.SpecificCharacterSet == "ISO_IR 100" and str(written.PatientName) == expected


def test_a_change_is_noted_in_the_dry_run(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, template={"dump": str(SC_DUMP)},
                            sources={"study_from": str(latin2_source(tmp_path))}, charset={"conversion": "transliterate"})
    result = run_cli("apply", profile, "--dry-run", "--format", "json", JPEG, tmp_path / "out.dcm")
    notes = json.loads(result.stdout)["detected"]
    assert any("PatientName" in note and "transliterated" in note and "?ukasz" in note for note in notes)


def test_latin2_source_without_template_keeps_its_own_set(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    assert apply(tmp_path, out, sources={"study_from": str(latin2_source(tmp_path))}).code == 0
    written = dcmread(out)
    assert written.SpecificCharacterSet == "ISO_IR 101" and str(written.PatientName) == POLISH


def test_non_ascii_key_without_template_chooses_utf8_and_reports_it(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, keys={"PatientName": "Müller^André", "StudyDescription": "胸部"})
    dry = run_cli("apply", profile, "--dry-run", "--format", "json", JPEG, tmp_path / "out.dcm")
    data = json.loads(dry.stdout)
    assert any("ISO_IR 192" in note for note in data["detected"])
    rows = {row["keyword"]: row for row in data["attributes"]}
    assert rows["SpecificCharacterSet"]["value"] == "ISO_IR 192"
    assert rows["SpecificCharacterSet"]["source"].startswith("invented")
    out = tmp_path / "out.dcm"
    assert run_cli("apply", profile, JPEG, out).code == 0
    assert_valid(out)
    assert dcmread(out).get_item("StudyDescription").value.rstrip(b" ") == "胸部".encode()
    assert str(dcmread(out).PatientName) == "Müller^André"


def test_ascii_keys_without_template_write_no_set(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    assert apply(tmp_path, out, keys={"PatientName": "Doe^Jane"}).code == 0
    assert "SpecificCharacterSet" not in dcmread(out)


def test_key_text_is_encoded_into_the_templates_set(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(CHARSET / "chrRuss.dcm")},
                   keys={"StudyDescription": "Грудная клетка"})
    assert result.code == 0, result.stderr
    assert_valid(out)
    assert dcmread(out).get_item("StudyDescription").value.rstrip(b" ") == "Грудная клетка".encode("iso8859_5")
    assert dcmread(out).SpecificCharacterSet == "ISO_IR 144"


def test_key_text_the_templates_set_cannot_hold_fails_with_the_key_line(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(CHARSET / "chrRuss.dcm")},
                   keys={"PatientComments": "ok", "StudyDescription": "Schädel"})
    assert result.code == 1 and not out.exists()
    profile = tmp_path / "profile.yaml"
    line = next(n for n, text in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith("StudyDescription"))
    assert (f"E: {profile}:{line}: StudyDescription: character 'ä' (U+00E4) from the key cannot be written in "
            f"Specific Character Set 'ISO_IR 144' of the template {CHARSET / 'chrRuss.dcm'}") in result.stderr


def test_key_text_into_a_multi_valued_iso2022_template(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(CHARSET / "chrH31.dcm")},
                   keys={"StudyDescription": "胸部^X"})
    assert result.code == 0, result.stderr
    written = dcmread(out)
    assert list(written.SpecificCharacterSet) == ["", "ISO 2022 IR 87"]
    assert written.StudyDescription == "胸部^X"


def test_study_file_text_the_template_cannot_hold_names_the_study_file(tmp_path: Path) -> None:
    study = CHARSET / "chrH31.dcm"
    result = apply(tmp_path, tmp_path / "o.dcm", template={"dicom": str(CORPUS / "dicom" / "CT_small.dcm")},
                   sources={"study_from": str(study)})
    assert result.code == 1
    assert f"E: {study}: PatientName: character '山' (U+5C71) from the study file" in result.stderr


def test_study_file_set_gives_way_to_utf8_when_a_key_needs_more(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, sources={"study_from": str(CHARSET / "chrFren.dcm")},
                   keys={"StudyDescription": "Łódź"})
    assert result.code == 0, result.stderr
    written = dcmread(out)
    assert written.SpecificCharacterSet == "ISO_IR 192"
    assert str(written.PatientName) == str(dcmread(CHARSET / "chrFren.dcm").PatientName)
    assert written.StudyDescription == "Łódź"
