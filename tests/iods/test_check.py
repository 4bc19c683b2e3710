"""check_dataset and ``img2dcm check``: findings agree with dciodvfy on corpus files."""

from __future__ import annotations

import json
from pathlib import Path

import pydicom
import pytest

from img2dcm.cli.check import run_check
from img2dcm.iods.check import check_dataset
from tests.iods import fake_image, run, write
from tests.tools import CORPUS, dciodvfy

DICOM = CORPUS / "dicom"


def errors(findings) -> list[tuple[str, str]]:
    return [(f.attribute, f.message) for f in findings if f.severity == "error"]


def test_clean_corpus_sc_has_only_the_laterality_warning() -> None:
    findings = check_dataset(pydicom.dcmread(DICOM / "SC_rgb_small_odd.dcm"))
    assert [(f.severity, f.attribute) for f in findings] == [("warning", "Laterality")]


def test_planar_configuration_on_grey_is_an_error_as_dciodvfy_says() -> None:
    path = DICOM / "JPEGBaseline_1s_1f_u_08_08.dcm"
    ours = errors(check_dataset(pydicom.dcmread(path)))
    assert [a for a, _ in ours] == ["PlanarConfiguration"]
    assert any("PlanarConfiguration" in line for line in dciodvfy(path).errors)


def test_bare_sc_lists_the_same_missing_attributes_as_dciodvfy() -> None:
    path = DICOM / "JPEGLSNearLossless_08.dcm"
    ours = {a for a, _ in errors(check_dataset(pydicom.dcmread(path)))}
    theirs = {line.split("Element=<")[1].split(">")[0] for line in dciodvfy(path).errors if "Element=<" in line}
    assert ours == theirs


def test_unknown_sop_class_is_a_warning_plus_generic_checks() -> None:
    findings = check_dataset(pydicom.dcmread(DICOM / "CT_small.dcm"))
    assert findings[0].severity == "warning" and "CT Image Storage" in findings[0].message
    assert errors(findings) == []


def test_broken_op_dataset_reports_each_problem() -> None:
    keys = {"ImageLaterality": "R", "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
            "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
            "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera"}
    ds = run("ophthalmic-photography", [fake_image("grey8")], keys=keys).builder.dataset
    ds.ImageLaterality = "U"  # not allowed for OP
    del ds.SynchronizationTrigger
    ds.StudyInstanceUID = ""
    ds.AcquisitionDeviceTypeCodeSequence[0].CodeMeaning = ""
    ds.BitsStored = 12
    ds.PupilDilated = "NO"
    ds.DegreeOfDilation = None
    found = errors(check_dataset(ds, "1.2.840.10008.1.2.1"))
    attributes = [a for a, _ in found]
    assert attributes == ["StudyInstanceUID", "SynchronizationTrigger", "ImageLaterality",
                          "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning", "DegreeOfDilation", "BitsStored"]
    assert "value 1 'U' is not one of R, L, B" in found[2][1]
    assert found[-1][1].endswith("not a pixel format of Ophthalmic Photography 8 Bit Image (PS3.3 §A.41); accepted by secondary-capture")


def test_rgb_in_lossy_jpeg_is_flagged_for_vlp() -> None:
    ds = run("vl-photographic", [fake_image("jpeg-ybr")]).builder.dataset
    assert check_dataset(ds, "1.2.840.10008.1.2.4.50") == []
    ds.PhotometricInterpretation = "RGB"
    assert errors(check_dataset(ds, "1.2.840.10008.1.2.4.50")) == [
        ("PhotometricInterpretation", "RGB is not permitted by VL Photographic Image in JPEG Baseline (Process 1)")]


def test_single_frame_class_with_frames_is_flagged() -> None:
    ds = run("secondary-capture", [fake_image("grey8")]).builder.dataset
    ds.NumberOfFrames = 2
    assert ("NumberOfFrames", "2 frames, but Secondary Capture Image holds 1") in errors(check_dataset(ds))


def test_pointer_on_single_frame_nsc_is_flagged() -> None:
    ds = run("multiframe-secondary-capture", [fake_image("grey8")]).builder.dataset
    ds.add_new("FrameIncrementPointer", "AT", 0x00181063)
    found = dict(errors(check_dataset(ds)))
    assert found["FrameIncrementPointer"] == "present although its condition does not hold (more than one frame)"
    assert found["FrameTime"].startswith("missing (type 1C")


def test_check_command_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(run("vl-photographic", [fake_image("rgb8")]), tmp_path / "good.dcm")
    assert run_check([str(good)], "text") == 0
    assert "good.dcm: VL Photographic Image Storage: valid" in capsys.readouterr().out
    bad = DICOM / "JPEGBaseline_1s_1f_u_08_08.dcm"
    assert run_check([str(good), str(bad)], "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert [len(f["findings"]) for f in report["files"]] == [0, 2]


def test_check_command_names_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"not dicom")
    assert run_check([str(junk)], "text") == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{junk}: cannot read DICOM file")
