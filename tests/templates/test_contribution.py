"""What a template may contribute (template.keep / keep_private): the tables and the restriction."""

from __future__ import annotations

import pytest
from pydicom.dataset import Dataset

from img2dcm.iods.contents import IOD_MODULES, MODULE_ATTRIBUTES
from img2dcm.iods.registry import ALL_TABLES, family_names
from img2dcm.templates.contribution import (
    EMPTY_SEQUENCE_REASON,
    NOT_FROM_TEMPLATE_ATTRIBUTES,
    NOT_FROM_TEMPLATE_MODULES,
    PRIVATE_REASON,
    contributions,
    describe_left_out,
    restrict,
)


def sample() -> Dataset:
    """A template with what the issue names: frames, SR tree, DICOMDIR records, waveform, FoR."""
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    ds.StudyInstanceUID = "1.2.3"
    ds.FrameOfReferenceUID = "1.2.3"
    ds.PerFrameFunctionalGroupsSequence = [Dataset(), Dataset()]
    ds.ContentSequence = [Dataset()]
    ds.DirectoryRecordSequence = [Dataset()]
    ds.WaveformSequence = [Dataset()]
    ds.ReferencedImageSequence = [Dataset()]
    ds.ReferencedPerformedProcedureStepSequence = []
    ds.add_new(0x00291010, "LO", "private text")
    return ds


def test_every_iod_we_write_has_its_module_list_and_every_named_module_exists() -> None:
    assert {t.uid for t in ALL_TABLES} == set(IOD_MODULES)
    for _name, modules in IOD_MODULES.values():
        assert set(modules) <= set(MODULE_ATTRIBUTES)
    assert set(NOT_FROM_TEMPLATE_MODULES) <= set(MODULE_ATTRIBUTES)
    everything = set().union(*MODULE_ATTRIBUTES.values())
    assert set(NOT_FROM_TEMPLATE_ATTRIBUTES) <= everything


@pytest.mark.parametrize("family", family_names())
def test_patient_study_series_attributes_are_allowed_and_the_templates_own_image_is_not(family: str) -> None:
    allowed, refused = contributions(family)
    assert {"PatientName", "PatientID", "StudyInstanceUID", "SeriesInstanceUID", "Manufacturer",
            "SpecificCharacterSet", "ContentDate", "ImageType"} <= allowed
    for keyword in ("FrameOfReferenceUID", "ReferencedImageSequence", "IconImageSequence",
                    "SynchronizationFrameOfReferenceUID", "ImagePositionPatient", "OverlayRows"):
        assert keyword not in allowed


def test_restrict_keeps_module_attributes_and_names_everything_left_out() -> None:
    ds = sample()
    left = restrict(ds, "vl-photographic")
    assert sorted(e.keyword for e in ds) == ["PatientName", "StudyInstanceUID"]
    reasons = {item.label: item.reason for item in left}
    assert reasons["(0029,1010)"] == PRIVATE_REASON
    assert reasons["ContentSequence"] == reasons["WaveformSequence"] == "not in any module of VL Photographic Image"
    assert reasons["DirectoryRecordSequence"] == "not in any module of VL Photographic Image"
    assert reasons["PerFrameFunctionalGroupsSequence"].startswith("not in any module")
    assert reasons["FrameOfReferenceUID"] == "not in any module of VL Photographic Image"
    assert reasons["ReferencedImageSequence"] == NOT_FROM_TEMPLATE_ATTRIBUTES["ReferencedImageSequence"]
    assert reasons["ReferencedPerformedProcedureStepSequence"] == EMPTY_SEQUENCE_REASON


def test_multiframe_sc_has_no_functional_groups_from_a_template() -> None:
    ds = sample()
    left = restrict(ds, "multiframe-secondary-capture")
    reasons = {item.label: item.reason for item in left}
    assert "describe the template's pixel data and frames" in reasons["PerFrameFunctionalGroupsSequence"]
    assert reasons["FrameOfReferenceUID"].startswith("Frame of Reference module: the template's patient coordinate")


def test_keep_all_is_dcmtks_copy_of_everything_but_private_attributes_need_keep_private() -> None:
    ds = sample()
    left = restrict(ds, "secondary-capture", keep="all")
    assert [item.label for item in left] == ["(0029,1010)"]
    assert "FrameOfReferenceUID" in ds and "ContentSequence" in ds
    ds = sample()
    assert restrict(ds, "secondary-capture", keep="all", keep_private=True) == []
    assert 0x00291010 in ds


def test_keep_private_keeps_private_attributes_under_iod_too() -> None:
    ds = sample()
    restrict(ds, "secondary-capture", keep_private=True)
    assert 0x00291010 in ds and "PatientName" in ds and "ContentSequence" not in ds


def test_unknown_keep_value_is_refused() -> None:
    with pytest.raises(ValueError, match="template.keep must be one of iod, all"):
        restrict(Dataset(), "secondary-capture", keep="some")


def test_report_lines_group_attributes_by_reason() -> None:
    ds = sample()
    lines = describe_left_out("t.dcm", restrict(ds, "secondary-capture"))
    outside = [line for line in lines if "not in any module of Secondary Capture Image" in line]
    assert len(outside) == 1
    assert outside[0].startswith("template t.dcm: left out ")
    assert "ContentSequence" in outside[0] and "DirectoryRecordSequence" in outside[0]
