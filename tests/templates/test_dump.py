"""dump2dcm text dumps: parsed like dump2dcm, decoded in the dump's character set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom._uid_dict import UID_dictionary
from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.templates.dump import load_dump, resolve_uid_name
from tests.templates import CHARSET, CORPUS, DCMTK_TEMPLATES, differences, not_pixels_or_meta, run


@pytest.mark.parametrize("name", ["SC.dump", "VLP.dump"])
def test_dcmtk_template_matches_dump2dcm(name: str, tmp_path: Path) -> None:
    dump = DCMTK_TEMPLATES / name
    out = tmp_path / "out.dcm"
    run("dump2dcm", dump, out)
    want = dcmread(out)
    got = load_dump(dump)
    assert differences(got, want, not_pixels_or_meta(want)) == []
    assert len(got) > 10


@pytest.mark.parametrize(
    "path",
    [
        CORPUS / "CT_small.dcm",
        CORPUS / "MR_small.dcm",
        CORPUS / "SC_rgb_small_odd.dcm",
        CORPUS / "JPGExtended.dcm",
        CHARSET / "chrX1.dcm",
        CHARSET / "chrH31.dcm",
        CHARSET / "chrFren.dcm",
        CHARSET / "chrJapMulti.dcm",
        CHARSET / "chrKoreanMulti.dcm",
        CHARSET / "chrRuss.dcm",
    ],
    ids=lambda p: p.name,
)
def test_dcmdump_output_reads_back_as_the_file(path: Path, tmp_path: Path) -> None:
    dump = tmp_path / "file.dump"
    dump.write_bytes(run("dcmdump", "+L", path).stdout)
    want = dcmread(path)
    got = load_dump(dump)
    assert differences(got, want, not_pixels_or_meta(want)) == []
    assert str(got.get("PatientName")) == str(want.get("PatientName"))


def test_all_vrs_round_trip_through_dcmdump(tmp_path: Path) -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = "Müller^André"
    ds.FrameIncrementPointer = [0x00181063, 0x00181065]
    ds.ImageComments = "[bracketed] text"
    ds.add_new(0x00091010, "LO", "PRIV")
    ds.add_new(0x00091011, "OB", b"\x01\x02\x03\x04")
    ds.add_new(0x00091012, "OW", b"\x01\x02\x03\x04")
    ds.add_new(0x00091013, "OF", b"\x00\x00\xc0\x3f\x00\x00\x10\xc0")
    ds.add_new(0x00091014, "OD", b"\x00" * 7 + b"\x40")
    ds.add_new(0x00091015, "FL", [1.5, -0.1])
    ds.add_new(0x00091016, "FD", [1.5, -0.1])
    ds.add_new(0x00091017, "SV", [-5, 1 << 40])
    ds.add_new(0x00091018, "UV", [5, 1 << 60])
    ds.add_new(0x00091019, "SS", [-1, 2])
    ds.add_new(0x0009101A, "UL", [4000000000])
    ds.add_new(0x0009101B, "UT", "a ] in ] text")
    ds.add_new(0x0009101C, "UN", b"\xaa\xbb")
    item = Dataset()
    item.CodeMeaning = "Ärger"
    ds.AnatomicRegionSequence = [item, Dataset()]
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.4"
    src = tmp_path / "all.dcm"
    ds.save_as(src, implicit_vr=False, little_endian=True)
    dump = tmp_path / "all.dump"
    dump.write_bytes(run("dcmdump", "+L", src).stdout)
    assert b"=MultiframeTrueColorSecondaryCaptureImageStorage" in dump.read_bytes()
    assert differences(load_dump(dump), dcmread(src, force=True)) == []


def test_every_dcmtk_uid_name_resolves(tmp_path: Path) -> None:
    ds = Dataset()
    items = []
    for uid in UID_dictionary:
        item = Dataset()
        item.ReferencedSOPClassUID = uid
        items.append(item)
    ds.ReferencedSOPSequence = items
    src = tmp_path / "uids.dcm"
    ds.save_as(src, implicit_vr=False, little_endian=True)
    got = load_dump(_write(tmp_path, run("dcmdump", src).stdout))
    assert [i.ReferencedSOPClassUID for i in got.ReferencedSOPSequence] == list(UID_dictionary)


def test_pydicom_uid_keywords_are_accepted_too() -> None:
    assert resolve_uid_name("ExplicitVRLittleEndian") == "1.2.840.10008.1.2.1"
    assert resolve_uid_name("LittleEndianExplicit") == "1.2.840.10008.1.2.1"
    assert resolve_uid_name("NoSuchThing") is None


def _write(tmp_path: Path, data: bytes, name: str = "t.dump") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_latin1_dump_decodes_once_charset_is_known(tmp_path: Path) -> None:
    text = "(0010,0010) PN [M\xfcller^Andr\xe9]\n(0008,0005) CS [ISO_IR 100]\n"
    ds = load_dump(_write(tmp_path, text.encode("latin-1")))
    assert str(ds.PatientName) == "Müller^André"


def test_charset_is_inherited_by_sequence_items(tmp_path: Path) -> None:
    text = (
        "(0008,0005) CS [ISO_IR 192]\n"
        "(0008,2218) SQ (Sequence)\n"
        "  (fffe,e000) na (Item)\n"
        "    (0008,0104) LO [Ärger]\n"
        "  (fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem)\n"
    )
    ds = load_dump(_write(tmp_path, text.encode("utf-8")))
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Ärger"


def test_vr_may_be_left_out_when_the_dictionary_knows_it(tmp_path: Path) -> None:
    ds = load_dump(_write(tmp_path, b"(0028,0010) 512\n(0010,0020) [ID1]\n"))
    assert ds["Rows"].VR == "US" and ds.Rows == 512
    assert ds.PatientID == "ID1"


def test_value_file_is_read_relative_to_the_dump(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\x01\x02")
    ds = load_dump(_write(tmp_path, b"(0009,1001) OB =blob.bin\n"))
    assert ds[0x00091001].value == b"\x01\x02"


def test_value_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (tmp_path / "secret").write_bytes(b"x")
    with pytest.raises(TemplateError, match="outside"):
        load_dump(_write(sub, b"(0009,1001) OB =../secret\n"))


def test_meta_group_and_pixel_data_are_skipped(tmp_path: Path) -> None:
    text = (
        b"(0002,0010) UI =LittleEndianExplicit\n"
        b"(0010,0020) LO [A]\n"
        b"(7fe0,0010) OB (PixelSequence #=2)\n"
        b"  (fffe,e000) pi (no value available)\n"
        b"  (fffe,e000) pi ff\\d8\\ff\\d9\n"
        b"(fffe,e0dd) na (SequenceDelimitationItem)\n"
    )
    ds = load_dump(_write(tmp_path, text))
    assert list(ds.keys()) == [0x00100020]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (b"# ok\n(0010,0010 PN [x]\n", 2, "at the start of the line"),
        (b"(0010,0010) PN [x\n", 1, "no closing"),
        (b"(0028,0010) US 12x\n", 1, "invalid US value"),
        (b"(0009,1001) [x]\n", 1, "unknown VR"),
        (b"(0008,2218) SQ (Sequence)\n(fffe,e000) na\n", 1, "not closed"),
        (b"(fffe,e00d) na\n", 1, "outside a sequence"),
        (b"(0010,0020) LO [a]\n(0010,0020) LO [b]\n", 2, "appears twice"),
        (b"(0008,0016) UI =NoSuchUID\n", 1, "unknown UID name"),
    ],
)
def test_malformed_dump_names_file_and_line(
    tmp_path: Path, text: bytes, line: int, reason: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TemplateError, match=reason) as info:
        load_dump(path)
    assert info.value.line().startswith(f"{path}:{line}: ")


def test_missing_dump_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="file not found"):
        load_dump(tmp_path / "none.dump")


def test_dcmdump_is_really_dcmtk() -> None:
    out = run("dcmdump", "--version").stdout
    assert b"dcmtk" in out.lower()
    assert subprocess.run(["true"], check=False).returncode == 0


def test_an_element_in_an_illegal_group_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "t.dump"
    dump.write_text("(0010,0010) PN [Doe^Jane]\n(0003,0010) LO [odd]\n", encoding="ascii")
    with pytest.raises(TemplateError) as info:
        load_dump(dump)
    assert info.value.line() == f"{dump}:2: (0003,0010) is in group 0003, which DICOM does not allow"
