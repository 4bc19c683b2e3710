"""DICOM templates and study/series files: plain data set, no meta, Unicode names."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_files
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import ExplicitVRLittleEndian

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


def test_truncated_dicom_is_refused(tmp_path: Path) -> None:
    data = (CORPUS / "CT_small.dcm").read_bytes()
    path = tmp_path / "cut.dcm"
    path.write_bytes(data[:1000])
    with pytest.raises(TemplateError) as info:
        load_dicom(path)
    assert info.value.line().startswith(f"{path}: not valid DICOM: truncated: ")


def test_a_sequence_cut_mid_value_is_refused() -> None:
    """pydicom's rtplan_truncated.dcm: Beam Sequence cut short; pydicom itself reads it silently."""
    path = next(Path(p) for p in get_testdata_files("rtplan_truncated.dcm"))
    with pytest.raises(TemplateError) as info:
        load_dicom(path)
    assert info.value.line() == (f"{path}: not valid DICOM: truncated: (300a,00b0) BeamSequence holds 711 "
                                 "of its 976 bytes")


def test_a_file_ending_inside_an_element_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tail.dcm"
    path.write_bytes((CORPUS / "CT_small.dcm").read_bytes() + b"\x08\x00\x20")
    with pytest.raises(TemplateError, match="truncated: the file ends inside an element header"):
        load_dicom(path)


def _explicit_le(*elements: tuple[int, int, bytes, bytes]) -> bytes:
    """Explicit VR little endian elements (group, element, VR, value), in the order given."""
    out = b""
    for group, element, vr, value in elements:
        out += struct.pack("<HH", group, element) + vr + struct.pack("<H", len(value)) + value
    return out


def _file(tmp_path: Path, body: bytes) -> Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    buffer.write(b"\0" * 128 + b"DICM")
    write_file_meta_info(buffer, meta)
    path = tmp_path / "t.dcm"
    path.write_bytes(buffer.getvalue() + body)
    return path


@pytest.mark.parametrize(("elements", "reason"), [
    (((0x0010, 0x0020, b"LO", b"ID01"), (0x0010, 0x0010, b"PN", b"Doe^Jane")),
     "elements out of order: (0010,0020) PatientID comes after (0010,0010) PatientName"),
    (((0x0001, 0x0001, b"LO", b"odd!"), (0x0010, 0x0010, b"PN", b"Doe^Jane")),
     "element (0001,0001) is in group 0001, which DICOM does not allow"),
], ids=["out-of-order", "group-0001"])
def test_broken_element_structure_is_refused(elements: tuple[tuple[int, int, bytes, bytes], ...], reason: str,
                                             tmp_path: Path) -> None:
    path = _file(tmp_path, _explicit_le(*elements))
    with pytest.raises(TemplateError) as info:
        load_dicom(path)
    assert info.value.line() == f"{path}: not valid DICOM: {reason}"


def test_the_structure_checks_accept_a_good_file(tmp_path: Path) -> None:
    path = _file(tmp_path, _explicit_le((0x0010, 0x0010, b"PN", b"Doe^Jane"), (0x0010, 0x0020, b"LO", b"ID01")))
    assert load_dicom(path).PatientID == "ID01"
