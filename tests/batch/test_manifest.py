"""Manifest reading: columns as keys, rows by file, every problem as MANIFEST:LINE: column: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from img2dcm.batch.manifest import ManifestError, load_manifest, manifest_problems


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_keys_with_their_line_as_origin(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"x")
    manifest = load_manifest(write(tmp_path, "m.tsv", "file\tPatientID\t(0010,0010)\tOtherPatientIDsSequence[0].PatientID\n"
                                                       "a.jpg\tP1\tDoe^J\tX9\n"))
    row = manifest.row_for(tmp_path / "a.jpg")
    assert row is not None and row.problems == ()
    assert [(k.path, k.value, k.origin) for k in row.keys] == [
        ("PatientID", "P1", f"{tmp_path / 'm.tsv'}:2"), ("(0010,0010)", "Doe^J", f"{tmp_path / 'm.tsv'}:2"),
        ("OtherPatientIDsSequence[0].PatientID", "X9", f"{tmp_path / 'm.tsv'}:2")]
    assert row.value_of(0x00100010) == "Doe^J" and row.value_of(0x00080050) is None


def test_empty_cells_are_not_applied_and_a_bom_and_semicolons_are_understood(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"x")
    manifest = load_manifest(write(tmp_path, "m.txt", "\ufefffile;PatientID;AccessionNumber\na.jpg;;A1\n"))
    row = manifest.row_for(tmp_path / "a.jpg")
    assert row is not None and [(k.path, k.value) for k in row.keys] == [("AccessionNumber", "A1")]


@pytest.mark.parametrize(("header", "expected"), [
    ("PatientID,PatientName", ":1: (header): no 'file' column"),
    ("file,PatientIDD", ":1: PatientIDD: bad key path 'PatientIDD': unknown DICOM keyword"),
    ("file,PatientID,PatientID", ":1: PatientID: column given twice"),
    ('file,"(0002,0010)"', ":1: (0002,0010): bad key path"),
    ("file,(0010,0010)", "quote it"),
])
def test_a_bad_header_makes_the_manifest_unusable(tmp_path: Path, header: str, expected: str) -> None:
    path = write(tmp_path, "m.csv", header + "\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    assert any(line.startswith(str(path)) and expected in line for line in caught.value.problems), caught.value.problems


def test_bad_values_duplicates_and_missing_files_are_reported_by_line(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(b"x")
    path = write(tmp_path, "m.csv", "file,PatientBirthDate,InstanceNumber\n"
                                    "a.jpg,19991301,1\n"      # line 2: month 13
                                    "b.jpg,19990101,x\n"      # line 3: IS not a number
                                    "c.jpg,19990101,3\n"      # line 4: no such file
                                    "b.jpg,19990101,4\n"      # line 5: second row for b
                                    "a.jpg,19990101\n")       # line 6: short row, duplicate
    problems = manifest_problems(path)
    lines = [p.split(":")[1] for p in problems]
    assert lines == sorted(lines, key=int)
    assert any(p.startswith(f"{path}:2: PatientBirthDate: bad value") for p in problems), problems
    assert any(p.startswith(f"{path}:3: InstanceNumber: bad value") for p in problems), problems
    assert f"{path}:4: file: no such input file: c.jpg" in problems
    assert f"{path}:5: file: b.jpg has another row at line 3" in problems
    assert f"{path}:6: file: a.jpg has another row at line 2" in problems


def test_a_missing_or_non_utf8_manifest_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="manifest file not found"):
        load_manifest(tmp_path / "none.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("file,PatientName\na.jpg,M\xfcller\n".encode("latin-1"))
    with pytest.raises(ManifestError, match="not UTF-8"):
        load_manifest(bad)
