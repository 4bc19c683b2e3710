"""Issue 15 items 1-2 end to end: what a template contributes, reported; keep: all; invalid values."""

from __future__ import annotations

import json
from pathlib import Path

from pydicom import dcmread
from pydicom.data import get_testdata_files

from tests.e2e.test_templates_and_sources import apply, assert_valid
from tests.tools import CORPUS, run_cli

GREY = CORPUS / "jpeg" / "ljt_testimggray.jpg"
CT = CORPUS / "dicom" / "CT_small.dcm"


def pydicom_file(name: str) -> Path:
    return next(Path(p) for p in get_testdata_files(name))


def dry_run_notes(tmp_path: Path, **fields: object) -> list[str]:
    from tests.e2e.test_templates_and_sources import write_profile

    result = run_cli("apply", write_profile(tmp_path, **fields), "--dry-run", "--format", "json", GREY,
                     tmp_path / "out.dcm")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)["detected"]


def test_the_report_says_what_an_ecg_template_left_out_and_why(tmp_path: Path) -> None:
    source = pydicom_file("waveform_ecg.dcm")
    notes = dry_run_notes(tmp_path, template={"dicom": str(source)}, output={"sop_class": "vl-photographic"})
    outside = next(n for n in notes if "(not in any module of VL Photographic Image)" in n)
    assert outside.startswith(f"template {source}: left out ") and "WaveformSequence" in outside
    private = next(n for n in notes if n.endswith("(private attribute (template.keep_private is false))"))
    assert "(1455,0010)" in private


def test_keep_iod_drops_a_cts_frame_of_reference_and_keep_all_restores_dcmtks_copy(tmp_path: Path) -> None:
    out = tmp_path / "iod.dcm"
    assert apply(tmp_path, out, template={"dicom": str(CT)}).code == 0
    assert_valid(out)
    written = dcmread(out)
    assert "FrameOfReferenceUID" not in written and "ImagePositionPatient" not in written
    assert not any(e.tag.is_private for e in written)
    assert written.PatientName == dcmread(CT).PatientName
    everything = tmp_path / "all.dcm"
    result = apply(tmp_path, everything, template={"dicom": str(CT), "keep": "all", "keep_private": True})
    assert result.code == 0, result.stderr
    kept = dcmread(everything)
    assert kept.FrameOfReferenceUID == dcmread(CT).FrameOfReferenceUID
    assert any(e.tag.is_private for e in kept)


def test_an_acr_nema_template_fails_by_default_and_is_repaired_on_request(tmp_path: Path) -> None:
    source = pydicom_file("ExplVR_BigEnd.dcm")
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(source)})
    assert result.code == 1 and not out.exists()
    assert f"E: {source}: StudyDate value '1997.04.24' is not a date YYYYMMDD (DA)" in result.stderr
    result = apply(tmp_path, out, template={"dicom": str(source), "invalid_values": "repair"})
    assert result.code == 0, result.stderr
    assert_valid(out)
    written = dcmread(out)
    assert (written.StudyDate, written.StudyTime) == ("19970424", "140438")


def test_a_study_file_with_acr_nema_values_can_be_repaired(tmp_path: Path) -> None:
    source = pydicom_file("ExplVR_BigEnd.dcm")
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, sources={"study_from": str(source), "invalid_values": "repair"})
    assert result.code == 0, result.stderr
    assert_valid(out)
    assert dcmread(out).StudyDate == "19970424"


def test_a_template_saying_identity_removed_without_a_method_needs_the_method(tmp_path: Path) -> None:
    source = pydicom_file("693_J2KI.dcm")
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(source)})
    assert result.code == 1 and "missing for Secondary Capture Image: DeidentificationMethod" in result.stderr
    result = apply(tmp_path, out, template={"dicom": str(source)}, keys={"DeidentificationMethod": "unknown"})
    assert result.code == 0, result.stderr
    assert_valid(out)


def test_classic_options_for_keep_and_invalid_values(tmp_path: Path) -> None:
    source = pydicom_file("ExplVR_BigEnd.dcm")
    out = tmp_path / "out.dcm"
    result = run_cli("-df", source, GREY, out)
    assert result.code == 1 and "fix the file or set template.invalid_values: repair (+tv repair)" in result.stderr
    assert run_cli("-df", source, "+tv", "repair", GREY, out).code == 0
    assert dcmread(out).StudyDate == "19970424"
    assert run_cli("-stf", source, "+sv", "drop", GREY, out).code == 0
    assert dcmread(out).StudyDate == ""
    assert run_cli("-df", CT, "+ta", "+tp", GREY, out).code == 0
    assert "FrameOfReferenceUID" in dcmread(out)
    refused = run_cli("+ta", GREY, out)
    assert refused.code != 0 and "--template-keep-all only allowed with a template (-df, -dx, -dd)" in refused.stderr


def test_validate_reports_a_template_or_study_file_value_that_would_fail(tmp_path: Path) -> None:
    from tests.e2e.test_templates_and_sources import write_profile

    source = pydicom_file("ExplVR_BigEnd.dcm")
    for fields in ({"template": {"dicom": str(source)}}, {"sources": {"study_from": str(source)}}):
        result = run_cli("validate", write_profile(tmp_path, **fields))
        assert result.code == 1 and "StudyDate value '1997.04.24' is not a date YYYYMMDD (DA)" in result.stderr
    repaired = write_profile(tmp_path, template={"dicom": str(source), "invalid_values": "repair"})
    assert run_cli("validate", repaired).code == 0
