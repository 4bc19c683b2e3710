"""DatasetBuilder: values, emptiness and the source of every top-level attribute."""

from __future__ import annotations

import pytest
from pydicom.dataset import Dataset

from img2dcm.provenance import DatasetBuilder, Source, SourceKind, to_tag

KEY = Source(SourceKind.KEY, "site.yaml:3")


def test_put_records_the_source_and_put_empty_inserts_zero_length() -> None:
    builder = DatasetBuilder()
    builder.put("PatientName", "Doe^Jane", KEY)
    builder.put_empty("StudyDate")
    builder.put_empty("AcquisitionContextSequence")
    assert str(builder.source_of("PatientName")) == "key (site.yaml:3)"
    assert builder.source_of("StudyDate") == Source(SourceKind.INSERTED_EMPTY)
    assert builder.has("StudyDate") and not builder.has_value("StudyDate")
    assert builder.dataset.AcquisitionContextSequence == []


@pytest.mark.parametrize("keyword,value,expected", [
    ("PatientName", "A^B", True), ("PatientName", "", False), ("InstanceNumber", "0", True),
    ("Rows", 0, True), ("ImageType", ["DERIVED", "SECONDARY"], True), ("AnatomicRegionSequence", [], False),
])
def test_has_value(keyword: str, value: object, expected: bool) -> None:
    builder = DatasetBuilder()
    builder.put(keyword, value, KEY)
    assert builder.has_value(keyword) is expected


def test_a_sequence_with_an_item_has_a_value() -> None:
    builder = DatasetBuilder()
    item = Dataset()
    item.CodeValue = "81745001"
    builder.put("AnatomicRegionSequence", [item], KEY)
    assert builder.has_value("AnatomicRegionSequence")


def test_adopt_and_remove_keep_provenance_in_step() -> None:
    template = Dataset()
    template.PatientID = "X"
    template.Modality = "CT"
    builder = DatasetBuilder()
    builder.adopt(template, Source(SourceKind.TEMPLATE, "t.dcm"))
    builder.remove("Modality")
    assert not builder.has("Modality") and builder.source_of("Modality") is None
    assert str(builder.source_of("PatientID")) == "template (t.dcm)"


def test_unknown_keyword_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="NoSuchThing"):
        to_tag("NoSuchThing")
