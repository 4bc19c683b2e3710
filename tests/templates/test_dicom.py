"""DICOM templates and study/series files: plain data set, no meta, Unicode names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.templates.dicom import load_dicom
from tests.templates import CHARSET, CORPUS, differences, run


@pytest.mark.parametrize("path", sorted(CHARSET.glob("*.dcm")), ids=lambda p: p.name)
def test_charset_names_decode_like_pydicom(path: Path) -> None:
    ds = load_dicom(path)
    want = dcmread(path)
    assert str(ds.PatientName) == str(want.PatientName)
    assert differences(ds, want) == []


def test_result_has_no_file_meta_and_is_a_plain_dataset() -> None:
    ds = load_dicom(CORPUS / "CT_small.dcm")
    assert type(ds) is Dataset
    assert not hasattr(ds, "file_meta") or ds.get("file_meta") is None
    assert all(tag >> 16 != 0x0002 for tag in ds.keys())


def test_text_stays_decoded_when_the_charset_changes_later() -> None:
    ds = load_dicom(CHARSET / "chrFren.dcm")
    name = str(ds.PatientName)
    ds.SpecificCharacterSet = "ISO_IR 192"
    assert str(ds.PatientName) == name and "é" in name


def test_dataset_without_preamble_is_read(tmp_path: Path) -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = "Ärger^Änne"
    path = tmp_path / "bare.dcm"
    ds.save_as(path, implicit_vr=True, little_endian=True)
    assert str(load_dicom(path).PatientName) == "Ärger^Änne"


def test_dump2dcm_output_is_a_valid_template(tmp_path: Path) -> None:
    out = tmp_path / "sc.dcm"
    run("dump2dcm", CORPUS / "dcmtk-templates" / "SC.dump", out)
    assert load_dicom(out).ConversionType == "SI"


def test_non_dicom_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.dcm"
    path.write_bytes(b"this is not DICOM at all, just some text " * 10)
    with pytest.raises(TemplateError, match="not a DICOM file") as info:
        load_dicom(path)
    assert info.value.line() == f"{path}: not a DICOM file"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.dcm"
    path.write_bytes(b"")
    with pytest.raises(TemplateError, match="not a DICOM file"):
        load_dicom(path)


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="file not found"):
        load_dicom(tmp_path / "nope.dcm")


def test_truncated_dicom_is_an_error_not_a_crash(tmp_path: Path) -> None:
    data = (CORPUS / "CT_small.dcm").read_bytes()
    path = tmp_path / "cut.dcm"
    path.write_bytes(data[:1000])
    try:
        ds = load_dicom(path)
    except TemplateError as exc:
        assert str(path) in exc.line()
    else:
        assert "PatientName" in ds or len(ds) > 0
