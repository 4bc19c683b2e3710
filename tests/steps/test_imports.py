"""ImportStudySeries / IncrementInstanceNumber / GenerateUids: DCMTK's lists and our fixes (reference §4-§6)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from img2dcm.errors import ConversionError
from img2dcm.context import Context
from img2dcm.profile.model import Profile, Sources
from img2dcm.provenance import DatasetBuilder, Source, SourceKind
from img2dcm.steps.imports import ImportStudySeries
from img2dcm.steps.instance import IncrementInstanceNumber
from img2dcm.steps.uids import GenerateUids
from img2dcm.uids import UidFactory
from tests.tools import CORPUS

#: reference §4, in DCMTK's order.
STUDY_LIST = ["PatientName", "PatientID", "PatientSex", "PatientBirthDate", "StudyInstanceUID", "StudyDate",
              "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber"]
SERIES_LIST = STUDY_LIST + ["SeriesInstanceUID", "SeriesNumber", "Manufacturer"]


def context(root: str | None = None) -> Context:
    return Context(profile=Profile(), images=(), builder=DatasetBuilder(), uids=UidFactory(root), now=datetime.now())


def source_file(path: Path, **values: object) -> Path:
    """A small DICOM file with exactly ``values`` (plus what every file needs)."""
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "1.2.3.4"
    ds.Modality = "OT"
    for name, value in values.items():
        setattr(ds, name, value)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(path, enforce_file_format=True)
    return path


def imported(path: Path, series: bool = False, increment: bool = False) -> Context:
    ctx = context()
    sources = Sources(series_from=path, increment_instance=increment) if series else \
        Sources(study_from=path, increment_instance=increment)
    ImportStudySeries(sources).apply(ctx)
    return ctx


@pytest.mark.parametrize(("series", "expected"), [(False, STUDY_LIST), (True, SERIES_LIST)])
def test_exactly_the_documented_lists_are_copied(series: bool, expected: list[str]) -> None:
    ctx = imported(CORPUS / "dicom" / "CT_small.dcm", series=series)
    copied = [elem.keyword for elem in ctx.builder.dataset if elem.keyword != "SpecificCharacterSet"]
    assert sorted(copied) == sorted(expected)
    kind = SourceKind.SERIES_FILE if series else SourceKind.STUDY_FILE
    assert all(ctx.builder.source_of(name).kind is kind for name in expected)
    assert ctx.builder.source_of("PatientName").detail.endswith("CT_small.dcm")


def test_modality_body_part_and_sop_instance_are_never_copied(tmp_path: Path) -> None:
    path = source_file(tmp_path / "s.dcm", StudyInstanceUID="1.2.3", SeriesInstanceUID="1.2.3.1",
                       BodyPartExamined="CHEST", PatientAge="042Y")
    ds = imported(path, series=True).builder.dataset
    assert not {"Modality", "BodyPartExamined", "PatientAge", "SOPInstanceUID", "SOPClassUID"} & set(ds.dir())


def test_attributes_the_source_lacks_are_written_empty_and_noted(tmp_path: Path) -> None:
    ctx = imported(source_file(tmp_path / "s.dcm", StudyInstanceUID="1.2.3", PatientName="Doe^Jane"))
    assert str(ctx.builder.dataset.PatientName) == "Doe^Jane"
    assert ctx.builder.dataset["PatientID"].value in (None, "")
    assert any("lacks PatientID" in note for note in ctx.builder.notes)


@pytest.mark.parametrize(("series", "values", "message"), [
    (False, {}, "StudyInstanceUID (type 1) is missing"),
    (False, {"StudyInstanceUID": ""}, "StudyInstanceUID (type 1) is empty"),  # DCMTK writes an empty UID
    (True, {"StudyInstanceUID": "1.2.3"}, "SeriesInstanceUID (type 1) is missing"),
    (True, {"StudyInstanceUID": "1.2.3", "SeriesInstanceUID": ""}, "SeriesInstanceUID (type 1) is empty"),
])
def test_missing_or_empty_uids_fail_naming_the_file(tmp_path: Path, series: bool, values: dict[str, str],
                                                     message: str) -> None:
    path = source_file(tmp_path / "s.dcm", **values)
    with pytest.raises(ConversionError) as caught:
        imported(path, series=series)
    assert caught.value.path == str(path)
    assert message in caught.value.message


@pytest.mark.parametrize(("content", "reason"), [(None, "file not found"), (b"not dicom at all", "not a DICOM file")])
def test_unreadable_source_names_the_file_and_the_reason(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "order.dcm"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConversionError) as caught:
        imported(path)
    assert caught.value.line() == f"{path}: cannot use as study file: {reason}"


def test_increment_copies_the_sources_instance_number(tmp_path: Path) -> None:
    ctx = imported(source_file(tmp_path / "s.dcm", StudyInstanceUID="1.2.3", InstanceNumber=41), increment=True)
    IncrementInstanceNumber().apply(ctx)
    assert str(ctx.builder.dataset.InstanceNumber) == "42"
    assert ctx.builder.source_of("InstanceNumber").kind is SourceKind.COMPUTED
    assert "study file" in ctx.builder.source_of("InstanceNumber").detail


def test_increment_with_a_source_without_instance_number_gives_2_like_dcmtk(tmp_path: Path) -> None:
    ctx = imported(source_file(tmp_path / "s.dcm", StudyInstanceUID="1.2.3"), increment=True)
    IncrementInstanceNumber().apply(ctx)
    assert str(ctx.builder.dataset.InstanceNumber) == "2"
    assert any("no Instance Number" in note for note in ctx.builder.notes)


@pytest.mark.parametrize("value", [None, ""])
def test_increment_without_a_number_fails(value: str | None) -> None:
    ctx = context()
    if value is not None:
        ctx.builder.put("InstanceNumber", value, Source(SourceKind.TEMPLATE, "t.dcm"))
    with pytest.raises(ConversionError, match="cannot increment Instance Number"):
        IncrementInstanceNumber().apply(ctx)


def test_uids_kept_when_given_made_when_absent_or_empty() -> None:
    ctx = context()
    ctx.builder.put("StudyInstanceUID", "1.2.3", Source(SourceKind.TEMPLATE, "t.dcm"))
    ctx.builder.put_empty("SeriesInstanceUID", Source(SourceKind.TEMPLATE, "t.dcm"))
    GenerateUids().apply(ctx)
    ds = ctx.builder.dataset
    assert ds.StudyInstanceUID == "1.2.3"
    assert ds.SeriesInstanceUID.startswith("2.25.")
    assert ds.SOPInstanceUID.startswith("2.25.") and ds.SOPInstanceUID != ds.SeriesInstanceUID
    assert any("SeriesInstanceUID was empty" in note for note in ctx.builder.notes)


def test_uid_root_is_used_for_every_new_uid() -> None:
    ctx = context("1.2.826.0.1.3680043.9.9999")
    GenerateUids().apply(ctx)
    for name in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        uid = str(ctx.builder.dataset[name].value)
        assert uid.startswith("1.2.826.0.1.3680043.9.9999.") and len(uid) <= 64
        assert all(part and (part == "0" or not part.startswith("0")) for part in uid.split("."))
    assert "1.2.826.0.1.3680043.9.9999" in ctx.builder.source_of("SOPInstanceUID").detail
