"""Template and source values must be valid for their VR: template.invalid_values fail | drop | repair."""

from __future__ import annotations

import pytest
from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.templates.values import enforce, find_invalid, value_problem


def acr_nema() -> Dataset:
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    ds.StudyDate = "1997.04.24"
    ds.StudyTime = "14:04:38"
    return ds


@pytest.mark.parametrize(("vr", "text", "reason"), [
    ("DA", "1997.04.24", "is not a date YYYYMMDD (DA)"),
    ("TM", "14:04:38", "is not a time"),
    ("UI", "1.2.0123.4", "leading zero '0123'"),
    ("UI", "0", "nothing but zero components"),
    ("UI", "0.0.0", "nothing but zero components"),
    ("UI", "9.8.7.6", "a UID's root is 0, 1 or 2"),
    ("LO", "a\x01b", "control character"),
    ("IS", "1A", "not an integer string"),
    ("CS", "lower", "upper-case"),
    ("SH", "x" * 17, "17 characters long; SH (short string) allows at most 16"),
])
def test_value_problems_name_the_rule(vr: str, text: str, reason: str) -> None:
    problem = value_problem(vr, text)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(("vr", "text"), [("DA", "19970424"), ("TM", "140438.5"), ("UI", "1.2.840.10008.1.2"),
                                          ("UI", "2.25.0"), ("LT", "line\r\nnext"), ("PN", "Doe^Jane")])
def test_valid_values_pass(vr: str, text: str) -> None:
    assert value_problem(vr, text) is None


def test_fail_names_file_attribute_value_and_the_way_out() -> None:
    with pytest.raises(TemplateError) as caught:
        enforce(acr_nema(), "fail", "t.dcm")
    line = caught.value.line()
    assert line == ("t.dcm: StudyDate value '1997.04.24' is not a date YYYYMMDD (DA) (and 1 more); "
                    "fix the file or set template.invalid_values: repair (+tv repair)")


def test_repair_rewrites_acr_nema_dates_and_times_with_a_note() -> None:
    ds = acr_nema()
    notes = enforce(ds, "repair", "t.dcm")
    assert (ds.StudyDate, ds.StudyTime) == ("19970424", "140438")
    assert notes[0] == ("template t.dcm: StudyDate '1997.04.24' repaired to '19970424' "
                        "(is not a date YYYYMMDD (DA))")


def test_drop_removes_and_repair_drops_what_it_cannot_repair() -> None:
    for policy in ("drop", "repair"):
        ds = acr_nema()
        ds.StudyInstanceUID = "1.2.0123"
        ds.ReferencedStudySequence = [Dataset()]
        ds.ReferencedStudySequence[0].ReferencedSOPInstanceUID = "0"
        notes = enforce(ds, policy, "t.dcm")
        assert "StudyInstanceUID" not in ds and "PatientName" in ds
        assert "ReferencedSOPInstanceUID" not in ds.ReferencedStudySequence[0]
        assert any("ReferencedStudySequence[0].ReferencedSOPInstanceUID '0' dropped" in n for n in notes)
        assert ("StudyDate" in ds) == (policy == "repair")


def test_empty_specific_character_set_is_removed_with_a_note() -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = ""
    ds.PatientName = "Doe"
    notes = enforce(ds, "fail", "t.dcm")
    assert "SpecificCharacterSet" not in ds and "empty SpecificCharacterSet removed" in notes[0]


def test_multi_valued_elements_are_checked_value_by_value() -> None:
    ds = Dataset()
    ds.ImageType = ["ORIGINAL", "primary"]
    assert [i.path for i in find_invalid(ds)] == ["ImageType"]
    ds.ImageType = ["ORIGINAL", "", "X"]
    assert find_invalid(ds) == []


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="one of fail, drop, repair"):
        enforce(Dataset(), "ignore", "t.dcm")
